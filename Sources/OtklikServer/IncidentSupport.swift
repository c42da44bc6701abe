import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
import OtklikStore

/// What the incidents' steps share: deciding on each case, writing them all, reading the incident.
/// Which submission of an incident a draft is (`Draft.incidentDraft`), and its text as written with
/// `{author}` where each case's author goes (`Draft.draftTemplate`).
struct IncidentSubmission {
    var key: String?
    var template: String?

    init(key: String?, template: String?) {
        self.key = key
        self.template = template
    }

    init(_ draft: Draft) { self.init(key: draft.incidentDraft, template: draft.draftTemplate) }
}

extension CaseServiceHandlers {
    /// The case's live assignment of `unit` that waits for a draft (drafting, or awaiting the final one).
    static func waitingForDraft(_ state: CaseState, unit: String) -> AssignmentState? {
        state.assignments.first { assignment in
            assignment.isLive && assignment.executor == unit
                && (assignment.status == .drafting || assignment.status == .awaitingFinal)
        }
    }

    /// The files of a copy of the incident's submission on `assignment`: exactly the submission's
    /// `files`, so the files of the assignment's own returned draft (which a next submission otherwise
    /// keeps, `Workflow.files`) that are not among them are left out.
    static func copiedFiles(_ files: [DraftAttachment], on assignment: AssignmentState) -> DraftAttachmentChange {
        let returned = assignment.drafts.last.flatMap { $0.status == .returned ? $0.attachments : nil } ?? []
        return DraftAttachmentChange(
            attach: files, detach: returned.map(\.sha256).filter { sha in !files.contains { $0.sha256 == sha } })
    }

    /// Decides `commands` in turn on `state` for `logins`, each event marked as the incident's; a
    /// submission as the incident's `submission`.
    func decide(
        _ state: CaseState, _ commands: [CaseCommand], incident: Int, now: Instant, by logins: Set<String>,
        submission: IncidentSubmission? = nil
    ) throws(RPCError) -> (events: [WorkflowEvent], state: CaseState) {
        let workflow = try workflowContext()
        var current = state
        var all: [WorkflowEvent] = []
        for command in commands {
            do {
                var events = try Workflow.decide(current, command, now: now, context: workflow, by: logins)
                for index in events.indices {
                    events[index].incident = incident
                    if events[index].kind == .draftSubmitted, let submission {
                        events[index].incidentDraft = submission.key
                        // The template is kept once, on the case it was written on (`template(of:)`).
                        if let key = submission.key, key.hasPrefix(current.id + "/") {
                            events[index].draftTemplate = submission.template
                        }
                    }
                }
                if let next = try Workflow.apply(events, to: current, id: current.id) { current = next }
                all += events
            } catch {
                throw onCase(error, state.id, incident)
            }
        }
        return (all, current)
    }

    /// The text as written of the incident's submission `draft` (found on `member`): kept on the case it
    /// was written on (its key names the case, the assignment and the draft); else the copy's own text
    /// with its author made the placeholder again.
    func template(of draft: Draft, on member: CaseState) -> String {
        if let kept = draft.draftTemplate { return kept }
        if let key = draft.incidentDraft, let hash = key.lastIndex(of: "#"),
            let assignment = AssignmentID(String(key[..<hash])), let number = Int(key[key.index(after: hash)...]),
            let origin = try? store.loadCase(assignment.caseID),
            let drafts = origin.assignment(assignment.index)?.drafts, drafts.indices.contains(number - 1),
            let kept = drafts[number - 1].draftTemplate
        {
            return kept
        }
        return Incident.template(draft.text, writtenFor: member)
    }

    /// A refusal on one of the incident's cases, naming the case.
    func onCase(_ error: WorkflowError, _ caseID: String, _ incident: Int) -> RPCError {
        var named = error
        let refused = Refusals.Incidents.incidentStepOnCase([
            "case": caseID, "incident": String(incident), "detail": error.message,
        ])
        named.message = refused.message
        named.reason = error.reason.isEmpty ? refused.reason : error.reason
        return named.rpc
    }

    /// Writes the incident's step: the cases' events and the incident moved on (its own facts too when
    /// `put`), or nothing.
    func commit(_ incident: Incident, put: Bool, _ steps: [Store.CaseStep], _ context: ServerContext, _ caller: Caller)
        throws(RPCError)
    {
        guard put || steps.contains(where: { !$0.events.isEmpty }) else { return }
        do {
            _ = try store.commitIncident(
                incident, put: put, steps: steps, actor: caller.actor, onBehalf: caller.onBehalf, now: clock.now)
        } catch {
            throw incidentWriteFailure(error, incident, context)
        }
        let touched = steps.filter { !$0.events.isEmpty }.map(\.caseID)
        logger.info(
            "\(context.method) incident \(incident.id): \(touched.count) cases (\(touched.prefix(5).joined(separator: ", "))) by \(describe(caller.actor, caller.onBehalf))"
        )
    }

    func incidentWriteFailure(_ error: Store.IncidentWriteError, _ incident: Incident, _ context: ServerContext)
        -> RPCError
    {
        switch error {
        case .numberTaken, .incidentMoved:
            return RPCError(.aborted, Refusals.Incidents.incidentMoved(["incident": String(incident.id)]))
        case .onCase(let caseID, .stale(let current)):
            return RPCError(
                .aborted,
                Refusals.Cases.versionConflict(["case": caseID, "current": String(current), "expected": "-"]))
        case .onCase(let caseID, .notFound):
            return RPCError(.notFound, Refusals.Workflow.caseNotFound(["case": caseID]))
        case .onCase(let caseID, .refused(let refusal)):
            logger.error("\(context.method) on \(caseID): the case cannot take its own step: \(refusal)")
            return refusal.rpc
        case .onCase(_, .store(.missingAttachment(let sha256))):
            return RPCError(.failedPrecondition, Refusals.Cases.attachmentGone(["sha256": sha256]))
        case .onCase(let caseID, .store(let failure)):
            logger.error("\(context.method) on \(caseID): \(failure)")
            return failure.rpc("the step could not be stored", dataDirectory: store.directory)
        }
    }

    func incident(_ id: UInt32) throws(RPCError) -> Incident {
        guard id > 0, let incident = try read({ () throws(StoreError) in try store.loadIncident(Int(id)) }) else {
            throw RPCError(.notFound, Refusals.Incidents.noSuchIncident(["incident": String(id)]))
        }
        return incident
    }

    /// The incident, for a caller who reads every case or one of its cases (their unit's, or one they
    /// stand in for); to anyone else it is not there (whether another unit has an incident is not theirs
    /// to learn).
    func readableIncident(_ id: UInt32, _ caller: Caller) throws(RPCError) -> Incident {
        let incident = try incident(id)
        if caller.scope == .all { return incident }
        let held = try read { () throws(StoreError) in try store.incidentHeld(incident.id, by: caller.access.units) }
        // Else a case of it the caller reads as a deputy standing in for the person who holds it.
        if held { return incident }
        let cases = try incidentStates(incident.id)
        guard cases.contains(where: { Rights.canRead($0, caller.access, scope: caller.scope) }) else {
            throw RPCError(.notFound, Refusals.Incidents.noSuchIncident(["incident": String(id)]))
        }
        return incident
    }

    /// The cases a call names (at most `Incident.maxCases`, bounded on the wire): at least one, each
    /// once, each existing.
    func incidentCases(_ ids: [String]) throws(RPCError) -> [CaseState] {
        guard !ids.isEmpty else { throw RPCError(.invalidArgument, Refusals.Incidents.incidentCasesRequired()) }
        var states: [CaseState] = []
        for id in ids where !states.contains(where: { $0.id == id }) { states.append(try load(id)) }
        return states
    }

    /// The incident's cases (only new or routed ones with `openOnly`), by number.
    func incidentStates(_ id: Int, openOnly: Bool = false) throws(RPCError) -> [CaseState] {
        var states: [CaseState] = []
        for caseID in try read({ () throws(StoreError) in try store.incidentMembers(id, openOnly: openOnly) }) {
            states.append(try load(caseID))
        }
        return states
    }

    func read<T>(_ body: () throws(StoreError) -> T) throws(RPCError) -> T {
        do {
            return try body()
        } catch {
            logger.error("reading incidents: \(error)")
            throw error.rpc("the incidents could not be read", dataDirectory: store.directory)
        }
    }
}
