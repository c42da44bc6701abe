import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AssignmentCommand {
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Assignments.cancelAnAssignmentOf.text(),
            discussion: Say.Assignments.theCaseMustKeep.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Say.Assignments.theAssignmentEG.text()))
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
