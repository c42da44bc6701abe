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
            abstract: Say.Drafts.returnAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Common.assignmentHelp.text())) var assignment: String
        @Option(
            help: ArgumentHelp(
                Say.Drafts.returnReasonHelp.text())) var reason: String
        @Option(help: ArgumentHelp(Say.Drafts.commentHelp.text())) var comment: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = DraftDecisionRequest()
            request.assignmentID = assignment
            request.reason = try wordOption(reason, "--reason")
            request.comment = comment
            let view = try global.step(
                RepliesService.returnDraft, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
            global.sayAlsoOn(view)
        }
    }
}
