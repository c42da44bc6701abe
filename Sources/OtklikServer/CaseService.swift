import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// `otklik.v1.Cases` and `otklik.v1.Replies`: load the case, let the pure workflow decide, write the
/// events and the projection in one transaction (refused as ABORTED if the case moved on), answer
/// with the case as it now stands.
struct CaseServiceHandlers: ServiceEnvironmentReader {
    let environment: ServiceEnvironment
    var attachmentLimits = AttachmentLimits()
    /// Searches running at once: one per login, and fewer in all than the store has readers, so
    /// searches never hold every reader the other calls need (issue 25, H2).
    let searches: CallerGate
    /// How the networks' connectors stand (their reports).
    let connectors: ConnectorBoard
    /// The publications a connector is posting now.
    let claims = PublicationClaims()

    /// The wall time one search may take before it is ended as too broad.
    static let searchSeconds = 3.0

    /// Messages of an import written per transaction (about 40 ms of the writer's time).
    static let importTransaction = 100

    func register(in registry: inout ServiceRegistry) {
        registerCases(in: &registry)
        registerReplies(in: &registry)
        registerConnectors(in: &registry)
        registerIncidents(in: &registry)
    }

    /// `otklik.v1.Cases`: registration and import, reads, and the steps on cases and assignments.
    private func registerCases(in registry: inout ServiceRegistry) {
        registry.unary(CasesService.registerMessage, placement: .pool) { context, request in
            try register(context, request)
        }
        registry.unary(CasesService.importMessages, placement: .pool) { context, request in
            try importMessages(context, request)
        }
        registry.unary(CasesService.getCase, placement: .pool) { context, request in try getCase(context, request) }
        registry.unary(CasesService.listCases, placement: .pool) { context, request in try list(context, request) }
        registry.unary(CasesService.exportCases, placement: .pool) { context, request in
            try exportCases(context, request)
        }
        registry.unary(CasesService.searchCases, placement: .pool) { context, request in try search(context, request) }
        registry.unary(CasesService.queue, placement: .pool) { context, request in try queue(context, request) }
        registry.unary(CasesService.board, placement: .pool) { context, request in try board(context, request) }
        registry.unary(CasesService.getHistory, placement: .pool) { context, request in
            try authorizer.requireRead(try context.caller, try load(request.id), context)
            return try history(request.id, after: request.after)
        }
        registry.unary(CasesService.takeAssignment, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            return try mutate(
                context, caseID, request.expectedVersion,
                .take(assignment: index, login: try context.caller.login))
        }
        registry.unary(CasesService.giveAssignment, placement: .pool) { context, request in try give(context, request) }
        registry.unary(CasesService.route, placement: .pool) { context, request in try route(context, request) }
        registry.unary(CasesService.reject, placement: .pool) { context, request in
            try mutate(
                context, request.caseID, request.expectedVersion,
                .reject(reason: try request.reason.required("reason"), comment: request.comment))
        }
        registry.unary(CasesService.reroute, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            try requireRoutable([request.to])
            return try mutate(
                context, caseID, request.expectedVersion,
                .reroute(assignment: index, to: request.to, topics: request.topics, reason: request.reason))
        }
        registry.unary(CasesService.addExecutor, placement: .pool) { context, request in
            try requireRoutable([request.executor])
            return try mutate(
                context, request.caseID, request.expectedVersion,
                .addExecutor(request.executor, topics: request.topics, reason: request.reason))
        }
        registry.unary(CasesService.cancelAssignment, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            return try mutate(
                context, caseID, request.expectedVersion, .cancelAssignment(index, reason: request.reason))
        }
        registry.unary(CasesService.withdraw, placement: .pool) { context, request in
            try mutate(context, request.caseID, request.expectedVersion, .withdraw(reason: request.reason))
        }
        registry.unary(CasesService.correct, placement: .pool) { context, request in try correct(context, request) }
        registry.unary(CasesService.reopen, placement: .pool) { context, request in try reopen(context, request) }
        registry.unary(CasesService.linkRepeat, placement: .pool) { context, request in
            _ = try load(request.of)
            return try mutate(context, request.caseID, request.expectedVersion, .linkRepeat(of: request.of))
        }
    }

    private func getCase(_ context: ServerContext, _ request: CaseRef) throws(RPCError) -> CaseView {
        let state = try load(request.id)
        let caller = try context.caller
        try authorizer.requireRead(caller, state, context)
        var view = try views(for: caller).view(state, now: clock.now, suggestedRepeats: suggestions(for: state))
        // Issue 31: the incident's title beside its number (one seek), for whoever reads the case.
        if let incident = state.incident { view.incidentTitle = (try? store.loadIncident(incident))??.title ?? "" }
        return CaseViews.fit(view)
    }

    /// p.21: the head gives an assignment to an active executor, within their own unit unless they see
    /// every case.
    private func give(_ context: ServerContext, _ request: AssignmentHolderRequest) throws(RPCError) -> CaseView {
        let (caseID, index) = try assignment(request.assignmentID)
        let state = try load(caseID)
        guard let target = authorizer.directory.directory.access(of: request.login, at: clock.now),
            target.holds(.executor)
        else {
            throw RPCError(.invalidArgument, Refusals.Cases.notAnActiveExecutor(["login": request.login]))
        }
        if let held = state.assignment(index), !target.units.contains(held.executor), try context.caller.scope != .all {
            throw RPCError(
                .permissionDenied, Refusals.Cases.giveWithinUnit(["login": request.login, "unit": held.executor]))
        }
        return try mutate(context, caseID, request.expectedVersion, .give(assignment: index, to: request.login))
    }

    /// p.7: the curator routes to units that have someone to answer, each with its topics.
    private func route(_ context: ServerContext, _ request: RouteRequest) throws(RPCError) -> CaseView {
        var topics: [String: [String]] = [:]
        for pair in request.topics { topics[pair.unit, default: []].append(pair.topic) }
        let importance = try request.importance.ifGiven("importance")
        try requireRoutable(request.executors)
        return try mutate(
            context, request.caseID, request.expectedVersion,
            .route(executors: request.executors, topics: topics, importance: importance))
    }

    /// A recorded fact put right, with a reason; a corrected URL must not be another case's post.
    private func correct(_ context: ServerContext, _ request: CorrectRequest) throws(RPCError) -> CaseView {
        var correction = CaseCommand.Correction(allowOld: request.allowOld)
        correction.detectedAt = Instant(unix: request.detectedAtUnix)
        correction.postedAt = Instant(unix: request.postedAtUnix)
        correction.url = request.url.isEmpty ? nil : request.url
        correction.author = request.author.isEmpty ? nil : request.author
        correction.network = request.network.isEmpty ? nil : request.network
        correction.importance = try request.importance.ifGiven("importance")
        if correction.url != nil || correction.network != nil {
            let state = try load(request.caseID)
            let network = correction.network ?? state.network, url = correction.url ?? state.url
            let other: CaseState?
            do {
                other = try store.findCase(network: network, externalID: nil, url: url)
            } catch {
                throw RPCError(.internal, Refusals.Requests.failed(["detail": "the cases could not be read"]))
            }
            if let other, other.id != state.id {
                throw RPCError(.alreadyExists, Refusals.Cases.urlOfAnotherCase(["url": url, "case": other.id]))
            }
        }
        return try mutate(
            context, request.caseID, request.expectedVersion, .correct(correction, reason: request.reason))
    }

    /// A case opened again: the fresh cycle's units, named or those that answered, must still have
    /// someone to answer.
    private func reopen(_ context: ServerContext, _ request: ReopenRequest) throws(RPCError) -> CaseView {
        let state = try load(request.caseID)
        let units = request.executors.isEmpty && state.status == .done ? state.answeredUnits : request.executors
        if !units.isEmpty { try requireRoutable(units) }
        return try mutate(
            context, request.caseID, request.expectedVersion,
            .reopen(executors: request.executors, reason: request.reason))
    }

    // MARK: Steps

    /// p.19: the files a submission adds (each stored, and the caller's own upload or already on this
    /// case) and removes, as the draft records them.
    func draftFiles(_ context: ServerContext, _ caseID: String, attach: [String], detach: [String])
        throws(RPCError) -> DraftAttachmentChange
    {
        let caller = try context.caller
        let login = caller.login
        func digest(_ text: String) throws(RPCError) -> String {
            guard let sha256 = SHA256Text.normalized(text) else {
                throw RPCError(.invalidArgument, Refusals.Cases.notASHA256(["text": text]))
            }
            return sha256
        }
        var change = DraftAttachmentChange()
        for text in attach {
            let sha256 = try digest(text)
            let record: AttachmentRecord?
            let mine: Bool
            do throws(StoreError) {
                record = try store.attachment(sha256)
                var found = try store.hasUploaded(sha256, login: login)
                if !found { found = try store.casesCarrying(sha256).contains(caseID) }
                mine = found
            } catch {
                throw error.rpc("the attachment could not be read", dataDirectory: store.directory)
            }
            // Someone else's file of another case is answered as one that does not exist: whether
            // another unit holds a file is not the caller's to learn (issue 25).
            guard let record, caller.scope == .all || mine else {
                throw RPCError(.notFound, Refusals.Cases.noAttachment(["sha256": sha256]))
            }
            change.attach.append(
                DraftAttachment(
                    sha256: sha256, name: record.name, kind: record.contentType.kind, size: record.size,
                    capturedAt: record.capturedAt))
        }
        for text in detach { change.detach.append(try digest(text)) }
        return change
    }

    func mutate(
        _ context: ServerContext, _ caseID: String, _ expectedVersion: Int64, _ command: CaseCommand,
        vet: ([WorkflowEvent]) throws(RPCError) -> Void = { _ throws(RPCError) in }
    )
        throws(RPCError) -> CaseView
    {
        let caller = try context.caller
        let (actor, onBehalf) = (caller.actor, caller.onBehalf)
        guard expectedVersion > 0 else {
            throw RPCError(.invalidArgument, Refusals.Cases.expectedVersionRequired())
        }
        let state = try load(caseID)
        if let index = command.assignmentIndex, let assignment = state.assignment(index) {
            try authorizer.requireAct(caller, on: assignment, of: state, context)
        }
        try requireVersion(state, expectedVersion)
        let now = clock.now
        let workflow = try workflowContext()
        let events: [WorkflowEvent]
        do {
            events = try Workflow.decide(state, command, now: now, context: workflow, by: caller.dutyLogins)
        } catch {
            throw error.rpc
        }
        guard !events.isEmpty else {
            return CaseViews.fit(try CaseViews(context: workflow, access: caller.access).view(state, now: now))
        }
        try vet(events)
        let updated: CaseState
        do {
            updated = try store.commit(
                caseID: caseID, expectedVersion: Int(expectedVersion), events: events, actor: actor, onBehalf: onBehalf,
                now: clock.now)
        } catch {
            switch error {
            case .stale(let current):
                throw RPCError(
                    .aborted,
                    Refusals.Cases.versionConflict([
                        "case": caseID, "current": String(current), "expected": String(expectedVersion),
                    ])
                )
            case .notFound:
                throw RPCError(.notFound, Refusals.Workflow.caseNotFound(["case": caseID]))
            case .refused(let refusal):
                // decide and the state machine disagree: a bug, logged; the step is not stored.
                logger.error("\(context.method) on \(caseID): the case cannot take its own step: \(refusal)")
                throw refusal.rpc
            case .store(.missingAttachment(let sha256)):
                throw RPCError(.failedPrecondition, Refusals.Cases.attachmentGone(["sha256": sha256]))
            case .store(let failure):
                logger.error("\(context.method) on \(caseID): \(failure)")
                throw failure.rpc("the step could not be stored", dataDirectory: store.directory)
            }
        }
        logger.info(
            "case \(caseID): \(events.map(\.kind.rawValue).joined(separator: ", ")) by \(describe(actor, onBehalf))")
        // The step is committed: its answer always fits (CaseViews.fit), never RESOURCE_EXHAUSTED.
        return CaseViews.fit(try CaseViews(context: workflow, access: caller.access).view(updated, now: now))
    }

    // MARK: Helpers

    /// The case is still at the version the caller read (ABORTED: it moved on meanwhile).
    func requireVersion(_ state: CaseState, _ expectedVersion: Int64) throws(RPCError) {
        guard state.version == expectedVersion else {
            throw RPCError(
                .aborted,
                Refusals.Cases.versionConflict([
                    "case": state.id, "current": String(state.version), "expected": String(expectedVersion),
                ]))
        }
    }

    /// p.7, p.17: an assignment goes to an administration unit that exists and has an active
    /// executor to answer (never to the curator centre), or its warnings would reach nobody.
    func requireRoutable(_ units: [String]) throws(RPCError) {
        let directory = authorizer.directory.directory
        let now = clock.now
        let routable = directory.units.values.filter { unit in
            unit.kind != .curatorCentre
                && directory.staff.values.contains {
                    $0.unit == unit.name && $0.roles.contains(.executor)
                        && directory.access(of: $0.login, at: now) != nil
                }
        }.map(\.name).sorted()
        for unit in units where !routable.contains(unit) {
            let refusal =
                switch directory.units[unit]?.kind {
                case nil: Refusals.Cases.noSuchUnit
                case .curatorCentre?: Refusals.Cases.curatorCentreIsNoExecutor
                case .administration?, .department?, .institution?: Refusals.Cases.unitWithoutExecutor
                }
            throw RPCError(
                .invalidArgument,
                refusal(["unit": unit, "units": routable.isEmpty ? "-" : routable.joined(separator: ", ")]))
        }
    }

    func describe(_ actor: String, _ onBehalf: String) -> String {
        onBehalf.isEmpty ? actor : "\(actor) as \(onBehalf)"
    }

    func load(_ id: String) throws(RPCError) -> CaseState {
        let state: CaseState?
        do {
            state = try store.loadCase(id)
        } catch {
            logger.error("loading case \(id): \(error)")
            throw RPCError(.internal, Refusals.Requests.failed(["detail": "the case could not be read"]))
        }
        guard let state else { throw RPCError(.notFound, Refusals.Workflow.caseNotFound(["case": id])) }
        return state
    }

    func assignment(_ id: String) throws(RPCError) -> (String, Int) {
        guard let parsed = AssignmentID(id) else {
            throw RPCError(.invalidArgument, Refusals.Cases.notAnAssignment(["text": id]))
        }
        return (parsed.caseID, parsed.index)
    }

    func workflowContext() throws(RPCError) -> WorkflowContext {
        do {
            return try WorkflowContext(profile: profile, calendars: calendars.byName)
        } catch {
            throw error.rpc
        }
    }

    func views(for caller: Caller) throws(RPCError) -> CaseViews {
        CaseViews(context: try workflowContext(), access: caller.access)
    }
}
