import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Month: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Calendar.monthAbstract.text())

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Calendar.monthHelp.text())) var month: String
        @Option(help: ArgumentHelp(Say.Calendar.scheduleHelp.text()))
        var schedule = Schedule.executorName

        func run() throws {
            let parts = month.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let number = Int(parts[1]),
                (1...12).contains(number)
            else {
                throw ValidationError(
                    Say.Calendar.isNotAMonth(month).text())
            }
            let summary = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.monthSummary,
                    MonthSummaryRequest(year: Int32(year), month: UInt32(number), schedule: schedule))
            }
            global.show(summary)
        }
    }
}

/// A month like a wall calendar for people; its days one by one for scripts.
extension MonthSummaryResponse: Output {
    var json: JSON {
        .object([
            ("month", .string(String(format: "%04d-%02d", year, month))),
            ("working_days", .integer(Int64(workingDays))),
            ("working_hours", .number(hours(workingMinutes))),
            (
                "days",
                .array(
                    days.map { day in
                        .object([
                            ("date", .string(day.date)), ("kind", .string(day.kind.name)),
                            ("minutes", .integer(Int64(day.minutes))),
                        ])
                    })
            ),
            ("schedule", .string(schedule)),
            ("schedule_version", .integer(Int64(scheduleVersion))),
        ])
    }

    var text: String {
        var lines = [
            Say.Calendar.scheduleHeading("\(monthName(month)) \(year)", schedule).text()
        ]
        // One space first: the names stand over the days' two digits.
        lines.append(" " + Say.Calendar.weekdayHeadings.text())
        let first = LocalDate(iso: days.first?.date ?? "") ?? LocalDate(dayNumber: 0)
        var cells = Array(repeating: "   ", count: first.weekday.rawValue - 1)
        for day in days {
            let number = Int(day.date.suffix(2)) ?? 0
            let mark =
                switch day.kind {
                case .holiday: "H"
                case .dayOff: "-"
                case .shortened: "*"
                case .working, .unspecified, .unrecognized: " "
                }
            cells.append((number < 10 ? " " : "") + "\(number)\(mark)")
        }
        while !cells.isEmpty {
            lines.append(cells.prefix(7).joined(separator: " "))
            cells.removeFirst(min(7, cells.count))
        }
        lines.append(
            Say.Calendar.monthTotals(workingDays, hoursText(workingMinutes)).text())
        lines.append(
            Say.Calendar.monthLegend.text())
        return lines.joined(separator: "\n")
    }
}
