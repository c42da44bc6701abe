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
            abstract: Language.text(
                "Route a case to one or more executors with their topics (p.7, p.17).",
                "Направить дело одному или нескольким исполнителям с их темами (п. 7, 17)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "An executor unit (repeatable: one assignment each).",
                    "Подразделение-исполнитель (можно несколько раз: по поручению на каждое)."))) var executor:
            [String] = []
        @Option(
            help: ArgumentHelp(Language.text("UNIT=TOPIC (repeatable).", "ПОДРАЗДЕЛЕНИЕ=ТЕМА (можно несколько раз).")))
        var topic: [String] = []
        @Option(help: ArgumentHelp(Language.text("normal or high.", "`normal` (обычная) или `high` (высокая).")))
        var importance: String?
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = RouteRequest()
            request.caseID = id
            request.executors = executor
            request.topics = try topic.map { pair in
                guard let eq = pair.firstIndex(of: "=") else {
                    throw ValidationError(
                        Language.text("--topic takes UNIT=TOPIC", "--topic принимает ПОДРАЗДЕЛЕНИЕ=ТЕМА"))
                }
                var t = TopicAssignment()
                t.unit = String(pair[..<eq])
                t.topic = String(pair[pair.index(after: eq)...])
                return t
            }
            request.importance = try wordOption(importance, "--importance")
            try global.step(CasesService.route, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
