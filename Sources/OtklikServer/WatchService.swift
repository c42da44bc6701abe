import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// `otklik.v1.Events/Watch`: the missed events first, then live ones, each with its sequence number, so
/// a helper that reconnects loses nothing. Rights apply to what is delivered. A watcher that reads too
/// slowly gets a bounded buffer, then a "fell behind, resume from N" message, and the stream ends.
struct WatchService: ServiceEnvironmentReader {
    let environment: ServiceEnvironment
    let hub: EventHub
    /// Live events a watcher may have waiting before it is told it fell behind.
    let bufferedEvents: Int
    /// The p.18 hints of registrations delivered live to watchers that ask, remembered for the next.
    let hints = RegistrationHints()

    func register(in registry: inout ServiceRegistry) {
        registry.serverEvents(EventsService.watch) { context, request, stream in
            try check(request)
            WatchStream(service: self, context: context, caller: try context.caller, request: request, stream: stream)
                .start()
        }
        registry.unary(EventsService.export, placement: .pool) { _, request in try export(request) }
    }

    /// An event of the log as watchers and exports read it; `raw`, its details as stored, not decoded
    /// (no typed payload, no assignment id); `keep`, only those members of its details, the typed payload
    /// read from what is kept (`Events/Export`'s `keep`: the assignment id is then read even when raw).
    /// `calendar`: the executors' schedule, when the caller has it.
    func view(
        of event: Event, raw: Bool = false, typed: Bool = true, keep: Set<String> = [],
        calendar: WorkingCalendar? = nil
    ) -> WatchEvent {
        var view = WatchEvent()
        view.sequence = event.id
        let instant = event.time
        let offset = (calendar ?? (try? calendars.calendar(Schedule.executorName)))?.utcOffset(at: instant) ?? 0
        view.time = instant.iso(offset: offset)
        view.kind = event.kind.known.map(Wire.EventKind.init) ?? .unspecified
        // The directory's, the connectors' and an incident's own events are about no case.
        view.caseID =
            event.subject == Event.directorySubject || event.subject == Event.connectorsSubject
                || event.kind.known == .incidentPut
            ? "" : event.subject
        view.actor = event.actor
        view.onBehalf = event.onBehalf
        var payload = event.payload
        if keep.isEmpty {
            view.details = String(decoding: payload, as: UTF8.self)
        } else {
            let kept = EventDetails.kept(payload, keep)
            view.details = kept.details
            if let assignment = kept.assignment, !view.caseID.isEmpty {
                view.assignmentID = AssignmentID(caseID: view.caseID, index: assignment).description
            }
            payload = Array(kept.details.utf8)  // nothing left out goes typed either
        }
        if raw { return view }
        let details = EventDetails(kind: event.kind.known, payload: payload)
        if typed { view.payload = WatchEvent.Payload(details) }
        if let assignment = details.assignment, !view.caseID.isEmpty {
            view.assignmentID = AssignmentID(caseID: view.caseID, index: assignment).description
        }
        return view
    }

    /// `Events/Export`: a page of the log after `from_sequence`, for those who read every case: up to
    /// `limit` events, fewer when more would not fit one answer (`CaseViews.viewBudget`; each event
    /// carries its facts twice, as `details` and typed, so it is counted at twice its details and a
    /// margin, plus its report facts when asked for). The next page starts after the last event sent.
    func export(_ request: ExportEventsRequest) throws(RPCError) -> ExportEventsResponse {
        var response = ExportEventsResponse()
        let context: WorkflowContext?
        do {
            context = request.facts ? try WorkflowContext(profile: profile, calendars: calendars.byName) : nil
        } catch {
            throw error.rpc
        }
        do {
            let limit = request.limit == 0 ? 1000 : Int(request.limit)
            var size = 0
            let calendar = try? calendars.calendar(Schedule.executorName)
            let events = try store.events(after: request.fromSequence, limit: limit)
            let facts = try context.map { context throws(StoreError) in
                Self.facts(after: events, earlier: try store.earlierEvents(of: events), context: context)
            }
            let keep = Set(request.keep)
            response.kept = !keep.isEmpty
            for (index, event) in events.enumerated() {
                var view = view(of: event, raw: request.raw, typed: !request.untyped, keep: keep, calendar: calendar)
                if let facts { view.facts = facts[index] }
                let cost = (request.raw || request.untyped ? 1 : 2) * event.payload.count + view.facts.utf8.count + 512
                if !response.events.isEmpty, size + cost > CaseViews.viewBudget { break }
                size += cost
                response.events.append(view)
            }
            response.lastSequence = store.lastEventID
        } catch {
            logger.error("Export: \(error)")
            throw RPCError(.internal, Refusals.Requests.failed(["detail": "the event log could not be read"]))
        }
        return response
    }

    /// Each event's report facts as JSON ("" for an event of no case): the cases folded
    /// (`Store.states(after:earlier:)`), then their facts written, both on every core.
    static func facts(
        after events: [Event], earlier: [String: [(sequence: Int64, payload: [UInt8])]], context: WorkflowContext
    ) -> [String] {
        let states = Store.states(after: events, earlier: earlier)
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, events.count / 64))
        let written = Locked([[String]](repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (events.count * part / parts)..<(events.count * (part + 1) / parts)
            let facts = range.map { index in
                states[index].map { ReportFacts($0, at: events[index].time, context: context).json } ?? ""
            }
            written.withLock { $0[part] = facts }
        }
        return Array(written.current.joined())
    }

    /// A filter naming a case or a unit that does not exist would wait for ever: refused instead.
    private func check(_ request: WatchRequest) throws(RPCError) {
        if !request.caseID.isEmpty {
            let state: CaseState?
            do {
                state = try store.loadCase(request.caseID)
            } catch {
                throw RPCError(.internal, Refusals.Requests.failed(["detail": "the case could not be read"]))
            }
            guard state != nil else {
                throw RPCError(.notFound, Refusals.Workflow.caseNotFound(["case": request.caseID]))
            }
        }
        let units = authorizer.directory.directory.units
        if !request.unit.isEmpty, units[request.unit] == nil {
            throw RPCError(
                .notFound,
                Refusals.Cases.noUnitNamed(["unit": request.unit, "units": units.keys.sorted().joined(separator: ", ")])
            )
        }
    }

    /// One watcher, driven from its connection's queue by the hub (events arrived) and by the socket
    /// (room again): the missed events from the log first, in batches, then the live ones. No thread
    /// waits for it. The caller's rights are those of the moment each turn delivers, not those of the
    /// stream's start: a move to another unit or an absence's end narrows what comes from then on, and
    /// a caller the directory no longer serves (deactivated, or no longer in a role that may watch) has
    /// the stream ended with PERMISSION_DENIED.
    ///
    /// `@unchecked Sendable`: its state is touched only on the connection's queue (`stream.perform`).
    final class WatchStream: @unchecked Sendable {
        private let service: WatchService
        private let context: ServerContext
        private let stream: TypedEventStream<WatchEvent>
        private var filter: Filter
        private var last: Int64
        private var catchingUp = true
        private var subscription: EventHub.Subscription?
        /// Log events read per turn while catching up (each may read its case for the rights check):
        /// other calls on the connection run between turns, a few milliseconds apart at most.
        static let batch = 100

        init(
            service: WatchService, context: ServerContext, caller: Caller, request: WatchRequest,
            stream: TypedEventStream<WatchEvent>
        ) {
            self.service = service
            self.context = context
            self.stream = stream
            filter = Filter(request: request, caller: caller, store: service.store)
            last = max(0, request.fromSequence)
        }

        /// On the connection's queue: subscribes before reading the log, so nothing falls between the two.
        func start() {
            subscription = service.hub.subscribe(capacity: service.bufferedEvents) { [weak self] in
                guard let self else { return }
                stream.perform { [weak self] in self?.pump() }
            }
            // The stream holds the watcher until the call ends (then it lets go of both closures).
            stream.onRoom = { [self] in pump() }
            stream.onEnd = { [self] _ in release() }
            pump()
        }

        private func release() {
            if let subscription { service.hub.unsubscribe(subscription) }
            subscription = nil
        }

        private func finish(_ error: RPCError? = nil) {
            release()
            stream.finish(error)
        }

        /// The caller's rights now, set on the filter; false when the directory no longer lets them watch
        /// (the stream has then been ended with PERMISSION_DENIED).
        private func refreshRights() -> Bool {
            do {
                filter.caller = try service.authorizer.caller(context)
                return true
            } catch {
                service.logger.info("watcher \(filter.caller.login): rights ended, stream closed")
                finish(RPCError(.permissionDenied, Refusals.Callers.rightsEnded(["login": filter.caller.login])))
                return false
            }
        }

        /// Sends what there is while the client keeps up.
        private func pump() {
            guard let subscription, !stream.isEnded else { return }
            while stream.hasRoom {
                guard refreshRights() else { return }
                if catchingUp {
                    let batch: [Event]
                    do {
                        batch = try service.store.events(after: last, limit: Self.batch)
                    } catch {
                        return finish(
                            RPCError(.internal, Refusals.Requests.failed(["detail": "the event log could not be read"]))
                        )
                    }
                    for event in batch {
                        // Out of room: the socket's drain calls `pump` again, which reads on from `last`.
                        guard stream.hasRoom else { return }
                        deliver(event)
                    }
                    if batch.count == Self.batch {
                        // More to read: the next turn comes after whatever else waits on the connection.
                        stream.perform { [weak self] in self?.pump() }
                        return
                    }
                    catchingUp = false
                    continue
                }
                if subscription.isStopped {
                    return finish(
                        RPCError(.unavailable, Refusals.Admin.watchResume(["last": String(last)])))
                }
                switch subscription.poll() {
                case .fellBehind:
                    var notice = WatchEvent()
                    notice.fellBehind = true
                    notice.resumeFrom = last
                    stream.send(notice)
                    service.logger.info("watcher \(filter.caller.login) fell behind at \(last)")
                    return finish()
                case .events(let events):
                    guard !events.isEmpty else { return }
                    for event in events where event.id > last { deliver(event, live: true) }
                }
            }
        }

        /// `live`: it came from the hub as it was committed, not read from the log while catching up.
        private func deliver(_ event: Event, live: Bool = false) {
            defer { last = event.id }
            guard filter.matches(event) else { return }
            var view = service.view(of: event)
            // A registration watched live carries its p.18 hints (issue 33: not in RegisterMessage's
            // answer); one read from the log while catching up does not (GetCase has them).
            if live, filter.request.hints, event.kind.known == .registered, let state = filter.state(of: event.subject)
            {
                view.suggestedRepeats = service.hints.of(state) { service.suggestions(for: $0) }
            }
            stream.send(view)
        }
    }

    /// Which events a watcher gets: its filters, and never a case its rights do not let it read.
    struct Filter {
        let request: WatchRequest
        /// The rights in force: set again before every turn of deliveries (`WatchStream.refreshRights`).
        var caller: Caller
        let store: Store
        private var cases: [String: CaseState] = [:]

        init(request: WatchRequest, caller: Caller, store: Store) {
            self.request = request
            self.caller = caller
            self.store = store
        }

        /// The case as `matches` last read it (after a step of it, as it stands now).
        func state(of subject: String) -> CaseState? { cases[subject] }

        mutating func matches(_ event: Event) -> Bool {
            if !request.kinds.isEmpty, !request.kinds.contains(where: { $0.domain.map(LoggedKind.known) == event.kind })
            {
                return false
            }
            // Case events and the scheduler's notices are about a case (their subject); the rest are
            // about the directory, schedules or the daemon itself.
            let kind = event.kind.known
            let isNotice = kind == .clockWarning || kind == .clockBreached || kind == .clockAtRisk
            let isCase = kind?.isCaseStep == true || isNotice
            if !request.caseID.isEmpty, event.subject != request.caseID { return false }
            if kind == .connectorTrouble || kind == .connectorRecovered {
                // Addressed to whoever publishes (the curators, `mine` too) and the administrators who run
                // the connectors.
                return request.caseID.isEmpty && request.unit.isEmpty
                    && (caller.access.holds(.curator) || caller.access.holds(.admin))
            }
            guard isCase else {
                // Directory and daemon events: for readers with full scope, unless a case or unit filter asks otherwise.
                return request.caseID.isEmpty && request.unit.isEmpty && !request.mine && caller.scope == .all
            }
            // The case as it stands now: rights and units follow the current assignments.
            if cases[event.subject] == nil || event.caseVersion != nil {
                cases[event.subject] = try? store.loadCase(event.subject)
            }
            guard let state = cases[event.subject], Rights.canRead(state, caller.access, scope: caller.scope) else {
                return false
            }
            if !request.unit.isEmpty, !state.assignments.contains(where: { $0.executor == request.unit }) {
                return false
            }
            if request.mine {
                if isNotice {
                    let recipients = EventDetails(kind: kind, payload: event.payload).clock?.recipients ?? []
                    return recipients.contains { caller.access.actingFor.contains($0) || $0 == caller.login }
                }
                if caller.access.holds(.curator) { return true }
                return state.assignments.contains {
                    caller.access.units.contains($0.executor)
                        || $0.responsible.map(caller.access.actingFor.contains) == true
                }
            }
            return true
        }
    }
}

/// The p.18 hints of the cases registered lately, by case and version, as first looked at: a watcher
/// that comes to a registration after another has looked (the usual case: they are woken one after the
/// other) takes them from here; two at the very same moment may both look.
final class RegistrationHints: Sendable {
    private let recent = Locked<(hints: [String: (version: Int, ids: [String])], order: [String])>(([:], []))
    /// Registrations remembered at most, the oldest forgotten first: a watcher further behind than this
    /// looks again (the same answer, or a newer one).
    static let capacity = 256

    func of(_ state: CaseState, compute: (CaseState) -> [String]) -> [String] {
        if let known = recent.withLock({ $0.hints[state.id] }), known.version == state.version { return known.ids }
        let ids = compute(state)
        recent.withLock {
            if $0.hints.updateValue((state.version, ids), forKey: state.id) == nil { $0.order.append(state.id) }
            if $0.order.count > Self.capacity {
                let forgotten = $0.order.count - Self.capacity / 2
                for id in $0.order.prefix(forgotten) { $0.hints[id] = nil }
                $0.order.removeFirst(forgotten)
            }
        }
        return ids
    }
}
