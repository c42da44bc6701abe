public import Foundation
import OtklikCore

/// Instants as people write them (issue 26): `пн 07.12 09:30` / `Mon 07 Dec 09:30`, in the offset the
/// daemon gave (the schedule's local time, not the reader's machine), the year only when it is not this
/// one. ISO 8601 stays in JSON and CSV; every screen a person reads shows times through here.
public enum PeopleTime {
    static let russianDays = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
    static let englishDays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `iso` (`2026-12-07T09:30:00+03:00`) as people read it, in the offset it is written in; text that
    /// is not such an instant (an empty string) is returned as it is.
    public static func text(_ iso: String, in language: Language = .current, now: Date = Date()) -> String {
        guard let instant = Instant(iso: iso), let offset = Instant.offset(ofISO: iso) else { return iso }
        return text(instant, offset: offset, in: language, now: now)
    }

    /// `text`, or `-` for no instant (a table's empty cell).
    public static func cell(_ iso: String, in language: Language = .current, now: Date = Date()) -> String {
        iso.isEmpty ? "-" : text(iso, in: language, now: now)
    }

    /// Unix seconds as people read them, in the UTC offset of `likeISO` (an instant the daemon wrote
    /// beside them, such as the event's own time): a correction's old and new times.
    public static func text(unix seconds: Int64, offsetOf likeISO: String, in language: Language = .current)
        -> String
    {
        text(Instant(seconds: seconds), offset: Instant.offset(ofISO: likeISO) ?? 0, in: language, now: Date())
    }

    /// `iso` as a spreadsheet takes a date and time in the reader's language (`07.12.2026 09:30`, which
    /// Excel under a Russian locale reads as a date; `2026-12-07 09:30` otherwise), in the offset it is
    /// written in; empty for no instant.
    public static func sheet(_ iso: String, in language: Language = .current) -> String {
        guard let (instant, offset) = Instant.parsed(iso: iso) else { return iso }
        let (date, secondOfDay) = instant.local(offset: offset)
        let clock = clock(secondOfDay)
        return language == .russian
            ? "\(two(date.day)).\(two(date.month)).\(date.year) \(clock)" : "\(date.iso) \(clock)"
    }

    /// Two digits: "07".
    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `HH:MM` of a second of the day.
    static func clock(_ secondOfDay: Int) -> String { two(secondOfDay / 3600) + ":" + two(secondOfDay % 3600 / 60) }

    static func text(_ instant: Instant, offset: Int, in language: Language, now: Date) -> String {
        let (date, secondOfDay) = instant.local(offset: offset)
        let thisYear = Instant(seconds: Int64(now.timeIntervalSince1970.rounded(.down))).local(offset: offset).date.year
        let clock = clock(secondOfDay)
        let weekday = date.weekday.rawValue - 1
        switch language {
        case .russian:
            let year = date.year == thisYear ? "" : ".\(date.year)"
            return "\(russianDays[weekday]) \(two(date.day)).\(two(date.month))\(year) \(clock)"
        case .english:
            let year = date.year == thisYear ? "" : " \(date.year)"
            return "\(englishDays[weekday]) \(two(date.day)) \(englishMonths[date.month - 1])\(year) \(clock)"
        }
    }
}
