import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What can be done about a database file that fails its check at start.
///
/// The tables are the data (the event log, the directory, the calendar) and the indexes only a way
/// to find it. So: when every table still reads whole, the file is rebuilt from its tables into a
/// new one (indexes made afresh), the damaged file kept beside it; when a table does not read, the
/// daemon refuses to start and points to `otklikd recover`, which never deletes anything.
enum Repair {
    /// Named as the unreadable "table" when not even the schema reads (not a database at all).
    static let schema = "(schema)"

    /// Reads every row of every table. Nil when all read; otherwise the first table that does not.
    static func unreadableTable(path: String) -> (table: String, reason: String)? {
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        guard Connection.open(path, SQLITE_OPEN_READONLY, &db) == SQLITE_OK else {
            return (schema, String(cString: sqlite3_errmsg(db)))
        }
        var tables: [String] = []
        guard
            each(
                db,
                // A virtual table (the text index) is read through its shadow tables, which are listed.
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'",
                { tables.append(text($0, 0)) })
        else {
            return (schema, String(cString: sqlite3_errmsg(db)))
        }
        for table in tables where !scanRows(db, table) {
            return (table, String(cString: sqlite3_errmsg(db)))
        }
        return nil
    }

    /// A full scan of the table's own b-tree (NOT INDEXED), reading every column of every row, so
    /// overflow pages too.
    private static func scanRows(_ db: OpaquePointer?, _ table: String) -> Bool {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT * FROM \"\(table)\" NOT INDEXED", -1, &statement, nil) == SQLITE_OK else {
            return false
        }
        defer { sqlite3_finalize(statement) }
        let columns = sqlite3_column_count(statement)
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return true }
            guard step == SQLITE_ROW else { return false }
            for column in 0..<columns { _ = sqlite3_column_bytes(statement, column) }
        }
    }

    /// Rebuilds `path` from its tables: a new file with the same schema, every row copied through the
    /// tables (never the old index pages), indexes and triggers created afterwards, checked; then the
    /// damaged file (and its WAL) is renamed aside and the new one takes its place. Returns where
    /// the damaged file went.
    static func rebuildFromTables(path: String) throws(StoreError) -> String {
        let fresh = path + ".rebuilding"
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(fresh + suffix) }
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        guard
            Connection.open(fresh, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db)
                == SQLITE_OK
        else {
            throw .cannotOpen(path: fresh, reason: String(cString: sqlite3_errmsg(db)))
        }
        Connection.registerWordForms(db)
        try execute(db, "ATTACH DATABASE '\(path.replacingOccurrences(of: "'", with: "''"))' AS damaged")
        guard let objects = schemaObjects(db, schema: "damaged") else {
            throw .sqlite(code: sqlite3_errcode(db), message: String(cString: sqlite3_errmsg(db)))
        }
        try recreate(objects, in: db) { table throws(StoreError) in
            // The new table has no index yet, so no b-tree of the damaged file but the table's is read.
            try execute(db, "INSERT INTO main.\"\(table)\" SELECT * FROM damaged.\"\(table)\" NOT INDEXED")
        }
        try execute(db, "DETACH DATABASE damaged")
        var findings: [String] = []
        _ = each(db, "PRAGMA integrity_check") { findings.append(text($0, 0)) }
        guard findings == ["ok"] else { throw .corrupt(path: fresh, findings: findings) }
        sqlite3_close_v2(db)
        db = nil
        let stamp = Int(Date().timeIntervalSince1970)
        let kept = path + ".damaged-\(stamp)"
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            rename(path + suffix, kept + suffix)
        }
        guard rename(path, kept) == 0, rename(fresh, path) == 0 else {
            throw .cannotOpen(
                path: path, reason: "cannot put the rebuilt file in place: \(String(cString: strerror(errno)))")
        }
        return kept
    }

    /// A table, index, trigger or view, with the SQL that creates it.
    typealias SchemaObject = (type: String, name: String, sql: String)

    /// The user objects of `schema` ("main", or an attached database's name) in creation order; nil
    /// when the schema does not read. A virtual table's shadow tables are left out: creating the
    /// virtual table creates them.
    static func schemaObjects(_ db: OpaquePointer?, schema: String = "main") -> [SchemaObject]? {
        var objects: [SchemaObject] = []
        let read = each(
            db,
            "SELECT type, name, sql FROM \(schema).sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ) {
            objects.append((text($0, 0), text($0, 1), text($0, 2)))
        }
        let virtual = objects.filter(isVirtual).map(\.name)
        objects.removeAll { object in
            !isVirtual(object) && virtual.contains { object.type == "table" && object.name.hasPrefix($0 + "_") }
        }
        return read ? objects : nil
    }

    static func isVirtual(_ object: SchemaObject) -> Bool { object.sql.hasPrefix("CREATE VIRTUAL TABLE") }

    /// Creates `objects` in `db` in one transaction: each table, filled by `fill` right after it is
    /// created (before any index exists, so the fill never reads an old index), then the indexes,
    /// triggers and views. With `bestEffort`, one of those that fails to create is left out.
    static func recreate(
        _ objects: [SchemaObject], in db: OpaquePointer?, bestEffort: Bool = false,
        fill: (String) throws(StoreError) -> Void
    ) throws(StoreError) {
        try execute(db, "BEGIN")
        for object in objects where object.type == "table" {
            try execute(db, object.sql)
            // A virtual table (the text index) and a derived table (the word keys) hold derived data:
            // refilled from the tables below, not copied.
            if !isVirtual(object), Migrations.derivedTables[object.name] == nil { try fill(object.name) }
        }
        for object in objects where isVirtual(object) {
            guard let refill = Migrations.derivedFills[object.name] else { continue }
            do {
                try execute(db, refill)
            } catch {
                if !bestEffort { throw error }
            }
        }
        for object in objects where object.type == "table" {
            guard let refill = Migrations.derivedTables[object.name] else { continue }
            do {
                try refill(db)
            } catch {
                if !bestEffort { throw error }
            }
        }
        for object in objects where object.type != "table" {
            do {
                try execute(db, object.sql)
            } catch {
                if !bestEffort { throw error }
            }
        }
        try execute(db, "COMMIT")
    }

    /// Runs statements that return no rows.
    static func execute(_ db: OpaquePointer?, _ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(db, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else { throw .sqlite(code: code, message: message.map { String(cString: $0) } ?? "") }
    }

    /// Runs `sql`, calling `row` for each result row; false on an error.
    @discardableResult
    static func each(_ db: OpaquePointer?, _ sql: String, _ row: (OpaquePointer) -> Void) -> Bool {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { return false }
        defer { sqlite3_finalize(statement) }
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return true }
            guard step == SQLITE_ROW else { return false }
            row(statement)
        }
    }

    static func text(_ statement: OpaquePointer, _ column: Int32) -> String {
        sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
    }
}
