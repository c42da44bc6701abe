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
            abstract: Say.Cases.listAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Say.Cases.sortHelp.text()))
        var sort: String = "detected"
        @Option(
            help: ArgumentHelp(
                Say.Cases.networkHelp.text()))
        var network: String?
        @Option(help: ArgumentHelp(Say.Cases.topicHelp.text()))
        var topic: String?
        @Option(
            help: ArgumentHelp(Say.Cases.importanceHelp.text()))
        var importance: String?
        @OptionGroup var period: PeriodOptions
        @Option(
            help: ArgumentHelp(
                Say.Cases.authorHelp.text()))
        var author: String?
        @Option(
            help: ArgumentHelp(
                Say.Cases.stateHelp.text()))
        var state: String?
        @Option(
            help: ArgumentHelp(
                Say.Common.unitFilterHelp.text()))
        var executor: String?
        @Flag(
            help: ArgumentHelp(Say.Cases.overdueHelp.text())
        ) var overdue = false
        @Option(
            help: ArgumentHelp(
                Say.Cases.dueBeforeHelp.text())) var dueBefore: String?
        @Flag(
            help: ArgumentHelp(
                Say.Cases.mineHelp.text())
        ) var mine = false
        @Option(help: ArgumentHelp(Say.Cases.limitHelp.text())) var limit: UInt32 = 50
        @Option(
            help: ArgumentHelp(
                Say.Common.afterHelp.text())) var after: String?

        func run() throws {
            var request = ListCasesRequest()
            request.after = after ?? ""
            request.state = try wordOption(state, "--state")
            request.executor = try executor.map { try UnitTitles.code($0, global, option: "--executor") } ?? ""
            request.overdue = overdue
            request.dueBeforeUnix = try dueBefore.map { try global.instant($0, "--due-before").seconds } ?? 0
            request.mine = mine
            request.limit = limit
            switch SpokenInput.words(sort).joined(separator: " ") {
            case let word where Say.Cases.sortByDetection.contains(word): request.byDue = false
            case let word where Say.Cases.sortByDue.contains(word): request.byDue = true
            default:  // any other words: refused
                throw ValidationError(
                    Say.Cases.unknownSort(sort).text())
            }
            request.network = networkOption(network) ?? ""
            request.topic = topic ?? ""
            request.importance = try wordOption(importance, "--importance")
            (request.fromUnix, request.toUnix) = try period.bounds(global)
            request.author = author ?? ""
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(CasesService.listCases, request)
            }
            let cases = answer.cases
            let shown =
                answer.totalUnknown
                ? Say.Cases.casesShown(cases.count)
                : answer.totalCapped
                    ? Say.Cases.casesShownOfMany(cases.count)
                    : Say.Cases.casesShown(cases.count, of: answer.total)
            global.show(
                Rows(
                    key: "cases", fields: Self.fields, rows: cases, document: { caseJSON($0) },
                    extra: (answer.nextAfter.isEmpty
                        ? []
                        : [("next_after", .string(answer.nextAfter)), ("next_cursor", .string(answer.nextAfter))])
                        + (answer.totalUnknown
                            ? []
                            : [("total", .integer(Int64(answer.total))), ("total_capped", .bool(answer.totalCapped))]),
                    empty: Say.Cases.noCases,
                    footer: ([shown] + (answer.nextAfter.isEmpty ? [] : [Say.Cases.moreFollow(answer.nextAfter)]))
                        .map { $0.text() }.joined(separator: " ")))
        }

        /// A case as a line of the list (scripts read the whole case, README "Cases").
        static var fields: [Field<CaseView>] {
            func next(_ c: CaseView) -> String {
                let open = ([c.route].compactMap { $0 } + c.assignments.flatMap(\.clocks)).filter {
                    $0.metAtUnix == 0 && $0.state != .paused
                }
                return open.min { $0.dueUnix < $1.dueUnix }.map {
                    Say.Cases.nextDueCell(PeopleTime.text($0.due), $0.kind.spoken, overdue: $0.state == .breached)
                        .text()
                } ?? "-"
            }
            return [
                .shown(Say.Common.caseLabel, \.id),
                .shown(Say.Cases.state) { $0.state.spoken },
                .shown(Say.Cases.importanceColumn) { $0.importance == .high ? $0.importance.spoken : "" },
                .shown(Say.Cases.detected) { PeopleTime.cell($0.detectedAt) },
                .shown(Say.Common.author) { TextLayout.snippet($0.author, characters: 24) },
                .shown(Say.Common.textLabel) { TextLayout.snippet($0.text, characters: 32) },
                .shown(Say.Cases.executors) { UnitTitles.titles($0.assignments.map(\.executor)) },
                .shown(Say.Cases.nextDue, next),
            ]
        }
    }
}
