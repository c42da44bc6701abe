import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "When a term ends: an instant plus (or minus) working time.",
                "Когда истекает срок: момент плюс (или минус) рабочее время."),
            discussion: Language.text(
                "Durations: 30m, 8h, 1h30m (working time), 7d (close of the 7th working day after the day of --from).",
                "Длительности: 30m, 8h, 1h30m (рабочее время), 7d (конец 7-го рабочего дня после дня --from)."))

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
                    "Working time to add: 30m, 8h, 1h30m or 7d.",
                    "Сколько рабочего времени прибавить: 30m, 8h, 1h30m или 7d."))) var add: String
        @Option(help: ArgumentHelp(Language.text("Schedule to count in.", "График, по которому считать.")))
        var schedule = Schedule.executorName
        @Flag(help: ArgumentHelp(Language.text("Count backwards instead.", "Считать назад."))) var subtract = false

        func run() throws {
            let start = try global.instant(from, "--from")
            guard let term = WorkingDuration(text: add) else {
                throw ValidationError(
                    Language.text(
                        "--add \(add) is not a duration like 30m, 8h, 1h30m or 7d",
                        "--add \(add) — не длительность вида 30m, 8h, 1h30m или 7d"))
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
