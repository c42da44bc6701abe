import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Cases.rejectAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.idHelp.text())) var id: String
        @Option(
            help: ArgumentHelp(
                Say.Cases.rejectReasonHelp.text()))
        var reason: String
        @Option(help: ArgumentHelp(Say.Cases.commentHelp.text())) var comment = ""
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = RejectRequest()
            request.caseID = id
            request.reason = try wordOption(reason, "--reason")
            request.comment = comment
            try global.step(CasesService.reject, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
