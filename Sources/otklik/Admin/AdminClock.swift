import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AdminCommand {
    struct Clock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Move the simulated clock of a daemon started with --test-clock.",
                "Перевести имитируемые часы демона, запущенного с --test-clock."),
            subcommands: [Set.self, Advance.self])

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: Language.text(
                    "Set the clock to an instant (never back).", "Поставить часы на момент (только вперёд)."))
            @OptionGroup var global: GlobalOptions
            @Argument(
                help: ArgumentHelp(
                    Language.text(
                        "The time: ISO 8601 with an offset, or 2026-12-01 15:40 (the schedule's zone).",
                        "Время: ISO 8601 со смещением или 2026-12-01 15:40 (в поясе графика)."))) var instant: String

            func run() throws {
                let request = SetClockRequest(nowUnix: try global.instant(instant, "instant").seconds)
                let answer = try global.withClient { client throws(RPCError) in
                    try client.call(AdminService.setClock, request)
                }
                global.show(answer)
            }
        }

        struct Advance: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: Language.text(
                    "Move the clock forward by wall-clock time: 90s, 30m, 2h30m, 3d.",
                    "Передвинуть часы вперёд на календарное время: 90s, 30m, 2h30m, 3d."))
            @OptionGroup var global: GlobalOptions
            @Argument(help: ArgumentHelp(Language.text("How far.", "На сколько."))) var by: String

            func run() throws {
                guard let seconds = Self.seconds(by) else {
                    throw ValidationError(
                        Language.text(
                            "\(by) is not a duration like 90s, 30m, 2h30m or 3d",
                            "\(by) — не длительность вида 90s, 30m, 2h30m или 3d"))
                }
                let answer = try global.withClient { client throws(RPCError) in
                    try client.call(AdminService.advanceClock, AdvanceClockRequest(seconds: seconds))
                }
                global.show(answer)
            }

            static func seconds(_ text: String) -> Int64? { DurationText(text)?.totalSeconds }
        }
    }
}

/// The simulated clock after a move: people read the instant alone.
extension ClockResponse: Output {
    var text: String { now }
    var json: JSON { .object([("now", .string(now)), ("simulated", .bool(true))]) }
}
