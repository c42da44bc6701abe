import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension MessageCommand {
    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Register a message (idempotent on network and external id or URL).",
                "Зарегистрировать сообщение (повторная регистрация того же поста вернёт прежнее дело)."))
        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Language.text("Сеть: `vk`, `ok`, `fb`, `ig`, `tg`, ...", "Сеть: `vk`, `ok`, `fb`, `ig`, `tg`, ...")))
        var network: String
        @Option(help: ArgumentHelp(Language.text("The post's URL.", "Ссылка на пост."))) var url: String
        @Option(help: ArgumentHelp(Language.text("The author's name.", "Имя автора."))) var author: String
        @Option(help: ArgumentHelp(Language.text("The message text.", "Текст сообщения."))) var text: String?
        @Option(help: ArgumentHelp(Language.text("A file holding the message text.", "Файл с текстом сообщения.")))
        var textFile: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the post was found: now, 15:40, yesterday 15:40, 2026-12-01 15:40 or ISO 8601 with an offset.",
                    "Когда пост выявлен: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 или ISO 8601 со смещением.")
            )) var detectedAt: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the post was written (the same forms as --detected-at).",
                    "Когда пост написан (в тех же формах, что --detected-at)."))) var postedAt: String?
        @Option(
            help: ArgumentHelp(
                Language.text("The monitoring system's card id.", "Номер карточки в системе мониторинга.")))
        var externalID: String?
        @Option(help: ArgumentHelp(Language.text("A topic (repeatable).", "Тема (можно несколько раз)."))) var topic:
            [String] = []
        @Option(help: ArgumentHelp(Language.text("normal or high.", "`normal` (обычная) или `high` (высокая).")))
        var importance = "normal"
        @Flag(
            help: ArgumentHelp(
                Language.text(
                    "Take a detection or posting time more than 30 days ago (the profile's max_fact_age_days): it is not a typo.",
                    "Принять время выявления или публикации старше 30 дней (max_fact_age_days профиля): это не опечатка."
                ))
        ) var allowOld = false

        func run() throws {
            var request = RegisterMessageRequest()
            request.allowOld = allowOld
            request.network = network
            request.url = url
            request.author = author
            request.text = try messageText(text, textFile)
            request.detectedAtUnix = try global.instant(detectedAt, "--detected-at").seconds
            request.postedAtUnix = try postedAt.map { try global.instant($0, "--posted-at").seconds } ?? 0
            request.externalID = externalID ?? ""
            request.topics = topic
            request.importance = try wordOption(importance, "--importance")
            let view = try global.withClient { client throws(RPCError) in
                try client.call(CasesService.registerMessage, request)
            }
            global.show(CaseSheet(view: view, includeExisting: true))
        }
    }
}
