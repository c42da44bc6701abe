import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AssignmentCommand {
    struct Take: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Assignments.takeAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Common.assignmentHelp.text())) var assignment: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = AssignmentHolderRequest()
            request.assignmentID = assignment
            try global.step(
                CasesService.takeAssignment, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}
