import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
import OtklikStore

/// `otklik.v1.Incidents` (issue 31): the curator's grouping of cases about one problem. Every step is
/// decided by the workflow on each case it touches and written for all of them in one transaction
/// (`Store.commitIncident`), the incident moved on with it: a step refused on one case is refused for
/// all, and nothing is written.
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
            let caller = try context.caller
            return try incidentView(try readableIncident(request.incidentID, caller), caller: caller)
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
                    incident, put: true, isNew: true, steps: steps, actor: caller.actor, onBehalf: caller.onBehalf,
                    now: now)
            } catch .numberTaken {
                continue
            } catch {
                throw incidentWriteFailure(error, incident, context)
            }
            logger.info(
                "incident \(id) created with \(states.count) cases by \(describe(caller.actor, caller.onBehalf))")
            return try incidentView(incident, caller: caller)
        }
        throw RPCError(
            .aborted, Refusals.Requests.failed(["detail": "incident numbers were taken meanwhile; try again"]))
    }

    /// Cases join: each is routed as the incident is, and gets the incident's latest draft of each of its
    /// units at once: submitted as the executor wrote it (each case's author named), with the curator's
    /// waiver of the evidence rule when she gave one, and approved when she approved it (its own publish
    /// clock from now).
    private func addToIncident(_ context: ServerContext, _ request: IncidentCasesRequest) throws(RPCError)
        -> IncidentView
    {
        let caller = try context.caller
        let incident = try incident(request.incidentID)
        let states = try incidentCases(request.caseIds)
        let members = try incidentStates(incident.id).filter { member in !states.contains { $0.id == member.id } }
        let joining = states.filter { $0.incident != incident.id }.count
        // The routing's units must still be routable, as for `case route`.
        if !incident.routing.isEmpty { try requireRoutable(incident.routing.map(\.unit)) }
        guard members.count + joining <= Incident.maxCases else {
            throw RPCError(
                .failedPrecondition,
                Refusals.Incidents.incidentTooLarge([
                    "incident": String(incident.id), "count": String(members.count + joining),
                    "max": String(Incident.maxCases),
                ]))
        }
        let now = clock.now
        var steps: [Store.CaseStep] = []
        var skipped: [String] = []
        for state in states where state.incident != incident.id {
            var (events, current) = try decide(
                state, [.joinIncident(incident.id)], incident: incident.id, now: now, by: caller.dutyLogins)
            func take(_ commands: [CaseCommand], by logins: Set<String>, draft: Draft? = nil) throws(RPCError) {
                let taken = try decide(
                    current, commands, incident: incident.id, now: now, by: logins,
                    submission: draft.map(IncidentSubmission.init))
                events += taken.events
                current = taken.state
            }
            try take(incident.routingSteps(for: current, reason: request.reason), by: caller.dutyLogins)
            if !incident.kept(in: current).isEmpty { skipped.append(state.id) }
            for route in incident.routing {
                guard let (draft, member) = Incident.latestDraft(of: route.unit, incident: incident.id, among: members),
                    let assignment = Self.waitingForDraft(current, unit: route.unit)
                else { continue }
                let submit = CaseCommand.submitDraft(
                    assignment: assignment.index, kind: draft.kind,
                    text: Incident.fill(template(of: draft, on: member), for: current), measures: draft.measures ?? "",
                    attachments: Self.copiedFiles(draft.attachments ?? [], on: assignment))
                try take([submit], by: Set(draft.submittedBy ?? []), draft: draft)
                if let waiver = draft.evidenceWaiver, let copy = current.assignment(assignment.index),
                    let written = copy.drafts.last, profile.evidence(of: written, on: copy, in: current) != nil,
                    !written.hasPhotoOrVideo
                {
                    try take(
                        [.waiveEvidence(assignment: assignment.index, reason: waiver.reason)], by: caller.dutyLogins)
                }
                if draft.status == .approved || draft.status == .published {
                    try take([.approveDraft(assignment: assignment.index)], by: caller.dutyLogins)
                }
            }
            steps.append(Store.CaseStep(caseID: state.id, expectedVersion: state.version, events: events))
        }
        try commit(incident, put: false, steps, context, caller)
        var view = try incidentView(incident, caller: caller)
        view.skipped = skipped
        return view
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
        try commit(incident, put: false, steps, context, caller)
        return try incidentView(incident, caller: caller)
    }

    /// The incident's one routing, brought to each of its open cases (`Incident.routingSteps`). The
    /// topics are those of the assignments the routing makes (and a case added later gets); a unit that
    /// stays keeps its assignments' topics.
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
            if state.status != .new && state.status != .routed || !incident.kept(in: state).isEmpty {
                skipped.append(state.id)
            }
            let (events, _) = try decide(state, commands, incident: incident.id, now: now, by: caller.dutyLogins)
            steps.append(Store.CaseStep(caseID: state.id, expectedVersion: state.version, events: events))
        }
        try commit(incident, put: true, steps, context, caller)
        incident.version += 1
        var view = try incidentView(incident, caller: caller)
        view.skipped = skipped
        return view
    }

    /// p.15: each approved reply of the incident (one a connector could not publish too) goes to its
    /// network's connector where the profile hands that network's replies to one and it reads the
    /// message's community now; the others stay listed for a person to publish and record.
    private func publishIncident(_ context: ServerContext, _ request: IncidentRef) throws(RPCError) -> IncidentView {
        let caller = try context.caller
        let incident = try incident(request.incidentID)
        let now = clock.now
        var steps: [Store.CaseStep] = []
        var requested: [String] = []
        for state in try incidentStates(incident.id, openOnly: true)
        where state.status == .routed && profile.publishedByConnector.contains(state.network) {
            guard connectorReads(state, now: now) == true else { continue }
            var commands: [CaseCommand] = []
            for assignment in state.assignments
            where assignment.status == .approved && assignment.publication?.isWaiting != true
                && assignment.drafts.last?.incident == incident.id
            {
                commands.append(.requestPublication(assignment: assignment.index, network: state.network))
                requested.append(state.assignmentID(assignment.index))
            }
            let (events, _) = try decide(state, commands, incident: incident.id, now: now, by: caller.dutyLogins)
            steps.append(Store.CaseStep(caseID: state.id, expectedVersion: state.version, events: events))
        }
        try commit(incident, put: false, steps, context, caller)
        var view = try incidentView(incident, caller: caller)
        view.requested = requested
        return view
    }

    /// The incidents, the newest first: those who read every case see all, others the incidents with a
    /// case of their units.
    private func listIncidents(_ context: ServerContext, _ request: ListIncidentsRequest) throws(RPCError)
        -> ListIncidentsResponse
    {
        let caller = try context.caller
        let limit = request.limit == 0 ? 100 : min(Int(request.limit), 1000)
        let units = caller.scope == .all ? nil : caller.access.units
        let rows = try read { () throws(StoreError) in try store.incidents(limit: limit, units: units) }
        let views = try views(for: caller)
        var response = ListIncidentsResponse()
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
}
