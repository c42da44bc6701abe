public import Foundation
import OtklikBase

/// A schedule as JSON, as the database keeps it and people write it:
/// `{"name": "executor", "time_zone": "Europe/Moscow", "week": {"mon": ["09:00-13:00", "14:00-18:00"], ...},
///   "working_weekend_hours": "mon", "special_non_working_days_are_working": true}`.
public enum ScheduleDocument {
    /// The document's fields as stored (the payload of `schedule.changed`).
    public struct Document: Codable, Sendable {
        var name: String
        var time_zone: String
        var week: [String: [String]]
        var working_weekend_hours: String?
        var special_non_working_days_are_working: Bool?
    }

    public static func encode(_ schedule: Schedule) -> Data {
        let document = Document(
            name: schedule.name, time_zone: schedule.timeZoneID,
            week: Dictionary(
                uniqueKeysWithValues: schedule.week.map { ($0.key.shortName, $0.value.sorted().map(\.text)) }),
            working_weekend_hours: schedule.workingWeekendHours.shortName,
            special_non_working_days_are_working: schedule.specialNonWorkingDaysAreWorking)
        return JSONText.encode(document)
    }

    /// Decodes and validates; `version` comes from where the document is kept.
    public static func decode(_ data: Data, version: Int = 1) throws(CalendarError) -> Schedule {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw .invalid("not a schedule document: \(error)")
        }
        var week: [Weekday: [WorkingInterval]] = [:]
        for (key, texts) in document.week {
            guard let weekday = Weekday(shortName: key) else {
                throw .invalid("\"\(key)\" is not a weekday (mon ... sun)")
            }
            var intervals: [WorkingInterval] = []
            for text in texts {
                guard let interval = WorkingInterval(text: text) else {
                    throw .invalid("\"\(text)\" is not an interval like 09:00-13:00")
                }
                intervals.append(interval)
            }
            week[weekday] = intervals
        }
        var weekendHours = Weekday.monday
        if let text = document.working_weekend_hours {
            guard let weekday = Weekday(shortName: text) else {
                throw .invalid("\"\(text)\" is not a weekday (mon ... sun)")
            }
            weekendHours = weekday
        }
        let schedule = Schedule(
            name: document.name, version: version, timeZoneID: document.time_zone, week: week,
            workingWeekendHours: weekendHours,
            specialNonWorkingDaysAreWorking: document.special_non_working_days_are_working ?? true)
        try schedule.validate()
        return schedule
    }
}
