import COtklikProto
import CProtobufC
import OtklikCore
import OtklikRPC

/// `otklik.v1.Calendar`: schedules, the production calendar and deadline arithmetic.
public enum CalendarService {
    public static let service = "otklik.v1.Calendar"
    public static let getSchedule = Method<GetScheduleRequest, ScheduleMessage>(service: service, name: "GetSchedule")
    public static let listSchedules = Method<ListSchedulesRequest, ListSchedulesResponse>(
        service: service, name: "ListSchedules")
    public static let putSchedule = Method<PutScheduleRequest, ScheduleMessage>(service: service, name: "PutSchedule")
    public static let importProductionCalendar = Method<
        ImportProductionCalendarRequest, ImportProductionCalendarResponse
    >(
        service: service, name: "ImportProductionCalendar")
    public static let computeDue = Method<ComputeDueRequest, ComputeDueResponse>(service: service, name: "ComputeDue")
    public static let workingTimeBetween = Method<WorkingTimeBetweenRequest, WorkingTimeBetweenResponse>(
        service: service, name: "WorkingTimeBetween")
    public static let monthSummary = Method<MonthSummaryRequest, MonthSummaryResponse>(
        service: service, name: "MonthSummary")
}

// MARK: Schedule

/// A schedule as the API carries it: the core's `Schedule` and the years its calendar covers.
public struct ScheduleMessage: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.Schedule"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__schedule__descriptor }
    public var schedule: Schedule
    public var calendarYears: [Int]

    public init(schedule: Schedule, calendarYears: [Int] = []) {
        self.schedule = schedule
        self.calendarYears = calendarYears
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__schedule__unpack, free: otklik__v1__schedule__free_unpacked
        ) { message throws(RPCError) in try Self(message.pointee) }
    }

    init(_ m: Otklik__V1__Schedule) throws(RPCError) {
        var week: [Weekday: [WorkingInterval]] = [:]
        let days = try ProtobufC.messages(m.week, count: m.n_week) {
            day throws(RPCError) -> (Weekday, [WorkingInterval]) in
            guard let weekday = Weekday(rawValue: Int(day.weekday)) else {
                throw RPCError(.invalidArgument, "weekday \(day.weekday) is not 1 (Monday) to 7 (Sunday)")
            }
            let intervals = try ProtobufC.messages(day.intervals, count: day.n_intervals) { interval throws(RPCError) in
                WorkingInterval(start: Int(interval.start_minute), end: Int(interval.end_minute))
            }
            return (weekday, intervals)
        }
        for (weekday, intervals) in days { week[weekday, default: []] += intervals }
        guard let weekendHours = Weekday(rawValue: Int(m.working_weekend_hours == 0 ? 1 : m.working_weekend_hours))
        else {
            throw RPCError(.invalidArgument, "working_weekend_hours \(m.working_weekend_hours) is not a weekday 1-7")
        }
        self.init(
            schedule: Schedule(
                name: ProtobufC.string(m.name), version: Int(m.version), timeZoneID: ProtobufC.string(m.time_zone),
                week: week,
                workingWeekendHours: weekendHours,
                specialNonWorkingDaysAreWorking: m.special_non_working_days_are_working != 0),
            calendarYears: ProtobufC.array(m.calendar_years, count: m.n_calendar_years).map(Int.init))
    }

    func cMessage(_ arena: CArena) -> Otklik__V1__Schedule {
        var m = Otklik__V1__Schedule()
        otklik__v1__schedule__init(&m)
        m.name = arena.string(schedule.name)
        m.version = Int64(schedule.version)
        m.time_zone = arena.string(schedule.timeZoneID)
        let days: [Otklik__V1__WeekdayHours] = schedule.week.keys.sorted().map { weekday in
            var day = Otklik__V1__WeekdayHours()
            otklik__v1__weekday_hours__init(&day)
            day.weekday = UInt32(weekday.rawValue)
            let intervals: [Otklik__V1__WorkingInterval] = (schedule.week[weekday] ?? []).sorted().map { interval in
                var i = Otklik__V1__WorkingInterval()
                otklik__v1__working_interval__init(&i)
                i.start_minute = UInt32(interval.start)
                i.end_minute = UInt32(interval.end)
                return i
            }
            day.n_intervals = intervals.count
            day.intervals = arena.boxes(intervals)
            return day
        }
        m.n_week = days.count
        m.week = arena.boxes(days)
        m.working_weekend_hours = UInt32(schedule.workingWeekendHours.rawValue)
        m.special_non_working_days_are_working = schedule.specialNonWorkingDaysAreWorking ? 1 : 0
        m.n_calendar_years = calendarYears.count
        m.calendar_years = arena.array(calendarYears.map(Int32.init))
        return m
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = cMessage(arena)
        return ProtobufC.pack(&m)
    }
}

public struct GetScheduleRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.GetScheduleRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__get_schedule_request__descriptor }
    public var name: String

    public init(name: String = "") { self.name = name }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__get_schedule_request__unpack,
            free: otklik__v1__get_schedule_request__free_unpacked
        ) { m in GetScheduleRequest(name: ProtobufC.string(m.pointee.name)) }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__GetScheduleRequest()
        otklik__v1__get_schedule_request__init(&m)
        m.name = arena.string(name)
        return ProtobufC.pack(&m)
    }
}

public struct ListSchedulesRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.ListSchedulesRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__list_schedules_request__descriptor }
    public init() {}

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__list_schedules_request__unpack,
            free: otklik__v1__list_schedules_request__free_unpacked
        ) { _ in }
    }

    public func serializedBytes() -> [UInt8] {
        var m = Otklik__V1__ListSchedulesRequest()
        otklik__v1__list_schedules_request__init(&m)
        return ProtobufC.pack(&m)
    }
}

public struct ListSchedulesResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.ListSchedulesResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__list_schedules_response__descriptor }
    public var schedules: [ScheduleMessage]

    public init(schedules: [ScheduleMessage]) { self.schedules = schedules }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__list_schedules_response__unpack,
            free: otklik__v1__list_schedules_response__free_unpacked
        ) { m throws(RPCError) in
            ListSchedulesResponse(
                schedules: try ProtobufC.messages(m.pointee.schedules, count: m.pointee.n_schedules) {
                    s throws(RPCError) in try ScheduleMessage(s)
                })
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__ListSchedulesResponse()
        otklik__v1__list_schedules_response__init(&m)
        m.n_schedules = schedules.count
        m.schedules = arena.boxes(schedules.map { $0.cMessage(arena) })
        return ProtobufC.pack(&m)
    }
}

public struct PutScheduleRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.PutScheduleRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__put_schedule_request__descriptor }
    public var schedule: Schedule
    public var expectedVersion: Int

    public init(schedule: Schedule, expectedVersion: Int = 0) {
        self.schedule = schedule
        self.expectedVersion = expectedVersion
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__put_schedule_request__unpack,
            free: otklik__v1__put_schedule_request__free_unpacked
        ) { m throws(RPCError) in
            guard let schedule = m.pointee.schedule else { throw RPCError(.invalidArgument, "schedule is missing") }
            return PutScheduleRequest(
                schedule: try ScheduleMessage(schedule.pointee).schedule,
                expectedVersion: Int(m.pointee.expected_version))
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__PutScheduleRequest()
        otklik__v1__put_schedule_request__init(&m)
        m.schedule = arena.box(ScheduleMessage(schedule: schedule).cMessage(arena))
        m.expected_version = Int64(expectedVersion)
        return ProtobufC.pack(&m)
    }
}

// MARK: Production calendar

public struct ImportProductionCalendarRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.ImportProductionCalendarRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor {
        otklik__v1__import_production_calendar_request__descriptor
    }
    public var years: [ProductionCalendarYear]

    public init(years: [ProductionCalendarYear]) { self.years = years }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__import_production_calendar_request__unpack,
            free: otklik__v1__import_production_calendar_request__free_unpacked
        ) { m throws(RPCError) in
            ImportProductionCalendarRequest(
                years: try ProtobufC.messages(m.pointee.years, count: m.pointee.n_years) {
                    year throws(RPCError) in try Self.year(year)
                })
        }
    }

    private static func year(_ m: Otklik__V1__CalendarYear) throws(RPCError) -> ProductionCalendarYear {
        func date(_ text: String) throws(RPCError) -> LocalDate {
            guard let date = LocalDate(iso: text) else {
                throw RPCError(.invalidArgument, "\"\(text)\" is not a date (YYYY-MM-DD)")
            }
            return date
        }
        func dates(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) throws(RPCError)
            -> Set<LocalDate>
        {
            var set: Set<LocalDate> = []
            for text in ProtobufC.strings(pointer, count: count) { set.insert(try date(text)) }
            return set
        }
        var shortened: [LocalDate: Int] = [:]
        for (text, minutes) in try ProtobufC.messages(
            m.shortened, count: m.n_shortened,
            { s throws(RPCError) in
                (ProtobufC.string(s.date), Int(s.minutes))
            })
        {
            shortened[try date(text)] = minutes
        }
        var notes: [LocalDate: String] = [:]
        for (text, note) in try ProtobufC.messages(
            m.notes, count: m.n_notes,
            { n throws(RPCError) in
                (ProtobufC.string(n.date), ProtobufC.string(n.note))
            })
        {
            notes[try date(text)] = note
        }
        return ProductionCalendarYear(
            year: Int(m.year), source: ProtobufC.string(m.source), holidays: try dates(m.holidays, m.n_holidays),
            daysOff: try dates(m.days_off, m.n_days_off),
            workingWeekends: try dates(m.working_weekends, m.n_working_weekends),
            shortened: shortened, specialNonWorking: try dates(m.special_non_working, m.n_special_non_working),
            notes: notes)
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__ImportProductionCalendarRequest()
        otklik__v1__import_production_calendar_request__init(&m)
        let years: [Otklik__V1__CalendarYear] = self.years.map { year in
            var y = Otklik__V1__CalendarYear()
            otklik__v1__calendar_year__init(&y)
            y.year = Int32(year.year)
            y.source = arena.string(year.source)
            let holidays = year.holidays.sorted().map(\.iso)
            y.n_holidays = holidays.count
            y.holidays = arena.strings(holidays)
            let daysOff = year.daysOff.sorted().map(\.iso)
            y.n_days_off = daysOff.count
            y.days_off = arena.strings(daysOff)
            let weekends = year.workingWeekends.sorted().map(\.iso)
            y.n_working_weekends = weekends.count
            y.working_weekends = arena.strings(weekends)
            let special = year.specialNonWorking.sorted().map(\.iso)
            y.n_special_non_working = special.count
            y.special_non_working = arena.strings(special)
            let shortened: [Otklik__V1__ShortenedDay] = year.shortened.sorted { $0.key < $1.key }.map { date, minutes in
                var s = Otklik__V1__ShortenedDay()
                otklik__v1__shortened_day__init(&s)
                s.date = arena.string(date.iso)
                s.minutes = UInt32(minutes)
                return s
            }
            y.n_shortened = shortened.count
            y.shortened = arena.boxes(shortened)
            let notes: [Otklik__V1__DateNote] = year.notes.sorted { $0.key < $1.key }.map { date, note in
                var n = Otklik__V1__DateNote()
                otklik__v1__date_note__init(&n)
                n.date = arena.string(date.iso)
                n.note = arena.string(note)
                return n
            }
            y.n_notes = notes.count
            y.notes = arena.boxes(notes)
            return y
        }
        m.n_years = years.count
        m.years = arena.boxes(years)
        return ProtobufC.pack(&m)
    }
}

public struct ImportProductionCalendarResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.ImportProductionCalendarResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor {
        otklik__v1__import_production_calendar_response__descriptor
    }
    public var years: [Int]
    public var schedules: [ScheduleMessage]

    public init(years: [Int], schedules: [ScheduleMessage]) {
        self.years = years
        self.schedules = schedules
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__import_production_calendar_response__unpack,
            free: otklik__v1__import_production_calendar_response__free_unpacked
        ) { m throws(RPCError) in
            ImportProductionCalendarResponse(
                years: ProtobufC.array(m.pointee.years, count: m.pointee.n_years).map(Int.init),
                schedules: try ProtobufC.messages(m.pointee.schedules, count: m.pointee.n_schedules) {
                    s throws(RPCError) in
                    try ScheduleMessage(s)
                })
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__ImportProductionCalendarResponse()
        otklik__v1__import_production_calendar_response__init(&m)
        m.n_years = years.count
        m.years = arena.array(years.map(Int32.init))
        m.n_schedules = schedules.count
        m.schedules = arena.boxes(schedules.map { $0.cMessage(arena) })
        return ProtobufC.pack(&m)
    }
}

// MARK: Arithmetic

public struct ComputeDueRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.ComputeDueRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__compute_due_request__descriptor }
    public var from: Int64
    public var term: WorkingDuration
    public var subtract: Bool
    public var schedule: String

    public init(from: Int64, term: WorkingDuration, subtract: Bool = false, schedule: String = "") {
        self.from = from
        self.term = term
        self.subtract = subtract
        self.schedule = schedule
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__compute_due_request__unpack,
            free: otklik__v1__compute_due_request__free_unpacked
        ) { m throws(RPCError) in
            let term: WorkingDuration
            switch m.pointee.term_case {
            case OTKLIK__V1__COMPUTE_DUE_REQUEST__TERM_MINUTES:
                guard m.pointee.minutes >= 0, m.pointee.minutes <= 10_000_000 else {
                    throw RPCError(.invalidArgument, "minutes must be 0 to 10000000")
                }
                term = .minutes(Int(m.pointee.minutes))
            case OTKLIK__V1__COMPUTE_DUE_REQUEST__TERM_WORKING_DAYS:
                guard m.pointee.working_days >= 1, m.pointee.working_days <= 366 else {
                    throw RPCError(.invalidArgument, "working_days must be 1 to 366")
                }
                term = .workingDays(Int(m.pointee.working_days))
            default:
                throw RPCError(.invalidArgument, "give a term: minutes or working_days")
            }
            return ComputeDueRequest(
                from: m.pointee.from_unix, term: term, subtract: m.pointee.subtract != 0,
                schedule: ProtobufC.string(m.pointee.schedule))
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__ComputeDueRequest()
        otklik__v1__compute_due_request__init(&m)
        m.from_unix = from
        switch term {
        case .minutes(let minutes):
            m.term_case = OTKLIK__V1__COMPUTE_DUE_REQUEST__TERM_MINUTES
            m.minutes = Int64(minutes)
        case .workingDays(let days):
            m.term_case = OTKLIK__V1__COMPUTE_DUE_REQUEST__TERM_WORKING_DAYS
            m.working_days = UInt32(days)
        }
        m.subtract = subtract ? 1 : 0
        m.schedule = arena.string(schedule)
        return ProtobufC.pack(&m)
    }
}

public struct ComputeDueResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.ComputeDueResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__compute_due_response__descriptor }
    public var due: Int64
    public var dueText: String
    public var schedule: String
    public var scheduleVersion: Int

    public init(due: Int64, dueText: String, schedule: String, scheduleVersion: Int) {
        self.due = due
        self.dueText = dueText
        self.schedule = schedule
        self.scheduleVersion = scheduleVersion
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__compute_due_response__unpack,
            free: otklik__v1__compute_due_response__free_unpacked
        ) { m in
            ComputeDueResponse(
                due: m.pointee.due_unix, dueText: ProtobufC.string(m.pointee.due),
                schedule: ProtobufC.string(m.pointee.schedule), scheduleVersion: Int(m.pointee.schedule_version))
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__ComputeDueResponse()
        otklik__v1__compute_due_response__init(&m)
        m.due_unix = due
        m.due = arena.string(dueText)
        m.schedule = arena.string(schedule)
        m.schedule_version = Int64(scheduleVersion)
        return ProtobufC.pack(&m)
    }
}

public struct WorkingTimeBetweenRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.WorkingTimeBetweenRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__working_time_between_request__descriptor }
    public var from: Int64
    public var to: Int64
    public var schedule: String

    public init(from: Int64, to: Int64, schedule: String = "") {
        self.from = from
        self.to = to
        self.schedule = schedule
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__working_time_between_request__unpack,
            free: otklik__v1__working_time_between_request__free_unpacked
        ) { m in
            WorkingTimeBetweenRequest(
                from: m.pointee.from_unix, to: m.pointee.to_unix, schedule: ProtobufC.string(m.pointee.schedule))
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__WorkingTimeBetweenRequest()
        otklik__v1__working_time_between_request__init(&m)
        m.from_unix = from
        m.to_unix = to
        m.schedule = arena.string(schedule)
        return ProtobufC.pack(&m)
    }
}

public struct WorkingTimeBetweenResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.WorkingTimeBetweenResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__working_time_between_response__descriptor }
    public var workingSeconds: Int64
    public var schedule: String
    public var scheduleVersion: Int

    /// Whole working minutes (toward zero).
    public var workingMinutes: Int64 { workingSeconds / 60 }

    public init(workingSeconds: Int64, schedule: String, scheduleVersion: Int) {
        self.workingSeconds = workingSeconds
        self.schedule = schedule
        self.scheduleVersion = scheduleVersion
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__working_time_between_response__unpack,
            free: otklik__v1__working_time_between_response__free_unpacked
        ) { m in
            WorkingTimeBetweenResponse(
                workingSeconds: m.pointee.working_seconds, schedule: ProtobufC.string(m.pointee.schedule),
                scheduleVersion: Int(m.pointee.schedule_version))
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__WorkingTimeBetweenResponse()
        otklik__v1__working_time_between_response__init(&m)
        m.working_minutes = workingMinutes
        m.working_seconds = workingSeconds
        m.schedule = arena.string(schedule)
        m.schedule_version = Int64(scheduleVersion)
        return ProtobufC.pack(&m)
    }
}

public struct MonthSummaryRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.MonthSummaryRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__month_summary_request__descriptor }
    public var year: Int
    public var month: Int
    public var schedule: String

    public init(year: Int, month: Int, schedule: String = "") {
        self.year = year
        self.month = month
        self.schedule = schedule
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__month_summary_request__unpack,
            free: otklik__v1__month_summary_request__free_unpacked
        ) { m in
            MonthSummaryRequest(
                year: Int(m.pointee.year), month: Int(m.pointee.month), schedule: ProtobufC.string(m.pointee.schedule))
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__MonthSummaryRequest()
        otklik__v1__month_summary_request__init(&m)
        m.year = Int32(clamping: year)
        m.month = UInt32(clamping: month)
        m.schedule = arena.string(schedule)
        return ProtobufC.pack(&m)
    }
}

public struct MonthSummaryResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.MonthSummaryResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__month_summary_response__descriptor }

    public struct Day: Sendable, Equatable {
        public var date: String
        public var kind: String
        public var minutes: Int
        public var note: String

        public init(date: String, kind: String, minutes: Int, note: String) {
            self.date = date
            self.kind = kind
            self.minutes = minutes
            self.note = note
        }
    }

    public var year: Int
    public var month: Int
    public var days: [Day]
    public var workingDays: Int
    public var workingMinutes: Int
    public var schedule: String
    public var scheduleVersion: Int

    public init(
        year: Int, month: Int, days: [Day], workingDays: Int, workingMinutes: Int, schedule: String,
        scheduleVersion: Int
    ) {
        self.year = year
        self.month = month
        self.days = days
        self.workingDays = workingDays
        self.workingMinutes = workingMinutes
        self.schedule = schedule
        self.scheduleVersion = scheduleVersion
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__month_summary_response__unpack,
            free: otklik__v1__month_summary_response__free_unpacked
        ) { m throws(RPCError) in
            let p = m.pointee
            return MonthSummaryResponse(
                year: Int(p.year), month: Int(p.month),
                days: try ProtobufC.messages(p.days, count: p.n_days) { d throws(RPCError) in
                    Day(
                        date: ProtobufC.string(d.date), kind: ProtobufC.string(d.kind), minutes: Int(d.minutes),
                        note: ProtobufC.string(d.note))
                },
                workingDays: Int(p.working_days), workingMinutes: Int(p.working_minutes),
                schedule: ProtobufC.string(p.schedule),
                scheduleVersion: Int(p.schedule_version))
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var m = Otklik__V1__MonthSummaryResponse()
        otklik__v1__month_summary_response__init(&m)
        m.year = Int32(year)
        m.month = UInt32(month)
        let days: [Otklik__V1__CalendarDay] = self.days.map { day in
            var d = Otklik__V1__CalendarDay()
            otklik__v1__calendar_day__init(&d)
            d.date = arena.string(day.date)
            d.kind = arena.string(day.kind)
            d.minutes = UInt32(day.minutes)
            d.note = arena.string(day.note)
            return d
        }
        m.n_days = days.count
        m.days = arena.boxes(days)
        m.working_days = UInt32(workingDays)
        m.working_minutes = UInt32(workingMinutes)
        m.schedule = arena.string(schedule)
        m.schedule_version = Int64(scheduleVersion)
        return ProtobufC.pack(&m)
    }
}
