import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Correct registration facts; the old and new values are recorded and the clocks follow the corrected facts (curator).",
                "Исправить данные регистрации; старые и новые значения записываются, сроки следуют исправленным данным (куратор)."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the post was found: now, 15:40, yesterday 15:40, 2026-12-01 15:40 or ISO 8601 with an offset.",
                    "Когда пост выявлен: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 или ISO 8601 со смещением.")
            )) var detectedAt: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the post was written (the same forms as --detected-at).",
                    "Когда пост написан (в тех же формах, что --detected-at)."))) var postedAt: String?
        @Option(help: ArgumentHelp(Language.text("The post's URL.", "Ссылка на пост."))) var url: String?
        @Option(help: ArgumentHelp(Language.text("The author's name.", "Имя автора."))) var author: String?
        @Option(help: ArgumentHelp(Language.text("The network.", "Сеть."))) var network: String?
        @Option(help: ArgumentHelp(Language.text("normal or high.", "`normal` (обычная) или `high` (высокая).")))
        var importance: String?
        @OptionGroup var why: StepReason
        @Flag(
            help: ArgumentHelp(
                Language.text(
                    "Take a time more than 30 days ago: it is not a typo.",
                    "Принять время старше 30 дней: это не опечатка."))) var allowOld = false
        @OptionGroup var version: ExpectedVersion

        func validate() throws {
            guard
                detectedAt != nil || postedAt != nil || url != nil || author != nil || network != nil
                    || importance != nil
            else {
                throw ValidationError(
                    Language.text(
                        "name what to correct: --detected-at, --posted-at, --url, --author, --network or --importance",
                        "укажите, что исправить: --detected-at, --posted-at, --url, --author, --network или --importance"
                    ))
            }
        }

        func run() throws {
            var request = CorrectRequest()
            request.caseID = id
            request.detectedAtUnix = try detectedAt.map { try global.instant($0, "--detected-at").seconds } ?? 0
            request.postedAtUnix = try postedAt.map { try global.instant($0, "--posted-at").seconds } ?? 0
            request.url = url ?? ""
            request.author = author ?? ""
            request.network = network ?? ""
            request.importance = try wordOption(importance, "--importance")
            request.reason = why.reason
            request.allowOld = allowOld
            try global.step(CasesService.correct, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
