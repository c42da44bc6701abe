public import Foundation
import OtklikBase

/// What a production calendar says about one year: which days are not worked and which are.
public struct ProductionCalendarYear: Sendable, Equatable {
    public var year: Int
    /// Where the data comes from (law, decree numbers), for people checking it.
    public var source: String
    /// Non-working public holidays (Labour Code art. 112), whatever weekday they fall on.
    public var holidays: Set<LocalDate>
    /// Weekdays made days off: a holiday on a weekend moved by law, or a day off moved by decree.
    public var daysOff: Set<LocalDate>
    /// Saturdays and Sundays made working days by decree.
    public var workingWeekends: Set<LocalDate>
    /// Working days shortened, by how many minutes (pre-holiday days, art. 95).
    public var shortened: [LocalDate: Int]
    /// Days declared non-working with pay (2020-2021); a schedule setting decides whether they count.
    public var specialNonWorking: Set<LocalDate>
    public var notes: [LocalDate: String]

    public init(
        year: Int, source: String = "", holidays: Set<LocalDate> = [], daysOff: Set<LocalDate> = [],
        workingWeekends: Set<LocalDate> = [], shortened: [LocalDate: Int] = [:], specialNonWorking: Set<LocalDate> = [],
        notes: [LocalDate: String] = [:]
    ) {
        self.year = year
        self.source = source
        self.holidays = holidays
        self.daysOff = daysOff
        self.workingWeekends = workingWeekends
        self.shortened = shortened
        self.specialNonWorking = specialNonWorking
        self.notes = notes
    }

    /// The fixed holidays of art. 112 and nothing else: what is assumed for a year no calendar covers.
    public static func statutory(_ year: Int) -> ProductionCalendarYear {
        let days = (1...8).map { (1, $0) } + [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)]
        return ProductionCalendarYear(
            year: year, source: "Labour Code of the RF art. 112 only: no decree for this year is loaded",
            holidays: Set(days.compactMap { LocalDate(year: year, month: $0.0, day: $0.1) }))
    }

    /// Refuses data that contradicts itself, with a sentence naming the day.
    public func validate() throws(CalendarError) {
        func check(_ dates: some Sequence<LocalDate>, _ what: String) throws(CalendarError) {
            for date in dates where date.year != year {
                throw .invalid("\(what) \(date) is not in \(year)")
            }
        }
        try check(holidays, "holiday")
        try check(daysOff, "day off")
        try check(workingWeekends, "working weekend day")
        try check(shortened.keys, "shortened day")
        try check(specialNonWorking, "special non-working day")
        for date in daysOff where date.isWeekend {
            throw .invalid("day off \(date) is a \(date.weekday.shortName); days_off lists weekdays made days off")
        }
        for date in workingWeekends where !date.isWeekend {
            throw .invalid("working weekend day \(date) is a \(date.weekday.shortName), not a Saturday or Sunday")
        }
        for date in workingWeekends where holidays.contains(date) {
            throw .invalid("\(date) is both a holiday and a working day")
        }
        for (date, minutes) in shortened {
            guard (1...480).contains(minutes) else {
                throw .invalid("shortened day \(date) is shortened by \(minutes) minutes")
            }
            let worked =
                workingWeekends.contains(date)
                || (!date.isWeekend && !holidays.contains(date) && !daysOff.contains(date))
            guard worked else { throw .invalid("shortened day \(date) is not a working day") }
        }
    }
}

/// How one day is worked under a production calendar.
public struct DayPlan: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case working, shortened, dayOff = "day_off", holiday
    }

    public var kind: Kind
    /// Minutes cut from the end of the day (shortened days).
    public var shortenedBy: Int
    /// A weekend day made working: it is worked with the hours of `Schedule.workingWeekendHours`.
    public var isWorkingWeekend: Bool
    /// One of the 2020-2021 paid non-working days.
    public var isSpecialNonWorking: Bool
    public var note: String?

    public var isWorked: Bool { kind == .working || kind == .shortened }
}

/// The production calendar: a year of `ProductionCalendarYear` per covered year. Years it does not
/// cover fall back to the statutory holidays of art. 112 with weekends off.
public struct ProductionCalendar: Sendable, Equatable {
    public private(set) var years: [Int: ProductionCalendarYear]

    public init(years: [ProductionCalendarYear] = []) {
        self.years = Dictionary(years.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
    }

    public var coveredYears: [Int] { years.keys.sorted() }

    /// Adds or replaces a year.
    public mutating func put(_ year: ProductionCalendarYear) {
        years[year.year] = year
    }

    /// How `date` is worked by a schedule that works `workedWeekdays` (Monday to Friday for the
    /// five-day week the calendar is made for). A weekday the schedule does not work is a day off;
    /// a weekend day it does work (a six-day week) is worked unless the calendar takes it off.
    public func plan(
        for date: LocalDate, specialNonWorkingDaysAreWorking: Bool,
        workedWeekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
    ) -> DayPlan {
        let data = years[date.year] ?? ProductionCalendarYear.statutory(date.year)
        let note = data.notes[date]
        if data.workingWeekends.contains(date) {
            let cut = data.shortened[date] ?? 0
            return DayPlan(
                kind: cut > 0 ? .shortened : .working, shortenedBy: cut, isWorkingWeekend: true,
                isSpecialNonWorking: false, note: note)
        }
        if data.holidays.contains(date) {
            return DayPlan(
                kind: .holiday, shortenedBy: 0, isWorkingWeekend: false, isSpecialNonWorking: false, note: note)
        }
        if data.daysOff.contains(date) || !workedWeekdays.contains(date.weekday) {
            return DayPlan(
                kind: .dayOff, shortenedBy: 0, isWorkingWeekend: false, isSpecialNonWorking: false, note: note)
        }
        let special = data.specialNonWorking.contains(date)
        if special, !specialNonWorkingDaysAreWorking {
            return DayPlan(
                kind: .dayOff, shortenedBy: 0, isWorkingWeekend: false, isSpecialNonWorking: true, note: note)
        }
        let cut = data.shortened[date] ?? 0
        return DayPlan(
            kind: cut > 0 ? .shortened : .working, shortenedBy: cut, isWorkingWeekend: false,
            isSpecialNonWorking: special, note: note)
    }
}

public enum CalendarError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let text): text
        }
    }
}

// MARK: JSON

/// The production calendar file (`Resources/production-calendar-ru.json`, and what
/// `otklik calendar import` reads): `{"years": [{"year", "source", "holidays", "days_off",
/// "working_weekends", "shortened": {date: minutes}, "special_non_working", "notes": {date: text}}]}`.
public enum ProductionCalendarFile {
    private struct File: Codable {
        var country: String?
        var description: String?
        var years: [Year]
    }

    private struct Year: Codable {
        var year: Int
        var source: String?
        var holidays: [String]?
        var days_off: [String]?
        var working_weekends: [String]?
        var shortened: [String: Int]?
        var special_non_working: [String]?
        var notes: [String: String]?
    }

    public static func decode(_ data: Data) throws(CalendarError) -> [ProductionCalendarYear] {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw .invalid("not a production calendar file: \(Self.describe(error))")
        }
        var seen: Set<Int> = []
        var result: [ProductionCalendarYear] = []
        for entry in file.years {
            guard Instant.acceptedYears.contains(entry.year) else {
                throw .invalid(
                    "year \(entry.year) is out of range \(Instant.acceptedYears.lowerBound)-\(Instant.acceptedYears.upperBound)"
                )
            }
            guard seen.insert(entry.year).inserted else { throw .invalid("year \(entry.year) appears twice") }
            func dates(_ texts: [String]?) throws(CalendarError) -> Set<LocalDate> {
                var set: Set<LocalDate> = []
                for text in texts ?? [] {
                    guard let date = LocalDate(iso: text) else {
                        throw .invalid("\"\(text)\" is not a date (YYYY-MM-DD)")
                    }
                    set.insert(date)
                }
                return set
            }
            var shortened: [LocalDate: Int] = [:]
            for (text, minutes) in entry.shortened ?? [:] {
                guard let date = LocalDate(iso: text) else { throw .invalid("\"\(text)\" is not a date (YYYY-MM-DD)") }
                shortened[date] = minutes
            }
            var notes: [LocalDate: String] = [:]
            for (text, note) in entry.notes ?? [:] {
                guard let date = LocalDate(iso: text) else { throw .invalid("\"\(text)\" is not a date (YYYY-MM-DD)") }
                notes[date] = note
            }
            let year = ProductionCalendarYear(
                year: entry.year, source: entry.source ?? "", holidays: try dates(entry.holidays),
                daysOff: try dates(entry.days_off),
                workingWeekends: try dates(entry.working_weekends), shortened: shortened,
                specialNonWorking: try dates(entry.special_non_working), notes: notes)
            try year.validate()
            result.append(year)
        }
        guard !result.isEmpty else { throw .invalid("the file holds no year") }
        return result
    }

    public static func encode(_ years: [ProductionCalendarYear]) -> Data {
        let file = File(
            country: "RU", description: nil,
            years: years.sorted { $0.year < $1.year }.map { year in
                Year(
                    year: year.year, source: year.source, holidays: year.holidays.sorted().map(\.iso),
                    days_off: year.daysOff.sorted().map(\.iso),
                    working_weekends: year.workingWeekends.sorted().map(\.iso),
                    shortened: Dictionary(uniqueKeysWithValues: year.shortened.map { ($0.key.iso, $0.value) }),
                    special_non_working: year.specialNonWorking.sorted().map(\.iso),
                    notes: Dictionary(uniqueKeysWithValues: year.notes.map { ($0.key.iso, $0.value) }))
            })
        return JSONText.encode(file, pretty: true)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.keyNotFound(let key, _): "missing key \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "\(error)"  // any other error: as it describes itself
        }
    }
}
