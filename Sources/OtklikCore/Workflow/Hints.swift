import Foundation

/// Hints for the curator, never decisions (p.18, p.20): which earlier cases a message may repeat, and
/// whether its text looks like one the regulation does not process.
public enum Hints {
    /// Words of a text, lower-cased, letters and digits only, `ё` folded to `е`.
    public static func words(_ text: String) -> [String] {
        text.lowercased().replacingOccurrences(of: "ё", with: "е")
            .split { !($0.isLetter || $0.isNumber) }
            .map(String.init)
    }

    /// An author as the repeat hint compares authors: their words, lower case, one space apart
    /// ("Иван  Петров!" and "иван петров" are the same author). Indexed with the network.
    public static func authorKey(_ author: String) -> String { words(author).joined(separator: " ") }

    /// The query that finds texts like `text` in the trigram index: its distinct words of three
    /// letters or more (the longest first, at most `limit`), quoted, any of them. Nil when it has none.
    public static func likeTextQuery(_ text: String, limit: Int = 16) -> String? {
        let distinct = Array(Set(terms(text))).sorted { ($0.count, $0) > ($1.count, $1) }
        guard !distinct.isEmpty else { return nil }
        return distinct.prefix(limit).map { "\"\($0)\"" }.joined(separator: " OR ")
    }

    /// The query a person's search text makes: every word of three letters or more must occur
    /// (in any order); nil when there is no such word.
    public static func searchQuery(_ text: String) -> String? {
        let found = terms(text)
        guard !found.isEmpty else { return nil }
        return found.map { "\"\($0)\"" }.joined(separator: " AND ")
    }

    /// Words of three letters or more as the index holds them (lower case; `ё` kept, as in the text).
    static func terms(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init).filter { $0.count >= 3 }
    }

    /// How alike two texts are: the Jaccard index of their sets of words of three letters or more, 0...1.
    public static func similarity(_ a: String, _ b: String) -> Double {
        let left = Set(words(a).filter { $0.count >= 3 }), right = Set(words(b).filter { $0.count >= 3 })
        guard !left.isEmpty, !right.isEmpty else { return 0 }
        return Double(left.intersection(right).count) / Double(left.union(right).count)
    }

    /// p.18: is `candidate` likely an earlier message on the same question? The same author in the
    /// same network, or texts at least `threshold` alike.
    public static func likelyRepeat(of candidate: CaseState, by message: CaseState, threshold: Double = 0.4) -> Bool {
        guard candidate.id != message.id, candidate.detectedAt <= message.detectedAt else { return false }
        let sameAuthor =
            candidate.network == message.network
            && words(candidate.author) == words(message.author) && !words(message.author).isEmpty
        return sameAuthor || similarity(candidate.text, message.text) >= threshold
    }

    /// p.20: the reasons whose marker words (word beginnings, from the profile) occur in `text`.
    public static func rejectionHints(_ text: String, markers: [RejectionReason: [String]]) -> [RejectionReason] {
        let found = words(text)
        return RejectionReason.allCases.filter { reason in
            (markers[reason] ?? []).contains { marker in found.contains { $0.hasPrefix(marker) } }
        }
    }
}
