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
            abstract: Say.Drafts.waiveEvidenceAbstract.text(),
            discussion: Say.Drafts.waiveEvidenceDiscussion.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Common.assignmentHelp.text())) var assignment: String
        @Option(
            help: ArgumentHelp(
                Say.Drafts.waiveReasonHelp.text()))
        var reason: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = WaiveEvidenceRequest()
            request.assignmentID = assignment
            request.reason = reason
            let view = try global.step(
                RepliesService.waiveEvidence, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
            global.sayAlsoOn(view)
        }
    }
}
