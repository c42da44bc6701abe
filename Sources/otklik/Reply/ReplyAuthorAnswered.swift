import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension ReplyCommand {
    struct AuthorAnswered: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "author-answered",
            abstract: Language.text(
                "Record the author's answer to a clarification; the clocks run again (p.10).",
                "Записать ответ автора на запрос уточнения; сроки снова идут (п. 10)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The assignment.", "Поручение."))) var assignment: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the author answered (now, 15:40, yesterday 15:40, ...).",
                    "Когда ответил автор (now, 15:40, вчера 15:40, ...)."))) var at: String
        @Option(help: ArgumentHelp(Language.text("What the author said.", "Что сказал автор."))) var text = ""
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = AuthorAnswerRequest()
            request.assignmentID = assignment
            request.atUnix = try global.instant(at, "--at").seconds
            request.text = text
            try global.step(
                RepliesService.recordAuthorAnswer, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}
