import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AssignmentCommand {
    struct Give: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Give an assignment to an executor, who then answers for it.",
                "Передать поручение исполнителю, который будет за него отвечать."))
        @OptionGroup var global: GlobalOptions
        @Argument var assignment: String
        @Option(help: ArgumentHelp(Language.text("The executor's login.", "Логин исполнителя."))) var to: String
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
