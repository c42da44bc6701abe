import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `otklikd recover`: copies every row that can still be read from a damaged database into a
/// new file beside it. The damaged file is only read; nothing is changed or removed.
///
/// Table by table (the schema itself must read), rows are read in rowid order from the table's
/// own b-tree; where a page does not read, the copy seeks past it (rowid + 1, + 2, + 4, ...) and
/// goes on, so one bad page costs the rows on it, not the table. Indexes and triggers are created
/// afresh at the end. (The sqlite3 shell's `.recover` of Debian 12 fails on this schema; this is ours.)
public enum Salvage {
    public struct Report: Sendable {
        public var file: String
        /// Rows copied, by table.
        public var rows: [String: Int]
        /// Tables where some rows could not be read, with the first reason.
        public var gaps: [String: String]
        /// The newest event the copy holds.
        public var lastEvent: Int64
    }

    public static func run(directory: String) throws(StoreError) -> Report {
        let damaged = (directory as NSString).appendingPathComponent(Store.fileName)
        guard FileManager.default.fileExists(atPath: damaged) else {
            throw .cannotOpen(path: damaged, reason: "there is no database here")
        }
        let stamp = Int(Date().timeIntervalSince1970)
        let target = (directory as NSString).appendingPathComponent("otklik.recovered-\(stamp).sqlite3")
        var source: OpaquePointer?, copy: OpaquePointer?
        defer {
            sqlite3_close_v2(source)
            sqlite3_close_v2(copy)
        }
        guard Connection.open(damaged, SQLITE_OPEN_READONLY, &source) == SQLITE_OK else {
            throw .cannotOpen(path: damaged, reason: String(cString: sqlite3_errmsg(source)))
        }
        guard
            Connection.open(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &copy)
                == SQLITE_OK
        else {
            throw .cannotOpen(path: target, reason: String(cString: sqlite3_errmsg(copy)))
        }
        Connection.registerWordForms(copy)
        guard let objects = Repair.schemaObjects(source) else {
            throw .corrupt(
                path: damaged,
                findings: ["its schema cannot be read (\(String(cString: sqlite3_errmsg(source)))); restore a backup"])
        }
        var report = Report(file: target, rows: [:], gaps: [:], lastEvent: 0)
        try Repair.recreate(objects, in: copy, bestEffort: true) { table throws(StoreError) in
            let (rows, gap) = try copyRows(table, from: source, to: copy)
            report.rows[table] = rows
            if let gap { report.gaps[table] = gap }
        }
        _ = Repair.each(copy, "SELECT coalesce(max(id), 0) FROM events") {
            report.lastEvent = sqlite3_column_int64($0, 0)
        }
        chmod(target, 0o600)
        return report
    }

    /// Copies the rows of `table` in rowid order, seeking past what does not read.
    private static func copyRows(_ table: String, from source: OpaquePointer?, to copy: OpaquePointer?)
        throws(StoreError) -> (Int, String?)
    {
        var columns: Int32 = 0
        var insert: OpaquePointer?
        defer { sqlite3_finalize(insert) }
        var copied = 0
        var gap: String?
        var after: Int64 = Int64.min
        var skip: Int64 = 0
        while true {
            var select: OpaquePointer?
            let sql = "SELECT rowid, * FROM \"\(table)\" NOT INDEXED WHERE rowid > ? ORDER BY rowid"
            guard sqlite3_prepare_v2(source, sql, -1, &select, nil) == SQLITE_OK else {
                return (copied, gap ?? String(cString: sqlite3_errmsg(source)))
            }
            sqlite3_bind_int64(select, 1, after)
            var failed = false
            while true {
                let step = sqlite3_step(select)
                if step == SQLITE_DONE { break }
                guard step == SQLITE_ROW else {
                    failed = true
                    if gap == nil { gap = String(cString: sqlite3_errmsg(source)) }
                    break
                }
                if insert == nil {
                    columns = sqlite3_column_count(select) - 1
                    let marks = Array(repeating: "?", count: Int(columns) + 1).joined(separator: ", ")
                    // rowid first, so every row keeps its id (the event log's sequence numbers).
                    guard
                        sqlite3_prepare_v2(
                            copy, "INSERT INTO \"\(table)\" (rowid, \(try columnNames(table, copy))) VALUES (\(marks))",
                            -1, &insert, nil) == SQLITE_OK
                    else {
                        sqlite3_finalize(select)
                        throw .sqlite(code: sqlite3_errcode(copy), message: String(cString: sqlite3_errmsg(copy)))
                    }
                }
                for column in 0...columns {
                    let value = sqlite3_column_value(select, column)
                    sqlite3_bind_value(insert, column + 1, value)
                }
                if sqlite3_step(insert) == SQLITE_DONE { copied += 1 }
                sqlite3_reset(insert)
                after = sqlite3_column_int64(select, 0)
                skip = 0
            }
            sqlite3_finalize(select)
            guard failed else { return (copied, gap) }
            // Seek past the page that did not read: ever larger steps from the last good row.
            skip = skip == 0 ? 1 : skip * 2
            guard skip < 1 << 40 else { return (copied, gap) }
            let (moved, overflow) = (after == Int64.min ? 0 : after).addingReportingOverflow(skip)
            guard !overflow else { return (copied, gap) }
            after = moved
        }
    }

    private static func columnNames(_ table: String, _ db: OpaquePointer?) throws(StoreError) -> String {
        var names: [String] = []
        Repair.each(db, "SELECT name FROM pragma_table_info('\(table.replacingOccurrences(of: "'", with: "''"))')") {
            names.append("\"" + Repair.text($0, 0) + "\"")
        }
        return names.joined(separator: ", ")
    }
}
