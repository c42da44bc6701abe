import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AssignmentCommand {
    struct Take: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Take an assignment of your unit: you answer for it.",
                "Взять поручение своего подразделения: отвечать за него будете вы."))
        @OptionGroup var global: GlobalOptions
        @Argument var assignment: String
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
