/// What staff ask the workflow to do with a case.
public enum CaseCommand: Sendable, Equatable {
    /// A message found in a network (p.5). `detectedAt` is a fact from outside.
    case register(Registration)
    /// p.7, p.17: set topics and importance and route to one or more executors.
    case route(executors: [String], topics: [String: [String]], importance: Importance?)
    /// p.20.
    case reject(reason: RejectionReason, comment: String)
    /// p.18: this message repeats an earlier case.
    case linkRepeat(of: String)
    case changeImportance(Importance)
    /// p.10, p.11, p.14, p.16. `copyOf`: the case whose published reply has this text's fingerprint
    /// (`ReplyQuality.fingerprint`), as the store found it; nil when none has.
    case submitDraft(
        assignment: Int, kind: DraftKind, text: String, measures: String,
        attachments: DraftAttachmentChange = DraftAttachmentChange(), copyOf: String? = nil)
    /// p.19: the curator waives the profile's evidence rule for the draft in review, with a reason.
    case waiveEvidence(assignment: Int, reason: String)
    /// p.13.
    case approveDraft(assignment: Int)
    /// Issue 31: the curator groups the case into incident `id`.
    case joinIncident(Int)
    /// Issue 31: the case leaves its incident before its reply went out; `reason` may be empty.
    case leaveIncident(reason: String)
    case returnDraft(assignment: Int, reason: ReturnReason, comment: String)
    /// p.15. `at` is when the reply went out (a fact), nil for now.
    /// `filesLeftOut`: a connector published it without some of the draft's files (its token cannot
    /// attach them, or its network refused one); `filesSent` the draft's files that did go out.
    case publish(
        assignment: Int, url: String, account: String, at: Instant?, filesLeftOut: Bool = false,
        filesSent: [String] = [])
    /// p.10: the author answered a clarification at `at` (a fact).
    case authorAnswered(assignment: Int, at: Instant, text: String)
    /// p.21: an executor takes the assignment, or it is given to `login`, who then answers for it.
    case take(assignment: Int, login: String)
    case give(assignment: Int, to: String)
    // Corrections (each with a required reason).
    /// Moves an assignment none of whose drafts is approved to another unit.
    case reroute(assignment: Int, to: String, topics: [String], reason: String)
    /// Adds an executor to a routed case (a split made wrong).
    case addExecutor(String, topics: [String], reason: String)
    case cancelAssignment(Int, reason: String)
    /// A message registered by mistake.
    case withdraw(reason: String)
    /// Corrects registration facts; clocks follow the corrected facts.
    case correct(Correction, reason: String)
    /// Opens a closed case again: a done case gets fresh assignments (`executors`, or the units
    /// that answered), a rejected or withdrawn one returns to where it was.
    case reopen(executors: [String], reason: String)
    /// The profile's clarification limit passed without the author's answer (the scheduler).
    case closeWithoutAnswer(assignment: Int)
    // The network (issue 29), as its connector reports it.
    /// What the author did with the message in the network; `id` the network's name for the change
    /// (VK's `event_id`), so that one reported again is recorded once ("" when it has none).
    case networkChange(NetworkChange, id: String = "")
    /// p.15: the curator asks the connector of `network` to publish the approved reply.
    case requestPublication(assignment: Int, network: String)
    /// The connector could not publish the requested reply.
    case publicationFailed(assignment: Int, failure: PublicationFailure)

    /// What the author did with a message in its network.
    public enum NetworkChange: Sendable, Equatable {
        /// Edited: the text as it reads now.
        case edited(text: String)
        /// Deleted: by whom, where the network says (nil: it does not).
        case deleted(by: MessageDeleter? = nil)
        case restored
    }

    /// Registration facts to correct; nil leaves a fact as it is.
    public struct Correction: Sendable, Equatable {
        public var detectedAt: Instant?
        public var postedAt: Instant?
        public var url: String?
        public var author: String?
        public var network: String?
        public var importance: Importance?
        /// Times more than the profile's `max_fact_age_days` before now are taken only with this.
        public var allowOld: Bool

        public init(
            detectedAt: Instant? = nil, postedAt: Instant? = nil, url: String? = nil, author: String? = nil,
            network: String? = nil,
            importance: Importance? = nil, allowOld: Bool = false
        ) {
            self.detectedAt = detectedAt
            self.postedAt = postedAt
            self.url = url
            self.author = author
            self.network = network
            self.importance = importance
            self.allowOld = allowOld
        }
    }

    /// The assignment a command acts on, if any.
    public var assignmentIndex: Int? {
        switch self {
        case .submitDraft(let index, _, _, _, _, _), .approveDraft(let index), .returnDraft(let index, _, _),
            .waiveEvidence(let index, _),
            .publish(let index, _, _, _, _, _),
            .authorAnswered(let index, _, _), .take(let index, _), .give(let index, _), .reroute(let index, _, _, _),
            .cancelAssignment(let index, _), .closeWithoutAnswer(let index), .requestPublication(let index, _),
            .publicationFailed(let index, _):
            index
        case .register, .route, .reject, .linkRepeat, .changeImportance, .addExecutor, .withdraw, .correct, .reopen,
            .networkChange, .joinIncident, .leaveIncident:
            nil
        }
    }

    public struct Registration: Sendable, Equatable {
        public var network: String
        public var url: String
        public var author: String
        public var text: String
        public var detectedAt: Instant
        public var postedAt: Instant?
        public var externalID: String?
        public var topics: [String]
        public var importance: Importance
        /// Times more than the profile's `max_fact_age_days` before now are taken only with this.
        public var allowOld: Bool = false

        public init(
            network: String, url: String, author: String, text: String, detectedAt: Instant, postedAt: Instant? = nil,
            externalID: String? = nil, topics: [String] = [], importance: Importance = .normal, allowOld: Bool = false
        ) {
            self.allowOld = allowOld
            self.network = network
            self.url = url
            self.author = author
            self.text = text
            self.detectedAt = detectedAt
            self.postedAt = postedAt
            self.externalID = externalID
            self.topics = topics
            self.importance = importance
        }
    }
}
