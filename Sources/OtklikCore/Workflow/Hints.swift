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
