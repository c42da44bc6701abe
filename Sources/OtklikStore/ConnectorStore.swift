import OtklikCore

/// The connectors' last reports (issue 29), kept in `settings` under `connector/...` so that a daemon
/// restarted knows how each stood: a connector stopped for good (its token refused) stays shown, and a
/// connector still in trouble is not announced twice.
extension Store {
    static let connectorPrefix = "connector/"

    /// Every connector's last report as stored: (key, JSON).
    public func connectorReports() throws(StoreError) -> [(key: String, json: String)] {
        try read { connection throws(StoreError) in
            var rows: [(key: String, json: String)] = []
            try connection.query(
                "SELECT key, value FROM settings WHERE key >= ? AND key < ? ORDER BY key",
                [.text(Self.connectorPrefix), .text("connector0")]
            ) { rows.append(($0.text(0), $0.text(1))) }
            return rows
        }
    }

    /// Keeps a connector's last report under `key` (its login, network and community).
    public func saveConnectorReport(key: String, json: String) throws(StoreError) {
        try write { connection throws(StoreError) in
            try connection.query(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                [.text(Self.connectorPrefix + key), .text(json)])
        }
    }
}
