import ArgumentParser
import Foundation
import OtklikDesk

/// How results are printed: a table for people, JSON with stable keys for scripts; documents and
/// streams for the commands that make them (`PrintsFormats`).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// csv, html and pdf are documents of `otklik report`; csv and jsonl streams of `otklik export`.
    case table, json, csv, html, pdf, jsonl

    /// Said when a command is asked for a format it does not print.
    func notPrinted(by formats: [OutputFormat]) -> ValidationError {
        ValidationError(
            Say.General.notAFormatOfThisCommand(rawValue, formats.map(\.rawValue).joined(separator: ", ")).text())
    }
}

/// A command that prints other formats than a table and JSON.
protocol PrintsFormats {
    static var formats: [OutputFormat] { get }
}

/// A JSON value whose object keys keep the order they were given in, so output is stable.
indirect enum JSON {
    case string(String)
    case integer(Int64)
    /// A decimal shown without a fraction when it is whole (151, 7.5).
    case number(Double)
    case bool(Bool)
    case null
    /// Text that is already JSON (an event's details), written as it is.
    case raw(String)
    case array([JSON])
    case object([(String, JSON)])

    var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    /// The value's text appended to `out`: one string for a whole line, however deep (an export
    /// writes millions).
    func render(into out: inout String) {
        switch self {
        case .string(let value): Self.quote(value, into: &out)
        case .integer(let value): out += String(value)
        case .number(let value):
            out += value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .raw(let text): out += text.isEmpty ? "null" : text
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.render(into: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                value.render(into: &out)
            }
            out += "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = ""
        quote(text, into: &out)
        return out
    }

    /// `text` as a JSON string, appended to `out`.
    static func quote(_ text: String, into out: inout String) {
        out += "\""
        // Most text has nothing to escape: appended as it is, not scalar by scalar.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
            || !text.unicodeScalars.contains(where: escapes)
        {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20 || Safe.jsonEscapes(c): out += String(format: "\\u%04x", c.value)
            // Any other scalar: as it is.
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Whether `quote` writes a scalar otherwise than as it is.
    private static func escapes(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\"" || scalar == "\\" || scalar.value < 0x20 || Safe.jsonEscapes(scalar)
    }
}
