public import OtklikCore
import Foundation

/// Instants as people write them at the desk, in the zone of the schedules (a fixed UTC offset:
/// Russia keeps no summer time):
///
///     now | сейчас
///     15:40 | today 15:40 | сегодня 15:40          today, in the schedule's zone
///     yesterday 15:40 | вчера 15:40
///     2026-12-01 15:40 | 2026-12-01T15:40[:SS]     local time in the schedule's zone
///     01.12.2026 15:40                             the Russian way of writing a date
///     2026-12-01 | 01.12.2026                      the start of that day; as the end of a period
///                                                  (`--to`), the end of that day
///     2026-12-01T15:40:00+03:00                    ISO 8601 with an offset, as before
public enum TimeInput {
    /// Which end of a period a time names. A date without a time is the whole day: as the start of a
    /// period it means the day's first moment, as the end the moment after its last (`--to 31.12.2026`
    /// takes in all of the 31st).
    public enum Bound: Sendable { case start, end }

    /// The ways of writing a month, for help texts and errors.
    public static let monthForms = "2026-12, 12.2026"

    /// The first day of the month `text` names: `2026-12` or `12.2026`.
    public static func month(_ text: String) -> LocalDate? {
        let word = text.trimmingCharacters(in: .whitespaces)
        let dash = word.split(separator: "-", omittingEmptySubsequences: false)
        let dot = word.split(separator: ".", omittingEmptySubsequences: false)
        let parts: (year: Substring, month: Substring)
        if dash.count == 2, dash[0].count == 4, dash[1].count == 2 {
            parts = (dash[0], dash[1])
        } else if dot.count == 2, (1...2).contains(dot[0].count), dot[1].count == 4 {
            parts = (dot[1], dot[0])
        } else {
            return nil
        }
        guard parts.year.allSatisfy(\.isASCII), parts.month.allSatisfy(\.isASCII), let year = Int(parts.year),
            let month = Int(parts.month)
        else { return nil }
        return LocalDate(year: year, month: month, day: 1)
    }

    /// The first day of the month after the one `first` is in.
    public static func monthAfter(_ first: LocalDate) -> LocalDate {
        first.adding(days: LocalDate.daysIn(year: first.year, month: first.month) - first.day + 1)
    }

    /// The day a date option names (`2026-12-01`, `01.12.2026`), without a time.
    public static func date(_ text: String) -> LocalDate? {
        let word = text.trimmingCharacters(in: .whitespaces)
        guard !dayWords.contains(word.lowercased()) else { return nil }
        return day(word, today: LocalDate(dayNumber: 0))
    }

    /// Whether `text` names a day without a time of it (`2026-12-01`, `01.12.2026`, `завтра`... alone
    /// are days; `2026-12-01 15:40` is not).
    public static func isDateOnly(_ text: String) -> Bool {
        let words = text.split(whereSeparator: \.isWhitespace)
        return words.count == 1 && date(String(words[0])) != nil
    }
    /// The ways of writing a time, for help texts and errors.
    public static let forms =
        "now, 15:40, yesterday 15:40, 2026-12-01 15:40, 01.12.2026 15:40, 2026-12-01T15:40:00+03:00"
    public static let formsRussian =
        "now или сейчас, 15:40, вчера 15:40, 2026-12-01 15:40, 01.12.2026 15:40, 2026-12-01T15:40:00+03:00"

    /// The instant `text` names, `now` being the daemon's clock and `offset` the schedule's UTC offset
    /// in seconds; nil when it is none of the forms above or names a time that does not exist.
    public static func parse(_ text: String, now: Instant, offset: Int, as bound: Bound = .start) -> Instant? {
        let input = text.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
        if let instant = Instant(iso: input.uppercased()) { return instant }
        if input == "now" || input == "сейчас" { return now }
        let today = LocalDate(dayNumber: Int(floorDiv(now.seconds + Int64(offset), 86_400)))
        let words = input.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let date: LocalDate
        let time: String?
        switch words.count {
        case 1:
            let word = words[0]
            if let parts = splitISO(word) {
                guard let day = LocalDate(iso: parts.date) else { return nil }
                (date, time) = (day, parts.time)
            } else if dayWords.contains(word) {
                return nil  // "yesterday" alone: people mean a time of it; ask for one
            } else if let day = day(word, today: today) {
                (date, time) = (day, nil)
            } else {
                (date, time) = (today, word)
            }
        case 2:
            guard let day = day(words[0], today: today) else { return nil }
            (date, time) = (day, words[1])
        default: return nil  // three words or more: not a time
        }
        var seconds = 0
        if let time {
            guard let parsed = clock(time) else { return nil }
            seconds = parsed
        } else if bound == .end {
            seconds = 86_400
        }
        let instant = Instant(seconds: Int64(date.dayNumber) * 86_400 + Int64(seconds) - Int64(offset))
        return instant.isAccepted ? instant : nil
    }

    /// The UTC offset in seconds an ISO 8601 instant is written with ("+03:00", "Z").
    public static func offset(ofISO text: String) -> Int? {
        if text.hasSuffix("Z") { return 0 }
        guard text.count >= 6 else { return nil }
        let tail = text.suffix(6)
        let sign: Int
        switch tail.first {
        case "+": sign = 1
        case "-": sign = -1
        default: return nil  // any other sign: not an offset
        }
        let parts = tail.dropFirst().split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), hours < 24, minutes < 60
        else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    private static let dayWords: Set<String> = ["today", "сегодня", "yesterday", "вчера", "tomorrow", "завтра"]

    /// A day word or date: today, yesterday, tomorrow (both languages), YYYY-MM-DD, DD.MM.YYYY.
    private static func day(_ word: String, today: LocalDate) -> LocalDate? {
        switch word {
        case "today", "сегодня": return today
        case "yesterday", "вчера": return today.adding(days: -1)
        case "tomorrow", "завтра": return today.adding(days: 1)
        default: break  // any other word: a date, read below
        }
        if let date = LocalDate(iso: word) { return date }
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4,
            let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2])
        else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// `2026-12-01T15:40[:SS]` without an offset.
    private static func splitISO(_ word: String) -> (date: String, time: String)? {
        let parts = word.split(separator: "t", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 10 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// Seconds into the day of `HH:MM` or `HH:MM:SS`.
    private static func clock(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count),
            parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
            let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...23).contains(hours), (0...59).contains(minutes)
        else { return nil }
        var seconds = 0
        if parts.count == 3 {
            guard let value = Int(parts[2]), (0...59).contains(value) else { return nil }
            seconds = value
        }
        return hours * 3600 + minutes * 60 + seconds
    }
}
