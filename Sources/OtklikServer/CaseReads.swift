import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// The reading calls of `otklik.v1.Cases`: lists and their filters, the work queue, a case's history and
/// the text search. Each reads only the rows it answers with (docs/ARCHITECTURE.md).
extension CaseServiceHandlers {
    func list(_ context: ServerContext, _ request: ListCasesRequest) throws(RPCError) -> ListCasesResponse {
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
    func listFilters(_ request: ListCasesRequest) throws(RPCError) -> Store.ListFilters {
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
    func queue(_ context: ServerContext, _ request: QueueRequest) throws(RPCError) -> QueueResponse {
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
    func history(_ id: String, after: Int64) throws(RPCError) -> HistoryResponse {
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
            entry.time = views.text(event.time)
            entry.actor = event.actor
            entry.onBehalf = event.onBehalf
            entry.kind = event.kind.known.map(Wire.EventKind.init) ?? .unspecified
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

    /// `Cases/SearchCases`: the text index newest first, words in any form (`SearchQuery`); an executor
    /// sees only the cases they may read.
    func search(_ context: ServerContext, _ request: SearchCasesRequest) throws(RPCError)
        -> SearchCasesResponse
    {
        let caller = try context.caller
        let query = SearchQuery(request.text), author = SearchQuery(request.author)
        guard !query.terms.isEmpty else {
            throw RPCError(.invalidArgument, Refusals.Cases.searchWordRequired())
        }
        for asked in [query, author] where asked.terms.count > SearchQuery.termLimit {
            throw RPCError(
                .invalidArgument,
                Refusals.Cases.tooManySearchWords([
                    "limit": String(SearchQuery.termLimit), "count": String(asked.terms.count),
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
                query, author: author.terms.isEmpty ? nil : author,
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
                    snippet: hit.snippet.text,
                    view: CaseViews.fit(try views.view(state, now: clock.now), trimAll: true),
                    marks: hit.snippet.marks.map { TextSpan(start: UInt32($0.start), length: UInt32($0.length)) }))
        }
        return response
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
