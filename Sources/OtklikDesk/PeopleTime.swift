public import Foundation
import OtklikCore

/// A case as people name it (issue 26): `8` is case 8 of this year (`2026-000008`), and an
/// assignment's id (`2026-000008/1`) names its case; anything else is left for the daemon to judge.
public enum CaseNumber {
    public static func expand(_ text: String, now: Date = Date()) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.count <= 6, trimmed.allSatisfy(\.isASCII), let number = Int(trimmed), number > 0 {
            let year = Calendar(identifier: .gregorian).component(.year, from: now)
            return String(format: "%04d-%06d", year, number)
        }
        if let slash = trimmed.firstIndex(of: "/"), CaseID(String(trimmed[..<slash])) != nil {
            return String(trimmed[..<slash])
        }
        return trimmed
    }
}

/// Instants as people write them (issue 26): `пн 07.12 09:30` / `Mon 07 Dec 09:30`, in the offset the
/// daemon gave (the schedule's local time, not the reader's machine), the year only when it is not this
/// one. ISO 8601 stays in JSON and CSV; every screen a person reads shows times through here.
public enum PeopleTime {
    static let russianDays = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
    static let englishDays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `iso` (`2026-12-07T09:30:00+03:00`) as people read it; an empty string stays empty and text that
    /// is not such an instant is returned as it is.
    public static func text(_ iso: String, in language: Language = .current, now: Date = Date()) -> String {
        guard iso.count >= 16, let date = LocalDate(iso: iso.prefix(10)) else { return iso }
        let characters = Array(iso)
        guard characters[10] == "T" || characters[10] == " ", characters[13] == ":" else { return iso }
        let clock = String(characters[11..<16])
        let thisYear = year(of: now, offsetOf: iso)
        let day = String(format: "%02d", date.day)
        let weekday = date.weekday.rawValue - 1
        switch language {
        case .russian:
            let month = String(format: "%02d", date.month)
            let year = date.year == thisYear ? "" : ".\(date.year)"
            return "\(russianDays[weekday]) \(day).\(month)\(year) \(clock)"
        case .english:
            let year = date.year == thisYear ? "" : " \(date.year)"
            return "\(englishDays[weekday]) \(day) \(englishMonths[date.month - 1])\(year) \(clock)"
        }
    }

    /// `text`, or `-` for no instant (a table's empty cell).
    public static func cell(_ iso: String, in language: Language = .current, now: Date = Date()) -> String {
        iso.isEmpty ? "-" : text(iso, in: language, now: now)
    }

    /// Unix seconds as people read them, in the UTC offset of `likeISO` (an instant the daemon wrote
    /// beside it, such as the event's own time): a correction's old and new times.
    public static func text(unix seconds: Int64, offsetOf likeISO: String, in language: Language = .current) -> String {
        let offset = offsetSeconds(likeISO)
        let shifted = Date(timeIntervalSince1970: TimeInterval(seconds + Int64(offset)))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: shifted)
        let sign = offset < 0 ? "-" : "+"
        let iso = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!,
            c.second!,
            sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
        return text(iso, in: language)
    }

    static func offsetSeconds(_ iso: String) -> Int {
        guard iso.count >= 25 else { return 0 }
        let tail = Array(iso.suffix(6))
        guard tail[0] == "+" || tail[0] == "-", tail[3] == ":", let hours = Int(String(tail[1...2])),
            let minutes = Int(String(tail[4...5]))
        else { return 0 }
        return (hours * 3600 + minutes * 60) * (tail[0] == "-" ? -1 : 1)
    }

    /// The calendar year at `now` in the UTC offset `iso` ends with (`+03:00`; `Z` or none: UTC).
    static func year(of now: Date, offsetOf iso: String) -> Int {
        let seconds = offsetSeconds(iso)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: seconds) ?? TimeZone(identifier: "UTC")!
        return calendar.component(.year, from: now)
    }
}
