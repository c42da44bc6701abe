import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension DraftCommand {
    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Drafts.approveAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Common.assignmentHelp.text())) var assignment: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = DraftDecisionRequest()
            request.assignmentID = assignment
            let view = try global.step(
                RepliesService.approveDraft, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
            global.sayAlsoOn(view)
        }
    }
}
