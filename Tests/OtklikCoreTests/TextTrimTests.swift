import Foundation
import Testing

@testable import OtklikCore

/// `String.trimmingWhitespace`, which every required text of a step goes through (a post's text, a
/// reason, a comment): the ends' whitespace characters go, everything between stays as written.
@Suite struct TextTrimTests {
    /// The definition: drop whitespace characters from the front, then from the back.
    static func reference(_ text: String) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    @Test func theEndsGoAndTheMiddleStays() {
        #expect("  Яма во дворе \r\n".trimmingWhitespace == "Яма во дворе")
        #expect("\u{00A0}\tтекст\u{2003}".trimmingWhitespace == "текст")
        #expect(" a  b ".trimmingWhitespace == "a  b")
        #expect(" \n\r\n\t ".trimmingWhitespace == "")
        #expect("".trimmingWhitespace == "")
        #expect("x".trimmingWhitespace == "x")
    }

    @Test func itAgreesWithTheDefinitionOnMixedText() {
        let pieces = [
            " ", "\t", "\n", "\r\n", "\u{00A0}", "\u{2028}", "\u{3000}", "а", "Ё", "e\u{0301}", "\u{0301}", "🇷🇺",
            "👍🏽", "1", ",", "\u{200B}", "\u{FEFF}",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            #expect(text.trimmingWhitespace == Self.reference(text), "\(Array(text.unicodeScalars))")
        }
    }

    /// A post URL's key trims as Foundation's `.whitespacesAndNewlines` did when the stored keys were
    /// written, scalar by scalar (a combining mark after a space stays): first each scalar alone, every
    /// one Unicode has, then mixed texts.
    @Test func aURLIsTrimmedAsFoundationTrimsIt() {
        var spaces: [Unicode.Scalar] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let alone = String(scalar)
            let trimmed = alone.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(PostURL.trimmed(alone) == trimmed, "U+\(String(value, radix: 16))")
            if trimmed.isEmpty { spaces.append(scalar) }
        }
        let others: [Unicode.Scalar] =
            [0x61, 0x2F, 0x3F, 0x0301, 0x200B, 0x2060, 0xFEFF, 0x180E, 0x1F44D, 0x0439, 0x00].map {
                Unicode.Scalar($0)!
            }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...10, using: &generator) {
                let pool = Bool.random(using: &generator) ? spaces : others
                text.append(pool.randomElement(using: &generator)!)
            }
            let string = String(text)
            #expect(
                PostURL.trimmed(string) == string.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(Array(string.unicodeScalars))")
        }
        #expect(PostURL.key(" \u{3000}https://vk.com/wall-1_7\n", network: "vk") == "vk.com/wall-1_7")
    }
}
