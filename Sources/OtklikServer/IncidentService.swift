import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
import OtklikStore

/// `otklik.v1.Incidents` (issue 31): the curator's grouping of cases about one problem. Every step is
/// decided by the workflow on each case it touches and written for all of them in one transaction
/// (`Store.commitIncident`): a step refused on one case is refused for all, and nothing is written.
extension CaseServiceHandlers {
    func registerIncidents(in registry: inout ServiceRegistry) {
        registry.unary(IncidentsService.createIncident, placement: .pool) { context, request in
            try createIncident(context, request)
        }
        registry.unary(IncidentsService.addToIncident, placement: .pool) { context, request in
            try addToIncident(context, request)
        }
        registry.unary(IncidentsService.removeFromIncident, placement: .pool) { context, request in
            try removeFromIncident(context, request)
        }
        registry.unary(IncidentsService.getIncident, placement: .pool) { context, request in
            try incidentView(try incident(request.incidentID), caller: try context.caller)
        }
        registry.unary(IncidentsService.listIncidents, placement: .pool) { context, request in
            try listIncidents(context, request)
        }
        registry.unary(IncidentsService.routeIncident, placement: .pool) { context, request in
            try routeIncident(context, request)
        }
        registry.unary(IncidentsService.publishIncident, placement: .pool) { context, request in
            try publishIncident(context, request)
        }
        registry.unary(IncidentsService.suggestIncident, placement: .pool) { context, request in
            try suggestIncident(context, request)
        }
    }

    // MARK: The steps

    private func createIncident(_ context: ServerContext, _ request: CreateIncidentRequest) throws(RPCError)
        -> IncidentView
    {
        let caller = try context.caller
        let title: String
        let topics: [String]
        do {
            title = try Incident.checkedTitle(request.title)
            topics = try Incident.checkedTopics(request.topics)
        } catch {
            throw error.rpc
        }
        let states = try incidentCases(request.caseIds)
        let now = clock.now
        // The number is the next one free; a create that took it meanwhile makes this one decide again.
        for _ in 0..<3 {
            let id = try read { () throws(StoreError) in try store.nextIncidentID() }
            let incident = Incident(id: id, title: title, topics: topics, createdAt: now, createdBy: caller.login)
            var steps: [Store.CaseStep] = []
            for state in states {
                let (events, _) = try decide(state, [.joinIncident(id)], incident: id, now: now, by: caller.dutyLogins)
                steps.append(Store.CaseStep(caseID: state.id, expectedVersion: state.version, events: events))
            }
            do {
                _ = try store.commitIncident(
                    incident, isNew: true, steps: steps, actor: caller.actor, onBehalf: caller.onBehalf, now: now)
            } catch .numberTaken {
                continue
            } catch {
                throw incidentWriteFailure(error, context)
            }
            logger.info(
                "incident \(id) created with \(states.count) cases by \(describe(caller.actor, caller.onBehalf))")
            return try incidentView(incident, caller: caller)
        }
        throw RPCError(
            .aborted, Refusals.Requests.failed(["detail": "incident numbers were taken meanwhile; try again"]))
    }

    /// Cases join: each is routed as the incident is, and gets the incident's draft of each of its units
    /// at once (submitted, or approved when the curator approved it: its own publish clock from now).
    private func addToIncident(_ context: ServerContext, _ request: IncidentCasesRequest) throws(RPCError)
        -> IncidentView
    {
        let caller = try context.caller
        let incident = try incident(request.incidentID)
        let states = try incidentCases(request.caseIds)
        let members = try incidentStates(incident.id).filter { member in !states.contains { $0.id == member.id } }
        let now = clock.now
        var steps: [Store.CaseStep] = []
        for state in states {
            var (events, current) = try decide(
                state, [.joinIncident(incident.id)], incident: incident.id, now: now, by: caller.dutyLogins)
            let routing = try decide(
                current, incident.routingSteps(for: current, reason: request.reason), incident: incident.id, now: now,
                by: caller.dutyLogins)
            events += routing.events
            current = routing.state
            for route in incident.routing {
                guard let (draft, origin) = Incident.latestDraft(of: route.unit, incident: incident.id, among: members),
                    let assignment = Self.waitingForDraft(current, unit: route.unit)
                else { continue }
                let written = try decide(
                    current,
                    [
                        .submitDraft(
                            assignment: assignment.index, kind: draft.kind,
                            text: Incident.text(draft.text, writtenFor: origin, for: current),
                            measures: draft.measures ?? "",
                            attachments: DraftAttachmentChange(attach: draft.attachments ?? []))
                    ], incident: incident.id, now: now, by: Set(draft.submittedBy ?? []))
                events += written.events
                current = written.state
                if draft.status == Draft.Status.approved || draft.status == Draft.Status.published {
                    let approved = try decide(
                        current, [.approveDraft(assignment: assignment.index)], incident: incident.id, now: now,
                        by: caller.dutyLogins)
                    events += approved.events
                    current = approved.state
                }
            }
            steps.append(Store.CaseStep(caseID: state.id, expectedVersion: state.version, events: events))
        }
        try commit(nil, steps, context, caller)
        return try incidentView(incident, caller: caller)
    }

    private func removeFromIncident(_ context: ServerContext, _ request: IncidentCasesRequest) throws(RPCError)
        -> IncidentView
    {
        let caller = try context.caller
        let incident = try incident(request.incidentID)
        let states = try incidentCases(request.caseIds)
        let now = clock.now
        var steps: [Store.CaseStep] = []
        for state in states {
            guard state.incident == incident.id else {
                throw RPCError(
                    .failedPrecondition,
                    Refusals.Incidents.caseNotInIncident(["case": state.id, "incident": String(incident.id)]))
            }
            let (events, _) = try decide(
                state, [.leaveIncident(reason: request.reason)], incident: incident.id, now: now, by: caller.dutyLogins)
            steps.append(Store.CaseStep(caseID: state.id, expectedVersion: state.version, events: events))
        }
        try commit(nil, steps, context, caller)
        return try incidentView(incident, caller: caller)
    }

    /// The incident's one routing, brought to each of its open cases (`Incident.routingSteps`).
    private func routeIncident(_ context: ServerContext, _ request: RouteIncidentRequest) throws(RPCError)
        -> IncidentView
    {
        let caller = try context.caller
        var incident = try incident(request.incidentID)
        try requireRoutable(request.executors)
        var topics: [String: [String]] = [:]
        for pair in request.topics { topics[pair.unit, default: []].append(pair.topic) }
        do {
            incident.routing = try incident.routing(executors: request.executors, topics: topics)
        } catch {
            throw error.rpc
        }
        let now = clock.now
        var steps: [Store.CaseStep] = []
        var skipped: [String] = []
        for state in try incidentStates(incident.id) {
            let commands = incident.routingSteps(for: state, reason: request.reason)
            if commands.isEmpty, state.status != .routed { skipped.append(state.id) }
            let (events, _) = try decide(state, commands, incident: incident.id, now: now, by: caller.dutyLogins)
            steps.append(Store.CaseStep(caseID: state.id, expectedVersion: state.version, events: events))
        }
        try commit(incident, steps, context, caller)
        var view = try incidentView(incident, caller: caller)
        view.skipped = skipped
        return view
    }

    /// p.15: each approved reply of the incident goes to its network's connector where the profile hands
    /// that network's replies to one and it reads the message's community now; the others stay listed
    /// for a person to publish and record.
    private func publishIncident(_ context: ServerContext, _ request: IncidentRef) throws(RPCError) -> IncidentView {
        let caller = try context.caller
        let incident = try incident(request.incidentID)
        let now = clock.now
        var steps: [Store.CaseStep] = []
        var requested: [String] = []
        for state in try incidentStates(incident.id)
        where state.status == .routed && profile.publishedByConnector.contains(state.network) {
            guard let connector = NetworkConnector(network: state.network), let external = state.externalID,
                external.hasPrefix(connector.externalPrefix),
                connectors.live(network: state.network, externalID: external, now: now) != nil
            else { continue }
            var commands: [CaseCommand] = []
            for assignment in state.assignments
            where assignment.status == .approved && assignment.publication == nil
                && assignment.drafts.last?.incident == incident.id
            {
                commands.append(.requestPublication(assignment: assignment.index, network: state.network))
                requested.append(state.assignmentID(assignment.index))
            }
            let (events, _) = try decide(state, commands, incident: incident.id, now: now, by: caller.dutyLogins)
            steps.append(Store.CaseStep(caseID: state.id, expectedVersion: state.version, events: events))
        }
        try commit(nil, steps, context, caller)
        var view = try incidentView(incident, caller: caller)
        view.requested = requested
        return view
    }

    private func listIncidents(_ context: ServerContext, _ request: ListIncidentsRequest) throws(RPCError)
        -> ListIncidentsResponse
    {
        let limit = request.limit == 0 ? 100 : min(Int(request.limit), 1000)
        let rows = try read { () throws(StoreError) in try store.incidents(limit: limit) }
        var response = ListIncidentsResponse()
        let views = try views(for: try context.caller)
        response.incidents = rows.map { row in
            var summary = IncidentSummary()
            summary.id = UInt32(clamping: row.incident.id)
            summary.title = row.incident.title
            summary.cases = UInt32(clamping: row.cases)
            summary.open = UInt32(clamping: row.open)
            summary.units = row.incident.routing.map(\.unit)
            summary.createdAt = views.text(row.incident.createdAt)
            return summary
        }
        return response
    }

    /// p.18's likely repeats of the case, and the comments under the same network post: the cases a
    /// curator may group with it.
    private func suggestIncident(_ context: ServerContext, _ request: CaseRef) throws(RPCError)
        -> SuggestIncidentResponse
    {
        let state = try load(request.id)
        var seen: Set<String> = [state.id]
        var response = SuggestIncidentResponse()
        let samePost = try read { () throws(StoreError) in try store.casesUnderSamePost(as: state, limit: 20) }
        for (why, ids) in [("likely_repeat", suggestions(for: state)), ("same_post", samePost)] {
            for id in ids where seen.insert(id).inserted {
                guard let other = try? load(id) else { continue }
                var suggestion = IncidentSuggestion()
                suggestion.caseID = id
                suggestion.why = why
                suggestion.incident = UInt32(clamping: other.incident ?? 0)
                suggestion.author = other.author
                suggestion.text = String(other.text.prefix(200))
                response.suggestions.append(suggestion)
            }
        }
        return response
    }

    // MARK: Helpers

    /// The case's live assignment of `unit` that waits for a draft (drafting, or awaiting the final one).
    static func waitingForDraft(_ state: CaseState, unit: String) -> AssignmentState? {
        state.assignments.first { assignment in
            assignment.isLive && assignment.executor == unit
                && (assignment.status == .drafting || assignment.status == .awaitingFinal)
        }
    }

    /// Decides `commands` in turn on `state` for `logins`, each event marked as the incident's.
    func decide(_ state: CaseState, _ commands: [CaseCommand], incident: Int, now: Instant, by logins: Set<String>)
        throws(RPCError) -> (events: [WorkflowEvent], state: CaseState)
    {
        let workflow = try workflowContext()
        var current = state
        var all: [WorkflowEvent] = []
        for command in commands {
            do {
                var events = try Workflow.decide(current, command, now: now, context: workflow, by: logins)
                for index in events.indices { events[index].incident = incident }
                if let next = try Workflow.apply(events, to: current, id: current.id) { current = next }
                all += events
            } catch {
                throw onCase(error, state.id, incident)
            }
        }
        return (all, current)
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

    func commit(_ incident: Incident?, _ steps: [Store.CaseStep], _ context: ServerContext, _ caller: Caller)
        throws(RPCError)
    {
        guard incident != nil || steps.contains(where: { !$0.events.isEmpty }) else { return }
        do {
            _ = try store.commitIncident(
                incident, isNew: false, steps: steps, actor: caller.actor, onBehalf: caller.onBehalf, now: clock.now)
        } catch {
            throw incidentWriteFailure(error, context)
        }
        let touched = steps.filter { !$0.events.isEmpty }.map(\.caseID)
        logger.info(
            "\(context.method): \(touched.count) cases (\(touched.prefix(5).joined(separator: ", "))) by \(describe(caller.actor, caller.onBehalf))"
        )
    }

    func incidentWriteFailure(_ error: Store.IncidentWriteError, _ context: ServerContext) -> RPCError {
        switch error {
        case .numberTaken:
            return RPCError(
                .aborted, Refusals.Requests.failed(["detail": "the incident's number was taken; try again"]))
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

    /// The cases a call names: at least one, at most `Incident.maxCasesPerCall`, each once, each existing.
    func incidentCases(_ ids: [String]) throws(RPCError) -> [CaseState] {
        guard !ids.isEmpty else { throw RPCError(.invalidArgument, Refusals.Incidents.incidentCasesRequired()) }
        guard ids.count <= Incident.maxCasesPerCall else {
            throw RPCError(
                .invalidArgument,
                Refusals.Incidents.tooManyIncidentCases([
                    "max": String(Incident.maxCasesPerCall), "count": String(ids.count),
                ]))
        }
        var states: [CaseState] = []
        for id in ids where !states.contains(where: { $0.id == id }) { states.append(try load(id)) }
        return states
    }

    func incidentStates(_ id: Int) throws(RPCError) -> [CaseState] {
        var states: [CaseState] = []
        for caseID in try read({ () throws(StoreError) in try store.incidentMembers(id) }) {
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
