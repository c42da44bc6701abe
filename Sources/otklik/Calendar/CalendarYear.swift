import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Year: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "A year's working days and hours by month, as the production calendar prints them.",
                "Рабочие дни и часы года по месяцам, как их печатает производственный календарь."))

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The year.", "Год."))) var year: Int
        @Option(help: ArgumentHelp(Language.text("Schedule to count in.", "График, по которому считать.")))
        var schedule = Schedule.executorName

        func run() throws {
            let months = try global.withClient { client throws(RPCError) in
                try (1...12).map { month throws(RPCError) in
                    try client.call(
                        CalendarService.monthSummary,
                        MonthSummaryRequest(year: Int32(clamping: year), month: UInt32(month), schedule: schedule))
                }
            }
            global.show(YearSummary(year: year, schedule: schedule, months: months))
        }
    }
}

/// A year's working days and hours by month, as the production calendar prints them.
struct YearSummary: Output {
    let year: Int
    let schedule: String
    let months: [MonthSummaryResponse]

    var days: Int { months.reduce(0) { $0 + Int($1.workingDays) } }
    var minutes: Int { months.reduce(0) { $0 + Int($1.workingMinutes) } }

    var text: String {
        let width = max(monthNames.english.map(\.count).max()!, monthNames.russian.map(\.count).max()!) + 2
        func pad(_ text: String, _ count: Int) -> String {
            text + String(repeating: " ", count: max(0, count - text.count))
        }
        var lines = [
            "\(year) · " + Language.text("schedule \(schedule)", "график «\(schedule)»"),
            pad(Language.text("Month", "Месяц"), width) + Language.text("Days  Hours", "Дней  Часов"),
        ]
        for summary in months {
            lines.append(
                pad(monthName(summary.month), width) + pad(String(summary.workingDays), 6)
                    + hoursText(summary.workingMinutes))
        }
        lines.append(pad(Language.text("Year", "Год"), width) + pad(String(days), 6) + hoursText(minutes))
        return lines.joined(separator: "\n")
    }

    var json: JSON {
        .object([
            ("year", .integer(Int64(year))),
            (
                "months",
                .array(
                    months.map { summary in
                        .object([
                            ("month", .integer(Int64(summary.month))),
                            ("working_days", .integer(Int64(summary.workingDays))),
                            ("working_hours", .number(hours(summary.workingMinutes))),
                        ])
                    })
            ),
            ("working_days", .integer(Int64(days))),
            ("working_hours", .number(hours(minutes))),
            ("schedule", .string(schedule)),
        ])
    }
}
