/// One thing that happened to a case. The case and its assignments are what these events add up
/// to (`CaseState.apply`); clocks are derived from them and the schedules (`CaseClocks`).
///
/// Events that stop clocks carry the due time each stopped clock was met against, so a met clock
/// keeps the due time it had, while open clocks follow later changes of importance or calendar.
public struct WorkflowEvent: Sendable, Codable, Equatable {
    /// The kinds of events a case has (the workflow's part of `EventKind`).
    public typealias Kind = EventKind

    /// A clock this event stopped, with the due time it had then.
    public struct MetClock: Sendable, Codable, Equatable {
        public var clock: ClockKind
        public var due: Instant
        /// `case.corrected`: the assignment whose met clock is re-stated (nil: the route clock).
        public var assignment: Int?

        public init(clock: ClockKind, due: Instant, assignment: Int? = nil) {
            self.clock = clock
            self.due = due
            self.assignment = assignment
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case clock, due, assignment }
    }

    /// `case.corrected`: one fact's value before and after, as text (instants as Unix seconds).
    public struct Change: Sendable, Codable, Equatable {
        public var field: CorrectableField
        public var old: String?
        public var new: String?

        public init(field: CorrectableField, old: String?, new: String?) {
            self.field = field
            self.old = old
            self.new = new
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case field, old, new }
    }

    public struct NewAssignment: Sendable, Codable, Equatable {
        public var index: Int
        public var executor: String
        public var topics: [String]

        /// When its clocks start: nil for the message's detection (routing, a unit added), the
        /// reopening instant for a fresh cycle.
        public var startedAt: Instant?

        public init(index: Int, executor: String, topics: [String], startedAt: Instant? = nil) {
            self.index = index
            self.executor = executor
            self.topics = topics
            self.startedAt = startedAt
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case index, executor, topics
            case startedAt = "started_at"
        }
    }

    public var kind: Kind
    /// When it happened, Unix seconds: the daemon's clock, or the fact's own time for
    /// registration (detection), publication and the author's answer.
    public var at: Instant
    /// The assignment (1-based) for draft and reply events.
    public var assignment: Int?
    public var met: [MetClock]?

    // case.registered
    public var network: String?
    public var url: String?
    public var author: String?
    public var text: String?
    public var postedAt: Instant?
    public var externalID: String?
    public var topics: [String]?
    public var importance: Importance?
    // case.routed
    public var assignments: [NewAssignment]?
    // case.rejected
    public var reason: String?
    public var comment: String?
    // case.repeat_linked
    public var repeatOf: String?
    // draft.submitted
    public var draftKind: DraftKind?
    public var measures: String?
    // reply.published
    public var account: String?
    // assignment.taken, assignment.given: who answers for the assignment now
    public var login: String?
    // draft.submitted: the logins that submitted it (the caller and whom they acted as), so that
    // none of them approves, returns or publishes it (p.5, p.13).
    public var by: [String]?
    // assignment.rerouted: the unit it moves to
    public var executor: String?
    // case.corrected
    public var changes: [Change]?
    // draft.submitted: the files the draft carries (p.19)
    public var attachments: [DraftAttachment]?
    // reply.publication_failed: why the connector could not publish
    public var failure: PublicationFailure?
    // reply.published by a connector: not all of the draft's files went out with it
    public var filesLeftOut: Bool?
    // with filesLeftOut: the draft's files (sha256) that did go out; absent: none
    public var filesSent: [String]?
    // message.deleted: who deleted it, where the network says
    public var deletedBy: MessageDeleter?
    // message.edited, .deleted, .restored: the network's name for the change (VK's event_id)
    public var changeID: String?
    // draft.submitted: what the reply-quality check found (issue 31), absent when nothing
    public var findings: [ReplyFinding]?
    // case.incident_joined, .incident_left, and every step an incident's call recorded on its cases
    // (issue 31): the incident
    public var incident: Int?
    // draft.submitted on an incident's case: which submission of the incident it is (`CASE/N#K`, the
    // assignment and draft it was written on; the same on every copy), and its text as written, with
    // `{author}` where each case's author goes
    public var incidentDraft: String?
    public var draftTemplate: String?

    public init(kind: Kind, at: Instant, assignment: Int? = nil, met: [MetClock]? = nil) {
        self.kind = kind
        self.at = at
        self.assignment = assignment
        self.met = met
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, at, assignment, met, network, url, author, text, topics, importance, assignments, reason, comment,
            measures, account, login
        case by, executor, changes
        case attachments, failure, findings, incident
        case incidentDraft = "incident_draft"
        case draftTemplate = "draft_template"
        case postedAt = "posted_at"
        case externalID = "external_id"
        case repeatOf = "repeat_of"
        case draftKind = "draft_kind"
        case filesLeftOut = "files_left_out"
        case filesSent = "files_sent"
        case deletedBy = "deleted_by"
        case changeID = "change_id"
    }
}

/// Why a connector could not publish a reply: the kind the curator acts on, and the network's own
/// code and words (kept as the network said them, for the administrator).
public struct PublicationFailure: Sendable, Codable, Equatable {
    public var kind: PublicationFailureKind
    /// The network's error code (VK's `error_code`, Telegram's `error_code`); 0 when it gave none.
    public var code: Int
    /// The network's own description of the error.
    public var message: String

    public init(kind: PublicationFailureKind, code: Int, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, code, message }
}
