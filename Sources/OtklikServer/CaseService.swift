import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// `otklik.v1.Cases` and `otklik.v1.Replies`: load the case, let the pure workflow decide, write the
/// events and the projection in one transaction (refused as ABORTED if the case moved on), answer
/// with the case as it now stands.
struct CaseServiceHandlers {
    let store: Store
    let calendars: CalendarState
    let profile: RegulationProfile
    let clock: DaemonClock
    let authorizer: Authorizer
    var attachmentLimits = AttachmentLimits()
    let logger: Logger
    /// Searches running at once: one per login, and fewer in all than the store has readers, so
    /// searches never hold every reader the other calls need (issue 25, H2).
    let searches: CallerGate

    /// The wall time one search may take before it is ended as too broad.
    static let searchSeconds = 3.0

    /// Messages of an import written per transaction (about 40 ms of the writer's time).
    static let importTransaction = 100

    func register(in registry: inout ServiceRegistry) {
        registry.unary(CasesService.registerMessage, placement: .pool) { context, request in
            try register(context, request)
        }
        registry.unary(CasesService.importMessages, placement: .pool) { context, request in
            try importMessages(context, request)
        }
        registry.unary(CasesService.getCase, placement: .pool) { context, request in
            let state = try load(request.id)
            let caller = try context.caller
            try authorizer.requireRead(caller, state, context)
            return CaseViews.fit(
                try views(for: caller).view(state, now: clock.now, suggestedRepeats: suggestions(for: state)))
        }
        registry.unary(CasesService.listCases, placement: .pool) { context, request in try list(context, request) }
        registry.unary(CasesService.searchCases, placement: .pool) { context, request in try search(context, request) }
        registry.unary(CasesService.queue, placement: .pool) { context, request in try queue(context, request) }
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
        registry.unary(CasesService.giveAssignment, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            let state = try load(caseID)
            guard let target = authorizer.directory.directory.access(of: request.login, at: clock.now),
                target.holds(.executor)
            else {
                throw RPCError(.invalidArgument, Refusals.Cases.notAnActiveExecutor(["login": request.login]))
            }
            if let held = state.assignment(index), !target.units.contains(held.executor),
                try context.caller.scope != .all
            {
                throw RPCError(
                    .permissionDenied, Refusals.Cases.giveWithinUnit(["login": request.login, "unit": held.executor]))
            }
            return try mutate(context, caseID, request.expectedVersion, .give(assignment: index, to: request.login))
        }
        registry.unary(CasesService.route, placement: .pool) { context, request in
            var topics: [String: [String]] = [:]
            for pair in request.topics { topics[pair.unit, default: []].append(pair.topic) }
            let importance = try request.importance.ifGiven("importance")
            try requireRoutable(request.executors)
            return try mutate(
                context, request.caseID, request.expectedVersion,
                .route(executors: request.executors, topics: topics, importance: importance))
        }
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
        registry.unary(CasesService.correct, placement: .pool) { context, request in
            var correction = CaseCommand.Correction(allowOld: request.allowOld)
            correction.detectedAt = Instant(unix: request.detectedAtUnix)
            correction.postedAt = Instant(unix: request.postedAtUnix)
            correction.url = request.url.isEmpty ? nil : request.url
            correction.author = request.author.isEmpty ? nil : request.author
            correction.network = request.network.isEmpty ? nil : request.network
            correction.importance = try request.importance.ifGiven("importance")
            if correction.url != nil || correction.network != nil {
                // A corrected URL must not be another case's post.
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
        registry.unary(CasesService.reopen, placement: .pool) { context, request in
            // The fresh cycle's units, named or those that answered, must still have someone to answer.
            let state = try load(request.caseID)
            let units = request.executors.isEmpty && state.status == .done ? state.answeredUnits : request.executors
            if !units.isEmpty { try requireRoutable(units) }
            return try mutate(
                context, request.caseID, request.expectedVersion,
                .reopen(executors: request.executors, reason: request.reason))
        }
        registry.unary(CasesService.linkRepeat, placement: .pool) { context, request in
            _ = try load(request.of)
            return try mutate(context, request.caseID, request.expectedVersion, .linkRepeat(of: request.of))
        }
        registry.unary(RepliesService.submitDraft, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            let files = try draftFiles(context, caseID, attach: request.attachments, detach: request.detach)
            return try mutate(
                context, caseID, request.expectedVersion,
                .submitDraft(
                    assignment: index, kind: try request.kind.required("kind"), text: request.text,
                    measures: request.measures, attachments: files)
            ) { events throws(RPCError) in
                let total = events.flatMap { $0.attachments ?? [] }.reduce(Int64(0)) { $0 + $1.size }
                guard total <= attachmentLimits.draft else {
                    throw RPCError(
                        .resourceExhausted,
                        Refusals.Cases.draftFilesTooLarge([
                            "limit": AttachmentServiceHandlers.megabytes(attachmentLimits.draft),
                            "total": AttachmentServiceHandlers.megabytes(total),
                        ])
                    )
                }
            }
        }
        registry.unary(RepliesService.waiveEvidence, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            return try mutate(
                context, caseID, request.expectedVersion, .waiveEvidence(assignment: index, reason: request.reason))
        }
        registry.unary(RepliesService.approveDraft, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            return try mutate(context, caseID, request.expectedVersion, .approveDraft(assignment: index))
        }
        registry.unary(RepliesService.returnDraft, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            return try mutate(
                context, caseID, request.expectedVersion,
                .returnDraft(assignment: index, reason: try request.reason.required("reason"), comment: request.comment)
            )
        }
        registry.unary(RepliesService.publish, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            // p.4: replies go out from the administration's own accounts in the message's network:
            // the one named, or the only one there is.
            let network = try load(caseID).network
            let accounts = authorizer.directory.directory.accounts.filter { $0.network == network }.map(\.name).sorted()
            var account = request.account
            if account.isEmpty {
                guard accounts.count == 1 else {
                    throw RPCError(
                        .invalidArgument,
                        accounts.isEmpty
                            ? Refusals.Cases.noAccountToPublishFrom(["network": network])
                            : Refusals.Cases.nameTheAccount([
                                "network": network, "accounts": accounts.joined(separator: " | "),
                            ]))
                }
                account = accounts[0]
            }
            guard accounts.contains(account) else {
                throw RPCError(
                    .invalidArgument,
                    Refusals.Cases.unknownAccount([
                        "account": account, "network": network,
                        "accounts": accounts.isEmpty ? "-" : accounts.joined(separator: ", "),
                    ]))
            }
            return try mutate(
                context, caseID, request.expectedVersion,
                .publish(
                    assignment: index, url: request.url, account: account,
                    at: Instant(unix: request.atUnix)))
        }
        registry.unary(RepliesService.recordAuthorAnswer, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            guard request.atUnix != 0 else { throw RPCError(.invalidArgument, Refusals.Cases.answerTimeRequired()) }
            return try mutate(
                context, caseID, request.expectedVersion,
                .authorAnswered(assignment: index, at: Instant(seconds: request.atUnix), text: request.text))
        }
    }

    // MARK: Steps

    private func register(_ context: ServerContext, _ request: RegisterMessageRequest) throws(RPCError) -> CaseView {
        let caller = try context.caller
        let (actor, onBehalf) = (caller.actor, caller.onBehalf)
        let now = clock.now
        let workflow = try workflowContext()
        let (year, event) = try registration(request, now: now, workflow: workflow)
        let stored: (state: CaseState, existing: Bool)
        do {
            stored = try store.registerCase(year: year, event: event, actor: actor, onBehalf: onBehalf, now: clock.date)
        } catch {
            logger.error("RegisterMessage: \(error)")
            throw error.rpc("the message could not be stored", dataDirectory: store.directory)
        }
        if !stored.existing { logger.info("case \(stored.state.id) registered by \(describe(actor, onBehalf))") }
        return CaseViews.fit(
            try CaseViews(context: workflow, access: caller.access).view(
                stored.state, now: now, existing: stored.existing,
                suggestedRepeats: suggestions(for: stored.state)))
    }

    /// The registration event of a message as the workflow decides it, and the year its case number
    /// counts in (of detection, in the routing schedule's zone).
    private func registration(_ request: RegisterMessageRequest, now: Instant, workflow: WorkflowContext)
        throws(RPCError) -> (year: Int, event: WorkflowEvent)
    {
        let registration = CaseCommand.Registration(
            network: request.network, url: request.url, author: request.author, text: request.text,
            detectedAt: Instant(seconds: request.detectedAtUnix),
            postedAt: Instant(unix: request.postedAtUnix),
            externalID: request.externalID.isEmpty ? nil : request.externalID,
            topics: request.topics,
            importance: try request.importance.ifGiven("importance") ?? .normal,
            allowOld: request.allowOld)
        let events: [WorkflowEvent]
        do {
            events = try Workflow.decide(nil, .register(registration), now: now, context: workflow)
        } catch {
            throw error.rpc
        }
        do {
            return (
                try workflow.calendars[profile.route.schedule]!.localDate(of: registration.detectedAt).year, events[0]
            )
        } catch {
            throw RPCError(.invalidArgument, Refusals.Workflow.clocksNotComputed(["detail": error.description]))
        }
    }

    /// `otklik message import`: every message decided as RegisterMessage decides it; the accepted ones
    /// registered (with `apply`) a hundred per transaction, or looked up (a dry run). A refusal
    /// refuses only its message.
    private func importMessages(_ context: ServerContext, _ request: ImportMessagesRequest) throws(RPCError)
        -> ImportMessagesResponse
    {
        let caller = try context.caller
        let now = clock.now
        let workflow = try workflowContext()
        var outcomes = [ImportOutcome](repeating: ImportOutcome(), count: request.messages.count)
        var accepted: [(index: Int, year: Int, event: WorkflowEvent)] = []
        for (index, message) in request.messages.enumerated() {
            do throws(RPCError) {
                let (year, event) = try registration(message, now: now, workflow: workflow)
                accepted.append((index, year, event))
            } catch {
                outcomes[index].kind = .refused
                outcomes[index].refusal = error.info ?? ErrorInfo()
                outcomes[index].message = error.message
            }
        }
        var response = ImportMessagesResponse()
        response.applied = request.apply
        do throws(StoreError) {
            if request.apply {
                // A transaction per `importTransaction` messages (tens of milliseconds), so a
                // registration or a step of someone else waits for one of them, never for the whole
                // import (issue 25, M7: one transaction of 500 kept a registration waiting 2.4 s).
                var added = 0
                var start = 0
                while start < accepted.count {
                    let part = accepted[start..<min(accepted.count, start + Self.importTransaction)]
                    let stored: [(state: CaseState, existing: Bool)]
                    do throws(StoreError) {
                        stored = try store.registerCases(
                            part.map { ($0.year, $0.event) }, actor: caller.actor, onBehalf: caller.onBehalf,
                            now: clock.date)
                    } catch {
                        // Nothing stored yet: the call is refused and changed nothing. Else what was
                        // stored is answered, and the rest refused with the reason.
                        guard start > 0 else { throw error }
                        logger.error("ImportMessages: \(error) after \(start) messages")
                        let refusal = error.rpc("the messages could not be stored", dataDirectory: store.directory)
                        for entry in accepted[start...] {
                            outcomes[entry.index].kind = .refused
                            outcomes[entry.index].refusal = refusal.info ?? ErrorInfo()
                            outcomes[entry.index].message = refusal.message
                        }
                        break
                    }
                    for (entry, result) in zip(part, stored) {
                        outcomes[entry.index].kind = result.existing ? .existing : .new
                        outcomes[entry.index].caseID = result.state.id
                    }
                    added += stored.filter { !$0.existing }.count
                    start += part.count
                }
                if added > 0 {
                    logger.info("\(added) cases imported by \(describe(caller.actor, caller.onBehalf))")
                }
            } else {
                // A dry run: what is registered already, and what an earlier message of this request
                // would register first.
                var earlier = Set<String>()
                for entry in accepted {
                    let event = entry.event
                    let network = event.network ?? "", url = event.url ?? ""
                    if let found = try store.findCase(network: network, externalID: event.externalID, url: url) {
                        outcomes[entry.index].kind = .existing
                        outcomes[entry.index].caseID = found.id
                        continue
                    }
                    let keys = [
                        event.externalID.map { "\(network) \($0)" }, "\(network) \(store.urlKey(network, url))",
                    ]
                    .compactMap { $0 }
                    outcomes[entry.index].kind = keys.contains(where: earlier.contains) ? .existing : .new
                    earlier.formUnion(keys)
                }
            }
        } catch {
            logger.error("ImportMessages: \(error)")
            throw error.rpc("the messages could not be stored", dataDirectory: store.directory)
        }
        response.outcomes = outcomes
        return response
    }

    /// p.19: the files a submission adds (each stored, and the caller's own upload or already on this
    /// case) and removes, as the draft records them.
    private func draftFiles(_ context: ServerContext, _ caseID: String, attach: [String], detach: [String])
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

    private func mutate(
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
        guard state.version == expectedVersion else {
            throw RPCError(
                .aborted,
                Refusals.Cases.versionConflict([
                    "case": caseID, "current": String(state.version), "expected": String(expectedVersion),
                ])
            )
        }
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
                now: clock.date)
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

    private func list(_ context: ServerContext, _ request: ListCasesRequest) throws(RPCError) -> ListCasesResponse {
        let limit = request.limit == 0 ? 50 : Int(request.limit)
        // limit is bounded (at most 1000) by WireBounds before this runs.
        let status = try request.state.ifGiven("state")
        let now = clock.now
        let caller = try context.caller
        var after: (detectedAt: Instant, id: String)?
        var afterDue: Store.QueueCursor?
        if !request.after.isEmpty {
            if request.byDue {
                afterDue = try Store.QueueCursor(text: request.after)
            } else {
                // Newest first: DETECTED/ID.
                let parts = request.after.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, let detected = Int64(parts[0]), Instant(seconds: detected).isAccepted,
                    CaseID(parts[1]) != nil
                else {
                    throw RPCError(.invalidArgument, Refusals.Cases.badCursor(["example": "1796112000/2026-000012"]))
                }
                after = (Instant(seconds: detected), parts[1])
            }
        }
        let filters = try listFilters(request)
        if !request.executor.isEmpty {
            let units = authorizer.directory.directory.units
            guard units[request.executor] != nil else {
                throw RPCError(
                    .invalidArgument,
                    Refusals.Cases.noUnitNamed([
                        "unit": request.executor, "units": units.keys.sorted().joined(separator: ", "),
                    ]))
            }
        }
        // A clock filter reads only the cases the clock index names (a superset: each is checked on
        // its clocks here); the other filters that only Swift can apply read page after page.
        let dueBefore: Instant? =
            request.overdue
            ? now + 1 : request.dueBeforeUnix != 0 ? Instant(seconds: request.dueBeforeUnix) : nil
        let filtersInSwift = dueBefore != nil || request.mine || caller.scope != .all
        // The first page as large as the answer (most candidates of a due list pass); each further one
        // twice the last, when filters only Swift applies skipped many (at most 1024 states at once).
        var page = limit + 1
        let workflow = try workflowContext()
        let views = CaseViews(context: workflow, access: caller.access)
        var result: [CaseView] = []
        var response = ListCasesResponse()
        // An answer holds what fits in one frame: lists show drafts trimmed, and a page ends early
        // with next_after when the next case would not fit.
        var size = 0
        var lastListed: (state: CaseState, nextDue: Instant?)?
        var cursor = after
        var cursorDue = afterDue
        reading: while true {
            let candidates: [(state: CaseState, nextDue: Instant?)]
            do {
                candidates = try store.listEntries(
                    status: status?.rawValue,
                    executor: request.executor.isEmpty ? nil : request.executor,
                    limit: page, after: cursor, dueBefore: dueBefore, filters: filters, afterDue: cursorDue)
            } catch {
                logger.error("ListCases: \(error)")
                throw RPCError(.internal, Refusals.Requests.failed(["detail": "cases could not be read"]))
            }
            for (state, nextDue) in candidates {
                cursor = (state.detectedAt, state.id)
                cursorDue = nextDue.map { Store.QueueCursor(nextDue: $0, detectedAt: state.detectedAt, id: state.id) }
                guard Rights.canRead(state, caller.access, scope: caller.scope) else { continue }
                if result.count == limit || size > CaseViews.viewBudget {
                    if let last = lastListed {
                        response.nextAfter =
                            request.byDue
                            ? Store.QueueCursor(
                                nextDue: last.nextDue ?? Instant(seconds: 0), detectedAt: last.state.detectedAt,
                                id: last.state.id
                            ).text
                            : "\(last.state.detectedAt.seconds)/\(last.state.id)"
                    }
                    break reading
                }
                // Mine: assignments I answer for, or that an absent colleague I stand in for does, and
                // whatever waits for my step (a curator's routing, review, publication).
                if request.mine,
                    !state.assignments.contains(where: { $0.responsible.map(caller.access.actingFor.contains) == true }
                    ),
                    !WorkQueue.pending(state).contains(where: { WorkQueue.waits($0, in: state, for: caller.access) })
                {
                    continue
                }
                if let dueBefore {
                    // Running clocks only: a met or stopped clock is no longer due.
                    let running = (try? CaseClocks.read(state, now: now, context: workflow))?.running ?? []
                    if request.overdue, !running.contains(where: { $0.state == .breached }) { continue }
                    if request.dueBeforeUnix != 0, !running.contains(where: { $0.due < dueBefore }) { continue }
                }
                let listed = CaseViews.fit(try views.view(state, now: now), trimAll: true)
                size += listed.serializedBytes().count
                result.append(listed)
                lastListed = (state, nextDue)
            }
            if candidates.count < page || !filtersInSwift { break }
            page = min(page * 2, 1024)
        }
        response.cases = result
        // A topic no case of the last year has is most likely mistyped: say which there are.
        if result.isEmpty, after == nil, afterDue == nil, let topic = filters.topic {
            let known =
                (try? store.topics(
                    detectedSince: now - 366 * 86_400,
                    units: caller.scope == .all ? nil : caller.access.units.sorted())) ?? []
            if !known.contains(topic) {
                throw RPCError(
                    .invalidArgument,
                    Refusals.Cases.noTopicNamed([
                        "topic": topic, "topics": known.isEmpty ? "-" : known.joined(separator: ", "),
                    ]))
            }
        }
        // "50 of 66": counted on the same index as the list, up to a cap, when the store alone decides.
        if filtersInSwift {
            response.totalUnknown = true
        } else {
            do {
                let total = try store.countCases(
                    status: status?.rawValue, executor: request.executor.isEmpty ? nil : request.executor,
                    filters: filters, cap: Self.queueCountCap + 1)
                response.total = UInt32(min(total, Self.queueCountCap))
                response.totalCapped = total > Self.queueCountCap
            } catch {
                logger.error("ListCases: \(error)")
                throw RPCError(.internal, Refusals.Requests.failed(["detail": "cases could not be counted"]))
            }
        }
        return response
    }

    /// The list's filters, each checked: a network not in the profile is refused naming those that are.
    private func listFilters(_ request: ListCasesRequest) throws(RPCError) -> Store.ListFilters {
        var filters = Store.ListFilters(byDue: request.byDue)
        if !request.network.isEmpty {
            guard profile.networks.contains(request.network) else {
                throw RPCError(
                    .invalidArgument,
                    Refusals.Workflow.unknownNetwork([
                        "network": request.network, "networks": profile.networks.joined(separator: ", "),
                    ]))
            }
            filters.network = request.network
        }
        let topic = request.topic.trimmingCharacters(in: .whitespaces)
        if !topic.isEmpty { filters.topic = topic }
        filters.importance = try request.importance.ifGiven("importance")?.rawValue
        if request.fromUnix != 0 { filters.from = Instant(seconds: request.fromUnix) }
        if request.toUnix != 0 { filters.to = Instant(seconds: request.toUnix) }
        let author = Hints.authorKey(request.author)
        if !author.isEmpty {
            filters.authorKey = author
            filters.networks = profile.networks
        }
        return filters
    }

    /// Cases counted for a queue's total at most (more: `total_capped`).
    static let queueCountCap = 10_000

    /// What waits for the caller's step (QueueRequest): read through `cases_next_due`, so only open
    /// cases are looked at, the earliest next due first.
    private func queue(_ context: ServerContext, _ request: QueueRequest) throws(RPCError) -> QueueResponse {
        let limit = request.limit == 0 ? 50 : Int(request.limit)
        let caller = try context.caller
        let access = caller.access
        // The rows and the count read one filter, WorkQueue.waits's: the units' assignments and those
        // held by whoever the caller acts for (an absent colleague's, when standing in).
        let scope = Store.QueueScope(
            curator: access.holds(.curator), executor: access.holds(.executor),
            units: access.units.sorted(), holders: access.actingFor.sorted())
        var cursor: Store.QueueCursor?
        if !request.after.isEmpty { cursor = try Store.QueueCursor(text: request.after) }
        let now = clock.now
        let views = CaseViews(context: try workflowContext(), access: access)
        var response = QueueResponse()
        var cases = 0
        var size = 0
        var page = limit + 1
        reading: while true {
            let candidates: [(state: CaseState, cursor: Store.QueueCursor)]
            do {
                candidates = try store.queue(scope, after: cursor, limit: page)
            } catch {
                logger.error("Queue: \(error)")
                throw RPCError(.internal, Refusals.Requests.failed(["detail": "the queue could not be read"]))
            }
            for (state, position) in candidates {
                let waiting = WorkQueue.pending(state).enumerated().filter {
                    WorkQueue.waits($0.element, in: state, for: access)
                }
                guard !waiting.isEmpty else {
                    cursor = position
                    continue
                }
                if cases == limit || size > CaseViews.viewBudget {
                    if let last = cursor {
                        response.nextAfter = last.text
                    }
                    break reading
                }
                cursor = position
                let view = CaseViews.fit(try views.view(state, now: now), trimAll: true)
                for (index, _) in waiting where index < view.nextSteps.count {
                    var item = QueueItem()
                    item.view = view
                    item.step = view.nextSteps[index]
                    size += item.serializedBytes().count
                    response.items.append(item)
                }
                cases += 1
            }
            if candidates.count < page { break }
            page = min(page * 2, 1024)
        }
        do {
            let total = try store.queueCount(scope, cap: Self.queueCountCap + 1)
            response.total = UInt32(min(total, Self.queueCountCap))
            response.totalCapped = total > Self.queueCountCap
        } catch {
            logger.error("Queue: \(error)")
            throw RPCError(.internal, Refusals.Requests.failed(["detail": "the queue could not be read"]))
        }
        return response
    }

    /// Events in one page of a case's history at most.
    static let historyPage = 1000

    /// The case's events after `after`, as many as fit in one answer (and at most `historyPage`);
    /// `next_after` says where the next page starts. Only the page's rows are read.
    private func history(_ id: String, after: Int64) throws(RPCError) -> HistoryResponse {
        _ = try load(id)
        let views = CaseViews(context: try workflowContext())
        var response = HistoryResponse()
        let events: [Event]
        do {
            events = try store.caseHistory(id, after: after, limit: Self.historyPage + 1)
        } catch {
            throw RPCError(.internal, Refusals.Requests.failed(["detail": "the history could not be read"]))
        }
        var size = 0
        for event in events {
            if response.entries.count == Self.historyPage, let last = response.entries.last {
                response.nextAfter = last.id
                break
            }
            var entry = HistoryEntry()
            entry.id = event.id
            entry.time = views.text(Instant(seconds: Int64(event.time.timeIntervalSince1970)))
            entry.actor = event.actor
            entry.onBehalf = event.onBehalf
            entry.kind = EventKind(rawValue: event.kind).map(Wire.EventKind.init) ?? .unspecified
            entry.caseVersion = Int64(event.caseVersion ?? 0)
            entry.details = String(decoding: event.payload, as: UTF8.self)
            size += entry.serializedBytes().count
            if size > CaseViews.viewBudget, let last = response.entries.last {
                response.nextAfter = last.id
                break
            }
            response.entries.append(entry)
        }
        return response
    }

    // MARK: Helpers

    /// p.7, p.17: an assignment goes to an administration unit that exists and has an active
    /// executor to answer (never to the curator centre), or its warnings would reach nobody.
    private func requireRoutable(_ units: [String]) throws(RPCError) {
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
                default: Refusals.Cases.unitWithoutExecutor
                }
            throw RPCError(
                .invalidArgument,
                refusal(["unit": unit, "units": routable.isEmpty ? "-" : routable.joined(separator: ", ")]))
        }
    }

    /// p.18: earlier cases this one may repeat (same author, or a similar text), newest first; none
    /// once it is linked or closed. A hint for the curator, who decides.
    /// p.18 hints: the candidates the indexes give (same author, like text, within the profile's
    /// window), kept when `Hints.likelyRepeat` agrees; newest first, at most five.
    private func suggestions(for state: CaseState) -> [String] {
        guard state.repeatOf == nil, state.status == .new || state.status == .routed else { return [] }
        let window = Int64(profile.repeatWindowDays) * 86_400
        let candidates = (try? store.repeatCandidates(of: state, window: window)) ?? []
        let probe = Hints.RepeatProbe(state)
        return candidates.filter {
            probe.matches(
                id: $0.id, network: $0.network, authorKey: $0.authorKey, text: $0.text, detectedAt: $0.detectedAt)
        }
        .sorted { ($0.detectedAt, $0.id) > ($1.detectedAt, $1.id) }.prefix(5).map(\.id)
    }

    /// `Cases/SearchCases`: the trigram index ranked by bm25; an executor sees only the cases they may read.
    private func search(_ context: ServerContext, _ request: SearchCasesRequest) throws(RPCError)
        -> SearchCasesResponse
    {
        let caller = try context.caller
        let terms = Hints.searchTerms(request.text)
        guard !terms.isEmpty else {
            throw RPCError(.invalidArgument, Refusals.Cases.searchWordRequired())
        }
        for asked in [terms, Hints.searchTerms(request.author)] where asked.count > Hints.searchTermLimit {
            throw RPCError(
                .invalidArgument,
                Refusals.Cases.tooManySearchWords([
                    "limit": String(Hints.searchTermLimit), "count": String(asked.count),
                ]))
        }
        let slot: CallerGate.Slot
        do throws(CallerGate.Refused) {
            slot = try searches.enter(caller.login)
        } catch {
            switch error {
            case .yours: throw RPCError(.resourceExhausted, Refusals.Cases.searchRunning())
            case .full(let running):
                throw RPCError(.resourceExhausted, Refusals.Cases.searchesBusy(["running": String(running)]))
            }
        }
        defer { slot.leave() }
        let limit = request.limit == 0 ? 20 : Int(request.limit)
        let hits: [Store.SearchHit]
        do {
            // An executor's reach is part of the query: the best hits are the best of their cases.
            hits = try store.searchCases(
                text: request.text, author: request.author.isEmpty ? nil : request.author,
                from: Instant(unix: request.fromUnix), to: Instant(unix: request.toUnix),
                units: caller.scope == .all ? nil : caller.access.units.sorted(), limit: limit,
                budget: QueryBudget(seconds: Self.searchSeconds) { context.isCancelled })
        } catch .interrupted(.deadline) {
            throw RPCError(
                .resourceExhausted,
                Refusals.Cases.searchTooBroad(["seconds": String(Int(Self.searchSeconds))]))
        } catch .interrupted(.cancelled) {
            throw RPCError(.cancelled, Refusals.Admin.callEnded())
        } catch {
            logger.error("SearchCases: \(error)")
            throw error.rpc("the cases could not be searched", dataDirectory: store.directory)
        }
        let views = CaseViews(context: try workflowContext(), access: caller.access)
        var response = SearchCasesResponse()
        for hit in hits where response.hits.count < limit {
            guard let state = try? store.loadCase(hit.id), Rights.canRead(state, caller.access, scope: caller.scope)
            else { continue }
            response.hits.append(
                SearchHit(
                    snippet: hit.snippet, score: hit.score,
                    view: CaseViews.fit(try views.view(state, now: clock.now), trimAll: true)))
        }
        return response
    }

    private func describe(_ actor: String, _ onBehalf: String) -> String {
        onBehalf.isEmpty ? actor : "\(actor) as \(onBehalf)"
    }

    private func load(_ id: String) throws(RPCError) -> CaseState {
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

    private func assignment(_ id: String) throws(RPCError) -> (String, Int) {
        guard let parsed = AssignmentID(id) else {
            throw RPCError(.invalidArgument, Refusals.Cases.notAnAssignment(["text": id]))
        }
        return (parsed.caseID, parsed.index)
    }

    private func workflowContext() throws(RPCError) -> WorkflowContext {
        do {
            return try WorkflowContext(profile: profile, calendars: calendars.byName)
        } catch {
            throw error.rpc
        }
    }

    private func views(for caller: Caller) throws(RPCError) -> CaseViews {
        CaseViews(context: try workflowContext(), access: caller.access)
    }
}

extension Store.QueueCursor {
    /// The cursor of a list in due order as the wire carries it: `DUE/DETECTED/ID` (Unix seconds).
    var text: String { "\(nextDue.seconds)/\(detectedAt.seconds)/\(id)" }

    /// A cursor as `text` writes it, or INVALID_ARGUMENT with an example.
    init(text: String) throws(RPCError) {
        let parts = text.split(separator: "/", maxSplits: 2).map(String.init)
        guard parts.count == 3, let due = Int64(parts[0]), let detected = Int64(parts[1]),
            Instant(seconds: due).isAccepted, Instant(seconds: detected).isAccepted, CaseID(parts[2]) != nil
        else {
            throw RPCError(.invalidArgument, Refusals.Cases.badCursor(["example": "1796112000/1796100000/2026-000012"]))
        }
        self.init(nextDue: Instant(seconds: due), detectedAt: Instant(seconds: detected), id: parts[2])
    }
}
