import Foundation
import OtklikCore
import Testing

@testable import OtklikStore

extension SearchSnippet {
    /// The snippet with its marks in brackets, as the CLI prints it in a pipe.
    var marked: String {
        var scalars = Array(text.unicodeScalars)
        for mark in marks.reversed() {
            scalars.insert("]", at: mark.start + mark.length)
            scalars.insert("[", at: mark.start)
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// Search finds Russian word forms (issue 26, item 9): Snowball's Russian stemmer for the index and
/// the query, a word's beginning and an exact form in quotes kept, the matched words marked by place.
@Suite struct WordFormsTests {
    @Test func theStemmerMakesOneWordOfItsForms() {
        for forms in [
            ["яма", "ямы", "яму", "ямой", "ямам"], ["школа", "школы", "школе", "школу"], ["ёлки", "Елки", "ёлка"],
        ] {
            #expect(Set(forms.map(WordForms.stem)).count == 1, "\(forms): \(forms.map(WordForms.stem))")
        }
        #expect(WordForms.stemText("Яма у ШКОЛЫ, road 12") == "ям у школ road 12")
        #expect(WordForms.stems([]) == [])
    }

    func store(_ texts: [String]) throws -> (Store, [String]) {
        let store = try Store(directory: freshDirectory())
        var ids: [String] = []
        for (n, text) in texts.enumerated() {
            var event = WorkflowEvent(kind: .registered, at: Instant(seconds: 1_796_000_000 + Int64(n) * 60))
            event.network = "vk"
            event.url = "https://vk.com/wall-1_\(n + 1)"
            event.author = n == 0 ? "Анна Петрова" : "Олег"
            event.text = text
            ids.append(
                try store.registerCase(
                    year: 2026, event: event, actor: "cur", onBehalf: "",
                    now: Instant(seconds: Int64(1_796_000_000 + n * 60))
                ).state.id)
        }
        return (store, ids)
    }

    @Test func aWordIsFoundInAnyFormAsABeginningOrExactlyInQuotes() throws {
        let (store, ids) = try store([
            "Яма у школы уже месяц", "Глубокие ямы на дороге", "Школьный автобус не пришёл", "Ёлки во дворе",
        ])
        defer { store.close() }
        func found(_ text: String, author: String? = nil) throws -> [String] {
            try store.searchCases(
                SearchQuery(text), author: author.map(SearchQuery.init), from: nil, to: nil, limit: 10
            )
            .map(\.id)
        }
        #expect(try found("яма школа") == [ids[0]], "both words, each in another form")
        #expect(try found("ямы") == [ids[1], ids[0]], "newest first")
        #expect(try found("\"ямы\"") == [ids[1]], "in quotes: that form only")
        #expect(try found("«яма»") == [ids[0]])
        #expect(try found("школ") == [ids[2], ids[0]], "a word's beginning")
        #expect(try found("елка") == [ids[3]], "ё and е are one letter to a search")
        #expect(try found("автобуса пришел") == [ids[2]])
        #expect(try found("петровой") == [ids[0]], "the author's name in another form")
        #expect(try found("яма", author: "Петрову") == [ids[0]])
        #expect(try found("яма", author: "Олег") == [ids[1]])
        #expect(try found("трамвай").isEmpty)
    }

    @Test func theMatchedWordsAreMarkedByPlaceAroundTheFirstMatch() throws {
        let long =
            (1...30).map { "слово\($0)" }.joined(separator: " ") + " Яма, ямы!\nи «ЯМУ» "
            + (31...80).map { "слово\($0)" }.joined(separator: " ")
        let (store, _) = try store([long, "Во дворе яма"])
        defer { store.close() }
        let hits = try store.searchCases(SearchQuery("ямы"), author: nil, from: nil, to: nil, limit: 10)
        #expect(
            hits.map(\.snippet.marked) == [
                "Во дворе [яма]",
                "…слово23 слово24 слово25 слово26 слово27 слово28 слово29 слово30 [Яма], [ямы]! и «[ЯМУ]» "
                    + (31...58).map { "слово\($0)" }.joined(separator: " ") + "…",
            ])
        // A match in the author's name alone: the text from its start, nothing marked.
        let byAuthor = try store.searchCases(SearchQuery("анна"), author: nil, from: nil, to: nil, limit: 10)
        #expect(
            byAuthor.count == 1 && byAuthor[0].snippet.marks.isEmpty && byAuthor[0].snippet.text.hasPrefix("слово1 "))
    }

    @Test func whatAQueryHoldsIsNeverSyntaxOfTheIndex() throws {
        let (store, ids) = try store(["яма OR школа", "NEAR яма"])
        defer { store.close() }
        for text in ["яма OR школа", "\"яма\" \"", "NEAR(яма", "яма*", "-яма", "author: яма", "{text}: яма", "яма^"] {
            let hits = try store.searchCases(SearchQuery(text), author: nil, from: nil, to: nil, limit: 10)
            #expect(!hits.isEmpty || SearchQuery(text).terms.count > 1, "\(text)")
        }
        #expect(
            try store.searchCases(SearchQuery("яма OR школа"), author: nil, from: nil, to: nil, limit: 10).map(\.id)
                == [ids[0]], "OR is a word to find, not an operator")
    }
}
