import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Between: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text("Working minutes between two instants.", "Рабочие минуты между двумя моментами."))

        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Start: now, 15:40, yesterday 15:40, 2026-12-01 15:40 (the schedule's zone) or ISO 8601 with an offset.",
                    "Начало: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 (в поясе графика) или ISO 8601 со смещением."
                ))) var from: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "End: now, 15:40, yesterday 15:40, 2026-12-01 15:40 (the schedule's zone) or ISO 8601 with an offset.",
                    "Конец: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 (в поясе графика) или ISO 8601 со смещением."
                ))) var to: String
        @Option(help: ArgumentHelp(Language.text("Schedule to count in.", "График, по которому считать.")))
        var schedule = Schedule.executorName

        func run() throws {
            let request = WorkingTimeBetweenRequest(
                fromUnix: try global.instant(from, "--from").seconds, toUnix: try global.instant(to, "--to").seconds,
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
