import Foundation

/// Checking a database file beside a running daemon (`otklikd check`) and saying what an open's
/// failure means.
extension Store {
    /// `PRAGMA integrity_check` of the database in `directory` through a read-only connection (beside a
    /// running daemon too: it reads one snapshot), changing nothing: `["ok"]` or what it found.
    public static func verify(directory: String) throws(StoreError) -> [String] {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            throw .cannotOpen(path: path, reason: "there is no database here")
        }
        let connection: Connection
        do {
            connection = try Connection(path: path, readOnly: true)
        } catch {
            throw explainOpenFailure(path: path, error)
        }
        defer { connection.close() }
        var findings: [String] = []
        do {
            try connection.query("PRAGMA integrity_check") { findings.append($0.text(0)) }
        } catch {
            throw explainOpenFailure(path: path, error)
        }
        return findings
    }

    static func explainOpenFailure(path: String, _ error: StoreError) -> StoreError {
        if case .sqlite(let code, _) = error,
            code & 0xff == 26 /* SQLITE_NOTADB */ || code & 0xff == 11 /* SQLITE_CORRUPT */
        {
            return .corrupt(path: path, findings: ["file is not a database"])
        }
        return error
    }
}
