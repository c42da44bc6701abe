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
}
