import CSQLite
import Foundation
import OtklikCore
@testable import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The root page of `object` in the database at `path`.
func rootPage(_ path: String, _ object: String) -> Int64 {
    var db: OpaquePointer?
    defer { sqlite3_close_v2(db) }
    _ = Connection.open(path, SQLITE_OPEN_READONLY, &db)
    var statement: OpaquePointer?
    sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_schema WHERE name = '\(object)'", -1, &statement, nil)
    defer { sqlite3_finalize(statement) }
    return sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : 0
}

/// Overwrites `pages` of the file with 0xFF.
func scribble(_ path: String, pages: ClosedRange<Int64>) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    for page in pages {
        try handle.seek(toOffset: UInt64(page - 1) * 4096)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 4096))
    }
    try handle.close()
}

/// The check at start: none after a clean stop, the full one after a crash once serving has begun
/// (owed until it passes), before serving for a changed file; damage mended or refused (issue 10, 33).
@Suite struct StartupCheckTests {
    /// A store of 2000 events, closed.
    private func storeWithEvents() throws -> (directory: String, path: String) {
        let directory = freshDirectory()
        let store = try Store(directory: directory)
        try store.append(
            (0..<2000).map {
                Event(
                    time: 1_796_000_000, actor: "a", logged: .unknown("k\($0)"), subject: "s\($0 % 50)",
                    payload: Array(repeating: 1, count: 200))
            })
        store.close()
        return (directory, directory + "/" + Store.fileName)
    }

    /// `auto`: no check after a clean stop that left the file as it was; after a crash (no record) the
    /// full check once serving has begun; a file changed while closed, the full check before serving,
    /// which finds the damage.
    @Test func theAutoCheckSkipsOnlyAfterACleanStopOfAnUntouchedFile() throws {
        let (directory, path) = try storeWithEvents()
        let clean = try Store(directory: directory, check: .auto)
        #expect(clean.checkDone.hasPrefix("none"))
        // Open: the record of the clean stop is gone, so a crash from here on means a full check.
        #expect(access(path + ".clean", F_OK) != 0)
        try clean.append([Event(time: 1_796_000_000, actor: "a", logged: .unknown("k"), subject: "s", payload: [])])
        // Not closed (as after a kill): the next open checks in full.
        let afterCrash = try Store(directory: directory, check: .auto)
        #expect(afterCrash.checkDone.hasPrefix("full once serving has begun"), "\(afterCrash.checkDone)")
        #expect(afterCrash.deferredCheck == .full)
        afterCrash.close()
        clean.close()
        let index = rootPage(path, "events_subject")
        try scribble(path, pages: index...index)
        let changed = try Store(directory: directory, check: .auto)
        defer { changed.close() }
        #expect(changed.checkDone.hasPrefix("full before serving"), "\(changed.checkDone)")
        #expect(changed.repairNote?.contains("rebuilt it from its tables") == true)
        #expect(try Store.verify(directory: directory) == ["ok"])
    }

    /// A forced check that refuses the start leaves no record of a clean stop behind, and a record of
    /// the damage: damage made to look untouched (its mtime put back) is still found by the next
    /// `auto` start, before it serves.
    @Test func aRefusedCheckLeavesNoCleanStopForTheNextStart() throws {
        let (directory, path) = try storeWithEvents()
        var info = stat()
        #expect(stat(path, &info) == 0)
        let table = rootPage(path, "events")
        try scribble(path, pages: table...table)
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        #expect(CleanStop.verdict(path, replicated: false) { nil } == .untouched)
        #expect(throws: StoreError.self) { try Store(directory: directory, check: .full) }
        #expect(CleanStop.verdict(path, replicated: false) { nil } == .noRecord)
        // The damage it found is recorded: the next start checks before serving, not beside the calls.
        #expect(OwedCheck.read(path) == .damaged)
        #expect(throws: StoreError.self) { try Store(directory: directory, check: .auto) }
    }

    @Test func aDamagedIndexIsRebuiltFromTheIntactTablesAndTheDamagedFileKept() throws {
        let (directory, path) = try storeWithEvents()
        let index = rootPage(path, "events_subject")
        #expect(index > 0)
        try scribble(path, pages: index...index)
        let store = try Store(directory: directory)
        defer { store.close() }
        #expect(store.repairNote?.contains("rebuilt it from its tables") == true)
        #expect(store.eventCount == 2000)
        #expect(try store.count(logged: .unknown("k1999")) == 1)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).contains {
                $0.hasPrefix(Store.fileName + ".damaged-")
            })
    }

    @Test func aDamagedTableIsRefusedAndTheFileLeftAsItWas() throws {
        let (directory, path) = try storeWithEvents()
        let table = rootPage(path, "events")
        try scribble(path, pages: table...table)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect {
            try Store(directory: directory)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            if case .damagedTable(_, let name, _) = error {
                return name == "events" && error.description.contains("otklikd recover")
            }
            return false
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func theQuickCheckRefusesADamagedTableToo() throws {
        let (directory, path) = try storeWithEvents()
        #expect(throws: Never.self) { try Store(directory: directory, check: .quick).close() }
        let table = rootPage(path, "events")
        try scribble(path, pages: table...table)
        #expect(throws: StoreError.self) { try Store(directory: directory, check: .quick) }
    }

    /// After a crash the store opens at once and owes the full check until it passes: another crash,
    /// or a clean stop, before it ran leaves it owed; once it passed, a clean stop needs none.
    @Test func aCrashDefersTheFullCheckAndOwesItUntilItPasses() throws {
        let (directory, path) = try storeWithEvents()
        let opened = try Store(directory: directory, check: .auto)
        #expect(opened.deferredCheck == nil)
        try opened.append([Event(time: 1_796_000_000, actor: "a", logged: .unknown("k"), subject: "s", payload: [])])
        // Killed (never closed): the next open serves first.
        let first = try Store(directory: directory, check: .auto)
        #expect(first.deferredCheck == .full)
        #expect(
            first.checkDone == "full once serving has begun (no record of a clean stop: a crash, a kill or a power cut)"
        )
        #expect(first.repairNote == nil)
        #expect(OwedCheck.read(path) == .due(.full, starts: 1))
        // Stopped cleanly before the check ran: still owed.
        first.close()
        opened.close()
        #expect(CleanStop.verdict(path, replicated: false) { nil } == .untouched)
        let second = try Store(directory: directory, check: .auto)
        #expect(second.deferredCheck == .full)
        #expect(second.checkDone.hasSuffix("(owed since an earlier start that stopped before it finished)"))
        #expect(OwedCheck.read(path) == .due(.full, starts: 2))
        #expect(try second.runDeferredCheck() == ["ok"])
        #expect(OwedCheck.read(path) == nil)
        #expect(second.eventCount == 2001)
        second.close()
        let third = try Store(directory: directory, check: .auto)
        defer { third.close() }
        #expect(third.deferredCheck == nil)
        #expect(third.checkDone.hasPrefix("none"))
    }

    /// Damage the deferred check finds is handled as at a start: recorded, and the next start checks in
    /// full before serving and rebuilds the file from its intact tables.
    @Test func damageFoundOnceServingHadBegunIsMendedByTheNextStartBeforeItServes() throws {
        let (directory, path) = try storeWithEvents()
        let index = rootPage(path, "events_subject")
        try scribble(path, pages: index...index)
        #expect(unlink(CleanStop.path(of: path)) == 0)  // as after a crash
        let serving = try Store(directory: directory, check: .auto)
        #expect(serving.deferredCheck == .full)
        #expect(serving.repairNote == nil)
        let findings = try serving.runDeferredCheck()
        #expect(findings != ["ok"] && !findings.isEmpty)
        #expect(OwedCheck.read(path) == .damaged)
        serving.close()
        // A clean stop after it does not hide it.
        let mended = try Store(directory: directory, check: .auto)
        defer { mended.close() }
        #expect(
            mended.checkDone
                == "full before serving (the check after the last start found damage, or its record could not be read)")
        #expect(mended.repairNote?.contains("rebuilt it from its tables") == true)
        #expect(mended.deferredCheck == nil)
        #expect(OwedCheck.read(path) == nil)
        #expect(mended.eventCount == 2000)
        #expect(try Store.verify(directory: directory) == ["ok"])
    }

    /// A stop cuts the deferred check short (or keeps it from beginning); it stays owed.
    @Test func aDeferredCheckCutShortByTheStopStaysOwed() throws {
        let (directory, path) = try storeWithEvents()
        #expect(unlink(CleanStop.path(of: path)) == 0)
        let store = try Store(directory: directory, check: .auto)
        store.close()
        #expect(throws: StoreError.interrupted(.cancelled)) { try store.runDeferredCheck() }
        #expect(OwedCheck.read(path) == .due(.full, starts: 1))
    }

    /// A daemon that keeps dying before its check ends does not serve an unchecked file for ever: after
    /// `startsBeforeServing` starts owing it, the check runs before serving.
    @Test func aCheckThatSeveralStartsDidNotFinishRunsBeforeServing() throws {
        let (directory, path) = try storeWithEvents()
        #expect(unlink(CleanStop.path(of: path)) == 0)
        var stores: [Store] = []  // never closed: each one killed
        for start in 1...OwedCheck.startsBeforeServing {
            let store = try Store(directory: directory, check: .auto)
            #expect(store.deferredCheck == .full)
            #expect(OwedCheck.read(path) == .due(.full, starts: start))
            stores.append(store)
        }
        let checked = try Store(directory: directory, check: .auto)
        #expect(checked.deferredCheck == nil)
        #expect(checked.checkDone == "full before serving (3 starts in a row served before their check ended)")
        #expect(OwedCheck.read(path) == nil)
        checked.close()
        for store in stores { store.close() }
    }

    /// The record of damage is written even on a disk with no room for a new file: over the record
    /// that is there; and a record that cannot be read owes the full check before serving.
    @Test func theRecordIsWrittenInPlaceWhenNoNewFileCanBeMadeAndAnUnreadableOneOwesTheFullCheck() throws {
        let (_, path) = try storeWithEvents()
        try OwedCheck.write(path, .due(.quick, starts: 12))
        try FileManager.default.createDirectory(
            atPath: OwedCheck.path(of: path) + ".tmp", withIntermediateDirectories: false)
        try OwedCheck.write(path, .damaged)
        #expect(OwedCheck.read(path) == .damaged)
        try OwedCheck.write(path, .due(.full, starts: 1))
        #expect(OwedCheck.read(path) == .due(.full, starts: 1))
        try Data("due sometime".utf8).write(to: URL(fileURLWithPath: OwedCheck.path(of: path)))
        #expect(OwedCheck.read(path) == .damaged)
    }

    /// A check that cannot be recorded as owed (here a directory where its record is written; in life a
    /// disk full even past the ballast) is not put off: it runs before serving.
    @Test func aCheckThatCannotBeRecordedAsOwedRunsBeforeServing() throws {
        let (directory, path) = try storeWithEvents()
        #expect(unlink(CleanStop.path(of: path)) == 0)
        try FileManager.default.createDirectory(
            atPath: OwedCheck.path(of: path) + ".tmp", withIntermediateDirectories: false)
        let store = try Store(directory: directory, check: .auto)
        defer { store.close() }
        #expect(store.deferredCheck == nil)
        #expect(store.checkDone.hasPrefix("full before serving (no record of a clean stop"), "\(store.checkDone)")
        #expect(OwedCheck.read(path) == nil)
    }

    /// Migrations write through the whole file: an unchecked file is checked before them.
    @Test func aCrashBeforeAnUpgradeIsCheckedBeforeTheMigrations() throws {
        let (directory, path) = try storeWithEvents()
        #expect(unlink(CleanStop.path(of: path)) == 0)
        // Schema 18, as issue 31's migrations found it (StoreTests' upgrade test undoes them likewise).
        var db: OpaquePointer?
        _ = Connection.open(path, SQLITE_OPEN_READWRITE, &db)
        sqlite3_exec(
            db,
            "DROP TABLE reply_texts; DROP TABLE draft_pace; DROP INDEX cases_incident; ALTER TABLE cases DROP COLUMN incident;"
                + " DROP TABLE incidents; DROP INDEX cases_detected_id; CREATE INDEX cases_detected ON cases (detected_at);"
                + " DELETE FROM schema_migrations WHERE version >= 19;", nil, nil, nil)
        sqlite3_close_v2(db)
        #expect(Store.migrationsPending(path))
        let store = try Store(directory: directory, check: .auto)
        defer { store.close() }
        #expect(store.checkDone.hasPrefix("full before serving (no record of a clean stop"), "\(store.checkDone)")
        #expect(store.deferredCheck == nil)
        #expect(store.schemaVersion == Migrations.latestVersion)
        #expect(!Store.migrationsPending(path))
    }

    /// Every road through the plan: what runs before serving and what after.
    @Test func thePlanOfTheChecksAtStart() {
        typealias Plan = OwedCheck.Plan
        func plan(_ requested: Store.Check, _ verdict: CleanStop.Verdict, _ owed: OwedCheck?, migrations: Bool = false)
            -> Plan
        {
            OwedCheck.plan(requested: requested, verdict: verdict, owed: owed, migrationsPending: migrations)
        }
        #expect(plan(.auto, .untouched, nil) == Plan(before: nil, after: nil))
        #expect(plan(.auto, .noRecord, nil) == Plan(before: nil, after: .full))
        #expect(plan(.auto, .checkpointedByReplicator, nil) == Plan(before: nil, after: .quick))
        #expect(plan(.auto, .checkpointedByReplicator, .due(.full, starts: 1)) == Plan(before: nil, after: .full))
        #expect(plan(.auto, .untouched, .due(.quick, starts: 2)) == Plan(before: nil, after: .quick))
        #expect(plan(.auto, .untouched, .due(.quick, starts: 3)) == Plan(before: .full, after: nil))
        #expect(plan(.auto, .changed, nil) == Plan(before: .full, after: nil))
        #expect(plan(.auto, .changed, .due(.quick, starts: 1)) == Plan(before: .full, after: nil))
        #expect(plan(.auto, .untouched, .damaged) == Plan(before: .full, after: nil))
        #expect(plan(.quick, .untouched, .damaged) == Plan(before: .full, after: nil))
        #expect(plan(.full, .untouched, nil) == Plan(before: .full, after: nil))
        #expect(plan(.quick, .noRecord, nil) == Plan(before: .quick, after: .full))
        #expect(plan(.quick, .changed, nil) == Plan(before: .quick, after: .full))
        #expect(plan(.quick, .untouched, nil) == Plan(before: .quick, after: nil))
        #expect(plan(.quick, .untouched, .due(.full, starts: 1)) == Plan(before: .quick, after: .full))
        #expect(plan(.full, .untouched, .due(.full, starts: 5)) == Plan(before: .full, after: nil))
        #expect(plan(.auto, .noRecord, nil, migrations: true) == Plan(before: .full, after: nil))
        #expect(plan(.auto, .untouched, nil, migrations: true) == Plan(before: nil, after: nil))
        // The record's own lines, and an unreadable one owing the full check.
        #expect(OwedCheck(line: "due quick 2") == .due(.quick, starts: 2))
        #expect(OwedCheck(line: "damaged") == .damaged)
        #expect(OwedCheck(line: "due auto 1") == nil)
        #expect(OwedCheck(line: "due full") == nil)
        #expect(OwedCheck(line: "due full -1") == nil)
    }
}
