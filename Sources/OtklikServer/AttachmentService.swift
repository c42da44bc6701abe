import COtklikSystem
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
import OtklikStore

/// `otklik.v1.Attachments`: photos, videos and documents for drafts and replies (p.19).
///
/// Upload: a header (name, declared size, declared SHA-256), then chunks of at most 1 MiB. The kind
/// is sniffed from the first bytes, never taken from the name; the size is checked against the
/// kind's limit as soon as the kind is known; the bytes are hashed as they are written to a
/// temporary file, which becomes `attachments/ab/cdef…` only when size and digest match. A refused,
/// cancelled or broken upload leaves nothing behind. Download streams a stored file to whoever may
/// read it: staff who read every case, and the uploader.
struct AttachmentServiceHandlers: ServiceEnvironmentReader {
    let environment: ServiceEnvironment
    let files: AttachmentFiles
    let limits: AttachmentLimits
    /// The zone a photo's EXIF time is read in when the photo does not say (the schedule's).
    let zone: TimeZone
    /// The uploads running now: their slots (per login and in all) and the bytes they declared,
    /// counted against the quota and the disk before a byte is written.
    let running: UploadLedger
    static let chunk = 1 << 20

    func register(in registry: inout ServiceRegistry) {
        registry.clientStreaming(AttachmentsService.upload) { context, reader in try upload(context, reader) }
        registry.serverStreaming(AttachmentsService.download) { context, request, writer in
            try download(context, request, writer)
        }
        registry.unary(AttachmentsService.getAttachment, placement: .pool) { context, request in
            Self.info(try readable(context, request.sha256))
        }
    }

    private func upload(_ context: ServerContext, _ reader: TypedRequestReader<UploadRequest>) throws(RPCError)
        -> UploadResponse
    {
        let caller = try context.caller
        // The place is taken before the thread is lowered: it counts from the moment the call is served.
        let slot = try running.enter(caller.login)
        defer { slot.leave() }
        // The upload runs on a thread of its own for this call: lowered, it yields the CPU to the
        // short calls of everyone else (Health, a case read) while it hashes and writes.
        _ = otklik_set_thread_nice(10)
        // A client that stops sending is ended after the transport's idle timeout, said as such.
        func next() throws(RPCError) -> UploadRequest? {
            do {
                return try reader.next()
            } catch {
                guard error.code == .deadlineExceeded, !context.isCancelled, let idle = reader.raw.idleTimeout else {
                    throw error
                }
                throw RPCError(
                    .deadlineExceeded, Refusals.Attachments.uploadStalled(["seconds": String(idle.components.seconds)]))
            }
        }
        guard let first = try next(), case .header(let header)? = first.part else {
            throw RPCError(.invalidArgument, Refusals.Attachments.headerFirst())
        }
        let (name, declared) = try check(header)
        // A content already stored takes no more room (it is answered as existing): only new files
        // count against the quota and the disk's reserve.
        if declared.flatMap({ try? store.attachment($0) }) == nil {
            try running.reserve(header.size, for: slot, now: clock.now)
        }
        let upload = try storing { () throws(StoreError) in try files.begin() }
        defer { upload.abort() }
        let sniffed =
            header.descriptor
            ? try copyPassedFile(context, reader, header, into: upload)
            : try receiveChunks(header, into: upload, next: next)
        guard upload.size == header.size else {
            throw RPCError(
                .invalidArgument,
                Refusals.Attachments.endedEarly(["received": String(upload.size), "size": String(header.size)]))
        }
        let contentType: ContentType
        if let sniffed {
            contentType = sniffed
        } else {
            contentType = try kind(of: upload.prefix, declaredSize: header.size)
        }
        let digest = try storing { () throws(StoreError) in try upload.finish() }
        guard declared == nil || digest == declared else {
            throw RPCError(
                .invalidArgument, Refusals.Attachments.digestMismatch(["received": digest, "declared": declared ?? ""]))
        }
        let stored = try storing { () throws(StoreError) in try upload.commit(as: digest) }
        return try record(digest, name: name, contentType: contentType, size: header.size, by: caller, stored: stored)
    }

    /// The header's name (trimmed) and declared digest (normalized; nil for a passed file without one),
    /// each checked, and its size against the largest any kind may be.
    private func check(_ header: UploadHeader) throws(RPCError) -> (name: String, declared: String?) {
        let name = header.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw RPCError(.invalidArgument, Refusals.Attachments.nameRequired()) }
        let declared = SHA256Text.normalized(header.sha256)
        guard declared != nil || (header.descriptor && header.sha256.isEmpty) else {
            throw RPCError(.invalidArgument, Refusals.Attachments.badDigest())
        }
        guard header.size > 0 else { throw RPCError(.invalidArgument, Refusals.Attachments.emptyFile()) }
        guard header.size <= limits.largest else {
            throw RPCError(
                .resourceExhausted,
                Refusals.Attachments.overLargest([
                    "size": Self.megabytes(header.size), "video": Self.megabytes(limits.video),
                    "photo": Self.megabytes(limits.photo), "document": Self.megabytes(limits.document),
                ]))
        }
        return (name, declared)
    }

    /// The file's chunks written into `upload`, each bounded and never past the declared size; its kind
    /// read from its first bytes as soon as they are in (nil when fewer came than it takes).
    private func receiveChunks(
        _ header: UploadHeader, into upload: AttachmentFiles.Upload, next: () throws(RPCError) -> UploadRequest?
    ) throws(RPCError) -> ContentType? {
        var type: ContentType?
        while let message = try next() {
            guard case .chunk(let bytes)? = message.part else {
                throw RPCError(.invalidArgument, Refusals.Attachments.onlyChunks())
            }
            guard bytes.count <= Self.chunk else {
                throw RPCError(
                    .invalidArgument,
                    Refusals.Attachments.chunkTooLarge(["max": String(Self.chunk), "size": String(bytes.count)]))
            }
            guard Int64(bytes.count) <= header.size - upload.size else {
                throw RPCError(.invalidArgument, Refusals.Attachments.longerThanDeclared(["size": String(header.size)]))
            }
            try storing { () throws(StoreError) in try upload.write(bytes) }
            if type == nil, upload.prefix.count >= ContentType.sniffLength || upload.size == header.size {
                type = try kind(of: upload.prefix, declaredSize: header.size)
            }
        }
        return type
    }

    /// A step of putting the file's bytes on disk; a failure is logged and said as the disk's.
    private func storing<T>(_ body: () throws(StoreError) -> T) throws(RPCError) -> T {
        do {
            return try body()
        } catch {
            logger.error("upload: \(error)")
            throw error.rpc("the file could not be stored", dataDirectory: store.directory)
        }
    }

    /// The stored file recorded (with a photo's EXIF facts) and answered. `stored`: its file was put on
    /// disk by this upload.
    private func record(
        _ digest: String, name: String, contentType: ContentType, size: Int64, by caller: Caller, stored: Bool
    ) throws(RPCError) -> UploadResponse {
        let now = clock.now
        var facts: (capturedAt: Instant?, position: GeoPosition?) = (nil, nil)
        if contentType == .jpeg {
            facts = PhotoFacts.read(
                path: files.path(of: digest),
                defaultOffset: zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(now.seconds))))
        }
        let record = AttachmentRecord(
            sha256: digest, name: name, contentType: contentType, size: size, capturedAt: facts.capturedAt,
            position: facts.position, uploadedAt: now, uploadedBy: caller.login)
        // Someone the caller may not read stored the same content first: the caller is answered with
        // their own upload, not with another unit's file name, login and time (issue 25).
        let readBefore = try reads(digest, caller)
        let result: (record: AttachmentRecord, existing: Bool)
        do {
            result = try store.recordAttachment(record, actor: caller.actor, onBehalf: caller.onBehalf, now: now)
        } catch {
            logger.error("upload: \(error)")
            throw error.rpc("the file could not be recorded", dataDirectory: store.directory)
        }
        if !result.existing {
            logger.info("attachment \(digest) (\(contentType.mime), \(size) bytes) uploaded by \(caller.actor)")
        } else if stored {
            // The row was there, the file was not (a copy restored without its files): put back.
            logger.warning("attachment \(digest): its file was missing and was stored again")
        }
        guard readBefore || !result.existing else {
            return UploadResponse(attachment: Self.info(record), existing: false)
        }
        return UploadResponse(attachment: Self.info(result.record), existing: result.existing)
    }

    /// `descriptor: true`: the file came as an open descriptor with the header (SCM_RIGHTS); it must be
    /// a regular file of the declared size open for reading, and no chunks follow. Copied in the kernel.
    private func copyPassedFile(
        _ context: ServerContext, _ reader: TypedRequestReader<UploadRequest>, _ header: UploadHeader,
        into upload: AttachmentFiles.Upload
    ) throws(RPCError) -> ContentType {
        guard let source = context.takeDescriptor() else {
            throw RPCError(.invalidArgument, Refusals.Attachments.descriptorMissing())
        }
        defer { close(source) }
        var info = stat()
        guard fstat(source, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw RPCError(.invalidArgument, Refusals.Attachments.descriptorNotAFile())
        }
        let access = fcntl(source, F_GETFL) & O_ACCMODE
        guard access == O_RDONLY || access == O_RDWR else {
            throw RPCError(.invalidArgument, Refusals.Attachments.descriptorNotReadable())
        }
        guard Int64(info.st_size) == header.size else {
            throw RPCError(
                .invalidArgument,
                Refusals.Attachments.passedSizeMismatch(["actual": String(info.st_size), "size": String(header.size)]))
        }
        var head = [UInt8](repeating: 0, count: ContentType.sniffLength)
        let read = pread(source, &head, head.count, 0)
        // Told before the copy from the source, and again after it from what was stored (the
        // source may change meanwhile: the stored bytes are what counts).
        _ = try kind(of: Array(head.prefix(max(0, read))), declaredSize: header.size)
        do {
            try upload.copy(from: source, size: header.size)
        } catch .passedFileUnreadable(let received, _) {
            // The sender's file changed or failed under the copy: refused as an upload cut short.
            throw RPCError(
                .invalidArgument,
                Refusals.Attachments.endedEarly(["received": String(received), "size": String(header.size)]))
        } catch {
            logger.error("upload: \(error)")
            throw error.rpc("the file could not be stored", dataDirectory: store.directory)
        }
        guard try reader.next() == nil else {
            throw RPCError(.invalidArgument, Refusals.Attachments.descriptorWithChunks())
        }
        return try kind(of: upload.prefix, declaredSize: header.size)
    }

    /// The sniffed type of a file starting with `prefix`, checked against its kind's limit.
    private func kind(of prefix: [UInt8], declaredSize: Int64) throws(RPCError) -> ContentType {
        guard let type = ContentType.sniff(prefix) else {
            throw RPCError(
                .invalidArgument, Refusals.Attachments.unacceptedKind(["accepted": ContentType.acceptedList]))
        }
        let limit = limits.limit(for: type.kind)
        guard declaredSize <= limit else {
            throw RPCError(
                .resourceExhausted,
                Refusals.Attachments.kindTooLarge([
                    "kind": type.kind.rawValue, "limit": Self.megabytes(limit), "size": Self.megabytes(declaredSize),
                ]))
        }
        return type
    }

    private func download(
        _ context: ServerContext, _ request: DownloadRequest, _ writer: TypedResponseWriter<DownloadChunk>
    ) throws(RPCError) {
        let record = try readable(context, request.sha256)
        guard let file = FileHandle(forReadingAtPath: files.path(of: record.sha256)) else {
            logger.error("attachment \(record.sha256) is recorded but its file is missing")
            throw RPCError(.dataLoss, Refusals.Attachments.fileMissing(["sha256": record.sha256]))
        }
        defer { try? file.close() }
        let sent = try FileChunks.send(file) { bytes, first throws(RPCError) in
            var chunk = DownloadChunk(data: bytes)
            if first { chunk.attachment = Self.info(record) }
            try writer.send(chunk)
        }
        guard sent == record.size else {
            throw RPCError(.dataLoss, Refusals.Attachments.fileWrongSize(["sha256": record.sha256]))
        }
    }

    /// The record of `text`'s attachment if the caller may read it: whoever reads every case may; an
    /// executor what they uploaded (first or again) and what a case they read carries.
    private func readable(_ context: ServerContext, _ text: String) throws(RPCError) -> AttachmentRecord {
        let caller = try context.caller
        var digest = SHA256Text.normalized(text)
        if digest == nil { digest = try uniqueDigest(beginning: text, caller) }
        guard let sha256 = digest else {
            throw RPCError(.invalidArgument, Refusals.Attachments.badDigest())
        }
        let record: AttachmentRecord?
        do {
            record = try store.attachment(sha256)
        } catch {
            logger.error("attachment \(sha256): \(error)")
            throw error.rpc("the attachment could not be read", dataDirectory: store.directory)
        }
        // A file the caller may not read is answered as one that does not exist: whether another unit
        // holds a file is not theirs to learn (issue 25).
        guard let record, try reads(sha256, caller) else {
            throw RPCError(.notFound, Refusals.Attachments.notFound(["sha256": sha256]))
        }
        return record
    }

    /// The one digest the caller may read that begins with `text` (a short id, as git takes one: the
    /// CLI prints 12 digits); nil when `text` is no such beginning. Only files the caller may read are
    /// counted, so whether another unit holds a file of that beginning is not theirs to learn.
    private func uniqueDigest(beginning text: String, _ caller: Caller) throws(RPCError) -> String? {
        guard let prefix = SHA256Text.prefix(text) else { return nil }
        let candidates: [String]
        do {
            candidates = try store.attachments(withPrefix: prefix, limit: 50)
        } catch {
            logger.error("attachments \(prefix)*: \(error)")
            throw error.rpc("the attachments could not be read", dataDirectory: store.directory)
        }
        var readable: [String] = []
        for sha256 in candidates where try reads(sha256, caller) { readable.append(sha256) }
        switch readable.count {
        case 0: throw RPCError(.notFound, Refusals.Attachments.notFound(["sha256": prefix]))
        case 1: return readable[0]
        default:  // two or more
            throw RPCError(
                .invalidArgument,
                Refusals.Attachments.ambiguousPrefix([
                    "prefix": prefix,
                    "digests": readable.prefix(5).map { String($0.prefix(16)) }.joined(separator: ", "),
                ]))
        }
    }

    /// Whether `caller` may read the attachment `sha256`: staff who read every case; an executor who
    /// uploaded it, or who reads a case that carries it.
    private func reads(_ sha256: String, _ caller: Caller) throws(RPCError) -> Bool {
        if caller.scope == .all { return true }
        do throws(StoreError) {
            if caller.scope != .handedOver, try store.hasUploaded(sha256, login: caller.login) { return true }
            for id in try store.casesCarrying(sha256) {
                guard let state = try store.loadCase(id) else { continue }
                if caller.scope == .handedOver
                    ? Rights.handsOver(sha256, in: state)
                    : Rights.canRead(
                        state, caller.access, scope: caller.scope)
                {
                    return true
                }
            }
            return false
        } catch {
            logger.error("attachment \(sha256): \(error)")
            throw error.rpc("the attachment could not be read", dataDirectory: store.directory)
        }
    }

    static func info(_ record: AttachmentRecord) -> AttachmentInfo {
        AttachmentInfo(
            sha256: record.sha256, name: record.name, kind: record.contentType.kind.rawValue,
            contentType: record.contentType.mime, size: record.size, capturedAtUnix: record.capturedAt?.seconds ?? 0,
            hasPosition: record.position != nil, latitude: record.position?.latitude ?? 0,
            longitude: record.position?.longitude ?? 0, uploadedAtUnix: record.uploadedAt.seconds,
            uploadedBy: record.uploadedBy)
    }

    /// "50 MiB", "1.5 GiB", "312 KiB": sizes as limits are set.
    static func megabytes(_ bytes: Int64) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20 {
            let tenths = (bytes / 1024) * 10 / 1024
            return bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(tenths / 10).\(tenths % 10) MiB"
        }
        return bytes >= 1 << 10 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }
}

/// The uploads running now, and what each may hold: a slot per upload (at most
/// `AttachmentLimits.uploadsPerUser` per login, `uploadsAtOnce` in all), and the bytes each declared,
/// reserved before a byte is written against the login's quota of files no draft carries and against
/// the free space the data disk keeps for registrations (issue 25, H3 and H4).
final class UploadLedger: Sendable {
    private let store: Store
    private let limits: AttachmentLimits
    private let gate: CallerGate
    /// Declared bytes of running uploads, by login.
    private let declared = Locked<[String: Int64]>([:])
    init(store: Store, limits: AttachmentLimits) {
        self.store = store
        self.limits = limits
        gate = CallerGate(total: limits.uploadsAtOnce, perLogin: limits.uploadsPerUser)
    }

    /// A running upload of `login`: its slot, and the bytes reserved for it once its header is read.
    final class Running: Sendable {
        let login: String
        fileprivate let slot: CallerGate.Slot
        fileprivate let reserved = Locked<Int64>(0)
        private let ledger: UploadLedger

        fileprivate init(login: String, slot: CallerGate.Slot, ledger: UploadLedger) {
            self.login = login
            self.slot = slot
            self.ledger = ledger
        }

        /// Ends the upload: its slot and its reservation are given back (once).
        func leave() {
            let bytes = reserved.withLock { bytes in
                defer { bytes = 0 }
                return bytes
            }
            if bytes > 0 { ledger.release(bytes, of: login) }
            slot.leave()
        }
    }

    /// A slot for an upload of `login`, or the refusal that says why not.
    func enter(_ login: String) throws(RPCError) -> Running {
        do throws(CallerGate.Refused) {
            return Running(login: login, slot: try gate.enter(login), ledger: self)
        } catch {
            switch error {
            case .yours(let running):
                throw RPCError(.resourceExhausted, Refusals.Attachments.uploadsRunning(["running": String(running)]))
            case .full(let running):
                throw RPCError(.resourceExhausted, Refusals.Attachments.uploadsBusy(["running": String(running)]))
            }
        }
    }

    /// Reserves `size` bytes for `upload`: refused when the login's files no draft carries (stored
    /// in the last two days, the daily removal's window, and running) would pass the quota, or the
    /// disk would keep less than its reserve after every running upload.
    func reserve(_ size: Int64, for upload: Running, now: Instant) throws(RPCError) {
        let since = Instant(seconds: now.seconds - 2 * Scheduler.uploadGraceSeconds)
        let stored: Int64
        do {
            stored = try store.unreferencedBytes(uploadedBy: upload.login, since: since)
        } catch {
            throw error.rpc("the uploads could not be counted", dataDirectory: store.directory)
        }
        // Unknown free space counts as none: an upload is refused rather than a registration later.
        let free = DataDirectoryLock.freeBytes(store.directory) ?? 0
        let verdict = declared.withLock { declared -> Refused? in
            let mine = stored + declared[upload.login, default: 0]
            if mine + size > limits.unreferencedPerUser {
                return Refusals.Attachments.overQuota([
                    "held": AttachmentServiceHandlers.megabytes(mine),
                    "size": AttachmentServiceHandlers.megabytes(size),
                    "quota": AttachmentServiceHandlers.megabytes(limits.unreferencedPerUser),
                ])
            }
            let pending: Int64 = declared.values.reduce(Int64(0)) { $0 + $1 }
            if free - pending - size < limits.diskReserve {
                return Refusals.Attachments.diskReserve([
                    "free": AttachmentServiceHandlers.megabytes(max(0, free)),
                    "reserve": AttachmentServiceHandlers.megabytes(limits.diskReserve),
                    "size": AttachmentServiceHandlers.megabytes(size),
                ])
            }
            declared[upload.login, default: 0] += size
            return nil
        }
        if let verdict { throw RPCError(.resourceExhausted, verdict) }
        upload.reserved.withLock { $0 += size }
    }

    fileprivate func release(_ bytes: Int64, of login: String) {
        declared.withLock { declared in
            let left = declared[login, default: 0] - bytes
            declared[login] = left > 0 ? left : nil
        }
    }
}
