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
            abstract: Say.Replies.publishAbstract.text(), discussion: Say.Replies.publishDiscussion.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Common.assignmentHelp.text())) var assignment: String
        @Option(help: ArgumentHelp(Say.Replies.urlHelp.text()))
        var url = ""
        @Option(help: ArgumentHelp(Say.Replies.viaHelp.text()))
        var via: String?
        @Option(
            help: ArgumentHelp(
                Say.Replies.accountHelp.text())
        ) var account = ""
        @Option(
            help: ArgumentHelp(
                Say.Replies.publishedAtHelp.text())) var at: String?
        @OptionGroup var version: ExpectedVersion

        func validate() throws {
            if via != nil, !url.isEmpty || !account.isEmpty || at != nil {
                throw ValidationError(Say.Replies.viaOrURL.text())
            }
        }

        func run() throws {
            if let via {
                var request = RequestPublicationRequest()
                request.assignmentID = assignment
                // `--via telegram`, `--via ВК`: the network as people name it, or its code.
                request.network = networkOption(via) ?? via
                try global.step(
                    RepliesService.requestPublication, request, on: try caseID(ofAssignment: assignment),
                    expectedVersion: version.expectedVersion)
                return
            }
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
