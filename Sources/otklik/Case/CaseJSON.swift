import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

private func clockJSON(_ v: ClockView) -> JSON {
    .object([
        ("due", .string(v.due)), ("state", .string(v.state.name)),
        ("met_at", v.metAt.isEmpty ? .null : .string(v.metAt)),
        ("late_minutes", .integer(v.lateMinutes)), ("schedule", .string(v.schedule)),
    ])
}

private func optional(_ text: String) -> JSON { text.isEmpty ? .null : .string(text) }

/// The JSON of a draft, as it sits in its assignment's `drafts` (README "Cases").
func draftJSON(_ d: DraftView) -> JSON {
    .object(
        [
            ("kind", .string(d.kind.name)), ("state", .string(d.state.name)),
            ("submitted_at", .string(d.submittedAt)),
            ("decided_at", optional(d.decidedAt)),
            (
                "return_reason",
                d.returnReason == .unspecified ? .null : .string(d.returnReason.name)
            ),
            ("return_comment", optional(d.returnComment)),
            ("measures", optional(d.measures)), ("text", .string(d.text)),
            ("incident", d.incident == 0 ? .null : .integer(Int64(d.incident))),
        ]
            // Only when the daemon cut the text (lists, long histories): `case history` has it whole.
            + (d.textTrimmed ? [("text_trimmed", .bool(true))] : [])
            + [("clocks", .object(d.clocks.map { ($0.kind.name, clockJSON($0)) }))]
            // Issue 31: what the reply-quality check found when it was submitted (empty: nothing).
            + [
                (
                    "findings",
                    .array(
                        d.findings.map { f in
                            .object([("rule", .string(f.rule.name)), ("words", .array(f.words.map { .string($0) }))])
                        })
                )
            ]
            // p.19, only where there is something to say: older scripts see the same keys.
            + (d.attachments.isEmpty
                ? [] : [("attachments", .array(d.attachments.map(draftFileJSON)))])
            + (d.evidenceRule.isEmpty
                ? []
                : [
                    ("evidence_rule", .string(d.evidenceRule)),
                    ("evidence_missing", .bool(d.evidenceMissing)),
                    ("evidence_waiver", optional(d.evidenceWaiver)),
                ]))
}

/// The JSON of a case, with the keys scripts rely on (README, "Cases").
func caseJSON(_ c: CaseView, includeExisting: Bool = false) -> JSON {
    var pairs: [(String, JSON)] = [
        ("id", .string(c.id)), ("state", .string(c.state.name)), ("importance", .string(c.importance.name)),
        ("detected_at", .string(c.detectedAt)), ("version", .integer(c.version)), ("repeat_of", optional(c.repeatOf)),
        ("incident", c.incident == 0 ? .null : .integer(Int64(c.incident))),
        ("network", .string(c.network)), ("url", .string(c.url)), ("author", .string(c.author)),
        ("text", .string(c.text)),
        ("topics", .array(c.topics.map { .string($0) })), ("posted_at", optional(c.postedAt)),
        ("external_id", optional(c.externalID)),
        (
            "rejection",
            c.rejectionReason == .unspecified
                ? .null
                : .object([("reason", .string(c.rejectionReason.name)), ("comment", optional(c.rejectionComment))])
        ),
        ("withdrawal", c.withdrawalReason.isEmpty ? .null : .object([("reason", .string(c.withdrawalReason))])),
        ("clocks", .object(c.route.map { [("route", clockJSON($0))] } ?? [])),
        (
            "assignments",
            .array(
                c.assignments.map { a in
                    .object(
                        [
                            ("id", .string(a.id)), ("executor", .string(a.executor)), ("state", .string(a.state.name)),
                            ("responsible", optional(a.responsible)),
                            ("previous_executors", .array(a.previousExecutors.map { .string($0) })),
                            ("closed_at", optional(a.closedAt)),
                            ("topics", .array(a.topics.map { .string($0) })),
                            ("clocks", .object(a.clocks.map { ($0.kind.name, clockJSON($0)) })),
                            ("drafts", .array(a.drafts.map(draftJSON))),
                            (
                                "replies",
                                .array(
                                    a.replies.map { r in
                                        .object(
                                            [
                                                ("kind", .string(r.kind.name)), ("url", .string(r.url)),
                                                ("account", optional(r.account)),
                                                ("published_at", .string(r.publishedAt)),
                                            ]
                                                + (r.attachments.isEmpty
                                                    ? [] : [("attachments", .array(r.attachments.map { .string($0) }))])
                                                + (r.filesLeftOut ? [("files_left_out", .bool(true))] : []))
                                    })
                            ),
                            (
                                "pauses",
                                .array(
                                    a.pauses.map { p in .object([("from", .string(p.from)), ("to", optional(p.to))]) })
                            ),
                        ] + (a.publication.map { [("publication", publicationJSON($0))] } ?? []))
                })
        ),
    ]
    // What the author did in the network (issue 29), when anything.
    if !c.editedAt.isEmpty || !c.deletedAt.isEmpty {
        pairs.append(
            (
                "network_changes",
                .object([
                    ("edited_at", optional(c.editedAt)), ("deleted_at", optional(c.deletedAt)),
                    ("deleted_by", c.deletedBy == .unspecified ? .null : .string(c.deletedBy.name)),
                ])
            ))
    }
    pairs.append(("suggested_repeats", .array(c.suggestedRepeats.map { .string($0) })))
    pairs.append(("hints", .array(c.hints.map { .string($0.name) })))
    if !c.clocksError.isEmpty { pairs.append(("clocks_error", .string(c.clocksError))) }
    if includeExisting { pairs.append(("existing", .bool(c.existing))) }
    return .object(pairs)
}

/// One file of a draft as `case show` prints it: name, kind, size, when taken, and the hint when a
/// photo was taken before the message came (p.19).
func draftFileLine(_ file: DraftFileView) -> String {
    Say.Cases.draftFile(
        file.name, kind: AttachmentRows.kind(file.kind), size: AttachmentRows.size(file.size), taken: file.capturedAt,
        sha: String(file.sha256.prefix(12)), takenBeforeMessage: file.takenBeforeMessage
    ).text()
}

func draftFileJSON(_ file: DraftFileView) -> JSON {
    .object([
        ("sha256", .string(file.sha256)), ("name", .string(file.name)), ("kind", .string(file.kind)),
        ("size", .integer(file.size)), ("captured_at", file.capturedAt.isEmpty ? .null : .string(file.capturedAt)),
        ("taken_before_message", .bool(file.takenBeforeMessage)),
    ])
}

/// A publication handed to a connector, as scripts read it: waiting (`failure` null) or why it failed.
func publicationJSON(_ p: PublicationView) -> JSON {
    .object([
        ("network", .string(p.network)), ("requested_at", .string(p.requestedAt)),
        (
            "failure",
            p.failure == .unspecified
                ? .null
                : .object([
                    ("kind", .string(p.failure.name)), ("network_code", .integer(Int64(p.networkCode))),
                    ("network_message", .string(p.networkMessage)), ("failed_at", .string(p.failedAt)),
                ])
        ),
    ])
}
