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

    /// What the catalogue writes on purpose with a space at an end, each with its reason (English text
    /// to why). Anything else so written is a fragment waiting to be glued.
    static let fragmentsOnPurpose: [String: String] = [
        "«___» ____________ 20___ ":
            "the date under the report's signature, filled in by hand: the Russian writes «г.» after the year, the English nothing"
    ]

    /// A phrase is a whole sentence or line with its arguments in place: no text of the catalogue
    /// starts or ends with a space, or starts with the punctuation that joins it to what comes before,
    /// as a fragment does (`" as "`, `"; before: "`, `", files: "`).
    @Test func everyPhraseIsWholeNotAFragment() throws {
        var count = 0
        for file in Self.swiftFiles(under: Self.catalogue) {
            for phrase in Self.phrases(in: try String(contentsOf: file, encoding: .utf8)).compactMap({ $0 })
            where Self.fragmentsOnPurpose[phrase.english] == nil {
                count += 1
                for text in [phrase.english, phrase.russian] {
                    #expect(
                        !Self.isFragment(text),
                        "\(file.lastPathComponent): \"\(text)\" is a fragment; say the whole line, its arguments in place"
                    )
                }
            }
        }
        #expect(count > 400, "the catalogue's phrases were not all read: \(count)")
    }

    static func isFragment(_ text: String) -> Bool {
        var text = text
        if text.hasPrefix("\n") {
            // A multi-line literal: its lines between the quotes, without the source's indentation.
            text = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        }
        return text.hasPrefix(" ") || text.hasSuffix(" ") || text.first.map { ",;:)".contains($0) } == true
    }

    /// No command glues a sentence from phrases: a phrase's text (`.text()`, `.text(in:)`) is never
    /// joined to other text with `+`, nor interpolated into a literal that has words or punctuation
    /// of its own. Layout is not glue: a literal of spaces or line breaks, or the `indent` a function
    /// is given, may stand beside a whole line, and markup (`<h2>…</h2>`) around it.
    @Test func noCommandGluesASentenceFromPhrases() throws {
        let files = Self.swiftFiles(under: Self.cli).filter { !$0.path.hasPrefix(Self.catalogue.path + "/") }
        #expect(files.count > 60)
        for file in files {
            for glued in Self.gluedPhrases(in: try String(contentsOf: file, encoding: .utf8)) {
                Issue.record("\(file.lastPathComponent): glues a phrase: \(glued)")
            }
        }
    }

    /// The places in `source` where a phrase's text is glued to other text (see
    /// `noCommandGluesASentenceFromPhrases`), each as the code around it.
    static func gluedPhrases(in source: String) -> [String] {
        let text = Array(source)
        var found: [String] = []
        // The code with every literal masked: `" "` for one of spaces and line breaks only, `"x"` else.
        var code: [Character] = []
        var index = 0
        func saysPhrase(_ code: String) -> Bool { code.contains(".text()") || code.contains(".text(in:") }
        while index < text.count {
            if text[index] == "/", index + 1 < text.count, text[index + 1] == "/" {
                while index < text.count, text[index] != "\n" { index += 1 }
                continue
            }
            if text[index] == "\"" || text[index] == "#", let literal = literal(in: text, at: index) {
                let raw = String(text[index..<literal.end])
                let layout = raw.replacingOccurrences(of: "\\n", with: "").allSatisfy { $0 == " " || $0 == "\"" }
                code += Array(layout ? "\" \"" : "\"x\"")
                // Beside an interpolated phrase, anything but an indent and markup is glue.
                let own = literal.body.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
                    .drop { $0 == " " }.replacingOccurrences(of: "{}", with: "")
                if saysPhrase(raw), !own.isEmpty { found.append(raw) }
                index = literal.end
                continue
            }
            code.append(text[index])
            index += 1
        }
        let openers: [Character: Character] = [")": "(", "]": "[", "}": "{"]
        let closers: [Character: Character] = ["(": ")", "[": "]", "{": "}"]
        func isName(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "$" || c == "." }
        /// The operand ending just before `end` (a postfix expression: names, calls, subscripts, a literal).
        func operand(before end: Int) -> String {
            var start = end
            while start > 0, code[start - 1].isWhitespace { start -= 1 }
            let last = start
            while start > 0 {
                let c = code[start - 1]
                if let opener = openers[c] {
                    var depth = 0
                    repeat {
                        start -= 1
                        if code[start] == c { depth += 1 } else if code[start] == opener { depth -= 1 }
                    } while depth > 0 && start > 0
                } else if c == "\"" {
                    start -= 1
                    while start > 0, code[start - 1] != "\"" { start -= 1 }
                    start -= 1
                } else if isName(c) || c == "?" || c == "!" {
                    start -= 1
                } else {
                    break
                }
            }
            return String(code[max(start, 0)..<last])
        }
        /// The operand starting just after `start`.
        func operand(after start: Int) -> String {
            var end = start
            while end < code.count, code[end].isWhitespace { end += 1 }
            let first = end
            while end < code.count {
                let c = code[end]
                if let closer = closers[c] {
                    var depth = 0
                    repeat {
                        if code[end] == c { depth += 1 } else if code[end] == closer { depth -= 1 }
                        end += 1
                    } while depth > 0 && end < code.count
                } else if c == "\"" {
                    end += 1
                    while end < code.count, code[end] != "\"" { end += 1 }
                    end += 1
                } else if isName(c) || ((c == "?" || c == "!") && end > first) {
                    end += 1
                } else {
                    break
                }
            }
            return String(code[first..<min(end, code.count)])
        }
        func isLayout(_ operand: String) -> Bool { ["\" \"", "indent", "inner"].contains(operand) }
        /// An operand as it says its own text: what calls, subscripts and closures inside it take is
        /// theirs (`CSV.line(headings.map { $0.text() })` says no phrase; `(a ? x.text() : "")` does).
        func own(_ operand: String) -> String {
            let characters = Array(operand)
            var kept = ""
            var index = 0
            while index < characters.count {
                let c = characters[index]
                let called = index > 0 && (isName(characters[index - 1]) || ")]?!".contains(characters[index - 1]))
                if let closer = closers[c], c == "{" || called {
                    let start = index
                    var depth = 0
                    repeat {
                        if characters[index] == c { depth += 1 } else if characters[index] == closer { depth -= 1 }
                        index += 1
                    } while depth > 0 && index < characters.count
                    // A phrase's `text()` and `text(in:)` stay what they are; other arguments are elided.
                    let inside = String(characters[(start + 1)..<max(start + 1, index - 1)])
                    kept += String(c) + (inside.isEmpty || inside.hasPrefix("in:") ? "" : "…") + String(closer)
                } else {
                    kept.append(c)
                    index += 1
                }
            }
            return kept
        }
        for (position, c) in code.enumerated() where c == "+" {
            let next = position + 1 < code.count ? code[position + 1] : " "
            guard next == " " || next == "=" || next == "\n" else { continue }
            let left = operand(before: position)
            let right = operand(after: next == "=" ? position + 2 : position + 1)
            // An array joined to an array is a list, not a sentence.
            if left.hasPrefix("[") || right.hasPrefix("[") { continue }
            if (saysPhrase(own(left)) && !isLayout(right)) || (saysPhrase(own(right)) && !isLayout(left)) {
                found.append(left + " + " + right)
            }
        }
        return found
    }

    @Test func theGlueFinderFindsGlueAndLeavesLayout() {
        let glued = Self.gluedPhrases(
            in: #"""
                let a = Say.Cases.assignment.text() + id
                let b = actor + Say.Cases.onBehalfOf.text(in: language) + onBehalf
                line += Say.Cases.due.text()
                let c = (flag ? Say.Status.simulated.text() : "") + now
                let d = "\(count) \(Say.Report.of.text(in: language)) \(total)"
                let e = "x: " + error.phrase.text()
                """#)
        #expect(glued.count == 7, "\(glued)")
        let layout = Self.gluedPhrases(
            in: #"""
                lines.append("  " + Say.Cases.topics(list).text())
                lines.append(indent + head.text())
                let f = Say.General.a.text() + "\n" + Say.General.b.text()
                out += ["", Terminal.bold(Say.Report.quality.text(in: language))]
                body += "<h2>\(Say.Report.timeliness.text(in: language))</h2>"
                let g = PeopleTime.text(due) + " (" + kind + ")"
                let h = "\u{FEFF}" + CSV.line(headings.map { $0.text() }, separator: ";")
                let i = "<br>\(Say.Report.asOf(e(x)).text(in: language))" + "<p>\(Say.Report.x.text())</p>"
                // a comment: Say.Cases.x.text() + y
                """#)
        #expect(layout.isEmpty, "\(layout)")
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
