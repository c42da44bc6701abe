import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension ExportCommand {
    /// `otklik export cases --from --to`: one row per assignment (a case without one: one row) with
    /// every clock's due, met and lateness, as CSV for a spreadsheet or JSON lines for BI.
    struct Cases: ParsableCommand, PrintsFormats {
        static let configuration = CommandConfiguration(
            abstract: Say.Export.casesAbstract.text(), discussion: Say.Export.casesDiscussion.text())
        static let formats: [OutputFormat] = [.table, .csv, .json, .jsonl]

        @OptionGroup var global: GlobalOptions
        @OptionGroup var period: PeriodOptions
        @Option(help: ArgumentHelp(Say.Export.outHelp.text())) var out: String?

        /// The clocks of an assignment, in the regulation's order.
        /// An assignment's clocks, its own and its latest draft's (`ClockSpec.scope`), in display order.
        static let clockKinds: [Wire.ClockKind] = ClockKind.allCases.filter { $0.spec.scope != .case }.map(
            Wire.ClockKind.init)

        static var columns: [String] {
            [
                "case", "detected_at", "posted_at", "network", "url", "author", "importance", "state", "topics",
                "repeat_of", "rejection_reason", "withdrawal_reason", "route_due", "route_met_at",
                "route_late_minutes", "route_state", "assignment", "unit", "unit_title", "assignment_state",
                "assignment_topics", "responsible", "closed_at",
            ] + clockKinds.flatMap { kind in ["due", "met_at", "late_minutes", "state"].map { "\(kind.name)_\($0)" } }
                + ["replies", "published_at"]
        }

        func run() throws {
            let csv = global.output == .table || global.output == .csv
            var request = ExportCasesRequest()
            // A region's whole history in one file is asked for in so many words, not by a forgotten option.
            guard period.month != nil || (period.from != nil && period.to != nil) else {
                throw ValidationError(Say.Export.givePeriod.text())
            }
            (request.fromUnix, request.toUnix) = try period.bounds(global)
            let sink = try ExportSink(out)
            if csv { UnitTitles.learn(global) }
            var writeFailed = false
            var cases = 0, rows = 0
            do {
                if csv {
                    try sink.line("\u{FEFF}" + CSV.line(Self.sheet.map { $0.heading.text() }, separator: ";"))
                }
                try global.withClient { client throws(RPCError) in
                    let titles = Dictionary(
                        try client.call(DirectoryService.listUnits, ListRequest()).units.map { ($0.name, $0.title) },
                        uniquingKeysWith: { first, _ in first })
                    // Page by page: a year of a region never sits in memory.
                    let sheet = Self.sheet
                    let pages = try Pages(client, request)
                    while let page = try pages.next() {
                        for row in page {
                            cases += 1
                            for line in csv
                                ? Self.sheetLines(row, sheet) : Self.rows(row, titles: titles).map(Self.jsonLine)
                            {
                                rows += 1
                                do {
                                    try sink.line(line)
                                } catch {
                                    writeFailed = true
                                    throw RPCError(.cancelled, "")
                                }
                            }
                        }
                    }
                }
                try sink.finish()
            } catch {
                sink.abandon()
                // The output, not the daemon, failed: said as an output that cannot be written (73).
                if writeFailed { throw FileFailure.output(out ?? "/dev/stdout") }
                throw error
            }
            Safe.printError(Say.Export.casesWritten(rows, cases).text())
        }

        /// The export's pages of cases: `Cases/ExportCases`, each page asked for before the last is
        /// written (the daemon reads it meanwhile); from a daemon older than that call, `ListCases`' pages
        /// of full views, each made the row the daemon would send (`CaseRow(view:)`).
        final class Pages {
            let client: RPCClient
            var request: ExportCasesRequest
            var pending: PendingAnswer<ExportCasesResponse>?
            /// Set when the daemon does not know ExportCases.
            var list: ListCasesRequest?
            var ended = false

            init(_ client: RPCClient, _ request: ExportCasesRequest) throws(RPCError) {
                self.client = client
                self.request = request
                pending = try client.begin(CasesService.exportCases, request)
            }

            /// The next page's cases, nil after the last.
            func next() throws(RPCError) -> [CaseRow]? {
                guard !ended else { return nil }
                if var list {
                    let page = try client.call(CasesService.listCases, list)
                    list.after = page.nextAfter
                    self.list = list
                    ended = page.nextAfter.isEmpty
                    return page.cases.map(CaseRow.init(view:))
                }
                guard let answer = pending else { return nil }
                let page: ExportCasesResponse
                do {
                    page = try answer.wait()
                } catch  where error.code == .unimplemented && request.after.isEmpty {
                    var list = ListCasesRequest()
                    (list.fromUnix, list.toUnix, list.limit) = (request.fromUnix, request.toUnix, 1000)
                    self.list = list
                    return try next()
                }
                pending = nil
                if page.nextAfter.isEmpty {
                    ended = true
                } else {
                    request.after = page.nextAfter
                    pending = try client.begin(CasesService.exportCases, request)
                }
                return page.cases
            }
        }

        /// A cell of a row: text, a number, or nothing.
        enum Cell {
            case text(String), number(Int64), none

            init(_ text: String) { self = text.isEmpty ? .none : .text(text) }
        }

        static func rows(_ c: CaseRow, titles: [String: String]) -> [[Cell]] {
            func clock(_ view: ClockView?) -> [Cell] {
                guard let view else { return [.none, .none, .none, .none] }
                return [Cell(view.due), Cell(view.metAt), .number(view.lateMinutes), .text(view.state.name)]
            }
            let head: [Cell] =
                [
                    .text(c.id), Cell(c.detectedAt), Cell(c.postedAt), Cell(c.network), Cell(c.url), Cell(c.author),
                    .text(c.importance.name), .text(c.state.name), Cell(c.topics.joined(separator: "|")),
                    Cell(c.repeatOf), c.rejectionReason == .unspecified ? .none : .text(c.rejectionReason.name),
                    Cell(c.withdrawalReason),
                ] + clock(c.route)
            guard !c.assignments.isEmpty else {
                return [head + Array(repeating: .none, count: columns.count - head.count)]
            }
            return c.assignments.map { a in
                head
                    + [
                        .text(a.id), .text(a.executor), Cell(titles[a.executor] ?? ""), .text(a.state.name),
                        Cell(a.topics.joined(separator: "|")), Cell(a.responsible), Cell(a.closedAt),
                    ]
                    + clockKinds.flatMap { kind in clock(a.clocks.last { $0.kind == kind }) }
                    + [.number(Int64(a.replies)), Cell(a.publishedAt)]
            }
        }

        /// A column of the CSV people open: its heading in the reader's language and its cell, in words
        /// (states and networks spoken, units by title, times as a spreadsheet reads them). The JSON lines
        /// keep the machine's words and codes (`columns`).
        struct SheetColumn {
            let heading: Phrase
            let cell: (CaseRow, AssignmentRow?) -> String
        }

        static var sheet: [SheetColumn] {
            func clock(_ view: ClockView?, _ part: Int) -> String {
                guard let view else { return "" }
                switch part {
                case 0: return PeopleTime.sheet(view.due)
                case 1: return PeopleTime.sheet(view.metAt)
                case 2: return view.lateMinutes == 0 ? "" : String(view.lateMinutes)
                // The last part: the clock's state.
                default: return view.state.spoken
                }
            }
            func clockColumns(_ name: Phrase, _ find: @escaping (CaseRow, AssignmentRow?) -> ClockView?)
                -> [SheetColumn]
            {
                Say.Export.clockHeadings.enumerated().map { part, heading in
                    SheetColumn(heading: heading(name)) { clock(find($0, $1), part) }
                }
            }
            let head: [SheetColumn] = [
                SheetColumn(heading: Say.Common.caseLabel) { c, _ in c.id },
                SheetColumn(heading: Say.Export.detected) { c, _ in PeopleTime.sheet(c.detectedAt) },
                SheetColumn(heading: Say.Export.posted) { c, _ in PeopleTime.sheet(c.postedAt) },
                SheetColumn(heading: Say.Export.network) { c, _ in NetworkNames.spoken(c.network) },
                SheetColumn(heading: Say.Export.link) { c, _ in c.url },
                SheetColumn(heading: Say.Common.author) { c, _ in c.author },
                SheetColumn(heading: Say.Export.importance) { c, _ in c.importance.spoken },
                SheetColumn(heading: Say.Export.caseState) { c, _ in c.state.spoken },
                SheetColumn(heading: Say.Export.topics) { c, _ in c.topics.joined(separator: ", ") },
                SheetColumn(heading: Say.Export.repeatOf) { c, _ in c.repeatOf },
                SheetColumn(heading: Say.Export.rejectionReason) { c, _ in
                    c.rejectionReason == .unspecified ? "" : c.rejectionReason.spoken
                },
                SheetColumn(heading: Say.Export.withdrawalReason) { c, _ in c.withdrawalReason },
            ]
            let assignment: [SheetColumn] = [
                SheetColumn(heading: Say.Export.assignment) { _, a in a?.id ?? "" },
                SheetColumn(heading: Say.Common.unit) { _, a in a.map { UnitTitles.title($0.executor) } ?? "" },
                SheetColumn(heading: Say.Export.assignmentState) { _, a in a?.state.spoken ?? "" },
                SheetColumn(heading: Say.Export.assignmentTopics) { _, a in a?.topics.joined(separator: ", ") ?? "" },
                SheetColumn(heading: Say.Export.responsible) { _, a in a?.responsible ?? "" },
                SheetColumn(heading: Say.Export.closed) { _, a in PeopleTime.sheet(a?.closedAt ?? "") },
            ]
            let replies: [SheetColumn] = [
                SheetColumn(heading: Say.Export.replies) { _, a in a.map { String($0.replies) } ?? "" },
                SheetColumn(heading: Say.Export.published) { _, a in PeopleTime.sheet(a?.publishedAt ?? "") },
            ]
            return head + clockColumns(Wire.ClockKind.route.phrase) { c, _ in c.route } + assignment
                + clockKinds.flatMap { kind in
                    clockColumns(kind.phrase) { _, a in a?.clocks.last { $0.kind == kind } }
                } + replies
        }

        /// A case's lines of the CSV people open: one per assignment (a case without one: one line).
        static func sheetLines(_ c: CaseRow, _ columns: [SheetColumn]) -> [String] {
            (c.assignments.isEmpty ? [nil] : c.assignments.map { $0 }).map { a in
                CSV.line(columns.map { CSV.inert($0.cell(c, a)) }, separator: ";")
            }
        }

        /// Each column's key as a line writes it, with what comes before it.
        static let keyPrefixes: [String] = columns.enumerated().map {
            ($0.offset == 0 ? "{" : ",") + JSON.quote($0.element) + ":"
        }

        /// A row as one JSON object, its keys in the columns' order (`JSON.object`'s text, written in one pass).
        static func jsonLine(_ row: [Cell]) -> String {
            var line = ""
            line.reserveCapacity(1536)
            for (prefix, cell) in zip(keyPrefixes, row) {
                line += prefix
                switch cell {
                case .text(let text): JSON.quote(text, into: &line)
                case .number(let number): line += String(number)
                case .none: line += "null"
                }
            }
            return line + "}"
        }
    }
}
