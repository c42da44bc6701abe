import Foundation
public import OtklikCore
import OtklikBase

/// Case lists and the work queue: each a walk of an index in the order shown, with its count read by
/// the same statement.
extension Store {
    /// What a case list may be narrowed to besides state, executor and due time (`case list`'s filters).
    public struct ListFilters: Sendable, Equatable {
        public var network: String?
        public var topic: String?
        public var importance: String?
        public var from: Instant?
        public var to: Instant?
        /// The author's words as `Hints.authorKey` keeps them.
        public var authorKey: String?
        /// The networks to look for the author in when no network is given (the profile's): the
        /// author index leads with the network.
        public var networks: [String] = []
        /// Open cases in the order of their next due instant (`cases_next_due`), not newest first.
        public var byDue = false

        public init(
            network: String? = nil, topic: String? = nil, importance: String? = nil, from: Instant? = nil,
            to: Instant? = nil, authorKey: String? = nil, byDue: Bool = false
        ) {
            self.network = network
            self.topic = topic
            self.importance = importance
            self.from = from
            self.to = to
            self.authorKey = authorKey
            self.byDue = byDue
        }
    }

    /// Cases by status and executor unit (and with a running clock due before `dueBefore`), newest
    /// detection first.
    public func listCases(
        status: String?, executor: String?, limit: Int, after: (detectedAt: Instant, id: String)? = nil,
        dueBefore: Instant? = nil, filters: ListFilters = ListFilters(), afterDue: QueueCursor? = nil
    )
        throws(StoreError) -> [CaseState]
    {
        try listEntries(
            status: status, executor: executor, limit: limit, after: after, dueBefore: dueBefore, filters: filters,
            afterDue: afterDue
        ).map(\.state)
    }

    /// `listCases` with each case's place in the list's order (its next due instant, when it runs
    /// clocks, and detection): the cursor of the page that follows.
    public func listEntries(
        status: String?, executor: String?, limit: Int, after: (detectedAt: Instant, id: String)? = nil,
        dueBefore: Instant? = nil, filters: ListFilters = ListFilters(), afterDue: QueueCursor? = nil
    )
        throws(StoreError) -> [(state: CaseState, nextDue: Instant?)]
    {
        let rows = try read { connection throws(StoreError) -> [(id: String, state: CaseState?, nextDue: Instant?)] in
            // The page's ids first (the sort holds ids only: a due list may match many cases), then
            // only their states.
            let (sql, values) = Self.listQuery(
                status: status, executor: executor, limit: limit, after: after, dueBefore: dueBefore, filters: filters,
                afterDue: afterDue)
            var page: [(id: String, nextDue: Instant?)] = []
            try connection.query(sql, values) { row in
                page.append((row.text(0), row.isNull(1) ? nil : Instant(seconds: row.integer(1))))
            }
            var rows: [(id: String, state: CaseState?, nextDue: Instant?)] = []
            for entry in page {
                let (state, broken) = try Self.loadCase(entry.id, connection)
                if state != nil || broken { rows.append((entry.id, state, entry.nextDue)) }
            }
            return rows
        }
        var entries: [(state: CaseState, nextDue: Instant?)] = []
        for row in rows { entries.append((try stateOrRebuilt(row.id, row.state), row.nextDue)) }
        return entries
    }

    /// `topics(detectedSince:)`'s statement: from each topic a seek to the next, and one for a case since.
    /// The topics query; with `units` placeholders, only topics of cases with a live assignment of
    /// one of those units.
    static func topicsQuery(units: Int = 0) -> String {
        let reach =
            units == 0
            ? ""
            : " AND EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = t.case_id AND a.status != '\(handedOver)'"
                + " AND a.executor IN (\(Array(repeating: "?", count: units).joined(separator: ", "))))"
        return """
            WITH RECURSIVE each (topic) AS (
                SELECT min(topic) FROM case_topics
                UNION ALL
                SELECT (SELECT min(topic) FROM case_topics WHERE topic > each.topic) FROM each WHERE topic IS NOT NULL
            )
            SELECT topic FROM each WHERE topic IS NOT NULL
                AND EXISTS (SELECT 1 FROM case_topics t WHERE t.topic = each.topic AND t.detected_at >= ?\(reach))
            """
    }

    /// The topics of cases detected since `since`, in order: what a topic filter that found nothing
    /// is told exists. One seek of the topic index per topic ever used (skipping from each to the
    /// next), and one for whether it has a case since then: the cost follows the number of topics,
    /// not of cases.
    ///
    /// With `units` (an executor's reach), only the topics of cases with a live assignment of one of
    /// them: a refusal never names what others' cases are about (issue 25). Each topic is then probed
    /// until one of its cases of the window is the units', so it costs at most that window's cases
    /// of the topic, never the history.
    public func topics(detectedSince since: Instant, units: [String]? = nil) throws(StoreError) -> [String] {
        let sql = Self.topicsQuery(units: units?.count ?? 0)
        let values: [Value] = [.instant(since)] + (units ?? []).map { .text($0) }
        return try read { connection throws(StoreError) in
            var topics: [String] = []
            try connection.query(sql, values) { row in topics.append(row.text(0)) }
            return topics
        }
    }

    /// How many cases a list's filters match (state, executor, the `ListFilters`), counted up to `cap`.
    public func countCases(status: String?, executor: String?, filters: ListFilters, cap: Int) throws(StoreError) -> Int
    {
        try read { connection throws(StoreError) in
            let (sql, values) = Self.listQuery(
                status: status, executor: executor, limit: cap, after: nil, dueBefore: nil, filters: filters,
                afterDue: nil)
            return Int(try connection.scalar("SELECT count(*) FROM (\(sql))", values))
        }
    }

    /// The ids (and next due instants) of one page of `listCases`, newest detection first, or the
    /// earliest next due first with `filters.byDue` (the statement and its values).
    static func listQuery(
        status: String?, executor: String?, limit: Int, after: (detectedAt: Instant, id: String)?, dueBefore: Instant?,
        filters: ListFilters = ListFilters(), afterDue: QueueCursor? = nil
    ) -> (String, [Value]) {
        var sql = "SELECT c.id, c.next_due FROM cases c"
        // A topic's cases are read off the topic index, newest first: a seek and a walk of that
        // topic's rows, each case then fetched by its id (CROSS JOIN keeps that order). Network and
        // importance are read off the report index's entries in detection order (covering for them):
        // a rare value costs a walk of index entries, not of the table, and --from/--to bound the
        // walk. A state, a due list, the due order and an author have indexes of their own.
        // With an open state (new, routed) the state's own index is the shorter walk: open cases are
        // the day's work, a topic's cases its whole history.
        let byTopic =
            filters.topic != nil && dueBefore == nil && !filters.byDue && filters.authorKey == nil
            && !["new", "routed"].contains(status ?? "")
        let detected = byTopic ? "t.detected_at" : "c.detected_at"
        let id = byTopic ? "t.case_id" : "c.id"
        if byTopic {
            sql = "SELECT c.id, c.next_due FROM case_topics t CROSS JOIN cases c ON c.id = t.case_id"
        } else if filters.network != nil || filters.importance != nil, status == nil, dueBefore == nil,
            !filters.byDue, filters.authorKey == nil
        {
            sql += " INDEXED BY cases_report_asof"
        } else if dueBefore != nil, filters.authorKey == nil {
            // A due list reads the few cases the clock index names, then sorts them: never a walk of
            // every case in the list's order (`cases_detected_id`) looking for them.
            sql += " INDEXED BY cases_next_due"
        }
        var (conditions, values) = factConditions(filters, byTopic: byTopic, detected: detected)
        if let executor {
            conditions.append(
                "EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.executor = ? AND a.status != '\(Self.handedOver)')"
            )
            values.append(.text(executor))
        }
        if let dueBefore {
            // A running clock due before it (`cases_next_due`: only such cases are read).
            conditions.append("c.next_due < ?")
            values.append(.instant(dueBefore))
        }
        if let status {
            // With a due filter the status is checked on its rows, not read through `cases_status`
            // (every open case carries an index entry; the due ones are few).
            conditions.append(dueBefore == nil ? "c.status = ?" : "+c.status = ?")
            values.append(.text(status))
        }
        if filters.byDue, let afterDue {
            conditions.append("(c.next_due, c.detected_at, c.id) > (?, ?, ?)")
            values += [.instant(afterDue.nextDue), .instant(afterDue.detectedAt), .text(afterDue.id)]
        } else if !filters.byDue, let after {
            // The page after a cursor, in the list's own order (newest detection first).
            conditions.append("(\(detected), \(id)) < (?, ?)")
            values.append(.instant(after.detectedAt))
            values.append(.text(after.id))
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql +=
            filters.byDue
            ? " ORDER BY c.next_due, c.detected_at, c.id LIMIT ?" : " ORDER BY \(detected) DESC, \(id) DESC LIMIT ?"
        values.append(.integer(Int64(limit)))
        return (sql, values)
    }

    /// The conditions of a list's filters on the case's own facts (the due order, network, importance,
    /// topic, author, detection range), with their values.
    private static func factConditions(_ filters: ListFilters, byTopic: Bool, detected: String) -> ([String], [Value]) {
        var values: [Value] = []
        var conditions: [String] = []
        if filters.byDue { conditions.append("c.next_due IS NOT NULL") }
        if let network = filters.network {
            // Unary +: the network alone never picks the URL index (a sort of a whole network's
            // cases); with an author it leads the author index.
            conditions.append(filters.authorKey == nil ? "+c.network = ?" : "c.network = ?")
            values.append(.text(network))
        } else if filters.authorKey != nil, !filters.networks.isEmpty {
            // The author index leads with the network: every network, each a seek.
            conditions.append("c.network IN (" + filters.networks.map { _ in "?" }.joined(separator: ", ") + ")")
            values += filters.networks.map { .text($0) }
        }
        if let importance = filters.importance {
            conditions.append("c.importance = ?")
            values.append(.text(importance))
        }
        if let topic = filters.topic {
            // Topics are kept joined by U+001F: a whole topic, never a part of one.
            conditions.append(
                byTopic ? "t.topic = ?" : "instr(char(31) || c.topics || char(31), char(31) || ? || char(31)) > 0")
            values.append(.text(topic))
        }
        if let authorKey = filters.authorKey {
            conditions.append("c.author_key = ?")
            values.append(.text(authorKey))
        }
        if let from = filters.from {
            conditions.append("\(detected) >= ?")
            values.append(.instant(from))
        }
        if let to = filters.to {
            conditions.append("\(detected) < ?")
            values.append(.instant(to))
        }
        return (conditions, values)
    }

    /// Whose steps a work queue lists: the curator's (routing, review, publication, the author's
    /// answer) and/or the executor's (draft, rework, final draft) of `units`' assignments and of
    /// those held by `holders` (Rights.canAct: one's own and those of absentees one stands in for).
    public struct QueueScope: Sendable, Equatable {
        public var curator: Bool
        public var executor: Bool
        public var units: [String]
        public var holders: [String]

        public init(curator: Bool, executor: Bool, units: [String], holders: [String]) {
            self.curator = curator
            self.executor = executor
            self.units = units
            self.holders = holders
        }
    }

    /// Where a queue page starts: after this case in the queue's order.
    public struct QueueCursor: Sendable, Equatable {
        public var nextDue: Instant
        public var detectedAt: Instant
        public var id: String

        public init(nextDue: Instant, detectedAt: Instant, id: String) {
            self.nextDue = nextDue
            self.detectedAt = detectedAt
            self.id = id
        }
    }

    /// Open cases with a step for `scope`, the earliest next due first (`cases_next_due`: only open
    /// cases are in it, so the queue does not grow with the history), each with its cursor.
    public func queue(_ scope: QueueScope, after: QueueCursor?, limit: Int) throws(StoreError)
        -> [(state: CaseState, cursor: QueueCursor)]
    {
        let rows = try read { connection throws(StoreError) -> [(id: String, state: CaseState?, cursor: QueueCursor)] in
            let (sql, values) = Self.queueQuery(scope, after: after, limit: limit)
            var page: [QueueCursor] = []
            try connection.query(sql, values) { row in
                page.append(
                    QueueCursor(
                        nextDue: Instant(seconds: row.integer(1)), detectedAt: Instant(seconds: row.integer(2)),
                        id: row.text(0)))
            }
            var rows: [(id: String, state: CaseState?, cursor: QueueCursor)] = []
            for cursor in page {
                let (state, broken) = try Self.loadCase(cursor.id, connection)
                if state != nil || broken { rows.append((cursor.id, state, cursor)) }
            }
            return rows
        }
        var entries: [(state: CaseState, cursor: QueueCursor)] = []
        for row in rows { entries.append((try stateOrRebuilt(row.id, row.state), row.cursor)) }
        return entries
    }

    /// Issue 31: the routed open cases (those in the clock index), the earliest next due first, at most
    /// `limit`, in that order, read from their binary projection (`projections`); the breach forecast
    /// reads them. Only open cases are in `cases_next_due`, so this does not grow with the history.
    public func openCases(limit: Int) throws(StoreError) -> [CaseState] {
        try projections(
            """
            SELECT id, state_bin FROM cases
            WHERE next_due IS NOT NULL AND status = ? ORDER BY next_due, detected_at, id LIMIT ?
            """,
            [.text(CaseStatus.routed.rawValue), .integer(Int64(limit))])
    }

    /// A case as `loadCase` read it, or rebuilt from the log where its row did not read (`state` nil).
    private func stateOrRebuilt(_ id: String, _ state: CaseState?) throws(StoreError) -> CaseState {
        if let state { return state }
        return try repairProjection(id)
    }

    /// The cases a statement selecting `id, state_bin` names, in its order, as `projectionRows` reads
    /// them, and where neither form reads, rebuilt from the log.
    func projections(_ sql: String, _ values: [Value]) throws(StoreError) -> [CaseState] {
        let rows = try read { connection throws(StoreError) in try Self.projectionRows(sql, values, connection) }
        var states: [CaseState] = []
        for row in rows { states.append(try stateOrRebuilt(row.id, row.state)) }
        return states
    }

    /// The rows a statement selecting `id, state_bin` names, in its order, each from its binary
    /// projection; where that is missing or does not read, as `loadCase` reads it on the same
    /// connection (its JSON); nil where neither reads. Inside the caller's read or write.
    static func projectionRows(_ sql: String, _ values: [Value], _ connection: Connection) throws(StoreError)
        -> [(id: String, state: CaseState?)]
    {
        var rows: [(id: String, state: CaseState?)] = []
        var others: [(place: Int, id: String)] = []
        try connection.query(sql, values) { row in
            let state = CaseState(binary: row.blob(1))
            if state == nil { others.append((rows.count, row.text(0))) }
            rows.append((row.text(0), state))
        }
        for other in others { rows[other.place].state = try loadCase(other.id, connection).0 }
        return rows
    }

    /// How many open cases have a step for `scope`, counted up to `cap` (so the count stays as cheap
    /// as the queue however many wait).
    public func queueCount(_ scope: QueueScope, cap: Int) throws(StoreError) -> Int {
        try read { connection throws(StoreError) in
            let (sql, values) = Self.queueQuery(scope, after: nil, limit: cap)
            return Int(try connection.scalar("SELECT count(*) FROM (\(sql))", values))
        }
    }

    /// The statement of a queue page: ids, next due and detection of open cases in the queue's order.
    static func queueQuery(_ scope: QueueScope, after: QueueCursor?, limit: Int) -> (String, [Value]) {
        func statuses(_ list: [AssignmentStatus]) -> String {
            list.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        }
        var values: [Value] = []
        var either: [String] = []
        if scope.curator {
            either.append("c.status = '\(CaseStatus.new.rawValue)'")
            either.append(
                "EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.status IN (\(statuses(WorkQueue.curatorStatuses))))"
            )
        }
        if scope.executor {
            let units = scope.units.map { _ in "?" }.joined(separator: ", ")
            let holders = scope.holders.map { _ in "?" }.joined(separator: ", ")
            either.append(
                "EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.status IN (\(statuses(WorkQueue.executorStatuses)))"
                    + " AND (a.executor IN (\(units)) OR a.responsible IN (\(holders))))")
            values += scope.units.map { .text($0) } + scope.holders.map { .text($0) }
        }
        var sql = "SELECT c.id, c.next_due, c.detected_at FROM cases c WHERE c.next_due IS NOT NULL"
        sql += either.isEmpty ? " AND 0" : " AND (" + either.joined(separator: " OR ") + ")"
        if let after {
            sql += " AND (c.next_due, c.detected_at, c.id) > (?, ?, ?)"
            values += [.instant(after.nextDue), .instant(after.detectedAt), .text(after.id)]
        }
        sql += " ORDER BY c.next_due, c.detected_at, c.id LIMIT ?"
        values.append(.integer(Int64(limit)))
        return (sql, values)
    }
}
