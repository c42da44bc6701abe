import CStemmer

/// Snowball's Russian stemmer (libstemmer, Debian's `libstemmer-dev`): "яма", "ямы" and "яму" have one
/// stem. Used by the search index (word forms of citizens' texts) and by the CLI (option words typed in
/// another form: `--reason угроза` for "угрозы"). Latin words and numbers pass through unchanged.
public enum Stemmer {
    /// The stems of `words` (lower case expected), in order. A stemmer is made per call: libstemmer's
    /// are not thread-safe, and making one costs an allocation.
    public static func russian(_ words: [String]) -> [String] {
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
}
