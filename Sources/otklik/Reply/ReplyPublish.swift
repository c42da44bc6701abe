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
            abstract: Say.Replies.publishAbstract.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Common.assignmentHelp.text())) var assignment: String
        @Option(help: ArgumentHelp(Say.Replies.urlHelp.text()))
        var url: String
        @Option(
            help: ArgumentHelp(
                Say.Replies.accountHelp.text())
        ) var account = ""
        @Option(
            help: ArgumentHelp(
                Say.Replies.publishedAtHelp.text())) var at: String?
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
