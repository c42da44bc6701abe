/// The profile and the compiled schedules the workflow counts in.
public struct WorkflowContext: Sendable {
    public let profile: RegulationProfile
    public let calendars: [String: WorkingCalendar]

    public init(profile: RegulationProfile, calendars: [String: WorkingCalendar]) throws(WorkflowError) {
        for name in profile.scheduleNames where calendars[name] == nil {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.profileScheduleMissing(["schedule": name]))
        }
        self.profile = profile
        self.calendars = calendars
    }

    /// The schedule `clock` counts in.
    public func calendar(_ clock: ClockKind) -> WorkingCalendar {
        // `init` refused a profile naming a schedule it was not given, and `scheduleNames` holds every
        // clock's (`ClockSpec.term`): safe to unwrap.
        calendars[profile.term(clock).schedule]!
    }
}

/// A clock as read at some instant.
public struct ClockReading: Sendable, Equatable {
    public var kind: ClockKind
    /// When it started (detection, submission, return, approval, intermediate publication).
    public var startedAt: Instant
    public var due: Instant
    public var state: ClockState
    public var metAt: Instant?
    /// Working seconds past due: when met late, or so far when still open past due.
    public var lateSeconds: Int64
    public var schedule: String
    /// When it stopped unmet (the case rejected or withdrawn, the assignment cancelled or closed without an answer).
    public var stoppedAt: Instant? = nil

    /// Still running: neither met nor stopped.
    public var isRunning: Bool { metAt == nil && stoppedAt == nil }

    public var lateMinutes: Int64 { lateSeconds / 60 }
}

/// Every clock of a case, derived from its events, the profile and the schedules (DESIGN section 4).
/// Open clocks follow the current importance and calendar; met clocks keep the due time they were met
/// against.
public struct CaseClocks: Sendable, Equatable {
    public var route: ClockReading?
    /// Per assignment index: the clocks that exist, the latest of each kind.
    public var assignments: [Int: [ClockKind: ClockReading]]
    /// Per assignment index and draft position: that submission's review, rework and publish clocks.
    public var drafts: [Int: [[ClockKind: ClockReading]]]
    /// Per assignment index: draft clocks met before a clarification was answered (the term ran again after it).
    public var earlierDrafts: [Int: [ClockReading]] = [:]

    /// No clocks (a case shown while its clocks cannot be computed).
    public static let none = CaseClocks(route: nil, assignments: [:], drafts: [:])

    public static func read(_ state: CaseState, now: Instant, context: WorkflowContext) throws(WorkflowError)
        -> CaseClocks
    {
        var clocks = CaseClocks(route: nil, assignments: [:], drafts: [:])
        // A rejected case's clocks stop at the rejection (lateness before it stands); a withdrawn
        // one was registered by mistake: nothing of it is late.
        let caseStop = state.stoppedAt.map { Stop(at: $0, excused: state.status == .withdrawn) }
        if state.status != .rejected || state.routeMet != nil {
            let started = state.routeStartedAt ?? state.detectedAt
            clocks.route = try reading(
                .route, started: started, met: state.routeMet, now: now, calendar: context.calendar(.route),
                stop: caseStop
            ) { () throws(CalendarError) in
                try Self.termDue(.route, from: started, importance: state.importance, context: context)
            }
        }
        for assignment in state.assignments {
            // A cancelled assignment was a mistake (never late); one closed without an answer stops
            // while paused.
            let frame = AssignmentFrame(
                state: state, assignment: assignment, now: now, context: context,
                stop: caseStop ?? assignment.closedAt.map { Stop(at: $0, excused: assignment.status == .cancelled) },
                paused: assignment.openPause != nil && assignment.status == .waitingAuthor,
                origin: assignment.startedAt ?? state.detectedAt,
                replyDue: try Self.replyDue(state, assignment, now: now, context: context))
            var own: [ClockKind: ClockReading] = [:]
            for kind in ClockKind.of(.assignment) {
                own[kind] = try assignmentClock(kind, frame)
            }
            var perDraft: [[ClockKind: ClockReading]] = []
            for draft in assignment.drafts {
                var cycle: [ClockKind: ClockReading] = [:]
                for kind in ClockKind.of(.draft) {
                    cycle[kind] = try draftClock(kind, draft, frame)
                }
                for (kind, value) in cycle { own[kind] = value }
                perDraft.append(cycle)
            }
            clocks.assignments[assignment.index] = own
            clocks.drafts[assignment.index] = perDraft
            if let earlier = assignment.earlierDraftMets, !earlier.isEmpty {
                clocks.earlierDrafts[assignment.index] = try earlier.map { met throws(WorkflowError) in
                    try reading(
                        .draft, started: frame.origin, met: met, now: now, calendar: context.calendar(.draft),
                        stop: nil
                    ) { () throws(CalendarError) in met.due }
                }
            }
        }
        return clocks
    }

    /// Where a case's or an assignment's clocks stop, and whether lateness up to there is excused.
    struct Stop {
        var at: Instant
        var excused: Bool
    }

    /// What an assignment's clocks are read against.
    struct AssignmentFrame {
        var state: CaseState
        var assignment: AssignmentState
        var now: Instant
        var context: WorkflowContext
        var stop: Stop?
        /// Waiting for the author's answer: the assignment's own clocks do not run.
        var paused: Bool
        /// When the assignment's term started (its routing, or the detection for a message routed late).
        var origin: Instant
        var replyDue: Instant
    }

    /// The assignment's own clock `kind` (scope `.assignment`), nil while it does not exist.
    static func assignmentClock(_ kind: ClockKind, _ f: AssignmentFrame) throws(WorkflowError) -> ClockReading? {
        let calendar = f.context.calendar(kind), a = f.assignment
        switch kind {
        case .reply:
            return try reading(
                .reply, started: f.origin, met: a.replyMet, now: f.now, calendar: calendar, paused: f.paused,
                stop: f.stop
            ) { () throws(CalendarError) in f.replyDue }
        case .draft:
            return try reading(
                .draft, started: f.origin, met: a.draftMet, now: f.now, calendar: calendar, paused: f.paused,
                stop: f.stop
            ) { () throws(CalendarError) in
                try Self.termDue(.draft, from: f.replyDue, importance: f.state.importance, context: f.context)
            }
        case .finalDraft:
            guard let published = a.intermediatePublishedAt else { return nil }
            // p.10 and p.16: a clarification after the intermediate reply pauses the final draft's term too.
            return try reading(
                .finalDraft, started: published, met: a.finalDraftMet, now: f.now, calendar: calendar,
                paused: f.paused, stop: f.stop
            ) { () throws(CalendarError) in
                let base = try Self.termDue(
                    .finalDraft, from: published, importance: f.state.importance, context: f.context)
                let pausedSeconds = try Self.pausedSeconds(
                    a, since: published, now: f.now, stop: f.state.stoppedAt, calendar: calendar)
                return pausedSeconds == 0 ? base : try calendar.add(base, seconds: pausedSeconds)
            }
        case .route, .review, .rework, .publish:
            return nil  // another scope's (`ClockSpec.scope`)
        }
    }

    /// The clock `kind` (scope `.draft`) of one submitted draft, nil while it does not exist.
    static func draftClock(_ kind: ClockKind, _ draft: Draft, _ f: AssignmentFrame) throws(WorkflowError)
        -> ClockReading?
    {
        let calendar = f.context.calendar(kind)
        let started: Instant, met: MetRecord?
        switch kind {
        case .review:
            (started, met) = (draft.submittedAt, draft.reviewMet)
        case .rework:
            guard let returned = draft.returnedAt else { return nil }
            (started, met) = (returned, draft.reworkMet)
        case .publish:
            guard let decided = draft.decidedAt,
                draft.status == .approved || draft.status == .published || draft.sentBackAt != nil
            else { return nil }
            (started, met) = (decided, draft.publishMet)
        case .route, .reply, .draft, .finalDraft:
            return nil  // another scope's (`ClockSpec.scope`)
        }
        // A term counted back from the reply's due (none of a draft's clocks has one today) starts there.
        let from: Instant
        if case .beforeReply = f.context.profile.term(kind) { from = f.replyDue } else { from = started }
        return try reading(kind, started: started, met: met, now: f.now, calendar: calendar, stop: f.stop) {
            () throws(CalendarError) in
            try Self.termDue(kind, from: from, importance: f.state.importance, context: f.context)
        }
    }

    /// p.8-p.10: the assignment's start plus the reply term, plus the working time every pause
    /// covered (an open pause counts up to `now`).
    static func replyDue(_ state: CaseState, _ assignment: AssignmentState, now: Instant, context: WorkflowContext)
        throws(WorkflowError) -> Instant
    {
        if let met = assignment.replyMet { return met.due }
        let term = context.profile.reply
        let calendar = context.calendar(.reply)
        return try wrap { () throws(CalendarError) in
            let paused = try pausedSeconds(assignment, since: nil, now: now, stop: state.stoppedAt, calendar: calendar)
            return try calendar.add(
                assignment.startedAt ?? state.detectedAt,
                seconds: Int64(term.minutes(for: state.importance)) * 60 + paused)
        }
    }

    /// Working seconds the assignment's pauses (those from `since` on) covered, an open one up to `now`;
    /// none past the assignment's closing or `stop`, the case's rejection or withdrawal: a stopped clock's
    /// due stands where it stood when it stopped, so whether it was past due then never changes later.
    static func pausedSeconds(
        _ assignment: AssignmentState, since: Instant?, now: Instant, stop: Instant?, calendar: WorkingCalendar
    ) throws(CalendarError) -> Int64 {
        let end = min(assignment.closedAt ?? Instant(seconds: .max), stop ?? Instant(seconds: .max))
        var paused: Int64 = 0
        for pause in assignment.pauses where since.map({ pause.from >= $0 }) ?? true {
            paused += try calendar.workingSeconds(from: pause.from, to: max(pause.from, min(pause.to ?? now, end)))
        }
        return paused
    }

    /// When `clock` falls due by its profile term (`ClockSpec.term`), before any pause: working time
    /// from `from`, its start (p.7, p.13-p.15); the lead before `from`, the reply's due, counted
    /// backwards (p.11, p.12: another length for high importance); the end of the n-th working day
    /// after the day of `from` (p.16). The reply's own due adds pauses (`replyDue`).
    static func termDue(_ clock: ClockKind, from: Instant, importance: Importance, context: WorkflowContext)
        throws(CalendarError) -> Instant
    {
        let calendar = context.calendar(clock)
        switch context.profile.term(clock) {
        case .working(let term):
            return try calendar.add(from, seconds: Int64(term.minutes) * 60)
        case .beforeReply(let term):
            return try calendar.subtract(from, seconds: Int64(term.minutes(for: importance)) * 60)
        case .workingDays(let days, _):
            return try calendar.endOfWorkingDay(after: calendar.localDate(of: from), workingDays: days)
        }
    }

    private static func reading(
        _ kind: ClockKind, started: Instant, met: MetRecord?, now: Instant, calendar: WorkingCalendar,
        paused: Bool = false,
        stop: Stop? = nil,
        due openDue: () throws(CalendarError) -> Instant
    ) throws(WorkflowError) -> ClockReading {
        try wrap { () throws(CalendarError) in
            if let met {
                let late = max(0, try calendar.workingSeconds(from: met.due, to: met.at))
                return ClockReading(
                    kind: kind, startedAt: started, due: met.due, state: met.at > met.due ? .breached : .met,
                    metAt: met.at, lateSeconds: late, schedule: calendar.schedule.name)
            }
            let due = try openDue()
            if let stop, now >= stop.at {
                // Stopped unmet: late only when it was already past due at the stop and that is not excused.
                if !stop.excused, stop.at > due {
                    return ClockReading(
                        kind: kind, startedAt: started, due: due, state: .breached, metAt: nil,
                        lateSeconds: try calendar.workingSeconds(from: due, to: stop.at),
                        schedule: calendar.schedule.name,
                        stoppedAt: stop.at)
                }
                return ClockReading(
                    kind: kind, startedAt: started, due: due, state: .stopped, metAt: nil, lateSeconds: 0,
                    schedule: calendar.schedule.name, stoppedAt: stop.at)
            }
            // At its due time an open clock is breached: the scheduler records the breach at that instant.
            let late = now > due ? try calendar.workingSeconds(from: due, to: now) : 0
            let state: ClockState = paused ? .paused : now >= due ? .breached : .open
            return ClockReading(
                kind: kind, startedAt: started, due: due, state: state, metAt: nil, lateSeconds: paused ? 0 : late,
                schedule: calendar.schedule.name)
        }
    }

    static func wrap<T>(_ body: () throws(CalendarError) -> T) throws(WorkflowError) -> T {
        do {
            return try body()
        } catch {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.clocksNotComputed(["detail": error.description]))
        }
    }
}

/// A command the workflow refuses, with a code a client can switch on and a sentence a person can act on.
public struct WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The command's own data is wrong (an unknown network, a time in the future).
        case invalidArgument
        /// The step is not allowed in the case's current state.
        case failedPrecondition
        case notFound
        /// The caller may not take this step on this draft (the separation of duties).
        case permissionDenied
    }

    public var code: Code
    public var message: String
    /// The refusal's machine reason and arguments (`Refusals`); empty for a sentence without one.
    public var reason: String = ""
    public var arguments: [String: String] = [:]

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public init(_ code: Code, _ refused: Refused) {
        self.code = code
        self.message = refused.message
        self.reason = refused.reason
        self.arguments = refused.arguments
    }

    public var description: String { message }

    /// The same code and sentence (the reason and arguments say the sentence again for programs).
    public static func == (lhs: WorkflowError, rhs: WorkflowError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }
}
