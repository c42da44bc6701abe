import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Cases, newest first (or by the next deadline: --sort due), with filters.",
                "Дела, сначала новые (или по ближайшему сроку: --sort due), с отбором."))
        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "`detected` (newest first) or `due` (open cases, the earliest deadline first).",
                    "`detected` (сначала новые) или `due` (открытые дела, сначала с ближайшим сроком).")))
        var sort: String = "detected"
        @Option(
            help: ArgumentHelp(
                Language.text("Only this network (vk, ok, tg, ...).", "Только эта сеть (vk, ok, tg, ...).")))
        var network: String?
        @Option(help: ArgumentHelp(Language.text("Only cases with this topic.", "Только дела с этой темой.")))
        var topic: String?
        @Option(
            help: ArgumentHelp(Language.text("`normal` or `high`.", "`normal` (обычная) или `high` (высокая).")))
        var importance: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Detected at or after this time (2026-11-01, yesterday 09:00, ...).",
                    "Выявлены не раньше этого времени (2026-11-01, вчера 09:00, ...).")))
        var from: String?
        @Option(help: ArgumentHelp(Language.text("Detected before this time.", "Выявлены раньше этого времени.")))
        var to: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Only this author (the same words, any case).", "Только этот автор (те же слова, регистр любой).")))
        var author: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "new, routed, rejected or done.",
                    "`new` (новые), `routed` (направленные), `rejected` (отклонённые) или `done` (завершённые).")))
        var state: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Only cases with an assignment of this unit.", "Только дела с поручением этого подразделения.")))
        var executor: String?
        @Flag(
            help: ArgumentHelp(Language.text("Only cases with a clock past due.", "Только дела с просроченным сроком."))
        ) var overdue = false
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Only cases with an open clock due before this time (now, 15:40, tomorrow 18:00, ...).",
                    "Только дела со сроком раньше этого времени (now, 15:40, завтра 18:00, ...)."))) var dueBefore:
            String?
        @Flag(
            help: ArgumentHelp(
                Language.text(
                    "Only assignments I answer for (or an absent colleague I stand in for does) and what waits for my step (see `otklik queue`).",
                    "Только поручения, за которые отвечаю я (или замещаемый мной коллега), и то, что ждёт моего шага (см. `otklik queue`)."
                ))
        ) var mine = false
        @Option(help: ArgumentHelp(Language.text("At most this many.", "Не больше стольких."))) var limit: UInt32 = 50
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "The next page: the cursor the previous page ended with.",
                    "Следующая страница: курсор, которым закончилась предыдущая."))) var after: String?

        func run() throws {
            var request = ListCasesRequest()
            request.after = after ?? ""
            request.state = try wordOption(state, "--state")
            request.executor = executor ?? ""
            request.overdue = overdue
            request.dueBeforeUnix = try dueBefore.map { try global.instant($0, "--due-before").seconds } ?? 0
            request.mine = mine
            request.limit = limit
            switch sort {
            case "detected": request.byDue = false
            case "due": request.byDue = true
            default:
                throw ValidationError(
                    Language.text(
                        "--sort is `detected` or `due`, not \(sort)", "--sort — `detected` или `due`, а не \(sort)"))
            }
            request.network = network ?? ""
            request.topic = topic ?? ""
            request.importance = try wordOption(importance, "--importance")
            request.fromUnix = try from.map { try global.instant($0, "--from").seconds } ?? 0
            request.toUnix = try to.map { try global.instant($0, "--to").seconds } ?? 0
            request.author = author ?? ""
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(CasesService.listCases, request)
            }
            let cases = answer.cases
            let of =
                answer.totalUnknown
                ? ""
                : answer.totalCapped
                    ? Language.text(" of more than 10,000", " из более чем 10 000")
                    : Language.text(" of \(answer.total)", " из \(answer.total)")
            let shown = Language.text("Cases shown: \(cases.count)\(of).", "Показано дел: \(cases.count)\(of).")
            global.show(
                Rows(
                    key: "cases", fields: Self.fields, rows: cases, document: { caseJSON($0) },
                    extra: (answer.nextAfter.isEmpty
                        ? []
                        : [("next_after", .string(answer.nextAfter)), ("next_cursor", .string(answer.nextAfter))])
                        + (answer.totalUnknown
                            ? []
                            : [("total", .integer(Int64(answer.total))), ("total_capped", .bool(answer.totalCapped))]),
                    empty: Phrase("No cases.", "Дел нет."),
                    footer: answer.nextAfter.isEmpty
                        ? shown
                        : shown
                            + Language.text(
                                " More follow: `otklik case list --after \(answer.nextAfter)` (with the same filters), or a larger --limit.",
                                " Есть ещё: `otklik case list --after \(answer.nextAfter)` (с теми же отборами) или --limit побольше."
                            )))
        }

        /// A case as a line of the list (scripts read the whole case, README "Cases").
        static var fields: [Field<CaseView>] {
            func next(_ c: CaseView) -> String {
                let open = ([c.route].compactMap { $0 } + c.assignments.flatMap(\.clocks)).filter {
                    $0.metAtUnix == 0 && $0.state != .paused
                }
                return open.min { $0.dueUnix < $1.dueUnix }.map {
                    "\($0.due) (\($0.kind.spoken))"
                        + ($0.state == .breached ? " — " + Language.text("overdue", "просрочено") : "")
                } ?? "-"
            }
            return [
                .shown(Phrase("Case", "Дело"), \.id),
                .shown(Phrase("State", "Состояние")) { $0.state.spoken },
                .shown(Phrase("Imp.", "Важн.")) { $0.importance == .high ? $0.importance.spoken : "" },
                .shown(Phrase("Detected", "Выявлено"), \.detectedAt),
                .shown(Phrase("Author", "Автор")) { TextLayout.snippet($0.author, characters: 24) },
                .shown(Phrase("Text", "Текст")) { TextLayout.snippet($0.text, characters: 32) },
                .shown(Phrase("Executors", "Исполнители")) { $0.assignments.map(\.executor).joined(separator: ",") },
                .shown(Phrase("Next due", "Ближайший срок"), next),
            ]
        }
    }
}
