import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension DraftCommand {
    struct Return: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Return the draft under review for rework (p.13, p.14).", "Вернуть проект на доработку (п. 13, 14)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The assignment.", "Поручение."))) var assignment: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "formal, no_evidence, contradictory, incomplete, measures (p.18) or other.",
                    "`formal` (формальный), `no_evidence` (нет фото/видео), `contradictory` (противоречивый), `incomplete` (неполный), `measures` (нет мер, п. 18) или `other` (другое)."
                ))) var reason: String
        @Option(help: ArgumentHelp(Language.text("What to change.", "Что изменить."))) var comment: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = DraftDecisionRequest()
            request.assignmentID = assignment
            request.reason = try wordOption(reason, "--reason")
            request.comment = comment
            try global.step(
                RepliesService.returnDraft, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}
