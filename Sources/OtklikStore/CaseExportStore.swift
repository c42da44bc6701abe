public import OtklikCore

/// The export's reads (`Cases/ExportCases`): whole pages of cases in one statement, each from its
/// binary projection.
extension Store {
    /// The cases detected in `[from, to)` (nil: unbounded on that side), after `after` in a case list's
    /// order (newest detection first), at most `limit`: one walk of `cases_detected_id`, each case read
    /// from its binary projection (the JSON where there is none or it does not read, a row rebuilt
    /// from the log where neither reads), in that order.
    public func exportCases(
        from: Instant?, to: Instant?, after: (detectedAt: Instant, id: String)?, limit: Int
    ) throws(StoreError) -> [CaseState] {
        var conditions: [String] = []
        var values: [Value] = []
        if let from {
            conditions.append("detected_at >= ?")
            values.append(.instant(from))
        }
        // The page's upper end as one bound (`detected_at < to` is `(detected_at, id) < (to, '')`): the
        // index is then sought at it, where a range with a second upper bound would be walked from `to`.
        var upper = to.map { (detectedAt: $0, id: "") }
        if let after, upper.map({ (after.detectedAt, after.id) < ($0.detectedAt, $0.id) }) ?? true { upper = after }
        if let upper {
            conditions.append("(detected_at, id) < (?, ?)")
            values += [.instant(upper.detectedAt), .text(upper.id)]
        }
        values.append(.integer(Int64(limit)))
        let sql =
            "SELECT id, state_bin FROM cases INDEXED BY cases_detected_id"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY detected_at DESC, id DESC LIMIT ?"
        // Each row's state, or its place and text when the binary form is missing or does not read.
        var states: [CaseState?] = []
        var others: [(place: Int, id: String, json: String)] = []
        try read { connection throws(StoreError) in
            try connection.query(sql, values) { row in
                if let state = CaseState(binary: row.blob(1)) {
                    states.append(state)
                } else {
                    others.append((states.count, row.text(0), ""))
                    states.append(nil)
                }
            }
            // Their JSON (a row written by a build with a newer binary form, say).
            for index in others.indices {
                try connection.query("SELECT state FROM cases WHERE id = ?", [.text(others[index].id)]) { row in
                    others[index].json = row.text(0)
                }
            }
        }
        if !others.isEmpty {
            let decoded = try decodeOrRepair(others.map { ($0.id, $0.json) })
            for (other, state) in zip(others, decoded) { states[other.place] = state }
        }
        return states.compactMap(\.self)
    }
}
