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
            abstract: Say.Cases.rejectAMessageThat.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.theCase.text())) var id: String
        @Option(
            help: ArgumentHelp(
                Say.Cases.harmObsceneInsultOr.text()))
        var reason: String
        @Option(help: ArgumentHelp(Say.Cases.aComment.text())) var comment = ""
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
