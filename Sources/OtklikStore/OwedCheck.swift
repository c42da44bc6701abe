import Foundation
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// A check the database is owed (`otklik.sqlite3.check`), written before the daemon serves on a file
/// it has not checked yet, and what a start runs before serving and after (issue 33, item 4).
///
/// A crash, a kill or a power cut leaves no record of a clean stop. SQLite's WAL with
/// `synchronous=FULL` leaves the file consistent after any of them; the check guards against what
/// SQLite cannot see (a disk or a filesystem that lied). That check grows with the file (73 s at a
/// million cases), so after a crash it runs once serving has begun, through its own read-only
/// connection (one snapshot, no lock a writer waits for), and the record says it is owed until it
/// passes: a start before then (another crash, or a clean stop in between) owes it still. When it finds
/// damage the record says so and the daemon stops; the next start runs the full check before serving
/// and mends or refuses as for any damaged file (`Store.checkAndMend`).
enum OwedCheck: Equatable {
    /// Not run yet (or not finished): the check named, and how many starts have owed it so far.
    case due(Store.Check, starts: Int)
    /// Run after serving began, and it found damage: the next start checks in full before serving.
    case damaged

    /// Starts that may serve before an owed check has passed: past them (a daemon that keeps dying
    /// before its check ends), the check runs before serving.
    static let startsBeforeServing = 3

    static func path(of database: String) -> String { database + ".check" }

    /// How many starts have owed the check (0 for `damaged`).
    var starts: Int {
        if case .due(_, let starts) = self { starts } else { 0 }
    }

    var line: String {
        switch self {
        case .due(let check, let starts): "due \(check.rawValue) \(starts)"
        case .damaged: "damaged"
        }
    }

    init?(line: String) {
        let fields = line.split(separator: " ").map(String.init)
        if fields == ["damaged"] {
            self = .damaged
        } else if fields.count == 3, fields[0] == "due", let check = Store.Check(rawValue: fields[1]), check != .auto,
            let starts = Int(fields[2]), starts >= 0
        {
            self = .due(check, starts: starts)
        } else {
            return nil
        }
    }

    /// What the record says; an unreadable record owes the full check before serving (it was written
    /// for a reason, and what it said is not known).
    static func read(_ database: String) -> OwedCheck? {
        let file = path(of: database)
        guard access(file, F_OK) == 0 else { return nil }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return .damaged }
        return OwedCheck(line: text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .damaged
    }

    /// Writes the record durably: a temporary file renamed into place, synced, so it outlives a crash
    /// that follows at once. When that cannot be done (a disk full even past the ballast), the record
    /// already there is overwritten in place (its block is allocated: no space is needed).
    static func write(_ database: String, _ owed: OwedCheck) throws(StoreError) {
        let target = path(of: database)
        let line = owed.line + "\n"
        guard
            CleanStop.replaceDurably(target, with: line)
                || CleanStop.writeSynced(target, line + String(repeating: " ", count: 16), flags: 0)
        else {
            throw .cannotOpen(path: target, reason: "cannot record the check the database is owed")
        }
    }

    /// Removes the record once the check it named has passed.
    static func clear(_ database: String) {
        guard unlink(path(of: database)) == 0 else { return }
        CleanStop.syncDirectory(of: database)
    }

    /// Which checks a start runs: `before` serving (blocking), `after` serving has begun.
    struct Plan: Equatable {
        var before: Store.Check?
        var after: Store.Check?
    }

    /// The start's checks, from the check asked for (`--startup-check`), what the last stop left
    /// (`verdict`), the record of a check owed, and whether migrations will run (they write through the
    /// whole file, so an unchecked file is checked before them; asked only when a check is owed).
    static func plan(
        requested: Store.Check, verdict: CleanStop.Verdict, owed: OwedCheck?,
        migrationsPending: @autoclosure () -> Bool
    ) -> Plan {
        // Damage found after serving: the full check and its mending, before anything else.
        if owed == .damaged { return Plan(before: .full, after: nil) }
        let owedCheck: Store.Check? = if case .due(let check, _) = owed { check } else { nil }
        let starts = owed?.starts ?? 0
        let needed: Store.Check? =
            switch verdict {
            case .untouched: nil
            case .checkpointedByReplicator: .quick
            case .noRecord, .changed: .full
            }
        let owing = [needed, owedCheck].compactMap { $0 }.contains(.full) ? Store.Check.full : (needed ?? owedCheck)
        if requested != .auto {
            // Forced: run before serving; a stronger check the file needs or still owes follows it.
            return Plan(before: requested, after: requested == .quick && owing == .full ? .full : nil)
        }
        // A file changed while the daemon was down (replaced, restored, edited): checked before anyone
        // is served from it; so is one whose check several starts in a row did not finish.
        if verdict == .changed || starts >= startsBeforeServing { return Plan(before: .full, after: nil) }
        guard let owing else { return Plan(before: nil, after: nil) }
        return migrationsPending() ? Plan(before: owing, after: nil) : Plan(before: nil, after: owing)
    }
}

extension Store {
    /// Whether opening `path` will run migrations (an unreadable version counts as pending: the
    /// check before serving then says what is wrong).
    static func migrationsPending(_ path: String) -> Bool {
        guard let connection = try? Connection(path: path, readOnly: true) else { return true }
        defer { connection.close() }
        guard let version = try? connection.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations") else {
            return true
        }
        return version < Migrations.latestVersion
    }

    /// What `checkDone` says: the checks before and after serving, and why.
    static func describe(
        _ plan: OwedCheck.Plan, requested: Check, verdict: CleanStop.Verdict, owed: OwedCheck?
    ) -> String {
        let checks = [
            plan.before.map { "\($0.rawValue) before serving" },
            plan.after.map { "\($0.rawValue) once serving has begun" },
        ].compactMap { $0 }
        guard !checks.isEmpty else {
            return verdict == .noRecord && owed == nil
                ? "none (a new database)" : "none (the last stop was clean and the file is unchanged since)"
        }
        let reason =
            if owed == .damaged {
                "the check after the last start found damage, or its record could not be read"
            } else if let starts = owed?.starts, starts >= OwedCheck.startsBeforeServing, requested == .auto,
                verdict != .changed
            {
                "\(starts) starts in a row served before their check ended"
            } else if requested != .auto {
                "--startup-check \(requested.rawValue)"
            } else {
                switch verdict {
                case .noRecord: "no record of a clean stop: a crash, a kill or a power cut"
                case .changed: "the file changed since the last clean stop"
                case .checkpointedByReplicator:
                    "the last stop was clean; since then a replicator checkpointed the same log into the file"
                case .untouched: "owed since an earlier start that stopped before it finished"
                }
            }
        return checks.joined(separator: ", ") + " (\(reason))"
    }

    /// Runs the check owed once serving has begun (`deferredCheck`) through a read-only connection of
    /// its own: one snapshot, read beside the writer and the readers without holding them up (though
    /// the WAL cannot be reset behind it while it reads). Returns `["ok"]` once it passed (the record
    /// of the check owed removed) or what it found: corruption, or a read the disk refused (the record
    /// then says `damaged`, so the next start checks in full before serving and mends or refuses; if
    /// even that cannot be written, the finding says so). Throws when it could not finish (the store
    /// closed): the check stays owed.
    public func runDeferredCheck() throws(StoreError) -> [String] {
        guard let check = deferredCheck else { return ["ok"] }
        let connection = try Connection(path: path, readOnly: true)
        defer { connection.close() }
        // `close` interrupts the check: at once through the connection, and through the budget where
        // SQLite asks it between steps.
        let running = deferredCheckStopping.withLock { stopping -> Bool in
            if !stopping { deferredCheckConnection.withLock { $0 = Interruptible(connection) } }
            return !stopping
        }
        guard running else { throw .interrupted(.cancelled) }
        defer { deferredCheckConnection.withLock { $0 = nil } }
        let budget = QueryBudget(seconds: 86_400) { [deferredCheckStopping] in deferredCheckStopping.current }
        var findings: [String] = []
        do {
            try connection.withBudget(budget) { () throws(StoreError) in
                try connection.query(check.statement) { findings.append($0.text(0)) }
            }
        } catch {
            if deferredCheckStopping.current { throw .interrupted(.cancelled) }
            guard case .sqlite(let code, let message) = error,
                [11 /* SQLITE_CORRUPT */, 26 /* SQLITE_NOTADB */, 10 /* SQLITE_IOERR */].contains(code & 0xff)
            else { throw error }
            findings = ["the file could not be read: \(message)"]
        }
        if findings == ["ok"] {
            OwedCheck.clear(path)
        } else {
            do {
                try OwedCheck.write(path, .damaged)
            } catch {
                findings.append(
                    "the damage could not be recorded (\(error)): start the daemon with --startup-check full")
            }
        }
        return findings
    }
}

/// A connection another thread may interrupt (`Connection.interrupt`, the one call safe from another
/// thread), as long as it is not closed meanwhile: the holder clears it, under the same lock, first.
final class Interruptible: @unchecked Sendable {
    private let connection: Connection

    init(_ connection: Connection) { self.connection = connection }

    func interrupt() { connection.interrupt() }
}
