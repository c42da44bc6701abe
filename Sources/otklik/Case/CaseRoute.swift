import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Route: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Cases.routeAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.idHelp.text())) var id: String
        @Option(
            help: ArgumentHelp(
                Say.Cases.routeExecutorHelp.text())) var executor: [String] = []
        @Option(
            help: ArgumentHelp(Say.Cases.routeTopicHelp.text()))
        var topic: [String] = []
        @Option(help: ArgumentHelp(Say.Common.importanceHelp.text()))
        var importance: String?
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = RouteRequest()
            request.caseID = id
            request.executors = try executor.map { try UnitTitles.code($0, global, option: "--executor") }
            request.topics = try topicAssignments(topic, global)
            request.importance = try wordOption(importance, "--importance")
            let view = try global.step(CasesService.route, request, on: id, expectedVersion: version.expectedVersion)
            global.warnOfRisk(view.assignments.filter { $0.state == .drafting }.map(\.id))
        }
    }
}

/// `--topic UNIT=TOPIC` options as the routing's topics, each unit named by its code or title.
func topicAssignments(_ pairs: [String], _ global: GlobalOptions) throws -> [TopicAssignment] {
    try pairs.map { pair in
        guard let eq = pair.firstIndex(of: "=") else { throw ValidationError(Say.Cases.topicWithoutUnit.text()) }
        var t = TopicAssignment()
        t.unit = try UnitTitles.code(String(pair[..<eq]), global, option: "--topic")
        t.topic = String(pair[pair.index(after: eq)...])
        return t
    }
}
