public import OtklikCore
public import OtklikRPC

// Conversions between the calendar's wire messages and the domain types of OtklikCore, shared by the
// daemon's handlers and the CLI. A conversion from the wire checks what the domain type needs and
// throws INVALID_ARGUMENT with a sentence; the generated codecs themselves check nothing.

extension ScheduleView {
    /// The wire form of `schedule`, with the years the production calendar covers (answers only).
    public init(_ schedule: Schedule, calendarYears: [Int] = []) {
        self.init(
            name: schedule.name, version: Int64(schedule.version), timeZone: schedule.timeZoneID,
            week: schedule.week.keys.sorted().map { weekday in
                WeekdayHours(
                    weekday: UInt32(weekday.rawValue),
                    intervals: (schedule.week[weekday] ?? []).sorted().map {
                        WorkingIntervalView(startMinute: UInt32($0.start), endMinute: UInt32($0.end))
                    })
            },
            workingWeekendHours: UInt32(schedule.workingWeekendHours.rawValue),
            specialNonWorkingDaysAreWorking: schedule.specialNonWorkingDaysAreWorking,
            calendarYears: calendarYears.map { Int32(clamping: $0) })
    }

    /// The domain schedule this message describes (not yet validated: `Schedule.validate` does that).
    public func domain() throws(RPCError) -> Schedule {
        var days: [Weekday: [WorkingInterval]] = [:]
        for day in week {
            guard let weekday = Weekday(rawValue: Int(day.weekday)) else {
                throw RPCError(.invalidArgument, Refusals.Admin.weekday(["value": String(day.weekday)]))
            }
            days[weekday, default: []] += day.intervals.map {
                WorkingInterval(start: Int($0.startMinute), end: Int($0.endMinute))
            }
        }
        guard let weekendHours = Weekday(rawValue: Int(workingWeekendHours == 0 ? 1 : workingWeekendHours)) else {
            throw RPCError(.invalidArgument, Refusals.Admin.weekday(["value": String(workingWeekendHours)]))
        }
        return Schedule(
            name: name, version: Int(version), timeZoneID: timeZone, week: days,
            workingWeekendHours: weekendHours, specialNonWorkingDaysAreWorking: specialNonWorkingDaysAreWorking)
    }
}

extension CalendarYear {
    /// The wire form of a production calendar year, every list sorted.
    public init(_ year: ProductionCalendarYear) {
        self.init(
            year: Int32(clamping: year.year), source: year.source,
            holidays: year.holidays.sorted().map(\.iso),
            daysOff: year.daysOff.sorted().map(\.iso),
            workingWeekends: year.workingWeekends.sorted().map(\.iso),
            shortened: year.shortened.sorted { $0.key < $1.key }.map {
                ShortenedDay(date: $0.key.iso, minutes: UInt32(clamping: $0.value))
            },
            specialNonWorking: year.specialNonWorking.sorted().map(\.iso),
            notes: year.notes.sorted { $0.key < $1.key }.map { DateNote(date: $0.key.iso, note: $0.value) })
    }

    /// The domain year this message describes (not yet validated: `ProductionCalendarYear.validate` does that).
    public func domain() throws(RPCError) -> ProductionCalendarYear {
        func date(_ text: String) throws(RPCError) -> LocalDate {
            guard let date = LocalDate(iso: text) else {
                throw RPCError(.invalidArgument, Refusals.Admin.notADate(["text": text]))
            }
            return date
        }
        func dates(_ texts: [String]) throws(RPCError) -> Set<LocalDate> {
            var set: Set<LocalDate> = []
            for text in texts { set.insert(try date(text)) }
            return set
        }
        var shortenedDays: [LocalDate: Int] = [:]
        for day in shortened { shortenedDays[try date(day.date)] = Int(day.minutes) }
        var dateNotes: [LocalDate: String] = [:]
        for note in notes { dateNotes[try date(note.date)] = note.note }
        return ProductionCalendarYear(
            year: Int(self.year), source: source, holidays: try dates(holidays), daysOff: try dates(daysOff),
            workingWeekends: try dates(workingWeekends), shortened: shortenedDays,
            specialNonWorking: try dates(specialNonWorking), notes: dateNotes)
    }
}

extension ComputeDueRequest {
    public init(from: Instant, term: WorkingDuration, subtract: Bool = false, schedule: String = "") {
        let wire: Term
        switch term {
        case .minutes(let minutes): wire = .minutes(Int64(minutes))
        case .workingDays(let days): wire = .workingDays(UInt32(clamping: days))
        }
        self.init(fromUnix: from.seconds, subtract: subtract, schedule: schedule, term: wire)
    }

    /// The term asked for: 0 to 10,000,000 working minutes, or 1 to 366 working days.
    public func workingTerm() throws(RPCError) -> WorkingDuration {
        switch term {
        case .minutes(let minutes):
            guard minutes >= 0, minutes <= 10_000_000 else {
                throw RPCError(.invalidArgument, Refusals.Admin.termMinutes())
            }
            return .minutes(Int(minutes))
        case .workingDays(let days):
            guard days >= 1, days <= 366 else { throw RPCError(.invalidArgument, Refusals.Admin.termDays()) }
            return .workingDays(Int(days))
        case nil:
            throw RPCError(.invalidArgument, Refusals.Admin.termRequired())
        }
    }
}

extension Instant {
    /// A `*_unix` field of the contract: 0 means "not given".
    public init?(unix seconds: Int64) {
        guard seconds != 0 else { return nil }
        self.init(seconds: seconds)
    }
}
