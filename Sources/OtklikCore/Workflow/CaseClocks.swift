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

    func calendar(_ term: RegulationProfile.Term) -> WorkingCalendar { calendars[term.schedule]! }
    var finalDraftCalendar: WorkingCalendar { calendars[profile.finalDraftSchedule]! }
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
        let profile = context.profile
        // A rejected case's clocks stop at the rejection (lateness before it stands); a withdrawn
        // one was registered by mistake: nothing of it is late.
        let caseStop = state.stoppedAt.map { Stop(at: $0, excused: state.status == .withdrawn) }
        if state.status != .rejected || state.routeMet != nil {
            let started = state.routeStartedAt ?? state.detectedAt
            clocks.route = try reading(
                .route, started: started, met: state.routeMet, now: now, calendar: context.calendar(profile.route),
                stop: caseStop
            ) { () throws(CalendarError) in
                try context.calendar(profile.route).add(started, seconds: Int64(profile.route.minutes) * 60)
            }
        }
        for assignment in state.assignments {
            var own: [ClockKind: ClockReading] = [:]
            // A cancelled assignment was a mistake (never late); one closed without an answer stops
            // while paused.
            let stop = caseStop ?? assignment.closedAt.map { Stop(at: $0, excused: assignment.status == .cancelled) }
            let paused = assignment.openPause != nil && assignment.status == .waitingAuthor
            let origin = assignment.startedAt ?? state.detectedAt
            let replyDue = try Self.replyDue(state, assignment, now: now, context: context)
            own[.reply] = try reading(
                .reply, started: origin, met: assignment.replyMet, now: now,
                calendar: context.calendar(profile.reply), paused: paused, stop: stop
            ) { () throws(CalendarError) in replyDue }
            own[.draft] = try reading(
                .draft, started: origin, met: assignment.draftMet, now: now,
                calendar: context.calendar(profile.draftBeforeReply), paused: paused, stop: stop
            ) { () throws(CalendarError) in
                try Self.draftDue(state, replyDue: replyDue, context: context)
            }
            if let published = assignment.intermediatePublishedAt {
                // p.10 and p.16: a clarification after the intermediate reply pauses the final draft's term too.
                own[.finalDraft] = try reading(
                    .finalDraft, started: published, met: assignment.finalDraftMet, now: now,
                    calendar: context.finalDraftCalendar, paused: paused, stop: stop
                ) { () throws(CalendarError) in
                    let calendar = context.finalDraftCalendar
                    let base = try calendar.endOfWorkingDay(
                        after: calendar.localDate(of: published), workingDays: profile.finalDraftWorkingDays)
                    let pausedSeconds = try Self.pausedSeconds(
                        assignment, since: published, now: now, calendar: calendar)
                    return pausedSeconds == 0 ? base : try calendar.add(base, seconds: pausedSeconds)
                }
            }
            var perDraft: [[ClockKind: ClockReading]] = []
            for draft in assignment.drafts {
                var cycle: [ClockKind: ClockReading] = [:]
                cycle[.review] = try reading(
                    .review, started: draft.submittedAt, met: draft.reviewMet, now: now,
                    calendar: context.calendar(profile.review), stop: stop
                ) { () throws(CalendarError) in
                    try context.calendar(profile.review).add(
                        draft.submittedAt, seconds: Int64(profile.review.minutes) * 60)
                }
                if let returned = draft.returnedAt {
                    cycle[.rework] = try reading(
                        .rework, started: returned, met: draft.reworkMet, now: now,
                        calendar: context.calendar(profile.rework), stop: stop
                    ) { () throws(CalendarError) in
                        try context.calendar(profile.rework).add(returned, seconds: Int64(profile.rework.minutes) * 60)
                    }
                }
                if let decided = draft.decidedAt,
                    draft.status == .approved || draft.status == .published || draft.sentBackAt != nil
                {
                    cycle[.publish] = try reading(
                        .publish, started: decided, met: draft.publishMet, now: now,
                        calendar: context.calendar(profile.publish), stop: stop
                    ) { () throws(CalendarError) in
                        try context.calendar(profile.publish).add(decided, seconds: Int64(profile.publish.minutes) * 60)
                    }
                }
                for (kind, value) in cycle { own[kind] = value }
                perDraft.append(cycle)
            }
            clocks.assignments[assignment.index] = own
            clocks.drafts[assignment.index] = perDraft
            if let earlier = assignment.earlierDraftMets, !earlier.isEmpty {
                clocks.earlierDrafts[assignment.index] = try earlier.map { met throws(WorkflowError) in
                    try reading(
                        .draft, started: origin, met: met, now: now,
                        calendar: context.calendar(profile.draftBeforeReply),
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

    /// p.8-p.10: the assignment's start plus the reply term, plus the working time every pause
    /// covered (an open pause counts up to `now`).
    static func replyDue(_ state: CaseState, _ assignment: AssignmentState, now: Instant, context: WorkflowContext)
        throws(WorkflowError) -> Instant
    {
        if let met = assignment.replyMet { return met.due }
        let term = context.profile.reply
        let calendar = context.calendar(term)
        return try wrap { () throws(CalendarError) in
            let paused = try pausedSeconds(assignment, since: nil, now: now, calendar: calendar)
            return try calendar.add(
                assignment.startedAt ?? state.detectedAt,
                seconds: Int64(term.minutes(for: state.importance)) * 60 + paused)
        }
    }

    /// Working seconds the assignment's pauses (those from `since` on) covered, an open one up to `now`.
    static func pausedSeconds(_ assignment: AssignmentState, since: Instant?, now: Instant, calendar: WorkingCalendar)
        throws(CalendarError) -> Int64
    {
        var paused: Int64 = 0
        for pause in assignment.pauses where since.map({ pause.from >= $0 }) ?? true {
            paused += try calendar.workingSeconds(
                from: pause.from,
                to: max(pause.from, min(pause.to ?? now, assignment.closedAt ?? Instant(seconds: .max))))
        }
        return paused
    }

    /// p.11, p.12: the reply's due time minus the draft lead, counted backwards.
    static func draftDue(_ state: CaseState, replyDue: Instant, context: WorkflowContext) throws(CalendarError)
        -> Instant
    {
        let term = context.profile.draftBeforeReply
        return try context.calendar(term).subtract(replyDue, seconds: Int64(term.minutes(for: state.importance)) * 60)
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
