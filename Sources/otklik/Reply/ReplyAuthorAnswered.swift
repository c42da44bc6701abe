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
            abstract: Say.Replies.authorAnsweredAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Common.assignmentHelp.text())) var assignment: String
        @Option(
            help: ArgumentHelp(
                Say.Replies.answeredAtHelp.text())) var at: String
        @Option(help: ArgumentHelp(Say.Replies.textHelp.text())) var text = ""
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
