// The parts of a case (CaseState): its assignments, each with its drafts, replies, pauses and handovers.

/// When a stopped clock was due and when it was met.
public struct MetRecord: Sendable, Codable, Equatable {
    public var due: Instant
    public var at: Instant
}

public struct Draft: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case submitted, approved, returned, published
    }

    public var kind: DraftKind
    public var text: String
    public var measures: String?
    public var submittedAt: Instant
    public var status: Status
    /// Approval or return.
    public var decidedAt: Instant?
    public var returnReason: ReturnReason?
    public var returnComment: String?
    /// p.13: this submission's review clock, once the curator decided.
    public var reviewMet: MetRecord?
    /// p.14: the rework clock this draft's return started, once the next draft came.
    public var reworkMet: MetRecord?
    /// p.15: the publish clock this draft's approval started, once it was published (or sent back).
    public var publishMet: MetRecord?
    /// The logins that submitted it: none of them may approve, return or publish it.
    public var submittedBy: [String]?
    /// p.18: when the system sent this approved draft back for measures (its rework clock starts then).
    public var sentBackAt: Instant?
    /// p.19: the files it carries (a returned draft's stay with the next submission unless removed).
    public var attachments: [DraftAttachment]?
    /// p.19: the curator waived the profile's evidence rule for this draft.
    public var evidenceWaiver: EvidenceWaiver?
    /// Issue 31: what the reply-quality check found when it was submitted; nil when nothing.
    public var findings: [ReplyFinding]?
    /// Issue 31: the incident whose draft this is (submitted while the case was in it).
    public var incident: Int?
    /// Issue 31: which submission of the incident it is (the same on every case it was submitted on: one
    /// approval decides exactly those), and its text with `{author}` where each case's author goes.
    public var incidentDraft: String?
    public var draftTemplate: String?

    /// The reply as it goes out: its text, and the measures taken when it states them apart (p.18:
    /// a repeat's reply states them) and the text does not already hold them.
    public var publishedText: String {
        guard let measures = measures?.trimmingWhitespace, !measures.isEmpty, !text.contains(measures) else {
            return text
        }
        return text + "\n\n" + measures
    }

    /// Whether it carries a photo or a video (p.19's evidence).
    public var hasPhotoOrVideo: Bool { attachments?.contains { $0.kind == .photo || $0.kind == .video } ?? false }

    /// When its rework clock started: the return, or the sending back.
    public var returnedAt: Instant? { status == .returned ? sentBackAt ?? decidedAt : nil }
}

public struct Reply: Sendable, Codable, Equatable {
    public var kind: DraftKind
    public var url: String
    public var account: String?
    public var publishedAt: Instant
    /// p.19: the SHA-256 of each file that went out with it.
    public var attachments: [String]?
    /// A connector published it as text: its token cannot attach the draft's files (issue 29).
    public var filesLeftOut: Bool?

    public init(kind: DraftKind, url: String, account: String?, publishedAt: Instant) {
        self.kind = kind
        self.url = url
        self.account = account
        self.publishedAt = publishedAt
    }
}

/// p.19: a file a draft carries, as the draft records it (the bytes are content-addressed beside the
/// database, `AttachmentFiles`).
public struct DraftAttachment: Sendable, Codable, Equatable {
    public var sha256: String
    public var name: String
    public var kind: AttachmentKind
    public var size: Int64
    /// A photo's capture time from its EXIF.
    public var capturedAt: Instant?

    /// p.19 hint: a photo taken before the message was detected shows something older than the
    /// complaint ("снято до сообщения"); never a refusal.
    public func takenBefore(_ detectedAt: Instant) -> Bool {
        guard kind == .photo, let capturedAt else { return false }
        return capturedAt < detectedAt
    }

    public init(sha256: String, name: String, kind: AttachmentKind, size: Int64, capturedAt: Instant? = nil) {
        self.sha256 = sha256
        self.name = name
        self.kind = kind
        self.size = size
        self.capturedAt = capturedAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sha256, name, kind, size
        case capturedAt = "captured_at"
    }
}

/// p.19: the curator's waiver of the profile's evidence rule for one draft, with the reason.
public struct EvidenceWaiver: Sendable, Codable, Equatable {
    public var reason: String
    public var at: Instant

    public init(reason: String, at: Instant) {
        self.reason = reason
        self.at = at
    }
}

/// What a submission does to the files of the draft before it: these added, those removed.
public struct DraftAttachmentChange: Sendable, Equatable {
    public var attach: [DraftAttachment]
    public var detach: [String]

    public init(attach: [DraftAttachment] = [], detach: [String] = []) {
        self.attach = attach
        self.detach = detach
    }
}

/// p.10: from a clarification's publication to the author's answer.
public struct Pause: Sendable, Codable, Equatable {
    public var from: Instant
    public var to: Instant?
}

/// A unit that held an assignment until it was rerouted.
public struct Handover: Sendable, Codable, Equatable {
    public var executor: String
    public var until: Instant

    public init(executor: String, until: Instant) {
        self.executor = executor
        self.until = until
    }
}

/// One executor's part of a case (p.17), with its own cycle.
public struct AssignmentState: Sendable, Codable, Equatable {
    public var index: Int
    public var executor: String
    public var topics: [String]
    public var status: AssignmentStatus
    public var drafts: [Draft]
    public var replies: [Reply]
    public var pauses: [Pause]
    public var replyMet: MetRecord?
    public var draftMet: MetRecord?
    public var finalDraftMet: MetRecord?
    /// p.21: the person who answers for this assignment (taken by an executor or given to one).
    public var responsible: String?
    /// When its reply and draft clocks start: nil for the message's detection; a reopened case's
    /// fresh assignments start at the reopening.
    public var startedAt: Instant?
    /// Units that held it before, oldest first (reroutes).
    public var handovers: [Handover]?
    /// Cancelled or closed without an answer: when.
    public var closedAt: Instant?
    /// Draft clocks met before a clarification was answered (p.10: the draft term runs again after it).
    public var earlierDraftMets: [MetRecord]?
    /// p.15 through a connector (issue 29): the publication the curator asked for, until the reply is
    /// published; a failed one stays, with why, until the curator asks again or publishes by hand.
    public var publication: PublicationRequest?

    /// The met record of the assignment's own clock `kind` (`ClockSpec.scope` `.assignment`); another
    /// scope's clock has none here (nil, and setting it does nothing).
    public subscript(met kind: ClockKind) -> MetRecord? {
        get {
            switch kind {
            case .reply: replyMet
            case .draft: draftMet
            case .finalDraft: finalDraftMet
            case .route, .review, .rework, .publish: nil
            }
        }
        set {
            switch kind {
            case .reply: replyMet = newValue
            case .draft: draftMet = newValue
            case .finalDraft: finalDraftMet = newValue
            case .route, .review, .rework, .publish: break
            }
        }
    }

    /// A new assignment as routing, adding a unit or reopening gives it: drafting, nothing written yet.
    init(given new: WorkflowEvent.NewAssignment) {
        self.init(
            index: new.index, executor: new.executor, topics: new.topics, status: .drafting, drafts: [], replies: [],
            pauses: [], startedAt: new.startedAt)
    }

    public init(
        index: Int, executor: String, topics: [String], status: AssignmentStatus, drafts: [Draft], replies: [Reply],
        pauses: [Pause],
        startedAt: Instant? = nil
    ) {
        self.index = index
        self.executor = executor
        self.topics = topics
        self.status = status
        self.drafts = drafts
        self.replies = replies
        self.pauses = pauses
        self.startedAt = startedAt
    }

    /// The unit that held it at `instant` (reroutes move it; lateness counts against the holder).
    public func executor(at instant: Instant) -> String {
        (handovers ?? []).first { instant < $0.until }?.executor ?? executor
    }

    /// Still part of the case: not cancelled.
    public var isLive: Bool { status != .cancelled }

    /// Nothing more is expected of it: the final reply is out, it was cancelled, or closed without an answer.
    public var isClosed: Bool { status == .done || status == .cancelled || status == .noAnswer }

    /// When the first intermediate reply was published (starts the final-draft clock, p.16).
    public var intermediatePublishedAt: Instant? {
        replies.first { $0.kind == .intermediate }?.publishedAt
    }

    /// The publication a connector has to make now: its reply approved and handed over, not failed.
    public var waitingPublication: PublicationRequest? {
        guard status == .approved, let publication, publication.isWaiting else { return nil }
        return publication
    }

    /// A publication the connector could not make, waiting for the curator (asked again or published by hand).
    public var failedPublication: PublicationRequest? {
        guard status == .approved, let publication, !publication.isWaiting else { return nil }
        return publication
    }

    public var openPause: Pause? {
        pauses.last.flatMap { $0.to == nil ? $0 : nil }
    }
}

/// A publication the curator asked a network's connector for (issue 29).
public struct PublicationRequest: Sendable, Codable, Equatable {
    /// The network whose connector publishes it.
    public var network: String
    public var requestedAt: Instant
    /// The connector could not publish it: why, and when it said so. Nil while it waits.
    public var failure: PublicationFailure?
    public var failedAt: Instant?

    /// The connector has it to publish.
    public var isWaiting: Bool { failure == nil }

    public init(network: String, requestedAt: Instant, failure: PublicationFailure? = nil, failedAt: Instant? = nil) {
        self.network = network
        self.requestedAt = requestedAt
        self.failure = failure
        self.failedAt = failedAt
    }
}
