@preconcurrency import Dispatch
import Foundation
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// Records warnings and breaches as they happen (DESIGN section 4, p.21), from the clock index: each
/// open case's next moment to act on (`cases.next_fire`, written with its projection). One Dispatch
/// timer waits for the earliest; when it fires, only the cases due then are read, each notice is
/// recorded once (`clock_notices`, even across restarts: at start it records what it missed while
/// down), and those cases are re-indexed. Nothing of the open cases is held in memory, so the start
/// does not grow with them. On a test clock nothing fires by itself; moving the clock fires what
/// became due, in order.
///
/// `@unchecked Sendable`: `timer` and `started` are only touched on `queue`.
final class Scheduler: @unchecked Sendable, ServiceEnvironmentReader {
    private let queue = DispatchQueue(label: "otklik.scheduler")
    let environment: ServiceEnvironment
    private var timer: (any DispatchSourceTimer)?
    /// The attachments' files; uploads no draft took are removed after `uploadGraceSeconds`.
    private let files: AttachmentFiles?
    private var sweepTimer: (any DispatchSourceTimer)?
    /// Issue 31: the breach forecast's look, every `forecastSeconds` (real clock).
    private var forecastTimer: (any DispatchSourceTimer)?
    /// When the forecast last looked, by this machine's clock: on the real clock a burst of changes
    /// asks for one look a minute.
    private var forecastLookedAt: Date?
    /// A look is waiting for the minute since the last to pass.
    private var forecastDeferred = false
    /// `stop` was called: a look still queued does nothing.
    private var stopped = false
    /// `stop` is waiting: a look in progress ends at its next step, so a stop never waits for a long
    /// look (the first after a long downtime writes a notice per clock that came due meanwhile).
    private let halting = Locked(false)
    static let forecastSeconds = 300
    /// Changes before `start` (the demo's seeding) are covered by the look at start.
    private var started = false
    /// A look is queued already (commits in a burst ask for one look, not one each).
    private let lookQueued = Locked(false)
    /// Cases read per round of a look.
    static let batch = 500
    /// A step the scheduler could not take (a store error) is tried again this much later.
    static let retrySeconds: Int64 = 60
    /// Bump when the clock arithmetic changes, so every open case is re-indexed at the next start.
    static let indexVersion = 1
    /// p.19: an upload no draft references is removed this long after it came (an event says so).
    static let uploadGraceSeconds: Int64 = 86_400

    init(environment: ServiceEnvironment, files: AttachmentFiles? = nil) {
        self.environment = environment
        self.files = files
    }

    /// The clock index's computation with the rules in force, for the store to run on every write.
    func indexer() -> ClockIndexer {
        { [calendars, profile] state, recorded, now in
            guard let context = try? WorkflowContext(profile: profile, calendars: calendars.byName) else {
                return ClockIndex(nextDue: state.detectedAt, nextFire: nil)
            }
            return ClockIndex.of(state, recorded: recorded, now: now, context: context)
        }
    }

    /// Re-indexes the open cases when the rules changed since they were indexed (a new profile, an
    /// edited schedule or calendar, a new release's arithmetic), then records what became due while
    /// the daemon was down.
    func start() {
        queue.sync {
            started = true
            reindexIfRulesChanged()
            fireDue()
            // The forecast's look comes after the start, not before the daemon serves.
            queue.async { [self] in warnAtRisk() }
            sweepAttachments()
            if !clock.isSimulated {
                let source = DispatchSource.makeTimerSource(queue: queue)
                source.schedule(
                    deadline: .now() + .seconds(Self.forecastSeconds), repeating: .seconds(Self.forecastSeconds),
                    leeway: .seconds(10))
                source.setEventHandler { [weak self] in
                    self?.forecastLookedAt = nil
                    self?.warnAtRisk()
                }
                source.resume()
                forecastTimer = source
            }
            if !clock.isSimulated, files != nil {
                let source = DispatchSource.makeTimerSource(queue: queue)
                source.schedule(deadline: .now() + .seconds(3600), repeating: .seconds(3600), leeway: .seconds(60))
                source.setEventHandler { [weak self] in self?.sweepAttachments() }
                source.resume()
                sweepTimer = source
            }
        }
    }

    /// Ends the look in progress at its next step, and any later one at once (the daemon is stopping).
    func halt() {
        halting.withLock { $0 = true }
    }

    func stop() {
        halt()
        queue.sync {
            timer?.cancel()
            timer = nil
            sweepTimer?.cancel()
            sweepTimer = nil
            forecastTimer?.cancel()
            forecastTimer = nil
            stopped = true
        }
    }

    /// A case changed (its index is written with it): look at what is due now. Queued, so a clock move
    /// that follows is handled after it; a burst of changes asks for one look.
    func refresh(_ caseID: String) {
        guard
            !lookQueued.withLock({ queued -> Bool in
                defer { queued = true }
                return queued
            })
        else { return }
        queue.async { [self] in
            lookQueued.withLock { $0 = false }
            guard started else { return }
            fireDue()
            warnAtRisk()
        }
    }

    /// The clock moved (test clock) or the calendar changed (`rulesChanged`: re-index the open cases
    /// first): act on everything now due, in order.
    func catchUp(rulesChanged: Bool = false) {
        queue.sync {
            if rulesChanged { reindexIfRulesChanged() }
            fireDue()
            forecastLookedAt = nil
            warnAtRisk()
            sweepAttachments()
        }
    }

    /// p.19: removes the uploads no draft took within `uploadGraceSeconds` (oldest first, through
    /// `attachments_uploaded`), each with an `attachment.removed` event; the file goes after the
    /// record, so a crash in between leaves a file without a record, never the reverse.
    private func sweepAttachments() {
        guard let files else { return }
        let now = clock.now
        let batch = 100
        while true {
            let stale: [AttachmentRecord]
            do {
                stale = try store.unreferencedAttachments(uploadedBefore: now - Self.uploadGraceSeconds, limit: batch)
            } catch {
                logger.error("attachments: reading the unused uploads failed: \(error)")
                return
            }
            for record in stale {
                do {
                    guard
                        try store.forgetAttachment(
                            record, reason: "no draft took it within 24 hours of its upload", now: clock.now)
                    else { continue }
                    unlink(files.path(of: record.sha256))
                    logger.info("attachment \(record.sha256) removed: no draft took it within 24 hours")
                } catch {
                    logger.error("attachments: removing \(record.sha256) failed: \(error)")
                    return
                }
            }
            if stale.count < batch { return }
        }
    }

    // MARK: On the queue

    private func reindexIfRulesChanged() {
        do {
            let basis = "v\(Self.indexVersion);\(profile.clockRules);\(try store.calendarDigest())"
            guard try store.clockBasis() != basis else { return }
            let started = Date()
            let count = try store.reindexClocks(basis: basis, now: clock.now)
            logger.info(
                "clock index: \(count) open cases indexed with the rules in force in \(String(format: "%.2f", Date().timeIntervalSince(started))) s"
            )
        } catch {
            logger.error("clock index: re-indexing the open cases failed (\(error)); their notices may come late")
        }
    }

    private func fireDue() {
        let now = clock.now
        while !halting.current, let context = try? WorkflowContext(profile: profile, calendars: calendars.byName) {
            let cases: [CaseState]
            do {
                cases = try store.casesToFire(atOrBefore: now, limit: Self.batch)
            } catch {
                logger.error("reading the cases due for a notice: \(error)")
                break
            }
            guard !cases.isEmpty else { break }
            var due: [(CaseState, ClockAgenda.Item)] = []
            for state in cases {
                let recorded = (try? store.recordedNotices(state.id)) ?? []
                for item in (try? ClockAgenda.items(state, now: now, context: context)) ?? []
                where item.fireAt <= now && !recorded.contains(item.recorded) {
                    due.append((state, item))
                }
            }
            due.sort { ($0.1.fireAt, $0.0.id, $0.1.clockKey) < ($1.1.fireAt, $1.0.id, $1.1.clockKey) }
            for (state, item) in due {
                // Stopping: what is left of the batch stays indexed as due and is fired by the next start.
                guard !halting.current else { return }
                if item.notice == .closeWithoutAnswer {
                    closeWithoutAnswer(state.id, item)
                } else if item.notice == .breach || item.due > now {
                    // A warning whose clock is already past due says nothing the breach does not: dropped.
                    record(state, item)
                }
            }
            do {
                try store.refreshClockIndex(
                    cases.map { ($0.id, $0.version) }, now: now, retry: now + Self.retrySeconds)
            } catch {
                logger.error("clock index: re-indexing \(cases.count) cases after their notices: \(error)")
                break
            }
            if cases.count < Self.batch { break }
        }
        arm(lookedAt: now)
    }

    /// Issue 31: tells the curators, once per clock instance, of each executor's step the breach
    /// forecast finds at risk (`clock.at_risk`, recorded in `clock_notices` like a warning). On the
    /// real clock at most once a minute, and every `forecastSeconds` as time passes (an absence begins).
    private func warnAtRisk() {
        guard !stopped else { return }
        if !clock.isSimulated, let last = forecastLookedAt {
            let since = Date().timeIntervalSince(last)
            guard since >= 60 else {
                // Looked less than a minute ago: look again when the minute is over, once.
                guard !forecastDeferred else { return }
                forecastDeferred = true
                queue.asyncAfter(deadline: .now() + (60 - since)) { [weak self] in
                    self?.forecastDeferred = false
                    self?.warnAtRisk()
                }
                return
            }
        }
        forecastLookedAt = Date()
        let now = clock.now
        let result: Forecaster.Result
        do {
            result = try Forecaster(environment: environment).forecast(now: now)
        } catch {
            logger.error("breach forecast: \(error)")
            return
        }
        // Told to the curators in their working hours, as a warning is (the look every 5 minutes finds
        // it then): no critical pop-up at night because an absence began at midnight.
        let curatorSchedule = profile.term(.route).schedule
        guard let curatorCalendar = try? calendars.calendar(curatorSchedule),
            (try? curatorCalendar.isWorkingTime(now)) == true
        else { return }
        let directory = directory.directory
        let curators = directory.staff.values.filter { $0.active && $0.roles.contains(.curator) }.map(\.login)
        let recipients = Array(Set(curators.map { directory.deputy(of: $0, at: now) ?? $0 })).sorted()
        for item in result.items where item.atRisk && item.due > now {
            guard !halting.current else { return }
            let notice = RecordedNotice(clock: item.clockKey, notice: .atRisk)
            // Most looks find what they told already: one read, no write.
            if (try? store.recordedNotices(item.caseID))?.contains(notice) == true { continue }
            // As the clock's other notices: its due in its own schedule.
            let schedule = profile.term(item.clock).schedule
            let calendar = (try? calendars.calendar(schedule)) ?? result.calendar(item.unit)
            var payload = ClockNotice(
                clock: item.clock, clockKey: item.clockKey, due: item.due, dueAt: calendar.text(item.due),
                schedule: calendar.schedule.name, assignment: item.index)
            payload.risks = item.risks.map(\.reason)
            payload.nextPresent = item.risks.compactMap(\.nextPresent).first
            payload.recipients = recipients
            let event = Event(
                time: now, actor: "system", kind: .clockAtRisk, subject: item.caseID,
                payload: Array(JSONText.encode(payload)))
            do {
                if try store.recordNotice(caseID: item.caseID, notice, event: event) != nil {
                    logger.info("case \(item.caseID): clock.at_risk \(item.assignmentID) \(item.clockKey)")
                }
            } catch {
                logger.error("recording clock.at_risk for \(item.assignmentID): \(error)")
            }
        }
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
                now: max(clock.now, item.fireAt))
            logger.info("case \(caseID): assignment \(index) closed without the author's answer (clarification_limit)")
        } catch {
            logger.warning("case \(caseID): closing assignment \(index) without an answer: \(error)")
        }
    }

    private func record(_ state: CaseState, _ item: ClockAgenda.Item) {
        let caseID = state.id
        let offset = (try? calendars.calendar(item.schedule))?.utcOffset(at: item.due) ?? 0
        var payload = ClockNotice(
            clock: item.kind, clockKey: item.clockKey, due: item.due,
            dueAt: item.due.iso(offset: offset), schedule: item.schedule, assignment: item.assignment)
        let kind: EventKind
        switch item.notice {
        case .breach:
            kind = .clockBreached
        case .warning(let label):
            kind = .clockWarning
            payload.point = label
        case .closeWithoutAnswer, .atRisk:
            return
        }
        payload.recipients = recipients(item, state)
        let data = JSONText.encode(payload)
        let event = Event(
            time: max(clock.now, item.fireAt), actor: "system",
            kind: kind,
            subject: caseID, payload: Array(data))
        do {
            if try store.recordNotice(caseID: caseID, item.recorded, event: event) != nil {
                logger.info(
                    "case \(caseID): \(kind.rawValue) \(item.clockKey)\(item.notice == .breach ? "" : " " + item.noticeKey)"
                )
            }
        } catch {
            logger.error("recording \(kind.rawValue) for \(caseID) \(item.clockKey): \(error)")
        }
    }

    /// Who a notice is for: the curators when the clock waits on a curator's step, else the one who
    /// answers for the assignment, or the unit's executors (`ClockAgenda.Item.party`); anyone away is
    /// replaced by their deputy (p.6).
    private func recipients(_ item: ClockAgenda.Item, _ state: CaseState) -> [String] {
        let directory = directory.directory
        let now = clock.now
        var logins: [String]
        switch item.party(in: state) {
        case .curator:
            logins = directory.staff.values.filter { $0.active && $0.roles.contains(.curator) }.map(\.login)
        // A clock's party is the curator or its assignment's unit (`ClockAgenda.Item.party(in:)`).
        case .executor, .responsible, .head, .admin, .connector:
            let assignment = item.assignment.flatMap { state.assignment($0) }
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

    /// One timer for the earliest pending moment (real clock only), from the clock index.
    /// A moment at or before `lookedAt` is one the look just made could not act on (its rules do not
    /// compute, a store error): tried again after `retrySeconds`, never in a tight loop.
    private func arm(lookedAt: Instant) {
        timer?.cancel()
        timer = nil
        guard !clock.isSimulated, let next = try? store.nextClockFire() else { return }
        let delay = next <= lookedAt ? Self.retrySeconds : max(0, next.seconds(since: clock.now))
        let source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now() + .seconds(Int(min(delay, 86_400))), leeway: .milliseconds(200))
        source.setEventHandler { [weak self] in self?.fireDue() }
        source.resume()
        timer = source
    }
}
