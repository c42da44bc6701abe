/// The workflow as one state machine: for every step (the event a command records), the case states
/// and, for a step on an assignment, the assignment states it may happen in, the states it leads to
/// (`TransitionsDestinationTests` walks the workflow and holds every applied event to them), with the
/// sentence that refuses it anywhere else. `Workflow.decide` consults it before anything else, and
/// `CaseState.refusal(of:)` consults it for every stored event, so a log that does not follow the
/// machine is reported by a rebuild instead of being folded silently. docs/WORKFLOW.md draws the same
/// machine:
///
///     case:        (none) --register--> new --route--> routed --(every live assignment done / no_answer)--> done
///                  new|routed --reject--> rejected          new|routed --withdraw--> withdrawn
///                  done|rejected|withdrawn --reopen--> routed (or new when it was never routed)
///                  new|routed|done: link repeat;  new|routed: importance;  not withdrawn: correct
///                  routed: add executor
///     assignment:  drafting --submit--> in_review --approve--> approved --publish--> by the draft's kind:
///                     ^                     | return                      clarification -> waiting_author
///                     +---------------------+                             intermediate  -> awaiting_final
///                     ^                                                   final         -> done
///                     +-- sent back for measures (p.18) -- approved
///                  awaiting_final --submit--> in_review     waiting_author|no_answer --author answered--> drafting
///                  waiting_author --clarification limit--> no_answer
///                  drafting --reroute--> drafting (another unit)
///                  drafting|in_review|approved|waiting_author|awaiting_final --cancel--> cancelled
///                  approved --publication requested--> approved (a connector's; it fails or is published)
///                  done and cancelled take nothing more (the author's answer aside: it is refused as such)
///     network:     any state: the message edited, deleted, restored (recorded, the case's state unchanged)
///     incident:    new|routed: join an incident;  any state: leave it (not once its reply went out)
///
/// What the table does not say is checked by the step itself: arguments, the separation of duties
/// (p.5, p.13), p.18's measures, and conditions on the case's history (a reroute needs no approved
/// draft, a cancel no published reply, an assignment cannot be the case's only live one).
public enum Transitions {
    /// Where a step leaves a state: as it was, or one of these.
    enum Leads<Status: Hashable & Sendable>: Sendable {
        case unchanged
        case to(Set<Status>)

        func admits(_ after: Status, from before: Status) -> Bool {
            switch self {
            case .unchanged: after == before
            case .to(let allowed): allowed.contains(after)
            }
        }
    }

    /// One row: where a step may happen, where it leads, and how it is refused elsewhere.
    struct Row: Sendable {
        /// Case states the step may happen in.
        let cases: Set<CaseStatus>
        /// Assignment states it may happen in; nil for a step on the case as a whole.
        let assignments: Set<AssignmentStatus>?
        /// The case's state after the step.
        var caseLeads: Leads<CaseStatus> = .unchanged
        /// The stepped assignment's state after the step (a step on an assignment).
        var assignmentLeads: Leads<AssignmentStatus> = .unchanged
        /// Done and cancelled assignments are refused as finished ("nothing more can be done with it")
        /// rather than with the row's own sentence.
        var finishedIsFinal = true
        /// The sentence for a case state outside `cases`.
        let caseRefusal: @Sendable (CaseState) -> Refused
        /// The sentence for an assignment state outside `assignments`.
        var assignmentRefusal: @Sendable (CaseState, AssignmentState) -> Refused = { state, assignment in
            Refusals.Workflow.assignmentState(of: state, assignment)
        }
    }

    static let anyCase = Set(CaseStatus.allCases)
    /// Steps on assignments need a case still in the workflow.
    static let openCase: Set<CaseStatus> = [.routed, .done]
    static let openCaseRefusal: @Sendable (CaseState) -> Refused = {
        Refusals.Workflow.caseNotOpen(["case": $0.id, "state": $0.status.rawValue])
    }
    /// The case sentence of a row open to every case state: never said (kept for the row's shape).
    static let anyCaseRefusal: @Sendable (CaseState) -> Refused = openCaseRefusal
    static let live: Set<AssignmentStatus> = [
        .drafting, .inReview, .approved, .waitingAuthor, .awaitingFinal, .noAnswer,
    ]

    /// The row of `step`; nil for an event that is not a step on a case (clock notices, the
    /// directory's, the calendar's and the daemon's own events).
    static func row(_ step: EventKind) -> Row? {
        switch step {
        case .registered: registeredRow
        case .routed: routedRow
        case .rejected: rejectedRow
        case .withdrawn: withdrawnRow
        case .repeatLinked: repeatLinkedRow
        case .importanceChanged: importanceChangedRow
        case .corrected: correctedRow
        case .executorAdded: executorAddedRow
        case .reopened: reopenedRow
        case .draftSubmitted: draftSubmittedRow
        case .draftApproved: draftApprovedRow
        case .draftReturned: draftReturnedRow
        case .evidenceWaived: evidenceWaivedRow
        case .replyPublished: replyPublishedRow
        case .draftSentBack: draftSentBackRow
        case .authorAnswered: authorAnsweredRow
        case .noAnswer: noAnswerRow
        case .assignmentTaken, .assignmentGiven: holderRow
        case .rerouted: reroutedRow
        case .assignmentCancelled: assignmentCancelledRow
        case .messageEdited, .messageDeleted, .messageRestored: networkRow
        case .publicationRequested: publicationRequestedRow
        case .publicationFailed: publicationFailedRow
        case .incidentJoined: incidentJoinedRow
        case .incidentLeft: incidentLeftRow
        case .clockWarning, .clockBreached, .clockAtRisk, .unitPut, .staffPut, .absenceAdded, .absenceRemoved,
            .accountPut,
            .scheduleChanged, .calendarShipped, .calendarImported, .daemonStarted, .daemonStopped, .demoSeeded,
            .attachmentUploaded, .attachmentRemoved, .connectorTrouble, .connectorRecovered, .incidentPut:
            nil
        }
    }

    // The rows, one per step (`row(_:)`).

    static let registeredRow = Row(cases: [], assignments: nil, caseLeads: .to([.new]), caseRefusal: anyCaseRefusal)
    static let routedRow = Row(
        cases: [.new], assignments: nil, caseLeads: .to([.routed]),
        caseRefusal: {
            $0.status == .rejected
                ? Refusals.Workflow.rejectedCannotBeRouted(["case": $0.id])
                : Refusals.Workflow.cannotBeRouted(["case": $0.id, "state": $0.status.rawValue])
        })
    static let rejectedRow = Row(
        cases: [.new, .routed], assignments: nil, caseLeads: .to([.rejected]),
        caseRefusal: { Refusals.Workflow.cannotBeRejected(["case": $0.id, "state": $0.status.rawValue]) })
    static let withdrawnRow = Row(
        cases: [.new, .routed], assignments: nil, caseLeads: .to([.withdrawn]),
        caseRefusal: { Refusals.Workflow.cannotBeWithdrawn(["case": $0.id, "state": $0.status.rawValue]) })
    static let repeatLinkedRow = Row(
        cases: [.new, .routed, .done], assignments: nil,
        caseRefusal: { Refusals.Workflow.cannotLinkRepeat(["case": $0.id, "state": $0.status.rawValue]) })
    static let importanceChangedRow = Row(
        cases: [.new, .routed], assignments: nil,
        caseRefusal: {
            Refusals.Workflow.importanceNoLongerMatters(["case": $0.id, "state": $0.status.rawValue])
        })
    static let correctedRow = Row(
        cases: anyCase.subtracting([.withdrawn]), assignments: nil,
        caseRefusal: { Refusals.Workflow.withdrawnReopenFirst(["case": $0.id]) })
    static let executorAddedRow = Row(
        cases: [.routed], assignments: nil, caseLeads: .to([.routed]),
        caseRefusal: {
            Refusals.Workflow.executorsOnlyWhenRouted(["case": $0.id, "state": $0.status.rawValue])
        })
    static let reopenedRow = Row(
        cases: [.done, .rejected, .withdrawn], assignments: nil, caseLeads: .to([.routed, .new]),
        caseRefusal: { Refusals.Workflow.cannotBeReopened(["case": $0.id, "state": $0.status.rawValue]) })
    static let draftSubmittedRow = Row(
        cases: openCase, assignments: [.drafting, .awaitingFinal], assignmentLeads: .to([.inReview]),
        caseRefusal: openCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.noDraftNow(of: $0, $1) })
    static let draftApprovedRow = Row(
        cases: anyCase, assignments: [.inReview], assignmentLeads: .to([.approved]),
        caseRefusal: anyCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.noDraftInReview(of: $0, $1) })
    static let draftReturnedRow = Row(
        cases: anyCase, assignments: [.inReview], assignmentLeads: .to([.drafting]),
        caseRefusal: anyCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.noDraftInReview(of: $0, $1) })
    static let evidenceWaivedRow = Row(
        cases: anyCase, assignments: [.inReview], caseRefusal: anyCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.noDraftInReview(of: $0, $1) })
    static let replyPublishedRow = Row(
        cases: openCase, assignments: [.approved], caseLeads: .to([.routed, .done]),
        assignmentLeads: .to([.waitingAuthor, .awaitingFinal, .done]), caseRefusal: openCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.noApprovedDraft(of: $0, $1) })
    static let draftSentBackRow = Row(
        cases: [.new, .routed, .done], assignments: [.approved], assignmentLeads: .to([.drafting]),
        caseRefusal: { Refusals.Workflow.caseNotOpen(["case": $0.id, "state": $0.status.rawValue]) })
    static let authorAnsweredRow = Row(
        cases: openCase, assignments: [.waitingAuthor, .noAnswer], caseLeads: .to([.routed]),
        assignmentLeads: .to([.drafting]), finishedIsFinal: false,
        caseRefusal: openCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.notWaitingForAuthor(of: $0, $1) })
    static let noAnswerRow = Row(
        cases: anyCase, assignments: [.waitingAuthor], caseLeads: .to([.routed, .done]),
        assignmentLeads: .to([.noAnswer]), caseRefusal: anyCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.notWaitingForAuthor(of: $0, $1) })
    static let holderRow = Row(cases: anyCase, assignments: live, caseRefusal: anyCaseRefusal)
    static let reroutedRow = Row(
        cases: openCase, assignments: [.drafting], assignmentLeads: .to([.drafting]),
        caseRefusal: openCaseRefusal,
        assignmentRefusal: { state, assignment in
            assignment.status == .inReview
                ? Refusals.Workflow.reviewBeforeReroute(["assignment": state.assignmentID(assignment.index)])
                : Refusals.Workflow.rerouteNotNow(of: state, assignment)
        })
    static let assignmentCancelledRow = Row(
        cases: openCase, assignments: live.subtracting([.noAnswer]), caseLeads: .to([.routed, .done]),
        assignmentLeads: .to([.cancelled]), caseRefusal: openCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.alreadyCancelled(of: $0, $1) })

    /// The network's facts are recorded in any state: the message is what it is, whatever the case.
    static let networkRow = Row(cases: anyCase, assignments: nil, caseRefusal: anyCaseRefusal)
    static let publicationRequestedRow = Row(
        cases: openCase, assignments: [.approved], caseRefusal: openCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.noApprovedDraft(of: $0, $1) })
    static let publicationFailedRow = Row(
        cases: anyCase, assignments: [.approved], caseRefusal: anyCaseRefusal,
        assignmentRefusal: { Refusals.Workflow.noPublicationRequested(of: $0, $1) })

    /// Issue 31: a case joins an incident while it waits for its answer; it leaves in any state (a case
    /// rejected or withdrawn meanwhile too), the step itself refusing once its reply went out.
    static let incidentJoinedRow = Row(
        cases: [.new, .routed], assignments: nil,
        caseRefusal: { Refusals.Workflow.cannotJoinIncident(["case": $0.id, "state": $0.status.rawValue]) })
    static let incidentLeftRow = Row(cases: anyCase, assignments: nil, caseRefusal: anyCaseRefusal)

    /// The step `command` takes: the kind of the event it records.
    public static func step(of command: CaseCommand) -> EventKind {
        switch command {
        case .register: .registered
        case .route: .routed
        case .reject: .rejected
        case .linkRepeat: .repeatLinked
        case .changeImportance: .importanceChanged
        case .submitDraft: .draftSubmitted
        case .approveDraft: .draftApproved
        case .returnDraft: .draftReturned
        case .waiveEvidence: .evidenceWaived
        case .publish: .replyPublished
        case .authorAnswered: .authorAnswered
        case .take: .assignmentTaken
        case .give: .assignmentGiven
        case .reroute: .rerouted
        case .addExecutor: .executorAdded
        case .cancelAssignment: .assignmentCancelled
        case .withdraw: .withdrawn
        case .correct: .corrected
        case .reopen: .reopened
        case .closeWithoutAnswer: .noAnswer
        case .networkChange(.edited, _): .messageEdited
        case .networkChange(.deleted, _): .messageDeleted
        case .networkChange(.restored, _): .messageRestored
        case .requestPublication: .publicationRequested
        case .publicationFailed: .publicationFailed
        case .joinIncident: .incidentJoined
        case .leaveIncident: .incidentLeft
        }
    }

    /// Why `step` on `state` (on its assignment `index`, for a step on an assignment) is refused by
    /// the machine, or nil when the machine takes it. Checked in this order: the assignment exists
    /// (NOT_FOUND), it is not finished, the case's state, the assignment's state.
    public static func refusal(of step: EventKind, on state: CaseState, assignment index: Int?) -> WorkflowError? {
        guard let row = row(step) else { return nil }
        var assignment: AssignmentState?
        if row.assignments != nil {
            guard let index, let found = state.assignment(index) else {
                return WorkflowError(
                    .notFound,
                    Refusals.Workflow.assignmentNotFound([
                        "case": state.id, "assignment": index.map { state.assignmentID($0) } ?? state.id + "/?",
                    ]))
            }
            if row.finishedIsFinal, found.status == .done || found.status == .cancelled {
                return WorkflowError(.failedPrecondition, Refusals.Workflow.assignmentFinished(of: state, found))
            }
            assignment = found
        }
        guard row.cases.contains(state.status) else {
            return WorkflowError(.failedPrecondition, row.caseRefusal(state))
        }
        if let allowed = row.assignments, let assignment, !allowed.contains(assignment.status) {
            return WorkflowError(.failedPrecondition, row.assignmentRefusal(state, assignment))
        }
        return nil
    }
}
