import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AssignmentCommand {
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Cancel an assignment of a split made wrong; its clocks stop, never late (curator).",
                "Отменить поручение ошибочного разделения; его сроки останавливаются и не нарушаются (куратор)."),
            discussion: Language.text(
                "The case must keep another assignment: to move the only one, use `otklik case reroute`; for a message registered by mistake, `otklik case withdraw`.",
                "В деле должно остаться другое поручение: единственное переносят `otklik case reroute`, а сообщение, зарегистрированное по ошибке, снимают `otklik case withdraw`."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Language.text("The assignment, e.g. 2026-000123/2.", "Поручение, например 2026-000123/2.")))
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
