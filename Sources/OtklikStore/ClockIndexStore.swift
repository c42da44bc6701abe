import Foundation
public import OtklikCore

/// Computes a case's clock index with the rules in force (the daemon's profile and schedules): the
/// case, its notices already recorded and the instant of the write.
public typealias ClockIndexer =
    @Sendable (_ state: CaseState, _ recorded: Set<RecordedNotice>, _ now: Instant) ->
    ClockIndex

/// The clock index (`cases.next_due`, `cases.next_fire`, migration 11): written with every projection,
/// re-written for a case after the scheduler acted on it, and for every open case when the rules it was
/// computed with (`settings.clock_basis`) changed.
extension Store {
    /// The name under which `settings` keeps the basis of the clock index.
    static let clockBasisKey = "clock_basis"

    func clockIndex(of state: CaseState, now: Instant, _ connection: Connection) throws(StoreError) -> ClockIndex {
        guard state.status == .new || state.status == .routed else { return .none }
        guard let indexer = clockIndexer else { return .unknown(state) }
        return indexer(state, try Self.recordedNotices(state.id, connection), now)
    }

    static func recordedNotices(_ caseID: String, _ connection: Connection) throws(StoreError)
        -> Set<RecordedNotice>
    {
        var notices: Set<RecordedNotice> = []
        try connection.query("SELECT clock_key, notice FROM clock_notices WHERE case_id = ?", [.text(caseID)]) {
            if let notice = RecordedNotice(clockKey: $0.text(0), notice: $0.text(1)) { notices.insert(notice) }
        }
        return notices
    }

    /// A digest of the schedules and production calendar years stored (what the clock index counts
    /// in besides the profile): FNV-1a over every definition, in key order.
    public func calendarDigest() throws(StoreError) -> String {
        try read { connection throws(StoreError) in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            func mix(_ text: String) {
                for byte in text.utf8 {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x0000_0100_0000_01b3
                }
                hash ^= 0xff
                hash = hash &* 0x0000_0100_0000_01b3
            }
            try connection.query("SELECT name, definition FROM schedules ORDER BY name") {
                mix($0.text(0))
                mix($0.text(1))
            }
            try connection.query("SELECT year, definition FROM calendar_years ORDER BY year") {
                mix(String($0.integer(0)))
                mix($0.text(1))
            }
            return String(hash, radix: 16)
        }
    }

    /// What the open cases' clock index was computed with (nil: never, or by a tool without the rules).
    public func clockBasis() throws(StoreError) -> String? {
        try read { connection throws(StoreError) in
            var basis: String?
            try connection.query("SELECT value FROM settings WHERE key = ?", [.text(Self.clockBasisKey)]) {
                basis = $0.text(0)
            }
            return basis
        }
    }

    /// Re-indexes every open case (new or routed, through `cases_status`) with `clockIndexer` and records
    /// `basis`, in one transaction. Run when the rules changed; returns how many cases it indexed.
    @discardableResult
    public func reindexClocks(basis: String, now: Instant) throws(StoreError) -> Int {
        try write { connection throws(StoreError) in
            let rows = try Self.projectionRows(
                "SELECT id, state_bin FROM cases WHERE status IN ('new', 'routed')", [], connection)
            for row in rows {
                // A row that does not read is left as it is: the next read of it repairs it, and its
                // write indexes it.
                guard let state = row.state else { continue }
                try update(try clockIndex(of: state, now: now, connection), of: row.id, connection)
            }
            try connection.query(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [.text(Self.clockBasisKey), .text(basis)])
            return rows.count
        }
    }

    /// Forgets the basis, so the next start with rules re-indexes every open case (after a tool wrote
    /// projections without them).
    func forgetClockBasis(_ connection: Connection) throws(StoreError) {
        try connection.query("DELETE FROM settings WHERE key = ?", [.text(Self.clockBasisKey)])
    }

    /// Re-computes the clock index of the given cases from their rows as they are now (after the
    /// scheduler recorded their notices), in one transaction. `looked`: each case with the version the
    /// scheduler computed its notices from. A case still at that version whose next moment would be
    /// at or before `now` (a step the scheduler could not take) is looked at again at `retry`; one
    /// that changed meanwhile (routed while the look ran) keeps its moment, for the look its change
    /// asked for: its notices are not put off by the retry.
    public func refreshClockIndex(_ looked: [(id: String, version: Int)], now: Instant, retry: Instant)
        throws(StoreError)
    {
        guard !looked.isEmpty else { return }
        try write { connection throws(StoreError) in
            for (id, version) in looked {
                // A row that does not read is left as it is: the next read of it repairs it.
                guard let state = try Self.loadCase(id, connection).0 else { continue }
                var index = try clockIndex(of: state, now: now, connection)
                if let fire = index.nextFire, fire <= now, state.version == version { index.nextFire = retry }
                try update(index, of: id, connection)
            }
        }
    }

    private func update(_ index: ClockIndex, of id: String, _ connection: Connection) throws(StoreError) {
        try connection.query(
            "UPDATE cases SET next_due = ?, next_fire = ? WHERE id = ?",
            [index.nextDue.map { .instant($0) } ?? .null, index.nextFire.map { .instant($0) } ?? .null, .text(id)])
    }

    static let fireQuery = "SELECT id, state_bin FROM cases WHERE next_fire <= ? ORDER BY next_fire, id LIMIT ?"
    static let nextFireQuery = "SELECT min(next_fire) FROM cases WHERE next_fire IS NOT NULL"

    /// The earliest moment the scheduler must act on (`cases_next_fire`), nil when nothing waits.
    public func nextClockFire() throws(StoreError) -> Instant? {
        try read { connection throws(StoreError) in
            var next: Instant?
            try connection.query(Self.nextFireQuery) { row in
                if !row.isNull(0) { next = Instant(seconds: row.integer(0)) }
            }
            return next
        }
    }

    /// The cases with a moment to act on at or before `instant`, earliest first, at most `limit`
    /// (`cases_next_fire`), read from their binary projection (`projections`).
    public func casesToFire(atOrBefore instant: Instant, limit: Int) throws(StoreError) -> [CaseState] {
        try projections(Self.fireQuery, [.instant(instant), .integer(Int64(limit))])
    }
}
