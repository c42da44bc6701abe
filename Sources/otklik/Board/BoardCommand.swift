import ArgumentParser
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik board`: the breach forecast unit by unit (issue 31).
struct BoardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board", abstract: Say.Board.boardAbstract.text(), discussion: Say.Board.boardDiscussion.text())

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let answer = try global.withClient { client throws(RPCError) in
            try client.call(CasesService.board, BoardRequest())
        }
        UnitTitles.learn(global)
        global.show(BoardSheet(answer: answer))
    }
}

/// The board: the units' counts, then each assignment at risk with why; scripts read every assignment.
struct BoardSheet: Output {
    let answer: BoardResponse

    static var unitFields: [Field<BoardUnit>] {
        [
            .string("unit", Say.Board.unit) { UnitTitles.title($0.unit) },
            Field("open", Say.Board.open, json: { .integer(Int64($0.open)) }, text: { String($0.open) }),
            Field(
                "due_next_working_day", Say.Board.dueNextDay, json: { .integer(Int64($0.dueNextWorkingDay)) },
                text: { String($0.dueNextWorkingDay) }),
            Field("at_risk", Say.Board.atRisk, json: { .integer(Int64($0.atRisk)) }, text: { String($0.atRisk) }),
            Field("overdue", Say.Board.overdue, json: { .integer(Int64($0.overdue)) }, text: { String($0.overdue) }),
            Field(
                "present", Say.Board.present, json: { .array($0.present.map { .string($0) }) },
                text: { $0.present.isEmpty ? "-" : $0.present.joined(separator: ", ") }),
            Field(
                "pace_minutes", Say.Board.pace,
                json: { $0.paceMinutes == 0 ? .null : .integer(Int64($0.paceMinutes)) },
                text: { $0.paceMinutes == 0 ? "-" : WorkingTimeText.working(minutes: Int64($0.paceMinutes)) }),
        ]
    }

    var text: String {
        var parts = [Rows(key: nil, fields: Self.unitFields, rows: answer.units, empty: Say.Board.nobodyOpen).text]
        let risky = answer.assignments.filter(\.atRisk)
        parts.append(
            risky.isEmpty
                ? Say.Board.noneAtRisk.text()
                : ([Say.Board.atRiskHeading.text()] + risky.map { "  " + Self.riskLine($0) }).joined(separator: "\n"))
        if answer.capped { parts.append(Say.Board.capped.text()) }
        return parts.joined(separator: "\n\n")
    }

    var json: JSON {
        .object([
            ("units", .array(answer.units.map { Self.unitFields.object($0) })),
            ("assignments", .array(answer.assignments.map(boardAssignmentJSON))), ("capped", .bool(answer.capped)),
        ])
    }

    /// "2026-000123/1: в подразделении «Дорожный отдел» до ср 09.12 09:00 никого нет; срок — пт 04.12
    /// 18:00; успели бы: …"
    static func riskLine(_ row: BoardAssignment) -> String {
        var parts = row.risks.map { riskText($0, of: row) }
        if !row.could.isEmpty { parts.append(Say.Board.could(UnitTitles.titles(row.could)).text()) }
        return row.assignmentID + ": " + parts.joined(separator: "; ")
    }

    static func riskText(_ risk: RiskView, of row: BoardAssignment) -> String {
        let unit = UnitTitles.title(row.unit)
        let due = PeopleTime.text(row.due)
        switch risk.reason {
        case .nobodyPresent:
            return risk.nextPresent.isEmpty
                ? Say.Board.nobodyPresentAtAll(unit, due: due).text()
                : Say.Board.nobodyPresent(unit, until: PeopleTime.text(risk.nextPresent), due: due).text()
        case .behind:
            return Say.Board.behind(
                unit, waiting: risk.waiting, pace: WorkingTimeText.working(minutes: Int64(risk.paceMinutes)),
                present: risk.present, left: WorkingTimeText.working(minutes: risk.remainingMinutes), due: due
            ).text()
        case .unspecified, .unrecognized:
            return risk.reason.spoken
        }
    }
}

/// An assignment of the board as scripts read it.
func boardAssignmentJSON(_ row: BoardAssignment) -> JSON {
    .object([
        ("assignment", .string(row.assignmentID)), ("case", .string(row.caseID)), ("unit", .string(row.unit)),
        ("step", .string(row.step.name)), ("clock", .string(row.clock.name)), ("due", .string(row.due)),
        ("left_minutes", .integer(row.leftMinutes)), ("overdue", .bool(row.overdue)), ("at_risk", .bool(row.atRisk)),
        (
            "risks",
            .array(
                row.risks.map { risk in
                    .object([
                        ("reason", .string(risk.reason.name)),
                        ("next_present", risk.nextPresent.isEmpty ? .null : .string(risk.nextPresent)),
                        ("waiting", .integer(Int64(risk.waiting))), ("pace_minutes", .integer(Int64(risk.paceMinutes))),
                        ("remaining_minutes", .integer(risk.remainingMinutes)),
                        ("present", .integer(Int64(risk.present))),
                    ])
                })
        ),
        ("can_act", .array(row.canAct.map { .string($0) })), ("could", .array(row.could.map { .string($0) })),
    ])
}
