import Foundation
import OtklikDesk

/// What a command prints, described once. `Render.print` makes of it the text people read (in their
/// language) or the JSON scripts read; a command never writes either by hand, so the two cannot tell
/// different stories.
protocol Output {
    /// What scripts read: stable snake_case keys and the contract's words (`routed`, `high`).
    var json: JSON { get }
    /// What people read, in their language.
    var text: String { get }
}

/// One value of a row or a record: its JSON key and value for scripts, its heading and words for
/// people. A field seen by only one of them leaves the other side out.
struct Field<Row> {
    /// The key in the row's JSON object; nil when only people see the field.
    let key: String?
    /// The label of a record's line, in capitals as a column's heading; nil when only scripts see
    /// the field.
    let label: Phrase?
    let json: (Row) -> JSON
    let text: (Row) -> String

    /// Seen by both: scripts get `json`, people `text`.
    init(_ key: String, _ label: Phrase, json: @escaping (Row) -> JSON, text: @escaping (Row) -> String) {
        self.key = key
        self.label = label
        self.json = json
        self.text = text
    }

    /// A string both see as it is.
    static func string(_ key: String, _ label: Phrase, _ value: @escaping (Row) -> String) -> Field {
        Field(key, label, json: { .string(value($0)) }, text: value)
    }

    /// Only in the JSON.
    static func script(_ key: String, _ json: @escaping (Row) -> JSON) -> Field {
        Field(key: key, label: nil, json: json, text: { _ in "" })
    }

    /// Only in the table.
    static func shown(_ label: Phrase, _ text: @escaping (Row) -> String) -> Field {
        Field(key: nil, label: label, json: { _ in .null }, text: text)
    }

    private init(key: String?, label: Phrase?, json: @escaping (Row) -> JSON, text: @escaping (Row) -> String) {
        self.key = key
        self.label = label
        self.json = json
        self.text = text
    }
}

extension Array {
    /// The JSON object of one row: every field with a key, in order.
    func object<Row>(_ row: Row) -> JSON where Element == Field<Row> {
        .object(compactMap { field in field.key.map { ($0, field.json(row)) } })
    }
}

/// Rows of one kind: columns for people, an array of objects for scripts.
struct Rows<Row>: Output {
    /// The key the array sits under in a JSON object; nil: the JSON is the bare array.
    var key: String?
    var fields: [Field<Row>]
    var rows: [Row]
    /// A row's JSON when the row is a document of its own (a case, README "Cases") rather than the
    /// fields' keys.
    var document: ((Row) -> JSON)?
    /// Keys after the array (a total, the next page's cursor).
    var extra: [(String, JSON)] = []
    /// Said instead of a table with no rows; nil: the headings alone.
    var empty: Phrase?
    /// Lines after the table, a blank line between.
    var footer: String?
    /// Rows people should see first of all: red on a colour terminal.
    var marked: (Row) -> Bool = { _ in false }

    var json: JSON {
        let array = JSON.array(rows.map { document?($0) ?? fields.object($0) })
        guard let key else { return array }
        return .object([(key, array)] + extra)
    }

    var text: String {
        if rows.isEmpty, let empty { return empty.text() }
        // The fields with a heading are the table's columns.
        let shown = fields.compactMap { field in field.label.map { (field: field, heading: $0) } }
        let marks = rows.map(marked)
        let lines = Render.columns(
            shown.map { $0.heading.text().uppercased() }, rows.map { row in shown.map { $0.field.text(row) } }
        )
        .split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            // Marked after the columns are laid out: the marks take no width. One line per row:
            // `columns` keeps a cell on its line.
            marks.indices.contains(index - 1) && marks[index - 1] ? Terminal.red(String(line)) : String(line)
        }
        return (lines + (footer.map { ["", $0] } ?? [])).joined(separator: "\n")
    }
}

/// One thing: labelled lines for people, an object for scripts.
struct Record<Value>: Output {
    var fields: [Field<Value>]
    var value: Value

    var json: JSON { fields.object(value) }
    var text: String {
        Render.keyValues(
            fields.compactMap { field in
                field.label.map { label in
                    let text = field.text(value)
                    return (label.text(), text.isEmpty ? "—" : text)
                }
            })
    }
}

/// Several outputs one after another: blank lines between for people, an array for scripts.
struct Several<Part: Output>: Output {
    var parts: [Part]

    var json: JSON { .array(parts.map(\.json)) }
    var text: String { parts.map(\.text).joined(separator: "\n\n") }
}

/// A result people read as a sentence or a few lines, scripts as an object.
struct Said: Output {
    let text: String
    let json: JSON
}

/// The one place that prints results.
enum Render {
    /// Prints what people read (escaped for the terminal, coloured where marked; through a pager
    /// with `pager` when taller than the terminal) or the JSON.
    static func print(_ output: some Output, _ format: OutputFormat, pager: Bool = false) {
        switch format {
        // Other formats never get here: `Otklik.main` holds each command to the formats it prints.
        case .table, .csv, .html, .pdf: Terminal.show(output.text, pager: pager)
        case .json, .jsonl: Swift.print(output.json.rendered)
        }
    }

    /// A two-column table of labelled values, labels padded to one width.
    static func keyValues(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { label, value in
            label + String(repeating: " ", count: width - label.count + 2) + value
        }.joined(separator: "\n")
    }

    /// Columns padded to their widest cell, a heading first; a line break inside a cell (a name or a
    /// reason as typed) is shown as a space, so every row stays one line.
    static func columns(_ header: [String], _ rows: [[String]]) -> String {
        let all = ([header] + rows).map { row in
            row.map { $0.split(whereSeparator: \.isNewline).joined(separator: " ") }
        }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }.joined()
        }.joined(separator: "\n")
    }
}

extension GlobalOptions {
    /// Prints a command's result in the format asked for (units by their titles for people).
    func show(_ output: some Output, pager: Bool = false) {
        UnitTitles.learn(self)
        Render.print(output, self.output, pager: pager)
    }
}
