import Foundation
public import OtklikCore

/// Issue 31: incidents. An incident's own facts are a row of `incidents` written with its
/// `incident.put` event; its members are the cases whose projection names it (`cases.incident`).
extension Store {
    /// One case's part of an incident's step: the events decided on it at `expectedVersion`.
    public struct CaseStep: Sendable {
        public var caseID: String
        public var expectedVersion: Int
        public var events: [WorkflowEvent]

        public init(caseID: String, expectedVersion: Int, events: [WorkflowEvent]) {
            self.caseID = caseID
            self.expectedVersion = expectedVersion
            self.events = events
        }
    }

    /// Why an incident's step was not written.
    public enum IncidentWriteError: Error, Sendable {
        /// A case's write failed (it moved on, is gone, or refused its events).
        case onCase(String, CaseWriteError)
        /// A new incident's number was taken meanwhile: decide again.
        case numberTaken
        /// The incident took another step since it was read (its version is `current`).
        case incidentMoved(current: Int)
    }

    /// The next incident number (the one `commitIncident(_:isNew:...)` expects for a new incident).
    public func nextIncidentID() throws(StoreError) -> Int {
        try read { connection throws(StoreError) in
            Int(try connection.scalar("SELECT coalesce(max(id), 0) + 1 FROM incidents"))
        }
    }

    /// Writes an incident's step in one transaction: every case's events, the incident moved on from
    /// `incident.version` (refused when it moved meanwhile), and, when `put`, the incident's own facts
    /// as given with their `incident.put` event (a new incident when `isNew`, refused when its number is
    /// taken). Nothing is written unless all of it is.
    public func commitIncident(
        _ incident: Incident, put: Bool, isNew: Bool = false, steps: [CaseStep], actor: String, onBehalf: String,
        now: Instant
    ) throws(IncidentWriteError) -> [CaseState] {
        // A refusal throws out of the write, so that the writer rolls back every case written before it
        // (and announces none of their events); `refused` says why.
        var refused: IncidentWriteError?
        do {
            return try write { connection throws(StoreError) -> [CaseState] in
                func refuse(_ error: IncidentWriteError) -> StoreError {
                    refused = error
                    return .sqlite(code: 0, message: "the incident's step was refused")
                }
                if isNew {
                    if try connection.scalar(
                        "SELECT count(*) FROM incidents WHERE id = ?", [.integer(Int64(incident.id))]) > 0
                    {
                        throw refuse(.numberTaken)
                    }
                } else {
                    let current = try connection.scalar(
                        "SELECT coalesce(max(version), 0) FROM incidents WHERE id = ?", [.integer(Int64(incident.id))])
                    guard current == Int64(incident.version) else {
                        throw refuse(.incidentMoved(current: Int(current)))
                    }
                }
                if put || isNew {
                    try connection.query(
                        """
                        INSERT INTO incidents (id, title, topics, routing, created_at, created_by, changed_at, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET title = excluded.title, topics = excluded.topics,
                            routing = excluded.routing, changed_at = excluded.changed_at, version = excluded.version
                        """,
                        [
                            .integer(Int64(incident.id)), .text(incident.title),
                            .text(incident.topics.joined(separator: "\u{1F}")), .text(Self.encode(incident.routing)),
                            .instant(incident.createdAt), .text(incident.createdBy), .instant(now),
                            .integer(Int64(isNew ? incident.version : incident.version + 1)),
                        ])
                    var stored = incident
                    stored.version = isNew ? incident.version : incident.version + 1
                    try insert(
                        [
                            Event(
                                time: now, actor: actor, kind: .incidentPut, subject: Self.incidentSubject(incident.id),
                                payload: Array(Self.encode(stored).utf8), onBehalf: onBehalf)
                        ], connection)
                } else {
                    try connection.query(
                        "UPDATE incidents SET version = version + 1, changed_at = ? WHERE id = ?",
                        [.instant(now), .integer(Int64(incident.id))])
                }
                var states: [CaseState] = []
                for step in steps where !step.events.isEmpty {
                    switch try commitStep(
                        caseID: step.caseID, expectedVersion: step.expectedVersion, events: step.events, actor: actor,
                        onBehalf: onBehalf, now: now, connection)
                    {
                    case .success(let state): states.append(state)
                    case .failure(let error): throw refuse(.onCase(step.caseID, error))
                    }
                }
                return states
            }
        } catch {
            if let refused { throw refused }
            throw .onCase("", .store(error))
        }
    }

    /// The subject of an incident's own events.
    public static func incidentSubject(_ id: Int) -> String { "incident/\(id)" }

    /// The incident `id`, nil when there is none.
    public func loadIncident(_ id: Int) throws(StoreError) -> Incident? {
        try read { connection throws(StoreError) in
            var found: Incident?
            try connection.query(
                "SELECT id, title, topics, routing, created_at, created_by, version FROM incidents WHERE id = ?",
                [.integer(Int64(id))]
            ) { found = Self.incident($0) }
            return found
        }
    }

    /// The incidents, the newest first, at most `limit`, each with its number of cases and of those
    /// still open (new or routed); with `units`, only those with a case one of the units holds or held
    /// an assignment of (each incident's cases are a seek, never the history).
    public func incidents(limit: Int, units: Set<String>? = nil) throws(StoreError)
        -> [(incident: Incident, cases: Int, open: Int)]
    {
        try read { connection throws(StoreError) in
            var rows: [(incident: Incident, cases: Int, open: Int)] = []
            try connection.query(
                """
                SELECT i.id, i.title, i.topics, i.routing, i.created_at, i.created_by, i.version,
                    (SELECT count(*) FROM cases c WHERE c.incident = i.id),
                    (SELECT count(*) FROM cases c WHERE c.incident = i.id AND c.status IN ('new', 'routed'))
                FROM incidents i\(units == nil ? "" : " WHERE EXISTS (\(Self.heldBy(units ?? [], incident: "i.id")))")
                ORDER BY i.id DESC LIMIT ?
                """, (units ?? []).sorted().map { .text($0) } + [.integer(Int64(limit))]
            ) { row in
                if let incident = Self.incident(row) {
                    rows.append((incident, Int(row.integer(7)), Int(row.integer(8))))
                }
            }
            return rows
        }
    }

    /// The ids of the cases in incident `id`, in order (one seek of `cases_incident`); only those new or
    /// routed with `openOnly`.
    public func incidentMembers(_ id: Int, openOnly: Bool = false) throws(StoreError) -> [String] {
        try read { connection throws(StoreError) in
            var ids: [String] = []
            try connection.query(
                "SELECT id FROM cases WHERE incident = ?\(openOnly ? " AND status IN ('new', 'routed')" : "") ORDER BY id",
                [.integer(Int64(id))]
            ) { ids.append($0.text(0)) }
            return ids
        }
    }

    /// Whether incident `id` has a case one of `units` holds or held an assignment of.
    public func incidentHeld(_ id: Int, by units: Set<String>) throws(StoreError) -> Bool {
        try read { connection throws(StoreError) in
            try connection.scalar(
                "SELECT EXISTS (\(Self.heldBy(units, incident: "?")))",
                units.sorted().map { .text($0) } + [.integer(Int64(id))]) != 0
        }
    }

    /// The rows of a case of incident `incident` (a column or `?`, bound after the units) with an
    /// assignment of one of `units`: through the incident's cases (`cases_incident`, then each case's
    /// assignments), never the units' whole history (`+` keeps the executor index out of it).
    private static func heldBy(_ units: Set<String>, incident: String) -> String {
        let marks = units.isEmpty ? "NULL" : Array(repeating: "?", count: units.count).joined(separator: ", ")
        return "SELECT 1 FROM cases c JOIN assignments a ON a.case_id = c.id"
            + " WHERE +a.executor IN (\(marks)) AND c.incident = \(incident)"
    }

    /// The cases answering the same network post as `state` (`PostURL.key` without its query: the
    /// comments under one VK post or one Telegram channel post), at most `limit`, never the case itself.
    public func casesUnderSamePost(as state: CaseState, limit: Int) throws(StoreError) -> [String] {
        let key = urlKey(state.network, state.url)
        let post = String(key.prefix { $0 != "?" })
        guard !post.isEmpty else { return [] }
        return try read { connection throws(StoreError) in
            var ids: [String] = []
            // Two ranges of `cases_url_key` (the post itself, and its comments: the key's query follows a
            // "?"), never the network's whole history; then the newest of what they hold.
            try connection.query(
                """
                SELECT id FROM (
                    SELECT id FROM cases WHERE network = ? AND url_key = ?
                    UNION ALL SELECT id FROM cases WHERE network = ? AND url_key > ? AND url_key < ?
                ) WHERE id != ? ORDER BY id DESC LIMIT ?
                """,
                [
                    .text(state.network), .text(post), .text(state.network), .text(post + "?"), .text(post + "@"),
                    .text(state.id), .integer(Int64(limit)),
                ]
            ) { ids.append($0.text(0)) }
            return ids
        }
    }

    private static func incident(_ row: Row) -> Incident? {
        let routing =
            (try? JSONDecoder().decode([Incident.Route].self, from: Data(row.text(3).utf8))) ?? []
        let topics = row.text(2).split(separator: "\u{1F}").map(String.init)
        return Incident(
            id: Int(row.integer(0)), title: row.text(1), topics: topics, routing: routing,
            createdAt: Instant(seconds: row.integer(4)), createdBy: row.text(5), version: Int(row.integer(6)))
    }
}
