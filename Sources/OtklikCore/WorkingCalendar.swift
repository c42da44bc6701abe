public import Foundation

/// Working-time arithmetic for one schedule under one production calendar, exact to the second.
///
/// Built once per schedule version: every day of the covered years is turned into its working
/// intervals as absolute instants (Unix seconds), with the time zone's offsets (DST included) applied
/// to each boundary, and a running total of working seconds per day. Operations then walk whole
/// intervals, never minute by minute, and `workingTime(from:to:)` is constant-time.
///
/// Conventions (DESIGN section 5, RULES "Working time"):
/// - intervals are half-open, `[start, end)`: 13:00 is not working time under 09:00-13:00;
/// - `add` first moves an instant outside working time to the next working moment; a result that
///   lands exactly on the end of an interval is that end (13:00), not the next start (14:00);
/// - `subtract` is the mirror image: it first moves to the previous working moment, and a result
///   landing exactly on the start of an interval is that start;
/// - terms in working days end at the close of the last working day, counted from the next
///   working day after the given one (Civil Code art. 191, 193).
public final class WorkingCalendar: Sendable {
    public let schedule: Schedule
    public let calendar: ProductionCalendar
    /// The years this calendar can compute in.
    public let years: ClosedRange<Int>

    private let firstDay: Int
    /// Local midnight of each day as Unix seconds; one more than the days, closing the last.
    private let dayStarts: [Int64]
    /// For day `i`, its intervals are `intervalIndex[i]..<intervalIndex[i+1]` in the bounds arrays.
    private let intervalIndex: [Int32]
    private let starts: [Int64]
    private let ends: [Int64]
    /// Working seconds of all days before day `i`.
    private let cumulative: [Int64]

    /// The schedule's time zone.
    public let timeZone: TimeZone

    public init(schedule: Schedule, calendar: ProductionCalendar, years: ClosedRange<Int>? = nil) throws(CalendarError)
    {
        try schedule.validate()
        // Safe to unwrap: `validate()` refused a time zone that does not exist.
        let zone = schedule.timeZone!
        let covered = calendar.coveredYears
        let range = years ?? (min(covered.first ?? 2020, 2020) - 5)...(max(covered.last ?? 2027, 2027) + 10)
        self.schedule = schedule
        self.timeZone = zone
        self.calendar = calendar
        self.years = range

        // Safe to unwrap: January 1 is a date of every year.
        let first = LocalDate(year: range.lowerBound, month: 1, day: 1)!.dayNumber
        // Safe to unwrap: so is December 31.
        let last = LocalDate(year: range.upperBound, month: 12, day: 31)!.dayNumber
        firstDay = first
        let count = last - first + 1
        var dayStarts: [Int64] = []
        var intervalIndex: [Int32] = []
        var starts: [Int64] = []
        var ends: [Int64] = []
        var cumulative: [Int64] = []
        dayStarts.reserveCapacity(count + 1)
        intervalIndex.reserveCapacity(count + 1)
        cumulative.reserveCapacity(count + 1)
        starts.reserveCapacity(count * 2)
        ends.reserveCapacity(count * 2)
        var total: Int64 = 0
        var midnight = Self.instant(day: first, minute: 0, zone: zone)
        for day in first...last {
            let nextMidnight = Self.instant(day: day + 1, minute: 0, zone: zone)
            dayStarts.append(midnight)
            intervalIndex.append(Int32(starts.count))
            cumulative.append(total)
            // Without a change of offset inside the day, one offset serves every boundary.
            let offset = Int64(day) * 86_400 - midnight
            let steady = Int64(day + 1) * 86_400 - nextMidnight == offset
            for interval in schedule.intervals(on: LocalDate(dayNumber: day), calendar: calendar) {
                let start =
                    steady
                    ? Int64(day) * 86_400 + Int64(interval.start) * 60 - offset
                    : Self.instant(day: day, minute: interval.start, zone: zone)
                let end =
                    steady
                    ? Int64(day) * 86_400 + Int64(interval.end) * 60 - offset
                    : Self.instant(day: day, minute: interval.end, zone: zone)
                guard end > start else { continue }
                starts.append(start)
                ends.append(end)
                total += end - start
            }
            midnight = nextMidnight
        }
        dayStarts.append(midnight)
        intervalIndex.append(Int32(starts.count))
        cumulative.append(total)
        self.dayStarts = dayStarts
        self.intervalIndex = intervalIndex
        self.starts = starts
        self.ends = ends
        self.cumulative = cumulative
    }

    private static func instant(day: Int, minute: Int, zone: TimeZone) -> Int64 {
        LocalDate(dayNumber: day).instant(minute: minute, in: zone).seconds
    }

    // MARK: Operations

    /// `instant` plus `seconds` of working time (see the conventions above).
    public func add(_ at: Instant, seconds: Int64) throws(CalendarError) -> Instant {
        guard seconds >= 0 else { return try subtract(at, seconds: -seconds) }
        let instant = at.seconds
        var day = try dayIndex(instant)
        var remaining = seconds
        while day < dayStarts.count - 1 {
            var k = Int(intervalIndex[day])
            let last = Int(intervalIndex[day + 1])
            while k < last {
                let end = ends[k]
                if end > instant {
                    let from = max(starts[k], instant)
                    let available = end - from
                    if remaining <= available { return Instant(seconds: from + remaining) }
                    remaining -= available
                }
                k += 1
            }
            day += 1
        }
        throw outOfRange(instant)
    }

    /// `instant` minus `seconds` of working time (the mirror image of `add`).
    public func subtract(_ at: Instant, seconds: Int64) throws(CalendarError) -> Instant {
        guard seconds >= 0 else { return try add(at, seconds: -seconds) }
        let instant = at.seconds
        var day = try dayIndex(instant)
        var remaining = seconds
        while day >= 0 {
            var k = Int(intervalIndex[day + 1]) - 1
            let first = Int(intervalIndex[day])
            while k >= first {
                let start = starts[k]
                if start < instant {
                    let to = min(ends[k], instant)
                    let available = to - start
                    if remaining <= available { return Instant(seconds: to - remaining) }
                    remaining -= available
                }
                k -= 1
            }
            day -= 1
        }
        throw outOfRange(instant)
    }

    /// Working seconds in `[from, to)`; negative when `to` is before `from`. Either may be `span`'s end.
    public func workingSeconds(from: Instant, to: Instant) throws(CalendarError) -> Int64 {
        if to < from { return -(try workingSeconds(from: to, to: from)) }
        return try workedBefore(to.seconds) - workedBefore(from.seconds)
    }

    /// The working intervals within `[from, to)`, each clipped to it, in order (empty when `to` is not
    /// after `from`; a `to` past the covered years ends the walk there), at most `limit` of them.
    public func intervals(from: Instant, to: Instant, limit: Int = .max) throws(CalendarError)
        -> [(start: Instant, end: Instant)]
    {
        guard to > from else { return [] }
        var day = try dayIndex(from.seconds)
        var found: [(start: Instant, end: Instant)] = []
        while day < dayStarts.count - 1, dayStarts[day] < to.seconds {
            for k in Int(intervalIndex[day])..<Int(intervalIndex[day + 1])
            where ends[k] > from.seconds && starts[k] < to.seconds {
                guard found.count < limit else { return found }
                found.append(
                    (Instant(seconds: max(starts[k], from.seconds)), Instant(seconds: min(ends[k], to.seconds))))
            }
            day += 1
        }
        return found
    }

    /// The instants this calendar computes in: local midnight of the first covered year's first day up
    /// to that after the last year's last day.
    public var span: Range<Instant> {
        // Safe to unwrap: `init` appends a midnight for every day and one closing the last.
        Instant(seconds: dayStarts.first!)..<Instant(seconds: dayStarts.last!)
    }

    /// Whether `instant` is inside a working interval.
    public func isWorkingTime(_ at: Instant) throws(CalendarError) -> Bool {
        let instant = at.seconds
        let day = try dayIndex(instant)
        for k in Int(intervalIndex[day])..<Int(intervalIndex[day + 1]) where starts[k] <= instant && instant < ends[k] {
            return true
        }
        return false
    }

    /// The close of the `workingDays`-th working day counted from the first working day after
    /// `date` (the end of its last interval).
    public func endOfWorkingDay(after date: LocalDate, workingDays: Int) throws(CalendarError) -> Instant {
        guard workingDays >= 1 else { throw .invalid("a term in working days is at least 1 day") }
        var day = date.dayNumber - firstDay + 1
        guard day >= 1 else { throw outOfRange(date) }
        var counted = 0
        while day < dayStarts.count - 1 {
            let first = Int(intervalIndex[day]), last = Int(intervalIndex[day + 1])
            if last > first {
                counted += 1
                if counted == workingDays { return Instant(seconds: ends[last - 1]) }
            }
            day += 1
        }
        throw outOfRange(date)
    }

    /// The local date of `instant` in the schedule's time zone.
    public func localDate(of instant: Instant) throws(CalendarError) -> LocalDate {
        LocalDate(dayNumber: firstDay + (try dayIndex(instant.seconds)))
    }

    /// The UTC offset in seconds at `instant` in the schedule's time zone.
    public func utcOffset(at instant: Instant) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
    }

    /// `instant` as people read it here: ISO 8601 in the schedule's UTC offset at that instant.
    public func text(_ instant: Instant) -> String { instant.iso(offset: utcOffset(at: instant)) }

    /// How `date` is worked: its kind under the calendar and the working minutes of its intervals.
    public func day(_ date: LocalDate) throws(CalendarError) -> (plan: DayPlan, minutes: Int) {
        let index = date.dayNumber - firstDay
        guard index >= 0, index < dayStarts.count - 1 else { throw outOfRange(date) }
        return (schedule.plan(for: date, calendar: calendar), Int((cumulative[index + 1] - cumulative[index]) / 60))
    }

    // MARK: Internals

    /// Working seconds from the start of the table up to `instant` (the span's end included).
    private func workedBefore(_ instant: Int64) throws(CalendarError) -> Int64 {
        if instant == dayStarts[dayStarts.count - 1] { return cumulative[cumulative.count - 1] }
        let day = try dayIndex(instant)
        var total = cumulative[day]
        for k in Int(intervalIndex[day])..<Int(intervalIndex[day + 1]) {
            if instant <= starts[k] { break }
            total += min(ends[k], instant) - starts[k]
        }
        return total
    }

    /// The table day containing `instant` (binary search on local midnights).
    private func dayIndex(_ instant: Int64) throws(CalendarError) -> Int {
        guard instant >= dayStarts[0], instant < dayStarts[dayStarts.count - 1] else { throw outOfRange(instant) }
        var low = 0, high = dayStarts.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if dayStarts[middle] <= instant { low = middle } else { high = middle }
        }
        return low
    }

    private func outOfRange(_ instant: Int64) -> CalendarError {
        let date = Instant(seconds: instant).iso(offset: 0)
        return .invalid(
            "\(date) is outside the years schedule \(schedule.name) computes (\(years.lowerBound)-\(years.upperBound))")
    }

    private func outOfRange(_ date: LocalDate) -> CalendarError {
        .invalid(
            "\(date) is outside the years schedule \(schedule.name) computes (\(years.lowerBound)-\(years.upperBound))")
    }
}

extension LocalDate {
    /// The instant of a local wall-clock time on this day (`minute` after midnight) in `zone`.
    public func instant(minute: Int = 0, in zone: TimeZone) -> Instant {
        let local = Int64(dayNumber) * 86_400 + Int64(minute) * 60
        let first = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local))))
        let guess = local - first
        let second = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess))))
        return Instant(seconds: second == first ? guess : local - second)
    }
}

/// A month as the production calendar prints it: each day's kind and working minutes, and totals.
public struct MonthSummary: Sendable, Equatable {
    public struct Day: Sendable, Equatable {
        public var date: LocalDate
        public var kind: DayPlan.Kind
        public var minutes: Int
        public var note: String?
    }

    public var year: Int
    public var month: Int
    public var days: [Day]

    public var workingDays: Int { days.filter { $0.minutes > 0 }.count }
    public var workingMinutes: Int { days.reduce(0) { $0 + $1.minutes } }
}

extension WorkingCalendar {
    public func month(year: Int, month: Int) throws(CalendarError) -> MonthSummary {
        guard (1...12).contains(month), let first = LocalDate(year: year, month: month, day: 1) else {
            throw .invalid("\(year)-\(month) is not a month")
        }
        var days: [MonthSummary.Day] = []
        for offset in 0..<LocalDate.daysIn(year: year, month: month) {
            let date = first.adding(days: offset)
            let (plan, minutes) = try day(date)
            days.append(MonthSummary.Day(date: date, kind: plan.kind, minutes: minutes, note: plan.note))
        }
        return MonthSummary(year: year, month: month, days: days)
    }
}
