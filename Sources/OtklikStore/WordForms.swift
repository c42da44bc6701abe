import OtklikBase
import OtklikCore

/// Word forms for the search index: Snowball's Russian stemmer (libstemmer, Debian's
/// `libstemmer-dev`) maps "яма", "ямы" and "яму" to one stem, so a search finds a word in any of its
/// forms. Words are taken as the hints take them (`Hints.words`: lower case, `ё` as `е`); Latin words
/// and numbers pass through the Russian algorithm unchanged.
public enum WordForms {
    /// The stems of `words`, in order (`Stemmer.russian`).
    public static func stems(_ words: [String]) -> [String] { Stemmer.russian(words) }

    /// The stem of one word as the index holds it (`Hints.words`' folding first).
    public static func stem(_ word: String) -> String { stems(Hints.words(word)).first ?? "" }

    /// A text's stems, one space apart: the index's stem columns, which FTS5's unicode61 tokenizer
    /// splits back into exactly these words.
    public static func stemText(_ text: String) -> String { stems(Hints.words(text)).joined(separator: " ") }
}
