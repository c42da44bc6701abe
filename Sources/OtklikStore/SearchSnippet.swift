public import OtklikCore

/// A found text as a search shows it: the words around its first match, plain, and where the matched
/// words are in it (offsets and lengths in Unicode scalars, which are Python's string indices), so
/// each client marks them its own way (bold on a terminal, `[...]` in a pipe) and no mark can be
/// confused with the citizen's own punctuation.
public struct SearchSnippet: Sendable, Equatable {
    public var text: String
    public var marks: [Mark]

    public struct Mark: Sendable, Equatable {
        public var start: Int
        public var length: Int
    }

    /// Words shown before the first match, and words shown in all.
    static let wordsBefore = 8
    static let wordsShown = 40

    /// Decides which words of a text a query matched, by the index's own rules: a forms term matches a
    /// word it begins or a word of the same stem, an exact term the word as written (case aside).
    public struct Marker: Sendable {
        let terms: [(word: String, stem: String?, prefix: Bool)]

        public init(_ query: SearchQuery) {
            terms = query.terms.map { term in
                let stem = WordForms.stem(term.word)
                return term.match == .forms
                    ? (term.word, stem, !Self.isWhole(term.word, stem: stem)) : (term.word, nil, false)
            }
        }

        /// Whether a word was typed whole (its stem is shorter than it, "ямы"), not as a word's
        /// beginning ("школ"), by `ё`-folded letters.
        static func isWhole(_ word: String, stem: String) -> Bool {
            stem.unicodeScalars.count < Hints.words(word).joined().unicodeScalars.count
        }

        func matches(_ lower: String, stem: () -> String) -> Bool {
            terms.contains { term in
                guard let termStem = term.stem else { return lower == term.word }
                return (term.prefix && lower.hasPrefix(term.word)) || stem() == termStem
            }
        }

        /// The snippet of `text`: from a few words before its first matched word (its start when the
        /// match was in the author's name), the matched words marked; line breaks shown as spaces and
        /// `…` where the text goes on.
        public func snippet(_ text: String) -> SearchSnippet {
            let scalars = Array(text.unicodeScalars)
            // The words and their places, as the index splits them (letters, digits, their marks).
            var words: [Range<Int>] = []
            var start: Int?
            for (index, scalar) in scalars.enumerated() {
                let inWord = Hints.isWordScalar(scalar)
                if inWord, start == nil { start = index }
                if !inWord, let first = start {
                    words.append(first..<index)
                    start = nil
                }
            }
            if let first = start { words.append(first..<scalars.count) }
            func matched(_ range: Range<Int>) -> Bool {
                let lower = String(String.UnicodeScalarView(scalars[range])).lowercased()
                return matches(lower) { WordForms.stem(lower) }
            }
            // Words are stemmed only up to the first match: a long text costs its first match's place.
            let first = words.indices.first { matched(words[$0]) } ?? 0
            let shownFrom = max(0, first - SearchSnippet.wordsBefore)
            let shownTo = min(words.count, shownFrom + SearchSnippet.wordsShown)
            guard shownFrom < shownTo else { return SearchSnippet(text: "", marks: []) }
            let lead = shownFrom > 0 ? "…" : ""
            // To the text's end when the last word is shown (its closing punctuation with it).
            let from = words[shownFrom].lowerBound
            let to = shownTo == words.count ? scalars.count : words[shownTo - 1].upperBound
            var shown = String.UnicodeScalarView()
            for scalar in scalars[from..<to] {
                shown.append(scalar.properties.generalCategory == .control || scalar == "\u{2028}" ? " " : scalar)
            }
            while let last = shown.last, last.properties.isWhitespace { shown.removeLast() }
            let marks = words[shownFrom..<shownTo].filter(matched).map {
                Mark(start: $0.lowerBound - from + lead.unicodeScalars.count, length: $0.count)
            }
            return SearchSnippet(
                text: lead + String(shown) + (shownTo < words.count ? "…" : ""), marks: marks)
        }
    }
}
