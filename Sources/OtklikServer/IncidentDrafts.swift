import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
import OtklikStore

/// Issue 31: a draft step on a case in an incident is the incident's. A draft submitted on one case's
/// assignment of a unit is submitted on every open case of the incident whose assignment of that unit
/// waits for a draft (each with its own author named where the text names one); approving or
/// returning it decides every such draft in review. One transaction: refused on one, refused on all.
extension CaseServiceHandlers {
    enum IncidentDraftStep {
        case submit(kind: DraftKind, text: String, measures: String, files: DraftAttachmentChange, copyOf: String?)
        case approve
        case giveBack(ReturnReason, comment: String)
    }

    /// The step taken on the incident's drafts of the assignment's unit, answered with the case it was
    /// asked on; nil when the case is in no incident, or the draft is not the incident's (a
    /// clarification is the case's own): the step is the case's alone then.
    func incidentDraftStep(
        _ context: ServerContext, _ caseID: String, _ index: Int, _ expectedVersion: Int64, _ step: IncidentDraftStep,
        vet: ([WorkflowEvent]) throws(RPCError) -> Void = { _ throws(RPCError) in }
    ) throws(RPCError) -> CaseView? {
        let origin = try load(caseID)
        guard let incident = origin.incident, let assignment = origin.assignment(index) else { return nil }
        switch step {
        case .submit(let kind, _, _, _, _): guard kind != .clarification else { return nil }
        case .approve, .giveBack: guard assignment.drafts.last?.incident == incident else { return nil }
        }
        let caller = try context.caller
        try authorizer.requireAct(caller, on: assignment, of: origin, context)
        guard expectedVersion > 0 else { throw RPCError(.invalidArgument, Refusals.Cases.expectedVersionRequired()) }
        try requireVersion(origin, expectedVersion)
        let now = clock.now
        var asked = step
        if case .submit(let kind, let text, let measures, let files, let copyOf) = step {
            // The case it was written on names its own author where the text says {author}.
            asked = .submit(
                kind: kind, text: Incident.text(text, writtenFor: origin, for: origin), measures: measures,
                files: files, copyOf: copyOf)
        }
        let first = try decideDraft(asked, on: origin, index, origin: origin, incident: incident, now: now, caller)
        try vet(first)
        var steps = [Store.CaseStep(caseID: caseID, expectedVersion: origin.version, events: first)]
        let submitted = first.first { $0.kind == .draftSubmitted }?.attachments ?? []
        for member in try incidentStates(incident) where member.id != caseID && member.status == .routed {
            let sibling: AssignmentState? =
                switch step {
                case .submit: Self.waitingForDraft(member, unit: assignment.executor)
                case .approve, .giveBack:
                    member.assignments.first {
                        $0.isLive && $0.executor == assignment.executor && $0.status == .inReview
                            && $0.drafts.last?.incident == incident
                    }
                }
            guard let sibling, caller.scope == .all || Rights.canAct(on: sibling, caller.access) else { continue }
            var own = step
            if case .submit(let kind, let text, let measures, _, let copyOf) = step {
                // The same files as the draft asked on: a returned draft's files it no longer has go.
                let returned = sibling.drafts.last.flatMap { $0.status == .returned ? $0.attachments : nil } ?? []
                let files = DraftAttachmentChange(
                    attach: submitted,
                    detach: returned.map(\.sha256).filter { sha in !submitted.contains { $0.sha256 == sha } })
                own = .submit(
                    kind: kind, text: Incident.text(text, writtenFor: origin, for: member), measures: measures,
                    files: files, copyOf: copyOf)
            }
            let events = try decideDraft(
                own, on: member, sibling.index, origin: origin, incident: incident, now: now, caller)
            steps.append(Store.CaseStep(caseID: member.id, expectedVersion: member.version, events: events))
        }
        let states: [CaseState]
        do {
            states = try store.commitIncident(
                nil, isNew: false, steps: steps, actor: caller.actor, onBehalf: caller.onBehalf, now: now)
        } catch {
            throw incidentWriteFailure(error, context)
        }
        let also = steps.dropFirst().map(\.caseID)
        logger.info(
            "case \(caseID): \(first.map(\.kind.rawValue).joined(separator: ", ")) for incident \(incident), also on \(also.count) cases, by \(describe(caller.actor, caller.onBehalf))"
        )
        guard let updated = states.first(where: { $0.id == caseID }) else { return nil }
        var view = CaseViews.fit(try views(for: caller).view(updated, now: now))
        view.alsoOn = also
        return view
    }

    private func decideDraft(
        _ step: IncidentDraftStep, on state: CaseState, _ index: Int, origin: CaseState, incident: Int, now: Instant,
        _ caller: Caller
    ) throws(RPCError) -> [WorkflowEvent] {
        let command: CaseCommand =
            switch step {
            case .submit(let kind, let text, let measures, let files, let copyOf):
                .submitDraft(
                    assignment: index, kind: kind, text: text, measures: measures, attachments: files, copyOf: copyOf)
            case .approve: .approveDraft(assignment: index)
            case .giveBack(let reason, let comment): .returnDraft(assignment: index, reason: reason, comment: comment)
            }
        return try decide(state, [command], incident: incident, now: now, by: caller.dutyLogins).events
    }
}
