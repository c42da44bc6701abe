import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct History: ParsableCommand {
        /// What a person needs from an event in one short line: a correction's changes and reason,
        /// the unit it went to, a return's comment.
        static func summary(_ details: String, kind: Wire.EventKind, time: String = "") -> String {
            guard let object = try? JSONSerialization.jsonObject(with: Data(details.utf8)) as? [String: Any] else {
                return ""
            }
            var parts: [String] = []
            if let executor = object["executor"] as? String { parts.append("→ \(UnitTitles.title(executor))") }
            // Whom an assignment was given to, and where a reply went out.
            if kind == .assignmentGiven || kind == .assignmentTaken, let login = object["login"] as? String {
                parts.append("→ \(login)")
            }
            if kind == .replyPublished, let url = object["url"] as? String { parts.append(url) }
            if let added = object["assignments"] as? [[String: Any]] {
                parts.append(UnitTitles.titles(added.compactMap { $0["executor"] as? String }))
            }
            for change in object["changes"] as? [[String: Any]] ?? [] {
                let field = change["field"] as? String ?? ""
                func value(_ key: String) -> String {
                    guard let text = change[key] as? String else { return "-" }
                    switch CorrectableField(rawValue: field) {
                    case .importance?: return Wire.Importance(name: text)?.spoken ?? text
                    case .network?: return NetworkNames.spoken(text)
                    case .detectedAt?, .postedAt?:
                        // Stored as Unix seconds: shown as a time, in the offset of the event's own.
                        return Int64(text).map { PeopleTime.text(unix: $0, offsetOf: time) } ?? text
                    default: return text
                    }
                }
                parts.append(
                    (CorrectableField(rawValue: field).map(\.spoken) ?? field) + ": \(value("old")) → \(value("new"))")
            }
            if let reason = object["reason"] as? String {
                // A return's and a rejection's reasons are words of the contract; a correction's is free text.
                switch kind {
                case .draftReturned: parts.append(Wire.ReturnReason(name: reason)?.spoken ?? reason)
                case .caseRejected: parts.append(Wire.RejectionReason(name: reason)?.spoken ?? reason)
                default: parts.append(reason)
                }
            }
            if let comment = object["comment"] as? String { parts.append(comment) }
            let line = parts.filter { !$0.isEmpty }.joined(separator: "; ")
            return line.count > 100 ? String(line.prefix(97)) + "..." : line
        }

        /// An event of the case's history.
        static var fields: [Field<HistoryEntry>] {
            [
                .script("id") { .integer($0.id) },
                Field("time", Say.Cases.time, json: { .string($0.time) }, text: { PeopleTime.text($0.time) }),
                Field(
                    "actor", Say.Cases.who, json: { .string($0.actor) },
                    text: {
                        $0.onBehalf.isEmpty ? $0.actor : $0.actor + Say.Cases.onBehalfOf.text() + $0.onBehalf
                    }),
                .script("on_behalf") { $0.onBehalf.isEmpty ? .null : .string($0.onBehalf) },
                Field("kind", Say.Cases.what, json: { .string($0.kind.word) }, text: { $0.kind.spoken }),
                Field(
                    "case_version", Say.Common.version, json: { .integer($0.caseVersion) },
                    text: { String($0.caseVersion) }),
                Field(
                    "details", Say.Cases.details, json: { .raw($0.details) },
                    text: { summary($0.details, kind: $0.kind, time: $0.time) }),
            ]
        }

        static let configuration = CommandConfiguration(
            abstract: Say.Cases.everythingThatHappenedTo.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.theCase.text())) var id: String

        func run() throws {
            var ref = CaseRef()
            ref.id = id
            // Every page: a long history comes in several answers.
            let entries = try global.withClient { client throws(RPCError) in
                var entries: [HistoryEntry] = []
                while true {
                    let page = try client.call(CasesService.getHistory, ref)
                    entries += page.entries
                    guard page.nextAfter != 0 else { return entries }
                    ref.after = page.nextAfter
                }
            }
            global.show(Rows(key: "events", fields: Self.fields, rows: entries))
        }
    }
}
