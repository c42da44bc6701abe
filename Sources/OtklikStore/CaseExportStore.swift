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
        return try projections(
            "SELECT id, state_bin FROM cases INDEXED BY cases_detected_id"
                + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
                + " ORDER BY detected_at DESC, id DESC LIMIT ?", values)
    }
}
