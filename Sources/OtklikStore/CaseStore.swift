@preconcurrency import Dispatch
import Foundation
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

    /// The case's projection, and whether its row is there but does not decode. Read from its binary
    /// form, which every write stores beside the JSON and which reads many times faster (every step
    /// loads its case; a case of forty 64 KiB drafts is megabytes); from the JSON where that is missing
    /// or does not read (a row written before it existed, or by a build with a newer binary form).
    static func loadCase(_ id: String, _ connection: Connection) throws(StoreError) -> (
        CaseState?, broken: Bool
    ) {
        var state: CaseState?
        var found = false
        try connection.query("SELECT state_bin FROM cases WHERE id = ?", [.text(id)]) { row in
            found = true
            state = CaseState(binary: row.blob(0))
        }
        guard found, state == nil else { return (state, false) }
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
        try connection.query(
            "SELECT payload, time, id FROM events WHERE subject = ? AND case_version IS NOT NULL ORDER BY id",
            [.text(id)]
        ) { row in
            guard failure == nil else { return }
            switch Self.fold(state, id: id, payload: row.blob(0), sequence: row.integer(2)) {
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
    static func fold(
        _ state: CaseState?, id: String, payload: [UInt8], sequence: Int64
    ) -> Result<CaseState, FoldFailure> {
        guard let event = try? WorkflowEvent(json: payload) else {
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

    /// The cases with a reply waiting for the connector of `network` (issue 29) whose message's external
    /// id begins with `externalPrefix`, at most `limit`: read from the waiting rows alone.
    public func casesWaitingForConnector(network: String, externalPrefix: String, limit: Int) throws(StoreError)
        -> [CaseState]
    {
        try projections(
            """
            SELECT DISTINCT c.id, c.state_bin FROM assignments a JOIN cases c ON c.id = a.case_id
            WHERE a.publish_via = ? AND substr(c.external_id, 1, length(?)) = ? ORDER BY a.id LIMIT ?
            """,
            [.text(network), .text(externalPrefix), .text(externalPrefix), .integer(Int64(limit))])
    }

    /// How many replies wait for the connector of `network` whose messages' external ids begin with
    /// `externalPrefix`, and how many it could not publish (waiting for the curator).
    public func connectorPublications(network: String, externalPrefix: String) throws(StoreError)
        -> (waiting: Int, failed: Int)
    {
        try read { connection throws(StoreError) in
            func count(_ column: String) throws(StoreError) -> Int {
                Int(
                    try connection.scalar(
                        """
                        SELECT count(*) FROM assignments a JOIN cases c ON c.id = a.case_id
                        WHERE a.\(column) = ? AND substr(c.external_id, 1, length(?)) = ?
                        """, [.text(network), .text(externalPrefix), .text(externalPrefix)]))
            }
            return (try count("publish_via"), try count("publish_failed"))
        }
    }

    /// The case of the message a connector registered as `externalID` in `network`, if any.
    public func findCase(network: String, externalID: String) throws(StoreError) -> CaseState? {
        let id = try read { connection throws(StoreError) in
            try findID(network: network, externalID: externalID, connection)
        }
        return try id.flatMap { id throws(StoreError) in try loadCase(id) }
    }

    /// An already registered message: the same network and external id, or the same network and post URL.
    public func findCase(network: String, externalID: String?, url: String) throws(StoreError) -> CaseState? {
        let id = try read { connection throws(StoreError) in
            try findID(network: network, externalID: externalID, url: url, connection)
        }
        return try id.flatMap { id throws(StoreError) in try loadCase(id) }
    }

    /// The case registered with `externalID` in `network` (`cases_external`).
    private func findID(network: String, externalID: String, _ connection: Connection) throws(StoreError) -> String? {
        var id: String?
        try connection.query(
            "SELECT id FROM cases WHERE network = ? AND external_id = ? LIMIT 1", [.text(network), .text(externalID)]
        ) { id = $0.text(0) }
        return id
    }

    private func findID(network: String, externalID: String?, url: String, _ connection: Connection) throws(StoreError)
        -> String?
    {
        var id = try externalID.flatMap { externalID throws(StoreError) in
            try findID(network: network, externalID: externalID, connection)
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
    public func registerCase(year: Int, event: WorkflowEvent, actor: String, onBehalf: String, now: Instant)
        throws(StoreError) -> (state: CaseState, existing: Bool)
    {
        try registerCases([(year, event)], actor: actor, onBehalf: onBehalf, now: now)[0]
    }

    /// Registers several messages in one transaction, each as `registerCase` would: a message
    /// already registered (before, or earlier in the same batch) is found, not added. One entry per
    /// message, in order.
    public func registerCases(
        _ messages: [(year: Int, event: WorkflowEvent)], actor: String, onBehalf: String, now: Instant
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
                            time: now, actor: actor, kind: event.kind, subject: id,
                            payload: Array(Self.encode(event).utf8),
                            onBehalf: onBehalf, caseVersion: state.version)
                    ], connection)
                try writeProjection(state, changedAt: now.seconds, connection)
                results.append((state, false))
            }
            return results
        }
    }

    /// Appends one command's events to case `id` if it is still at `expectedVersion`, and writes the
    /// new projection, in one transaction.
    public func commit(
        caseID: String, expectedVersion: Int, events: [WorkflowEvent], actor: String, onBehalf: String, now: Instant
    ) throws(CaseWriteError) -> CaseState {
        let result: Result<CaseState, CaseWriteError>
        do {
            result = try write { connection throws(StoreError) -> Result<CaseState, CaseWriteError> in
                try commitStep(
                    caseID: caseID, expectedVersion: expectedVersion, events: events, actor: actor,
                    onBehalf: onBehalf, now: now, connection)
            }
        } catch {
            throw .store(error)
        }
        return try result.get()
    }

    /// One case's step inside a transaction: its events appended and its projection written, or why
    /// not (nothing written then; the caller's transaction decides the rest).
    func commitStep(
        caseID: String, expectedVersion: Int, events: [WorkflowEvent], actor: String, onBehalf: String, now: Instant,
        _ connection: Connection
    ) throws(StoreError) -> Result<CaseState, CaseWriteError> {
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
                    time: now, actor: actor, kind: event.kind, subject: caseID,
                    payload: Array(Self.encode(event).utf8), onBehalf: onBehalf, caseVersion: state.version))
        }
        try insert(records, connection)
        // A step leaves the text index alone unless it changed the author or the text (a correction).
        try writeProjection(
            state, changedAt: now.seconds,
            textMayChange: before != (state.author, state.text), connection)
        return .success(state)
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
            "INSERT INTO case_text (rowid, author, text, author_stems, text_stems) VALUES (?, ?, ?, ?, ?)",
            [
                .integer(key), .text(state.author), .text(state.text), .text(WordForms.stemText(state.author)),
                .text(WordForms.stemText(state.text)),
            ])
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
                                          next_due, next_fire, incident)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
                state.incident.map { .integer(Int64($0)) } ?? .null,
            ])
        if textMayChange { try writeText(state, connection) }
        try writeDerivedRows(state, connection)
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
                """
                INSERT INTO assignments (id, case_id, executor, status, responsible, publish_via, publish_failed)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(state.assignmentID(assignment.index)), .text(state.id), .text(assignment.executor),
                    .text(assignment.status.rawValue), assignment.responsible.map { .text($0) } ?? .null,
                    state.waitingPublication(assignment.index).map { .text($0.network) } ?? .null,
                    state.failedPublication(assignment.index).map { .text($0.network) } ?? .null,
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

    /// Writes generated cases with their events, each logged at the given time (Unix seconds), as
    /// the daemon would have written them step by step; one transaction (benchmark data).
    public func insertGenerated(_ cases: [(state: CaseState, events: [(WorkflowEvent, Instant)])]) throws(StoreError) {
        try write { connection throws(StoreError) in
            for (state, events) in cases {
                var records: [Event] = []
                for (offset, (event, time)) in events.enumerated() {
                    records.append(
                        Event(
                            time: time, actor: "bench",
                            kind: event.kind,
                            subject: state.id, payload: Array(Self.encode(event).utf8), caseVersion: offset + 1))
                }
                try insert(records, connection)
                try writeProjection(state, changedAt: (events.map(\.1).max() ?? state.lastActivity).seconds, connection)
            }
        }
    }

}
