import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

struct CaseCommandGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: Language.text(
            "Cases: route, reject, link repeats, show, list, search, history.",
            "Дела: направить, отклонить, отметить повтор, показать, список, поиск, история."),
        subcommands: [
            Show.self, List.self, Search.self, History.self, Route.self, Reject.self, LinkRepeat.self,
            Reroute.self, AddExecutor.self, Withdraw.self, Correct.self, Reopen.self,
        ])
}
