import Foundation
import OtklikCore
import Testing

/// Adding and subtracting working time: the edge cases a deadline must get right.
@Suite struct WorkingTimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rule: String
        let from: String
        let add: Int64
        let due: String
        var testDescription: String { rule }
    }

    static let additions: [Case] = [
        Case(
            rule: "the issue's example: Friday 16:30 before the May holidays (shortened day) + 4h",
            from: "2026-05-08T16:30:00+03:00", add: 4 * hour, due: "2026-05-12T12:30:00+03:00"),
        Case(
            rule: "Friday 17:50 + 30m carries over the weekend", from: "2026-05-15T17:50:00+03:00", add: 30 * minute,
            due: "2026-05-18T09:20:00+03:00"),
        Case(
            rule: "the lunch break is not working time", from: "2026-05-14T12:45:00+03:00", add: 30 * minute,
            due: "2026-05-14T14:15:00+03:00"),
        Case(
            rule: "a result landing on the end of an interval is that end", from: "2026-05-14T12:30:00+03:00",
            add: 30 * minute, due: "2026-05-14T13:00:00+03:00"),
        Case(
            rule: "an instant in the lunch break starts at 14:00", from: "2026-05-14T13:20:00+03:00", add: 30 * minute,
            due: "2026-05-14T14:30:00+03:00"),
        Case(
            rule: "a shortened pre-holiday day ends at 17:00", from: "2024-02-22T16:30:00+03:00", add: hour,
            due: "2024-02-26T09:30:00+03:00"),
        Case(
            rule: "New Year 2025/2026: 31 December moved off, holidays to 11 January",
            from: "2025-12-30T17:00:00+03:00",
            add: 8 * hour, due: "2026-01-12T17:00:00+03:00"),
        Case(
            rule: "New Year 2024/2025: 30 and 31 December moved off", from: "2024-12-28T17:00:00+03:00", add: 2 * hour,
            due: "2025-01-09T10:00:00+03:00"),
        Case(
            rule: "a working Saturday (27 April 2024) is worked with Monday's hours", from: "2024-04-26T17:00:00+03:00",
            add: 2 * hour, due: "2024-04-27T10:00:00+03:00"),
        Case(
            rule: "a moved day off (29-30 April 2024) is skipped", from: "2024-04-27T17:30:00+03:00", add: hour,
            due: "2024-05-02T09:30:00+03:00"),
        Case(
            rule: "a shortened working Saturday (1 November 2025) ends at 17:00", from: "2025-11-01T16:00:00+03:00",
            add: 2 * hour, due: "2025-11-05T10:00:00+03:00"),
        Case(
            rule: "a term starting on a holiday starts at the next working morning", from: "2026-01-03T10:00:00+03:00",
            add: 30 * minute, due: "2026-01-12T09:30:00+03:00"),
        Case(
            rule: "a term starting at night starts at 09:00", from: "2026-05-13T23:10:00+03:00", add: 30 * minute,
            due: "2026-05-14T09:30:00+03:00"),
        Case(
            rule: "input in another offset is the same instant", from: "2026-05-15T14:50:00Z", add: 30 * minute,
            due: "2026-05-18T09:20:00+03:00"),
        Case(
            rule: "zero working time moves to the next working moment", from: "2026-05-16T12:00:00+03:00", add: 0,
            due: "2026-05-18T09:00:00+03:00"),
        Case(
            rule: "p.8 reply: 8 working hours from a Thursday afternoon", from: "2026-05-14T15:10:00+03:00",
            add: 8 * hour,
            due: "2026-05-15T15:10:00+03:00"),
    ]

    @Test(arguments: additions)
    func addition(_ c: Case) throws {
        #expect(show(try moscow.add(at(c.from), seconds: c.add)) == c.due)
        // The working time between is the duration added.
        #expect(try moscow.workingSeconds(from: at(c.from), to: moscow.add(at(c.from), seconds: c.add)) == c.add)
    }

    static let subtractions: [Case] = [
        Case(
            rule: "subtract across a weekend", from: "2026-05-18T10:00:00+03:00", add: 4 * hour,
            due: "2026-05-15T15:00:00+03:00"),
        Case(
            rule: "p.11 draft: reply due minus 4 working hours across the lunch break",
            from: "2026-05-15T15:10:00+03:00",
            add: 4 * hour, due: "2026-05-15T10:10:00+03:00"),
        Case(
            rule: "a result landing on the start of an interval is that start", from: "2026-05-14T15:00:00+03:00",
            add: hour, due: "2026-05-14T14:00:00+03:00"),
        Case(
            rule: "an instant in the night first moves back to the evening", from: "2026-05-14T07:00:00+03:00",
            add: 30 * minute, due: "2026-05-13T17:30:00+03:00"),
        Case(
            rule: "subtract across the May holidays and a shortened day", from: "2026-05-12T09:30:00+03:00",
            add: hour, due: "2026-05-08T16:30:00+03:00"),
    ]

    @Test(arguments: subtractions)
    func subtraction(_ c: Case) throws {
        #expect(show(try moscow.subtract(at(c.from), seconds: c.add)) == c.due)
    }

    @Test func workingTimeIsHalfOpenIntervals() throws {
        #expect(try moscow.isWorkingTime(at("2026-05-14T09:00:00+03:00")))
        #expect(try moscow.isWorkingTime(at("2026-05-14T12:59:59+03:00")))
        #expect(try !moscow.isWorkingTime(at("2026-05-14T13:00:00+03:00")))
        #expect(try moscow.isWorkingTime(at("2026-05-14T14:00:00+03:00")))
        #expect(try !moscow.isWorkingTime(at("2026-05-14T18:00:00+03:00")))
        #expect(try !moscow.isWorkingTime(at("2026-05-09T10:00:00+03:00")))  // Victory Day
        #expect(try !moscow.isWorkingTime(at("2026-05-08T17:30:00+03:00")))  // shortened day
    }

    @Test func workingTimeBetweenCountsOnlyWorkingIntervals() throws {
        #expect(
            try moscow.workingSeconds(from: at("2026-05-14T12:00:00+03:00"), to: at("2026-05-14T15:00:00+03:00")) == 2
                * hour)
        #expect(
            try moscow.workingSeconds(from: at("2026-05-08T00:00:00+03:00"), to: at("2026-05-12T00:00:00+03:00")) == 7
                * hour)
        #expect(
            try moscow.workingSeconds(from: at("2026-05-14T15:00:00+03:00"), to: at("2026-05-14T12:00:00+03:00")) == -2
                * hour)
        #expect(
            try moscow.workingSeconds(from: at("2026-05-14T10:00:00+03:00"), to: at("2026-05-14T10:00:00+03:00")) == 0)
    }

    @Test func p16_finalDraftIsDueAtTheCloseOfTheSeventhWorkingDay() throws {
        // Intermediate reply published on Thursday 7 May 2026: day 1 is Friday 8 May (shortened),
        // then 12, 13, 14, 15, 18 and 19 May.
        #expect(
            show(try moscow.endOfWorkingDay(after: LocalDate(iso: "2026-05-07")!, workingDays: 7))
                == "2026-05-19T18:00:00+03:00")
        // Counted from the next working day even when published on a day off.
        #expect(
            show(try moscow.endOfWorkingDay(after: LocalDate(iso: "2026-05-09")!, workingDays: 1))
                == "2026-05-12T18:00:00+03:00")
        // A last day that is shortened closes at 17:00.
        #expect(
            show(try moscow.endOfWorkingDay(after: LocalDate(iso: "2026-05-07")!, workingDays: 1))
                == "2026-05-08T17:00:00+03:00")
        #expect(throws: CalendarError.self) {
            try moscow.endOfWorkingDay(after: LocalDate(iso: "2026-05-07")!, workingDays: 0)
        }
    }

    @Test func aZoneWithDaylightSavingKeepsWallClockHours() throws {
        let berlin = try WorkingCalendar(
            schedule: Schedule(name: "berlin", timeZoneID: "Europe/Berlin"), calendar: ProductionCalendar())
        // Clocks go forward on Sunday 29 March 2026: Friday is +01:00, Monday +02:00.
        let due = try berlin.add(at("2026-03-27T17:00:00+01:00"), seconds: 2 * hour)
        #expect(show(due, berlin) == "2026-03-30T10:00:00+02:00")
        #expect(try berlin.workingSeconds(from: at("2026-03-27T17:00:00+01:00"), to: due) == 2 * hour)
        // Back on Sunday 25 October 2026.
        #expect(
            show(try berlin.add(at("2026-10-23T17:30:00+02:00"), seconds: hour), berlin) == "2026-10-26T09:30:00+01:00")
        // Moscow has no DST: the same Friday 17:00 local is always +03:00.
        #expect(show(try moscow.add(at("2026-03-27T17:00:00+03:00"), seconds: 2 * hour)) == "2026-03-30T10:00:00+03:00")
    }

    @Test func paidNonWorkingDaysOf2020CountAsWorkingUnlessTheScheduleSaysNot() throws {
        #expect(try moscow.isWorkingTime(at("2020-04-15T10:00:00+03:00")))
        let strict = try WorkingCalendar(
            schedule: Schedule(name: "strict", specialNonWorkingDaysAreWorking: false), calendar: shippedCalendar)
        #expect(try !strict.isWorkingTime(at("2020-04-15T10:00:00+03:00")))
        #expect(try strict.day(LocalDate(iso: "2020-04-15")!).plan.isSpecialNonWorking)
    }

    @Test func aYearWithoutDecreeFallsBackToTheStatutoryHolidays() throws {
        #expect(try moscow.day(LocalDate(iso: "2030-01-03")!).plan.kind == .holiday)
        #expect(try moscow.day(LocalDate(iso: "2030-01-09")!).plan.kind == .working)
    }

    @Test func instantsOutsideTheComputedYearsAreRefused() {
        #expect(throws: CalendarError.self) { try moscow.add(at("1990-01-01T10:00:00+03:00"), seconds: hour) }
    }
}

@Suite struct WorkingTimePropertyTests {
    static let start = at("2020-01-01T00:00:00+03:00")
    static let end = at("2027-12-20T00:00:00+03:00")

    @Test func betweenUndoesAddAndSubtractUndoesAddAndAllIsMonotonic() throws {
        var random = SeededRandom(seed: 20_261_129)
        for _ in 0..<20_000 {
            let t = Instant(seconds: Int64.random(in: Self.start.seconds..<Self.end.seconds, using: &random))
            let d = Int64.random(in: 1...(7 * 8 * 60), using: &random) * minute
            let due = try moscow.add(t, seconds: d)
            #expect(try moscow.workingSeconds(from: t, to: due) == d, "between(\(t), add(\(t), \(d)))")
            #expect(try moscow.subtract(due, seconds: d) == moscow.add(t, seconds: 0), "subtract(add(\(t), \(d)))")
            let shorter = Int64.random(in: 0...d, using: &random)
            #expect(try moscow.add(t, seconds: shorter) <= due)
            let later = t + Int64.random(in: 0...(3 * 86_400), using: &random)
            #expect(try moscow.add(later, seconds: d) >= due)
        }
    }

    @Test func subtractIsTheMirrorOfAdd() throws {
        var random = SeededRandom(seed: 7)
        for _ in 0..<10_000 {
            let t = Instant(seconds: Int64.random(in: Self.start.seconds..<Self.end.seconds, using: &random))
            let d = Int64.random(in: 1...(7 * 8 * 60), using: &random) * minute
            let earlier = try moscow.subtract(t, seconds: d)
            #expect(try moscow.workingSeconds(from: earlier, to: t) == d)
            #expect(earlier <= t)
        }
    }
}

/// An instant's ISO 8601 text, written byte by byte, is the text the plain formula gives, for any
/// instant and offset (clamped ones included).
@Suite struct InstantTextTests {
    /// The formula as it was written before the text was built byte by byte.
    static func formula(_ seconds: Int64, offset: Int) -> String {
        let offset = max(-86_399, min(86_399, offset))
        let (date, secondOfDay) = Instant(seconds: seconds).local(offset: offset)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        let zone = offset == 0 ? "Z" : "\(sign)\(two(magnitude / 3600)):\(two(magnitude % 3600 / 60))"
        return "\(date.iso)T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))\(zone)"
    }

    @Test func theTextIsTheFormulas() {
        #expect(Instant(seconds: 1_796_112_000).iso(offset: 10_800) == "2026-12-01T11:00:00+03:00")
        #expect(Instant(seconds: 0).iso(offset: 0) == "1970-01-01T00:00:00Z")
        #expect(Instant(seconds: 1_796_112_000).iso(offset: -16_200) == "2026-12-01T03:30:00-04:30")
        var random = SeededRandom(seed: 11)
        let ends: [Int64] = [.min, .max, -62_135_596_800, 253_402_300_799, -1, 0, 86_399, 86_400]
        let offsets = [0, 1, -1, 59, 60, 10_800, -10_800, 86_399, -86_399, 86_400, -200_000, .max, .min]
        for seconds in ends {
            for offset in offsets {
                #expect(Instant(seconds: seconds).iso(offset: offset) == Self.formula(seconds, offset: offset))
            }
        }
        for _ in 0..<20_000 {
            let seconds = Int64(bitPattern: random.next()) % 300_000_000_000
            let offset = Int(Int64(bitPattern: random.next()) % 100_000)
            #expect(Instant(seconds: seconds).iso(offset: offset) == Self.formula(seconds, offset: offset))
        }
    }
}
