@preconcurrency import Dispatch
import Foundation
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// Records warnings and breaches as they happen (DESIGN section 4, p.21): keeps every open case's
/// coming moments (`ClockAgenda`), arms one Dispatch timer for the earliest, and records each notice
/// once (`clock_notices`), even across restarts: at start it records what it missed while down.
/// On a test clock nothing fires by itself; moving the clock fires what became due, in order.
///
/// `@unchecked Sendable`: `agenda`, `timer` and `started` are only touched on `queue`.
final class Scheduler: @unchecked Sendable {
    private let queue = DispatchQueue(label: "otklik.scheduler")
    private let store: Store
    private let calendars: CalendarState
    private let profile: RegulationProfile
    private let clock: DaemonClock
    private let directory: DirectoryState
    private let logger: Logger
    /// Per case, the moments still to act on (confined to `queue`).
    private var agenda: [String: [ClockAgenda.Item]] = [:]
    private var timer: (any DispatchSourceTimer)?
    /// Changes before `start` (the demo's seeding) are covered by the load at start.
    private var started = false

    init(
        store: Store, calendars: CalendarState, profile: RegulationProfile, clock: DaemonClock,
        directory: DirectoryState, logger: Logger
    ) {
        self.store = store
        self.calendars = calendars
        self.profile = profile
        self.clock = clock
        self.directory = directory
        self.logger = logger
    }

    /// Loads every open case and records what became due while the daemon was down.
    func start() {
        queue.sync {
            started = true
            let cases = (try? store.openCases()) ?? []
            for state in cases { load(state) }
            fireDue()
        }
    }

    func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }

    /// A case changed: recompute its moments, then act on anything now due. Queued, so a clock move
    /// that follows is handled after it.
    func refresh(_ caseID: String) {
        queue.async { [self] in
            guard started, let state = try? store.loadCase(caseID) else { return }
            load(state)
            fireDue()
        }
    }

    /// The clock moved (test clock) or the calendar changed: act on everything now due, in order.
    func catchUp(reloadAll: Bool = false) {
        queue.sync {
            if reloadAll {
                agenda.removeAll()
                for state in (try? store.openCases()) ?? [] { load(state) }
            }
            fireDue()
        }
    }

    // MARK: On the queue

    private func load(_ state: CaseState) {
        guard state.status == .new || state.status == .routed,
            let context = try? WorkflowContext(profile: profile, calendars: calendars.byName),
            let items = try? ClockAgenda.items(state, now: clock.now, context: context)
        else {
            agenda[state.id] = nil
            return
        }
        let recorded = (try? store.recordedNotices(state.id)) ?? []
        agenda[state.id] = items.filter { !recorded.contains("\($0.clockKey)|\($0.noticeKey)") }
    }

    private func fireDue() {
        let now = clock.now
        // Cases with something due are read afresh first: a clock met a moment ago must not fire.
        for caseID in agenda.filter({ $0.value.contains { $0.fireAt <= now } }).keys {
            if let state = try? store.loadCase(caseID) { load(state) } else { agenda[caseID] = nil }
        }
        var due: [(String, ClockAgenda.Item)] = []
        for (caseID, items) in agenda {
            for item in items where item.fireAt <= now { due.append((caseID, item)) }
        }
        due.sort { ($0.1.fireAt, $0.0, $0.1.clockKey) < ($1.1.fireAt, $1.0, $1.1.clockKey) }
        for (caseID, item) in due {
            if item.notice == .closeWithoutAnswer {
                // Its commit queues a refresh of the case, as every change does.
                closeWithoutAnswer(caseID, item)
            } else if item.notice == .breach || item.due > now {
                // A warning whose clock is already past due says nothing the breach does not: dropped.
                record(caseID, item)
            }
            agenda[caseID]?.removeAll { $0 == item }
        }
        arm()
    }

    /// `clarification_limit`: the author never answered; the assignment closes as `no_answer`,
    /// recorded as the system's step at the instant the limit passed.
    private func closeWithoutAnswer(_ caseID: String, _ item: ClockAgenda.Item) {
        guard let index = item.assignment, let state = try? store.loadCase(caseID),
            let context = try? WorkflowContext(profile: profile, calendars: calendars.byName)
        else { return }
        do {
            let events = try Workflow.decide(
                state, .closeWithoutAnswer(assignment: index), now: item.fireAt, context: context)
            _ = try store.commit(
                caseID: caseID, expectedVersion: state.version, events: events, actor: "system", onBehalf: "",
                now: Date(timeIntervalSince1970: TimeInterval(max(clock.now, item.fireAt).seconds)))
            logger.info("case \(caseID): assignment \(index) closed without the author's answer (clarification_limit)")
        } catch {
            logger.warning("case \(caseID): closing assignment \(index) without an answer: \(error)")
        }
    }

    private func record(_ caseID: String, _ item: ClockAgenda.Item) {
        // A warning only for a clock still open: the agenda is recomputed on every change, so a met
        // clock's warnings are already gone.
        let state = try? store.loadCase(caseID)
        let offset = (try? calendars.calendar(item.schedule))?.utcOffset(at: item.due) ?? 0
        var payload = ClockNotice(
            clock: item.kind.rawValue, clockKey: item.clockKey.description, due: item.due,
            dueAt: item.due.iso(offset: offset), schedule: item.schedule, assignment: item.assignment)
        let kind: EventKind
        switch item.notice {
        case .breach:
            kind = .clockBreached
        case .warning(let label):
            kind = .clockWarning
            payload.point = label
        case .closeWithoutAnswer:
            return
        }
        payload.recipients = recipients(item, state)
        let data = JSONText.encode(payload)
        let event = Event(
            time: Date(timeIntervalSince1970: TimeInterval(max(clock.now, item.fireAt).seconds)), actor: "system",
            kind: kind.rawValue,
            subject: caseID, payload: Array(data))
        do {
            if try store.recordNotice(
                caseID: caseID, clockKey: item.clockKey.description, notice: item.noticeKey, event: event)
                != nil
            {
                logger.info(
                    "case \(caseID): \(kind.rawValue) \(item.clockKey)\(item.notice == .breach ? "" : " " + item.noticeKey)"
                )
            }
        } catch {
            logger.error("recording \(kind.rawValue) for \(caseID) \(item.clockKey): \(error)")
        }
    }

    /// Who a notice is for: the curators for curator clocks; for executor clocks the one who answers
    /// for the assignment, else the unit's executors; anyone away is replaced by their deputy (p.6).
    private func recipients(_ item: ClockAgenda.Item, _ state: CaseState?) -> [String] {
        let directory = directory.directory
        let now = clock.now
        var logins: [String]
        switch item.kind {
        case .route, .review, .publish:
            logins = directory.staff.values.filter { $0.active && $0.roles.contains(.curator) }.map(\.login)
        default:
            let assignment = item.assignment.flatMap { state?.assignment($0) }
            if let responsible = assignment?.responsible {
                logins = [responsible]
            } else {
                logins = directory.staff.values.filter {
                    $0.active && $0.roles.contains(.executor) && $0.unit == assignment?.executor
                }.map(\.login)
            }
        }
        return Array(Set(logins.map { directory.deputy(of: $0, at: now) ?? $0 })).sorted()
    }

    /// One timer for the earliest pending moment (real clock only).
    private func arm() {
        timer?.cancel()
        timer = nil
        guard !clock.isSimulated, let next = agenda.values.flatMap({ $0 }).map(\.fireAt).min() else { return }
        let delay = max(0, next.seconds(since: clock.now))
        let source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now() + .seconds(Int(min(delay, 86_400))), leeway: .milliseconds(200))
        source.setEventHandler { [weak self] in self?.fireDue() }
        source.resume()
        timer = source
    }
}
