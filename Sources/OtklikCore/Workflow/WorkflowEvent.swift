/// One thing that happened to a case. The case and its assignments are what these events add up
/// to (`CaseState.apply`); clocks are derived from them and the schedules (`CaseClocks`).
///
/// Events that stop clocks carry the due time each stopped clock was met against, so a met clock
/// keeps the due time it had, while open clocks follow later changes of importance or calendar.
public struct WorkflowEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case registered = "case.registered"
        case routed = "case.routed"
        case rejected = "case.rejected"
        case repeatLinked = "case.repeat_linked"
        case importanceChanged = "case.importance_changed"
        case draftSubmitted = "draft.submitted"
        case draftApproved = "draft.approved"
        case draftReturned = "draft.returned"
        case replyPublished = "reply.published"
        case authorAnswered = "author.answered"
        case assignmentTaken = "assignment.taken"
        case assignmentGiven = "assignment.given"
    }

    /// A clock this event stopped, with the due time it had then.
    public struct MetClock: Sendable, Codable, Equatable {
        public var clock: ClockKind
        public var due: Int64

        public init(clock: ClockKind, due: Int64) {
            self.clock = clock
            self.due = due
        }
    }

    public struct NewAssignment: Sendable, Codable, Equatable {
        public var index: Int
        public var executor: String
        public var topics: [String]

        public init(index: Int, executor: String, topics: [String]) {
            self.index = index
            self.executor = executor
            self.topics = topics
        }
    }

    public var kind: Kind
    /// When it happened, Unix seconds: the daemon's clock, or the fact's own time for
    /// registration (detection), publication and the author's answer.
    public var at: Int64
    /// The assignment (1-based) for draft and reply events.
    public var assignment: Int?
    public var met: [MetClock]?

    // case.registered
    public var network: String?
    public var url: String?
    public var author: String?
    public var text: String?
    public var postedAt: Int64?
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

    public init(kind: Kind, at: Int64, assignment: Int? = nil, met: [MetClock]? = nil) {
        self.kind = kind
        self.at = at
        self.assignment = assignment
        self.met = met
    }

    enum CodingKeys: String, CodingKey {
        case kind, at, assignment, met, network, url, author, text, topics, importance, assignments, reason, comment, measures, account, login
        case postedAt = "posted_at"
        case externalID = "external_id"
        case repeatOf = "repeat_of"
        case draftKind = "draft_kind"
    }
}
