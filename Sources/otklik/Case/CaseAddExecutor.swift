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
            abstract: Say.Cases.addExecutorAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.idHelp.text())) var id: String
        @Option(help: ArgumentHelp(Say.Cases.addExecutorUnitHelp.text())) var executor: String
        @Option(
            help: ArgumentHelp(
                Say.Cases.addExecutorTopicHelp.text())) var topic: [String] = []
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = AddExecutorRequest()
            request.caseID = id
            request.executor = try UnitTitles.code(executor, global, option: "--executor")
            request.topics = topic
            request.reason = why.reason
            let view = try global.step(
                CasesService.addExecutor, request, on: id, expectedVersion: version.expectedVersion)
            global.warnOfRisk(view.assignments.last.map { [$0.id] } ?? [])
        }
    }
}
