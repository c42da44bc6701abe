@preconcurrency import Dispatch
public import Foundation
public import OtklikCore
import OtklikBase

/// Why a case command could not be written.
public enum CaseWriteError: Error, Sendable, Equatable {
    /// The case moved on since the caller read it.
    case stale(current: Int)
    case notFound
    /// An event the case cannot take (the state machine refuses it); nothing was written.
    case refused(WorkflowError)
    case store(StoreError)
}

/// Cases: their events in the log and their projections (`cases`, `assignments`), written together.
extension Store {

    static func encode<T: Encodable>(_ value: T) -> String { JSONText.string(value) }

    public func loadCase(_ id: String) throws(StoreError) -> CaseState? {
        let (state, broken) = try read { connection throws(StoreError) in try Self.loadCase(id, connection) }
        return broken ? try repairProjection(id) : state
    }

    /// The case's projection, and whether its row is there but does not decode.
    private static func loadCase(_ id: String, _ connection: Connection) throws(StoreError) -> (
        CaseState?, broken: Bool
    ) {
        var state: CaseState?
        var broken = false
        try connection.query("SELECT state FROM cases WHERE id = ?", [.text(id)]) { row in
            state = try? JSONDecoder().decode(CaseState.self, from: Data(row.text(0).utf8))
            broken = state == nil
        }
        return (state, broken)
    }

    /// A projection row that does not decode is rebuilt from the case's events, which are the truth,
    /// and written back; a read never skips a case silently. When the events do not rebuild it
    /// either, the read fails loudly naming the case.
    public func repairProjection(_ id: String) throws(StoreError) -> CaseState {
        try write { connection throws(StoreError) -> CaseState in try repair(id, connection) }
    }

    /// Folds case `id`'s events into its state and writes the projection, inside the caller's write transaction.
    private func repair(_ id: String, _ connection: Connection) throws(StoreError) -> CaseState {
        var state: CaseState?
        var failure: String?
        var changedAt: Int64 = 0
        let decoder = JSONDecoder()
        try connection.query(
            "SELECT payload, time, id FROM events WHERE subject = ? AND case_version IS NOT NULL ORDER BY id",
            [.text(id)]
        ) { row in
            guard failure == nil else { return }
            switch Self.fold(state, id: id, payload: row.blob(0), decoder: decoder, sequence: row.integer(2)) {
            case .success(let next): state = next
            case .failure(let why):
                failure = why.message
                return
            }
            changedAt = max(changedAt, EventTime.unix(row.text(1)))
        }
        guard let state, failure == nil else {
            throw .corrupt(
                path: path,
                findings: [
                    "the projection of case \(id) is damaged and its events do not rebuild it (\(failure ?? "no events"))"
                ])
        }
        try writeProjection(state, changedAt: changedAt, connection)
        repairedProjections.withLock { $0 += 1 }
        return state
    }

    /// One stored event of case `id` (log sequence `sequence`) applied to its state (the first
    /// registers it), or why it cannot be: a payload that does not decode, an event before the
    /// registration, or one the case cannot take (`CaseState.refusal`). Rebuilds and repairs fold
    /// the log with it and name the case and the event instead of skipping it.
    private static func fold(
        _ state: CaseState?, id: String, payload: [UInt8], decoder: JSONDecoder, sequence: Int64
    ) -> Result<CaseState, FoldFailure> {
        guard let event = try? decoder.decode(WorkflowEvent.self, from: Data(payload)) else {
            return .failure(FoldFailure("event \(sequence) of case \(id) does not decode"))
        }
        guard let state else {
            guard event.kind == .registered else {
                return .failure(
                    FoldFailure(
                        "event \(sequence) of case \(id) (\(event.kind.rawValue)) comes before its registration"))
            }
            return .success(CaseState(id: id, registered: event))
        }
        do {
            return .success(try state.applying(event))
        } catch {
            return .failure(
                FoldFailure(
                    "event \(sequence) of case \(id) (\(event.kind.rawValue)) cannot be applied: \(error.message)"))
        }
    }

    /// Why a case's events do not fold into it: which event, and why.
    struct FoldFailure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// `loadCase` inside a write transaction: a damaged row is rebuilt there and then.
    private func loadForWrite(_ id: String, _ connection: Connection) throws(StoreError) -> CaseState? {
        let (state, broken) = try Self.loadCase(id, connection)
        return broken ? try repair(id, connection) : state
    }

    /// Decodes projection rows `(id, json)`, rebuilding from the log any that do not decode.
    func decodeOrRepair(_ rows: [(id: String, json: String)]) throws(StoreError) -> [CaseState] {
        let decoder = JSONDecoder()
        var states: [CaseState] = []
        states.reserveCapacity(rows.count)
        for row in rows {
            if let state = try? decoder.decode(CaseState.self, from: Data(row.json.utf8)) {
                states.append(state)
            } else {
                states.append(try repairProjection(row.id))
            }
        }
        return states
    }

    /// p.18 candidates for `state`, read from indexes only: the newest cases of the same author in its
    /// network (`cases_author`, at most `limit`), and the newest cases registered before it whose texts
    /// share one of its longest words (`case_word_keys`, at most `2 * limit`), detected in the `window`
    /// seconds before it; never the case itself. The caller decides (`Hints.likelyRepeat`); nothing
    /// else is decoded, and neither read grows with the history.
    public func repeatCandidates(of state: CaseState, window: Int64, limit: Int = 10) throws(StoreError)
        -> [RepeatCandidate]
    {
        let from = state.detectedAt - window
        // Each candidate's facts come from the index rows (the text from the trigram table's own
        // copy): no case is decoded to be compared.
        let facts = "c.id, c.network, c.author_key, c.detected_at, t.text"
        let rows = try read { connection throws(StoreError) -> [RepeatCandidate] in
            var rows: [RepeatCandidate] = []
            let collect: (Row) -> Void = { row in
                rows.append(
                    RepeatCandidate(
                        id: row.text(0), network: row.text(1), authorKey: row.text(2),
                        detectedAt: Instant(seconds: row.integer(3)), text: row.text(4)))
            }
            let author = Hints.authorKey(state.author)
            if !author.isEmpty {
                try connection.query(
                    """
                    SELECT \(facts) FROM cases c INDEXED BY cases_author
                    JOIN case_text t ON t.rowid = c.year * 1000000 + c.number
                    WHERE c.network = ? AND c.author_key = ? AND c.detected_at >= ? AND c.detected_at <= ? AND c.id != ?
                    ORDER BY c.detected_at DESC LIMIT ?
                    """,
                    [
                        .text(state.network), .text(author), .instant(from), .instant(state.detectedAt),
                        .text(state.id), .integer(Int64(limit)),
                    ], row: collect)
            }
            // The newest cases holding one of its five longest words, from the word keys: per word a
            // seek and a walk back over at most `2 * limit` keys in the window (the cost does not
            // grow with how many cases ever used the word), then the newest of those, read once.
            guard let key = Self.textKey(state.id) else { return rows }
            var keys: [Int64] = []
            for word in Hints.likeWords(state.text, limit: 5) {
                try connection.query(
                    Self.wordKeysQuery,
                    [
                        .text(word), .integer(Self.textKeys(from: from)), .integer(key), .instant(from),
                        .instant(state.detectedAt), .integer(Int64(limit * 2)),
                    ]
                ) { row in keys.append(row.integer(0)) }
            }
            for key in Set(keys).sorted(by: >).prefix(limit * 2) {
                try connection.query(
                    """
                    SELECT \(facts) FROM cases c JOIN case_text t ON t.rowid = ?
                    WHERE c.year = ? AND c.number = ?
                    """, [.integer(key), .integer(key / 1_000_000), .integer(key % 1_000_000)], row: collect)
            }
            return rows
        }
        var seen: Set<String> = []
        return rows.filter { seen.insert($0.id).inserted }
    }

    /// The newest keys (at most ?6) holding the word ?1 in [?2, ?3), of cases detected in [?4, ?5].
    static let wordKeysQuery = """
        SELECT k.key FROM case_word_keys k CROSS JOIN cases c ON c.year = k.key / 1000000 AND c.number = k.key % 1000000
        WHERE k.word = ? AND k.key >= ? AND k.key < ? AND c.detected_at >= ? AND c.detected_at <= ?
        ORDER BY k.key DESC LIMIT ?
        """

    /// What the p.18 hint compares of an earlier case, read from the indexes.
    public struct RepeatCandidate: Sendable, Equatable {
        public var id: String
        public var network: String
        public var authorKey: String
        public var detectedAt: Instant
        public var text: String
    }

    /// One match of `searchCases`: the case, a snippet of its text with the match in «», and the rank.
    public struct SearchHit: Sendable, Equatable {
        public var id: String
        public var snippet: String
        public var score: Double
    }

    /// Cases whose text (or author) holds every word of `text`, best first (bm25), optionally of an
    /// author and detected in `[from, to)`, and with `units` only those with a live assignment of one
    /// of them (an executor's reach, applied inside the query so the best hits are theirs, not the
    /// best of all cases filtered after); at most `limit`. Reads the trigram index and the matched
    /// rows, within `budget` (`StoreError.interrupted` past it).
    public func searchCases(
        text: String, author: String?, from: Instant?, to: Instant?, units: [String]? = nil, limit: Int,
        budget: QueryBudget = QueryBudget(seconds: 30)
    )
        throws(StoreError) -> [SearchHit]
    {
        guard let query = Hints.searchQuery(text) else { return [] }
        var match = "(\(query))"
        if let author, let authorQuery = Hints.searchQuery(author) { match += " AND author: (\(authorQuery))" }
        var sql = """
            SELECT c.id, snippet(case_text, 1, '«', '»', '…', 64), bm25(case_text) FROM case_text t
            JOIN cases c ON c.year = t.rowid / 1000000 AND c.number = t.rowid % 1000000
            WHERE case_text MATCH ?
            """
        var values: [Value] = [.text(match)]
        // The period bounds the index range read too (by the years it spans), not only the rows kept.
        if let from {
            sql += " AND t.rowid >= ? AND c.detected_at >= ?"
            values += [.integer(Self.textKeys(from: from)), .instant(from)]
        }
        if let to {
            sql += " AND t.rowid < ? AND c.detected_at < ?"
            values += [.integer(Self.textKeys(before: to)), .instant(to)]
        }
        if let units {
            sql +=
                " AND EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.status != '\(Self.handedOver)'"
                + " AND a.executor IN (\(units.map { _ in "?" }.joined(separator: ", "))))"
            values += units.map { .text($0) }
        }
        sql += " ORDER BY bm25(case_text) LIMIT ?"
        values.append(.integer(Int64(limit)))
        return try read(budget: budget) { connection throws(StoreError) -> [SearchHit] in
            var hits: [SearchHit] = []
            try connection.query(sql, values) { row in
                hits.append(SearchHit(id: row.text(0), snippet: row.text(1), score: -row.double(2)))
            }
            return hits
        }
    }

    /// An already registered message: the same network and external id, or the same network and post URL.
    public func findCase(network: String, externalID: String?, url: String) throws(StoreError) -> CaseState? {
        let id = try read { connection throws(StoreError) in
            try findID(network: network, externalID: externalID, url: url, connection)
        }
        return try id.flatMap { id throws(StoreError) in try loadCase(id) }
    }

    private func findID(network: String, externalID: String?, url: String, _ connection: Connection) throws(StoreError)
        -> String?
    {
        var id: String?
        if let externalID {
            try connection.query(
                "SELECT id FROM cases WHERE network = ? AND external_id = ? LIMIT 1",
                [.text(network), .text(externalID)]
            ) {
                id = $0.text(0)
            }
        }
        if id == nil {
            // The URL's key: the same post through m.vk.com, www., a trailing slash or utm_ parameters.
            try connection.query(
                "SELECT id FROM cases WHERE network = ? AND url_key = ? LIMIT 1",
                [.text(network), .text(urlKey(network, url))]
            ) {
                id = $0.text(0)
            }
        }
        return id
    }

    /// Registers a message as the next case of `year`, unless it is already registered (then the
    /// existing case comes back with `existing` true). One transaction.
    public func registerCase(year: Int, event: WorkflowEvent, actor: String, onBehalf: String, now: Date)
        throws(StoreError) -> (state: CaseState, existing: Bool)
    {
        try registerCases([(year, event)], actor: actor, onBehalf: onBehalf, now: now)[0]
    }

    /// Registers several messages in one transaction, each as `registerCase` would: a message
    /// already registered (before, or earlier in the same batch) is found, not added. One entry per
    /// message, in order.
    public func registerCases(
        _ messages: [(year: Int, event: WorkflowEvent)], actor: String, onBehalf: String, now: Date
    ) throws(StoreError) -> [(state: CaseState, existing: Bool)] {
        try write { connection throws(StoreError) in
            var results: [(state: CaseState, existing: Bool)] = []
            var next: [Int: Int] = [:]
            for (year, event) in messages {
                if let id = try findID(
                    network: event.network ?? "", externalID: event.externalID, url: event.url ?? "", connection),
                    let found = try loadForWrite(id, connection)
                {
                    results.append((found, true))
                    continue
                }
                let number: Int
                if let known = next[year] {
                    number = known
                } else {
                    number = Int(
                        try connection.scalar(
                            "SELECT coalesce(max(number), 0) + 1 FROM cases WHERE year = ?", [.integer(Int64(year))]))
                }
                next[year] = number + 1
                let id = CaseID(year: year, number: number).description
                let state = CaseState(id: id, registered: event)
                try insert(
                    [
                        Event(
                            time: now, actor: actor, kind: event.kind.rawValue, subject: id,
                            payload: Array(Self.encode(event).utf8),
                            onBehalf: onBehalf, caseVersion: state.version)
                    ], connection)
                try writeProjection(state, changedAt: Int64(now.timeIntervalSince1970), connection)
                results.append((state, false))
            }
            return results
        }
    }

    /// Appends one command's events to case `id` if it is still at `expectedVersion`, and writes the
    /// new projection, in one transaction.
    public func commit(
        caseID: String, expectedVersion: Int, events: [WorkflowEvent], actor: String, onBehalf: String, now: Date
    ) throws(CaseWriteError) -> CaseState {
        let result: Result<CaseState, CaseWriteError>
        do {
            result = try write { connection throws(StoreError) -> Result<CaseState, CaseWriteError> in
                guard var state = try loadForWrite(caseID, connection) else {
                    return .failure(.notFound)
                }
                guard state.version == expectedVersion else { return .failure(.stale(current: state.version)) }
                let before = (author: state.author, text: state.text)
                var records: [Event] = []
                for event in events {
                    // The workflow decided these events on this very state: a refusal here means the
                    // decision and the state machine disagree, and nothing is written.
                    do throws(WorkflowError) {
                        state = try state.applying(event)
                    } catch {
                        return .failure(.refused(error))
                    }
                    records.append(
                        Event(
                            time: now, actor: actor, kind: event.kind.rawValue, subject: caseID,
                            payload: Array(Self.encode(event).utf8), onBehalf: onBehalf, caseVersion: state.version))
                }
                try insert(records, connection)
                // A step leaves the text index alone unless it changed the author or the text (a correction).
                try writeProjection(
                    state, changedAt: Int64(now.timeIntervalSince1970),
                    textMayChange: before != (state.author, state.text), connection)
                return .success(state)
            }
        } catch {
            throw .store(error)
        }
        return try result.get()
    }

    /// Keeps the case's rows of the topic index (`case_topics`) equal to its routed topics and
    /// detection time; run before the case's row is replaced, whose old values name the rows to drop.
    private func writeTopics(_ state: CaseState, _ connection: Connection) throws(StoreError) {
        var stored: (topics: String, detectedAt: Int64)?
        try connection.query("SELECT topics, detected_at FROM cases WHERE id = ?", [.text(state.id)]) { row in
            stored = (row.text(0), row.integer(1))
        }
        let topics = state.routedTopics.joined(separator: "\u{1F}")
        guard stored?.topics != topics || stored?.detectedAt != state.detectedAt.seconds else { return }
        if let stored {
            for topic in stored.topics.split(separator: "\u{1F}") {
                try connection.query(
                    "DELETE FROM case_topics WHERE topic = ? AND detected_at = ? AND case_id = ?",
                    [.text(String(topic)), .integer(stored.detectedAt), .text(state.id)])
            }
        }
        for topic in Set(state.routedTopics) where !topic.isEmpty {
            try connection.query(
                "INSERT OR IGNORE INTO case_topics (topic, detected_at, case_id) VALUES (?, ?, ?)",
                [.text(topic), .instant(state.detectedAt), .text(state.id)])
        }
    }

    /// Keeps the case's row of the text index (`case_text`) equal to its author and text: written at
    /// registration, rewritten only when a correction changed them.
    private func writeText(_ state: CaseState, _ connection: Connection) throws(StoreError) {
        guard let key = Self.textKey(state.id) else { return }
        var stored: (author: String, text: String)?
        try connection.query("SELECT author, text FROM case_text WHERE rowid = ?", [.integer(key)]) { row in
            stored = (row.text(0), row.text(1))
        }
        guard stored?.author != state.author || stored?.text != state.text else { return }
        if let stored {
            try connection.query("DELETE FROM case_text WHERE rowid = ?", [.integer(key)])
            // The old text's words leave the word keys (named: the table is keyed by word first).
            for word in Hints.significantWords(stored.text) {
                try connection.query(
                    "DELETE FROM case_word_keys WHERE word = ? AND key = ?", [.text(word), .integer(key)])
            }
        }
        try connection.query(
            "INSERT INTO case_text (rowid, author, text) VALUES (?, ?, ?)",
            [.integer(key), .text(state.author), .text(state.text)])
        for word in Hints.significantWords(state.text) {
            try connection.query(
                "INSERT OR IGNORE INTO case_word_keys (word, key) VALUES (?, ?)", [.text(word), .integer(key)])
        }
    }

    /// The text index's rowid of a case: year * 1000000 + number.
    static func textKey(_ id: String) -> Int64? {
        CaseID(id).map { Int64($0.year) * 1_000_000 + Int64($0.number) }
    }

    /// The lowest rowid a case detected at or after `instant` can have: the case's year (of detection,
    /// in the schedule's zone) leads its key, so the UTC year a day earlier is a safe lower bound.
    static func textKeys(from instant: Instant) -> Int64 {
        Int64(LocalDate(dayNumber: Int((instant.seconds - 86_400) / 86_400)).year) * 1_000_000
    }

    /// A rowid above every case detected before `instant` (the year after the UTC year a day later).
    static func textKeys(before instant: Instant) -> Int64 {
        (Int64(LocalDate(dayNumber: Int((instant.seconds + 86_400) / 86_400)).year) + 1) * 1_000_000
    }

    /// Writes the case's projection rows; `changedAt` is the log time of its newest event. The text
    /// index row is checked (and rewritten if it differs) unless the caller knows the author and the
    /// text did not change (`textMayChange: false`, an ordinary step).
    func writeProjection(
        _ state: CaseState, changedAt: Int64, textMayChange: Bool = true, _ connection: Connection
    ) throws(StoreError) {
        let number = CaseID(state.id)
        let clocks = try clockIndex(of: state, now: Instant(seconds: changedAt), connection)
        try writeTopics(state, connection)
        try connection.query(
            """
            INSERT OR REPLACE INTO cases (id, year, number, network, url, external_id, status, importance, detected_at, version, repeat_of, state,
                                          topics, executors, rejection_reason, closed_at, state_bin, url_key, changed_at, author_key,
                                          next_due, next_fire)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(state.id), .integer(Int64(number?.year ?? 0)), .integer(Int64(number?.number ?? 0)),
                .text(state.network), .text(state.url), state.externalID.map { .text($0) } ?? .null,
                .text(state.status.rawValue),
                .text(state.importance.rawValue), .instant(state.detectedAt), .integer(Int64(state.version)),
                state.repeatOf.map { .text($0) } ?? .null, .text(Self.encode(state)),
                .text(state.routedTopics.joined(separator: "\u{1F}")),
                .text(state.assignments.filter(\.isLive).map(\.executor).joined(separator: "\u{1F}")),
                state.rejectionReason.map { .text($0.rawValue) } ?? .null, state.closedAt.map { .instant($0) } ?? .null,
                .blob(state.binary()),
                .text(urlKey(state.network, state.url)), .integer(changedAt), .text(Hints.authorKey(state.author)),
                clocks.nextDue.map { .instant($0) } ?? .null, clocks.nextFire.map { .instant($0) } ?? .null,
            ])
        if textMayChange { try writeText(state, connection) }
        // p.19: every file a draft of the case ever carried is referenced, so it is never removed.
        for draft in state.assignments.flatMap(\.drafts) {
            for file in draft.attachments ?? [] {
                try connection.query(
                    "INSERT OR IGNORE INTO attachment_refs (sha256, case_id) VALUES (?, ?)",
                    [.text(file.sha256), .text(state.id)])
                // A new reference to a file the clean-up removed meanwhile fails the write (both write
                // in turn, so one of them sees the other).
                if connection.changes > 0,
                    try connection.scalar("SELECT count(*) FROM attachments WHERE sha256 = ?", [.text(file.sha256)])
                        == 0
                {
                    throw .missingAttachment(file.sha256)
                }
            }
        }
        try connection.query("DELETE FROM assignments WHERE case_id = ?", [.text(state.id)])
        for assignment in state.assignments {
            try connection.query(
                "INSERT INTO assignments (id, case_id, executor, status, responsible) VALUES (?, ?, ?, ?, ?)",
                [
                    .text(state.assignmentID(assignment.index)), .text(state.id), .text(assignment.executor),
                    .text(assignment.status.rawValue), assignment.responsible.map { .text($0) } ?? .null,
                ])
            // The units that held it before a reroute: a unit's report counts the lateness that ran
            // out while it held the assignment, so it must find the case (lists do not show it).
            for (number, handover) in (assignment.handovers ?? []).enumerated() {
                try connection.query(
                    "INSERT INTO assignments (id, case_id, executor, status) VALUES (?, ?, ?, ?)",
                    [
                        .text("\(state.assignmentID(assignment.index))~\(number + 1)"), .text(state.id),
                        .text(handover.executor),
                        .text(Self.handedOver),
                    ])
            }
        }
    }

    /// The status of an `assignments` row naming a unit that held the assignment before a reroute.
    static let handedOver = "handed_over"

    /// Writes many ready cases at once (benchmark data generators), one transaction.
    public func insertProjections(_ states: [CaseState]) throws(StoreError) {
        try write { connection throws(StoreError) in
            for state in states { try writeProjection(state, changedAt: state.lastActivity.seconds, connection) }
        }
    }

    /// Writes generated cases with their events, each logged at the given time (Unix seconds), as
    /// the daemon would have written them step by step; one transaction (benchmark data).
    public func insertGenerated(_ cases: [(state: CaseState, events: [(WorkflowEvent, Instant)])]) throws(StoreError) {
        try write { connection throws(StoreError) in
            for (state, events) in cases {
                var records: [Event] = []
                for (offset, (event, time)) in events.enumerated() {
                    records.append(
                        Event(
                            time: Date(timeIntervalSince1970: TimeInterval(time.seconds)), actor: "bench",
                            kind: event.kind.rawValue,
                            subject: state.id, payload: Array(Self.encode(event).utf8), caseVersion: offset + 1))
                }
                try insert(records, connection)
                try writeProjection(state, changedAt: (events.map(\.1).max() ?? state.lastActivity).seconds, connection)
            }
        }
    }

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
                "SELECT \(columns) FROM cases WHERE closed_at >= ? AND detected_at < ?\(unitFilter)"
                + " UNION ALL SELECT \(columns) FROM cases WHERE closed_at IS NULL AND detected_at < ?\(unitFilter)"
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
            var changed: [CaseState] = []
            for id in later {
                if let state = try Self.state(of: id, asOf: asOf, connection),
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
        // A damaged row is rebuilt from the log, never left out of the report.
        var all = decoded.current.flatMap { $0 }
        for id in brokenIDs.current { all.append(try repairProjection(id)) }
        return all + changed
    }

    /// Case `id` as the event log held it at `instant` (log time): the report's view of the past.
    public func loadCase(_ id: String, asOf instant: Instant) throws(StoreError) -> CaseState? {
        try read { connection throws(StoreError) in try Self.state(of: id, asOf: instant, connection) }
    }

    /// Case `id` as its events up to `instant` (log time, whole seconds) make it; nil when it was
    /// not registered yet. One range of the (subject, id) index.
    static func state(of id: String, asOf instant: Instant, _ connection: Connection) throws(StoreError) -> CaseState? {
        let bound = EventTime.text(Date(timeIntervalSince1970: TimeInterval(instant.seconds + 1)))
        var state: CaseState?
        let decoder = JSONDecoder()
        try connection.query(
            "SELECT payload FROM events WHERE subject = ? AND case_version IS NOT NULL AND time < ? ORDER BY id",
            [.text(id), .text(bound)]
        ) { row in
            // The report reads what adds up; a rebuild names what does not.
            if case .success(let next) = fold(state, id: id, payload: row.blob(0), decoder: decoder, sequence: 0) {
                state = next
            }
        }
        return state
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
            var states: [CaseState] = []
            for id in ids {
                if let state = try Self.state(of: id, asOf: asOf, connection) { states.append(state) }
            }
            return states
        }
    }

    /// The keys a case counts under in the report's dynamics, by column (as the projection columns hold them).
    public static func reportKeys(_ state: CaseState, _ column: String) -> [String] {
        let keys: [String]
        switch column {
        case "network": keys = [state.network]
        case "importance": keys = [state.importance.rawValue]
        case "topics": keys = state.routedTopics
        // A case counts once per unit (a reopened case's fresh assignment is the same unit's).
        case "executors": keys = state.assignments.filter(\.isLive).map(\.executor).uniqued()
        case "rejection_reason":
            return state.status == .rejected ? state.rejectionReason.map { [$0.rawValue] } ?? [] : []
        case "withdrawn": return state.status == .withdrawn ? ["withdrawn"] : []
        default: return []
        }
        return keys.isEmpty ? ["-"] : keys
    }

    /// Keeps the rows whose live executors (the projection's `executors` column) include the bound
    /// unit: read from the covering index with the counts, never a list of all the unit's cases.
    static let liveExecutorFilter = " AND instr(char(31) || executors || char(31), char(31) || ? || char(31)) > 0"

    /// `liveExecutorFilter` for a state folded from the log.
    static func hasLiveExecutor(_ state: CaseState, _ unit: String) -> Bool {
        state.assignments.contains { $0.isLive && $0.executor == unit }
    }

    /// The report's dynamics columns: counts by each of them.
    public static let countColumns = ["network", "importance", "topics", "executors", "rejection_reason", "withdrawn"]

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
            for column in Self.countColumns where column == "withdrawn" || state.status != .withdrawn {
                for key in Self.reportKeys(state, column) { counts[column, default: [:]][key, default: 0] += 1 }
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

    /// Cases by status and executor unit (and with a running clock due before `dueBefore`), newest
    /// detection first.
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
        let rows = try read { connection throws(StoreError) -> [(id: String, json: String, nextDue: Instant?)] in
            // The page's ids first (the sort holds ids only: a due list may match many cases), then
            // only their states.
            let (sql, values) = Self.listQuery(
                status: status, executor: executor, limit: limit, after: after, dueBefore: dueBefore, filters: filters,
                afterDue: afterDue)
            var page: [(id: String, nextDue: Instant?)] = []
            try connection.query(sql, values) { row in
                page.append((row.text(0), row.isNull(1) ? nil : Instant(seconds: row.integer(1))))
            }
            var rows: [(id: String, json: String, nextDue: Instant?)] = []
            for entry in page {
                try connection.query("SELECT state FROM cases WHERE id = ?", [.text(entry.id)]) { row in
                    rows.append((entry.id, row.text(0), entry.nextDue))
                }
            }
            return rows
        }
        let states = try decodeOrRepair(rows.map { ($0.id, $0.json) })
        let dues = Dictionary(rows.map { ($0.id, $0.nextDue) }, uniquingKeysWith: { first, _ in first })
        return states.map { ($0, dues[$0.id] ?? nil) }
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
        }
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
        let rows = try read { connection throws(StoreError) -> [(id: String, json: String, cursor: QueueCursor)] in
            let (sql, values) = Self.queueQuery(scope, after: after, limit: limit)
            var page: [QueueCursor] = []
            try connection.query(sql, values) { row in
                page.append(
                    QueueCursor(
                        nextDue: Instant(seconds: row.integer(1)), detectedAt: Instant(seconds: row.integer(2)),
                        id: row.text(0)))
            }
            var rows: [(id: String, json: String, cursor: QueueCursor)] = []
            for cursor in page {
                try connection.query("SELECT state FROM cases WHERE id = ?", [.text(cursor.id)]) { row in
                    rows.append((cursor.id, row.text(0), cursor))
                }
            }
            return rows
        }
        let states = try decodeOrRepair(rows.map { ($0.id, $0.json) })
        let cursors = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.cursor) })
        return states.compactMap { state in cursors[state.id].map { (state, $0) } }
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

    /// The notices already recorded for a case's clocks (`clock_key|notice`).
    public func recordedNotices(_ caseID: String) throws(StoreError) -> Set<String> {
        try read { connection throws(StoreError) in try Self.recordedNotices(caseID, connection) }
    }

    /// Records a clock's notice (breach or warning) and its event once: a second call for the same
    /// clock and notice writes nothing and returns nil.
    public func recordNotice(caseID: String, clockKey: String, notice: String, event: Event) throws(StoreError)
        -> Event?
    {
        try write { connection throws(StoreError) -> Event? in
            let seen = try connection.scalar(
                "SELECT count(*) FROM clock_notices WHERE case_id = ? AND clock_key = ? AND notice = ?",
                [.text(caseID), .text(clockKey), .text(notice)])
            guard seen == 0 else { return nil }
            let stored = try insert([event], connection)[0]
            try connection.query(
                "INSERT INTO clock_notices (case_id, clock_key, notice, event_id) VALUES (?, ?, ?, ?)",
                [.text(caseID), .text(clockKey), .text(notice), .integer(stored.id)])
            return stored
        }
    }

    /// The events of one case, in order.
    /// The events of one case after `after`, in order, at most `limit` (one index range: subject, id).
    public func caseHistory(_ id: String, after: Int64 = 0, limit: Int = Int(Int32.max)) throws(StoreError) -> [Event] {
        try read { connection throws(StoreError) in
            var events: [Event] = []
            try connection.query(
                "SELECT \(Event.columns) FROM events WHERE subject = ? AND id > ? ORDER BY id LIMIT ?",
                [.text(id), .integer(after), .integer(Int64(limit))]
            ) {
                events.append(Event($0))
            }
            return events
        }
    }

    /// Throws the projections away and rebuilds them from the event log. Returns the number of cases.
    @discardableResult
    public func rebuildProjections() throws(StoreError) -> Int {
        try write { connection throws(StoreError) in
            try connection.execute("DELETE FROM assignments; DELETE FROM case_topics; DELETE FROM cases;")
            // Written without the rules, the clock index is conservative: the next start re-indexes it.
            if clockIndexer == nil { try forgetClockBasis(connection) }
            var states: [String: CaseState] = [:]
            var changed: [String: Int64] = [:]
            var order: [String] = []
            var failure: String?
            let decoder = JSONDecoder()
            try connection.query(
                "SELECT subject, payload, time, id FROM events WHERE case_version IS NOT NULL ORDER BY id"
            ) { row in
                let id = row.text(0)
                let next: CaseState
                switch Self.fold(states[id], id: id, payload: row.blob(1), decoder: decoder, sequence: row.integer(3)) {
                case .success(let state): next = state
                case .failure(let why):
                    if failure == nil { failure = why.message }
                    return
                }
                if states[id] == nil { order.append(id) }
                states[id] = next
                changed[id] = max(changed[id] ?? 0, EventTime.unix(row.text(2)))
            }
            if let failure { throw .corrupt(path: path, findings: [failure]) }
            for id in order { try writeProjection(states[id]!, changedAt: changed[id]!, connection) }
            return order.count
        }
    }

    /// Every projection row as text, in a stable order: two stores with equal digests hold equal projections.
    public func projectionDigest() throws(StoreError) -> String {
        try read { connection throws(StoreError) in
            var lines: [String] = []
            try connection.query(
                "SELECT id, year, number, network, url, coalesce(external_id, ''), status, importance, detected_at, version, coalesce(repeat_of, ''), state FROM cases ORDER BY id"
            ) { row in
                lines.append((0..<12).map { row.text(Int32($0)) }.joined(separator: "|"))
            }
            try connection.query("SELECT id, case_id, executor, status FROM assignments ORDER BY id") { row in
                lines.append((0..<4).map { row.text(Int32($0)) }.joined(separator: "|"))
            }
            return lines.joined(separator: "\n")
        }
    }
}
