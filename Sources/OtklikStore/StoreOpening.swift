import Foundation
import OtklikCore

/// Opening the store: the check at start and its mending, and the migrations (`Store.init`).
extension Store {
    /// Checks the file (a new one passes); when it fails and every table still reads, rebuilds it
    /// from its tables (indexes afresh) and checks again. Damaged tables refuse the start, changing
    /// nothing. Returns a note when it mended something.
    static func checkAndMend(path: String, check: Check) throws(StoreError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let connection = try Connection(path: path, readOnly: false)
            defer { connection.close() }
            try checkIntegrity(connection, path: path, check: check)
            return nil
        } catch {
            switch error {
            case .corrupt, .sqlite: break
            case .cannotOpen, .damagedTable, .newerSchema, .closed, .missingAttachment, .cannotWrite,
                .passedFileUnreadable, .interrupted:
                throw error
            }
            if let (table, reason) = Repair.unreadableTable(path: path) {
                if table == Repair.schema { throw .corrupt(path: path, findings: [reason]) }
                throw .damagedTable(path: path, table: table, reason: reason)
            }
            let kept = try Repair.rebuildFromTables(path: path)
            let connection = try Connection(path: path, readOnly: false)
            defer { connection.close() }
            try checkIntegrity(connection, path: path, check: .full)
            return
                "the database failed its check (\(error)) but every table read whole: rebuilt it from its tables with fresh indexes; the damaged file is kept as \(kept)"
        }
    }

    static func checkIntegrity(_ connection: Connection, path: String, check: Check) throws(StoreError) {
        var findings: [String] = []
        do {
            try connection.query(check.statement) { row in
                findings.append(row.text(0))
            }
        } catch {
            throw explainOpenFailure(path: path, error)
        }
        guard findings == ["ok"] else { throw .corrupt(path: path, findings: findings) }
    }

    /// Fills columns derived in Swift for rows written before they existed (migration 9): the URL
    /// key and the log time of each case's newest event. Runs once, inside that migration's
    /// transaction; later rows are written whole.
    static func fillDerivedColumns(_ connection: Connection, urlKey: (String, String) -> String)
        throws(StoreError)
    {
        var missing: [(id: String, network: String, url: String)] = []
        try connection.query("SELECT id, network, url FROM cases WHERE url_key IS NULL") { row in
            missing.append((row.text(0), row.text(1), row.text(2)))
        }
        for row in missing {
            try connection.query(
                "UPDATE cases SET url_key = ? WHERE id = ?", [.text(urlKey(row.network, row.url)), .text(row.id)])
        }
        try connection.execute(
            """
            UPDATE cases SET changed_at = (SELECT CAST(strftime('%s', max(time)) AS INTEGER) FROM events
                                           WHERE subject = cases.id AND case_version IS NOT NULL)
            WHERE changed_at IS NULL
            """)
    }

    /// Fills `cases.author_key` for rows written before migration 10 (later rows are written whole).
    static func fillAuthorKeys(_ connection: Connection) throws(StoreError) {
        var rows: [(id: String, author: String)] = []
        try connection.query("SELECT id, coalesce(json_extract(state, '$.author'), '') FROM cases") { row in
            rows.append((row.text(0), row.text(1)))
        }
        for row in rows {
            try connection.query(
                "UPDATE cases SET author_key = ? WHERE id = ?", [.text(Hints.authorKey(row.author)), .text(row.id)])
        }
    }

    /// Applies the migrations the file has not seen, each in its own transaction. Returns the version.
    static func migrate(
        _ connection: Connection, completing steps: [Int: (Connection) throws(StoreError) -> Void] = [:]
    ) throws(StoreError) -> Int {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)
        let current = Int(try connection.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations"))
        guard current <= Migrations.latestVersion else {
            throw .newerSchema(found: current, known: Migrations.latestVersion)
        }
        for migration in Migrations.all where migration.version > current {
            try connection.transaction { () throws(StoreError) in
                try connection.execute(migration.sql)
                try steps[migration.version]?(connection)
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [
                        .integer(Int64(migration.version)), .text(migration.name),
                        .text(EventTime.text(Instant(seconds: Int64(Date().timeIntervalSince1970)))),
                    ])
            }
        }
        return Migrations.latestVersion
    }
}
