import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Reopen a done, rejected or withdrawn case (curator).",
                "Возобновить завершённое, отклонённое или снятое дело (куратор)."),
            discussion: Language.text(
                "A done case whose reply was removed or proved wrong gets a fresh assignment cycle (its clocks start now) for the units named, or those that answered. A rejected or withdrawn case returns to where it was.",
                "Завершённое дело, ответ по которому удалён или оказался неверным, получает новый цикл поручений (сроки идут с этого момента) для указанных подразделений или тех, что отвечали. Отклонённое или снятое дело возвращается туда, где было."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "A unit of the fresh cycle (repeatable; default: those that answered).",
                    "Подразделение нового цикла (можно несколько раз; по умолчанию те, что отвечали)."))) var executor:
            [String] =
                []
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = ReopenRequest()
            request.caseID = id
            request.executors = executor
            request.reason = why.reason
            try global.step(CasesService.reopen, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
