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
            abstract: Language.text(
                "Mark a case as repeating an earlier one (p.18).", "Отметить дело как повтор прежнего (п. 18)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(help: ArgumentHelp(Language.text("The earlier case.", "Прежнее дело."))) var of: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = LinkRepeatRequest()
            request.caseID = id
            request.of = of
            try global.step(CasesService.linkRepeat, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
