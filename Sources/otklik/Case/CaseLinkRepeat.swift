import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct LinkRepeat: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link-repeat",
            abstract: Say.Cases.linkRepeatAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.idHelp.text())) var id: String
        @Option(help: ArgumentHelp(Say.Cases.repeatOfHelp.text())) var of: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = LinkRepeatRequest()
            request.caseID = id
            request.of = of
            try global.step(CasesService.linkRepeat, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
