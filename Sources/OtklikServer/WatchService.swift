import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// `otklik.v1.Events/Watch`: the missed events first, then live ones, each with its sequence number, so
/// a helper that reconnects loses nothing. Rights apply to what is delivered. A watcher that reads too
/// slowly gets a bounded buffer, then a "fell behind, resume from N" message, and the stream ends.
struct WatchService {
    let store: Store
    let hub: EventHub
    let authorizer: Authorizer
    let calendars: CalendarState
    /// Live events a watcher may have waiting before it is told it fell behind.
    let bufferedEvents: Int
    let logger: Logger

    func register(in registry: inout ServiceRegistry) {
        registry.serverStreaming(EventsService.watch) { context, request, writer in
            try watch(context, request, writer)
        }
    }

    private func watch(_ context: ServerContext, _ request: WatchRequest, _ writer: TypedResponseWriter<WatchEvent>)
        throws(RPCError)
    {
        let caller = try context.caller
        // Subscribe before reading the log, so nothing falls between the two.
        let subscription = hub.subscribe(capacity: bufferedEvents)
        defer { hub.unsubscribe(subscription) }
        // A cancel, deadline or disconnect ends the watcher at once, not at its next wake-up.
        context.whenCancelled { subscription.wake() }
        var filter = Filter(request: request, caller: caller, store: store)
        var last = max(0, request.fromSequence)
        while true {
            let batch: [Event]
            do {
                batch = try store.events(after: last, limit: 500)
            } catch {
                throw RPCError(.internal, "the event log could not be read")
            }
            for event in batch {
                try deliver(event, &filter, writer)
                last = event.id
            }
            if batch.count < 500 { break }
        }
        while !context.isCancelled {
            if subscription.isStopped {
                throw RPCError(
                    .unavailable,
                    "the daemon is stopping; resume with from_sequence \(last) (otklik watch --from \(last))")
            }
            guard let events = subscription.take(timeout: 1) else {
                var notice = WatchEvent()
                notice.fellBehind = true
                notice.resumeFrom = last
                try writer.send(notice)
                logger.info("watcher \(caller.login) fell behind at \(last)")
                return
            }
            for event in events where event.id > last {
                try deliver(event, &filter, writer)
                last = event.id
            }
        }
    }

    private func deliver(_ event: Event, _ filter: inout Filter, _ writer: TypedResponseWriter<WatchEvent>)
        throws(RPCError)
    {
        guard filter.matches(event) else { return }
        var view = WatchEvent()
        view.sequence = event.id
        let instant = Instant(seconds: Int64(event.time.timeIntervalSince1970))
        let offset = (try? calendars.calendar(Schedule.executorName))?.utcOffset(at: instant) ?? 0
        view.time = instant.iso(offset: offset)
        view.kind = EventKind(rawValue: event.kind).map(Wire.EventKind.init) ?? .unspecified
        view.caseID = event.subject == "directory" ? "" : event.subject
        view.actor = event.actor
        view.onBehalf = event.onBehalf
        view.details = String(decoding: event.payload, as: UTF8.self)
        if let assignment = Filter.assignmentIndex(event), !view.caseID.isEmpty {
            view.assignmentID = AssignmentID(caseID: view.caseID, index: assignment).description
        }
        try writer.send(view)
    }

    /// Which events a watcher gets: its filters, and never a case its rights do not let it read.
    struct Filter {
        let request: WatchRequest
        let caller: Caller
        let store: Store
        private var cases: [String: CaseState] = [:]

        init(request: WatchRequest, caller: Caller, store: Store) {
            self.request = request
            self.caller = caller
            self.store = store
        }

        /// The assignment a case step or a clock notice concerns, from the kind's payload.
        static func assignmentIndex(_ event: Event) -> Int? {
            guard let kind = EventKind(rawValue: event.kind) else { return nil }
            if kind == .clockWarning || kind == .clockBreached { return notice(event)?.assignment }
            guard kind.isCaseStep else { return nil }
            return (try? JSONDecoder().decode(WorkflowEvent.self, from: Data(event.payload)))?.assignment
        }

        static func notice(_ event: Event) -> ClockNotice? {
            try? JSONDecoder().decode(ClockNotice.self, from: Data(event.payload))
        }

        mutating func matches(_ event: Event) -> Bool {
            if !request.kinds.isEmpty, !request.kinds.contains(where: { $0.domain?.rawValue == event.kind }) {
                return false
            }
            // Case events and the scheduler's notices are about a case (their subject); the rest are
            // about the directory, schedules or the daemon itself.
            let kind = EventKind(rawValue: event.kind)
            let isNotice = kind == .clockWarning || kind == .clockBreached
            let isCase = kind?.isCaseStep == true || isNotice
            if !request.caseID.isEmpty, event.subject != request.caseID { return false }
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
                    let recipients = Self.notice(event)?.recipients ?? []
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
