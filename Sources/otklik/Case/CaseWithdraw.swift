import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Cases.withdrawAbstract.text(),
            discussion: Say.Cases.withdrawDiscussion.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.idHelp.text())) var id: String
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = WithdrawRequest()
            request.caseID = id
            request.reason = why.reason
            try global.step(CasesService.withdraw, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
