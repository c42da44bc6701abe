import CExif
import COtklikSystem
public import OtklikCore
import Foundation
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// The attachments' files: content-addressed under `attachments/` in the data directory
/// (`attachments/ab/cdef…`, the SHA-256 in hex split after two digits), written mode 0640.
///
/// An upload goes to a fresh temporary file in `attachments/tmp/` (its name random, never the
/// client's), is hashed as it is written, `fsync`ed, checked, and only then renamed into place and
/// the directory synced: a file under its digest is always whole. Anything else (a mismatch, a
/// limit, a cancelled stream, a crash) leaves at most a temporary file, removed at the next start.
public final class AttachmentFiles: Sendable {
    public let root: String
    let temporary: String

    public init(dataDirectory: String) throws(StoreError) {
        root = (dataDirectory as NSString).appendingPathComponent("attachments")
        temporary = (root as NSString).appendingPathComponent("tmp")
        for directory in [root, temporary] where mkdir(directory, 0o750) != 0 && errno != EEXIST {
            throw Upload.failure(directory)
        }
    }

    /// Where the file with `sha256` (64 lower-case hex digits, checked by the caller) lives.
    public func path(of sha256: String) -> String {
        let prefix = String(sha256.prefix(2))
        return (root as NSString).appendingPathComponent("\(prefix)/\(sha256.dropFirst(2))")
    }

    public func exists(_ sha256: String) -> Bool { access(path(of: sha256), F_OK) == 0 }

    /// Removes what interrupted uploads left (at start, before any upload begins). Returns how many.
    @discardableResult
    public func removeLeftovers() -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary) else { return 0 }
        var removed = 0
        for name in names where unlink((temporary as NSString).appendingPathComponent(name)) == 0 { removed += 1 }
        return removed
    }

    /// Temporary files now (a test's way to see that nothing was left behind).
    public var leftovers: [String] { (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] }

    /// Starts an upload: a new temporary file, empty.
    public func begin() throws(StoreError) -> Upload {
        let name = "upload-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let path = (temporary as NSString).appendingPathComponent(name)
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw Upload.failure(path) }
        fchmod(fd, 0o640)
        return Upload(fd: fd, path: path, files: self)
    }

    /// One upload in progress. Not thread-safe: used by the one handler that owns it.
    public final class Upload {
        private var fd: Int32
        let path: String
        private let files: AttachmentFiles
        private let digest: SHA256Digest
        /// Hashes one chunk or segment while the next is written or copied: a thread of this upload's
        /// own at nice 10 (so short calls of others come first), at most one job queued.
        private var hasher: LoweredWorker?

        /// The hashing thread, started with the first bytes.
        private func worker() -> LoweredWorker {
            if let hasher { return hasher }
            let started = LoweredWorker()
            hasher = started
            return started
        }
        public private(set) var size: Int64 = 0
        /// The first bytes, for `ContentType.sniff`.
        public private(set) var prefix: [UInt8] = []

        init(fd: Int32, path: String, files: AttachmentFiles) {
            self.fd = fd
            self.path = path
            self.files = files
            self.digest = SHA256Digest()
        }

        deinit { abort() }

        /// Appends `bytes` to the file and the digest.
        public func write(_ bytes: [UInt8]) throws(StoreError) {
            if prefix.count < ContentType.sniffLength {
                prefix += bytes.prefix(ContentType.sniffLength - prefix.count)
            }
            worker().submit { [digest] in digest.update(bytes) }
            var offset = 0
            while offset < bytes.count {
                // Safe to unwrap: the loop runs only while `bytes` holds bytes, so it has an address.
                let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw Self.failure(path) }
                offset += written
            }
            size += Int64(bytes.count)
        }

        /// Copies `size` bytes of the regular file `source` into the upload in the kernel
        /// (copy_file_range; a plain read and write where the kernel cannot), hashing what was written:
        /// each segment is read back from the upload's own file (the page cache) while the next one
        /// copies, so the digest is of the stored bytes even if the source changes meanwhile.
        public func copy(from source: Int32, size total: Int64) throws(StoreError) {
            let segment: Int64 = 8 << 20
            var sourceOffset: Int64 = 0
            var written: Int64 = 0
            while written < total {
                var targetOffset = written
                let want = UInt(min(segment, total - written))
                var copied = otklik_copy_file_range(source, &sourceOffset, fd, &targetOffset, want)
                if copied < 0, [EXDEV, EINVAL, ENOSYS, EOPNOTSUPP, EBADF].contains(errno) {
                    copied = try plainCopy(source, at: sourceOffset, to: written, count: Int(want))
                    if copied < 0, errno != EINTR {
                        // The sender's file did not read: theirs to mend, not the store's failure.
                        throw .passedFileUnreadable(received: written, reason: String(cString: strerror(errno)))
                    }
                    sourceOffset += Int64(max(0, copied))
                }
                if copied < 0, errno == EINTR { continue }
                guard copied > 0 else {
                    if copied == 0 {
                        throw .passedFileUnreadable(received: written, reason: "it ended before its measured size")
                    }
                    throw Self.failure(path)
                }
                let start = written
                let count = Int64(copied)
                written += count
                if prefix.count < ContentType.sniffLength {
                    var head = [UInt8](repeating: 0, count: ContentType.sniffLength)
                    let read = pread(fd, &head, head.count, 0)
                    prefix = Array(head.prefix(max(0, read)))
                }
                worker().submit { [digest, fd] in Self.hashBack(fd, from: start, count: count, into: digest) }
            }
            hasher?.waitIdle()
            size = written
        }

        /// Reads `count` bytes of `source` at `offset` and writes them into the upload at `target`.
        private func plainCopy(_ source: Int32, at offset: Int64, to target: Int64, count: Int) throws(StoreError)
            -> Int
        {
            var buffer = [UInt8](repeating: 0, count: count)
            let read = pread(source, &buffer, count, off_t(offset))
            guard read > 0 else { return read }
            var done = 0
            while done < read {
                let wrote = buffer.withUnsafeBytes {
                    // Safe to unwrap: `buffer` holds `count` >= `read` > `done` bytes, so it has an address.
                    pwrite(fd, $0.baseAddress! + done, read - done, off_t(target) + off_t(done))
                }
                if wrote < 0, errno == EINTR { continue }
                guard wrote > 0 else { throw Self.failure(path) }
                done += wrote
            }
            return read
        }

        /// Hashes `count` bytes of the upload's own file from `offset` (read back from the page cache).
        private static func hashBack(_ fd: Int32, from offset: Int64, count: Int64, into digest: SHA256Digest) {
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var done: Int64 = 0
            while done < count {
                let want = Int(min(Int64(buffer.count), count - done))
                let read = pread(fd, &buffer, want, off_t(offset + done))
                guard read > 0 else { return }
                digest.update(read == buffer.count ? buffer : Array(buffer.prefix(read)))
                done += Int64(read)
            }
        }

        /// Makes the bytes durable and returns their SHA-256 in hex.
        public func finish() throws(StoreError) -> String {
            hasher?.waitIdle()
            guard fsync(fd) == 0 else { throw Self.failure(path) }
            close(fd)
            fd = -1
            return digest.hex()
        }

        /// Moves the finished file under its digest and syncs the directories. Returns false when the
        /// content was already stored (the temporary copy is removed: stored once).
        public func commit(as sha256: String) throws(StoreError) -> Bool {
            let target = files.path(of: sha256)
            let directory = (target as NSString).deletingLastPathComponent
            if mkdir(directory, 0o750) == 0 {
                syncDirectory(files.root)
            } else if errno != EEXIST {
                throw Self.failure(directory)
            }
            if access(target, F_OK) == 0 {
                unlink(path)
                return false
            }
            guard rename(path, target) == 0 else {
                throw Self.failure(target)
            }
            syncDirectory(directory)
            return true
        }

        /// Drops the upload: the descriptor closed, the temporary file removed (nothing if committed).
        public func abort() {
            hasher?.close()
            hasher = nil
            if fd >= 0 {
                close(fd)
                fd = -1
            }
            unlink(path)
        }

        static func failure(_ path: String) -> StoreError {
            let code = errno
            return .cannotWrite(path: path, reason: String(cString: strerror(code)), errno: code)
        }

        private func syncDirectory(_ path: String) {
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return }
            fsync(fd)
            close(fd)
        }
    }
}

/// One thread that runs jobs in order at nice 10, for one upload's hashing: a thread of its own, as
/// an unprivileged daemon can lower a thread's priority but not raise it back (a shared Dispatch
/// worker would stay lowered). `submit` waits while a job is still queued, so at most two chunks
/// are held. Ends with `close`.
///
/// `@unchecked Sendable`: its state is only touched inside `condition`.
final class LoweredWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var busy = false
    private var closed = false
    /// No thread could be started (the system is out of them): jobs run on the caller's thread.
    private var inline = false

    init() {
        let started = DetachedThread.start(stackSize: 256 * 1024) { [self] in
            _ = otklik_set_thread_nice(10)
            run()
        }
        inline = !started
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        if inline {
            job()
            return
        }
        condition.lock()
        while !jobs.isEmpty { condition.wait() }
        jobs.append(job)
        condition.broadcast()
        condition.unlock()
    }

    /// Returns once every job submitted has run.
    func waitIdle() {
        condition.lock()
        while !jobs.isEmpty || busy { condition.wait() }
        condition.unlock()
    }

    /// Lets the thread end once its queued jobs ran.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !closed { condition.wait() }
            guard !jobs.isEmpty else {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            busy = true
            condition.broadcast()
            condition.unlock()
            job()
            condition.lock()
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// What a photo's EXIF says about when and where it was taken, read with libexif.
public enum PhotoFacts {
    /// The capture time and position of the JPEG at `path`; the time's zone from the EXIF offset
    /// when it has one (`OffsetTimeOriginal`), else `defaultOffset` seconds east of UTC (the
    /// schedule's zone). Absent or unreadable values are nil: a photo is never refused for them.
    public static func read(path: String, defaultOffset: Int) -> (capturedAt: Instant?, position: GeoPosition?) {
        guard let data = exif_data_new_from_file(path) else { return (nil, nil) }
        defer { exif_data_unref(data) }
        let order = exif_data_get_byte_order(data)
        func entry(_ ifd: ExifIfd, _ tag: UInt32) -> UnsafeMutablePointer<ExifEntry>? {
            let content = withUnsafePointer(to: data.pointee.ifd) { tuple in
                tuple.withMemoryRebound(
                    to: UnsafeMutablePointer<ExifContent>?.self, capacity: Int(EXIF_IFD_COUNT.rawValue)
                ) {
                    $0[Int(ifd.rawValue)]
                }
            }
            guard let content else { return nil }
            return exif_content_get_entry(content, ExifTag(rawValue: tag))
        }
        func ascii(_ entry: UnsafeMutablePointer<ExifEntry>?) -> String? {
            guard let entry, entry.pointee.format == EXIF_FORMAT_ASCII, let bytes = entry.pointee.data,
                entry.pointee.size > 0
            else { return nil }
            let buffer = UnsafeBufferPointer(start: bytes, count: Int(entry.pointee.size))
            return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
        func degrees(_ value: UInt32, _ reference: UInt32, negative: String) -> Double? {
            guard let found = entry(EXIF_IFD_GPS, value), found.pointee.format == EXIF_FORMAT_RATIONAL,
                found.pointee.components == 3, let bytes = found.pointee.data, found.pointee.size >= 24
            else { return nil }
            var parts: [Double] = []
            for index in 0..<3 {
                let rational = exif_get_rational(bytes + index * 8, order)
                guard rational.denominator != 0 else { return nil }
                parts.append(Double(rational.numerator) / Double(rational.denominator))
            }
            let value = parts[0] + parts[1] / 60 + parts[2] / 3600
            let sign = ascii(entry(EXIF_IFD_GPS, reference))?.uppercased() == negative ? -1.0 : 1.0
            return sign * value
        }
        // 0x9003 DateTimeOriginal, 0x9011 OffsetTimeOriginal (EXIF 2.31), 0x0132 DateTime as a fallback.
        let local = ascii(entry(EXIF_IFD_EXIF, 0x9003)) ?? ascii(entry(EXIF_IFD_0, 0x0132))
        let offset = ascii(entry(EXIF_IFD_EXIF, 0x9011)).flatMap(Self.offsetSeconds) ?? defaultOffset
        let capturedAt = local.flatMap { Self.instant($0, offset: offset) }
        // GPS: 0x0002 latitude with 0x0001 N/S, 0x0004 longitude with 0x0003 E/W.
        var position: GeoPosition?
        if let latitude = degrees(0x0002, 0x0001, negative: "S"), let longitude = degrees(0x0004, 0x0003, negative: "W")
        {
            position = GeoPosition(latitude: latitude, longitude: longitude)
        }
        return (capturedAt, position)
    }

    /// "2026:11:30 14:05:09" at `offset` seconds east of UTC; nil unless a real time the tool accepts.
    static func instant(_ text: String, offset: Int) -> Instant? {
        let digits = text.split { $0 == ":" || $0 == " " }.map { Int($0) }
        guard digits.count == 6, let year = digits[0], let month = digits[1], let day = digits[2],
            let hour = digits[3], let minute = digits[4], let second = digits[5],
            Instant.acceptedYears.contains(year), (1...12).contains(month), (0...23).contains(hour),
            (0...59).contains(minute), (0...60).contains(second),
            let date = LocalDate(year: year, month: month, day: day)
        else { return nil }
        let seconds = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        let instant = Instant(seconds: seconds)
        return instant.isAccepted ? instant : nil
    }

    /// "+03:00" → 10800; nil unless ±HH:MM within a day.
    static func offsetSeconds(_ text: String) -> Int? {
        let scalars = Array(text.utf8)
        guard scalars.count == 6, scalars[0] == UInt8(ascii: "+") || scalars[0] == UInt8(ascii: "-"),
            scalars[3] == UInt8(ascii: ":"), let hours = Int(String(text.dropFirst().prefix(2))),
            let minutes = Int(String(text.suffix(2))), hours <= 14, minutes < 60
        else { return nil }
        let seconds = hours * 3600 + minutes * 60
        return scalars[0] == UInt8(ascii: "-") ? -seconds : seconds
    }
}
