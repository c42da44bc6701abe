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
            let more =
                "\n\n"
                + (answer.nextAfter.isEmpty
                    ? shown
                    : shown
                        + Language.text(
                            " More follow: `otklik case list --after \(answer.nextAfter)` (with the same filters), or a larger --limit.",
                            " Есть ещё: `otklik case list --after \(answer.nextAfter)` (с теми же отборами) или --limit побольше."
                        ))
            Render.print(global.output) {
                guard !cases.isEmpty else { return Language.text("No cases.", "Дел нет.") }
                let header = [
                    Language.text("CASE", "ДЕЛО"), Language.text("STATE", "СОСТОЯНИЕ"), Language.text("IMP.", "ВАЖН."),
                    Language.text("DETECTED", "ВЫЯВЛЕНО"), Language.text("AUTHOR", "АВТОР"),
                    Language.text("TEXT", "ТЕКСТ"), Language.text("EXECUTORS", "ИСПОЛНИТЕЛИ"),
                    Language.text("NEXT DUE", "БЛИЖАЙШИЙ СРОК"),
                ]
                let rows = cases.map { c -> [String] in
                    let open = ([c.route].compactMap { $0 } + c.assignments.flatMap(\.clocks)).filter {
                        $0.metAtUnix == 0 && $0.state != .paused
                    }
                    let next = open.min { $0.dueUnix < $1.dueUnix }
                    let nextText =
                        next.map {
                            "\($0.due) (\($0.kind.spoken))"
                                + ($0.state == .breached ? " — " + Language.text("overdue", "просрочено") : "")
                        } ?? "-"
                    return [
                        c.id, c.state.spoken, c.importance == .high ? c.importance.spoken : "",
                        c.detectedAt, TextLayout.snippet(c.author, characters: 24),
                        TextLayout.snippet(c.text, characters: 32),
                        c.assignments.map(\.executor).joined(separator: ","), nextText,
                    ]
                }
                return Render.columns(header, rows) + more
            } json: {
                .object(
                    [("cases", .array(cases.map { caseJSON($0) }))]
                        + (answer.nextAfter.isEmpty
                            ? []
                            : [("next_after", .string(answer.nextAfter)), ("next_cursor", .string(answer.nextAfter))])
                        + (answer.totalUnknown
                            ? []
                            : [("total", .integer(Int64(answer.total))), ("total_capped", .bool(answer.totalCapped))]))
            }
        }
    }
}
