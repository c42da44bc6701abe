import Foundation
import OtklikCore
import Testing

@Suite struct ProductionCalendarTests {
    /// The official monthly norms of a 40-hour week (working days, hours), as the production
    /// calendars of the Ministry of Labour print them.
    static let officialNorms: [Int: [(days: Int, hours: Int)]] = [
        2020: [
            (17, 136), (19, 152), (21, 168), (22, 175), (17, 135), (21, 167), (23, 184), (21, 168), (22, 176),
            (22, 176), (20, 159), (23, 183),
        ],
        2021: [
            (15, 120), (19, 151), (22, 176), (22, 175), (19, 152), (21, 167), (22, 176), (22, 176), (22, 176),
            (21, 168), (20, 159), (22, 176),
        ],
        2022: [
            (16, 128), (19, 151), (22, 175), (21, 168), (18, 144), (21, 168), (21, 168), (23, 184), (22, 176),
            (21, 168), (21, 167), (22, 176),
        ],
        2023: [
            (17, 136), (18, 143), (22, 175), (20, 160), (20, 160), (21, 168), (21, 168), (23, 184), (21, 168),
            (22, 176), (21, 167), (21, 168),
        ],
        2024: [
            (17, 136), (20, 159), (20, 159), (21, 168), (20, 159), (19, 151), (23, 184), (22, 176), (21, 168),
            (23, 184), (21, 167), (21, 168),
        ],
        2025: [
            (17, 136), (20, 160), (21, 167), (22, 175), (18, 144), (19, 151), (23, 184), (21, 168), (22, 176),
            (23, 184), (19, 151), (22, 176),
        ],
        2026: [
            (15, 120), (19, 152), (21, 168), (22, 175), (19, 151), (21, 167), (23, 184), (21, 168), (22, 176),
            (22, 176), (20, 159), (22, 176),
        ],
    ]

    static let officialYears: [Int: (days: Int, hours: Int)] = [
        2020: (248, 1979), 2021: (247, 1972), 2022: (247, 1973), 2023: (247, 1973), 2024: (248, 1979),
        2025: (247, 1972),
        2026: (247, 1972),
    ]

    @Test(arguments: 2020...2026)
    func monthlyNormsOfAFortyHourWeekMatchTheOfficialOnes(year: Int) throws {
        var days = 0, minutes = 0
        for month in 1...12 {
            let summary = try moscow.month(year: year, month: month)
            let norm = Self.officialNorms[year]![month - 1]
            #expect(summary.workingDays == norm.days, "\(year)-\(month) working days")
            #expect(summary.workingMinutes == norm.hours * 60, "\(year)-\(month) working hours")
            days += summary.workingDays
            minutes += summary.workingMinutes
        }
        #expect(days == Self.officialYears[year]!.days)
        #expect(minutes == Self.officialYears[year]!.hours * 60)
    }

    @Test func shippedDataCoversEveryDecreedYearWithItsSource() {
        #expect(shippedCalendar.coveredYears == Array(2020...2027))
        for year in shippedCalendar.years.values {
            #expect(year.source.contains("Labour Code"))
            #expect(year.holidays.count == 14)
        }
    }

    @Test func workingSaturdaysAndShortenedDaysNamedInTheIssue() throws {
        for text in ["2024-04-27", "2024-11-02", "2024-12-28", "2025-11-01", "2027-02-20"] {
            let plan = try moscow.day(LocalDate(iso: text)!).plan
            #expect(plan.isWorkingWeekend, "\(text)")
            #expect(plan.isWorked, "\(text)")
        }
        let shortenedSaturday = try moscow.day(LocalDate(iso: "2024-11-02")!)
        #expect(shortenedSaturday.plan.kind == .shortened)
        #expect(shortenedSaturday.plan.shortenedBy == 60)
        #expect(shortenedSaturday.plan.note == "working Saturday; its day off moved to 30.04")
        #expect(shortenedSaturday.minutes == 7 * 60)
        #expect(try moscow.day(LocalDate(iso: "2024-12-28")!).minutes == 8 * 60)
    }

    @Test func aWorkingWeekendUsesTheHoursOfTheScheduleSetting() throws {
        var week = Schedule.officeWeek
        week[.friday] = [WorkingInterval(start: 9 * 60, end: 16 * 60 + 45)]
        let fridayHours = try WorkingCalendar(
            schedule: Schedule(name: "x", week: week, workingWeekendHours: .friday), calendar: shippedCalendar)
        #expect(try fridayHours.day(LocalDate(iso: "2024-04-27")!).minutes == 7 * 60 + 45)
        #expect(try moscow.day(LocalDate(iso: "2024-04-27")!).minutes == 8 * 60)
    }

    @Test func aShortenedDayCutsThroughTheLunchBreakWhenItMust() throws {
        var year = ProductionCalendarYear(year: 2026)
        year.shortened[LocalDate(iso: "2026-05-14")!] = 300
        let calendar = try WorkingCalendar(schedule: Schedule(name: "x"), calendar: ProductionCalendar(years: [year]))
        // 09:00-13:00 and 14:00-18:00 minus 5 hours leaves 09:00-12:00.
        #expect(try calendar.day(LocalDate(iso: "2026-05-14")!).minutes == 180)
        #expect(
            show(try calendar.add(at("2026-05-14T11:30:00+03:00"), seconds: hour), calendar)
                == "2026-05-15T09:30:00+03:00")
    }

    @Test func importedFilesThatContradictThemselvesAreRefused() {
        func decode(_ json: String) throws(CalendarError) -> [ProductionCalendarYear] {
            try ProductionCalendarFile.decode(Data(json.utf8))
        }
        #expect(throws: CalendarError.invalid("working weekend day 2026-05-13 is a wed, not a Saturday or Sunday")) {
            try decode(#"{"years":[{"year":2026,"working_weekends":["2026-05-13"]}]}"#)
        }
        #expect(throws: CalendarError.invalid("day off 2026-05-16 is a sat; days_off lists weekdays made days off")) {
            try decode(#"{"years":[{"year":2026,"days_off":["2026-05-16"]}]}"#)
        }
        #expect(throws: CalendarError.invalid("\"2026-02-30\" is not a date (YYYY-MM-DD)")) {
            try decode(#"{"years":[{"year":2026,"holidays":["2026-02-30"]}]}"#)
        }
        #expect(throws: CalendarError.invalid("holiday 2025-01-01 is not in 2026")) {
            try decode(#"{"years":[{"year":2026,"holidays":["2025-01-01"]}]}"#)
        }
        #expect(throws: CalendarError.invalid("year 2026 appears twice")) {
            try decode(#"{"years":[{"year":2026},{"year":2026}]}"#)
        }
        #expect(throws: CalendarError.invalid("shortened day 2026-05-16 is not a working day")) {
            try decode(#"{"years":[{"year":2026,"shortened":{"2026-05-16":60}}]}"#)
        }
        #expect(throws: CalendarError.self) { try decode("[1, 2]") }
    }

    @Test func theFileRoundTrips() throws {
        let years = Array(shippedCalendar.years.values)
        let again = try ProductionCalendarFile.decode(ProductionCalendarFile.encode(years))
        #expect(ProductionCalendar(years: again) == shippedCalendar)
    }

    @Test func schedulesThatCannotBeWorkedWithAreRefused() {
        #expect(throws: CalendarError.self) { try Schedule(name: "x", timeZoneID: "Mars/Olympus").validate() }
        var overlapping = Schedule.officeWeek
        overlapping[.monday] = [WorkingInterval(start: 540, end: 800), WorkingInterval(start: 780, end: 900)]
        #expect(throws: CalendarError.invalid("mon: intervals overlap at 13:00-15:00")) {
            try Schedule(name: "x", week: overlapping).validate()
        }
        #expect(throws: CalendarError.self) { try Schedule(name: "no spaces please").validate() }
        #expect(throws: CalendarError.invalid("the schedule has no working hours at all")) {
            try Schedule(name: "x", week: [:]).validate()
        }
    }
}

@Suite struct NotationTests {
    @Test func durationsAsPeopleWriteThem() {
        #expect(WorkingDuration(text: "30m") == .minutes(30))
        #expect(WorkingDuration(text: "8h") == .minutes(480))
        #expect(WorkingDuration(text: "1h30m") == .minutes(90))
        #expect(WorkingDuration(text: "7d") == .workingDays(7))
        // Russian as people write it (issue 26, item 14), and English words.
        #expect(WorkingDuration(text: "4ч") == .minutes(240))
        #expect(WorkingDuration(text: "1 ч 30 мин") == .minutes(90))
        #expect(WorkingDuration(text: "1ч30мин.") == .minutes(90))
        #expect(WorkingDuration(text: "15 минут") == .minutes(15))
        #expect(WorkingDuration(text: "7 дн") == .workingDays(7))
        #expect(WorkingDuration(text: "3 рабочих дня") == .workingDays(3))
        #expect(WorkingDuration(text: "2 hours") == .minutes(120))
        #expect(WorkingDuration(text: "2h 30m") == .minutes(150))
        for bad in [
            "", "h", "7", "1d2h", "-3h", "0d", "3x", "1.5h", "30s", "1h30m5s", "ч", "4 часа 2", "рабочих 3 дня",
            "4 чч", "1,5ч", "0 дн",
        ] {
            #expect(WorkingDuration(text: bad) == nil, "\(bad)")
        }
    }

    /// The one duration parser: the test clock's `advance` and the terms read it the same way.
    @Test func oneDurationParserForTheClockAndTheTerms() {
        #expect(DurationText("90s")?.totalSeconds == 90)
        #expect(DurationText("2h30m")?.totalSeconds == 9000)
        #expect(DurationText("3d")?.totalSeconds == 259_200)
        #expect(DurationText("1D4H")?.totalSeconds == 100_800)
        #expect(DurationText("999999999d")?.totalSeconds == 86_399_999_913_600)
        for bad in ["", "s", "5", "30m2h", "1h1h", "1dd", "1000000000s", "5s7", "-1h", "1.5h"] {
            #expect(DurationText(bad) == nil, "\(bad)")
        }
    }

    /// An instant is stored as the bare number it always was: events written before it was a type read
    /// the same, and what is written now reads back.
    @Test func anInstantIsStoredAsItsUnixSeconds() throws {
        let instant = at("2026-05-08T16:30:00+03:00")
        #expect(String(decoding: try JSONEncoder().encode([instant]), as: UTF8.self) == "[1778247000]")
        #expect(try JSONDecoder().decode([Instant].self, from: Data("[1778247000]".utf8)) == [instant])
        #expect(instant.iso(offset: 3 * 3600) == "2026-05-08T16:30:00+03:00")
        #expect(instant.description == "2026-05-08T13:30:00Z")
        #expect(moscow.text(instant) == "2026-05-08T16:30:00+03:00")
        #expect((instant + 600).seconds(since: instant) == 600)
        #expect(instant.isAccepted && !Instant(seconds: 0).isAccepted)
    }

    @Test func instantsNeedAnOffsetAndAcceptAnyISOForm() {
        let expected = at("2026-05-08T16:30:00+03:00")
        #expect(Instant(iso: "2026-05-08T13:30:00Z") == expected)
        #expect(Instant(iso: "2026-05-08T16:30+03:00") == expected)
        #expect(Instant(iso: "2026-05-08T16:30:00.250+0300") == expected)
        #expect(Instant(iso: "2026-05-08T09:30:00-04:00") == expected)
        #expect(Instant(iso: "2026-05-08T16:30:00") == nil)
        #expect(Instant(iso: "2026-02-30T16:30:00+03:00") == nil)
        #expect(Instant(iso: "2026-05-08T25:30:00+03:00") == nil)
        #expect(expected.iso(offset: 3 * 3600) == "2026-05-08T16:30:00+03:00")
        #expect(expected.iso(offset: 0) == "2026-05-08T13:30:00Z")
        #expect((at("1969-12-31T23:00:00Z")).iso(offset: 0) == "1969-12-31T23:00:00Z")
    }

    @Test func localDatesRoundTripTheirDayNumbers() {
        for dayNumber in stride(from: -1000, through: 30000, by: 37) {
            let date = LocalDate(dayNumber: dayNumber)
            #expect(LocalDate(year: date.year, month: date.month, day: date.day) == date)
        }
        #expect(LocalDate(iso: "1970-01-01")!.weekday == .thursday)
        #expect(LocalDate(iso: "2026-11-29")!.weekday == .sunday)
        #expect(LocalDate(iso: "2024-02-29") != nil)
        #expect(LocalDate(iso: "2025-02-29") == nil)
    }
}

@Suite struct WeekShapeTests {
    @Test func aSixDayScheduleWorksSaturdaysButNotHolidaysOrDaysOff() throws {
        var week = Schedule.officeWeek
        week[.saturday] = [WorkingInterval(start: 10 * 60, end: 14 * 60)]
        let sixDays = try WorkingCalendar(schedule: Schedule(name: "six", week: week), calendar: shippedCalendar)
        #expect(try sixDays.day(LocalDate(iso: "2026-05-16")!).minutes == 240)
        #expect(try sixDays.day(LocalDate(iso: "2026-05-16")!).plan.kind == .working)
        #expect(try sixDays.day(LocalDate(iso: "2026-05-09")!).plan.kind == .holiday)
        #expect(try sixDays.day(LocalDate(iso: "2026-05-17")!).plan.kind == .dayOff)
    }

    @Test func aWeekdayTheScheduleDoesNotWorkIsADayOff() throws {
        var week = Schedule.officeWeek
        week[.friday] = nil
        let fourDays = try WorkingCalendar(schedule: Schedule(name: "four", week: week), calendar: shippedCalendar)
        #expect(try fourDays.day(LocalDate(iso: "2026-05-15")!).plan.kind == .dayOff)
        #expect(try fourDays.day(LocalDate(iso: "2026-05-15")!).minutes == 0)
        #expect(
            show(try fourDays.add(at("2026-05-14T17:30:00+03:00"), seconds: hour), fourDays)
                == "2026-05-18T09:30:00+03:00")
    }
}
