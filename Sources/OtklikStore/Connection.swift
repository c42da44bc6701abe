import CSQLite
import OtklikCore
import Foundation

/// One SQLite connection. Not thread-safe: each is confined to one queue by `Store`.
final class Connection {
    private var handle: OpaquePointer?
    let path: String

    /// SQLite's limit for a write's journal in memory (the undo of a statement or of a savepoint within
    /// its transaction, which `Store.write` opens around each write), set once for the process before
    /// its first connection: the default, 64 KiB, sent a registration's journal (about 130 KiB) to a
    /// file in /var/tmp made, unlinked and closed at every commit. A registration's and an import's
    /// stay in memory; a rebuild's or a re-index's leaves it past this size, as a sorter's temporary
    /// data does at any size. `SQLITE_OK`, or `SQLITE_MISUSE` if SQLite had been used before.
    static let journalInMemory: Int32 = otklik_sqlite_statement_journal_spill(16 << 20)

    /// Opens the database at `path` with SQLite's open `flags` (each connection confined to one thread
    /// by its owner: no mutex). Every open in the process goes through here, so what SQLite takes once
    /// for the process (`journalInMemory`) is set before its first. `db` is set even when the open
    /// fails (it holds the message): the caller closes it either way.
    static func open(_ path: String, _ flags: Int32, _ db: inout OpaquePointer?) -> Int32 {
        _ = journalInMemory
        return sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
    }

    init(path: String, readOnly: Bool) throws(StoreError) {
        self.path = path
        var db: OpaquePointer?
        let code = Self.open(path, readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(db)
            throw .cannotOpen(path: path, reason: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
        Self.registerWordForms(db)
    }

    deinit {
        close()
    }

    func close() {
        guard let db = handle else { return }
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        sqlite3_close_v2(db)
        handle = nil
    }

    /// Prepared statements by their SQL, reused (a registration runs a dozen statements: parsing
    /// them each time was a tenth of its work). Bounded; a statement in use is never handed out twice.
    private var statements: [String: OpaquePointer] = [:]
    private var inUse: Set<OpaquePointer> = []
    static let cachedStatements = 128

    /// A prepared statement for `sql` (from the cache when free) and whether it is cached.
    private func statement(_ sql: String) throws(StoreError) -> (OpaquePointer, cached: Bool) {
        if let cached = statements[sql], !inUse.contains(cached) { return (cached, true) }
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v3(try db(), sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard prepared == SQLITE_OK, let statement else { throw error(prepared) }
        guard statements[sql] == nil else { return (statement, false) }
        if statements.count >= Self.cachedStatements {
            // Dynamic SQL (lists with filters) must not grow the cache: start again.
            for (key, old) in statements where !inUse.contains(old) {
                sqlite3_finalize(old)
                statements[key] = nil
            }
        }
        statements[sql] = statement
        return (statement, true)
    }

    private func db() throws(StoreError) -> OpaquePointer {
        guard let handle else { throw .closed }
        return handle
    }

    private func error(_ code: Int32) -> StoreError {
        .sqlite(
            code: code,
            message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code)))
    }

    /// Ends the statement running on this connection at its next step (SQLITE_INTERRUPT). The one call
    /// safe from another thread while the connection is in use; never after `close`.
    func interrupt() {
        if let handle { sqlite3_interrupt(handle) }
    }

    /// Runs `body` with the raw handle (code shared with the repair tools, which have no Connection).
    func withHandle<T>(_ body: (OpaquePointer?) throws(StoreError) -> T) throws(StoreError) -> T {
        try body(try db())
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(StoreError) {
        let db = try db()
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(db, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw .sqlite(code: code, message: text)
        }
    }

    /// Runs a statement with bound values, calling `row` for each result row.
    func query(_ sql: String, _ values: [Value] = [], row: (Row) throws(StoreError) -> Void = { _ in })
        throws(StoreError)
    {
        let (statement, cached) = try statement(sql)
        inUse.insert(statement)
        defer {
            inUse.remove(statement)
            if cached {
                // Reset at once: a statement left stepping holds its read snapshot (and the WAL).
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            } else {
                sqlite3_finalize(statement)
            }
        }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(statement, position)
            case .integer(let number): code = sqlite3_bind_int64(statement, position, number)
            case .text(let text): code = sqlite3_bind_text(statement, position, text, -1, otklik_sqlite_transient())
            case .real(let number): code = sqlite3_bind_double(statement, position, number)
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(
                        statement, position, buffer.baseAddress, Int32(buffer.count), otklik_sqlite_transient())
                }
            }
            guard code == SQLITE_OK else { throw error(code) }
        }
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw error(step) }
            try row(Row(statement: statement))
        }
    }

    /// The first column of the first row, as an integer (0 when there is no row).
    func scalar(_ sql: String, _ values: [Value] = []) throws(StoreError) -> Int64 {
        var result: Int64 = 0
        try query(sql, values) { row in result = row.integer(0) }
        return result
    }

    /// Rows the last statement inserted, changed or deleted.
    var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }

    var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A value bound to or read from a statement.
public enum Value: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case real(Double)
}

extension Value {
    /// An instant as the tables keep it: Unix seconds.
    static func instant(_ instant: Instant) -> Value { .integer(instant.seconds) }
}

/// The current row of a running statement; valid only inside the `row` callback.
struct Row {
    let statement: OpaquePointer

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: pointer)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

extension Connection {
    /// Makes `otklik_stems(text)` (`stemText`) callable from SQL on `db`, for the index's fills by
    /// migration, rebuild and salvage.
    static func registerWordForms(_ db: OpaquePointer?) {
        sqlite3_create_function_v2(
            db, "otklik_stems", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, count, values in
                guard count == 1, let value = values?[0], let text = sqlite3_value_text(value) else {
                    sqlite3_result_text(context, "", 0, otklik_sqlite_transient())
                    return
                }
                let stems = WordForms.stemText(String(cString: text))
                sqlite3_result_text(context, stems, -1, otklik_sqlite_transient())
            }, nil, nil, nil)
    }

    // The derived tables' fills (`Migrations.derivedTables`): on a handle, since a rebuild and a
    // salvage run them on a file they opened themselves.

    /// Fills the topic index from the cases (a rebuilt or salvaged file).
    static func fillTopics(_ db: OpaquePointer?) throws(StoreError) {
        let code = sqlite3_exec(db, Migrations.topicFill, nil, nil, nil)
        guard code == SQLITE_OK else {
            throw .sqlite(code: code, message: db.map { String(cString: sqlite3_errmsg($0)) } ?? "")
        }
    }

    /// Fills `case_word_keys` from the text index: the significant words of every text (the same
    /// words a registration writes). Reads `case_text` in rowid order, inserts as it goes.
    /// Fills `reply_texts` (`replies`) or `draft_pace` from every case's projection, the rows
    /// `Store.derivedRows` gives, as `writeProjection` writes them: by migrations 19 and 20, and when a
    /// damaged file is rebuilt or salvaged.
    static func fillCaseRows(_ db: OpaquePointer?, replies: Bool) throws(StoreError) {
        var cases: OpaquePointer?
        var insert: OpaquePointer?
        defer {
            sqlite3_finalize(cases)
            sqlite3_finalize(insert)
        }
        let failed = { (code: Int32) -> StoreError in
            .sqlite(code: code, message: db.map { String(cString: sqlite3_errmsg($0)) } ?? "")
        }
        var code = sqlite3_prepare_v2(
            db, "SELECT state_bin, CASE WHEN state_bin IS NULL THEN state ELSE NULL END FROM cases", -1, &cases, nil)
        guard code == SQLITE_OK else { throw failed(code) }
        code = sqlite3_prepare_v2(
            db,
            replies
                ? "INSERT OR IGNORE INTO reply_texts (key, case_id) VALUES (?, ?)"
                : "INSERT OR IGNORE INTO draft_pace (unit, drafted_at, assignment, started_at) VALUES (?, ?, ?, ?)",
            -1, &insert, nil)
        guard code == SQLITE_OK else { throw failed(code) }
        let decoder = JSONDecoder()
        func run() throws(StoreError) {
            code = sqlite3_step(insert)
            sqlite3_reset(insert)
            guard code == SQLITE_DONE else { throw failed(code) }
        }
        while true {
            code = sqlite3_step(cases)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failed(code) }
            let bytes = sqlite3_column_blob(cases, 0).map { pointer in
                Array(UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(cases, 0))))
            }
            let json = sqlite3_column_text(cases, 1).map { String(cString: $0) }
            // A row that reads neither way is left for the projection's own repair (a rebuild writes it).
            guard
                let state = bytes.flatMap({ CaseState(binary: $0) })
                    ?? json.flatMap({ try? decoder.decode(CaseState.self, from: Data($0.utf8)) })
            else { continue }
            let rows = Store.derivedRows(state)
            if replies {
                for key in rows.replyKeys {
                    sqlite3_bind_text(insert, 1, key, -1, otklik_sqlite_transient())
                    sqlite3_bind_text(insert, 2, state.id, -1, otklik_sqlite_transient())
                    try run()
                }
            } else {
                for row in rows.pace {
                    sqlite3_bind_text(insert, 1, row.unit, -1, otklik_sqlite_transient())
                    sqlite3_bind_int64(insert, 2, row.drafted.seconds)
                    sqlite3_bind_text(insert, 3, row.assignment, -1, otklik_sqlite_transient())
                    sqlite3_bind_int64(insert, 4, row.started.seconds)
                    try run()
                }
            }
        }
    }

    static func fillWordKeys(_ db: OpaquePointer?) throws(StoreError) {
        var texts: OpaquePointer?
        var insert: OpaquePointer?
        defer {
            sqlite3_finalize(texts)
            sqlite3_finalize(insert)
        }
        let failed = { (code: Int32) -> StoreError in
            .sqlite(code: code, message: db.map { String(cString: sqlite3_errmsg($0)) } ?? "")
        }
        var code = sqlite3_prepare_v2(db, "SELECT rowid, text FROM case_text", -1, &texts, nil)
        guard code == SQLITE_OK else { throw failed(code) }
        code = sqlite3_prepare_v2(
            db, "INSERT OR IGNORE INTO case_word_keys (word, key) VALUES (?, ?)", -1, &insert, nil)
        guard code == SQLITE_OK else { throw failed(code) }
        while true {
            code = sqlite3_step(texts)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failed(code) }
            let key = sqlite3_column_int64(texts, 0)
            let text = sqlite3_column_text(texts, 1).map { String(cString: $0) } ?? ""
            for word in Hints.significantWords(text) {
                sqlite3_bind_text(insert, 1, word, -1, otklik_sqlite_transient())
                sqlite3_bind_int64(insert, 2, key)
                code = sqlite3_step(insert)
                sqlite3_reset(insert)
                guard code == SQLITE_DONE else { throw failed(code) }
            }
        }
    }
}

extension Connection {
    /// SQLite virtual-machine instructions between two looks at the budget: tens of microseconds, and
    /// a look (a lock and the monotonic clock) costs well under a microsecond. A full-text match does
    /// its index work inside few instructions, which is why its terms are bounded before it runs.
    static let budgetInstructions: Int32 = 1000

    /// Runs `body` with `budget` watching every statement it runs: SQLite's progress handler ends the
    /// statement once the budget is spent, and the read throws `StoreError.interrupted`.
    func withBudget<T>(_ budget: QueryBudget, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try withHandle { handle throws(StoreError) in
            let context = Unmanaged.passRetained(budget)
            sqlite3_progress_handler(
                handle, Self.budgetInstructions,
                { pointer in
                    guard let pointer else { return 0 }
                    return Unmanaged<QueryBudget>.fromOpaque(pointer).takeUnretainedValue().isExhausted() ? 1 : 0
                }, context.toOpaque())
            defer {
                sqlite3_progress_handler(handle, 0, nil, nil)
                context.release()
            }
            do throws(StoreError) {
                return try body()
            } catch {
                if let why = budget.exhaustion { throw .interrupted(why) }
                throw error
            }
        }
    }
}
