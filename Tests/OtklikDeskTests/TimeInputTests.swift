import OtklikCore
import OtklikDesk
import Testing

/// Times as people write them, in the schedule's zone (Moscow, +03:00).
@Suite struct TimeInputTests {
    static let moscow = 3 * 3600
    /// 2026-12-02T01:30:00+03:00: just after midnight in Moscow, still the 1st in UTC.
    static let now = Instant(iso: "2026-12-02T01:30:00+03:00")!

    func parse(_ text: String) -> String? {
        TimeInput.parse(text, now: Self.now, offset: Self.moscow).map { $0.iso(offset: Self.moscow) }
    }

    @Test func everyFormNamesTheInstantMeant() {
        #expect(parse("now") == "2026-12-02T01:30:00+03:00")
        #expect(parse("сейчас") == "2026-12-02T01:30:00+03:00")
        // Today is the schedule's day, not UTC's (the 1st in UTC at this moment).
        #expect(parse("15:40") == "2026-12-02T15:40:00+03:00")
        #expect(parse("  today 15:40 ") == "2026-12-02T15:40:00+03:00")
        #expect(parse("вчера 15:40") == "2026-12-01T15:40:00+03:00")
        #expect(parse("Yesterday 9:05") == "2026-12-01T09:05:00+03:00")
        #expect(parse("завтра 08:00:30") == "2026-12-03T08:00:30+03:00")
        #expect(parse("2026-11-30 15:40") == "2026-11-30T15:40:00+03:00")
        #expect(parse("2026-11-30T15:40") == "2026-11-30T15:40:00+03:00")
        #expect(parse("30.11.2026 15:40") == "2026-11-30T15:40:00+03:00")
        #expect(parse("1.12.2026 7:00") == "2026-12-01T07:00:00+03:00")
        #expect(parse("2026-11-30") == "2026-11-30T00:00:00+03:00")
        #expect(parse("2026-11-30T15:40:00Z") == "2026-11-30T18:40:00+03:00")
        #expect(parse("2026-11-30T15:40:00+05:00") == "2026-11-30T13:40:00+03:00")
    }

    @Test func aDateAloneAsTheEndOfAPeriodTakesInTheWholeDay() {
        func end(_ text: String) -> String? {
            TimeInput.parse(text, now: Self.now, offset: Self.moscow, as: .end).map { $0.iso(offset: Self.moscow) }
        }
        #expect(end("31.12.2026") == "2027-01-01T00:00:00+03:00")
        #expect(end("2026-12-31") == "2027-01-01T00:00:00+03:00")
        #expect(end("29.02.2028") == "2028-03-01T00:00:00+03:00")
        // A time given is the time meant, at either end.
        #expect(end("31.12.2026 15:40") == "2026-12-31T15:40:00+03:00")
        #expect(end("2026-12-31T15:40:00+03:00") == "2026-12-31T15:40:00+03:00")
        #expect(TimeInput.isDateOnly("31.12.2026") && TimeInput.isDateOnly("2026-12-31"))
        #expect(!TimeInput.isDateOnly("31.12.2026 15:40") && !TimeInput.isDateOnly("15:40"))
        #expect(!TimeInput.isDateOnly("вчера") && !TimeInput.isDateOnly("31.13.2026"))
    }

    @Test func aMonthIsWrittenEitherWay() {
        #expect(TimeInput.month("2026-12") == LocalDate(year: 2026, month: 12, day: 1))
        #expect(TimeInput.month("12.2026") == LocalDate(year: 2026, month: 12, day: 1))
        #expect(TimeInput.month("2.2027") == LocalDate(year: 2027, month: 2, day: 1))
        for text in ["2026-13", "2026-1", "13.2026", "2026", "12/2026", "2026-12-01", "", "２０２６-12"] {
            #expect(TimeInput.month(text) == nil, "\(text)")
        }
        #expect(
            TimeInput.monthAfter(LocalDate(year: 2026, month: 12, day: 1)!) == LocalDate(year: 2027, month: 1, day: 1))
        #expect(
            TimeInput.monthAfter(LocalDate(year: 2028, month: 2, day: 1)!) == LocalDate(year: 2028, month: 3, day: 1))
    }

    @Test func whatIsNoTimeIsRefused() {
        for text in [
            "", "later", "25:00", "15:60", "15", "15:40:61", "2026-02-30 10:00", "31.04.2026 10:00", "вчера",
            "вчера 15:40 утра", "2026-11-30T", "１５:４０", "9999-01-01 10:00", "-1:30", "15:40:00:00",
        ] {
            #expect(parse(text) == nil, "\(text)")
        }
        // "вчера" alone is a day, not an instant of it: people mean a time of it.
    }

    @Test func theOffsetIsReadFromTheDaemonsClock() {
        #expect(TimeInput.offset(ofISO: "2026-12-02T01:30:00+03:00") == 10_800)
        #expect(TimeInput.offset(ofISO: "2026-12-02T01:30:00-02:30") == -9_000)
        #expect(TimeInput.offset(ofISO: "2026-12-02T01:30:00Z") == 0)
        #expect(TimeInput.offset(ofISO: "garbage") == nil)
    }
}
