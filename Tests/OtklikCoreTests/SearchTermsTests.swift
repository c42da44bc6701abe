import OtklikCore
import Testing

/// Issue 25, H2: what a search asks of the index is bounded before it is asked.
@Suite struct SearchTermsTests {
    @Test func aWordRepeatedFiveThousandTimesIsAskedOnce() {
        let text = Array(repeating: "яма", count: 5000).joined(separator: " ")
        #expect(Hints.searchTerms(text) == ["яма"])
        #expect(Hints.searchQuery(text) == "\"яма\"")
    }

    @Test func wordsAreTakenOnceWhateverTheirCaseInTheOrderGiven() {
        #expect(Hints.searchTerms("Яма ДОРОГА яма дорога школа") == ["яма", "дорога", "школа"])
        #expect(Hints.searchQuery("Яма ДОРОГА яма") == "\"яма\" AND \"дорога\"")
    }

    @Test func aWordOf64KiBIsSearchedByItsFirst64Letters() {
        // Found by the fuzz run: one long word became a phrase of 32,000 trigrams (800 MB, 4 s).
        let word = String(repeating: "яма", count: 10_922)
        #expect(Hints.searchTerms(word) == [String(word.prefix(64))])
        #expect(Hints.searchTerms(word + " " + word.prefix(100)) == [String(word.prefix(64))])
    }

    @Test func shortWordsAndPunctuationAskNothing() {
        #expect(Hints.searchTerms("а и на, по! -- \"\" *") == [])
        #expect(Hints.searchQuery("а и на") == nil)
    }
}
