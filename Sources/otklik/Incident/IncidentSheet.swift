import OtklikAPI
import OtklikCore
import OtklikDesk

/// An incident as people and scripts read it: its facts, then each case with its post and assignments.
struct IncidentSheet: Output {
    let view: IncidentView

    static var summaryFields: [Field<IncidentSummary>] {
        [
            Field("id", Say.Incidents.number, json: { .integer(Int64($0.id)) }, text: { String($0.id) }),
            .string("title", Say.Incidents.title) { $0.title },
            Field("cases", Say.Incidents.cases, json: { .integer(Int64($0.cases)) }, text: { String($0.cases) }),
            Field("open", Say.Incidents.open, json: { .integer(Int64($0.open)) }, text: { String($0.open) }),
            Field(
                "units", Say.Incidents.routing, json: { .array($0.units.map { .string($0) }) },
                text: { $0.units.isEmpty ? Say.Incidents.notRouted.text() : UnitTitles.titles($0.units) }),
            .string("created_at", Say.Incidents.created) { PeopleTime.text($0.createdAt) },
        ]
    }

    static var suggestionFields: [Field<IncidentSuggestion>] {
        [
            .string("case_id", Say.Incidents.caseColumn) { $0.caseID },
            Field(
                "why", Say.Incidents.why, json: { .string($0.why) },
                text: { ($0.why == "same_post" ? Say.Incidents.samePost : Say.Incidents.likelyRepeat).text() }),
            Field(
                "incident", Say.Incidents.inIncident, json: { $0.incident == 0 ? .null : .integer(Int64($0.incident)) },
                text: { $0.incident == 0 ? "-" : String($0.incident) }),
            .string("author", Say.Incidents.author) { $0.author },
            .string("text", Say.Incidents.text) { String($0.text.prefix(60)) },
        ]
    }

    static var memberFields: [Field<IncidentMember>] {
        [
            .string("case_id", Say.Incidents.caseColumn) { $0.caseID },
            Field("state", Say.Incidents.state, json: { .string($0.state.name) }, text: { $0.state.spoken }),
            .string("author", Say.Incidents.author) { $0.author },
            .string("url", Say.Incidents.post) { $0.url },
            Field(
                "assignments", Say.Incidents.assignmentsColumn,
                json: { .array($0.assignments.map(assignmentJSON)) },
                text: { $0.assignments.map(assignmentText).joined(separator: "; ") }),
        ]
    }

    static func assignmentJSON(_ a: IncidentAssignment) -> JSON {
        .object([
            ("assignment_id", .string(a.assignmentID)), ("unit", .string(a.unit)), ("state", .string(a.state.name)),
            ("reply_url", .string(a.replyUrl)), ("to_publish", .bool(a.toPublish)),
            ("publishing_via", .string(a.publishingVia)), ("due", .string(a.due)),
        ])
    }

    static func assignmentText(_ a: IncidentAssignment) -> String {
        var parts = [a.assignmentID, UnitTitles.title(a.unit), a.state.spoken]
        if !a.due.isEmpty { parts.append(Say.Incidents.due(PeopleTime.text(a.due)).text()) }
        if !a.publishingVia.isEmpty { parts.append(Say.Incidents.via(NetworkNames.spoken(a.publishingVia)).text()) }
        if !a.replyUrl.isEmpty { parts.append(a.replyUrl) }
        return parts.joined(separator: " · ")
    }

    var text: String {
        let routing = view.routing.map { "\(UnitTitles.title($0.unit)) (\($0.topics.joined(separator: ", ")))" }
        var lines = [
            Say.Incidents.heading(view.id, view.title).text(),
            Say.Incidents.topicsLine(view.topics.isEmpty ? "-" : view.topics.joined(separator: ", ")).text(),
            routing.isEmpty
                ? Say.Incidents.routingNone.text() : Say.Incidents.routingLine(routing.joined(separator: ", ")).text(),
            Say.Incidents.casesLine(view.cases, open: view.open).text(),
            "",
            Rows(key: nil, fields: Self.memberFields, rows: view.members, empty: nil).text,
        ]
        let hidden = Int(view.cases) - view.members.count
        if hidden > 0 { lines.append(Say.Incidents.hidden(hidden).text()) }
        if !view.requested.isEmpty { lines.append(Say.Incidents.handed(view.requested.count).text()) }
        let toPublish = view.members.flatMap(\.assignments).filter(\.toPublish).count
        if toPublish > 0 { lines.append(Say.Incidents.toPublish(toPublish).text()) }
        if !view.skipped.isEmpty { lines.append(Say.Incidents.skipped(view.skipped.joined(separator: ", ")).text()) }
        return lines.joined(separator: "\n")
    }

    var json: JSON {
        .object([
            ("id", .integer(Int64(view.id))), ("title", .string(view.title)),
            ("topics", .array(view.topics.map { .string($0) })),
            (
                "routing",
                .array(
                    view.routing.map {
                        .object([("unit", .string($0.unit)), ("topics", .array($0.topics.map { .string($0) }))])
                    })
            ),
            ("created_at", .string(view.createdAt)), ("created_by", .string(view.createdBy)),
            ("cases", .integer(Int64(view.cases))), ("open", .integer(Int64(view.open))),
            ("members", .array(view.members.map { Self.memberFields.object($0) })),
            ("skipped", .array(view.skipped.map { .string($0) })),
            ("requested", .array(view.requested.map { .string($0) })),
        ])
    }
}

extension GlobalOptions {
    /// Issue 31: an incident's draft step says, on stderr after the case, which other cases it was
    /// recorded on too.
    func sayAlsoOn(_ view: CaseView) {
        guard !view.alsoOn.isEmpty else { return }
        Safe.printError(Say.Incidents.alsoOn(view.alsoOn.count, view.alsoOn.joined(separator: ", ")).text())
    }
}
