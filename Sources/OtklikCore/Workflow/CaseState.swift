/// When a stopped clock was due and when it was met.
public struct MetRecord: Sendable, Codable, Equatable {
    public var due: Int64
    public var at: Int64
}

public struct Draft: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case submitted, approved, returned, published
    }

    public var kind: DraftKind
    public var text: String
    public var measures: String?
    public var submittedAt: Int64
    public var status: Status
    /// Approval or return.
    public var decidedAt: Int64?
    public var returnReason: ReturnReason?
    public var returnComment: String?
    /// p.13: this submission's review clock, once the curator decided.
    public var reviewMet: MetRecord?
    /// p.14: the rework clock this draft's return started, once the next draft came.
    public var reworkMet: MetRecord?
    /// p.15: the publish clock this draft's approval started, once it was published.
    public var publishMet: MetRecord?
}

public struct Reply: Sendable, Codable, Equatable {
    public var kind: DraftKind
    public var url: String
    public var account: String?
    public var publishedAt: Int64

    public init(kind: DraftKind, url: String, account: String?, publishedAt: Int64) {
        self.kind = kind
        self.url = url
        self.account = account
        self.publishedAt = publishedAt
    }
}

/// p.10: from a clarification's publication to the author's answer.
public struct Pause: Sendable, Codable, Equatable {
    public var from: Int64
    public var to: Int64?
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

    /// When the first intermediate reply was published (starts the final-draft clock, p.16).
    public var intermediatePublishedAt: Int64? {
        replies.first { $0.kind == .intermediate }?.publishedAt
    }

    public var openPause: Pause? {
        pauses.last.flatMap { $0.to == nil ? $0 : nil }
    }
}

/// A case: one message and what has been done with it, as its events add up.
public struct CaseState: Sendable, Codable, Equatable {
    public var id: String
    public var status: CaseStatus
    /// How many events the case has; a mutating call names the version it was made against.
    public var version: Int
    public var network: String
    public var url: String
    public var author: String
    public var text: String
    public var detectedAt: Int64
    public var postedAt: Int64?
    public var externalID: String?
    public var topics: [String]
    public var importance: Importance
    public var repeatOf: String?
    public var routedAt: Int64?
    public var rejectionReason: RejectionReason?
    public var rejectionComment: String?
    public var rejectedAt: Int64?
    public var routeMet: MetRecord?
    public var assignments: [AssignmentState]

    /// The case its first event creates.
    public init(id: String, registered event: WorkflowEvent) {
        self.id = id
        status = .new
        version = 1
        network = event.network ?? ""
        url = event.url ?? ""
        author = event.author ?? ""
        text = event.text ?? ""
        detectedAt = event.at
        postedAt = event.postedAt
        externalID = event.externalID
        topics = event.topics ?? []
        importance = event.importance ?? .normal
        assignments = []
    }

    public func assignmentID(_ index: Int) -> String { "\(id)/\(index)" }

    /// When the case left the workflow: rejected, or its last final reply published.
    public var closedAt: Int64? {
        switch status {
        case .rejected: rejectedAt
        case .done: assignments.compactMap { $0.replies.last(where: { $0.kind == .final })?.publishedAt }.max()
        default: nil
        }
    }

    public func assignment(_ index: Int) -> AssignmentState? {
        assignments.first { $0.index == index }
    }

    private func met(_ event: WorkflowEvent, _ clock: ClockKind) -> MetRecord? {
        event.met?.first { $0.clock == clock }.map { MetRecord(due: $0.due, at: event.at) }
    }

    /// The case after `event`. Pure: the same events always give the same case.
    public func applying(_ event: WorkflowEvent) -> CaseState {
        var next = self
        next.version += 1
        switch event.kind {
        case .registered:
            return CaseState(id: id, registered: event)
        case .routed:
            next.status = .routed
            next.routedAt = event.at
            next.routeMet = met(event, .route)
            if let importance = event.importance { next.importance = importance }
            next.assignments = (event.assignments ?? []).map {
                AssignmentState(index: $0.index, executor: $0.executor, topics: $0.topics, status: .drafting, drafts: [], replies: [], pauses: [])
            }
        case .rejected:
            next.status = .rejected
            next.rejectedAt = event.at
            next.rejectionReason = event.reason.flatMap(RejectionReason.init(rawValue:))
            next.rejectionComment = event.comment
            next.routeMet = met(event, .route)
        case .repeatLinked:
            next.repeatOf = event.repeatOf
        case .importanceChanged:
            if let importance = event.importance { next.importance = importance }
        case .draftSubmitted, .draftApproved, .draftReturned, .replyPublished, .authorAnswered, .assignmentTaken, .assignmentGiven:
            guard let index = event.assignment, let position = next.assignments.firstIndex(where: { $0.index == index }) else {
                return next
            }
            next.assignments[position] = applying(event, to: next.assignments[position])
            if next.assignments.allSatisfy({ $0.status == .done }) { next.status = .done }
        }
        return next
    }

    private func applying(_ event: WorkflowEvent, to assignment: AssignmentState) -> AssignmentState {
        var a = assignment
        switch event.kind {
        case .draftSubmitted:
            if let met = met(event, .draft) { a.draftMet = met }
            if let met = met(event, .finalDraft) { a.finalDraftMet = met }
            if let met = met(event, .rework), let returned = a.drafts.lastIndex(where: { $0.status == .returned }) {
                a.drafts[returned].reworkMet = met
            }
            a.drafts.append(Draft(kind: event.draftKind ?? .final, text: event.text ?? "", measures: event.measures,
                                  submittedAt: event.at, status: .submitted))
            a.status = .inReview
        case .draftApproved, .draftReturned:
            guard let last = a.drafts.indices.last else { return a }
            a.drafts[last].status = event.kind == .draftApproved ? .approved : .returned
            a.drafts[last].decidedAt = event.at
            a.drafts[last].reviewMet = met(event, .review)
            if event.kind == .draftReturned {
                a.drafts[last].returnReason = event.reason.flatMap(ReturnReason.init(rawValue:))
                a.drafts[last].returnComment = event.comment
            }
            a.status = event.kind == .draftApproved ? .approved : .drafting
        case .replyPublished:
            guard let last = a.drafts.indices.last else { return a }
            a.drafts[last].status = .published
            a.drafts[last].publishMet = met(event, .publish)
            if let met = met(event, .reply) { a.replyMet = met }
            let kind = a.drafts[last].kind
            a.replies.append(Reply(kind: kind, url: event.url ?? "", account: event.account, publishedAt: event.at))
            switch kind {
            case .clarification:
                a.pauses.append(Pause(from: event.at, to: nil))
                a.status = .waitingAuthor
            case .intermediate:
                a.status = .awaitingFinal
            case .final:
                a.status = .done
            }
        case .authorAnswered:
            if let last = a.pauses.indices.last, a.pauses[last].to == nil { a.pauses[last].to = event.at }
            a.status = .drafting
        case .assignmentTaken, .assignmentGiven:
            a.responsible = event.login
        default:
            break
        }
        return a
    }
}
