import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension DraftCommand {
    /// `otklik draft show CASE/N[/K]`: one draft in full, as the curator reviews it.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Drafts.showAbstract.text())

        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Say.Drafts.showIDHelp.text()))
        var id: String

        func run() throws {
            let (assignment, number) = try Self.parse(id)
            var ref = CaseRef()
            ref.id = assignment.caseID
            let view = try global.withClient { client throws(RPCError) in try client.call(CasesService.getCase, ref) }
            guard let held = view.assignments.first(where: { $0.id == assignment.description }) else {
                throw ValidationError(
                    Say.Drafts.caseHasNoAssignment(
                        view.id, assignment, view.assignments.map(\.id).joined(separator: ", ")
                    ).text())
            }
            guard !held.drafts.isEmpty else {
                throw ValidationError(
                    Say.Drafts.noDraftsYet(assignment).text())
            }
            let position = number ?? held.drafts.count
            guard (1...held.drafts.count).contains(position) else {
                throw ValidationError(
                    Say.Drafts.noSuchDraft(assignment, held.drafts.count, position).text())
            }
            global.show(DraftSheet(view: view, assignment: held.id, number: position), pager: true)
        }

        /// `CASE/N` or `CASE/N/K`.
        static func parse(_ text: String) throws -> (AssignmentID, Int?) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 3, let assignment = AssignmentID(parts[0] + "/" + parts[1]), parts[2].count <= 4,
                let number = Int(parts[2]), number > 0
            {
                return (assignment, number)
            }
            if let assignment = AssignmentID(text) { return (assignment, nil) }
            throw ValidationError(
                Say.Drafts.isNotADraft(text).text())
        }
    }
}

/// One draft as the curator reviews it: the post it answers, then the draft in full with its clocks.
/// Scripts read the draft as it sits in the case's JSON.
struct DraftSheet: Output {
    let view: CaseView
    let assignment: String
    /// 1-based, as people count drafts.
    let number: Int

    private var draft: DraftView {
        view.assignments.first { $0.id == assignment }?.drafts[number - 1] ?? DraftView()
    }

    var text: String {
        let sheet = CaseSheet(view: view)
        var lines = [
            Say.Drafts.caseLine(view.id, NetworkNames.spoken(view.network), view.url).text(),
            Say.Drafts.authorLine(view.author).text(),
        ]
        lines += TextLayout.wrap(view.text, width: sheet.width, indent: "  ")
        lines.append("")
        lines += sheet.draft(draft, number: number, of: assignment, indent: "")
        for clock in draft.clocks { lines.append("  " + CaseSheet.clockLine(clock)) }
        return lines.joined(separator: "\n")
    }

    var json: JSON {
        .object([
            ("case", .string(view.id)), ("assignment", .string(assignment)), ("number", .integer(Int64(number))),
            ("draft", draftJSON(draft)),
        ])
    }
}
