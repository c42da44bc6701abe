import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Between: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Calendar.betweenAbstract.text())

        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Say.Calendar.fromHelp.text())) var from: String
        @Option(
            help: ArgumentHelp(
                Say.Calendar.toHelp.text())) var to: String
        @Option(help: ArgumentHelp(Say.Calendar.scheduleHelp.text()))
        var schedule = Schedule.executorName

        func run() throws {
            let request = WorkingTimeBetweenRequest(
                fromUnix: try global.instant(from, "--from").seconds,
                toUnix: try global.instant(to, "--to", bound: .end).seconds,
                schedule: schedule)
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(CalendarService.workingTimeBetween, request)
            }
            global.show(answer)
        }
    }
}

/// Working time between two instants: people read the minutes alone, scripts also the schedule and
/// its version.
extension WorkingTimeBetweenResponse: Output {
    var text: String { String(workingMinutes) }
    var json: JSON {
        .object([
            ("working_minutes", .integer(workingMinutes)), ("schedule", .string(schedule)),
            ("schedule_version", .integer(Int64(scheduleVersion))),
        ])
    }
}
