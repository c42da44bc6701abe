import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Reroute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Cases.rerouteAbstract.text(),
            discussion: Say.Cases.rerouteDiscussion.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Say.Common.assignmentWithExampleHelp.text()))
        var assignment: String
        @Option(help: ArgumentHelp(Say.Cases.rerouteToHelp.text()))
        var to: String
        @Option(
            help: ArgumentHelp(
                Say.Cases.rerouteTopicHelp.text())) var topic: [String] = []
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = RerouteRequest()
            request.assignmentID = assignment
            request.to = try UnitTitles.code(to, global, option: "--to")
            request.topics = topic
            request.reason = why.reason
            try global.step(
                CasesService.reroute, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
            global.warnOfRisk([AssignmentID(assignment)?.description ?? assignment])
        }
    }
}
