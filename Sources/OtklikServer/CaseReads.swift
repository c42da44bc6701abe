import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// The reading calls of `otklik.v1.Cases`: lists and their filters, the work queue, a case's history and
/// the text search. Each reads only the rows it answers with (docs/ARCHITECTURE.md).
extension CaseServiceHandlers {
    /// Where a list's page starts: after a case in the list's own order (newest detection first, or the
    /// earliest next due first with `by_due`).
    enum ListPosition {
        case detected(Instant, String)
        case due(Store.QueueCursor)

        /// `after` as the request gives it: `DETECTED/ID`, or the queue's cursor text in the due order.
        init?(_ text: String, byDue: Bool) throws(RPCError) {
            if text.isEmpty { return nil }
            if byDue {
                self = .due(try Store.QueueCursor(text: text))
                return
            }
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let detected = Int64(parts[0]), Instant(seconds: detected).isAccepted,
                CaseID(parts[1]) != nil
            else {
                throw RPCError(.invalidArgument, Refusals.Cases.badCursor(["example": "1796112000/2026-000012"]))
            }
            self = .detected(Instant(seconds: detected), parts[1])
        }

        /// A case's position in the list's order (its next due in the due order).
        init(_ state: CaseState, nextDue: Instant?, byDue: Bool) {
            self =
                byDue
                ? .due(
                    Store.QueueCursor(
                        nextDue: nextDue ?? Instant(seconds: 0), detectedAt: state.detectedAt, id: state.id))
                : .detected(state.detectedAt, state.id)
        }

        var text: String {
            switch self {
            case .detected(let at, let id): "\(at.seconds)/\(id)"
            case .due(let cursor): cursor.text
            }
        }
    }

    func list(_ context: ServerContext, _ request: ListCasesRequest) throws(RPCError) -> ListCasesResponse {
        // limit is bounded (at most 1000) by WireBounds before this runs.
        let limit = request.limit == 0 ? 50 : Int(request.limit)
        let status = try request.state.ifGiven("state")
        let now = clock.now
        let caller = try context.caller
        let start = try ListPosition(request.after, byDue: request.byDue)
        let filters = try listFilters(request)
        let executor = request.executor.isEmpty ? nil : request.executor
        if let executor { try checkUnit(executor) }
        // A clock filter reads only the cases the clock index names (a superset: each is checked on
        // its clocks here); the other filters that only Swift can apply read page after page.
        let dueBefore: Instant? =
            request.overdue
            ? now + 1 : request.dueBeforeUnix != 0 ? Instant(seconds: request.dueBeforeUnix) : nil
        let filtersInSwift = dueBefore != nil || request.mine || caller.scope != .all
        let workflow = try workflowContext()
        let views = CaseViews(context: workflow, access: caller.access)
        var response = ListCasesResponse()
        let pager = CasePager<ListPosition>(
            limit: limit,
            read: { position, count throws(RPCError) in
                var after: (detectedAt: Instant, id: String)?
                var afterDue: Store.QueueCursor?
                switch position {
                case .detected(let at, let id): after = (at, id)
                case .due(let cursor): afterDue = cursor
                case nil: break
                }
                do {
                    return try store.listEntries(
                        status: status?.rawValue, executor: executor, limit: count, after: after,
                        dueBefore: dueBefore, filters: filters, afterDue: afterDue
                    ).map { ($0.state, ListPosition($0.state, nextDue: $0.nextDue, byDue: request.byDue)) }
                } catch {
                    logger.error("ListCases: \(error)")
                    throw RPCError(.internal, Refusals.Requests.failed(["detail": "cases could not be read"]))
                }
            }, readsOn: filtersInSwift)
        let next = try pager.fill(
            after: start, admits: { Rights.canRead($0, caller.access, scope: caller.scope) },
            take: { state throws(RPCError) in
                // Mine: assignments I answer for, or that an absent colleague I stand in for does, and
                // whatever waits for my step (a curator's routing, review, publication).
                if request.mine,
                    !state.assignments.contains(where: { $0.responsible.map(caller.access.actingFor.contains) == true }
                    ),
                    !WorkQueue.pending(state).contains(where: { WorkQueue.waits($0, in: state, for: caller.access) })
                {
                    return nil
                }
                if let dueBefore {
                    // Running clocks only: a met or stopped clock is no longer due.
                    let running = (try? CaseClocks.read(state, now: now, context: workflow))?.running ?? []
                    if request.overdue, !running.contains(where: { $0.state == .breached }) { return nil }
                    if request.dueBeforeUnix != 0, !running.contains(where: { $0.due < dueBefore }) { return nil }
                }
                let listed = CaseViews.fit(try views.view(state, now: now), trimAll: true)
                response.cases.append(listed)
                return listed.serializedBytes().count
            })
        response.nextAfter = next?.text ?? ""
        if response.cases.isEmpty, start == nil, let topic = filters.topic { try checkTopic(topic, caller, now: now) }
        // "50 of 66": counted on the same index as the list, up to a cap, when the store alone decides.
        if filtersInSwift {
            response.totalUnknown = true
        } else {
            do {
                let total = try store.countCases(
                    status: status?.rawValue, executor: executor, filters: filters, cap: Self.queueCountCap + 1)
                response.total = UInt32(min(total, Self.queueCountCap))
                response.totalCapped = total > Self.queueCountCap
            } catch {
                logger.error("ListCases: \(error)")
                throw RPCError(.internal, Refusals.Requests.failed(["detail": "cases could not be counted"]))
            }
        }
        return response
    }

    /// A unit a list names must be one of the directory's: say which there are.
    private func checkUnit(_ name: String) throws(RPCError) {
        let units = authorizer.directory.directory.units
        guard units[name] == nil else { return }
        throw RPCError(
            .invalidArgument,
            Refusals.Cases.noUnitNamed(["unit": name, "units": units.keys.sorted().joined(separator: ", ")]))
    }

    /// A topic no case of the last year has (of those the caller reaches) is most likely mistyped: say
    /// which there are.
    private func checkTopic(_ topic: String, _ caller: Caller, now: Instant) throws(RPCError) {
        let known =
            (try? store.topics(
                detectedSince: now - 366 * 86_400,
                units: caller.scope == .all ? nil : caller.access.units.sorted())) ?? []
        guard !known.contains(topic) else { return }
        throw RPCError(
            .invalidArgument,
            Refusals.Cases.noTopicNamed(["topic": topic, "topics": known.isEmpty ? "-" : known.joined(separator: ", ")])
        )
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
        let start = request.after.isEmpty ? nil : try Store.QueueCursor(text: request.after)
        let now = clock.now
        let views = CaseViews(context: try workflowContext(), access: access)
        var response = QueueResponse()
        let pager = CasePager<Store.QueueCursor>(
            limit: limit,
            read: { position, count throws(RPCError) in
                do {
                    return try store.queue(scope, after: position, limit: count).map { ($0.state, $0.cursor) }
                } catch {
                    logger.error("Queue: \(error)")
                    throw RPCError(.internal, Refusals.Requests.failed(["detail": "the queue could not be read"]))
                }
            }, resume: .afterLastRead)
        func waiting(_ state: CaseState) -> [Int] {
            WorkQueue.pending(state).enumerated().filter { WorkQueue.waits($0.element, in: state, for: access) }.map(
                \.offset)
        }
        let next = try pager.fill(
            after: start, admits: { !waiting($0).isEmpty },
            take: { state throws(RPCError) in
                let view = CaseViews.fit(try views.view(state, now: now), trimAll: true)
                var size = 0
                for index in waiting(state) where index < view.nextSteps.count {
                    var item = QueueItem()
                    item.view = view
                    item.step = view.nextSteps[index]
                    size += item.serializedBytes().count
                    response.items.append(item)
                }
                return size
            })
        response.nextAfter = next?.text ?? ""
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
