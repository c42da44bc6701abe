/// The steps of a draft: submitting it with its files, the evidence waiver, the curator's review,
/// publishing the reply.
extension Workflow {
    /// Files one draft may carry.
    public static let maxDraftFiles = 20

    static func submit(
        _ state: CaseState, _ index: Int, kind: DraftKind, text: String, measures: String, copyOf: String?,
        now: Instant, context: WorkflowContext
    ) throws(WorkflowError) -> WorkflowEvent {
        let assignment = try active(state, index)
        let allowed: [DraftKind] =
            assignment.status == .drafting && assignment.intermediatePublishedAt == nil
            ? DraftKind.allCases : [.intermediate, .final, .clarification]
        guard allowed.contains(kind) else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.draftKindNotNow(["draft_kind": kind.rawValue]))
        }
        let measures = measures.trimmingWhitespace
        // p.18: a reply on a repeat message, whatever its kind, states the measures taken or the progress.
        if let repeatOf = state.repeatOf, kind != .clarification, measures.isEmpty {
            throw WorkflowError(
                .failedPrecondition, Refusals.Workflow.repeatNeedsMeasures(["case": state.id, "repeat_of": repeatOf]))
        }
        let clocks = try CaseClocks.read(state, now: now, context: context)
        var met: [WorkflowEvent.MetClock] = []
        if assignment.draftMet == nil, let draft = clocks.assignments[index]?[.draft], draft.metAt == nil,
            assignment.replyMet == nil
        {
            met.append(.init(clock: .draft, due: draft.due))
        }
        if let rework = clocks.drafts[index]?.last?[.rework], rework.metAt == nil {
            met.append(.init(clock: .rework, due: rework.due))
        }
        if kind == .final, assignment.finalDraftMet == nil, let final = clocks.assignments[index]?[.finalDraft] {
            met.append(.init(clock: .finalDraft, due: final.due))
        }
        var event = WorkflowEvent(kind: .draftSubmitted, at: now, assignment: index, met: met)
        event.draftKind = kind
        event.text = try requiredText(text, "text")
        event.measures = measures.isEmpty ? nil : try requiredText(measures, "measures")
        // Issue 31: a draft written while the case is in an incident is the incident's (clarifications
        // ask one author a question of their own and stay the case's).
        if kind != .clarification { event.incident = state.incident }
        // Issue 31: the reply-quality check, recorded with the draft; a warning unless the profile
        // makes the rule refuse.
        if let quality = context.profile.replyQuality {
            let findings = quality.check(
                kind: kind, text: text, measures: measures, post: state.text, copyOf: copyOf == state.id ? nil : copyOf)
            let refusing = quality.refusing(findings)
            if !refusing.isEmpty {
                throw WorkflowError(
                    .failedPrecondition,
                    Refusals.Workflow.formalReply([
                        "quality_rules": refusing.map(\.rule.rawValue).joined(separator: ",")
                    ]))
            }
            event.findings = findings.isEmpty ? nil : findings
        }
        return event
    }

    /// p.19: the files of a new submission: the returned draft's (a resubmission keeps them) less
    /// `change.detach`, plus `change.attach`; at most 20.
    static func files(of state: CaseState, _ index: Int, _ change: DraftAttachmentChange)
        throws(WorkflowError) -> [DraftAttachment]?
    {
        let assignment = try active(state, index)
        var files: [DraftAttachment] = []
        if let previous = assignment.drafts.last, previous.status == .returned { files = previous.attachments ?? [] }
        for sha256 in change.detach {
            guard files.contains(where: { $0.sha256 == sha256 }) else {
                throw WorkflowError(
                    .invalidArgument,
                    Refusals.Workflow.notAReturnedFile(["sha256": sha256, "assignment": state.assignmentID(index)]))
            }
            files.removeAll { $0.sha256 == sha256 }
        }
        for file in change.attach where !files.contains(where: { $0.sha256 == file.sha256 }) { files.append(file) }
        guard files.count <= maxDraftFiles else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.tooManyFiles(["max": String(maxDraftFiles), "count": String(files.count)]))
        }
        return files.isEmpty ? nil : files
    }

    /// The curator waives p.19's evidence rule for a draft in review, with a reason (never skips it).
    static func waiveEvidence(
        _ state: CaseState, _ index: Int, reason: String, now: Instant, context: WorkflowContext, by logins: Set<String>
    ) throws(WorkflowError) -> [WorkflowEvent] {
        let assignment = try active(state, index)
        guard let draft = assignment.drafts.last, draft.status == .submitted else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.noDraftInReview(of: state, assignment))
        }
        guard context.profile.evidence(of: draft, on: assignment, in: state) != nil, !draft.hasPhotoOrVideo else {
            throw WorkflowError(
                .failedPrecondition, Refusals.Workflow.nothingToWaive(["assignment": state.assignmentID(index)]))
        }
        try requireOtherParty(draft, logins, state.assignmentID(index), "waive")
        guard draft.evidenceWaiver == nil else { return [] }
        var event = WorkflowEvent(kind: .evidenceWaived, at: now, assignment: index)
        event.reason = try requiredText(reason, "reason")
        return [event]
    }

    /// The curator's review of the draft (p.13): approved, or returned with a reason and a comment
    /// (`returning`); never by its own writer, a repeat's reply never approved without its measures
    /// (p.18), nor without the evidence the profile asks (p.19).
    static func review(
        _ state: CaseState, _ index: Int, returning: (reason: ReturnReason, comment: String)?, now: Instant,
        context: WorkflowContext, by logins: Set<String>
    ) throws(WorkflowError) -> WorkflowEvent {
        let assignment = try active(state, index)
        guard let draft = assignment.drafts.last else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.noDraftInReview(of: state, assignment))
        }
        try requireOtherParty(draft, logins, state.assignmentID(index), returning == nil ? "approve" : "return")
        if returning == nil, let earlier = state.repeatOf, draft.kind != .clarification, (draft.measures ?? "").isEmpty
        {
            throw WorkflowError(
                .failedPrecondition,
                Refusals.Workflow.repeatNeedsMeasuresToApprove(["case": state.id, "repeat_of": earlier]))
        }
        if returning == nil, let evidence = context.profile.evidence(of: draft, on: assignment, in: state),
            evidence.missing
        {
            throw WorkflowError(
                .failedPrecondition,
                Refusals.Workflow.evidenceMissing(["topics": evidence.rule.topics.joined(separator: ", ")]))
        }
        let clocks = try CaseClocks.read(state, now: now, context: context)
        let review = clocks.drafts[index]?.last?[.review]
        var event = WorkflowEvent(
            kind: .draftApproved, at: now, assignment: index,
            met: review.map { [.init(clock: .review, due: $0.due)] })
        if let returning {
            event.kind = .draftReturned
            event.reason = returning.reason.rawValue
            event.comment = try requiredText(returning.comment, "comment")
        }
        return event
    }

    static func publish(
        _ state: CaseState, _ index: Int, url: String, account: String, at: Instant?, now: Instant,
        context: WorkflowContext, by logins: Set<String>
    ) throws(WorkflowError) -> WorkflowEvent {
        let assignment = try active(state, index)
        guard let draft = assignment.drafts.last, let approvedAt = draft.decidedAt else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.noApprovedDraft(of: state, assignment))
        }
        try requireOtherParty(draft, logins, state.assignmentID(index), "publish")
        guard !url.isEmpty else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.replyURLRequired(["network": state.network]))
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.replyURLScheme())
        }
        // p.15: the reply goes out in the network where the message was, from one of the
        // administration's accounts there (p.4).
        let hosts = context.profile.hosts(of: state.network)
        guard hosts.isEmpty || PostURL.isOn(url, hosts: hosts) else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.replyURLHost([
                    "network": state.network, "hosts": hosts.joined(separator: ", "), "host": PostURL.host(url) ?? url,
                ]))
        }
        guard !account.trimmingWhitespace.isEmpty else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.accountRequired(["network": state.network]))
        }
        let at = at ?? now
        try checkFact(at, notBefore: approvedAt, "publication", "approval", now: now)
        // Clocks as they stood when the reply went out.
        let clocks = try CaseClocks.read(state, now: at, context: context)
        var met: [WorkflowEvent.MetClock] = []
        if let publish = clocks.drafts[index]?.last?[.publish] { met.append(.init(clock: .publish, due: publish.due)) }
        if draft.kind != .clarification, assignment.replyMet == nil, let reply = clocks.assignments[index]?[.reply] {
            met.append(.init(clock: .reply, due: reply.due))
        }
        var event = WorkflowEvent(kind: .replyPublished, at: at, assignment: index, met: met)
        event.url = url
        event.account = account
        return event
    }

    /// p.5, p.13: whoever submitted a draft (in their own name or standing in) does not decide or publish it.
    static func requireOtherParty(_ draft: Draft, _ logins: Set<String>, _ assignment: String, _ action: String)
        throws(WorkflowError)
    {
        let writers = Set(draft.submittedBy ?? [])
        if let same = writers.intersection(logins).sorted().first {
            throw WorkflowError(
                .permissionDenied,
                Refusals.Workflow.separationOfDuties(["login": same, "assignment": assignment, "action": action]))
        }
    }
}
