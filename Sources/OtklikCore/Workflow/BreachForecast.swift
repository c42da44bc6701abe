/// Why an open assignment will likely breach before anyone acts on it (issue 31): who can act on it
/// in its remaining term, from the unit's active executors, their absences and deputies (p.6) and the
/// unit's schedule, against the work waiting in the unit.
public enum RiskReason: String, Sendable, Codable, CaseIterable {
    /// Nobody who can write the unit's drafts is at work before the due (and not back by it).
    case nobodyPresent = "nobody_present"
    /// The unit's working time left before the due is less than the work waiting ahead of it (the
    /// unit's assignments due no later, each taking the unit's usual work time to a draft).
    case behind
}

/// One reason an assignment is at risk, with the figures that make it.
public struct Risk: Sendable, Equatable {
    public var reason: RiskReason
    /// `nobodyPresent`: when someone who can act is next at work (nil: not within the horizon).
    public var nextPresent: Instant?
    /// `behind`: the unit's open assignments due no later than this one (itself included).
    public var waiting: Int = 0
    /// `behind`: the unit's usual working minutes of work to a draft.
    public var paceMinutes: Int = 0
    /// `behind`: the unit's working minutes left before the due.
    public var remainingMinutes: Int = 0
    /// `behind`: the people who can act before the due.
    public var present: Int = 0

    public init(reason: RiskReason, nextPresent: Instant? = nil) {
        self.reason = reason
        self.nextPresent = nextPresent
    }
}

/// The forecast of one open assignment whose next step is the executor's.
public struct AssignmentForecast: Sendable, Equatable {
    public var caseID: String
    public var index: Int
    public var unit: String
    /// Who answers for the assignment (p.21), when taken or given.
    public var responsible: String?
    public var step: StepKind
    /// The clock the step runs under (the draft's, the rework's, the final draft's; else the reply's).
    public var clock: ClockKind
    /// That clock's instance, as the scheduler keys its notices.
    public var clockKey: ClockKey
    public var due: Instant
    public var overdue: Bool
    /// Empty: not at risk.
    public var risks: [Risk]
    /// Who of the unit (or standing in for one of it) is at work before the due, earliest first.
    public var canAct: [String]
    /// The units holding a live assignment of the case (none of them can take this one over).
    public var caseUnits: [String]
    /// Whether it may still go to another unit: not once a draft of it was approved or published.
    public var reroutable: Bool = true
    /// At risk and reroutable: the units that could meet its due instead (`unitsThatCould`).
    public var could: [String] = []

    public var atRisk: Bool { !risks.isEmpty }
    public var assignmentID: String { AssignmentID(caseID: caseID, index: index).description }
}

/// Who can write a unit's drafts and when they are at work, read once per forecast: the members of
/// each unit, and the absences that overlap the forecast's window, by login.
public struct Staffing: Sendable {
    public let directory: Directory
    private let members: [String: [StaffMember]]
    private let away: [String: [Absence]]
    private let from: Instant
    private let until: Instant

    /// How far after a due `BreachForecast` looks for someone coming back: 60 days.
    public static let horizonSeconds: Int64 = 60 * 86_400

    /// The directory as of a forecast whose instants lie within `[from, until)`: absences outside it
    /// are left out, so the work does not grow with the directory's history of absences.
    public init(directory: Directory, from: Instant, until: Instant) {
        self.directory = directory
        self.from = from
        self.until = until
        var members: [String: [StaffMember]] = [:]
        for member in directory.staff.values where member.active && member.roles.contains(.executor) {
            members[member.unit, default: []].append(member)
        }
        self.members = members.mapValues { $0.sorted { $0.login < $1.login } }
        var away: [String: [Absence]] = [:]
        for absence in directory.absences where absence.to > from && absence.from < until {
            away[absence.login, default: []].append(absence)
        }
        self.away = away
    }

    /// The unit's own people who write its drafts: active staff of the unit with the executor's role
    /// (only executors submit drafts, p.11).
    public func members(of unit: String) -> [StaffMember] { members[unit] ?? [] }

    /// Whether the unit has anyone at all to write its drafts.
    public func hasMembers(_ unit: String) -> Bool { !(members[unit] ?? []).isEmpty }

    /// Each person who can act on the unit's assignments within `[from, to)` with the first instant
    /// they can, earliest first: a member at work and not away, or the deputy of an away member while
    /// the absence runs and the deputy is not away themselves, of the same side (p.6; a curator never
    /// stands in for an executor). Working time is `calendar`'s (the unit's schedule). Outside the
    /// window given at `init` absences are not known: ask within it.
    public func present(
        unit: String, calendar: WorkingCalendar, from: Instant, to: Instant
    ) throws(CalendarError) -> [(login: String, at: Instant)] {
        let intervals = try calendar.intervals(from: from, to: to)
        var first: [String: Instant] = [:]
        func note(_ login: String, _ at: Instant) {
            if let known = first[login], known <= at { return }
            first[login] = at
        }
        for member in members(of: unit) {
            if let at = firstFree(member.login, in: intervals) { note(member.login, at) }
            for absence in away[member.login] ?? [] where !absence.deputy.isEmpty {
                guard let deputy = directory.staff[absence.deputy], deputy.active,
                    Party.parties(of: deputy.roles).union(Party.parties(of: member.roles)).count <= 1
                else { continue }
                let covered = intervals.compactMap { interval -> (start: Instant, end: Instant)? in
                    let start = max(interval.start, absence.from), end = min(interval.end, absence.to)
                    return start < end ? (start, end) : nil
                }
                if let at = firstFree(deputy.login, in: covered) { note(deputy.login, at) }
            }
        }
        return first.map { ($0.key, $0.value) }.sorted { ($0.at, $0.login) < ($1.at, $1.login) }
    }

    /// The first instant within `intervals` when `login` is not away.
    private func firstFree(_ login: String, in intervals: [(start: Instant, end: Instant)]) -> Instant? {
        let away = self.away[login] ?? []
        for interval in intervals {
            var at = interval.start
            var moved = true
            while moved, at < interval.end {
                moved = false
                for absence in away where absence.covers(at) {
                    at = absence.to
                    moved = true
                }
            }
            if at < interval.end { return at }
        }
        return nil
    }
}

public enum BreachForecast {
    /// A unit's work time to a draft counts once it has this many samples.
    public static let minimumPaceSamples = 5

    /// The unit's usual work time to a draft, in working minutes: the lower quartile of `samples`
    /// (an assignment's start, its first draft) in `calendar`'s working time. The elapsed time to a
    /// draft holds the wait in the unit's queue too; the quicker quarter of drafts is the estimate of
    /// the work itself, so that a queue is not counted twice. Nil with fewer than `minimumPaceSamples`.
    public static func pace(_ samples: [(started: Instant, drafted: Instant)], calendar: WorkingCalendar) -> Int? {
        let minutes = samples.compactMap { sample -> Int64? in
            guard sample.drafted >= sample.started else { return nil }
            return (try? calendar.workingSeconds(from: sample.started, to: sample.drafted)).map { $0 / 60 }
        }.sorted()
        guard minutes.count >= minimumPaceSamples else { return nil }
        return Int(minutes[(minutes.count - 1) / 4])
    }

    /// The executor's step of `assignment` and the clock it runs under, with that clock's key, when
    /// the step is the executor's and a clock of it runs: the earliest running one of the draft, the
    /// rework and the final draft, else the reply's.
    public static func executorStep(_ state: CaseState, _ index: Int, clocks: CaseClocks)
        -> (step: StepKind, clock: ClockReading, key: ClockKey)?
    {
        guard let assignment = state.assignment(index) else { return nil }
        let step: StepKind
        switch assignment.status {
        case .drafting: step = assignment.drafts.last?.status == .returned ? .rework : .draft
        case .awaitingFinal: step = .finalDraft
        case .inReview, .approved, .waitingAuthor, .done, .cancelled, .noAnswer: return nil
        }
        func running(_ reading: ClockReading?, _ key: ClockKey) -> (ClockReading, ClockKey)? {
            guard let reading, reading.metAt == nil, reading.state == .open || reading.state == .breached else {
                return nil
            }
            return (reading, key)
        }
        let cycles = clocks.drafts[index] ?? []
        let own = [
            running(clocks.assignments[index]?[.draft], ClockKey(.draft, assignment: index)),
            running(cycles.last?[.rework], ClockKey(.rework, assignment: index, cycle: cycles.count)),
            running(clocks.assignments[index]?[.finalDraft], ClockKey(.finalDraft, assignment: index)),
        ].compactMap { $0 }
        guard
            let (clock, key) = own.min(by: { $0.0.due < $1.0.due })
                ?? running(clocks.assignments[index]?[.reply], ClockKey(.reply, assignment: index))
        else { return nil }
        return (step, clock, key)
    }

    /// The forecast of every open executor step among `states` at `now`: for each, who can act before
    /// its due, and its risks. `calendar(unit)` is the unit's working calendar; `pace(unit)` its usual
    /// work minutes to a draft (nil: not known yet, no `behind` risk). Ordered by due, then assignment.
    /// A step with no working time left before its due whose unit is back at work at the due is left
    /// to the breach: nobody could have acted, and nobody is missing.
    public static func forecast(
        _ states: [CaseState], now: Instant, context: WorkflowContext, staffing: Staffing,
        calendar: (String) -> WorkingCalendar, pace: (String) -> Int?
    ) -> [AssignmentForecast] {
        var items: [AssignmentForecast] = []
        for state in states where state.status == .routed {
            guard let clocks = try? CaseClocks.read(state, now: now, context: context) else { continue }
            let live = state.assignments.filter(\.isLive).map(\.executor)
            for assignment in state.assignments {
                guard let (step, clock, key) = executorStep(state, assignment.index, clocks: clocks) else { continue }
                items.append(
                    AssignmentForecast(
                        caseID: state.id, index: assignment.index, unit: assignment.executor,
                        responsible: assignment.responsible, step: step, clock: clock.kind, clockKey: key,
                        due: clock.due, overdue: clock.due <= now, risks: [], canAct: [], caseUnits: live,
                        reroutable: !assignment.drafts.contains { $0.status == .approved || $0.status == .published }))
            }
        }
        items.sort { ($0.due, $0.caseID, $0.index) < ($1.due, $1.caseID, $1.index) }
        // Each unit's people from now to its latest due, once: present before a due is present from now
        // with a first instant before it.
        var latest: [String: Instant] = [:]
        for item in items { latest[item.unit] = max(latest[item.unit] ?? item.due, item.due) }
        var people: [String: [(login: String, at: Instant)]] = [:]
        for (unit, until) in latest {
            people[unit] = (try? staffing.present(unit: unit, calendar: calendar(unit), from: now, to: until)) ?? []
        }
        var backAt: [String: Instant?] = [:]
        // Each unit's dues in order: the work waiting ahead of a step is every step of its unit due no
        // later, itself and those of the same due included.
        var dues: [String: [Instant]] = [:]
        for item in items { dues[item.unit, default: []].append(item.due) }
        for position in items.indices {
            let unit = items[position].unit
            guard !items[position].overdue else { continue }
            let unitCalendar = calendar(unit)
            let due = items[position].due
            let present = (people[unit] ?? []).filter { $0.at < due }
            items[position].canAct = present.map(\.login)
            let remaining = (try? unitCalendar.workingSeconds(from: now, to: due)) ?? 0
            if present.isEmpty {
                let key = "\(unit)|\(due.seconds)"
                if backAt[key] == nil {
                    backAt[key] =
                        (try? staffing.present(
                            unit: unit, calendar: unitCalendar, from: due, to: due + Staffing.horizonSeconds))?.first?
                        .at
                }
                let back = backAt[key] ?? nil
                if remaining > 0 || back != due {
                    items[position].risks.append(Risk(reason: .nobodyPresent, nextPresent: back))
                }
                continue
            }
            if let pace = pace(unit), pace > 0 {
                let queued = Self.countNoLater(dues[unit] ?? [], due)
                if !fits(pace: pace, queued: queued, present: present.count, remaining: remaining) {
                    var risk = Risk(reason: .behind)
                    risk.waiting = queued
                    risk.paceMinutes = pace
                    risk.remainingMinutes = Int(remaining / 60)
                    risk.present = present.count
                    items[position].risks.append(risk)
                }
            }
        }
        return items
    }

    /// Whether `queued` steps of `pace` working minutes of work each, shared among `present` people,
    /// fit in `remaining` working seconds: the `behind` rule, for a unit's own step and for a unit that
    /// could take one over.
    static func fits(pace: Int, queued: Int, present: Int, remaining: Int64) -> Bool {
        remaining >= Int64(pace) * 60 * Int64(queued) / Int64(max(present, 1))
    }

    /// How many of `sorted` are at or before `due`.
    static func countNoLater(_ sorted: [Instant], _ due: Instant) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= due { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Fills `could` of each reroutable step at risk in `items` (a whole forecast): the units of
    /// `candidates` not holding an assignment of its case, with an executor who can act before its
    /// due, and not behind themselves with it added to their queue. Each candidate's people and
    /// dues are worked out once, so this grows with the steps at risk times the candidates.
    public static func fillCould(
        _ items: inout [AssignmentForecast], candidates: [String], now: Instant, staffing: Staffing,
        calendar: (String) -> WorkingCalendar, pace: (String) -> Int?
    ) {
        let risky = items.indices.filter { items[$0].atRisk && items[$0].reroutable && !items[$0].overdue }
        guard let latest = risky.map({ items[$0].due }).max() else { return }
        var dues: [String: [Instant]] = [:]
        for item in items { dues[item.unit, default: []].append(item.due) }
        var people: [String: [Instant]] = [:]
        for unit in candidates {
            people[unit] =
                ((try? staffing.present(unit: unit, calendar: calendar(unit), from: now, to: latest)) ?? []).map(\.at)
        }
        for position in risky {
            let item = items[position]
            items[position].could = candidates.filter { other in
                guard !item.caseUnits.contains(other) else { return false }
                let present = (people[other] ?? []).filter { $0 < item.due }.count
                guard present > 0 else { return false }
                guard let pace = pace(other), pace > 0 else { return true }
                let queued = countNoLater(dues[other] ?? [], item.due) + 1
                let remaining = (try? calendar(other).workingSeconds(from: now, to: item.due)) ?? 0
                return fits(pace: pace, queued: queued, present: present, remaining: remaining)
            }
        }
    }
}
