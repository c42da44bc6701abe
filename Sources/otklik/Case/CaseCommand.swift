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
        abstract: Say.Cases.caseAbstract.text(),
        subcommands: [
            Show.self, List.self, Search.self, History.self, Route.self, Reject.self, LinkRepeat.self,
            Reroute.self, AddExecutor.self, Withdraw.self, Correct.self, Reopen.self,
        ])
}
