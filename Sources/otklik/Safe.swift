import ArgumentParser
import Foundation

/// What reaches a terminal or a spreadsheet from data other people typed: shown, never obeyed.
enum Safe {
    /// Text for a terminal: C0 controls (but newline and tab), DEL, C1 controls and the bidi
    /// overrides and isolates are shown as visible escapes (`\x1b`, `\u{202E}`), so an author's
    /// name cannot move the cursor, ring the bell, rewrite the line or reverse what follows.
    static func terminal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out +=
                    scalar.value < 0x100
                    ? "\\x" + hex(scalar.value, width: 2)
                    : "\\u{" + hex(scalar.value, width: 4) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidi marks, embeddings, overrides and isolates.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        // Any other scalar.
        default: false
        }
    }

    /// Whether JSON output must escape `scalar` as `\uXXXX`: what a terminal or a JavaScript
    /// parser could take for more than text (U+2028/2029 end lines in JavaScript).
    static func jsonEscapes(_ scalar: Unicode.Scalar) -> Bool {
        isUnsafe(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// Writes one line to standard error, escaped for the terminal.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((terminal(text) + "\n").utf8))
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
