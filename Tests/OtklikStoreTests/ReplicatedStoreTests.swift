import CSQLite
import Foundation
import OtklikCore
@testable import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A replicator beside the store, as Litestream behaves (its `db.go`): its own connection holds a
/// read transaction between its syncs, and it checkpoints PASSIVE and bumps a table of its own in the
/// application's database after the application has stopped.
private final class ReplicatorStandIn {
    private var db: OpaquePointer?

    init(_ path: String) {
        _ = Connection.open(path, SQLITE_OPEN_READWRITE, &db)
        sqlite3_busy_timeout(db, 1000)
        holdReadLock()
    }

    deinit { sqlite3_close_v2(db) }

    func holdReadLock() {
        sqlite3_exec(db, "BEGIN; SELECT count(*) FROM events;", nil, nil, nil)
    }

    /// What Litestream does a minute after the stop: release, checkpoint, its own row, read lock again.
    func checkpointAndBump() {
        sqlite3_exec(db, "COMMIT;", nil, nil, nil)
        sqlite3_exec(
            db,
            """
            CREATE TABLE IF NOT EXISTS _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER);
            PRAGMA wal_checkpoint(PASSIVE);
            INSERT INTO _litestream_seq (id, seq) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET seq = seq + 1;
            PRAGMA wal_checkpoint(PASSIVE);
            """, nil, nil, nil)
        holdReadLock()
    }
}

@Suite struct ReplicatedStoreTests {
    private func event(_ n: Int) -> Event {
        Event(time: 1_796_000_000, actor: "a", logged: .unknown("k\(n)"), subject: "s\(n % 7)", payload: [1, 2, 3])
    }

    private func size(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : -1
    }

    /// Replicated, the daemon never checkpoints: its stop leaves the WAL to the replicator that holds
    /// it (no wait for its lock), and the next start needs no check while nothing has moved.
    @Test func aReplicatedStopLeavesTheWALAndTheNextStartChecksNothing() throws {
        let directory = freshDirectory()
        let path = directory + "/" + Store.fileName
        let store = try Store(directory: directory, check: .auto, replicated: true)
        try store.append((0..<50).map(event))
        let replicator = ReplicatorStandIn(path)
        try store.append((50..<100).map(event))
        let mainBefore = size(path)
        store.close()
        #expect(size(path) == mainBefore, "the stop checkpointed into the main file")
        #expect(size(path + "-wal") > 0)
        let again = try Store(directory: directory, check: .auto, replicated: true)
        #expect(again.checkDone.hasPrefix("none"), "\(again.checkDone)")
        #expect(again.eventCount == 100)
        again.close()
        _ = replicator
    }

    /// The replicator checkpoints after the stop (the main file changes): the same file with the same
    /// log gets the quick check (once serving has begun), not the full one; started without
    /// `--replicated`, the full one before serving.
    @Test func aReplicatorsCheckpointAfterTheStopCostsAQuickCheckNotAFullOne() throws {
        let directory = freshDirectory()
        let path = directory + "/" + Store.fileName
        let store = try Store(directory: directory, check: .auto, replicated: true)
        let replicator = ReplicatorStandIn(path)
        try store.append((0..<300).map(event))
        store.close()
        replicator.checkpointAndBump()
        let replicated = try Store(directory: directory, check: .auto, replicated: true)
        #expect(replicated.checkDone.hasPrefix("quick once serving has begun"), "\(replicated.checkDone)")
        #expect(replicated.deferredCheck == .quick)
        #expect(replicated.eventCount == 300)
        replicated.close()
        replicator.checkpointAndBump()
        let plain = try Store(directory: directory, check: .auto)
        #expect(plain.checkDone.hasPrefix("full"), "\(plain.checkDone)")
        plain.close()
    }

    /// What a checkpointer does not do gets the full check: another write into the log, or another
    /// file (a restore or a copy) in the database's place.
    @Test func aChangedLogOrAnotherFileGetsTheFullCheck() throws {
        let directory = freshDirectory()
        let path = directory + "/" + Store.fileName
        let store = try Store(directory: directory, check: .auto, replicated: true)
        try store.append((0..<20).map(event))
        store.close()
        var db: OpaquePointer?
        _ = Connection.open(path, SQLITE_OPEN_READWRITE, &db)
        sqlite3_exec(
            db,
            "INSERT INTO events (time, actor, kind, subject, payload) VALUES ('2026-12-01T00:00:00Z', 'x', 'k', 's', x'00')",
            nil, nil, nil)
        sqlite3_close_v2(db)
        let written = try Store(directory: directory, check: .auto, replicated: true)
        #expect(written.checkDone.hasPrefix("full"), "\(written.checkDone)")
        written.close()

        let copy = path + ".copy"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        #expect(rename(copy, path) == 0)
        let replaced = try Store(directory: directory, check: .auto, replicated: true)
        #expect(replaced.checkDone.hasPrefix("full"), "\(replaced.checkDone)")
        replaced.close()
    }

    /// Not replicated, a reader of another process (a replicator the daemon was not told of, a
    /// `sqlite3` shell) no longer costs the next start a full check: the stop gives up the checkpoint
    /// and records the WAL with the main file.
    @Test func aPlainStopBesideAForeignReaderStillRecordsACleanStop() throws {
        let directory = freshDirectory()
        let path = directory + "/" + Store.fileName
        let store = try Store(directory: directory, check: .auto)
        try store.append((0..<40).map(event))
        let reader = ReplicatorStandIn(path)
        try store.append((40..<80).map(event))
        store.close()
        #expect(size(path + "-wal") > 0)
        let again = try Store(directory: directory, check: .auto)
        #expect(again.checkDone.hasPrefix("none"), "\(again.checkDone)")
        #expect(again.eventCount == 80)
        again.close()
        _ = reader
    }

    /// Replicated, nothing checkpoints until the WAL passes the valve's limit; then a PASSIVE one.
    @Test func theValveCheckpointsOnlyPastItsLimit() throws {
        let directory = freshDirectory()
        let store = try Store(directory: directory, check: .auto, replicated: true)
        defer { store.close() }
        // 30 transactions of 200 KiB: SQLite's own checkpoint would have restarted the WAL at 1,000
        // pages and cut it back to the 4 MiB journal_size_limit.
        for batch in 0..<30 {
            try store.append(
                (0..<100).map {
                    Event(
                        time: 1_796_000_000, actor: "a", logged: .unknown("k"), subject: "s\(batch)-\($0)",
                        payload: Array(repeating: UInt8(batch), count: 2048))
                })
        }
        let wal = store.walBytes
        #expect(wal > 5 << 20, "SQLite's own checkpoint ran")
        #expect(store.checkpointIfUnreplicated(limit: wal) == nil)
        #expect(store.checkpointIfUnreplicated(limit: 1 << 20) == wal)
        let plain = try Store(directory: freshDirectory(), check: .auto)
        defer { plain.close() }
        #expect(plain.checkpointIfUnreplicated(limit: 0) == nil)
    }
}

@Suite struct LostSinceCleanStopTests {
    /// The WAL holding the last commits removed while the daemon was down: every check passes (the file
    /// is sound), so the start says what the record knows: the log ends before where the stop left it.
    @Test func aLogShorterThanTheCleanStopLeftItIsSaid() throws {
        let directory = freshDirectory()
        let path = directory + "/" + Store.fileName
        let store = try Store(directory: directory, check: .auto, replicated: true)
        try store.append(
            (0..<5).map {
                Event(time: 1_796_000_000, actor: "a", logged: .unknown("k\($0)"), subject: "s", payload: [])
            })
        // A reader of another process keeps the WAL from being checkpointed at close; read-only (not
        // the ReplicatorStandIn above), so that its own close cannot checkpoint the WAL away either.
        var db: OpaquePointer?
        _ = Connection.open(path, SQLITE_OPEN_READONLY, &db)
        sqlite3_exec(db, "BEGIN; SELECT count(*) FROM events;", nil, nil, nil)
        try store.append([Event(time: 1_796_000_000, actor: "a", logged: .unknown("late"), subject: "s", payload: [])])
        store.close()
        sqlite3_close_v2(db)
        #expect(unlink(path + "-wal") == 0 || errno == ENOENT)
        let again = try Store(directory: directory, check: .auto, replicated: true)
        defer { again.close() }
        #expect(again.lastEventID < 6)
        #expect(
            again.lostSinceCleanStop?.contains("are gone") == true, "\(String(describing: again.lostSinceCleanStop))")
        let fresh = try Store(directory: freshDirectory(), check: .auto)
        defer { fresh.close() }
        #expect(fresh.lostSinceCleanStop == nil)
    }
}
