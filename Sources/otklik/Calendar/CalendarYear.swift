import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Year: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Calendar.yearAbstract.text())

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Calendar.yearHelp.text())) var year: Int
        @Option(help: ArgumentHelp(Say.Calendar.scheduleHelp.text()))
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
        // Safe to unwrap: the catalogue names twelve months.
        let width = Say.Calendar.months.map { max($0.english.count, $0.russian.count) }.max()! + 2
        func pad(_ text: String, _ count: Int) -> String {
            text + String(repeating: " ", count: max(0, count - text.count))
        }
        /// A row of the table: its first column padded, then the rest.
        func row(_ first: String, _ rest: String) -> String { pad(first, width) + rest }
        var lines = [
            Say.Calendar.scheduleHeading("\(year)", schedule).text(),
            row(Say.Calendar.month.text(), Say.Calendar.daysHours.text()),
        ]
        for summary in months {
            lines.append(
                row(monthName(summary.month), pad(String(summary.workingDays), 6) + hoursText(summary.workingMinutes)))
        }
        lines.append(row(Say.Calendar.year.text(), pad(String(days), 6) + hoursText(minutes)))
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
