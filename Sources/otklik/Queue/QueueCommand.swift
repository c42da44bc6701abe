import ArgumentParser
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik queue`: what waits for my step, the earliest due first.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: Say.Queue.queueAbstract.text(),
        discussion: Say.Queue.queueDiscussion.text())

    @OptionGroup var global: GlobalOptions
    @Option(
        help: ArgumentHelp(
            Say.Queue.limitHelp.text()))
    var limit: UInt32 = 50
    @Option(
        help: ArgumentHelp(
            Say.Common.afterHelp.text()))
    var after: String?
    @Flag(help: ArgumentHelp(Say.Board.curatorHelp.text())) var curator = false

    func run() throws {
        if curator { return try curatorView() }
        var request = QueueRequest()
        request.limit = limit
        request.after = after ?? ""
        let answer = try global.withClient { client throws(RPCError) in try client.call(CasesService.queue, request) }
        let shown = Set(answer.items.map { $0.view?.id ?? "" }).count
        let footer =
            ([answer.totalCapped ? Say.Queue.casesShownOfMany(shown) : Say.Queue.casesShown(shown, of: answer.total)]
            + (answer.nextAfter.isEmpty ? [] : [Say.Queue.nextPage(answer.nextAfter)])).map { $0.text() }
            .joined(separator: " ")
        global.show(
            Rows(
                key: "items", fields: Self.fields, rows: answer.items,
                extra: [("total", .integer(Int64(answer.total))), ("total_capped", .bool(answer.totalCapped))]
                    + (answer.nextAfter.isEmpty ? [] : [("next_cursor", .string(answer.nextAfter))]),
                empty: Say.Queue.nothingWaitsForYou, footer: footer,
                marked: { ($0.step ?? NextStep()).isLate }))
    }

    /// `--curator`: every unit's open assignments, the earliest due first, with the breach forecast.
    func curatorView() throws {
        let answer = try global.withClient { client throws(RPCError) in
            try client.call(CasesService.board, BoardRequest())
        }
        UnitTitles.learn(global)
        let rows = Array(answer.assignments.prefix(Int(limit)))
        global.show(
            Rows(
                key: "items", fields: Self.curatorFields, rows: rows, document: boardAssignmentJSON,
                extra: [("total", .integer(Int64(answer.assignments.count))), ("capped", .bool(answer.capped))],
                empty: Say.Board.nobodyOpen,
                footer: ([Say.Board.assignmentsShown(rows.count, of: answer.assignments.count)]
                    + (answer.capped ? [Say.Board.capped] : [])).map { $0.text() }.joined(separator: " "),
                marked: { $0.overdue || $0.atRisk }))
    }

    static var curatorFields: [Field<BoardAssignment>] {
        [
            .shown(Say.Queue.due) { PeopleTime.cell($0.due) },
            .shown(Say.Queue.left) {
                $0.overdue ? Say.Board.overdue.text() : WorkingTimeText.working(minutes: $0.leftMinutes)
            },
            .shown(Say.Common.caseLabel) { $0.assignmentID },
            .shown(Say.Queue.step) { $0.step.spoken },
            .shown(Say.Queue.executor) { UnitTitles.title($0.unit) },
            .shown(Say.Board.risk) { row in
                row.risks.isEmpty ? "-" : row.risks.map(\.reason.spoken).joined(separator: "; ")
            },
        ]
    }

    /// A step waiting for the caller: its due time and what is left, the case it is on.
    static var fields: [Field<QueueItem>] {
        func step(_ item: QueueItem) -> NextStep { item.step ?? NextStep() }
        func view(_ item: QueueItem) -> CaseView { item.view ?? CaseView() }
        return [
            .shown(Say.Queue.due) { PeopleTime.cell(step($0).due) },
            .shown(Say.Queue.left) {
                let step = step($0)
                return step.due.isEmpty
                    ? "-"
                    : step.isLate
                        ? step.lateness : WorkingTimeText.working(minutes: step.leftMinutes)
            },
            .shown(Say.Common.caseLabel) { step($0).assignmentID.isEmpty ? view($0).id : step($0).assignmentID },
            .shown(Say.Queue.step) { step($0).what },
            .shown(Say.Queue.executor) {
                let step = step($0)
                return (step.unit.isEmpty ? "-" : UnitTitles.title(step.unit))
                    + (step.responsible.isEmpty ? "" : " (\(step.responsible))")
            },
            .shown(Say.Common.author) { TextLayout.snippet(view($0).author, characters: 24) },
            .shown(Say.Common.textLabel) { TextLayout.snippet(view($0).text, characters: 40) },
            .script("case") { caseJSON(view($0)) },
            .script("step") { stepJSON(step($0)) },
        ]
    }
}

/// A next step as scripts read it.
func stepJSON(_ step: NextStep) -> JSON {
    var pairs: [(String, JSON)] = [
        ("kind", .string(step.kind.name)),
        ("assignment", step.assignmentID.isEmpty ? .null : .string(step.assignmentID)),
        ("role", .string(step.role.name)), ("unit", step.unit.isEmpty ? .null : .string(step.unit)),
        ("responsible", step.responsible.isEmpty ? .null : .string(step.responsible)),
        ("due", step.due.isEmpty ? .null : .string(step.due)), ("left_minutes", .integer(step.leftMinutes)),
        ("overdue", .bool(step.overdue)), ("late_minutes", .integer(step.lateMinutes)),
    ]
    // A publication with a connector (issue 29), when there is one.
    if !step.publishingVia.isEmpty { pairs.append(("publishing_via", .string(step.publishingVia))) }
    if step.publicationFailed { pairs.append(("publication_failed", .bool(true))) }
    return .object(pairs)
}
