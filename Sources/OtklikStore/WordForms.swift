import CSQLite
import CStemmer
public import OtklikCore

/// Word forms for the search index: Snowball's Russian stemmer (libstemmer, Debian's
/// `libstemmer-dev`) maps "яма", "ямы" and "яму" to one stem, so a search finds a word in any of its
/// forms. Words are taken as the hints take them (`Hints.words`: lower case, `ё` as `е`); Latin words
/// and numbers pass through the Russian algorithm unchanged.
public enum WordForms {
    /// The stems of `words`, in order. A stemmer is made per call: libstemmer's are not thread-safe,
    /// and making one costs an allocation.
    public static func stems(_ words: [String]) -> [String] {
        guard !words.isEmpty, let stemmer = sb_stemmer_new("russian", "UTF_8") else { return words }
        defer { sb_stemmer_delete(stemmer) }
        return words.map { word in
            var utf8 = Array(word.utf8)
            guard utf8.count < Int(Int32.max), let stem = sb_stemmer_stem(stemmer, &utf8, Int32(utf8.count))
            else { return word }
            let length = Int(sb_stemmer_length(stemmer))
            return String(decoding: UnsafeBufferPointer(start: stem, count: length), as: UTF8.self)
        }
    }

    /// The stem of one word as the index holds it (`Hints.words`' folding first).
    public static func stem(_ word: String) -> String { stems(Hints.words(word)).first ?? "" }

    /// A text's stems, one space apart: the index's stem columns, which FTS5's unicode61 tokenizer
    /// splits back into exactly these words.
    public static func stemText(_ text: String) -> String { stems(Hints.words(text)).joined(separator: " ") }

    /// Makes `otklik_stems(text)` (`stemText`) callable from SQL on `db`, for the index's fills by
    /// migration, rebuild and salvage.
    static func register(_ db: OpaquePointer?) {
        sqlite3_create_function_v2(
            db, "otklik_stems", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, count, values in
                guard count == 1, let value = values?[0], let text = sqlite3_value_text(value) else {
                    sqlite3_result_text(context, "", 0, otklik_sqlite_transient())
                    return
                }
                let stems = WordForms.stemText(String(cString: text))
                sqlite3_result_text(context, stems, -1, otklik_sqlite_transient())
            }, nil, nil, nil)
    }
}
