import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Withdraw a message registered by mistake (not a p.20 rejection): its clocks stop, never late (curator).",
                "Снять сообщение, зарегистрированное по ошибке (не отклонение по п. 20): сроки останавливаются и не нарушаются (куратор)."
            ),
            discussion: Language.text(
                "Counted apart in the monthly report. `otklik case reopen` undoes it.",
                "В месячной сводке считается отдельно. Отменяет снятие `otklik case reopen`."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = WithdrawRequest()
            request.caseID = id
            request.reason = why.reason
            try global.step(CasesService.withdraw, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
