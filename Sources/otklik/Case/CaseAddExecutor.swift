import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct AddExecutor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-executor",
            abstract: Language.text(
                "Add an executor to a routed case, with the topics it answers for (curator, p.17).",
                "Добавить исполнителя к направленному делу с темами, за которые он отвечает (куратор, п. 17)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(help: ArgumentHelp(Language.text("The unit.", "Подразделение."))) var executor: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "A topic it answers for (repeatable, at least one).",
                    "Тема, за которую оно отвечает (можно несколько раз, хотя бы одна)."))) var topic: [String] = []
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = AddExecutorRequest()
            request.caseID = id
            request.executor = executor
            request.topics = topic
            request.reason = why.reason
            try global.step(CasesService.addExecutor, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
