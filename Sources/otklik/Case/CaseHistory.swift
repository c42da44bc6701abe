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
            var parts: [String] = []
            switch EventDetails(kind: kind.domain, json: details) {
            case .step(let event):
                if let executor = event.executor { parts.append("→ \(UnitTitles.title(executor))") }
                // Whom an assignment was given to, and where a reply went out.
                if kind == .assignmentGiven || kind == .assignmentTaken, let login = event.login {
                    parts.append("→ \(login)")
                }
                if kind == .replyPublished, let url = event.url { parts.append(url) }
                if kind == .replyPublicationRequested || kind == .replyPublicationFailed, let network = event.network {
                    parts.append(NetworkNames.spoken(network))
                }
                if let failure = event.failure {
                    parts.append(Wire.PublicationFailureKind(failure.kind).spoken)
                    parts.append("\(failure.code) \(failure.message)")
                }
                if let added = event.assignments { parts.append(UnitTitles.titles(added.map(\.executor))) }
                if let incident = event.incident { parts.append(Say.Incidents.ofIncident(incident).text()) }
                for change in event.changes ?? [] {
                    parts.append(
                        change.field.spoken
                            + ": \(said(change.old, change.field, time)) → \(said(change.new, change.field, time))")
                }
                if let reason = event.reason {
                    // A return's and a rejection's reasons are words of the contract; a correction's is free text.
                    let word =
                        kind == .draftReturned
                        ? Wire.ReturnReason(name: reason)?.spoken
                        : kind == .caseRejected ? Wire.RejectionReason(name: reason)?.spoken : nil
                    parts.append(word ?? reason)
                }
                if let comment = event.comment { parts.append(comment) }
            case .attachment(let upload):
                if let reason = upload.reason { parts.append(reason) }
            case .clock, .connector, .other:
                break
            }
            let line = parts.filter { !$0.isEmpty }.joined(separator: "; ")
            return line.count > 100 ? String(line.prefix(97)) + "..." : line
        }

        /// A corrected field's value as people read it: an importance or a network by its word, a time
        /// (stored as Unix seconds) in the offset of the event's own; "-" for none.
        private static func said(_ value: String?, _ field: CorrectableField, _ time: String) -> String {
            guard let value else { return "-" }
            switch field {
            case .importance: return Wire.Importance(name: value)?.spoken ?? value
            case .network: return NetworkNames.spoken(value)
            case .detectedAt, .postedAt: return Int64(value).map { PeopleTime.text(unix: $0, offsetOf: time) } ?? value
            case .url, .author: return value
            case .text: return value.count > 40 ? String(value.prefix(39)) + "…" : value
            }
        }

        /// An event of the case's history.
        static var fields: [Field<HistoryEntry>] {
            [
                .script("id") { .integer($0.id) },
                Field("time", Say.Cases.time, json: { .string($0.time) }, text: { PeopleTime.text($0.time) }),
                Field(
                    "actor", Say.Cases.who, json: { .string($0.actor) },
                    text: {
                        $0.onBehalf.isEmpty ? $0.actor : Say.Cases.actorOnBehalf($0.actor, $0.onBehalf).text()
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
            abstract: Say.Cases.historyAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.idHelp.text())) var id: String

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
