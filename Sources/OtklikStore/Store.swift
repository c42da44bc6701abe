import CSQLite
@preconcurrency import Dispatch
import Foundation
public import OtklikCore
public import OtklikBase

/// The daemon's database: one SQLite file in WAL mode in the data directory.
///
/// One writer connection on its own serial queue (so writes never contend) and a few reader
/// connections, each on its own queue, used in turn. `synchronous=FULL`: when a write returns, it is
/// on disk, so an acknowledged call survives a crash.
///
/// `@unchecked Sendable`: each connection is used only on its own serial queue, `eventsInTransaction`
/// only on the writer's, and `onCommitted` is set once before the first write; the counters are `Locked`.
public final class Store: @unchecked Sendable {
    public static let fileName = "otklik.sqlite3"

    public let path: String
    /// The data directory the database lives in.
    public let directory: String
    private let writer: Connection
    private let writerQueue: DispatchQueue = {
        let queue = DispatchQueue(label: "otklik.store.writer")
        queue.setSpecific(key: Store.writerKey, value: true)
        return queue
    }()
    /// Writes waiting for the writer, and whether a drain is under way.
    private let pending = Locked<(writes: [PendingWrite], draining: Bool)>(([], false))
    /// The reader connections (`Store.read`, beside the pool in ReaderPool.swift).
    let readers: ReaderPool
    /// How many reads may run at once.
    public let readerCount: Int
    let isClosed = Locked(false)
    public let schemaVersion: Int
    /// Events in the log, kept in memory so health checks need no query.
    private let eventTotal = Locked<Int64>(0)
    private let lastID = Locked<Int64>(0)
    /// Set when the file failed its check at start and was rebuilt from its intact tables: what was
    /// done and where the damaged file was kept (the daemon logs it).
    public let repairNote: String?
    /// Which check ran at the open, which is owed once serving has begun, and why (the daemon logs it).
    public let checkDone: String
    /// The check owed once serving has begun (`runDeferredCheck`), nil when none is.
    public let deferredCheck: Check?
    /// Set by `close`: the deferred check ends (its budget is cancelled) or does not begin.
    let deferredCheckStopping = Locked(false)
    /// The deferred check's connection while it runs, for `close` to interrupt (under this lock, so
    /// never after the check closed it).
    let deferredCheckConnection = Locked<Interruptible?>(nil)
    /// Set when the log holds fewer events than the last clean stop recorded: its WAL was lost or the
    /// file replaced since (the daemon logs it as an error; the check cannot see missing commits).
    public let lostSinceCleanStop: String?
    /// Checkpoints are left to a replicator (`otklikd --replicated`): the daemon never checkpoints,
    /// so it never waits for the replicator's read lock and never checkpoints beside it.
    public let replicated: Bool
    /// When the newest transaction committed (wall time), nil before the first: what a replica is
    /// compared with.
    private let lastCommit = Locked<Date?>(nil)
    /// Projection rows rebuilt from the log on read since the start (damage mended).
    public let repairedProjections = Locked(0)
    /// Events inserted by the transaction running on the writer queue (confined to it).
    private var eventsInTransaction: [Event] = []
    /// Told of every event once its transaction has committed, in log order, on the writer queue.
    /// Set once at start, before any write.
    public nonisolated(unsafe) var onCommitted: (@Sendable ([Event]) -> Void)?
    /// Computes a case's clock index (`cases.next_due`, `cases.next_fire`) with the rules in force, on
    /// the writer queue. Set once at start, before any write; without it open cases are indexed
    /// conservatively (`ClockIndex.unknown`) and the next start with rules re-indexes them.
    public nonisolated(unsafe) var clockIndexer: ClockIndexer?
    /// A post URL's duplicate-finding key in a network (`PostURL.key` with the profile's hosts).
    public let urlKey: @Sendable (_ network: String, _ url: String) -> String

    /// `PostURL.key` with the shipped table of hosts per network.
    public static let defaultURLKey: @Sendable (String, String) -> String = { network, url in
        PostURL.key(url, network: network, hosts: RegulationProfile.defaultNetworkHosts[network] ?? [])
    }

    /// How thoroughly the file is checked when opened.
    public enum Check: String, Sendable, CaseIterable {
        /// No check after a clean stop that left the file untouched (`CleanStop`). After a crash (no
        /// record) the full check, once serving has begun (`OwedCheck`); after a file changed while the
        /// daemon was down, the full check before serving. The start does not grow with the file.
        case auto
        /// `PRAGMA integrity_check`: every page, every index against its table (14 s for 1.3 GB here).
        case full
        /// `PRAGMA quick_check`: every page and b-tree, without cross-checking indexes (1.3 s for 1.3 GB).
        case quick

        /// The check's statement (`auto` names no check of its own: the full one).
        var statement: String { self == .quick ? "PRAGMA quick_check" : "PRAGMA integrity_check" }
    }

    /// Opens (creating if needed) the database in `directory`, checks its integrity and migrates it.
    public init(
        directory: String, readers readerCount: Int = 2, check: Check = .full, replicated: Bool = false,
        urlKey: @escaping @Sendable (String, String) -> String = Store.defaultURLKey
    ) throws(StoreError) {
        self.urlKey = urlKey
        self.replicated = replicated
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw .cannotOpen(path: directory, reason: "cannot create the data directory")
        }
        self.directory = directory
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        let verdict = CleanStop.verdict(path, replicated: replicated) { [path] in CleanStop.logFingerprint(of: path) }
        let recordedLastEvent = CleanStop.recordedLastEvent(path)
        let owed = OwedCheck.read(path)
        var plan =
            FileManager.default.fileExists(atPath: path)
            ? OwedCheck.plan(
                requested: check, verdict: verdict, owed: owed, migrationsPending: Self.migrationsPending(path))
            : OwedCheck.Plan(before: nil, after: nil)
        // Forgotten before any check: a check that refuses the start must not leave the next `auto`
        // start believing the file clean.
        try CleanStop.forget(path)
        // A check owed after serving is recorded before the first write, so a crash while it is owed
        // leaves it owed; when it cannot be recorded (a disk full even past the ballast), it runs now.
        if let after = plan.after {
            do {
                try OwedCheck.write(path, .due(after, starts: (owed?.starts ?? 0) + 1))
            } catch {
                plan = OwedCheck.Plan(before: plan.before == .full ? .full : after, after: nil)
            }
        }
        checkDone = Self.describe(plan, requested: check, verdict: verdict, owed: owed)
        deferredCheck = plan.after
        if let before = plan.before {
            do {
                repairNote = try Self.checkAndMend(path: path, check: before)
            } catch {
                // Damage that refuses the start is remembered: the next start checks before serving too.
                switch error {
                case .corrupt, .damagedTable: try? OwedCheck.write(path, .damaged)
                default: break
                }
                throw error
            }
        } else {
            repairNote = nil
        }
        if plan.after == nil, owed != nil { OwedCheck.clear(path) }
        writer = try Connection(path: path, readOnly: false)
        do {
            // journal_size_limit: once a checkpoint has reset the WAL, it is truncated back to 4 MiB,
            // so a burst of writes does not leave a large file behind for ever.
            try writer.execute(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=4194304;"
            )
            // Replicated: SQLite's own checkpoint after 1,000 pages would race the replicator's (the
            // WAL-reset bug of SQLite before 3.51.3 needs two processes checkpointing) and make
            // Litestream take a full snapshot. The replicator checkpoints; `checkpointIfUnreplicated` is the valve.
            if replicated { try writer.execute("PRAGMA wal_autocheckpoint=0;") }
        } catch {
            throw Self.explainOpenFailure(path: path, error)
        }
        // Migration 9's and 10's columns are filled in Swift, in the migration's own transaction.
        schemaVersion = try Self.migrate(
            writer,
            completing: [
                9: { connection throws(StoreError) in
                    try Self.fillDerivedColumns(connection, urlKey: urlKey)
                },
                10: { connection throws(StoreError) in try Self.fillAuthorKeys(connection) },
                13: { connection throws(StoreError) in try connection.withHandle(Connection.fillWordKeys) },
                19: { connection throws(StoreError) in
                    try connection.withHandle { db throws(StoreError) in try Connection.fillCaseRows(db, replies: true)
                    }
                },
                20: { connection throws(StoreError) in
                    try connection.withHandle { db throws(StoreError) in try Connection.fillCaseRows(db, replies: false)
                    }
                },
            ])
        var readers: [Connection] = []
        for _ in 0..<max(1, readerCount) {
            let reader = try Connection(path: path, readOnly: true)
            try reader.execute("PRAGMA foreign_keys=ON;")
            readers.append(reader)
        }
        self.readers = ReaderPool(readers)
        self.readerCount = readers.count
        let total = (try? writer.scalar("SELECT count(*) FROM events")) ?? 0
        let newest = (try? writer.scalar("SELECT coalesce(max(id), 0) FROM events")) ?? 0
        if let recorded = recordedLastEvent, recorded > newest {
            lostSinceCleanStop =
                "the log ends at event \(newest), but the last clean stop left it at \(recorded): events \(newest + 1)-\(recorded) are gone (the WAL was lost or the file replaced since); restore them from the standby or the last backup"
        } else {
            lostSinceCleanStop = nil
        }
        eventTotal.withLock { $0 = total }
        lastID.withLock { $0 = newest }
    }

    /// The time of the newest event in the log, nil for an empty log: the clock a daemon starts
    /// with may not be before it.
    public func newestEventTime() throws(StoreError) -> Instant? {
        try read { connection throws(StoreError) in
            var time: Instant?
            try connection.query("SELECT time FROM events ORDER BY id DESC LIMIT 1") { row in
                time = EventTime.instant(row.text(0))
            }
            return time
        }
    }

    /// How many events the log holds.
    public var eventCount: Int64 { eventTotal.current }

    /// The newest event's id (its sequence number), 0 for an empty log.
    public var lastEventID: Int64 { lastID.current }

    /// Checkpoints the WAL into the main file (not when replicated) and closes every connection,
    /// recording the clean stop. Waits for writes in progress, never for another process's lock: a
    /// reader elsewhere (a replicator the daemon was not told of, a `sqlite3` shell) leaves the WAL as
    /// it is after at most 200 ms, and the record then holds the WAL too.
    public func close() {
        let first = isClosed.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        deferredCheckStopping.withLock { $0 = true }
        deferredCheckConnection.withLock { $0?.interrupt() }
        readers.interruptAndClose()
        readers.close()
        writerQueue.sync {
            if !replicated {
                try? writer.execute("PRAGMA busy_timeout=200;")
                try? writer.query("PRAGMA wal_checkpoint(TRUNCATE);")
            }
            let log = try? CleanStop.logFingerprint(writer)
            writer.close()
            if let log { CleanStop.record(path, replicated: replicated, log: log) }
        }
    }

    /// The WAL's size in bytes (0 when there is none).
    public var walBytes: Int64 {
        var info = stat()
        return stat(path + "-wal", &info) == 0 ? Int64(info.st_size) : 0
    }

    /// When the newest write committed (wall time, seconds since the epoch); nil before the first
    /// since the start.
    public var lastCommitAt: Double? { lastCommit.current?.timeIntervalSince1970 }

    /// Replicated, the WAL is the replicator's to checkpoint. When it has grown past `limit` nobody is
    /// doing it (the replicator is down or was never started): a PASSIVE checkpoint (it never waits
    /// for a lock) keeps the disk from filling. Returns the WAL's size when it acted, nil otherwise.
    public func checkpointIfUnreplicated(limit: Int64) -> Int64? {
        let size = walBytes
        guard replicated, size > limit, !isClosed.current else { return nil }
        writerQueue.sync { _ = try? writer.query("PRAGMA wal_checkpoint(PASSIVE);") }
        return size
    }

    // MARK: Events

    /// Appends events in one durable transaction and returns them with their ids.
    @discardableResult
    public func append(_ events: [Event]) throws(StoreError) -> [Event] {
        try write { connection throws(StoreError) in try insert(events, connection) }
    }

    /// Inserts events inside the caller's write transaction; the in-memory count follows once the
    /// transaction commits.
    @discardableResult
    func insert(_ events: [Event], _ connection: Connection) throws(StoreError) -> [Event] {
        var stored: [Event] = []
        for var event in events {
            try connection.query(
                "INSERT INTO events (time, actor, kind, subject, payload, on_behalf, case_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    .text(EventTime.text(event.time)), .text(event.actor), .text(event.kind.text), .text(event.subject),
                    .blob(event.payload), .text(event.onBehalf), event.caseVersion.map { .integer(Int64($0)) } ?? .null,
                ])
            event.id = connection.lastInsertRowID
            stored.append(event)
        }
        eventsInTransaction += stored
        return stored
    }

    /// Events after `afterID` in log order, at most `limit`.
    public func events(after afterID: Int64 = 0, limit: Int = 1000) throws(StoreError) -> [Event] {
        try read { connection throws(StoreError) in
            var events: [Event] = []
            try connection.query(
                "SELECT \(Event.columns) FROM events WHERE id > ? ORDER BY id LIMIT ?",
                [.integer(afterID), .integer(Int64(limit))]
            ) { row in events.append(Event(row)) }
            return events
        }
    }

    /// How many events of `kind` the log holds.
    public func count(kind: EventKind) throws(StoreError) -> Int64 {
        try count(logged: .known(kind))
    }

    func count(logged kind: LoggedKind) throws(StoreError) -> Int64 {
        try read { connection throws(StoreError) in
            try connection.scalar("SELECT count(*) FROM events WHERE kind = ?", [.text(kind.text)])
        }
    }

    // MARK: Access

    /// Runs `body` on the writer connection inside a transaction, and returns once that transaction is
    /// durable. Group commit: writes that arrive while the writer is busy (most of its time is the
    /// commit's fsync) wait together and then run in one transaction, each under its own savepoint,
    /// in arrival order; one that throws is rolled back to its savepoint and affects no other. Each
    /// caller is answered after the commit that holds its changes, with its own result, or with the
    /// commit's error when the group could not be committed (then nothing of it was written).
    func write<T>(_ body: (Connection) throws(StoreError) -> T) throws(StoreError) -> T {
        guard !isClosed.current else { throw .closed }
        if DispatchQueue.getSpecific(key: Self.writerKey) != nil {
            // Already on the writer (a commit's listener writing): alone, there and then.
            return try writeAlone(body)
        }
        var outcome: Result<T, StoreError>?
        let commitFailure: StoreError? = withoutActuallyEscaping(body) { body in
            let write = PendingWrite { connection in
                do throws(StoreError) {
                    outcome = .success(try body(connection))
                    return true
                } catch {
                    outcome = .failure(error)
                    return false
                }
            }
            enqueue(write)
            write.done.wait()
            return write.commitFailure
        }
        if let commitFailure { throw commitFailure }
        guard let outcome else { throw .closed }
        return try outcome.get()
    }

    /// Groups committed since the open (tests read it).
    let groupsCommitted = Locked(0)

    /// Writes waiting for the writer now.
    var waitingWrites: Int { pending.withLock { $0.writes.count } }

    /// Most writes in one group: bounds how long the first of them waits for the last.
    static let groupLimit = 256

    private static let writerKey = DispatchSpecificKey<Bool>()

    private func enqueue(_ write: PendingWrite) {
        let startDrain = pending.withLock { state -> Bool in
            state.writes.append(write)
            defer { state.draining = true }
            return !state.draining
        }
        if startDrain { writerQueue.async { [self] in drain() } }
    }

    /// On the writer queue: runs groups until nothing waits.
    private func drain() {
        while true {
            let group = pending.withLock { state -> [PendingWrite] in
                let group = Array(state.writes.prefix(Self.groupLimit))
                state.writes.removeFirst(group.count)
                if group.isEmpty { state.draining = false }
                return group
            }
            guard !group.isEmpty else { return }
            commit(group)
        }
    }

    /// One transaction for `group`, a savepoint per write; answers every write once it is durable.
    /// (The transaction's own statements are prepared once, like every other.)
    private func commit(_ group: [PendingWrite]) {
        var failure: StoreError?
        var committing = Date()
        do throws(StoreError) {
            try writer.query("BEGIN IMMEDIATE")
            for write in group {
                eventsInTransaction = []
                try writer.query("SAVEPOINT one_write")
                if write.run?(writer) == true {
                    write.events = eventsInTransaction
                } else {
                    try writer.query("ROLLBACK TO one_write")
                }
                try writer.query("RELEASE one_write")
            }
            // Stamped before COMMIT: a replicator's upload that began while it committed is then never
            // taken for one that holds it for good (a false "behind" that no later write would clear).
            committing = Date()
            try writer.query("COMMIT")
        } catch {
            try? writer.execute("ROLLBACK")
            failure = error
        }
        eventsInTransaction = []
        if failure == nil {
            lastCommit.withLock { $0 = committing }
            groupsCommitted.withLock { $0 += 1 }
            committed(group.flatMap(\.events))
        }
        for write in group {
            // The body belongs to its caller, who may return as soon as it is signalled.
            write.run = nil
            write.commitFailure = failure
            write.done.signal()
        }
    }

    /// The old way, for a write made on the writer queue itself: one transaction of its own.
    private func writeAlone<T>(_ body: (Connection) throws(StoreError) -> T) throws(StoreError) -> T {
        eventsInTransaction = []
        let committing = Date()
        let result = Result { () throws(StoreError) in
            try writer.transaction { () throws(StoreError) in try body(writer) }
        }
        let events = eventsInTransaction
        eventsInTransaction = []
        if case .success = result {
            lastCommit.withLock { $0 = committing }
            committed(events)
        }
        return try result.get()
    }

    /// After a commit, on the writer queue: the counters follow, then the listener hears the events.
    private func committed(_ events: [Event]) {
        guard !events.isEmpty else { return }
        eventTotal.withLock { $0 += Int64(events.count) }
        lastID.withLock { $0 = max($0, events.map(\.id).max() ?? 0) }
        onCommitted?(events)
    }
}

/// One write waiting for the writer: its body (run inside the group's transaction; false when it
/// threw and was rolled back to its savepoint), the events it inserted, and its answer.
///
/// `@unchecked Sendable`: `run` and `events` are used on the writer queue only; `commitFailure` is
/// written there before `done` is signalled and read by the caller after it.
private final class PendingWrite: @unchecked Sendable {
    /// Cleared on the writer before the caller is answered (the body must not outlive its call).
    var run: ((Connection) -> Bool)?
    var events: [Event] = []
    var commitFailure: StoreError?
    let done = DispatchSemaphore(value: 0)

    init(_ run: @escaping (Connection) -> Bool) { self.run = run }
}
