import Foundation
public import OtklikCore

/// Issue 31: the rows a case's projection writes beside it for the reply-quality check (`reply_texts`)
/// and the breach forecast (`draft_pace`), in one place for the projection's write, the migrations'
/// fills (`Connection.fillCaseRows`) and a rebuild.
extension Store {
    /// The rows of `reply_texts` and `draft_pace` a case's projection holds: the key of each published
    /// draft's text, and for each assignment with a draft the unit that held it when its first draft
    /// came, that draft's time and the assignment's start. One definition for the projection's write,
    /// the migrations' fills and a rebuild.
    static func derivedRows(_ state: CaseState) -> (
        replyKeys: [String], pace: [(unit: String, drafted: Instant, assignment: String, started: Instant)]
    ) {
        var keys: [String] = []
        var pace: [(unit: String, drafted: Instant, assignment: String, started: Instant)] = []
        for assignment in state.assignments {
            for draft in assignment.drafts where draft.status == .published {
                if let key = ReplyQuality.copyKey(draft.text), !keys.contains(key) { keys.append(key) }
            }
            guard let first = assignment.drafts.first, let routed = assignment.startedAt ?? state.routedAt else {
                continue
            }
            // An incident's copy of a draft written on another case says nothing of how long this unit
            // took (issue 31): only the draft's own case counts it.
            if let key = first.incidentDraft, !key.hasPrefix(state.assignmentID(assignment.index) + "#") { continue }
            let drafted = first.submittedAt
            // The unit that held it when the draft came, counted from when it got it (a reroute).
            let handedOver = (assignment.handovers ?? []).map(\.until).filter { $0 <= drafted }.max()
            let started = max(routed, handedOver ?? routed)
            pace.append(
                (assignment.executor(at: drafted), drafted, state.assignmentID(assignment.index), started))
        }
        return (keys, pace)
    }

    /// Writes `state`'s derived rows (`derivedRows`): the published replies' keys and each
    /// assignment's first draft. Rows are only added: a reply once published stays published, a first
    /// draft stays the first.
    func writeDerivedRows(_ state: CaseState, _ connection: Connection) throws(StoreError) {
        let derived = Self.derivedRows(state)
        for key in derived.replyKeys {
            try connection.query(
                "INSERT OR IGNORE INTO reply_texts (key, case_id) VALUES (?, ?)", [.text(key), .text(state.id)])
        }
        for row in derived.pace {
            try connection.query(
                "INSERT OR IGNORE INTO draft_pace (unit, drafted_at, assignment, started_at) VALUES (?, ?, ?, ?)",
                [.text(row.unit), .instant(row.drafted), .text(row.assignment), .instant(row.started)])
        }
    }
}
