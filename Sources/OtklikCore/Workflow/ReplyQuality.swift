import OtklikBase

/// What the reply-quality check can find in a draft (issue 31): the signs of a formal answer
/// ("отписка") that regional rules return (p.13, p.14: `ReturnReason.formal`).
public enum QualityRule: String, Sendable, Codable, CaseIterable {
    /// No content words at all ("Спасибо за обращение!").
    case empty
    /// A final reply that names no date or term and no measure taken.
    case noTerm = "no_term"
    /// Stock phrases ("принято к сведению", "в порядке очерёдности") with no date, term or measure.
    case stockPhrases = "stock_phrases"
    /// References to laws and rules with no date, term or measure: the law instead of an answer.
    case onlyLaws = "only_laws"
    /// Shares no content word (by Russian stems) with the post it answers.
    case offTopic = "off_topic"
    /// The same text as a reply already published to another post.
    case copy
    /// An intermediate reply that does not say when the final one comes (p.16).
    case noFinalTerm = "no_final_term"
}

/// One thing the check found: the rule, and the words of the draft that made it (the stock phrases,
/// the references; for `copy`, the case whose reply it repeats). Empty words: the rule found an absence.
public struct ReplyFinding: Sendable, Codable, Equatable {
    public var rule: QualityRule
    public var words: [String]

    public init(rule: QualityRule, words: [String] = []) {
        self.rule = rule
        self.words = words
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case rule, words }
}

/// The reply-quality rules of a regulation profile, as data (`reply_quality` in the profile's file):
/// word lists, each entry a word or a phrase of words; a word ending in `*` stands for every word
/// that begins so ("очередн*"). Words are compared in lower case with ё read as е.
public struct ReplyQuality: Sendable, Equatable {
    /// Rules whose findings refuse the submission; the others are warnings shown to the executor
    /// and the curator.
    public var refuse: Set<QualityRule> = []
    /// Fewer content words than this (words of three letters or more, not in `stopWords`) is `empty`.
    public var minContentWords: Int = 2
    /// Words that name a date or a term by themselves: months, weekdays, "завтра", "до конца".
    public var termWords: [String] = [] { didSet { index.term = MarkerIndex(termWords) } }
    /// Units of time that name a term after a number or a lead word ("3 дня", "в течение недели").
    public var timeUnits: [String] = [] { didSet { index.units = MarkerIndex(timeUnits) } }
    /// Number words and lead words before a unit of time ("двух", "течение", "через").
    public var termLeads: [String] = [] { didSet { index.leads = MarkerIndex(termLeads) } }
    /// Words a "N.N" before which is a reference (п. 3.2, ст. 12.1), not a date.
    public var citationWords: [String] = [] { didSet { index.citations = MarkerIndex(citationWords) } }
    /// A measure taken ("устранена", "вывезен", "выдано предписание").
    public var measureWords: [String] = [] { didSet { index.measures = MarkerIndex(measureWords) } }
    /// Words that make a following measure word not a measure taken ("будет", "не").
    public var undoneWords: [String] = [] { didSet { index.undone = MarkerIndex(undoneWords) } }
    /// Stock phrases of formal answers.
    public var stockPhrases: [String] = [] { didSet { index.stock = MarkerIndex(stockPhrases) } }
    /// References to laws and rules.
    public var lawPhrases: [String] = [] { didSet { index.laws = MarkerIndex(lawPhrases) } }
    /// Words that never show that a reply answers its post (function words, greetings, "обращение").
    public var stopWords: [String] = [] { didSet { index.stop = MarkerIndex(stopWords) } }
    /// A post with at least this many content stems must share one with its reply.
    public var minPostStems: Int = 2

    /// The lists parsed once, when they are set (a draft of 64 KiB is checked in one pass per list,
    /// each word looked up, never compared with every entry).
    struct Indexes: Sendable, Equatable {
        var term = MarkerIndex([]), units = MarkerIndex([]), leads = MarkerIndex([]), citations = MarkerIndex([])
        var measures = MarkerIndex([]), undone = MarkerIndex([]), stock = MarkerIndex([]), laws = MarkerIndex([])
        var stop = MarkerIndex([])
    }
    private var index = Indexes()

    public init() {}

    /// The findings on a draft of `kind` with `text` and `measures`, answering `post`; `copyOf` is the
    /// case whose published reply has this draft's fingerprint (`fingerprint`), if any. A
    /// clarification request is only checked for being empty.
    public func check(kind: DraftKind, text: String, measures: String?, post: String, copyOf: String? = nil)
        -> [ReplyFinding]
    {
        let words = Self.words(text)
        let content = contentWords(words)
        guard content.count >= minContentWords else { return [ReplyFinding(rule: .empty)] }
        guard kind != .clarification else { return [] }
        var findings: [ReplyFinding] = []
        // The measures field counts when it is not itself a formal phrase ("будет рассмотрено").
        let field = Self.words(measures ?? "")
        let fieldCounts = contentWords(field).count >= minContentWords && found(index.stock, in: field).isEmpty
        let hasMeasures = fieldCounts || !measuresTaken(words).isEmpty || !measuresTaken(field).isEmpty
        let hasTerm = !terms(in: text, words: words).isEmpty || !terms(in: measures ?? "", words: field).isEmpty
        let stock = found(index.stock, in: words)
        if !stock.isEmpty, !hasTerm, !hasMeasures { findings.append(ReplyFinding(rule: .stockPhrases, words: stock)) }
        let laws = found(index.laws, in: words)
        if !laws.isEmpty, !hasTerm, !hasMeasures { findings.append(ReplyFinding(rule: .onlyLaws, words: laws)) }
        switch kind {
        case .final where !hasTerm && !hasMeasures: findings.append(ReplyFinding(rule: .noTerm))
        case .intermediate where !hasTerm: findings.append(ReplyFinding(rule: .noFinalTerm))
        case .final, .intermediate, .clarification: break
        }
        let postStems = Set(Stemmer.russian(contentWords(Self.words(post))))
        if postStems.count >= minPostStems {
            let replyStems = Set(Stemmer.russian(content + contentWords(Self.words(measures ?? ""))))
            if replyStems.isDisjoint(with: postStems) { findings.append(ReplyFinding(rule: .offTopic)) }
        }
        if let copyOf { findings.append(ReplyFinding(rule: .copy, words: [copyOf])) }
        return findings
    }

    /// The findings whose rules refuse a submission.
    public func refusing(_ findings: [ReplyFinding]) -> [ReplyFinding] { findings.filter { refuse.contains($0.rule) } }

    // MARK: Words

    /// The text's words in order: letters and digits, lower case, ё as е.
    static func words(_ text: String) -> [String] {
        normalized(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Lower case, ё read as е.
    static func normalized(_ text: String) -> String { String(text.lowercased().map { $0 == "ё" ? "е" : $0 }) }

    private func contentWords(_ words: [String]) -> [String] {
        words.filter { word in word.count >= 3 && !word.allSatisfy(\.isNumber) && !index.stop.hasWord(word) }
    }

    /// The entries of `list` found in `words`, as the text spells them, each once: in the list's order,
    /// each entry's places in the text's.
    private func found(_ list: MarkerIndex, in words: [String]) -> [String] {
        var hits: [String] = []
        for (_, hit) in matches(list, in: words) where !hits.contains(hit) { hits.append(hit) }
        return hits
    }

    /// Every entry of `list` that starts somewhere in `words`: its place in the list, where it starts in
    /// the text, and the words it matched; in the list's order, then the text's.
    private func matches(_ list: MarkerIndex, in words: [String]) -> [(start: Int, hit: String)] {
        var found: [(entry: Int, start: Int, hit: String)] = []
        for start in words.indices {
            for marker in list.candidates(words[start]) where Marker.matches(marker.words, words, at: start) {
                found.append((marker.entry, start, words[start..<start + marker.words.count].joined(separator: " ")))
            }
        }
        return found.sorted { ($0.entry, $0.start) < ($1.entry, $1.start) }.map { ($0.start, $0.hit) }
    }

    /// Measure words not preceded (within two words) by an undone word.
    func measuresTaken(_ words: [String]) -> [String] {
        matches(index.measures, in: words).filter { match in
            !(max(0, match.start - 2)..<match.start).contains { index.undone.matches(words, at: $0) }
        }.map(\.hit)
    }

    /// The dates, times and terms the text names: "05.12", "18:00", "15 декабря", "в течение 3 дней".
    public func terms(in text: String) -> [String] { terms(in: text, words: Self.words(text)) }

    /// `terms(in:)` of a text whose words (`words(_:)`) are read already.
    private func terms(in text: String, words: [String]) -> [String] {
        var hits: [String] = []
        hits += found(index.term, in: words)
        // A number or a lead word, then a unit of time within two words.
        for (i, word) in words.enumerated() where word.allSatisfy(\.isNumber) || index.leads.matches(words, at: i) {
            for j in (i + 1)..<min(words.count, i + 3) where index.units.matches(words, at: j) {
                hits.append(words[i...j].joined(separator: " "))
                break
            }
        }
        hits += numericDates(text)
        return hits
    }

    /// Digit dates ("05.12", "5/12/2026") and times ("18:00"); a "3.2" after a citation word ("п. 3.2")
    /// is a reference, not a date.
    private func numericDates(_ text: String) -> [String] {
        var hits: [String] = []
        let characters = Array(text)
        var i = 0
        func number(_ at: inout Int) -> Int? {
            var digits = ""
            while at < characters.count, characters[at].isASCII, characters[at].isNumber, digits.count < 5 {
                digits.append(characters[at])
                at += 1
            }
            return digits.isEmpty ? nil : Int(digits)
        }
        while i < characters.count {
            guard characters[i].isASCII, characters[i].isNumber, i == 0 || !characters[i - 1].isNumber else {
                i += 1
                continue
            }
            let start = i
            var at = i
            guard let first = number(&at), at - start <= 2, at < characters.count else {
                i = at
                continue
            }
            let separator = characters[at]
            var next = at + 1
            if separator == ":", let minutes = number(&next), next - at - 1 == 2, first <= 24, minutes < 60 {
                hits.append(String(characters[start..<next]))
            } else if separator == "." || separator == "/", let month = number(&next), next - at - 1 <= 2,
                (1...31).contains(first), (1...12).contains(month)
            {
                var end = next
                if end + 1 < characters.count, characters[end] == separator {
                    var year = end + 1
                    if number(&year) != nil, [2, 4].contains(year - end - 1) { end = year }
                }
                let before = Array(Self.words(String(characters[max(0, start - 40)..<start])).suffix(2))
                let cited = before.indices.contains { index.citations.matches(before, at: $0) }
                if !cited { hits.append(String(characters[start..<end])) }
                next = end
            }
            i = max(next, i + 1)
        }
        return hits
    }

    // MARK: Copies

    /// The key a published reply is indexed by for `copy` (the store's `reply_texts`): the SHA-256 of
    /// its fingerprint; nil for a text with no words.
    public static func copyKey(_ text: String) -> String? {
        let print = fingerprint(text)
        return print.isEmpty ? nil : SHA256Digest.hex(of: Array(print.utf8))
    }

    /// The text a copy is recognised by: its words, lower case, ё as е, without a salutation line
    /// ("Уважаемый Иван Петрович!") that names the author. Empty for a text with no words.
    public static func fingerprint(_ text: String) -> String {
        var body = Substring(text.trimmingWhitespace)
        let ends: (Character) -> Bool = { $0 == "!" || $0 == "," || $0 == "\n" }
        let opening = words(String(body.prefix(while: { !ends($0) })))
        if let first = opening.first, ["уважаем", "здравствуйте", "добрый", "доброе"].contains(where: first.hasPrefix),
            let end = body.firstIndex(where: ends), opening.count <= 5
        {
            let bare = !first.hasPrefix("уважаем")
            let comma = body[end] == ","
            body = body[body.index(after: end)...]
            // "Здравствуйте, Анна Сергеевна!": after a bare greeting's comma, a name (at most three
            // capitalised words) goes too, when an answer of two words or more follows it.
            if bare, comma, let name = body.firstIndex(where: { $0 == "!" || $0 == "\n" }) {
                let parts = body[..<name].split(whereSeparator: \.isWhitespace)
                let isName =
                    (1...3).contains(parts.count)
                    && parts.allSatisfy { $0.first?.isUppercase == true && $0.allSatisfy(\.isLetter) }
                if isName, words(String(body[body.index(after: name)...])).count >= 2 {
                    body = body[body.index(after: name)...]
                }
            }
        }
        return words(String(body)).joined(separator: " ")
    }
}

/// One entry of a word list: its words, each whole or a beginning (`*`).
struct Marker {
    struct Word {
        var text: String
        var prefix: Bool

        func matches(_ word: String) -> Bool { prefix ? word.hasPrefix(text) : word == text }
    }

    static func list(_ entries: [String]) -> [[Word]] {
        entries.map { entry in
            ReplyQuality.normalized(entry).split(separator: " ").map { part in
                Word(text: String(part.hasSuffix("*") ? part.dropLast() : part), prefix: part.hasSuffix("*"))
            }.filter { !$0.text.isEmpty }
        }.filter { !$0.isEmpty }
    }

    static func matches(_ marker: [Word], _ words: [String], at start: Int) -> Bool {
        guard start >= 0, start + marker.count <= words.count else { return false }
        return marker.indices.allSatisfy { marker[$0].matches(words[start + $0]) }
    }
}

extension Marker.Word: Equatable {}

/// A word list's entries by their first word: whole first words in a table, `*` beginnings by their
/// first (up to) three letters, so a word finds the few entries that may start at it in a look-up or four.
struct MarkerIndex: Sendable, Equatable {
    /// One entry: its place in the list, and its words.
    struct Entry: Sendable, Equatable {
        var entry: Int
        var words: [Marker.Word]
    }

    private var whole: [String: [Entry]] = [:]
    private var beginnings: [String: [Entry]] = [:]
    static let keyLength = 3

    init(_ entries: [String]) {
        for (position, marker) in Marker.list(entries).enumerated() {
            let entry = Entry(entry: position, words: marker)
            if marker[0].prefix {
                beginnings[String(marker[0].text.prefix(Self.keyLength)), default: []].append(entry)
            } else {
                whole[marker[0].text, default: []].append(entry)
            }
        }
    }

    /// The entries whose first word matches `word` (their other words still to be compared).
    func candidates(_ word: String) -> [Entry] {
        var found = whole[word] ?? []
        guard !beginnings.isEmpty else { return found }
        var key = ""
        for character in word.prefix(Self.keyLength) {
            key.append(character)
            for entry in beginnings[key] ?? [] where entry.words[0].matches(word) { found.append(entry) }
        }
        return found
    }

    /// Whether an entry starts at `start` of `words`.
    func matches(_ words: [String], at start: Int) -> Bool {
        guard words.indices.contains(start) else { return false }
        return candidates(words[start]).contains { Marker.matches($0.words, words, at: start) }
    }

    /// Whether a one-word entry is `word`.
    func hasWord(_ word: String) -> Bool { candidates(word).contains { $0.words.count == 1 } }
}
