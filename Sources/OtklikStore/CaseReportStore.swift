import Foundation
public import OtklikCore
import OtklikBase

/// The monthly report's reads: the cases active in a period as the log held them at an instant, and the
/// counts of its dynamics from the covering index.
extension Store {
    /// The cases with anything to report for `[from, to)` as the event log held them at `asOf`
    /// (log time): detected before the period's end and not closed before its start. A row changed
    /// after `asOf` is folded from its events up to then, so a closed period reads the same for
    /// ever; the others are the projections, decoded on all cores.
    public func casesActive(from: Instant, to: Instant, unit: String?, asOf: Instant) throws(StoreError) -> [CaseState]
    {
        // Each row: the binary projection, or (for rows written before it existed) the JSON.
        let (documents, changed) = try read {
            connection throws(StoreError) -> ([(id: String, binary: [UInt8], json: String)], [CaseState]) in
            var documents: [(id: String, binary: [UInt8], json: String)] = []
            var later: [String] = []
            // Two ranges of the (closed_at, detected_at) index: closed since the period began, and still open.
            // With a unit: the cases it holds or held (a row per earlier holder), and any changed since.
            let unitFilter =
                unit == nil
                ? ""
                : " AND (EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = cases.id AND a.executor = ?)"
                    + " OR coalesce(changed_at, 0) > ?)"
            let columns = "id, state_bin, CASE WHEN state_bin IS NULL THEN state ELSE '' END, coalesce(changed_at, 0)"
            let sql =
                "SELECT \(columns) FROM cases INDEXED BY cases_activity WHERE closed_at >= ? AND detected_at < ?\(unitFilter)"
                + " UNION ALL SELECT \(columns) FROM cases INDEXED BY cases_activity WHERE closed_at IS NULL AND detected_at < ?\(unitFilter)"
            var values: [Value] = [.instant(from), .instant(to)]
            if let unit { values += [.text(unit), .instant(asOf)] }
            values.append(.instant(to))
            if let unit { values += [.text(unit), .instant(asOf)] }
            try connection.query(sql, values) { row in
                if row.integer(3) > asOf.seconds {
                    later.append(row.text(0))
                } else {
                    documents.append((row.text(0), row.blob(1), row.text(2)))
                }
            }
            // A case corrected since may have had its detection time moved out of the range read above.
            later = try Self.adding(correctedAfter: asOf, to: later, connection)
            var changed: [CaseState] = []
            for id in later {
                // Selected as it stood then (detected before the period's end, not closed before its
                // start), as the rows above were by the projection that was then current.
                if let state = try Self.state(of: id, asOf: asOf, connection), state.detectedAt < to,
                    state.closedAt.map({ $0 >= from }) ?? true,
                    unit == nil
                        || state.assignments.contains(where: {
                            $0.executor == unit || ($0.handovers ?? []).contains { $0.executor == unit }
                        })
                {
                    changed.append(state)
                }
            }
            return (documents, changed)
        }
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, documents.count / 1000))
        let decoded = Locked([[CaseState]](repeating: [], count: parts))
        let brokenIDs = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let decoder = JSONDecoder()
            let slice = documents[(documents.count * part / parts)..<(documents.count * (part + 1) / parts)]
            var states: [CaseState] = []
            var broken: [String] = []
            for document in slice {
                if let state = CaseState(binary: document.binary)
                    ?? (try? decoder.decode(CaseState.self, from: Data(document.json.utf8)))
                {
                    states.append(state)
                } else {
                    broken.append(document.id)
                }
            }
            decoded.withLock { $0[part] = states }
            brokenIDs.withLock { $0 += broken }
        }
        // A row whose binary form does not read here (a newer build's, or damaged) is read from its JSON,
        // as every read of a case is, while it is still as it stood at `asOf`; otherwise (changed since
        // the read above, or the JSON damaged too) folded from its events as of `asOf`, as a changed case
        // is. Never left out of the report, and a report writes nothing.
        var all = decoded.current.flatMap { $0 }
        let unread = brokenIDs.current
        if !unread.isEmpty {
            all += try read { connection throws(StoreError) -> [CaseState] in
                var states: [CaseState] = []
                for id in unread {
                    var state: CaseState?
                    try connection.query(
                        "SELECT state FROM cases WHERE id = ? AND coalesce(changed_at, 0) <= ?",
                        [.text(id), .instant(asOf)]
                    ) { row in state = try? JSONDecoder().decode(CaseState.self, from: Data(row.text(0).utf8)) }
                    if state == nil { state = try Self.state(of: id, asOf: asOf, connection) }
                    guard let state else {
                        throw .corrupt(
                            path: path,
                            findings: [
                                "the projection of case \(id) does not read and the log holds none of its events"
                            ])
                    }
                    states.append(state)
                }
                return states
            }
        }
        return all + changed
    }

    /// Case `id` as the event log held it at `instant` (log time): the report's view of the past.
    public func loadCase(_ id: String, asOf instant: Instant) throws(StoreError) -> CaseState? {
        try read { connection throws(StoreError) in try Self.state(of: id, asOf: instant, connection) }
    }

    /// Case `id` as its events up to `instant` (log time, whole seconds) make it; nil when it was
    /// not registered yet. One range of the (subject, id) index.
    static func state(of id: String, asOf instant: Instant, _ connection: Connection) throws(StoreError) -> CaseState? {
        let bound = EventTime.text(instant + 1)
        var state: CaseState?
        try connection.query(
            "SELECT payload FROM events WHERE subject = ? AND case_version IS NOT NULL AND time < ? ORDER BY id",
            [.text(id), .text(bound)]
        ) { row in
            // The report reads what adds up; a rebuild names what does not.
            if case .success(let next) = fold(state, id: id, payload: row.blob(0), sequence: 0) {
                state = next
            }
        }
        return state
    }

    /// Each case's events before its first one in `events` (payloads in log order): what
    /// `states(after:earlier:)` folds first. One range of the (subject, id) index per case, and nothing
    /// else on the reader: the folding is done without holding it.
    public func earlierEvents(of events: [Event]) throws(StoreError) -> [String: [(sequence: Int64, payload: [UInt8])]]
    {
        try read { connection throws(StoreError) in
            var earlier: [String: [(sequence: Int64, payload: [UInt8])]] = [:]
            for event in events where event.caseVersion != nil && earlier[event.subject] == nil {
                var payloads: [(sequence: Int64, payload: [UInt8])] = []
                try connection.query(
                    "SELECT id, payload FROM events WHERE subject = ? AND case_version IS NOT NULL AND id < ? ORDER BY id",
                    [.text(event.subject), .integer(event.id)]
                ) { row in payloads.append((row.integer(0), row.blob(1))) }
                earlier[event.subject] = payloads
            }
            return earlier
        }
    }

    /// The state of each event's case right after it, for `Events/Export`'s facts: nil for an event of
    /// no case or one that does not fold (as the report reads only what adds up). Each case's `earlier`
    /// events (`earlierEvents(of:)`) are folded first, then its events in `events`; cases are folded on
    /// every core, each in log order.
    public static func states(after events: [Event], earlier: [String: [(sequence: Int64, payload: [UInt8])]])
        -> [CaseState?]
    {
        var byCase: [String: [Int]] = [:]
        for (index, event) in events.enumerated() where event.caseVersion != nil {
            byCase[event.subject, default: []].append(index)
        }
        let groups = Array(byCase)
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, groups.count / 16))
        let folded = Locked([[(Int, CaseState?)]](repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var results: [(Int, CaseState?)] = []
            for (id, indices) in groups[(groups.count * part / parts)..<(groups.count * (part + 1) / parts)] {
                var state: CaseState? = nil
                for (sequence, payload) in earlier[id] ?? [] {
                    if case .success(let next) = fold(
                        state, id: id, payload: payload, sequence: sequence)
                    {
                        state = next
                    }
                }
                for index in indices {
                    if case .success(let next) = fold(
                        state, id: id, payload: events[index].payload, sequence: events[index].id)
                    {
                        state = next
                        results.append((index, next))
                    }
                }
            }
            folded.withLock { $0[part] = results }
        }
        var states = [CaseState?](repeating: nil, count: events.count)
        for (index, state) in folded.current.joined() { states[index] = state }
        return states
    }

    /// The cases whose registration facts were corrected after `asOf` (log time): a detection time may
    /// have moved across a period's bound since, so the report folds these as of `asOf` whatever their
    /// detection time is now. Corrections are few: one range of the (kind, id) index.
    /// Returns `ids` followed by those cases not among them.
    static func adding(correctedAfter asOf: Instant, to ids: [String], _ connection: Connection) throws(StoreError)
        -> [String]
    {
        var all = ids
        let listed = Set(ids)
        try connection.query(
            "SELECT DISTINCT subject FROM events WHERE kind = ? AND time >= ?",
            [.text(EventKind.corrected.rawValue), .text(EventTime.text(asOf + 1))]
        ) { row in
            let id = row.text(0)
            if !listed.contains(id) { all.append(id) }
        }
        return all
    }

    /// The cases detected in `[from, to)` that changed after `asOf`, as they stood at `asOf`
    /// (those not registered by then left out): the report counts them from these, the rest from
    /// the projections (`messageCounts`).
    public func casesChanged(after asOf: Instant, detectedFrom from: Instant, to: Instant) throws(StoreError)
        -> [CaseState]
    {
        try read { connection throws(StoreError) in
            var ids: [String] = []
            // The range is read from the covering index (rowids), the ids only of the few that changed.
            try connection.query(
                """
                SELECT id FROM cases WHERE rowid IN (SELECT rowid FROM cases INDEXED BY cases_report_asof
                                                     WHERE detected_at >= ? AND detected_at < ? AND changed_at > ?)
                """, [.instant(from), .instant(to), .instant(asOf)]
            ) { ids.append($0.text(0)) }
            // And those corrected since, wherever their detection time has moved.
            ids = try Self.adding(correctedAfter: asOf, to: ids, connection)
            var states: [CaseState] = []
            for id in ids {
                if let state = try Self.state(of: id, asOf: asOf, connection) { states.append(state) }
            }
            return states
        }
    }

    /// Keeps the rows whose live executors (the projection's `executors` column) include the bound
    /// unit: read from the covering index with the counts, never a list of all the unit's cases.
    static let liveExecutorFilter = " AND instr(char(31) || executors || char(31), char(31) || ? || char(31)) > 0"

    /// `liveExecutorFilter` for a state folded from the log.
    static func hasLiveExecutor(_ state: CaseState, _ unit: String) -> Bool {
        state.assignments.contains { $0.isLive && $0.executor == unit }
    }

    /// Counts of messages detected in `[from, to)` by every column of `countColumns` (network,
    /// importance, topics, executors; rejection_reason for rejected cases; withdrawn), as the log held
    /// them at `asOf`: rows unchanged since are counted from one range of the covering index,
    /// `changed` (from `casesChanged`) from their folded states. Withdrawn messages count only under
    /// `withdrawn`.
    public func messageCounts(
        from: Instant, to: Instant, unit: String?, asOf: Instant = Instant(seconds: .max),
        changed: [CaseState] = []
    ) throws(StoreError) -> [String: [String: Int]] {
        var counts = try read { connection throws(StoreError) in
            // Each distinct combination once from the index scan (cheaper than SQL's GROUP BY sort),
            // then split into the columns.
            var combinations: [String: Int] = [:]
            var sql = """
                SELECT network || char(30) || importance || char(30) || topics || char(30) || executors || char(30)
                       || coalesce(rejection_reason, '') || char(30) || status FROM cases
                WHERE detected_at >= ? AND detected_at < ? AND coalesce(changed_at, 0) <= ?
                """
            var values: [Value] = [.instant(from), .instant(to), .instant(asOf)]
            if let unit {
                sql += Self.liveExecutorFilter
                values.append(.text(unit))
            }
            try connection.query(sql, values) { row in combinations[row.text(0), default: 0] += 1 }
            var counts: [String: [String: Int]] = [:]
            for (combination, n) in combinations {
                let fields = combination.split(separator: "\u{1E}", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 6 else { continue }
                let status = fields[5]
                guard status != CaseStatus.withdrawn.rawValue else {
                    counts["withdrawn", default: [:]]["withdrawn", default: 0] += n
                    continue
                }
                for (index, column) in ["network", "importance", "topics", "executors"].enumerated() {
                    let keys = fields[index].split(separator: "\u{1F}").map(String.init).uniqued()
                    for key in keys.isEmpty ? ["-"] : keys { counts[column, default: [:]][key, default: 0] += n }
                }
                if status == CaseStatus.rejected.rawValue, !fields[4].isEmpty {
                    counts["rejection_reason", default: [:]][fields[4], default: 0] += n
                }
            }
            return counts
        }
        for state in changed where state.detectedAt >= from && state.detectedAt < to {
            if let unit, !Self.hasLiveExecutor(state, unit) { continue }
            for column in MonthlyReportBuilder.countColumns where column == "withdrawn" || state.status != .withdrawn {
                for key in MonthlyReportBuilder.keys(of: state, column) {
                    counts[column, default: [:]][key, default: 0] += 1
                }
            }
        }
        return counts
    }

    /// Messages detected in each of `bounds`' consecutive ranges, as of `asOf` (withdrawn ones left out).
    public func messageSeries(
        _ bounds: [Instant], unit: String?, asOf: Instant = Instant(seconds: .max), changed: [CaseState] = []
    )
        throws(StoreError) -> [Int]
    {
        guard bounds.count >= 2 else { return [] }
        var result = [Int](repeating: 0, count: bounds.count - 1)
        try read { connection throws(StoreError) in
            // One count per range, each a short range of the covering index.
            var sql = """
                SELECT count(*) FROM cases
                WHERE detected_at >= ? AND detected_at < ? AND coalesce(changed_at, 0) <= ? AND status != 'withdrawn'
                """
            if unit != nil { sql += Self.liveExecutorFilter }
            for (index, (start, end)) in zip(bounds, bounds.dropFirst()).enumerated() {
                var values: [Value] = [.instant(start), .instant(end), .instant(asOf)]
                if let unit { values.append(.text(unit)) }
                result[index] = Int(try connection.scalar(sql, values))
            }
        }
        for state in changed where state.status != .withdrawn {
            if let unit, !Self.hasLiveExecutor(state, unit) { continue }
            guard
                let index = Array(zip(bounds, bounds.dropFirst())).firstIndex(where: {
                    state.detectedAt >= $0.0 && state.detectedAt < $0.1
                })
            else {
                continue
            }
            result[index] += 1
        }
        return result
    }
}
