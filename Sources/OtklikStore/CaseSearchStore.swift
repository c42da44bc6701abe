import Foundation
public import OtklikCore
import OtklikBase

/// p.18 repeat candidates and `case search`: reads of the word keys, the author index and the trigram text
/// index, never of every case.
extension Store {
    /// Issue 31: the unit's newest `limit` assignments with a draft: each one's start and first draft
    /// (`draft_pace`, one seek). The breach forecast's measure of the unit's usual time to a draft.
    public func draftPace(of unit: String, limit: Int = 50) throws(StoreError) -> [(started: Instant, drafted: Instant)]
    {
        try read { connection throws(StoreError) in
            var samples: [(started: Instant, drafted: Instant)] = []
            try connection.query(
                "SELECT started_at, drafted_at FROM draft_pace WHERE unit = ? ORDER BY drafted_at DESC LIMIT ?",
                [.text(unit), .integer(Int64(limit))]
            ) { samples.append((Instant(seconds: $0.integer(0)), Instant(seconds: $0.integer(1)))) }
            return samples
        }
    }

    /// Issue 31: a case not in `cases` where a reply with `text`'s key (`ReplyQuality.copyKey`)
    /// was published, the earliest by number; nil when none. One seek of `reply_texts`.
    public func publishedCopy(of text: String, excluding cases: Set<String>) throws(StoreError) -> String? {
        guard let key = ReplyQuality.copyKey(text) else { return nil }
        return try read { connection throws(StoreError) -> String? in
            var found: String?
            // At most one row past the excluded ones: a seek, however many replies share the key.
            try connection.query(
                "SELECT case_id FROM reply_texts WHERE key = ? ORDER BY case_id LIMIT ?",
                [.text(key), .integer(Int64(cases.count + 1))]
            ) { row in
                let id = row.text(0)
                if found == nil, !cases.contains(id) { found = id }
            }
            return found
        }
    }

    /// p.18 candidates for `state`, read from indexes only: the newest cases of the same author in its
    /// network (`cases_author`, at most `limit`), and the newest cases registered before it whose texts
    /// share one of its longest words (`case_word_keys`, at most `2 * limit`), detected in the `window`
    /// seconds before it; never the case itself. The caller decides (`Hints.likelyRepeat`); nothing
    /// else is decoded, and neither read grows with the history.
    public func repeatCandidates(of state: CaseState, window: Int64, limit: Int = 10) throws(StoreError)
        -> [RepeatCandidate]
    {
        let from = state.detectedAt - window
        // Each candidate's facts come from the index rows (the text from the trigram table's own
        // copy): no case is decoded to be compared.
        let facts = "c.id, c.network, c.author_key, c.detected_at, t.text"
        let rows = try read { connection throws(StoreError) -> [RepeatCandidate] in
            var rows: [RepeatCandidate] = []
            let collect: (Row) -> Void = { row in
                rows.append(
                    RepeatCandidate(
                        id: row.text(0), network: row.text(1), authorKey: row.text(2),
                        detectedAt: Instant(seconds: row.integer(3)), text: row.text(4)))
            }
            let author = Hints.authorKey(state.author)
            if !author.isEmpty {
                try connection.query(
                    """
                    SELECT \(facts) FROM cases c INDEXED BY cases_author
                    JOIN case_text t ON t.rowid = c.year * 1000000 + c.number
                    WHERE c.network = ? AND c.author_key = ? AND c.detected_at >= ? AND c.detected_at <= ? AND c.id != ?
                    ORDER BY c.detected_at DESC LIMIT ?
                    """,
                    [
                        .text(state.network), .text(author), .instant(from), .instant(state.detectedAt),
                        .text(state.id), .integer(Int64(limit)),
                    ], row: collect)
            }
            // The newest cases holding one of its five longest words, from the word keys: per word a
            // seek and a walk back over at most `2 * limit` keys in the window (the cost does not
            // grow with how many cases ever used the word), then the newest of those, read once.
            guard let key = Self.textKey(state.id) else { return rows }
            var keys: [Int64] = []
            for word in Hints.likeWords(state.text, limit: 5) {
                try connection.query(
                    Self.wordKeysQuery,
                    [
                        .text(word), .integer(Self.textKeys(from: from)), .integer(key), .instant(from),
                        .instant(state.detectedAt), .integer(Int64(limit * 2)),
                    ]
                ) { row in keys.append(row.integer(0)) }
            }
            for key in Set(keys).sorted(by: >).prefix(limit * 2) {
                try connection.query(
                    """
                    SELECT \(facts) FROM cases c JOIN case_text t ON t.rowid = ?
                    WHERE c.year = ? AND c.number = ?
                    """, [.integer(key), .integer(key / 1_000_000), .integer(key % 1_000_000)], row: collect)
            }
            return rows
        }
        var seen: Set<String> = []
        return rows.filter { seen.insert($0.id).inserted }
    }

    /// The newest keys (at most ?6) holding the word ?1 in [?2, ?3), of cases detected in [?4, ?5].
    static let wordKeysQuery = """
        SELECT k.key FROM case_word_keys k CROSS JOIN cases c ON c.year = k.key / 1000000 AND c.number = k.key % 1000000
        WHERE k.word = ? AND k.key >= ? AND k.key < ? AND c.detected_at >= ? AND c.detected_at <= ?
        ORDER BY k.key DESC LIMIT ?
        """

    /// What the p.18 hint compares of an earlier case, read from the indexes.
    public struct RepeatCandidate: Sendable, Equatable {
        public var id: String
        public var network: String
        public var authorKey: String
        public var detectedAt: Instant
        public var text: String
    }

    /// One match of `searchCases`: the case, and a snippet of its text with the matched words' places.
    public struct SearchHit: Sendable, Equatable {
        public var id: String
        public var snippet: SearchSnippet
    }

    /// Cases whose text (or author) holds every word of `query` (`SearchQuery`: each in any of its
    /// forms or as a word's beginning, or in quotes exactly), newest first, optionally of an author and
    /// detected in `[from, to)`, and with `units` only those with a live assignment of one of them (an
    /// executor's reach, applied inside the query so the hits are theirs, not all cases' filtered
    /// after); at most `limit`. Reads the text index newest first and stops at `limit` matches, so a
    /// word every case holds costs what a rare one does; within `budget` (`StoreError.interrupted`).
    public func searchCases(
        _ query: SearchQuery, author: SearchQuery?, from: Instant?, to: Instant?, units: [String]? = nil,
        limit: Int, budget: QueryBudget = QueryBudget(seconds: 30)
    )
        throws(StoreError) -> [SearchHit]
    {
        guard var match = Self.matchExpression(query, words: "{author text}", stems: "{author_stems text_stems}")
        else { return [] }
        if let author, let authorMatch = Self.matchExpression(author, words: "author", stems: "author_stems") {
            match += " AND " + authorMatch
        }
        var sql = """
            SELECT c.id, t.text FROM case_text t
            JOIN cases c ON c.year = t.rowid / 1000000 AND c.number = t.rowid % 1000000
            WHERE case_text MATCH ?
            """
        var values: [Value] = [.text(match)]
        // The period bounds the index range read too (by the years it spans), not only the rows kept.
        if let from {
            sql += " AND t.rowid >= ? AND c.detected_at >= ?"
            values += [.integer(Self.textKeys(from: from)), .instant(from)]
        }
        if let to {
            sql += " AND t.rowid < ? AND c.detected_at < ?"
            values += [.integer(Self.textKeys(before: to)), .instant(to)]
        }
        if let units {
            sql +=
                " AND EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.status != '\(Self.handedOver)'"
                + " AND a.executor IN (\(units.map { _ in "?" }.joined(separator: ", "))))"
            values += units.map { .text($0) }
        }
        sql += " ORDER BY t.rowid DESC LIMIT ?"
        values.append(.integer(Int64(limit)))
        let rows = try read(budget: budget) { connection throws(StoreError) -> [(String, String)] in
            var rows: [(String, String)] = []
            try connection.query(sql, values) { row in rows.append((row.text(0), row.text(1))) }
            return rows
        }
        let marker = SearchSnippet.Marker(query)
        return rows.map { SearchHit(id: $0.0, snippet: marker.snippet($0.1)) }
    }

    /// The FTS5 expression of `query` over the word columns `words` and the stem columns `stems`: each
    /// term a phrase in quotes (its letters and digits only, so nothing of it is FTS5 syntax); nil for
    /// no term. A word typed whole ("ямы": its stem is shorter) is found by its stem alone; one that is
    /// its own stem ("школ", "дом") may be a word's beginning, so a prefix query is added. The prefix
    /// query reads every word it begins (40 ms for a word in a million texts), the stem one lookup.
    static func matchExpression(_ query: SearchQuery, words: String, stems: String) -> String? {
        guard !query.terms.isEmpty else { return nil }
        return query.terms.map { term in
            let stem = WordForms.stem(term.word)
            switch term.match {
            case .exact: return "\(words): \"\(term.word)\""
            case .forms where SearchSnippet.Marker.isWhole(term.word, stem: stem):
                return "\(stems): \"\(stem)\""
            case .forms: return "(\(words): \"\(term.word)\"* OR \(stems): \"\(stem)\")"
            }
        }.joined(separator: " AND ")
    }
}
