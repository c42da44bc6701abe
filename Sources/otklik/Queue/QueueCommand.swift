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
        let shown = Set(answer.items.map { $0.view?.id ?? "" }).count
        let total = answer.totalCapped ? Language.text("more than 10,000", "более 10 000") : String(answer.total)
        var footer = Language.text("Cases shown: \(shown) of \(total).", "Показано дел: \(shown) из \(total).")
        if !answer.nextAfter.isEmpty {
            footer += Language.text(
                " Next page: `otklik queue --after \(answer.nextAfter)`",
                " Следующая страница: `otklik queue --after \(answer.nextAfter)`")
        }
        global.show(
            Rows(
                key: "items", fields: Self.fields, rows: answer.items,
                extra: [("total", .integer(Int64(answer.total))), ("total_capped", .bool(answer.totalCapped))]
                    + (answer.nextAfter.isEmpty ? [] : [("next_cursor", .string(answer.nextAfter))]),
                empty: Phrase("Nothing waits for you.", "Ничего не ждёт вашего шага."), footer: footer,
                marked: { ($0.step ?? NextStep()).isLate }))
    }

    /// A step waiting for the caller: its due time and what is left, the case it is on.
    static var fields: [Field<QueueItem>] {
        func step(_ item: QueueItem) -> NextStep { item.step ?? NextStep() }
        func view(_ item: QueueItem) -> CaseView { item.view ?? CaseView() }
        return [
            .shown(Phrase("Due", "Срок")) { step($0).due.isEmpty ? "-" : step($0).due },
            .shown(Phrase("Left", "Осталось")) {
                let step = step($0)
                return step.due.isEmpty
                    ? "-"
                    : step.isLate
                        ? Language.text("overdue", "просрочено") : WorkingTimeText.duration(minutes: step.leftMinutes)
            },
            .shown(Phrase("Case", "Дело")) { step($0).assignmentID.isEmpty ? view($0).id : step($0).assignmentID },
            .shown(Phrase("Step", "Шаг")) { step($0).kind.spoken },
            .shown(Phrase("Executor", "Исполнитель")) {
                let step = step($0)
                return (step.unit.isEmpty ? "-" : step.unit)
                    + (step.responsible.isEmpty ? "" : " (\(step.responsible))")
            },
            .shown(Phrase("Author", "Автор")) { TextLayout.snippet(view($0).author, characters: 24) },
            .shown(Phrase("Text", "Текст")) { TextLayout.snippet(view($0).text, characters: 40) },
            .script("case") { caseJSON(view($0)) },
            .script("step") { stepJSON(step($0)) },
        ]
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
