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
            abstract: Language.text(
                "Reject a message that is not processed (p.20), before or after routing; every clock stops.",
                "Отклонить сообщение, которое не рассматривается (п. 20), до или после направления; все сроки останавливаются."
            ))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "harm, obscene, insult or threat.",
                    "`harm` (призывы к вреду), `obscene` (брань), `insult` (оскорбления) или `threat` (угрозы).")))
        var reason: String
        @Option(help: ArgumentHelp(Language.text("A comment.", "Комментарий."))) var comment = ""
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
