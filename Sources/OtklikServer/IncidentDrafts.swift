import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
import OtklikStore

/// Issue 31: a draft step on a case in an incident is the incident's. A draft submitted on one case's
/// assignment of a unit is submitted on every open case of the incident whose assignment of that unit
/// waits for a draft (each naming its own author where the text names the author or says {author}),
/// all as one submission of the incident (`Draft.incidentDraft`); approving or returning it, or
/// waiving the evidence rule for it, decides exactly that submission on every case. One transaction:
/// refused on one, refused on all.
extension CaseServiceHandlers {
    enum IncidentDraftStep {
        case submit(kind: DraftKind, text: String, measures: String, files: DraftAttachmentChange, copyOf: String?)
        case approve
        case giveBack(ReturnReason, comment: String)
        case waive(reason: String)
    }

    /// The step taken on the incident's submission, answered with the case it was asked on; nil when the
    /// case is in no incident, or the draft is not the incident's (a clarification is the case's own):
    /// the step is the case's alone then.
    func incidentDraftStep(
        _ context: ServerContext, _ caseID: String, _ index: Int, _ expectedVersion: Int64, _ step: IncidentDraftStep,
        vet: ([WorkflowEvent]) throws(RPCError) -> Void = { _ throws(RPCError) in }
    ) throws(RPCError) -> CaseView? {
        // Another unit's step on the same incident may move it on meanwhile: the step is decided again on
        // what then stands (the case asked on still at its version), a few times at most.
        var moved = 0
        for _ in 0..<3 {
            switch try incidentDraftAttempt(context, caseID, index, expectedVersion, step, vet: vet) {
            case .answered(let view): return view
            case .incidentMoved(let incident): moved = incident
            }
        }
        throw RPCError(.aborted, Refusals.Incidents.incidentMoved(["incident": String(moved)]))
    }

    /// One attempt of `incidentDraftStep`: its answer, or that the incident moved on before it was written.
    enum IncidentDraftOutcome {
        case answered(CaseView?)
        case incidentMoved(Int)
    }

    private func incidentDraftAttempt(
        _ context: ServerContext, _ caseID: String, _ index: Int, _ expectedVersion: Int64, _ step: IncidentDraftStep,
        vet: ([WorkflowEvent]) throws(RPCError) -> Void
    ) throws(RPCError) -> IncidentDraftOutcome {
        let origin = try load(caseID)
        guard let number = origin.incident, let assignment = origin.assignment(index) else { return .answered(nil) }
        let submission: IncidentSubmission
        switch step {
        case .submit(let kind, let text, _, _, _):
            guard kind != .clarification else { return .answered(nil) }
            // The incident's submission: where it was written, and the text as a template for every case.
            submission = IncidentSubmission(
                key: "\(origin.assignmentID(index))#\(assignment.drafts.count + 1)",
                template: Incident.template(text, writtenFor: origin))
        case .approve, .giveBack, .waive:
            guard let last = assignment.drafts.last, last.incident == number, last.incidentDraft != nil else {
                return .answered(nil)
            }
            submission = IncidentSubmission(last)
        }
        let caller = try context.caller
        try authorizer.requireAct(caller, on: assignment, of: origin, context)
        guard expectedVersion > 0 else { throw RPCError(.invalidArgument, Refusals.Cases.expectedVersionRequired()) }
        try requireVersion(origin, expectedVersion)
        let incident = try incident(UInt32(clamping: number))
        let members = try incidentStates(number, openOnly: true).filter { $0.id != caseID }
        if case .submit = step, !members.isEmpty, let template = submission.template {
            // A greeting naming this case's author in another form would greet every other author so.
            let named = Incident.greetingNames(template, writtenFor: origin)
            if !named.isEmpty {
                throw RPCError(
                    .failedPrecondition,
                    Refusals.Incidents.incidentGreetingNamesAuthor([
                        "words": named.joined(separator: " "), "case": origin.id, "author": origin.author,
                        "incident": String(number), "author_placeholder": Incident.authorPlaceholders[1],
                    ]))
            }
        }
        let now = clock.now
        let first = try decideDraft(step, on: origin, index, submission, incident: number, now: now, caller)
        try vet(first)
        var steps = [Store.CaseStep(caseID: caseID, expectedVersion: origin.version, events: first)]
        let submitted = first.first { $0.kind == .draftSubmitted }?.attachments ?? []
        for member in members where member.status == .routed {
            let sibling: AssignmentState? =
                switch step {
                case .submit: Self.waitingForDraft(member, unit: assignment.executor)
                case .approve, .giveBack, .waive:
                    member.assignments.first {
                        $0.isLive && $0.status == .inReview && $0.drafts.last?.incidentDraft == submission.key
                    }
                }
            guard let sibling, caller.scope == .all || Rights.canAct(on: sibling, caller.access) else { continue }
            var own = step
            switch step {
            case .submit(let kind, _, let measures, _, let copyOf):
                own = .submit(
                    kind: kind, text: "", measures: measures, files: Self.copiedFiles(submitted, on: sibling),
                    copyOf: copyOf)
            case .waive:
                // The rule may not hold this case's copy (its topics): nothing to waive there.
                guard let draft = sibling.drafts.last, profile.evidence(of: draft, on: sibling, in: member) != nil,
                    !draft.hasPhotoOrVideo
                else { continue }
            case .approve, .giveBack:
                break
            }
            let events = try decideDraft(own, on: member, sibling.index, submission, incident: number, now: now, caller)
            steps.append(Store.CaseStep(caseID: member.id, expectedVersion: member.version, events: events))
        }
        var states: [CaseState] = []
        // Nothing to record (a waiver given already): the incident does not move.
        if steps.contains(where: { !$0.events.isEmpty }) {
            do {
                states = try store.commitIncident(
                    incident, put: false, steps: steps, actor: caller.actor, onBehalf: caller.onBehalf, now: now)
            } catch .incidentMoved {
                return .incidentMoved(number)
            } catch {
                throw incidentWriteFailure(error, incident, context)
            }
        }
        let also = steps.dropFirst().filter { !$0.events.isEmpty }.map(\.caseID)
        logger.info(
            "case \(caseID): \(first.map(\.kind.rawValue).joined(separator: ", ")) for incident \(number), also on \(also.count) cases, by \(describe(caller.actor, caller.onBehalf))"
        )
        guard let updated = states.first(where: { $0.id == caseID }) else {
            // Nothing recorded on the case asked on (a waiver given already): the case as it stands.
            var view = CaseViews.fit(try views(for: caller).view(try load(caseID), now: now))
            view.alsoOn = also
            return .answered(view)
        }
        var view = CaseViews.fit(try views(for: caller).view(updated, now: now))
        view.alsoOn = also
        return .answered(view)
    }

    /// `step` decided on `state`'s assignment `index` as the incident's `submission`: a submission's text
    /// filled in with the case's own author.
    private func decideDraft(
        _ step: IncidentDraftStep, on state: CaseState, _ index: Int, _ submission: IncidentSubmission, incident: Int,
        now: Instant,
        _ caller: Caller
    ) throws(RPCError) -> [WorkflowEvent] {
        let command: CaseCommand =
            switch step {
            case .submit(let kind, _, let measures, let files, let copyOf):
                .submitDraft(
                    assignment: index, kind: kind, text: Incident.fill(submission.template ?? "", for: state),
                    measures: measures, attachments: files, copyOf: copyOf)
            case .approve: .approveDraft(assignment: index)
            case .giveBack(let reason, let comment): .returnDraft(assignment: index, reason: reason, comment: comment)
            case .waive(let reason): .waiveEvidence(assignment: index, reason: reason)
            }
        return try decide(state, [command], incident: incident, now: now, by: caller.dutyLogins, submission: submission)
            .events
    }
}
