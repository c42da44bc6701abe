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
            abstract: Say.Cases.searchAbstract.text(),
            discussion: Say.Cases.searchDiscussion.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.wordsHelp.text())) var text: String
        @Option(help: ArgumentHelp(Say.Cases.searchAuthorHelp.text()))
        var author: String?
        @OptionGroup var period: PeriodOptions
        @Option(help: ArgumentHelp(Say.Cases.limitHelp.text())) var limit: UInt32 = 20

        func run() throws {
            var request = SearchCasesRequest()
            request.text = text
            request.author = author ?? ""
            (request.fromUnix, request.toUnix) = try period.bounds(global)
            request.limit = limit
            let hits = try global.withClient { client throws(RPCError) in
                try client.call(CasesService.searchCases, request)
            }.hits
            global.show(
                Rows(
                    key: "hits", fields: Self.fields, rows: hits, empty: Say.Cases.nothingFound)
            )
        }

        /// The snippet with its matched words emphasised (bold on a colour terminal, `[...]` otherwise).
        static func marked(_ hit: SearchHit) -> String {
            var scalars = Array(Terminal.unmarked(hit.snippet).unicodeScalars)
            // From the last mark back, so the earlier marks' places stay right.
            for mark in hit.marks.sorted(by: { $0.start > $1.start }) {
                let start = Int(mark.start), end = start + Int(mark.length)
                guard start >= 0, end <= scalars.count, start < end else { continue }
                let word = String(String.UnicodeScalarView(scalars[start..<end]))
                scalars.replaceSubrange(start..<end, with: Terminal.emphasised(word).unicodeScalars)
            }
            return String(String.UnicodeScalarView(scalars))
        }

        /// A found message: the case and the words that matched.
        static var fields: [Field<SearchHit>] {
            [
                .shown(Say.Common.caseLabel) { $0.view?.id ?? "" },
                .shown(Say.Cases.state) { ($0.view ?? CaseView()).state.spoken },
                .shown(Say.Cases.detected) { PeopleTime.cell($0.view?.detectedAt ?? "") },
                .shown(Say.Common.author) { $0.view?.author ?? "" },
                Field("snippet", Say.Cases.match, json: { .string($0.snippet) }, text: { marked($0) }),
                .script("marks") { hit in
                    .array(
                        hit.marks.map {
                            .object([("start", .integer(Int64($0.start))), ("length", .integer(Int64($0.length)))])
                        })
                },
                .script("case") { caseJSON($0.view ?? CaseView()) },
            ]
        }
    }
}
