import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension DraftCommand {
    struct WaiveEvidence: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "waive-evidence",
            abstract: Language.text(
                "Let the draft under review be approved without the photo or video the profile asks for (p.19).",
                "Разрешить согласовать проект без фото или видео, которых требует профиль (п. 19)."),
            discussion: Language.text(
                "The reason is recorded with the draft and counted in the monthly report.",
                "Причина записывается с проектом и учитывается в месячной сводке."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The assignment.", "Поручение."))) var assignment: String
        @Option(
            help: ArgumentHelp(
                Language.text("Why no photo or video can be had.", "Почему фото или видео получить нельзя.")))
        var reason: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = WaiveEvidenceRequest()
            request.assignmentID = assignment
            request.reason = reason
            try global.step(
                RepliesService.waiveEvidence, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}
