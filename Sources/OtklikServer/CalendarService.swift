import Foundation
import OtklikAPI
public import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// The schedules in force, each compiled into a `WorkingCalendar`, swapped whole on every change.
final class CalendarState: Sendable {
    private struct Snapshot {
        var calendars: [String: WorkingCalendar]
        var production: ProductionCalendar
    }

    private let snapshot: Locked<Snapshot>

    init(schedules: [Schedule], production: ProductionCalendar) throws(CalendarError) {
        snapshot = Locked(Snapshot(calendars: try Self.compile(schedules, production), production: production))
    }

    private static func compile(_ schedules: [Schedule], _ production: ProductionCalendar) throws(CalendarError)
        -> [String: WorkingCalendar]
    {
        var calendars: [String: WorkingCalendar] = [:]
        for schedule in schedules {
            calendars[schedule.name] = try WorkingCalendar(schedule: schedule, calendar: production)
        }
        return calendars
    }

    func replace(schedules: [Schedule], production: ProductionCalendar) throws(CalendarError) {
        let compiled = try Self.compile(schedules, production)
        snapshot.withLock { $0 = Snapshot(calendars: compiled, production: production) }
    }

    /// The schedule called `name` (empty: the executor's).
    func calendar(_ name: String) throws(RPCError) -> WorkingCalendar {
        let name = name.isEmpty ? Schedule.executorName : name
        guard let calendar = snapshot.withLock({ $0.calendars[name] }) else {
            let known = snapshot.withLock { $0.calendars.keys.sorted() }.joined(separator: ", ")
            throw RPCError(.notFound, Refusals.Admin.noSchedule(["schedule": name, "schedules": known]))
        }
        return calendar
    }

    var byName: [String: WorkingCalendar] { snapshot.withLock { $0.calendars } }

    var all: [WorkingCalendar] {
        snapshot.withLock { $0.calendars.values.sorted { $0.schedule.name < $1.schedule.name } }
    }
    var production: ProductionCalendar { snapshot.withLock { $0.production } }
}

/// `otklik.v1.Calendar`. Arithmetic answers from memory on the connection's queue; changes are
/// written to the store (with their event) first, then the compiled schedules are swapped.
struct CalendarServiceHandlers: ServiceEnvironmentReader {
    let environment: ServiceEnvironment
    /// Called after a schedule or the calendar changed: due times moved.
    var rulesChanged: @Sendable () -> Void = {}

    func register(in registry: inout ServiceRegistry) {
        registry.unary(CalendarService.getSchedule, placement: .inline) { _, request in
            message(try calendars.calendar(request.name))
        }
        registry.unary(CalendarService.listSchedules, placement: .inline) { _, _ in
            ListSchedulesResponse(schedules: calendars.all.map(message))
        }
        registry.unary(CalendarService.computeDue, placement: .inline) { _, request in try computeDue(request) }
        registry.unary(CalendarService.workingTimeBetween, placement: .inline) { _, request in
            let calendar = try calendars.calendar(request.schedule)
            let seconds = try arithmetic { () throws(CalendarError) in
                try calendar.workingSeconds(
                    from: Instant(seconds: request.fromUnix), to: Instant(seconds: request.toUnix))
            }
            return WorkingTimeBetweenResponse(
                workingMinutes: seconds / 60, workingSeconds: seconds, schedule: calendar.schedule.name,
                scheduleVersion: Int64(calendar.schedule.version))
        }
        registry.unary(CalendarService.monthSummary, placement: .inline) { _, request in
            let calendar = try calendars.calendar(request.schedule)
            let month = try arithmetic { () throws(CalendarError) in
                try calendar.month(year: Int(request.year), month: Int(request.month))
            }
            return MonthSummaryResponse(
                year: Int32(clamping: month.year), month: UInt32(clamping: month.month),
                days: month.days.map {
                    CalendarDay(
                        date: $0.date.iso, kind: Wire.DayKind($0.kind), minutes: UInt32(clamping: $0.minutes),
                        note: $0.note ?? "")
                },
                workingDays: UInt32(clamping: month.workingDays),
                workingMinutes: UInt32(clamping: month.workingMinutes),
                schedule: calendar.schedule.name, scheduleVersion: Int64(calendar.schedule.version))
        }
        registry.unary(CalendarService.listWorkingIntervals, placement: .pool) { _, request in
            try workingIntervals(request)
        }
        registry.unary(CalendarService.putSchedule, placement: .pool) { context, request in
            try putSchedule(request, by: try context.caller.login)
        }
        registry.unary(CalendarService.importProductionCalendar, placement: .pool) { context, request in
            try importCalendar(request, by: try context.caller.login)
        }
    }

    private func message(_ calendar: WorkingCalendar) -> ScheduleView {
        ScheduleView(calendar.schedule, calendarYears: calendar.calendar.coveredYears)
    }

    private func computeDue(_ request: ComputeDueRequest) throws(RPCError) -> ComputeDueResponse {
        let calendar = try calendars.calendar(request.schedule)
        let term = try request.workingTerm()
        let from = Instant(seconds: request.fromUnix)
        let due: Instant = try arithmetic { () throws(CalendarError) in
            switch term {
            case .minutes(let minutes):
                let seconds = Int64(minutes) * 60
                return request.subtract
                    ? try calendar.subtract(from, seconds: seconds)
                    : try calendar.add(from, seconds: seconds)
            case .workingDays(let days):
                guard !request.subtract else { throw .invalid("terms in working days are only counted forward") }
                return try calendar.endOfWorkingDay(after: calendar.localDate(of: from), workingDays: days)
            }
        }
        return ComputeDueResponse(
            dueUnix: due.seconds, due: calendar.text(due),
            schedule: calendar.schedule.name, scheduleVersion: Int64(calendar.schedule.version))
    }

    /// A page of the schedule's working intervals within the request's range clipped to the span the
    /// schedule computes, with the working seconds before it (`limit` is at most 1000 by WireBounds).
    private func workingIntervals(_ request: ListWorkingIntervalsRequest) throws(RPCError)
        -> ListWorkingIntervalsResponse
    {
        let calendar = try calendars.calendar(request.schedule)
        // Within the instants a request may name (WireBounds), so `next_from_unix` and the span's ends
        // can always be asked with.
        let lower = max(calendar.span.lowerBound, Instant.accepted.lowerBound)
        let span = lower..<max(lower, min(calendar.span.upperBound, Instant.accepted.upperBound))
        let from = request.fromUnix == 0 ? span.lowerBound : max(span.lowerBound, Instant(seconds: request.fromUnix))
        let to = request.toUnix == 0 ? span.upperBound : min(span.upperBound, Instant(seconds: request.toUnix))
        let limit = request.limit == 0 ? 1000 : Int(request.limit)
        // One more than the page, to know where the next one starts.
        let found = try arithmetic { () throws(CalendarError) in
            from < to ? try calendar.intervals(from: from, to: to, limit: limit + 1) : []
        }
        let page = found.prefix(limit)
        // Where the page starts (a range that holds none: where it would), within the span.
        let start = max(span.lowerBound, page.first?.start ?? min(from, to))
        let before = try arithmetic { () throws(CalendarError) in
            try calendar.workingSeconds(from: span.lowerBound, to: min(start, span.upperBound))
        }
        return ListWorkingIntervalsResponse(
            intervals: page.map { WorkingSpan(startUnix: $0.start.seconds, endUnix: $0.end.seconds) },
            workedBeforeSeconds: before, nextFromUnix: found.count > limit ? found[limit].start.seconds : 0,
            schedule: calendar.schedule.name, scheduleVersion: Int64(calendar.schedule.version),
            spanFromUnix: span.lowerBound.seconds, spanToUnix: span.upperBound.seconds)
    }

    private func putSchedule(_ request: PutScheduleRequest, by login: String) throws(RPCError) -> ScheduleView {
        guard let wire = request.schedule else {
            throw RPCError(.invalidArgument, Refusals.Admin.noScheduleInRequest())
        }
        let schedule = try wire.domain()
        do {
            try schedule.validate()
        } catch {
            throw RPCError(.invalidArgument, Refusals.Admin.scheduleInvalid(["detail": error.description]))
        }
        let stored: Schedule
        do {
            stored = try store.putSchedule(
                schedule, expectedVersion: Int(request.expectedVersion), actor: login, now: clock.now)
        } catch {
            switch error {
            case .stale(let current):
                throw RPCError(
                    .aborted,
                    current.map {
                        Refusals.Admin.scheduleVersionConflict([
                            "schedule": schedule.name, "current": String($0),
                            "expected": String(request.expectedVersion),
                        ])
                    } ?? Refusals.Admin.scheduleMissing(["schedule": schedule.name]))
            case .store(let failure):
                logger.error("PutSchedule: \(failure)")
                throw failure.rpc("the schedule could not be stored", dataDirectory: store.directory)
            }
        }
        try reload()
        logger.info("schedule \(stored.name) is now version \(stored.version) (by \(login))")
        return message(try calendars.calendar(stored.name))
    }

    private func importCalendar(_ request: ImportProductionCalendarRequest, by login: String) throws(RPCError)
        -> ImportProductionCalendarResponse
    {
        guard !request.years.isEmpty else { throw RPCError(.invalidArgument, Refusals.Admin.noYearInRequest()) }
        guard Set(request.years.map(\.year)).count == request.years.count else {
            throw RPCError(.invalidArgument, Refusals.Admin.yearTwice())
        }
        var years: [ProductionCalendarYear] = []
        for wire in request.years { years.append(try wire.domain()) }
        for year in years {
            do {
                try year.validate()
            } catch {
                throw RPCError(
                    .invalidArgument,
                    Refusals.Admin.calendarYearInvalid(["year": String(year.year), "detail": error.description]))
            }
        }
        do {
            try store.importCalendar(years, actor: login, now: clock.now)
        } catch {
            logger.error("ImportProductionCalendar: \(error)")
            throw error.rpc("the calendar could not be stored", dataDirectory: store.directory)
        }
        try reload()
        logger.info("production calendar years \(years.map(\.year).sorted()) imported by \(login)")
        return ImportProductionCalendarResponse(
            years: years.map { Int32(clamping: $0.year) }.sorted(), schedules: calendars.all.map(message))
    }

    /// Re-reads schedules and calendar from the store and swaps the compiled schedules.
    func reload() throws(RPCError) {
        do {
            let loaded = try store.loadCalendar()
            try calendars.replace(schedules: loaded.schedules, production: loaded.calendar)
            rulesChanged()
        } catch {
            logger.error("reloading schedules: \(error)")
            throw RPCError(.internal, Refusals.Requests.failed(["detail": "schedules could not be reloaded"]))
        }
    }

    private func arithmetic<T>(_ body: () throws(CalendarError) -> T) throws(RPCError) -> T {
        do {
            return try body()
        } catch {
            throw RPCError(.invalidArgument, Refusals.Admin.calendarArithmetic(["detail": error.description]))
        }
    }
}

/// The production calendar that ships with the daemon (Resources/production-calendar-ru.json).
enum ShippedCalendar {
    static func load() throws -> [ProductionCalendarYear] {
        guard let url = Bundle.module.url(forResource: "production-calendar-ru", withExtension: "json") else {
            throw CalendarError.invalid("the shipped production calendar is missing from the daemon's resources")
        }
        return try ProductionCalendarFile.decode(try Data(contentsOf: url))
    }
}

/// The regulation profile that ships with the daemon (Resources/profile-borovichi-34-rg.json).
public enum RegulationProfileFile {
    public static func load() throws -> RegulationProfile {
        guard let url = Bundle.module.url(forResource: "profile-borovichi-34-rg", withExtension: "json") else {
            throw CalendarError.invalid("the regulation profile is missing from the daemon's resources")
        }
        return try RegulationProfile.decode(try Data(contentsOf: url))
    }
}
