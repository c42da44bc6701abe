import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Find earlier messages by their words (p.18: is this a repeat?), best match first.",
                "Найти прежние сообщения по словам (п. 18: не повтор ли?), сначала лучшие совпадения."),
            discussion: Language.text(
                "Every word of three letters or more must occur in the text or the author's name.",
                "Каждое слово из трёх и более букв должно быть в тексте или в имени автора."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("Words to find.", "Слова для поиска."))) var text: String
        @Option(help: ArgumentHelp(Language.text("Only messages of this author.", "Только сообщения этого автора.")))
        var author: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Detected at or after this time (now, 15:40, 2026-12-01, ...).",
                    "Выявлены не раньше этого времени (now, 15:40, 2026-12-01, ...)."))) var from: String?
        @Option(help: ArgumentHelp(Language.text("Detected before this time.", "Выявлены раньше этого времени.")))
        var to: String?
        @Option(help: ArgumentHelp(Language.text("At most this many.", "Не больше стольких."))) var limit: UInt32 = 20

        func run() throws {
            var request = SearchCasesRequest()
            request.text = text
            request.author = author ?? ""
            request.fromUnix = try from.map { try global.instant($0, "--from").seconds } ?? 0
            request.toUnix = try to.map { try global.instant($0, "--to").seconds } ?? 0
            request.limit = limit
            let hits = try global.withClient { client throws(RPCError) in
                try client.call(CasesService.searchCases, request)
            }.hits
            global.show(
                Rows(
                    key: "hits", fields: Self.fields, rows: hits, empty: Phrase("Nothing found.", "Ничего не найдено."))
            )
        }

        /// A found message: the case, the words that matched and how well.
        static var fields: [Field<SearchHit>] {
            [
                .shown(Phrase("Case", "Дело")) { $0.view?.id ?? "" },
                .shown(Phrase("State", "Состояние")) { ($0.view ?? CaseView()).state.spoken },
                .shown(Phrase("Detected", "Выявлено")) { $0.view?.detectedAt ?? "" },
                .shown(Phrase("Author", "Автор")) { $0.view?.author ?? "" },
                .string("snippet", Phrase("Match", "Совпадение"), \.snippet),
                .script("score") { .number($0.score) },
                .script("case") { caseJSON($0.view ?? CaseView()) },
            ]
        }
    }
}
