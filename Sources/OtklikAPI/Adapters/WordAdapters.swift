public import OtklikCore
public import OtklikRPC

// Conversions between the contract's enums (words.proto, generated as `Wire.*`) and the domain's
// closed sets, spelled out case by case so that the compiler finds a value added on one side only.
// From the wire, `unspecified` and a value this build does not know (a newer peer's) are nil; the
// handler decides what that means (the default, "unchanged", or INVALID_ARGUMENT naming the value).

/// A wire enum with its domain counterpart: `domain` is nil for `unspecified` and for a value this
/// build does not know.
public protocol DomainWord: WireEnum {
    associatedtype Domain
    var domain: Domain? { get }
}

extension WireEnum {
    /// INVALID_ARGUMENT for this value of `field` when it is missing (`unspecified`) or one this build
    /// does not know, naming the values the field takes.
    public func notAWord(_ field: String) -> RPCError {
        let words = Self.known.filter { $0.rawValue != 0 }.map(\.name).joined(separator: ", ")
        return RPCError(
            .invalidArgument,
            rawValue == 0
                ? Refusals.Requests.wordMissing(["path": field, "words": words])
                : Refusals.Requests.wordUnknown(["path": field, "value": String(rawValue), "words": words]))
    }
}

extension DomainWord {
    /// The domain's value, or INVALID_ARGUMENT naming `field` and the values it takes.
    public func required(_ field: String) throws(RPCError) -> Domain {
        guard let value = domain else { throw notAWord(field) }
        return value
    }

    /// nil when not given (`unspecified`); otherwise as `required`.
    public func ifGiven(_ field: String) throws(RPCError) -> Domain? {
        rawValue == 0 ? nil : try required(field)
    }
}

extension Wire.CaseState: DomainWord {
    public init(_ value: CaseStatus) {
        switch value {
        case .new: self = .new
        case .routed: self = .routed
        case .rejected: self = .rejected
        case .done: self = .done
        case .withdrawn: self = .withdrawn
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: CaseStatus? {
        switch self {
        case .new: .new
        case .routed: .routed
        case .rejected: .rejected
        case .done: .done
        case .withdrawn: .withdrawn
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.AssignmentState: DomainWord {
    public init(_ value: AssignmentStatus) {
        switch value {
        case .drafting: self = .drafting
        case .inReview: self = .inReview
        case .approved: self = .approved
        case .waitingAuthor: self = .waitingAuthor
        case .awaitingFinal: self = .awaitingFinal
        case .done: self = .done
        case .cancelled: self = .cancelled
        case .noAnswer: self = .noAnswer
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: AssignmentStatus? {
        switch self {
        case .drafting: .drafting
        case .inReview: .inReview
        case .approved: .approved
        case .waitingAuthor: .waitingAuthor
        case .awaitingFinal: .awaitingFinal
        case .done: .done
        case .cancelled: .cancelled
        case .noAnswer: .noAnswer
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.Importance: DomainWord {
    public init(_ value: Importance) {
        switch value {
        case .normal: self = .normal
        case .high: self = .high
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: Importance? {
        switch self {
        case .normal: .normal
        case .high: .high
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.ClockKind: DomainWord {
    public init(_ value: ClockKind) {
        switch value {
        case .route: self = .route
        case .reply: self = .reply
        case .draft: self = .draft
        case .review: self = .review
        case .rework: self = .rework
        case .publish: self = .publish
        case .finalDraft: self = .finalDraft
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: ClockKind? {
        switch self {
        case .route: .route
        case .reply: .reply
        case .draft: .draft
        case .review: .review
        case .rework: .rework
        case .publish: .publish
        case .finalDraft: .finalDraft
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.ClockState: DomainWord {
    public init(_ value: ClockState) {
        switch value {
        case .open: self = .open
        case .met: self = .met
        case .breached: self = .breached
        case .paused: self = .paused
        case .stopped: self = .stopped
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: ClockState? {
        switch self {
        case .open: .open
        case .met: .met
        case .breached: .breached
        case .paused: .paused
        case .stopped: .stopped
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.DraftKind: DomainWord {
    public init(_ value: DraftKind) {
        switch value {
        case .clarification: self = .clarification
        case .intermediate: self = .intermediate
        case .final: self = .final
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: DraftKind? {
        switch self {
        case .clarification: .clarification
        case .intermediate: .intermediate
        case .final: .final
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.DraftState: DomainWord {
    public init(_ value: Draft.Status) {
        switch value {
        case .submitted: self = .submitted
        case .approved: self = .approved
        case .returned: self = .returned
        case .published: self = .published
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: Draft.Status? {
        switch self {
        case .submitted: .submitted
        case .approved: .approved
        case .returned: .returned
        case .published: .published
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.Role: DomainWord {
    public init(_ value: Role) {
        switch value {
        case .curator: self = .curator
        case .executor: self = .executor
        case .responsible: self = .responsible
        case .head: self = .head
        case .admin: self = .admin
        case .connector: self = .connector
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: Role? {
        switch self {
        case .curator: .curator
        case .executor: .executor
        case .responsible: .responsible
        case .head: .head
        case .admin: .admin
        case .connector: .connector
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.UnitKind: DomainWord {
    public init(_ value: OrganisationUnit.Kind) {
        switch value {
        case .curatorCentre: self = .curatorCentre
        case .administration: self = .administration
        case .department: self = .department
        case .institution: self = .institution
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: OrganisationUnit.Kind? {
        switch self {
        case .curatorCentre: .curatorCentre
        case .administration: .administration
        case .department: .department
        case .institution: .institution
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.DayKind: DomainWord {
    public init(_ value: DayPlan.Kind) {
        switch value {
        case .working: self = .working
        case .shortened: self = .shortened
        case .dayOff: self = .dayOff
        case .holiday: self = .holiday
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: DayPlan.Kind? {
        switch self {
        case .working: .working
        case .shortened: .shortened
        case .dayOff: .dayOff
        case .holiday: .holiday
        case .unspecified, .unrecognized: nil
        }
    }
}
extension Wire.EventKind: DomainWord {
    public init(_ value: EventKind) {
        switch value {
        case .registered: self = .caseRegistered
        case .routed: self = .caseRouted
        case .rejected: self = .caseRejected
        case .repeatLinked: self = .caseRepeatLinked
        case .importanceChanged: self = .caseImportanceChanged
        case .draftSubmitted: self = .draftSubmitted
        case .draftApproved: self = .draftApproved
        case .draftReturned: self = .draftReturned
        case .replyPublished: self = .replyPublished
        case .authorAnswered: self = .authorAnswered
        case .assignmentTaken: self = .assignmentTaken
        case .assignmentGiven: self = .assignmentGiven
        case .rerouted: self = .assignmentRerouted
        case .executorAdded: self = .caseExecutorAdded
        case .assignmentCancelled: self = .assignmentCancelled
        case .withdrawn: self = .caseWithdrawn
        case .corrected: self = .caseCorrected
        case .reopened: self = .caseReopened
        case .draftSentBack: self = .draftSentBack
        case .noAnswer: self = .assignmentNoAnswer
        case .clockWarning: self = .clockWarning
        case .clockBreached: self = .clockBreached
        case .clockAtRisk: self = .clockAtRisk
        case .unitPut: self = .directoryUnitPut
        case .staffPut: self = .directoryStaffPut
        case .absenceAdded: self = .directoryAbsenceAdded
        case .absenceRemoved: self = .directoryAbsenceRemoved
        case .accountPut: self = .directoryAccountPut
        case .scheduleChanged: self = .scheduleChanged
        case .calendarShipped: self = .calendarShipped
        case .calendarImported: self = .calendarImported
        case .daemonStarted: self = .daemonStarted
        case .daemonStopped: self = .daemonStopped
        case .demoSeeded: self = .demoSeeded
        case .evidenceWaived: self = .draftEvidenceWaived
        case .attachmentUploaded: self = .attachmentUploaded
        case .attachmentRemoved: self = .attachmentRemoved
        case .messageEdited: self = .messageEdited
        case .messageDeleted: self = .messageDeleted
        case .messageRestored: self = .messageRestored
        case .publicationRequested: self = .replyPublicationRequested
        case .publicationFailed: self = .replyPublicationFailed
        case .connectorTrouble: self = .connectorTrouble
        case .connectorRecovered: self = .connectorRecovered
        case .incidentJoined: self = .caseIncidentJoined
        case .incidentLeft: self = .caseIncidentLeft
        case .incidentPut: self = .incidentPut
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: EventKind? {
        switch self {
        case .caseRegistered: .registered
        case .caseRouted: .routed
        case .caseRejected: .rejected
        case .caseRepeatLinked: .repeatLinked
        case .caseImportanceChanged: .importanceChanged
        case .draftSubmitted: .draftSubmitted
        case .draftApproved: .draftApproved
        case .draftReturned: .draftReturned
        case .replyPublished: .replyPublished
        case .authorAnswered: .authorAnswered
        case .assignmentTaken: .assignmentTaken
        case .assignmentGiven: .assignmentGiven
        case .assignmentRerouted: .rerouted
        case .caseExecutorAdded: .executorAdded
        case .assignmentCancelled: .assignmentCancelled
        case .caseWithdrawn: .withdrawn
        case .caseCorrected: .corrected
        case .caseReopened: .reopened
        case .draftSentBack: .draftSentBack
        case .assignmentNoAnswer: .noAnswer
        case .clockWarning: .clockWarning
        case .clockBreached: .clockBreached
        case .clockAtRisk: .clockAtRisk
        case .directoryUnitPut: .unitPut
        case .directoryStaffPut: .staffPut
        case .directoryAbsenceAdded: .absenceAdded
        case .directoryAbsenceRemoved: .absenceRemoved
        case .directoryAccountPut: .accountPut
        case .scheduleChanged: .scheduleChanged
        case .calendarShipped: .calendarShipped
        case .calendarImported: .calendarImported
        case .daemonStarted: .daemonStarted
        case .daemonStopped: .daemonStopped
        case .demoSeeded: .demoSeeded
        case .draftEvidenceWaived: .evidenceWaived
        case .attachmentUploaded: .attachmentUploaded
        case .attachmentRemoved: .attachmentRemoved
        case .messageEdited: .messageEdited
        case .messageDeleted: .messageDeleted
        case .messageRestored: .messageRestored
        case .replyPublicationRequested: .publicationRequested
        case .replyPublicationFailed: .publicationFailed
        case .connectorTrouble: .connectorTrouble
        case .connectorRecovered: .connectorRecovered
        case .caseIncidentJoined: .incidentJoined
        case .caseIncidentLeft: .incidentLeft
        case .incidentPut: .incidentPut
        case .unspecified, .unrecognized: nil
        }
    }

    /// The log's word for the kind (`case.routed`), as the CLI prints it; a value this build does not
    /// know is its number.
    public var word: String { domain?.rawValue ?? String(rawValue) }
}

extension Wire.StepKind: DomainWord {
    public init(_ value: StepKind) {
        switch value {
        case .route: self = .route
        case .draft: self = .draft
        case .rework: self = .rework
        case .finalDraft: self = .finalDraft
        case .review: self = .review
        case .publish: self = .publish
        case .authorAnswer: self = .authorAnswer
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: StepKind? {
        switch self {
        case .route: .route
        case .draft: .draft
        case .rework: .rework
        case .finalDraft: .finalDraft
        case .review: .review
        case .publish: .publish
        case .authorAnswer: .authorAnswer
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.PublicationFailureKind: DomainWord {
    public init(_ value: PublicationFailureKind) {
        switch value {
        case .tokenRefused: self = .tokenRefused
        case .methodUnavailable: self = .methodUnavailable
        case .commentsClosed: self = .commentsClosed
        case .messageGone: self = .messageGone
        case .refused: self = .refused
        case .unreachable: self = .unreachable
        case .uncertain: self = .uncertain
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: PublicationFailureKind? {
        switch self {
        case .tokenRefused: .tokenRefused
        case .methodUnavailable: .methodUnavailable
        case .commentsClosed: .commentsClosed
        case .messageGone: .messageGone
        case .refused: .refused
        case .unreachable: .unreachable
        case .uncertain: .uncertain
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.MessageDeleter: DomainWord {
    public init(_ value: MessageDeleter) {
        switch value {
        case .author: self = .author
        case .community: self = .community
        }
    }

    /// The domain's value; nil for `unspecified` (the network does not say) or a value this build does not know.
    public var domain: MessageDeleter? {
        switch self {
        case .author: .author
        case .community: .community
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.NetworkChangeKind {
    /// The change with the text an edit brings and who deleted it; nil for `unspecified` or a value this
    /// build does not know.
    public func change(text: String, deletedBy: Wire.MessageDeleter = .unspecified) -> CaseCommand.NetworkChange? {
        switch self {
        case .edited: .edited(text: text)
        case .deleted: .deleted(by: deletedBy.domain)
        case .restored: .restored
        case .unspecified, .unrecognized: nil
        }
    }
}
