import Foundation

/// CSV as spreadsheets write it (RFC 4180): cells separated by `;` or `,`, a cell holding the
/// separator, a quote or a line break is quoted with its quotes doubled, lines end with CR LF or LF,
/// and a file may begin with a byte-order mark. The one reader and writer of the tool.
public enum CSV {
    /// One line of cells, quoted where needed (no line ending).
    public static func line(_ cells: [String], separator: Character) -> String {
        cells.map { cell in
            cell.contains(separator) || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }.joined(separator: String(separator))
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
            default:
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
