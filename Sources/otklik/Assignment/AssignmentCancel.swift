import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AssignmentCommand {
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Assignments.cancelAbstract.text(),
            discussion: Say.Assignments.cancelDiscussion.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Say.Assignments.assignmentHelp.text()))
        var assignment: String
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = CancelAssignmentRequest()
            request.assignmentID = assignment
            request.reason = why.reason
            try global.step(
                CasesService.cancelAssignment, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}
