import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Cases.reopenAbstract.text(),
            discussion: Say.Cases.reopenDiscussion.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.idHelp.text())) var id: String
        @Option(
            help: ArgumentHelp(
                Say.Cases.reopenUnitHelp.text())) var executor: [String] =
                []
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = ReopenRequest()
            request.caseID = id
            request.executors = try executor.map { try UnitTitles.code($0, global, option: "--executor") }
            request.reason = why.reason
            try global.step(CasesService.reopen, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
