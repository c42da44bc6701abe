import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AssignmentCommand {
    struct Give: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Assignments.giveAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Common.assignmentHelp.text())) var assignment: String
        @Option(help: ArgumentHelp(Say.Assignments.toHelp.text())) var to: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = AssignmentHolderRequest()
            request.assignmentID = assignment
            request.login = to
            try global.step(
                CasesService.giveAssignment, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}
