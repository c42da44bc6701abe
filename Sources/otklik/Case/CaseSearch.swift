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
            abstract: Say.Cases.findEarlierMessagesBy.text(),
            discussion: Say.Cases.everyWordOfThree.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.wordsToFind.text())) var text: String
        @Option(help: ArgumentHelp(Say.Cases.onlyMessagesOfThis.text()))
        var author: String?
        @OptionGroup var period: PeriodOptions
        @Option(help: ArgumentHelp(Say.Cases.atMostThisMany.text())) var limit: UInt32 = 20

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

        /// A found message: the case, the words that matched and how well.
        static var fields: [Field<SearchHit>] {
            [
                .shown(Say.Common.caseLabel) { $0.view?.id ?? "" },
                .shown(Say.Cases.state) { ($0.view ?? CaseView()).state.spoken },
                .shown(Say.Cases.detected) { PeopleTime.cell($0.view?.detectedAt ?? "") },
                .shown(Say.Common.author) { $0.view?.author ?? "" },
                .string("snippet", Say.Cases.match, \.snippet),
                .script("score") { .number($0.score) },
                .script("case") { caseJSON($0.view ?? CaseView()) },
            ]
        }
    }
}
