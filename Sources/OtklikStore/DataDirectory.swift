public import Foundation
import OtklikCore
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// The data directory's guard: one daemon (or one offline tool such as `--rebuild-projections`) per
/// directory, and files closed to other users.
///
/// The lock is `flock` on `otklik.lock`, taken before anything else touches the directory and held
/// for the life of the process (the kernel drops it when the process ends, however it ends). The
/// file holds the holder's pid, so a refusal can say who holds it. The lock file also remembers that
/// a database was created here, so an empty database file where one had been is not taken for a
/// new installation.
public final class DataDirectoryLock: Sendable {
    public static let fileName = "otklik.lock"

    public let directory: String
    public let path: String
    private let fd: Int32
    /// The data directory itself, locked too: removing `otklik.lock` from under a running daemon
    /// cannot let a second one in (issue 25, M8), since the directory cannot be swapped while in use
    /// the way a file can.
    private let directoryFD: Int32
    private let released = Locked(false)

    /// Why the directory cannot be used.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case held(directory: String, pid: String)
        case openToOthers(path: String, mode: UInt32)
        case openToStaff(directory: String, mode: UInt32)
        case databaseGone(path: String, size: Int64)
        case system(what: String, path: String, errno: Int32)

        public var description: String {
            switch self {
            case .held(let directory, let pid):
                "another otklikd (pid \(pid)) is using the data directory \(directory); stop it first, or give this one another --data"
            case .openToOthers(let path, let mode):
                "\(path) has mode \(String(mode, radix: 8)) and is readable by every user of this machine, bypassing the rights; close it: chmod o-rwx \(path)"
            case .openToStaff(let directory, let mode):
                "the data directory \(directory) has mode \(String(mode, radix: 8)) and belongs to the socket's group, so every staff member could read the database, bypassing the rights; close it: chmod 700 \(directory) (StateDirectoryMode=0700 in the systemd unit)"
            case .databaseGone(let path, let size):
                "\(path) is \(size == 0 ? "empty" : "missing"), but this data directory held a database (\(DataDirectoryLock.fileName) says so); refusing to start on nothing. Put the database back (or restore a backup: see docs/ARCHITECTURE.md, Backups); to really start afresh, remove \(DataDirectoryLock.fileName) as well"
            case .system(let what, let path, let code):
                "cannot \(what) \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    /// The mode new files get: group-readable only when a group is given the socket (`--group`).
    public static func fileMode(shared: Bool) -> mode_t { shared ? 0o640 : 0o600 }

    /// Creates the directory if needed (0750 or 0700), checks the files in it are closed to others
    /// and takes the lock. Throws `.held` with the holder's pid when another process has it.
    /// `socketGroup`: the group staff connect through (`--group`); the data directory may not be open to it.
    public init(directory: String, socketGroup: UInt32?, shared: Bool? = nil) throws(Failure) {
        let shared = shared ?? (socketGroup != nil)
        self.directory = directory
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        var info = stat()
        if stat(directory, &info) != 0 {
            guard errno == ENOENT else { throw .system(what: "inspect", path: directory, errno: errno) }
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: nil)
            } catch {
                throw .system(what: "create", path: directory, errno: EACCES)
            }
            // Only the daemon's user enters it: the socket's group is for connecting, not for reading files.
            chmod(directory, 0o700)
        } else if let socketGroup, info.st_gid == socketGroup, UInt32(info.st_mode) & 0o050 != 0 {
            throw .openToStaff(directory: directory, mode: UInt32(info.st_mode) & 0o777)
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw .system(what: "open", path: directory, errno: errno) }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, Self.fileMode(shared: shared))
        guard fd >= 0 else {
            let code = errno
            close(directoryFD)
            throw .system(what: "open", path: path, errno: code)
        }
        for (locked, what) in [(directoryFD, directory), (fd, path)] where flock(locked, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            let holder = Self.readPID(fd)
            close(fd)
            close(directoryFD)
            if code == EWOULDBLOCK { throw .held(directory: directory, pid: holder.isEmpty ? "unknown" : holder) }
            throw .system(what: "lock", path: what, errno: code)
        }
        self.fd = fd
        self.directoryFD = directoryFD
        // The previous holder's marker line survives; the pid line is ours now.
        Self.record(fd, database: Self.hasMarker(fd))
        try checkModes()
    }

    deinit {
        release()
    }

    /// Lets another process have the directory (the daemon's stop, after the database is closed).
    public func release() {
        let first = released.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first {
            close(fd)
            close(directoryFD)
        }
    }

    /// Space kept on the data disk for the next start (`otklik.ballast`): a daemon that stopped cleanly
    /// on a disk that then filled up cannot create the WAL's shared-memory file and would not start at
    /// all, although it could serve every read (issue 25). The start releases it when the disk is full.
    public static let ballastName = "otklik.ballast"
    public static let ballastBytes: Int64 = 8 << 20

    /// Before the database is opened: on a disk with less than a megabyte free, removes the ballast,
    /// so the start has room for its WAL and shared memory. True when it did.
    public func releaseBallastIfFull() -> Bool {
        guard let free = Self.freeBytes(directory), free < 1 << 20 else { return false }
        return unlink((directory as NSString).appendingPathComponent(Self.ballastName)) == 0
    }

    /// Once the database is open, before serving: puts the ballast back when the disk has room for it four
    /// times over. Allocated
    /// (`posix_fallocate`), not a sparse file, so removing it really frees the space.
    public func keepBallast() {
        let path = (directory as NSString).appendingPathComponent(Self.ballastName)
        var info = stat()
        if stat(path, &info) == 0, Int64(info.st_size) == Self.ballastBytes { return }
        guard let free = Self.freeBytes(directory), free > 4 * Self.ballastBytes else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        if posix_fallocate(fd, 0, off_t(Self.ballastBytes)) != 0 { ftruncate(fd, 0) }
    }

    /// Bytes an unprivileged writer may still use on the file system of `directory`; nil when it
    /// cannot be told. The one measure of free space: the ballast, the upload reserve and the
    /// disk-full refusal all read it.
    public static func freeBytes(_ directory: String) -> Int64? {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// Whether a database was created in this directory before (the marker line).
    public var hadDatabase: Bool { Self.hasMarker(fd) }

    /// Records that the database exists; called once it has been created.
    public func markDatabaseCreated() {
        guard !hadDatabase else { return }
        Self.record(fd, database: true)
    }

    /// Writes the lock file: this process's pid, then the marker line when a database exists.
    private static func record(_ fd: Int32, database: Bool) {
        let content = "\(getpid())\n" + (database ? "database\n" : "")
        ftruncate(fd, 0)
        _ = content.withCString { pwrite(fd, $0, strlen($0), 0) }
        fsync(fd)
    }

    /// Refuses to start on an empty or missing database file where a database had been: a file
    /// truncated or replaced by mistake must not be taken for a new, empty installation.
    public func checkDatabasePresent() throws(Failure) {
        guard hadDatabase else { return }
        let file = (directory as NSString).appendingPathComponent(Store.fileName)
        var info = stat()
        let size: Int64 = stat(file, &info) == 0 ? Int64(info.st_size) : -1
        if size <= 0 { throw .databaseGone(path: file, size: size) }
    }

    /// Refuses to start when the directory's files are open to every user.
    private func checkModes() throws(Failure) {
        let names = [Self.fileName, Store.fileName, Store.fileName + "-wal", Store.fileName + "-shm"]
        for name in names {
            let file = (directory as NSString).appendingPathComponent(name)
            var info = stat()
            guard stat(file, &info) == 0 else { continue }
            let mode = UInt32(info.st_mode) & 0o777
            if mode & 0o007 != 0 { throw .openToOthers(path: file, mode: mode) }
        }
    }

    private static func readAll(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = pread(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }

    private static func readPID(_ fd: Int32) -> String {
        String(readAll(fd).split(separator: "\n").first ?? "")
    }

    private static func hasMarker(_ fd: Int32) -> Bool {
        readAll(fd).split(separator: "\n").dropFirst().contains("database")
    }
}
