import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Calendar.showAbstract.text())

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(Say.Calendar.showScheduleHelp.text())) var schedule: String?

        func run() throws {
            let schedules = try global.withClient { client throws(RPCError) -> [ScheduleView] in
                if let schedule {
                    return [try client.call(CalendarService.getSchedule, GetScheduleRequest(name: schedule))]
                }
                return try client.call(CalendarService.listSchedules, ListSchedulesRequest()).schedules
            }.map { view throws(RPCError) in
                ScheduleSheet(schedule: try view.domain(), calendarYears: view.calendarYears.map(Int.init))
            }
            global.show(Several(parts: schedules))
        }
    }
}

/// A schedule: its hours by weekday and the calendar years it counts with.
struct ScheduleSheet: Output {
    let schedule: Schedule
    let calendarYears: [Int]

    var text: String {
        let s = schedule
        var rows: [(String, String)] = [
            (Say.Common.schedule.text(), Say.Common.scheduleName(s.name).text()),
            (Say.Common.version.text(), String(s.version)),
            (Say.Calendar.timeZone.text(), s.timeZoneID),
        ]
        for weekday in Weekday.allCases {
            let intervals = (s.week[weekday] ?? []).sorted().map(\.text).joined(separator: ", ")
            rows.append(
                (weekday.spoken, intervals.isEmpty ? Say.Calendar.dayOff.text() : intervals))
        }
        rows.append(
            (Say.Calendar.workingWeekendsLabel.text(), s.workingWeekendHours.spoken))
        rows.append(
            (
                Say.Calendar.paidNonWorkingDays.text(),
                s.specialNonWorkingDaysAreWorking
                    ? Say.Calendar.asWorking.text()
                    : Say.Calendar.asDaysOff.text()
            ))
        rows.append(
            (Say.Calendar.calendarYears.text(), Self.ranges(calendarYears)))
        return Render.keyValues(rows)
    }

    var json: JSON {
        let s = schedule
        return .object([
            ("name", .string(s.name)),
            ("version", .integer(Int64(s.version))),
            ("time_zone", .string(s.timeZoneID)),
            (
                "week",
                .object(
                    Weekday.allCases.map {
                        ($0.shortName, .array((s.week[$0] ?? []).sorted().map { .string($0.text) }))
                    })
            ),
            ("working_weekend_hours", .string(s.workingWeekendHours.shortName)),
            ("special_non_working_days_are_working", .bool(s.specialNonWorkingDaysAreWorking)),
            ("calendar_years", .array(calendarYears.map { .integer(Int64($0)) })),
        ])
    }

    /// Years as ranges: 2020-2027, 2029.
    static func ranges(_ years: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        while index < years.count {
            var end = index
            while end + 1 < years.count, years[end + 1] == years[end] + 1 { end += 1 }
            parts.append(end > index ? "\(years[index])-\(years[end])" : "\(years[index])")
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }
}
