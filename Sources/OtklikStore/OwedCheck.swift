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
    /// Not run yet (or not finished): the check named.
    case due(Store.Check)
    /// Run after serving began, and it found damage: the next start checks in full before serving.
    case damaged

    static func path(of database: String) -> String { database + ".check" }

    var line: String {
        switch self {
        case .due(let check): "due \(check.rawValue)"
        case .damaged: "damaged"
        }
    }

    init?(line: String) {
        let fields = line.split(separator: " ").map(String.init)
        if fields == ["damaged"] {
            self = .damaged
        } else if fields.count == 2, fields[0] == "due", let check = Store.Check(rawValue: fields[1]), check != .auto {
            self = .due(check)
        } else {
            return nil
        }
    }

    /// What the record says; an unreadable record owes the full check (it was written for a reason).
    static func read(_ database: String) -> OwedCheck? {
        let file = path(of: database)
        guard access(file, F_OK) == 0 else { return nil }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return .due(.full) }
        return OwedCheck(line: text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .due(.full)
    }

    /// Writes the record durably (a temporary file renamed into place, synced): it must outlive a
    /// crash that follows at once.
    static func write(_ database: String, _ owed: OwedCheck) throws(StoreError) {
        let target = path(of: database)
        let temporary = target + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: target, reason: "cannot record the check the database is owed") }
        let line = owed.line + "\n"
        let written = line.withCString { Glibc.write(fd, $0, strlen($0)) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == line.utf8.count, synced, rename(temporary, target) == 0 else {
            unlink(temporary)
            throw .cannotOpen(path: target, reason: "cannot record the check the database is owed")
        }
        CleanStop.syncDirectory(of: database)
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
    /// whole file, so an unchecked file is checked before them).
    static func plan(
        requested: Store.Check, verdict: CleanStop.Verdict, owed: OwedCheck?, migrationsPending: Bool
    ) -> Plan {
        // Damage found after serving: the full check and its mending, before anything else.
        if owed == .damaged { return Plan(before: .full, after: nil) }
        let owedCheck: Store.Check? = if case .due(let check) = owed { check } else { nil }
        if requested != .auto {
            // Forced: run before serving; a stronger check still owed follows it.
            return Plan(before: requested, after: requested == .quick && owedCheck == .full ? .full : nil)
        }
        // A file changed while the daemon was down (replaced, restored, edited): checked before anyone
        // is served from it.
        if verdict == .changed { return Plan(before: .full, after: nil) }
        let needed: Store.Check? =
            switch verdict {
            case .untouched: nil
            case .checkpointedByReplicator: .quick
            case .noRecord, .changed: .full
            }
        let owing = [needed, owedCheck].compactMap { $0 }.contains(.full) ? Store.Check.full : (needed ?? owedCheck)
        guard let owing else { return Plan(before: nil, after: nil) }
        return migrationsPending ? Plan(before: owing, after: nil) : Plan(before: nil, after: owing)
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
        guard !checks.isEmpty else { return "none (the last stop was clean and the file is unchanged since)" }
        let reason =
            if owed == .damaged {
                "the check after the last start found damage"
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
    /// its own: one snapshot, read beside the writer and the readers without holding them up. Returns
    /// `["ok"]` once it passed (the record of the check owed removed) or what it found (the record then
    /// says `damaged`: the next start checks in full before serving and mends or refuses). Throws when
    /// it could not finish (the store closed, the file unreadable): the check stays owed.
    public func runDeferredCheck() throws(StoreError) -> [String] {
        guard let check = deferredCheck else { return ["ok"] }
        let connection = try Connection(path: path, readOnly: true)
        defer { connection.close() }
        let budget = QueryBudget(seconds: 86_400) { [deferredCheckStopping] in deferredCheckStopping.current }
        var findings: [String] = []
        do {
            try connection.withBudget(budget) { () throws(StoreError) in
                try connection.query(check == .full ? "PRAGMA integrity_check" : "PRAGMA quick_check") {
                    findings.append($0.text(0))
                }
            }
        } catch {
            if case .interrupted = error { throw error }
            // A file SQLite cannot read as a database is damage too.
            guard case .corrupt = Self.explainOpenFailure(path: path, error) else { throw error }
            findings = ["file is not a database"]
        }
        if findings == ["ok"] {
            OwedCheck.clear(path)
        } else {
            try OwedCheck.write(path, .damaged)
        }
        return findings
    }
}
