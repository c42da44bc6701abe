import Foundation
public import OtklikCore
import OtklikBase

/// A case's history and clock notices as the event log holds them, and the projections rebuilt from the log.
extension Store {
    /// The notices already recorded for a case's clocks (`clock_key|notice`).
    public func recordedNotices(_ caseID: String) throws(StoreError) -> Set<RecordedNotice> {
        try read { connection throws(StoreError) in try Self.recordedNotices(caseID, connection) }
    }

    /// Records a clock's notice (breach or warning) and its event once: a second call for the same
    /// clock and notice writes nothing and returns nil.
    public func recordNotice(caseID: String, _ notice: RecordedNotice, event: Event) throws(StoreError) -> Event? {
        // As `recordedNotices` reads them back (`RecordedNotice(clockKey:notice:)`).
        let clockKey = notice.clock.description, notice = notice.noticeText
        return try write { connection throws(StoreError) -> Event? in
            let seen = try connection.scalar(
                "SELECT count(*) FROM clock_notices WHERE case_id = ? AND clock_key = ? AND notice = ?",
                [.text(caseID), .text(clockKey), .text(notice)])
            guard seen == 0 else { return nil }
            let stored = try insert([event], connection)[0]
            try connection.query(
                "INSERT INTO clock_notices (case_id, clock_key, notice, event_id) VALUES (?, ?, ?, ?)",
                [.text(caseID), .text(clockKey), .text(notice), .integer(stored.id)])
            return stored
        }
    }

    /// The events of one case, in order.
    /// The events of one case after `after`, in order, at most `limit` (one index range: subject, id).
    public func caseHistory(_ id: String, after: Int64 = 0, limit: Int = Int(Int32.max)) throws(StoreError) -> [Event] {
        try read { connection throws(StoreError) in
            var events: [Event] = []
            try connection.query(
                "SELECT \(Event.columns) FROM events WHERE subject = ? AND id > ? ORDER BY id LIMIT ?",
                [.text(id), .integer(after), .integer(Int64(limit))]
            ) {
                events.append(Event($0))
            }
            return events
        }
    }

    /// Throws the projections away and rebuilds them from the event log. Returns the number of cases.
    @discardableResult
    public func rebuildProjections() throws(StoreError) -> Int {
        try write { connection throws(StoreError) in
            try connection.execute(
                "DELETE FROM assignments; DELETE FROM case_topics; DELETE FROM reply_texts; DELETE FROM draft_pace; DELETE FROM cases;"
            )
            // Written without the rules, the clock index is conservative: the next start re-indexes it.
            if clockIndexer == nil { try forgetClockBasis(connection) }
            var states: [String: CaseState] = [:]
            var changed: [String: Int64] = [:]
            var order: [String] = []
            var failure: String?
            try connection.query(
                "SELECT subject, payload, time, id FROM events WHERE case_version IS NOT NULL ORDER BY id"
            ) { row in
                let id = row.text(0)
                let next: CaseState
                switch Self.fold(states[id], id: id, payload: row.blob(1), sequence: row.integer(3)) {
                case .success(let state): next = state
                case .failure(let why):
                    if failure == nil { failure = why.message }
                    return
                }
                if states[id] == nil { order.append(id) }
                states[id] = next
                changed[id] = max(changed[id] ?? 0, EventTime.unix(row.text(2)))
            }
            if let failure { throw .corrupt(path: path, findings: [failure]) }
            // Safe to unwrap: `order` holds exactly the ids the query set in `states` and `changed`.
            for id in order { try writeProjection(states[id]!, changedAt: changed[id]!, connection) }
            return order.count
        }
    }

    /// Every projection row as text, in a stable order: two stores with equal digests hold equal projections.
    public func projectionDigest() throws(StoreError) -> String {
        try read { connection throws(StoreError) in
            var lines: [String] = []
            try connection.query(
                "SELECT id, year, number, network, url, coalesce(external_id, ''), status, importance, detected_at, version, coalesce(repeat_of, ''), state, coalesce(incident, '') FROM cases ORDER BY id"
            ) { row in
                lines.append((0..<13).map { row.text(Int32($0)) }.joined(separator: "|"))
            }
            try connection.query("SELECT id, case_id, executor, status FROM assignments ORDER BY id") { row in
                lines.append((0..<4).map { row.text(Int32($0)) }.joined(separator: "|"))
            }
            try connection.query("SELECT key, case_id FROM reply_texts ORDER BY key, case_id") { row in
                lines.append("reply|" + row.text(0) + "|" + row.text(1))
            }
            try connection.query("SELECT unit, drafted_at, assignment, started_at FROM draft_pace ORDER BY 1, 2, 3") {
                row in
                lines.append("pace|" + (0..<4).map { row.text(Int32($0)) }.joined(separator: "|"))
            }
            return lines.joined(separator: "\n")
        }
    }
}
