import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Calendar.dueAbstract.text(),
            discussion: Say.Calendar.dueDiscussion.text())

        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Say.Calendar.fromHelp.text())) var from: String
        @Option(
            help: ArgumentHelp(
                Say.Calendar.addHelp.text())) var add: String
        @Option(help: ArgumentHelp(Say.Calendar.scheduleHelp.text()))
        var schedule = Schedule.executorName
        @Flag(help: ArgumentHelp(Say.Calendar.subtractHelp.text())) var subtract = false

        func run() throws {
            let start = try global.instant(from, "--from")
            guard let term = WorkingDuration(text: add) else {
                throw ValidationError(
                    Say.Calendar.addNotADuration(add).text())
            }
            let due = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.computeDue,
                    ComputeDueRequest(from: start, term: term, subtract: subtract, schedule: schedule))
            }
            global.show(due)
        }
    }
}

/// A due time: people read the instant alone, scripts also the schedule and its version.
extension ComputeDueResponse: Output {
    var text: String { due }
    var json: JSON {
        .object([
            ("due", .string(due)), ("schedule", .string(schedule)),
            ("schedule_version", .integer(Int64(scheduleVersion))),
        ])
    }
}
