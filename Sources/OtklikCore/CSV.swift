import Foundation

/// CSV as spreadsheets write it (RFC 4180): cells separated by `;` or `,`, a cell holding the
/// separator, a quote or a line break is quoted with its quotes doubled, lines end with CR LF or LF,
/// and a file may begin with a byte-order mark. The one reader and writer of the tool.
public enum CSV {
    /// One line of cells, quoted where needed (no line ending). A cell holding either separator is
    /// quoted whichever this file uses: a spreadsheet that splits on the other one keeps it whole.
    public static func line(_ cells: [String], separator: Character) -> String {
        cells.map { cell in
            needsQuotes(cell, separator: separator) ? quoted(cell) : cell
        }.joined(separator: String(separator))
    }

    /// A cell in quotes, each quote in it doubled: byte by byte, as `needsQuotes` looks (a quote followed
    /// by a combining mark is still a quote to a spreadsheet).
    static func quoted(_ cell: String) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(cell.utf8.count + 8)
        for byte in cell.utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a cell holds the separator, a comma, a semicolon, a quote or a line break: one pass
    /// over its UTF-8 (each of these is one ASCII byte, which never occurs inside another character).
    static func needsQuotes(_ cell: String, separator: Character) -> Bool {
        let own = separator.asciiValue
        if own == nil, cell.contains(separator) { return true }
        return cell.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == own
        }
    }

    /// A cell a spreadsheet will not run as a formula (OWASP's rule): text starting with `=`, `+`, `-`,
    /// `@`, tab or carriage return gets a leading `'`, and so does every part after a `,` or `;` (past
    /// its spaces), since a spreadsheet that takes the other separator splits the cell there (issue 25,
    /// M2: `x,=cmd|...` in a `;` file). Numbers such as -5 and a lone "-" stay as they are.
    public static func inert(_ text: String) -> String {
        // Most cells have no separator to split at: one part, looked at as a whole.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }) { return inertPart(text) }
        var result = ""
        var part = ""
        for character in text {
            if character == "," || character == ";" {
                result += inertPart(part) + String(character)
                part = ""
            } else {
                part.append(character)
            }
        }
        return result + inertPart(part)
    }

    private static func inertPart(_ part: String) -> String {
        // Most parts start with a letter or a digit: nothing a spreadsheet would run.
        guard let first = part.utf8.first, "=+-@\t\r ".utf8.contains(first) else { return part }
        let spaces = part.prefix { $0 == " " }
        let rest = part.dropFirst(spaces.count)
        guard let first = rest.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return part }
        let trimmed = rest.trimmingCharacters(in: .whitespaces)
        if trimmed == "-" || Double(trimmed) != nil { return part }
        return spaces + "'" + rest
    }

    /// Lines of cells; a quoted cell may hold separators, quotes (doubled) and line breaks. Empty
    /// lines are left out; a leading byte-order mark is dropped. Nil when a quote is never closed.
    public static func parse(_ text: String, separator: Character) -> [[String]]? {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        // Whether the cell has begun (a quote may open it only at its start), and whether the line
        // holds anything at all (an empty line is not a row).
        var cellBegun = false
        var lineBegun = false
        var quoted = false
        var characters = Substring(text)
        if characters.first == "\u{FEFF}" { characters = characters.dropFirst() }
        var iterator = characters.makeIterator()
        var pending: Character? = nil
        func endCell() {
            row.append(cell)
            cell = ""
            cellBegun = false
        }
        func endLine() {
            endCell()
            if lineBegun { rows.append(row) }
            row = []
            lineBegun = false
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        cell.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    cell.append(character)
                }
                continue
            }
            switch character {
            case "\"" where !cellBegun:
                quoted = true
                cellBegun = true
                lineBegun = true
            case separator:
                endCell()
                lineBegun = true
            case "\n", "\r\n", "\r":
                endLine()
            default:  // any other character: part of the field
                cell.append(character)
                cellBegun = true
                lineBegun = true
            }
        }
        guard !quoted else { return nil }
        if lineBegun { endLine() }
        return rows
    }
}
