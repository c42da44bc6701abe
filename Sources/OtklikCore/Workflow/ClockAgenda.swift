/// One clock instance of a case, as the scheduler keys its notices: the route clock, an assignment's
/// own clock (`reply/1`), one review cycle's clock (`review/1/2`: assignment 1, draft 2), or an
/// assignment's clarification limit (`no_answer/1/3`: assignment 1, pause 3). `description` is the key
/// as stored in `clock_notices`; `init?(_:)` reads it back.
public struct ClockKey: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public enum Kind: Sendable, Hashable {
        case clock(ClockKind)
        /// The profile's clarification limit: not a clock of the regulation, a step the system takes.
        case noAnswer
    }

    public var kind: Kind
    /// The assignment, for every clock but the route's.
    public var assignment: Int?
    /// The draft (review cycle) or the pause it belongs to, counted from 1.
    public var cycle: Int?

    public init(_ kind: ClockKind, assignment: Int? = nil, cycle: Int? = nil) {
        self.kind = .clock(kind)
        self.assignment = assignment
        self.cycle = cycle
    }

    public static func noAnswer(assignment: Int, pause: Int) -> ClockKey {
        var key = ClockKey(.reply, assignment: assignment, cycle: pause)
        key.kind = .noAnswer
        return key
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count) else { return nil }
        if parts[0] == "no_answer" {
            kind = .noAnswer
        } else if let clock = ClockKind(rawValue: parts[0]) {
            kind = .clock(clock)
        } else {
            return nil
        }
        assignment = parts.count > 1 ? Int(parts[1]) : nil
        cycle = parts.count > 2 ? Int(parts[2]) : nil
        guard (parts.count > 1) == (assignment != nil), (parts.count > 2) == (cycle != nil) else { return nil }
    }

    public var description: String {
        let name =
            switch kind {
            case .clock(let clock): clock.rawValue
            case .noAnswer: "no_answer"
            }
        return ([name] + [assignment, cycle].compactMap { $0.map(String.init) }).joined(separator: "/")
    }

    public static func < (lhs: ClockKey, rhs: ClockKey) -> Bool { lhs.description < rhs.description }

    /// Stored as its text (`reply/1/2`), as notices' payloads have always carried it.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = ClockKey(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a clock key: \(text)"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A notice the scheduler acted on, as `clock_notices` keeps it: the clock instance and the notice
/// (`breach`, `warning:50%`, `no_answer`). Each is acted on once.
public struct RecordedNotice: Sendable, Hashable {
    public var clock: ClockKey
    public var notice: ClockAgenda.Notice

    public init(clock: ClockKey, notice: ClockAgenda.Notice) {
        self.clock = clock
        self.notice = notice
    }

    /// The notice as `clock_notices.notice` keeps it: `breach`, `warning:50%`, `no_answer`.
    public var noticeText: String {
        switch notice {
        case .breach: "breach"
        case .warning(let label): "warning:\(label)"
        case .closeWithoutAnswer: "no_answer"
        case .atRisk: "at_risk"
        }
    }

    /// A row of `clock_notices` (`clock.description`, `noticeText`); nil for one this build cannot read (written by a newer version: its
    /// clock is not one of ours, so no item of ours matches it either).
    public init?(clockKey: String, notice text: String) {
        guard let clock = ClockKey(clockKey) else { return nil }
        let notice: ClockAgenda.Notice
        switch text {
        case "breach": notice = .breach
        case "no_answer": notice = .closeWithoutAnswer
        case let text where text.hasPrefix("warning:"): notice = .warning(String(text.dropFirst("warning:".count)))
        case "at_risk": notice = .atRisk
        default: return nil  // any other text: not a notice
        }
        self.init(clock: clock, notice: notice)
    }
}

/// The moments a scheduler must act on for one case: each open clock's warning points and its due
/// time (DESIGN section 4: warnings at fractions of the working time and minutes before due, never
/// outside the recipient's working hours; a breach at the due time).
public struct ClockAgenda: Sendable, Equatable {
    public enum Notice: Sendable, Equatable, Hashable {
        /// A warning point: "50%", "80%", "15m".
        case warning(String)
        case breach
        /// The profile's `clarification_limit` passed without the author's answer: the assignment
        /// closes as `no_answer` (not a clock notice; a step the system takes).
        case closeWithoutAnswer
        /// Issue 31: the breach forecast's notice for the clock instance (once, whatever its due).
        case atRisk
    }

    public struct Item: Sendable, Equatable {
        /// Unique per clock instance within its case: `route`, `reply/1`, `review/1/2` (assignment 1, draft 2).
        public var clockKey: ClockKey
        public var kind: ClockKind
        public var assignment: Int?
        public var due: Instant
        public var schedule: String
        public var notice: Notice
        /// When to act: the due time for a breach; for a warning its point moved into the
        /// recipient's working hours.
        public var fireAt: Instant

        /// The party whose step the clock waits on, whom its warnings and breach are for
        /// (`ClockSpec.party`): a clock of both parties' steps goes to the party holding the
        /// assignment's step now (the curator while the draft is under review or approved).
        public func party(in state: CaseState) -> Role {
            switch kind.spec.party {
            case .curator: return .curator
            case .executor: return .executor
            case .stepHolder:
                return WorkQueue.pending(state).first { $0.assignment != nil && $0.assignment == assignment }?.role
                    ?? .executor
            }
        }

        /// What is recorded once the notice is acted on (`clock_notices`).
        public var recorded: RecordedNotice { RecordedNotice(clock: clockKey, notice: notice) }

        /// `breach` or `warning:50%`: what is recorded once per clock instance.
        public var noticeKey: String { recorded.noticeText }
    }

    /// Every warning and breach still to come (or missed) for the open, unpaused clocks of `state`.
    public static func items(_ state: CaseState, now: Instant, context: WorkflowContext) throws(WorkflowError) -> [Item]
    {
        try items(state, clocks: CaseClocks.read(state, now: now, context: context), now: now, context: context)
    }

    /// A warning point passed more than this long ago was missed (the daemon was down), not merely
    /// reached by a timer a moment late.
    public static let missedAfterSeconds: Int64 = 60

    /// `items` from the case's clocks already read at `now`. A warning point missed (passed more than
    /// `missedAfterSeconds` ago: the daemon was down) is moved to the next working moment of its
    /// schedule from `now`: what fell due over a weekend is shown on Monday morning, not at a
    /// Saturday start.
    static func items(_ state: CaseState, clocks: CaseClocks, now: Instant, context: WorkflowContext)
        throws(WorkflowError) -> [Item]
    {
        var readings: [(ClockKey, Int?, ClockReading)] = []
        if let route = clocks.route { readings.append((ClockKey(.route), nil, route)) }
        for (index, own) in clocks.assignments {
            for kind in ClockKind.of(.assignment) {
                if let reading = own[kind] { readings.append((ClockKey(kind, assignment: index), index, reading)) }
            }
            for (position, cycle) in (clocks.drafts[index] ?? []).enumerated() {
                for (kind, reading) in cycle {
                    readings.append((ClockKey(kind, assignment: index, cycle: position + 1), index, reading))
                }
            }
        }
        var items: [Item] = []
        for (key, assignment, reading) in readings where reading.isRunning && reading.state != .paused {
            guard let calendar = context.calendars[reading.schedule] else { continue }
            items.append(
                Item(
                    clockKey: key, kind: reading.kind, assignment: assignment, due: reading.due,
                    schedule: reading.schedule,
                    notice: .breach, fireAt: reading.due))
            for (label, planned) in try warningPoints(
                start: reading.startedAt, due: reading.due, calendar: calendar, profile: context.profile)
            {
                let point =
                    planned.seconds < now.seconds - Self.missedAfterSeconds
                    ? try CaseClocks.wrap { () throws(CalendarError) in try deliverable(now, calendar) } : planned
                items.append(
                    Item(
                        clockKey: key, kind: reading.kind, assignment: assignment, due: reading.due,
                        schedule: reading.schedule,
                        notice: .warning(label), fireAt: point))
            }
        }
        // The regulation is silent on an author who never answers; a profile may close such an
        // assignment after a limit of working time from the clarification's publication.
        if let limit = context.profile.clarificationLimit, let calendar = context.calendars[limit.schedule],
            state.stoppedAt == nil
        {
            for assignment in state.assignments where assignment.status == .waitingAuthor {
                guard let pause = assignment.openPause else { continue }
                let at = try CaseClocks.wrap { () throws(CalendarError) in
                    try calendar.add(pause.from, seconds: Int64(limit.minutes) * 60)
                }
                items.append(
                    Item(
                        clockKey: .noAnswer(assignment: assignment.index, pause: assignment.pauses.count), kind: .reply,
                        assignment: assignment.index,
                        due: at, schedule: limit.schedule, notice: .closeWithoutAnswer, fireAt: at))
            }
        }
        return items.sorted { ($0.fireAt, $0.clockKey, $0.noticeKey) < ($1.fireAt, $1.clockKey, $1.noticeKey) }
    }

    /// The warning points of a clock running from `start` to `due`, each moved to the next working
    /// moment of the recipient's schedule when it falls outside working time.
    static func warningPoints(start: Instant, due: Instant, calendar: WorkingCalendar, profile: RegulationProfile)
        throws(WorkflowError) -> [(String, Instant)]
    {
        try CaseClocks.wrap { () throws(CalendarError) in
            let total = max(0, try calendar.workingSeconds(from: start, to: due))
            var points: [(String, Instant)] = []
            for fraction in profile.warningFractions {
                let at = try calendar.add(start, seconds: Int64((Double(total) * fraction).rounded()))
                points.append(("\(Int((fraction * 100).rounded()))%", try deliverable(at, calendar)))
            }
            for minutes in profile.warningMinutesBeforeDue where Int64(minutes) * 60 < total {
                let at = try calendar.subtract(due, seconds: Int64(minutes) * 60)
                points.append(("\(minutes)m", try deliverable(at, calendar)))
            }
            return points.filter { $0.1 < due }
        }
    }

    /// `instant` if it is working time, else the next working moment (a warning is never shown at night).
    private static func deliverable(_ instant: Instant, _ calendar: WorkingCalendar) throws(CalendarError) -> Instant {
        try calendar.isWorkingTime(instant) ? instant : calendar.add(instant, seconds: 0)
    }
}

/// What the store indexes of a case's clocks, so lists of due cases and the scheduler read only the
/// rows they need (`cases.next_due`, `cases.next_fire`). Computed when the case's projection is
/// written, with the profile and schedules then in force; a change of either re-indexes every open case.
public struct ClockIndex: Sendable, Equatable {
    /// The earliest due instant of the case's running clocks. A paused clock counts with its due as of
    /// the computation, which only moves later while the pause lasts: a lower bound, so a list that
    /// reads cases with `next_due < X` misses none (it checks each candidate exactly).
    public var nextDue: Instant?
    /// The earliest moment the scheduler must act on: a warning, a breach or the clarification limit
    /// not yet recorded. A warning whose clock is already past due is left out (the breach says it).
    public var nextFire: Instant?

    public init(nextDue: Instant?, nextFire: Instant?) {
        self.nextDue = nextDue
        self.nextFire = nextFire
    }

    /// A closed case: nothing to wait for.
    public static let none = ClockIndex(nextDue: nil, nextFire: nil)

    /// The index of `state` at `now`, leaving out the notices already recorded.
    /// Clocks that cannot be computed (a schedule without the year's calendar) keep the case in every
    /// due list (`nextDue` its detection, before any due) and out of the scheduler, as before the index.
    public static func of(_ state: CaseState, recorded: Set<RecordedNotice>, now: Instant, context: WorkflowContext)
        -> ClockIndex
    {
        guard state.status == .new || state.status == .routed else { return .none }
        guard let clocks = try? CaseClocks.read(state, now: now, context: context),
            let items = try? ClockAgenda.items(state, clocks: clocks, now: now, context: context)
        else {
            return ClockIndex(nextDue: state.detectedAt, nextFire: nil)
        }
        let nextDue = clocks.running.map(\.due).min()
        let nextFire =
            items.filter { item in
                guard !recorded.contains(item.recorded) else { return false }
                if case .warning = item.notice { return item.due > now }
                return true
            }.map(\.fireAt).min()
        return ClockIndex(nextDue: nextDue, nextFire: nextFire)
    }

    /// A conservative index for a writer without the workflow's context (data tools, tests): an open
    /// case is a candidate of every due list and is due for the scheduler's look at once.
    public static func unknown(_ state: CaseState) -> ClockIndex {
        guard state.status == .new || state.status == .routed else { return .none }
        return ClockIndex(nextDue: state.detectedAt, nextFire: state.detectedAt)
    }
}

extension CaseClocks {
    /// Every clock still running (neither met nor stopped), paused ones included.
    public var running: [ClockReading] {
        var all = [route].compactMap { $0 }
        for own in assignments.values { all += own.values }
        for cycles in drafts.values { all += cycles.flatMap(\.values) }
        return all.filter(\.isRunning)
    }
}
