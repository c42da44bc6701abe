import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Writes a consistent copy of the database to `destination` (a new file, mode 0600) with
    /// SQLite's online backup API, while writes go on: the copy is the database as of one
    /// transaction. Returns the newest event id the copy holds. The file is synced before return.
    /// A new name in the data directory for a backup's database copy while it is streamed. The copy
    /// lives there only while SQLite writes it: the service opens it and unlinks it before streaming,
    /// and what a killed daemon left is removed at the next start (`removeBackupLeftovers`).
    public func backupTemporaryPath() -> String {
        (directory as NSString).appendingPathComponent(
            "\(Self.backupPrefix)\(getpid())-\(UInt64.random(in: 0...UInt64.max))\(Self.backupSuffix)")
    }

    /// Removes the database copies of backups a killed daemon left in the data directory (at start,
    /// before any backup runs). Returns how many (issue 25, M4: three kills had left 347 MiB).
    @discardableResult
    public func removeBackupLeftovers() -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(Self.backupPrefix) && name.hasSuffix(Self.backupSuffix) {
            if unlink((directory as NSString).appendingPathComponent(name)) == 0 { removed += 1 }
            unlink((directory as NSString).appendingPathComponent(name + "-journal"))
        }
        return removed
    }

    static let backupPrefix = "backup-"
    static let backupSuffix = ".tmp"

    public func backup(to destination: String) throws(StoreError) -> Int64 {
        try backupWithAttachments(to: destination).newest
    }

    /// `backup(to:)`, and the SHA-256 of every attachment the copy records (its files go with it).
    public func backupWithAttachments(to destination: String) throws(StoreError) -> (
        newest: Int64, attachments: [String]
    ) {
        guard FileManager.default.createFile(atPath: destination, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw .cannotOpen(path: destination, reason: "cannot create the backup file")
        }
        // A connection of its own: the copy reads one snapshot without holding a reader others use.
        var source: OpaquePointer?
        var target: OpaquePointer?
        defer {
            sqlite3_close_v2(source)
            sqlite3_close_v2(target)
        }
        guard Connection.open(path, SQLITE_OPEN_READONLY, &source) == SQLITE_OK,
            Connection.open(destination, SQLITE_OPEN_READWRITE, &target) == SQLITE_OK
        else {
            throw .cannotOpen(path: destination, reason: String(cString: sqlite3_errmsg(target ?? source)))
        }
        guard let copy = sqlite3_backup_init(target, "main", source, "main") else {
            throw .sqlite(code: sqlite3_errcode(target), message: String(cString: sqlite3_errmsg(target)))
        }
        // One step over all pages: one read transaction, so the copy is one consistent snapshot.
        let step = sqlite3_backup_step(copy, -1)
        let finished = sqlite3_backup_finish(copy)
        guard step == SQLITE_DONE, finished == SQLITE_OK else {
            throw .sqlite(code: step == SQLITE_DONE ? finished : step, message: String(cString: sqlite3_errmsg(target)))
        }
        // The copy is a plain database file: no WAL beside it.
        try? Repair.execute(target, "PRAGMA journal_mode=DELETE;")
        var newest: Int64 = 0
        Repair.each(target, "SELECT coalesce(max(id), 0) FROM events") { newest = sqlite3_column_int64($0, 0) }
        var attachments: [String] = []
        Repair.each(target, "SELECT sha256 FROM attachments ORDER BY sha256") { attachments.append(Repair.text($0, 0)) }
        let fd = open(destination, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            Glibc.close(fd)
        }
        return (newest, attachments)
    }
}
