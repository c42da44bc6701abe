import Foundation
import OtklikCore
import OtklikDesk
import Testing

/// Times as people write them (issue 26, item 6), in the daemon's offset, the year only when not this one.
@Suite struct PeopleTimeTests {
    let december2026 = Date(timeIntervalSince1970: 1_796_000_000)

    @Test func anInstantReadsAsPeopleWriteIt() {
        #expect(PeopleTime.text("2026-12-07T09:30:00+03:00", in: .russian, now: december2026) == "пн 07.12 09:30")
        #expect(PeopleTime.text("2026-12-07T09:30:00+03:00", in: .english, now: december2026) == "Mon 07 Dec 09:30")
        // Another year says which.
        #expect(PeopleTime.text("2025-12-31T23:59:00+03:00", in: .russian, now: december2026) == "ср 31.12.2025 23:59")
        #expect(
            PeopleTime.text("2027-01-04T09:00:00+03:00", in: .english, now: december2026) == "Mon 04 Jan 2027 09:00")
        // The offset's own year: 31 December 22:00 UTC is already the next year in Moscow.
        let newYearsEveUTC = Date(timeIntervalSince1970: 1_798_754_400)  // 2026-12-31T22:00:00Z
        #expect(PeopleTime.text("2027-01-01T01:00:00+03:00", in: .russian, now: newYearsEveUTC) == "пт 01.01 01:00")
        // Nothing, or not an instant, stays as it is.
        #expect(PeopleTime.cell("", in: .russian) == "-")
        #expect(PeopleTime.text("вчера", in: .russian) == "вчера")
    }

    @Test func workingTimeSaysItIsWorkingTime() {
        #expect(WorkingTimeText.left(minutes: 30, in: .russian) == "осталось 30 раб. мин")
        #expect(WorkingTimeText.left(minutes: 140, in: .russian) == "осталось 2 раб. ч 20 мин")
        #expect(WorkingTimeText.left(minutes: 30, in: .english) == "30 working min left")
        #expect(WorkingTimeText.late(minutes: 190, in: .russian) == "просрочено на 3 ч 10 мин")
        #expect(WorkingTimeText.late(minutes: 190, in: .english) == "overdue by 3 h 10 min")
    }
}

/// Issue 26, item 14: `case show 8` and `case show 2026-000008/1` find the case.
@Suite struct CaseNumberTests {
    @Test func aShortNumberIsThisYearsCaseAndAnAssignmentNamesItsCase() {
        let december2026 = Date(timeIntervalSince1970: 1_796_000_000)
        #expect(CaseNumber.expand("8", now: december2026) == "2026-000008")
        #expect(CaseNumber.expand("2026-000008/1", now: december2026) == "2026-000008")
        #expect(CaseNumber.expand("2025-000123", now: december2026) == "2025-000123")
        #expect(CaseNumber.expand("0", now: december2026) == "0")
        #expect(CaseNumber.expand("восемь", now: december2026) == "восемь")
    }

    /// A warning's point in words (issue 26, item 8): never "15m" to a person.
    @Test func aWarningsPointIsSaidInWords() {
        #expect(WarningPoint.said("15m", in: .russian) == "осталось 15 мин")
        #expect(WarningPoint.said("90m", in: .russian) == "осталось 1 ч 30 мин")
        #expect(WarningPoint.said("15m", in: .english) == "15 min left")
        #expect(WarningPoint.said("50%", in: .russian) == "прошло 50 % срока")
        #expect(WarningPoint.said("80%", in: .english) == "80% of the term used")
        #expect(WarningPoint.said("", in: .russian) == "")
    }
}
