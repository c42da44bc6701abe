import OtklikCore
import OtklikDesk
import Testing

@Suite struct DocumentWordsTests {
    func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    @Test func titlesAndPeriodsAreWords() {
        #expect(
            DocumentWords.title(period: "2026-11", first: day("2026-11-01"), last: day("2026-11-30"), in: .russian)
                == "Сводка за ноябрь 2026 г.")
        #expect(
            DocumentWords.title(period: "x", first: day("2026-11-02"), last: day("2026-11-30"), in: .russian)
                == "Сводка за период")
        #expect(
            DocumentWords.period(first: day("2026-11-01"), last: day("2026-11-30"), in: .russian)
                == "с 1 по 30 ноября 2026 г.")
        #expect(
            DocumentWords.period(first: day("2026-11-28"), last: day("2026-12-03"), in: .russian)
                == "с 28 ноября по 3 декабря 2026 г.")
        #expect(
            DocumentWords.period(first: day("2026-12-28"), last: day("2027-01-03"), in: .russian)
                == "с 28 декабря 2026 г. по 3 января 2027 г.")
        #expect(
            DocumentWords.period(first: day("2026-11-01"), last: day("2026-11-30"), in: .english)
                == "1–30 November 2026")
        #expect(DocumentWords.moment("2026-12-01T00:00:00+03:00", in: .russian) == "1 декабря 2026 г., 00:00")
    }

    @Test func durationsAreWorkingDaysHoursAndMinutes() {
        #expect(DocumentWords.workingDuration(minutes: 2545, in: .russian) == "5 раб. дн. 2 ч 25 мин")
        #expect(DocumentWords.workingDuration(minutes: 480, in: .russian) == "1 раб. дн.")
        #expect(DocumentWords.workingDuration(minutes: 35, in: .russian) == "35 мин")
        #expect(DocumentWords.workingDuration(minutes: 0, in: .english) == "0 min")
        #expect(DocumentWords.initials("Орлов Николай Андреевич") == "Орлов Н. А.")
    }
}
