/// The profile and the compiled schedules the workflow counts in.
public struct WorkflowContext: Sendable {
    public let profile: RegulationProfile
    public let calendars: [String: WorkingCalendar]

    public init(profile: RegulationProfile, calendars: [String: WorkingCalendar]) throws(WorkflowError) {
        for name in profile.scheduleNames where calendars[name] == nil {
            throw WorkflowError(.failedPrecondition, "the profile counts in schedule \"\(name)\", which does not exist")
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
    public var startedAt: Int64
    public var due: Int64
    public var state: ClockState
    public var metAt: Int64?
    /// Working seconds past due: when met late, or so far when still open past due.
    public var lateSeconds: Int64
    public var schedule: String

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

    /// No clocks (a case shown while its clocks cannot be computed).
    public static let none = CaseClocks(route: nil, assignments: [:], drafts: [:])

    public static func read(_ state: CaseState, now: Int64, context: WorkflowContext) throws(WorkflowError) -> CaseClocks {
        var clocks = CaseClocks(route: nil, assignments: [:], drafts: [:])
        let profile = context.profile
        if state.status != .rejected || state.routeMet != nil {
            clocks.route = try reading(
                .route, started: state.detectedAt, met: state.routeMet, now: now, calendar: context.calendar(profile.route)
            ) { () throws(CalendarError) in try context.calendar(profile.route).add(state.detectedAt, seconds: Int64(profile.route.minutes) * 60) }
        }
        for assignment in state.assignments {
            var own: [ClockKind: ClockReading] = [:]
            let paused = assignment.openPause != nil
            let replyDue = try Self.replyDue(state, assignment, now: now, context: context)
            own[.reply] = try reading(.reply, started: state.detectedAt, met: assignment.replyMet, now: now,
                                      calendar: context.calendar(profile.reply), paused: paused) { () throws(CalendarError) in replyDue }
            own[.draft] = try reading(.draft, started: state.detectedAt, met: assignment.draftMet, now: now,
                                      calendar: context.calendar(profile.draftBeforeReply), paused: paused) { () throws(CalendarError) in
                try Self.draftDue(state, replyDue: replyDue, context: context)
            }
            if let published = assignment.intermediatePublishedAt {
                own[.finalDraft] = try reading(.finalDraft, started: published, met: assignment.finalDraftMet, now: now,
                                               calendar: context.finalDraftCalendar) { () throws(CalendarError) in
                    let calendar = context.finalDraftCalendar
                    return try calendar.endOfWorkingDay(after: calendar.localDate(of: published), workingDays: profile.finalDraftWorkingDays)
                }
            }
            var perDraft: [[ClockKind: ClockReading]] = []
            for draft in assignment.drafts {
                var cycle: [ClockKind: ClockReading] = [:]
                cycle[.review] = try reading(.review, started: draft.submittedAt, met: draft.reviewMet, now: now,
                                             calendar: context.calendar(profile.review)) { () throws(CalendarError) in
                    try context.calendar(profile.review).add(draft.submittedAt, seconds: Int64(profile.review.minutes) * 60)
                }
                if let decided = draft.decidedAt, draft.status == .returned {
                    cycle[.rework] = try reading(.rework, started: decided, met: draft.reworkMet, now: now,
                                                 calendar: context.calendar(profile.rework)) { () throws(CalendarError) in
                        try context.calendar(profile.rework).add(decided, seconds: Int64(profile.rework.minutes) * 60)
                    }
                }
                if let decided = draft.decidedAt, draft.status == .approved || draft.status == .published {
                    cycle[.publish] = try reading(.publish, started: decided, met: draft.publishMet, now: now,
                                                  calendar: context.calendar(profile.publish)) { () throws(CalendarError) in
                        try context.calendar(profile.publish).add(decided, seconds: Int64(profile.publish.minutes) * 60)
                    }
                }
                for (kind, value) in cycle { own[kind] = value }
                perDraft.append(cycle)
            }
            clocks.assignments[assignment.index] = own
            clocks.drafts[assignment.index] = perDraft
        }
        return clocks
    }

    /// p.8-p.10: detection plus the reply term, plus the working time every pause covered (an open
    /// pause counts up to `now`).
    static func replyDue(_ state: CaseState, _ assignment: AssignmentState, now: Int64, context: WorkflowContext) throws(WorkflowError) -> Int64 {
        if let met = assignment.replyMet { return met.due }
        let term = context.profile.reply
        let calendar = context.calendar(term)
        return try wrap { () throws(CalendarError) in
            var paused: Int64 = 0
            for pause in assignment.pauses {
                paused += try calendar.workingSeconds(from: pause.from, to: max(pause.from, pause.to ?? now))
            }
            return try calendar.add(state.detectedAt, seconds: Int64(term.minutes(for: state.importance)) * 60 + paused)
        }
    }

    /// p.11, p.12: the reply's due time minus the draft lead, counted backwards.
    static func draftDue(_ state: CaseState, replyDue: Int64, context: WorkflowContext) throws(CalendarError) -> Int64 {
        let term = context.profile.draftBeforeReply
        return try context.calendar(term).subtract(replyDue, seconds: Int64(term.minutes(for: state.importance)) * 60)
    }

    private static func reading(
        _ kind: ClockKind, started: Int64, met: MetRecord?, now: Int64, calendar: WorkingCalendar, paused: Bool = false,
        due openDue: () throws(CalendarError) -> Int64
    ) throws(WorkflowError) -> ClockReading {
        try wrap { () throws(CalendarError) in
            if let met {
                let late = max(0, try calendar.workingSeconds(from: met.due, to: met.at))
                return ClockReading(kind: kind, startedAt: started, due: met.due, state: met.at > met.due ? .breached : .met,
                                    metAt: met.at, lateSeconds: late, schedule: calendar.schedule.name)
            }
            let due = try openDue()
            // At its due time an open clock is breached: the scheduler records the breach at that instant.
            let late = now > due ? try calendar.workingSeconds(from: due, to: now) : 0
            let state: ClockState = paused ? .paused : now >= due ? .breached : .open
            return ClockReading(kind: kind, startedAt: started, due: due, state: state, metAt: nil, lateSeconds: paused ? 0 : late,
                                schedule: calendar.schedule.name)
        }
    }

    static func wrap<T>(_ body: () throws(CalendarError) -> T) throws(WorkflowError) -> T {
        do {
            return try body()
        } catch {
            throw WorkflowError(.invalidArgument, error.description)
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
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
