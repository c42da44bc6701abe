import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Errors of the storage boundary. Messages name files and SQLite's words, never stored data.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data directory or database file cannot be opened or created.
    case cannotOpen(path: String, reason: String)
    /// `PRAGMA integrity_check` found damage; the daemon refuses to start on it.
    case corrupt(path: String, findings: [String])
    /// A table of the database does not read: the daemon refuses to start, and changes nothing.
    case damagedTable(path: String, table: String, reason: String)
    /// The database was written by a newer Otklik (a migration this build does not know).
    case newerSchema(found: Int, known: Int)
    /// A statement failed.
    case sqlite(code: Int32, message: String)
    /// The store was closed.
    case closed
    /// A draft names an attachment that is not stored (removed, or never uploaded).
    case missingAttachment(String)
    /// An attachment's file could not be written (errno's words in `reason`).
    case cannotWrite(path: String, reason: String, errno: Int32 = 0)
    /// A file passed to an upload by its descriptor could not be read whole: it ended (it shrank after
    /// it was measured) or reading it failed, after `received` bytes. The sender's file, not the store.
    case passedFileUnreadable(received: Int64, reason: String)
    /// A read spent its `QueryBudget` (its deadline passed, or its caller left) or was interrupted
    /// because the daemon is stopping, and was ended.
    case interrupted(QueryBudget.Exhaustion)

    /// SQLITE_FULL, or an I/O error whose cause was a full disk.
    public var isDiskFull: Bool {
        if case .sqlite(let code, let message) = self {
            return code & 0xff == 13 || message.contains("database or disk is full")
        }
        if case .cannotWrite(_, _, let code) = self { return code == ENOSPC || code == EDQUOT }
        return false
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the database \(path): \(reason)"
        case .corrupt(let path, let findings):
            "the database \(path) is damaged (\(findings.prefix(3).joined(separator: "; "))). Nothing was changed. "
                + "Run `otklikd recover --data \((path as NSString).deletingLastPathComponent)`: it copies what can be read into a new file beside this one and keeps this one; or restore a backup (otklik admin backup)."
        case .damagedTable(let path, let table, let reason):
            "the table \(table) of \(path) cannot be read (\(reason)). Nothing was changed. "
                + "Run `otklikd recover --data \((path as NSString).deletingLastPathComponent)`: it copies what can be read into a new file beside this one and keeps this one; or restore a backup (otklik admin backup)."
        case .newerSchema(let found, let known):
            "the database has schema version \(found), newer than this build knows (\(known)); run a newer otklikd"
        case .sqlite(let code, let message):
            "SQLite error \(code): \(message)"
        case .closed:
            "the store is closed"
        case .missingAttachment(let sha256):
            "attachment \(sha256) is not stored; upload it again"
        case .cannotWrite(let path, let reason, _):
            "cannot write \(path): \(reason)"
        case .passedFileUnreadable(let received, let reason):
            "the passed file could not be read after \(received) bytes: \(reason)"
        case .interrupted(.deadline):
            "the read ran out of its time and was ended"
        case .interrupted(.cancelled):
            "the read was ended: its caller left"
        }
    }
}
