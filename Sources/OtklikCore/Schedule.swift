public import Foundation

/// A span of working time inside a day, in minutes from local midnight: `start..<end`.
public struct WorkingInterval: Sendable, Equatable, Hashable, Comparable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// `09:00-13:00`.
    public init?(text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let start = Self.minute(parts[0]), let end = Self.minute(parts[1]), start < end else {
            return nil
        }
        self.init(start: start, end: end)
    }

    public var text: String { "\(Self.clock(start))-\(Self.clock(end))" }
    public var minutes: Int { end - start }

    public static func < (lhs: WorkingInterval, rhs: WorkingInterval) -> Bool { lhs.start < rhs.start }

    static func minute(_ text: some StringProtocol) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
            let minute = Int(parts[1]),
            (0...24).contains(hour), (0...59).contains(minute), hour * 60 + minute <= 1440
        else { return nil }
        return hour * 60 + minute
    }

    static func clock(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return "\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }
}

/// Whose working hours a term is counted in, and which days are worked: a time zone, the hours of
/// each weekday (several intervals for a lunch break), and the production calendar's days off,
/// working weekends and shortened days. Two exist from the start: `curator` and `executor` (p.5, p.8).
public struct Schedule: Sendable, Equatable {
    public var name: String
    /// Bumped on every change of the schedule or of the calendar it uses; answers carry it so a
    /// client knows which rules a due time was computed under.
    public var version: Int
    /// IANA name, e.g. `Europe/Moscow`.
    public var timeZoneID: String
    /// Working intervals per weekday, sorted, not overlapping; a weekday without any is not worked.
    public var week: [Weekday: [WorkingInterval]]
    /// A weekend day made working by decree is worked with this weekday's hours.
    public var workingWeekendHours: Weekday
    /// Whether the 2020-2021 paid non-working days count as working time (they did for the
    /// official working-time norms).
    public var specialNonWorkingDaysAreWorking: Bool

    public init(
        name: String, version: Int = 1, timeZoneID: String = "Europe/Moscow",
        week: [Weekday: [WorkingInterval]] = Schedule.officeWeek, workingWeekendHours: Weekday = .monday,
        specialNonWorkingDaysAreWorking: Bool = true
    ) {
        self.name = name
        self.version = version
        self.timeZoneID = timeZoneID
        self.week = week
        self.workingWeekendHours = workingWeekendHours
        self.specialNonWorkingDaysAreWorking = specialNonWorkingDaysAreWorking
    }

    /// Monday to Friday 09:00-13:00 and 14:00-18:00.
    public static let officeWeek: [Weekday: [WorkingInterval]] = Dictionary(
        uniqueKeysWithValues: [Weekday.monday, .tuesday, .wednesday, .thursday, .friday].map {
            ($0, [WorkingInterval(start: 9 * 60, end: 13 * 60), WorkingInterval(start: 14 * 60, end: 18 * 60)])
        })

    public static let curatorName = "curator"
    public static let executorName = "executor"

    /// The two schedules every installation starts with.
    public static var defaults: [Schedule] {
        [Schedule(name: curatorName), Schedule(name: executorName)]
    }

    public var timeZone: TimeZone? { TimeZone(identifier: timeZoneID) }

    /// Refuses a schedule that cannot be worked with, with a sentence saying why.
    public func validate() throws(CalendarError) {
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        else {
            throw .invalid("schedule name \"\(name)\" must be 1-64 letters, digits, '-' or '_'")
        }
        guard timeZone != nil else { throw .invalid("\"\(timeZoneID)\" is not an IANA time zone (e.g. Europe/Moscow)") }
        for (day, intervals) in week {
            var previousEnd = -1
            for interval in intervals.sorted() {
                guard interval.start >= 0, interval.end <= 1440, interval.start < interval.end else {
                    throw .invalid("\(day.shortName): interval \(interval.text) is not inside one day")
                }
                guard interval.start >= previousEnd else {
                    throw .invalid("\(day.shortName): intervals overlap at \(interval.text)")
                }
                previousEnd = interval.end
            }
        }
        guard week.values.contains(where: { !$0.isEmpty }) else {
            throw .invalid("the schedule has no working hours at all")
        }
    }

    /// The weekdays this schedule has hours for.
    public var workedWeekdays: Set<Weekday> { Set(week.filter { !$0.value.isEmpty }.keys) }

    /// How `date` is worked under `calendar` by this schedule.
    public func plan(for date: LocalDate, calendar: ProductionCalendar) -> DayPlan {
        calendar.plan(
            for: date, specialNonWorkingDaysAreWorking: specialNonWorkingDaysAreWorking, workedWeekdays: workedWeekdays)
    }

    /// The intervals worked on `date` under `calendar`, after shortening.
    public func intervals(on date: LocalDate, calendar: ProductionCalendar) -> [WorkingInterval] {
        let plan = self.plan(for: date, calendar: calendar)
        guard plan.isWorked else { return [] }
        var intervals = (week[plan.isWorkingWeekend ? workingWeekendHours : date.weekday] ?? []).sorted()
        // A shortened day ends earlier: cut from the end, across a lunch break if need be.
        var cut = plan.shortenedBy
        while cut > 0, let last = intervals.last {
            if last.minutes > cut {
                intervals[intervals.count - 1].end -= cut
                cut = 0
            } else {
                cut -= last.minutes
                intervals.removeLast()
            }
        }
        return intervals
    }
}
