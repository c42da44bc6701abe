import Foundation

/// Hints for the curator, never decisions (p.18, p.20): which earlier cases a message may repeat, and
/// whether its text looks like one the regulation does not process.
public enum Hints {
    /// Words of a text, lower-cased, letters and digits only, `ё` folded to `е`. Works on Unicode
    /// scalars, each lower-cased on its own (Latin and Cyrillic letters and digits without a table
    /// lookup), as hints run on every registration for every candidate.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        func add(_ scalar: Unicode.Scalar) {
            if isWordScalar(scalar) {
                word.append(scalar)
            } else if !word.isEmpty {
                words.append(String(word))
                word = String.UnicodeScalarView()
            }
        }
        for scalar in text.unicodeScalars { folded(scalar, add) }
        if !word.isEmpty { words.append(String(word)) }
        return words
    }

    /// `scalar` as words hold it: lower case, `ё` as `е`, handed to `emit` (a few lower-case to two).
    @inline(__always)
    static func folded(_ scalar: Unicode.Scalar, _ emit: (Unicode.Scalar) -> Void) {
        switch scalar.value {
        // Safe to unwrap: A-Z and А-Я plus 0x20 are a-z and а-я, valid scalars.
        case 0x41...0x5A, 0x410...0x42F: emit(Unicode.Scalar(scalar.value + 0x20)!)
        case 0x401, 0x451: emit("е")
        case 0...0x7F, 0x430...0x44F: emit(scalar)
        // Any other letter: its lower case.
        default: for lower in scalar.properties.lowercaseMapping.unicodeScalars { emit(lower == "ё" ? "е" : lower) }
        }
    }

    /// A letter or digit (combining marks count with the letter they follow): what words are made of,
    /// for the hints, the search index and the search's marks alike.
    @inline(__always)
    public static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x430...0x44F, 0x451: return true
        case 0...0x7F: return false
        default:  // any other scalar
            let properties = scalar.properties
            return properties.isAlphabetic || properties.numericType != nil
                || properties.generalCategory == .nonspacingMark
        }
    }

    /// An author as the repeat hint compares authors: their words, lower case, one space apart
    /// ("Иван  Петров!" and "иван петров" are the same author). Indexed with the network.
    public static func authorKey(_ author: String) -> String { words(author).joined(separator: " ") }

    /// The words that find texts sharing a word with `text` in the word keys: its distinct words of
    /// three letters or more, the longest first, at most `limit`. Whole words, as the hint's
    /// similarity compares whole words: a text sharing none could not pass it.
    public static func likeWords(_ text: String, limit: Int = 5) -> [String] {
        Array(significantWords(text).sorted { ($0.count, $0) > ($1.count, $1) }.prefix(limit))
    }

    /// The words the repeat hint compares: those of three letters or more, each once.
    public static func significantWords(_ text: String) -> Set<String> { Set(words(text).filter { $0.count >= 3 }) }

    /// p.18: is `candidate` likely an earlier message on the same question? The same author in the
    /// same network, or texts at least `threshold` alike.
    public static func likelyRepeat(of candidate: CaseState, by message: CaseState, threshold: Double = 0.4) -> Bool {
        RepeatProbe(message, threshold: threshold).matches(
            id: candidate.id, network: candidate.network, authorKey: authorKey(candidate.author),
            text: candidate.text, detectedAt: candidate.detectedAt)
    }

    /// `likelyRepeat` for one message against many candidates: the message's words are taken once,
    /// and a candidate needs only its indexed facts (no decoded case).
    public struct RepeatProbe: Sendable {
        let id: String
        let network: String
        let authorKey: String
        let detectedAt: Instant
        let terms: Set<String>
        let threshold: Double

        public init(_ message: CaseState, threshold: Double = 0.4) {
            id = message.id
            network = message.network
            authorKey = Hints.authorKey(message.author)
            detectedAt = message.detectedAt
            terms = significantWords(message.text)
            self.threshold = threshold
        }

        public func matches(id: String, network: String, authorKey: String, text: String, detectedAt: Instant) -> Bool {
            guard id != self.id, detectedAt <= self.detectedAt else { return false }
            if network == self.network, !self.authorKey.isEmpty, authorKey == self.authorKey { return true }
            guard !terms.isEmpty else { return false }
            // Texts at least `threshold` alike: the Jaccard index of their significant words.
            let other = significantWords(text)
            guard !other.isEmpty else { return false }
            let shared = other.reduce(0) { $0 + (terms.contains($1) ? 1 : 0) }
            return Double(shared) / Double(terms.count + other.count - shared) >= threshold
        }
    }

    /// p.20: the reasons whose marker words (word beginnings, from the profile) occur in `text`. A
    /// word begins with a marker as `hasPrefix` says (whole characters, canonically equivalent forms
    /// alike), but compared as bytes: each word and `markers` (the profile keeps them so) in
    /// `markerForm`. This runs on every case view; comparing Characters took 5 % of a registration's CPU.
    public static func rejectionHints(_ text: String, markers: [RejectionReason: [String]]) -> [RejectionReason] {
        let found = words(text).map(composed)
        return RejectionReason.allCases.filter { reason in
            (markers[reason] ?? []).contains { marker in found.contains { begins($0, with: marker) } }
        }
    }

    /// A p.20 marker as `rejectionHints` compares it to words: folded as `words` folds, then composed.
    public static func markerForm(_ marker: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in marker.unicodeScalars { folded(scalar) { scalars.append($0) } }
        return composed(String(scalars))
    }

    /// A folded word (or marker) in Unicode's composed form (NFC), `ё` folded again (composing can make
    /// one of `е` and U+0308), so that equal bytes mean canonically equal text. A word of Latin-1,
    /// spacing modifiers and basic Cyrillic alone is composed already and returned as it is.
    static func composed(_ word: String) -> String {
        guard !word.unicodeScalars.allSatisfy({ $0.value < 0x300 || (0x400...0x45F).contains($0.value) }) else {
            return word
        }
        var scalars = String.UnicodeScalarView()
        for scalar in word.precomposedStringWithCanonicalMapping.unicodeScalars {
            scalars.append(scalar == "ё" ? "е" : scalar)
        }
        return String(scalars)
    }

    /// `word` begins with `prefix` at a character boundary (a marker "е" does not begin "е\u{301}ж").
    static func begins(_ word: String, with prefix: String) -> Bool {
        guard word.utf8.starts(with: prefix.utf8) else { return false }
        return word.utf8.index(word.utf8.startIndex, offsetBy: prefix.utf8.count).samePosition(in: word) != nil
    }
}
