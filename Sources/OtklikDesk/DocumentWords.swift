public import OtklikCore

/// Dates, periods and durations as a document a head signs spells them: "Сводка за ноябрь 2026 г.",
/// "с 1 по 30 ноября 2026 г.", "2 раб. дн. 3 ч 10 мин".
public enum DocumentWords {
    static let monthsNominative = [
        "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
        "декабрь",
    ]
    static let monthsGenitive = [
        "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
        "декабря",
    ]
    static let monthsEnglish = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// A month of a series by name: "2026-11" as "ноябрь 2026" / "November 2026"; other text as it is.
    public static func month(_ yearMonth: String, in language: Language = .current) -> String {
        let parts = yearMonth.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else {
            return yearMonth
        }
        return (language == .russian ? monthsNominative : monthsEnglish)[month - 1] + " \(year)"
    }

    /// The title: "Сводка за ноябрь 2026 г." for a calendar month, else "Сводка за период".
    public static func title(period: String, first: LocalDate, last: LocalDate, in language: Language = .current)
        -> String
    {
        let wholeMonth =
            first.day == 1 && first.year == last.year && first.month == last.month
            && last.day == LocalDate.daysIn(year: last.year, month: last.month)
        if language == .russian {
            return wholeMonth
                ? "Сводка за \(monthsNominative[first.month - 1]) \(first.year) г." : "Сводка за период"
        }
        return wholeMonth ? "Summary for \(monthsEnglish[first.month - 1]) \(first.year)" : "Summary for the period"
    }

    /// "с 1 по 30 ноября 2026 г.", "с 28 ноября по 3 декабря 2026 г.", "с 28 декабря 2026 г. по 3 января
    /// 2027 г."; English "1–30 November 2026". `last` is the period's last day (inclusive).
    public static func period(first: LocalDate, last: LocalDate, in language: Language = .current) -> String {
        if language == .russian {
            if first == last { return "\(first.day) \(monthsGenitive[first.month - 1]) \(first.year) г." }
            if first.year != last.year {
                return
                    "с \(first.day) \(monthsGenitive[first.month - 1]) \(first.year) г. по \(last.day) \(monthsGenitive[last.month - 1]) \(last.year) г."
            }
            if first.month != last.month {
                return
                    "с \(first.day) \(monthsGenitive[first.month - 1]) по \(last.day) \(monthsGenitive[last.month - 1]) \(last.year) г."
            }
            return "с \(first.day) по \(last.day) \(monthsGenitive[last.month - 1]) \(last.year) г."
        }
        if first == last { return "\(first.day) \(monthsEnglish[first.month - 1]) \(first.year)" }
        if first.year != last.year {
            return
                "\(first.day) \(monthsEnglish[first.month - 1]) \(first.year) – \(last.day) \(monthsEnglish[last.month - 1]) \(last.year)"
        }
        if first.month != last.month {
            return
                "\(first.day) \(monthsEnglish[first.month - 1]) – \(last.day) \(monthsEnglish[last.month - 1]) \(last.year)"
        }
        return "\(first.day)–\(last.day) \(monthsEnglish[last.month - 1]) \(last.year)"
    }

    /// A date and time from an ISO 8601 instant as it was written (its own offset): "1 декабря 2026 г.,
    /// 00:00"; the text itself when it is not one.
    public static func moment(_ iso: String, in language: Language = .current) -> String {
        let parts = iso.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, let date = LocalDate(iso: parts[0]), parts[1].count >= 5 else { return iso }
        let time = parts[1].prefix(5)
        return language == .russian
            ? "\(date.day) \(monthsGenitive[date.month - 1]) \(date.year) г., \(time)"
            : "\(date.day) \(monthsEnglish[date.month - 1]) \(date.year), \(time)"
    }

    /// Working minutes as working days (of `dayMinutes`), hours and minutes: "2 раб. дн. 3 ч 10 мин".
    public static func workingDuration(minutes: Int64, dayMinutes: Int64 = 480, in language: Language = .current)
        -> String
    {
        let minutes = max(0, minutes)
        let days = minutes / dayMinutes, rest = minutes % dayMinutes
        var parts: [String] = []
        if days > 0 { parts.append(language == .russian ? "\(days) раб. дн." : "\(days) working d") }
        if rest > 0 || days == 0 { parts.append(WorkingTimeText.duration(minutes: rest, in: language)) }
        return parts.joined(separator: " ")
    }

    /// "Орлов Николай Андреевич" → "Орлов Н. А."; a name of another shape is kept.
    public static func initials(_ fullName: String) -> String {
        let words = fullName.split(separator: " ")
        guard words.count == 3 else { return fullName }
        return "\(words[0]) \(words[1].prefix(1)). \(words[2].prefix(1))."
    }
}
