import ArgumentParser
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik queue`: what waits for my step, the earliest due first.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: Language.text(
            "What waits for your step, the earliest deadline first.",
            "Что ждёт вашего шага: сначала то, у чего срок раньше."),
        discussion: Language.text(
            """
            Curators: messages to route, drafts to review, approved replies to publish, clarifications \
            waiting for the author's answer. Executors: their units' assignments to draft, rework or finish. \
            Time left is working time; what is overdue comes first, in red on a colour terminal.
            """,
            """
            Куратору: сообщения, которые нужно направить, проекты на проверку, согласованные ответы к \
            публикации, запросы уточнения, ждущие ответа автора. Исполнителю: поручения его подразделения, \
            по которым нужно подготовить, доработать или завершить ответ. Остаток — в рабочем времени; \
            просроченное идёт первым и на цветном терминале выделено красным.
            """))

    @OptionGroup var global: GlobalOptions
    @Option(
        help: ArgumentHelp(
            Language.text("At most this many cases.", "Не больше стольких дел.")))
    var limit: UInt32 = 50
    @Option(
        help: ArgumentHelp(
            Language.text(
                "The next page: the cursor the previous page ended with.",
                "Следующая страница: курсор, которым закончилась предыдущая.")))
    var after: String?

    func run() throws {
        var request = QueueRequest()
        request.limit = limit
        request.after = after ?? ""
        let answer = try global.withClient { client throws(RPCError) in try client.call(CasesService.queue, request) }
        Render.print(global.output) {
            Self.table(answer, limit: limit)
        } json: {
            .object(
                [
                    (
                        "items",
                        .array(
                            answer.items.map {
                                .object([
                                    ("case", caseJSON($0.view ?? CaseView())),
                                    ("step", stepJSON($0.step ?? NextStep())),
                                ])
                            })
                    ),
                    ("total", .integer(Int64(answer.total))), ("total_capped", .bool(answer.totalCapped)),
                ] + (answer.nextAfter.isEmpty ? [] : [("next_cursor", .string(answer.nextAfter))]))
        }
    }

    static func table(_ answer: QueueResponse, limit: UInt32) -> String {
        guard !answer.items.isEmpty else {
            return Language.text("Nothing waits for you.", "Ничего не ждёт вашего шага.")
        }
        let header = [
            Language.text("DUE", "СРОК"), Language.text("LEFT", "ОСТАЛОСЬ"), Language.text("CASE", "ДЕЛО"),
            Language.text("STEP", "ШАГ"), Language.text("EXECUTOR", "ИСПОЛНИТЕЛЬ"), Language.text("AUTHOR", "АВТОР"),
            Language.text("TEXT", "ТЕКСТ"),
        ]
        var overdue: Set<Int> = []
        let rows = answer.items.enumerated().map { index, item -> [String] in
            let view = item.view ?? CaseView()
            let step = item.step ?? NextStep()
            let late = step.isLate
            if late { overdue.insert(index) }
            let left =
                step.due.isEmpty
                ? "-"
                : late ? Language.text("overdue", "просрочено") : WorkingTimeText.duration(minutes: step.leftMinutes)
            var executor = step.unit.isEmpty ? "-" : step.unit
            if !step.responsible.isEmpty { executor += " (\(step.responsible))" }
            return [
                step.due.isEmpty ? "-" : step.due, left, step.assignmentID.isEmpty ? view.id : step.assignmentID,
                step.kind.spoken, executor, TextLayout.snippet(view.author, characters: 24),
                TextLayout.snippet(view.text, characters: 40),
            ]
        }
        // Overdue rows in red: the whole line, marked after the columns are laid out.
        let lines = Render.columns(header, rows).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map {
                index, line in index > 0 && overdue.contains(index - 1) ? Terminal.red(String(line)) : String(line)
            }
        let shown = Set(answer.items.map { $0.view?.id ?? "" }).count
        let total = answer.totalCapped ? Language.text("more than 10,000", "более 10 000") : String(answer.total)
        var footer =
            Language.text("Cases shown: \(shown) of \(total).", "Показано дел: \(shown) из \(total).")
        if !answer.nextAfter.isEmpty {
            footer += Language.text(
                " Next page: `otklik queue --after \(answer.nextAfter)`",
                " Следующая страница: `otklik queue --after \(answer.nextAfter)`")
        }
        return (lines + ["", footer]).joined(separator: "\n")
    }
}

/// A next step as scripts read it.
func stepJSON(_ step: NextStep) -> JSON {
    .object([
        ("kind", .string(step.kind.name)),
        ("assignment", step.assignmentID.isEmpty ? .null : .string(step.assignmentID)),
        ("role", .string(step.role.name)), ("unit", step.unit.isEmpty ? .null : .string(step.unit)),
        ("responsible", step.responsible.isEmpty ? .null : .string(step.responsible)),
        ("due", step.due.isEmpty ? .null : .string(step.due)), ("left_minutes", .integer(step.leftMinutes)),
        ("overdue", .bool(step.overdue)),
    ])
}
