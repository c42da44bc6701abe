/// What a person's search text asks for (`case search`, `Cases/SearchCases`). Every word must occur, in
/// the text or the author's name:
///
///     яма школа        each word in any of its forms (Snowball's stem: "ямы" finds "яма", "школа"
///                      finds "у школы") or as the beginning of a word ("школ" finds "школьный")
///     "ямы"            a word in quotes: exactly that form
///
/// Words of one or two letters are left out, each word counts once, and a word is read to its first
/// `letterLimit` letters. Whatever else the text holds (punctuation, operators of the index) is not
/// syntax: it only separates words.
public struct SearchQuery: Sendable, Equatable {
    public enum Match: Sendable, Equatable {
        /// Any form of the word, or a word it begins.
        case forms
        /// Exactly this form (in quotes).
        case exact
    }

    public struct Term: Sendable, Equatable {
        /// The word as typed, lower case (`ё` kept: the index holds the text as written).
        public var word: String
        public var match: Match

        public init(_ word: String, _ match: Match) {
            self.word = word
            self.match = match
        }
    }

    public var terms: [Term]

    /// The most distinct words one search may ask for: each is a lookup of the index to intersect, and
    /// a text repeated thousands of times once held a reader for minutes (issue 25, H2).
    public static let termLimit = 8

    /// The longest a search word is taken: a longer word is searched by its first 64 letters, which
    /// finds every text the whole word would (issue 25: one word of 64 KiB cost 800 MB).
    public static let letterLimit = 64

    /// The fewest letters a word must have to be searched for.
    public static let shortest = 3

    public init(_ text: String) {
        var terms: [Term] = []
        var seen: Set<Term> = []
        var quoted = false
        var word = String.UnicodeScalarView()
        func flush() {
            defer { word = String.UnicodeScalarView() }
            guard word.count >= Self.shortest else { return }
            let term = Term(String(String(word).prefix(Self.letterLimit)), quoted ? .exact : .forms)
            if seen.insert(term).inserted { terms.append(term) }
        }
        for scalar in text.lowercased().unicodeScalars {
            if Hints.isWordScalar(scalar) {
                word.append(scalar)
                continue
            }
            flush()
            // Quotes, straight or Russian, open and close an exact form.
            switch scalar {
            case "\"": quoted.toggle()
            case "«": quoted = true
            case "»": quoted = false
            default: break  // any other scalar: a word's
            }
        }
        flush()
        self.terms = terms
    }
}

extension SearchQuery.Term: Hashable {}
