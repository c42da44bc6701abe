import Foundation
import OtklikDesk
import Testing

/// The CLI's own text lives in one catalogue, `Sources/otklik/Catalogue/`, one file per group of
/// commands, English and Russian side by side. These tests read the sources: no command writes
/// human text inline, and every phrase of the catalogue has its Russian, free of wire words.
@Suite struct CommandTextTests {
    static let cli = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/otklik")

    static func swiftFiles(under folder: URL) -> [URL] {
        let found = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects ?? []
        return found.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
            .sorted { $0.path < $1.path }
    }

    static var catalogue: URL { cli.appendingPathComponent("Catalogue") }

    /// A Swift string literal starting at `start` (plain, multi-line or raw), its interpolations
    /// read through (nested literals included): the literal's text with each interpolation as
    /// `{}`, and where it ends. Nil when no literal starts there.
    static func literal(in text: [Character], at start: Int) -> (body: String, end: Int)? {
        var index = start
        var hashes = 0
        while index < text.count, text[index] == "#" {
            hashes += 1
            index += 1
        }
        let multiLine =
            index + 2 < text.count && text[index] == "\"" && text[index + 1] == "\""
            && text[index + 2] == "\""
        guard index < text.count, text[index] == "\"" else { return nil }
        index += multiLine ? 3 : 1
        let close = Array((multiLine ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes))
        let escape = Array("\\" + String(repeating: "#", count: hashes))
        func at(_ position: Int, _ pattern: [Character]) -> Bool {
            position + pattern.count <= text.count && Array(text[position..<position + pattern.count]) == pattern
        }
        var body = ""
        while index < text.count {
            if at(index, escape) {
                index += escape.count
                guard index < text.count else { return nil }
                if text[index] == "(" {
                    var depth = 1
                    index += 1
                    while depth > 0, index < text.count {
                        if text[index] == "\"", let inner = literal(in: text, at: index) {
                            index = inner.end
                            continue
                        }
                        if text[index] == "(" { depth += 1 }
                        if text[index] == ")" { depth -= 1 }
                        index += 1
                    }
                    body += "{}"
                } else {
                    body.append(text[index])
                    index += 1
                }
                continue
            }
            if at(index, close) { return (body, index + close.count) }
            if !multiLine, text[index] == "\n" { return nil }
            body.append(text[index])
            index += 1
        }
        return nil
    }

    /// Every `Phrase(english, russian)` of a source, both arguments literals; nil for a phrase
    /// whose arguments are not literals.
    static func phrases(in source: String) -> [(english: String, russian: String)?] {
        let text = Array(source)
        var found: [(english: String, russian: String)?] = []
        var index = 0
        let opening = Array("Phrase(")
        func skipSpace(_ position: inout Int) {
            while position < text.count, text[position].isWhitespace { position += 1 }
        }
        while index + opening.count <= text.count {
            guard Array(text[index..<index + opening.count]) == opening,
                index == 0 || !(text[index - 1].isLetter || text[index - 1].isNumber || text[index - 1] == "_")
            else {
                index += 1
                continue
            }
            var position = index + opening.count
            skipSpace(&position)
            guard let english = literal(in: text, at: position) else {
                found.append(nil)
                index = position
                continue
            }
            position = english.end
            skipSpace(&position)
            guard position < text.count, text[position] == "," else {
                found.append(nil)
                index = position
                continue
            }
            position += 1
            skipSpace(&position)
            guard let russian = literal(in: text, at: position) else {
                found.append(nil)
                index = position
                continue
            }
            found.append((english.body, russian.body))
            index = russian.end
        }
        return found
    }

    static func hasCyrillic(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }
    }

    @Test func commandsNameTheirTextFromTheCatalogue() throws {
        let files = Self.swiftFiles(under: Self.cli).filter { !$0.path.hasPrefix(Self.catalogue.path + "/") }
        #expect(files.count > 60)
        for file in files {
            let source = try String(contentsOf: file, encoding: .utf8)
            let name = file.lastPathComponent
            #expect(!source.contains("Language.text("), "\(name) writes text inline; name a phrase of Catalogue/")
            #expect(Self.phrases(in: source).isEmpty, "\(name) makes a Phrase; it belongs in Catalogue/")
            // Russian outside the catalogue is text that skipped it (comments aside).
            let code = source.split(separator: "\n").filter {
                !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//")
            }
            for line in code where Self.hasCyrillic(String(line)) {
                Issue.record("\(name): Russian outside the catalogue: \(line)")
            }
        }
    }

    /// A phrase's arguments are typed (`String`, `Int`, an identifier): what a call passes is checked by
    /// the compiler, not turned into text by whatever its description happens to be.
    @Test func thePhrasesArgumentsAreTyped() throws {
        for file in Self.swiftFiles(under: Self.catalogue) {
            let source = try String(contentsOf: file, encoding: .utf8)
            #expect(!source.contains(": Any"), "\(file.lastPathComponent): a phrase takes Any")
        }
    }

    @Test func everyPhraseOfTheCatalogueHasItsRussianWithoutWireWords() throws {
        let files = Self.swiftFiles(under: Self.catalogue)
        #expect(files.count >= 15, "one file per group of commands")
        var count = 0
        for file in files {
            let name = file.lastPathComponent
            for phrase in Self.phrases(in: try String(contentsOf: file, encoding: .utf8)) {
                guard let phrase else {
                    Issue.record("\(name): a phrase whose English and Russian are not both written out")
                    continue
                }
                count += 1
                let russian = phrase.russian.replacingOccurrences(of: "{}", with: " ")
                let latinOnly = !Self.hasCyrillic(russian) && russian.contains { $0.isASCII && $0.isLetter }
                #expect(
                    !latinOnly || phrase.russian == phrase.english,
                    "\(name): \"\(phrase.english)\" has no Russian (\"\(phrase.russian)\")")
                #expect(
                    RussianLines.wireWords(in: russian).isEmpty,
                    "\(name): \"\(phrase.russian)\" says \(RussianLines.wireWords(in: russian))")
                #expect(!phrase.english.isEmpty || !phrase.russian.isEmpty, "\(name): an empty phrase")
            }
        }
        #expect(count > 400, "the catalogue's phrases were not all read: \(count)")
    }

    @Test func theReaderOfLiteralsReadsWhatTheCatalogueWrites() {
        let source = #"""
            Phrase("a \(x ? "b" : "c") d", "е \(f(g("h"))) ж")
            Phrase(
                """
                many
                lines
                """, "строки")
            Phrase(english, russian)
            """#
        let found = Self.phrases(in: source)
        #expect(found.count == 3)
        #expect(found[0]?.english == "a {} d" && found[0]?.russian == "е {} ж")
        #expect(found[1]?.english.contains("many") == true && found[1]?.russian == "строки")
        #expect(found[2] == nil)
    }
}
