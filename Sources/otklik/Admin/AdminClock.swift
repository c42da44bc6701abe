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
            abstract: Say.Admin.clockAbstract.text(),
            subcommands: [Set.self, Advance.self])

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: Say.Admin.setAbstract.text())
            @OptionGroup var global: GlobalOptions
            @Argument(
                help: ArgumentHelp(
                    Say.Admin.instantHelp.text())) var instant: String

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
                abstract: Say.Admin.advanceAbstract.text())
            @OptionGroup var global: GlobalOptions
            @Argument(help: ArgumentHelp(Say.Admin.byHelp.text())) var by: String

            func run() throws {
                guard let seconds = Self.seconds(by) else {
                    throw ValidationError(
                        Say.Admin.isNotADuration(by).text())
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
