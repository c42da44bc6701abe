import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension ReplyCommand {
    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Record the approved reply's publication (p.15).", "Записать публикацию согласованного ответа (п. 15).")
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The assignment.", "Поручение."))) var assignment: String
        @Option(help: ArgumentHelp(Language.text("The published reply's URL.", "Ссылка на опубликованный ответ.")))
        var url: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "The administration's account in the message's network that posted it (default: the only one there is, p.4).",
                    "Аккаунт администрации в сети сообщения, с которого вышел ответ (по умолчанию — единственный, п. 4)."
                ))
        ) var account = ""
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When it went out (default: now; 15:40, yesterday 15:40, ... are taken).",
                    "Когда он вышел (по умолчанию сейчас; можно 15:40, вчера 15:40, ...)."))) var at: String?
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = PublishRequest()
            request.assignmentID = assignment
            request.url = url
            request.account = account
            request.atUnix = try at.map { try global.instant($0, "--at").seconds } ?? 0
            try global.step(
                RepliesService.publish, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}
