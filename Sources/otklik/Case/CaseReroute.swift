import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Reroute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Move an assignment to another unit while none of its drafts is approved (curator).",
                "Передать поручение другому подразделению, пока ни один проект не согласован (куратор)."),
            discussion: Language.text(
                "The term stays the message's: the new unit's clocks keep the detection time. Lateness counts against the unit that held the assignment when its term ran out.",
                "Срок остаётся сроком сообщения: сроки нового подразделения идут от времени выявления. Опоздание записывается тому подразделению, у которого было поручение, когда срок истёк."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Language.text("The assignment, e.g. 2026-000123/1.", "Поручение, например 2026-000123/1.")))
        var assignment: String
        @Option(help: ArgumentHelp(Language.text("The unit it moves to.", "Подразделение, которому оно переходит.")))
        var to: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Its topics there (repeatable; default: as they are).",
                    "Его темы там (можно несколько раз; по умолчанию прежние)."))) var topic: [String] = []
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = RerouteRequest()
            request.assignmentID = assignment
            request.to = to
            request.topics = topic
            request.reason = why.reason
            try global.step(
                CasesService.reroute, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}
