import Foundation
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// The record of a clean stop (`otklik.sqlite3.clean`): written when the store closes, removed
/// (durably) when it opens. It tells the `auto` check at start which check the file needs:
/// - none: closed cleanly and untouched since (the main file and its WAL as they were left). The cost
///   of an integrity check grows with the file, and a clean stop followed by no change needs none;
/// - `quick`: closed cleanly by a daemon that left checkpoints to a replicator (`--replicated`), and
///   since then only a checkpointer moved pages from the WAL into the main file: the same file (device
///   and inode) holds the same log (its newest event and the last migration). Litestream does exactly
///   that a minute after the stop. The page-level check still runs, since another process wrote pages;
/// - `full`: anything else. After a crash, a kill or a power cut (no record) it runs once serving has
///   begun (`OwedCheck`); a file replaced or changed while the daemon was down, or a replicated record
///   read by a daemon started without `--replicated`, is checked before serving.
enum CleanStop {
    static func path(of database: String) -> String { database + ".clean" }

    /// What the start must check, given the record and the file as it is now.
    enum Verdict: Equatable {
        case untouched
        case checkpointedByReplicator
        /// No record: the last run did not stop cleanly (a crash, a kill, a power cut) or this is a
        /// file no daemon of this kind stopped (a standby's restored copy).
        case noRecord
        /// A record that does not match the file: it changed while the daemon was down.
        case changed
    }

    /// The file as a clean stop records it: the main file's and the WAL's size and modification time
    /// in ns (a WAL that is not there or empty, as a read-only opening leaves it: `-`), and the main
    /// file's device and inode.
    struct Files: Equatable {
        var device: UInt64
        var inode: UInt64
        var main: String
        var wal: String

        init?(of database: String) {
            var info = stat()
            guard stat(database, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            main = Self.sizeAndTime(info)
            var walInfo = stat()
            wal = stat(database + "-wal", &walInfo) == 0 && walInfo.st_size > 0 ? Self.sizeAndTime(walInfo) : "-"
        }

        init(device: UInt64, inode: UInt64, main: String, wal: String) {
            self.device = device
            self.inode = inode
            self.main = main
            self.wal = wal
        }

        private static func sizeAndTime(_ info: stat) -> String {
            "\(info.st_size):\(info.st_mtim.tv_sec):\(info.st_mtim.tv_nsec)"
        }
    }

    /// The record's fields. `log`: the newest event's id and a digest of its row and of the last
    /// migration (what no checkpointer changes).
    struct Record: Equatable {
        var replicated: Bool
        var files: Files
        var log: String

        var line: String {
            [
                "v2", replicated ? "replicated" : "plain", "\(files.device)", "\(files.inode)", files.main, files.wal,
                log,
            ]
            .joined(separator: " ")
        }

        init(replicated: Bool, files: Files, log: String) {
            self.replicated = replicated
            self.files = files
            self.log = log
        }

        init?(line: String) {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 7, fields[0] == "v2", fields[1] == "replicated" || fields[1] == "plain",
                let device = UInt64(fields[2]), let inode = UInt64(fields[3])
            else { return nil }
            self.init(
                replicated: fields[1] == "replicated",
                files: Files(device: device, inode: inode, main: fields[4], wal: fields[5]), log: fields[6])
        }
    }

    /// What the last stop left, for a start with or without `--replicated`. `log` reads the file's
    /// log fingerprint (only asked when the answer depends on it; nil when it cannot be read).
    static func verdict(_ database: String, replicated: Bool, log: () -> String?) -> Verdict {
        guard let text = try? String(contentsOfFile: path(of: database), encoding: .utf8) else { return .noRecord }
        guard let now = Files(of: database) else { return .changed }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let record = Record(line: line) else {
            // The first version's record (the main file's "size sec nsec", written only after a full
            // checkpoint had removed the WAL): still honoured, so an upgrade does not cost a full check.
            return now.wal == "-" && line == now.main.replacingOccurrences(of: ":", with: " ") ? .untouched : .changed
        }
        if record.files == now { return .untouched }
        guard record.replicated, replicated, record.files.device == now.device, record.files.inode == now.inode,
            let current = log(), current == record.log
        else { return .changed }
        return .checkpointedByReplicator
    }

    /// The newest event's id the last clean stop recorded (nil without a record of this version).
    static func recordedLastEvent(_ database: String) -> Int64? {
        guard let text = try? String(contentsOfFile: path(of: database), encoding: .utf8),
            let record = Record(line: text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        return record.log.split(separator: ":").first.flatMap { Int64($0) }
    }

    /// The log's fingerprint on an open connection: the newest event's id, and a digest of that
    /// event's row and of the newest migration's.
    static func logFingerprint(_ connection: Connection) throws(StoreError) -> String {
        var row = ""
        try connection.query(
            "SELECT id, time, actor, kind, subject, hex(payload) FROM events ORDER BY id DESC LIMIT 1"
        ) { found in
            row = (0..<6).map { found.text(Int32($0)) }.joined(separator: "\u{1F}")
        }
        try connection.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version DESC LIMIT 1") {
            found in
            row += "\u{1E}" + (0..<3).map { found.text(Int32($0)) }.joined(separator: "\u{1F}")
        }
        let id = row.split(separator: "\u{1F}", maxSplits: 1).first.map(String.init) ?? "0"
        return "\(Int64(id) ?? 0):" + SHA256Digest.hex(of: Array(row.utf8))
    }

    /// The log's fingerprint of the closed file, through a short read-only connection; nil when the
    /// file cannot be read so far (the full check then runs and says why).
    static func logFingerprint(of database: String) -> String? {
        guard let connection = try? Connection(path: database, readOnly: true) else { return nil }
        defer { connection.close() }
        return try? logFingerprint(connection)
    }

    /// Records a clean stop of the closed database (a temporary file renamed into place, synced).
    static func record(_ database: String, replicated: Bool, log: String) {
        guard let files = Files(of: database) else { return }
        _ = replaceDurably(path(of: database), with: Record(replicated: replicated, files: files, log: log).line + "\n")
    }

    /// Puts `text` in `file` so that it outlives a crash that follows at once: a temporary file written,
    /// synced, renamed into place, the directory synced. False (nothing changed) when it could not.
    static func replaceDurably(_ file: String, with text: String) -> Bool {
        let temporary = file + ".tmp"
        guard writeSynced(temporary, text, flags: O_CREAT | O_TRUNC), rename(temporary, file) == 0 else {
            unlink(temporary)
            return false
        }
        syncDirectory(of: file)
        return true
    }

    /// Writes `text` at the start of `file` (opened with `flags` besides O_WRONLY) and syncs it.
    static func writeSynced(_ file: String, _ text: String, flags: Int32) -> Bool {
        let fd = open(file, O_WRONLY | O_CLOEXEC | flags, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let written = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return written == text.utf8.count && fsync(fd) == 0
    }

    /// Forgets the clean stop before the first write: a crash from here on leaves no record.
    static func forget(_ database: String) throws(StoreError) {
        guard unlink(path(of: database)) == 0 || errno == ENOENT else {
            throw .cannotOpen(path: path(of: database), reason: "cannot remove the record of the last clean stop")
        }
        syncDirectory(of: database)
    }

    static func syncDirectory(of database: String) {
        let fd = open((database as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
