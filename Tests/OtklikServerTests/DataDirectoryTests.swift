import Foundation
import OtklikAPI
import OtklikCore
import OtklikServer
import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One daemon per data directory, files closed to others, a clock that never runs before the log,
/// and a database that cannot silently become empty.
@Suite struct DataDirectoryTests {
    private func otklikd(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try run(binDirectory + "/otklikd", arguments)
    }

    @Test func aSecondDaemonOnTheSameDataIsRefusedWithTheHoldersPidAndWritesNothing() throws {
        let daemon = try DaemonProcess()
        let before = try daemon.client().call(AdminService.health, HealthRequest()).eventCount
        let second = try otklikd(["--socket", daemon.directory + "/other.sock", "--data", daemon.dataDirectory])
        #expect(second.status == 70)
        #expect(second.stderr.contains("another otklikd (pid \(daemon.pid)) is using the data directory"))
        // Written as scripts did before the offline modes became subcommands: the older spelling still runs them.
        let rebuild = try otklikd(["--data", daemon.dataDirectory, "--rebuild-projections"])
        #expect(rebuild.status == 70)
        #expect(rebuild.stderr.contains("pid \(daemon.pid)"))
        #expect(try daemon.client().call(AdminService.health, HealthRequest()).eventCount == before)
    }

    @Test func removingTheLockFileFromUnderARunningDaemonStillKeepsASecondOneOut() throws {
        // Issue 25, M8: `rm otklik.lock` let two daemons serve one database.
        let daemon = try DaemonProcess()
        #expect(unlink(daemon.dataDirectory + "/" + DataDirectoryLock.fileName) == 0)
        let second = try otklikd(["--socket", daemon.directory + "/other.sock", "--data", daemon.dataDirectory])
        #expect(second.status == 70, "\(second.stderr)")
        #expect(second.stderr.contains("another otklikd"), "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: daemon.directory + "/other.sock"))
        #expect(try daemon.client().call(AdminService.health, HealthRequest()).eventCount > 0)
    }

    @Test func theDatabaseLockAndWALAreClosedToOthersAndAFileOpenToOthersRefusesTheStart() throws {
        let daemon = try DaemonProcess()
        for name in [Store.fileName, Store.fileName + "-wal", DataDirectoryLock.fileName] {
            var info = stat()
            #expect(stat(daemon.dataDirectory + "/" + name, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600, "\(name) is \(String(info.st_mode & 0o777, radix: 8))")
        }
        daemon.signal(SIGTERM)
        #expect(daemon.wait() == 0)
        chmod(daemon.dataDirectory + "/" + Store.fileName, 0o644)
        let start = try otklikd(["--socket", daemon.socketPath, "--data", daemon.dataDirectory])
        #expect(start.status == 70)
        #expect(start.stderr.contains("readable by every user of this machine"))
        #expect(start.stderr.contains("chmod o-rwx"))
    }

    @Test func withASocketGroupFilesAreGroupReadableButTheDataDirectoryIsTheDaemonsAlone() throws {
        let directory = privateDirectory()
        chmod(directory, 0o711)
        let daemon = try DaemonProcess(
            arguments: ["--group", "nogroup"], directory: directory, socketDirectory: directory + "/run")
        var info = stat()
        #expect(stat(daemon.dataDirectory, &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(stat(daemon.dataDirectory + "/" + Store.fileName, &info) == 0 && info.st_mode & 0o777 == 0o640)
        daemon.signal(SIGTERM)
        #expect(daemon.wait() == 0)
        // Opened to the staff's group, the directory refuses the start.
        chown(daemon.dataDirectory, UInt32.max, 65534)
        chmod(daemon.dataDirectory, 0o750)
        let start = try otklikd([
            "--socket", directory + "/run/otklik.sock", "--data", daemon.dataDirectory, "--group", "nogroup",
        ])
        #expect(start.status == 70)
        #expect(start.stderr.contains("every staff member could read the database"))
        #expect(start.stderr.contains("chmod 700"))
    }

    @Test func aStartWithAClockBeforeTheNewestEventIsRefusedUnlessAllowed() throws {
        let directory = privateDirectory()
        let later = try DaemonProcess(arguments: ["--test-clock", "2026-12-10T10:00:00+03:00"], directory: directory)
        later.signal(SIGTERM)
        #expect(later.wait() == 0)
        let earlier = try otklikd([
            "--socket", directory + "/otklik.sock", "--data", directory + "/data", "--test-clock",
            "2026-12-01T10:00:00+03:00",
        ])
        // EX_CONFIG, which the unit does not restart on (RestartPreventExitStatus=78): no restart loop.
        #expect(earlier.status == 78)
        #expect(earlier.stderr.contains("2026-12-01T07:00:00Z"))
        #expect(earlier.stderr.contains("2026-12-10T07:00:00Z"))
        #expect(earlier.stderr.contains("--accept-clock-correction"))
        let allowed = try DaemonProcess(
            arguments: ["--test-clock", "2026-12-01T10:00:00+03:00", "--allow-clock-before-log"], directory: directory)
        #expect(try allowed.client().call(AdminService.health, HealthRequest()).state == .serving)
    }

    @Test func aClockSetRightAfterRunningAheadIsAcceptedOnceWithItsReasonRecordedAndTheLogGoesOn() throws {
        // Issue 25, Low: a clock stepped back after a wrong boot clock kept the daemon in a restart loop.
        let directory = privateDirectory()
        let ahead = try DaemonProcess(arguments: ["--test-clock", "2027-03-01T10:00:00+03:00"], directory: directory)
        ahead.signal(SIGTERM)
        #expect(ahead.wait() == 0)
        let blank = try otklikd([
            "--socket", directory + "/otklik.sock", "--data", directory + "/data", "--test-clock",
            "2026-12-01T10:00:00+03:00", "--accept-clock-correction", " ",
        ])
        #expect(blank.status == 64, "a correction needs its reason: \(blank.stderr)")
        let corrected = try DaemonProcess(
            arguments: [
                "--test-clock", "2026-12-01T10:00:00+03:00", "--accept-clock-correction",
                "the BIOS clock ran three months ahead after the battery change",
            ], directory: directory)
        var export = ExportEventsRequest()
        export.limit = 1000
        let log = try corrected.client().call(EventsService.export, export).events
        let started = try #require(log.last { $0.kind == .daemonStarted })
        let payload = try JSONDecoder().decode(DaemonStarted.self, from: Data(started.details.utf8))
        #expect(payload.clockCorrection?.newestEvent == "2027-03-01T07:00:00Z")
        #expect(payload.clockCorrection?.clock == "2026-12-01T07:00:00Z")
        #expect(payload.clockCorrection?.reason == "the BIOS clock ran three months ahead after the battery change")
        corrected.signal(SIGTERM)
        #expect(corrected.wait() == 0)
        // From now on an ordinary start needs nothing: the log goes on from the corrected clock.
        let next = try DaemonProcess(arguments: ["--test-clock", "2026-12-01T10:05:00+03:00"], directory: directory)
        #expect(try next.client().call(AdminService.health, HealthRequest()).state == .serving)
    }

    @Test func anEmptyDatabaseFileWhereADatabaseHadBeenRefusesToStart() throws {
        let daemon = try DaemonProcess()
        daemon.signal(SIGTERM)
        #expect(daemon.wait() == 0)
        let path = daemon.dataDirectory + "/" + Store.fileName
        #expect(truncate(path, 0) == 0)
        unlink(path + "-wal")
        unlink(path + "-shm")
        let start = try otklikd(["--socket", daemon.socketPath, "--data", daemon.dataDirectory])
        #expect(start.status == 70)
        #expect(start.stderr.contains("is empty, but this data directory held a database"))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_size == 0)  // nothing was written over it
    }

    @Test func underATestClockEveryEventCarriesTheSimulatedTime() throws {
        let daemon = try DaemonProcess(arguments: ["--test-clock", "2026-12-01T10:00:00+03:00"])
        daemon.signal(SIGTERM)
        #expect(daemon.wait() == 0)
        let store = try Store(directory: daemon.dataDirectory)
        defer { store.close() }
        let events = try store.events()
        #expect(!events.isEmpty)
        for event in events {
            #expect(
                event.time
                    == Instant(iso: "2026-12-01T10:00:00+03:00")!,
                "\(event.kind)")
        }
    }

    /// The demo's database, stopped cleanly (WAL checkpointed into the file), and a page number of `object`.
    private func stoppedDemo() throws -> (DaemonProcess, String) {
        let daemon = try DaemonProcess(arguments: ["--demo", "--test-clock", "2026-12-01T11:00:00+03:00"])
        daemon.signal(SIGTERM)
        #expect(daemon.wait() == 0)
        return (daemon, daemon.dataDirectory + "/" + Store.fileName)
    }

    private func rootPage(_ path: String, _ object: String) throws -> Int {
        let answer = try run(
            "/usr/bin/sqlite3", ["-readonly", path, "SELECT rootpage FROM sqlite_schema WHERE name = '\(object)'"])
        return try #require(Int(answer.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    private func overwrite(page: Int, of path: String) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64((page - 1) * 4096))
        try handle.write(contentsOf: Data(repeating: 0xDE, count: 4096))
        try handle.close()
    }

    @Test func aDamagedIndexIsRebuiltFromTheTablesAtStartAndTheDamagedFileIsKept() throws {
        let (daemon, path) = try stoppedDemo()
        try overwrite(page: try rootPage(path, "cases_detected_id"), of: path)
        let restarted = try DaemonProcess(
            arguments: ["--test-clock", "2026-12-01T11:00:00+03:00"], directory: daemon.directory)
        let cases = try run(
            binDirectory + "/otklik",
            ["case", "list", "--socket", restarted.socketPath, "--as", "curator.petrova", "-o", "json"])
        #expect(cases.status == 0, "\(cases.stderr)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(cases.stdout.utf8)) as? [String: Any])
        #expect((listed["cases"] as? [Any])?.count == 7)
        restarted.signal(SIGTERM)
        #expect(restarted.wait() == 0)
        #expect(restarted.log().contains("every table read whole: rebuilt it from its tables"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: daemon.dataDirectory).filter {
            $0.hasPrefix(Store.fileName + ".damaged-")
        }
        #expect(!kept.isEmpty)
    }

    /// Issue 33, item 4: after a kill the daemon serves at once and checks the file beside the calls;
    /// `otklik status` says how the check stands, and the next clean start checks nothing.
    @Test func afterAKillTheDaemonServesAtOnceAndChecksTheFileBesideTheCalls() throws {
        let first = try DaemonProcess(arguments: ["--demo", "--test-clock", "2026-12-01T11:00:00+03:00"])
        first.signal(SIGKILL)
        _ = first.wait()
        let restarted = try DaemonProcess(
            arguments: ["--test-clock", "2026-12-01T11:00:00+03:00"], directory: first.directory)
        var check: [String: Any] = [:]
        let until = Date().addingTimeInterval(20)
        while Date() < until {
            let status = try run(binDirectory + "/otklik", ["status", "--socket", restarted.socketPath, "-o", "json"])
            #expect(status.status == 0, "\(status.stderr)")
            let health = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            check = health?["database_check"] as? [String: Any] ?? [:]
            if check["state"] as? String != "running" { break }
            usleep(50_000)
        }
        #expect(check["state"] as? String == "passed", "\(check)")
        #expect(check["full"] as? Bool == true)
        let shown = try run(
            binDirectory + "/otklik", ["status", "--socket", restarted.socketPath], environment: ["LANG": "ru_RU.UTF-8"]
        )
        #expect(shown.stdout.contains("Проверка базы"), "\(shown.stdout)")
        #expect(shown.stdout.contains("пройдена за"), "\(shown.stdout)")
        restarted.signal(SIGTERM)
        #expect(restarted.wait() == 0)
        let log = restarted.log()
        #expect(
            log.contains("database check at start: full once serving has begun (no record of a clean stop"), "\(log)")
        #expect(log.contains("the database passed its full check"), "\(log)")
        let again = try DaemonProcess(
            arguments: ["--test-clock", "2026-12-01T11:00:00+03:00"], directory: first.directory)
        again.signal(SIGTERM)
        #expect(again.wait() == 0)
        #expect(again.log().contains("database check at start: none"), "\(again.log())")
    }

    /// Damage the check beside the calls finds stops the daemon (EX_TEMPFAIL: the unit starts it again),
    /// and the next start mends the file before it serves, as for damage found at a start.
    @Test func damageFoundBesideTheCallsStopsTheDaemonAndTheNextStartMendsTheFile() throws {
        let (daemon, path) = try stoppedDemo()
        try overwrite(page: try rootPage(path, "cases_detected_id"), of: path)
        #expect(unlink(path + ".clean") == 0)  // as a crash leaves it
        // Bounded: a daemon that never found the damage would serve on (timeout's 124).
        let serving = try run(
            "/usr/bin/timeout",
            [
                "30", binDirectory + "/otklikd", "--socket", daemon.socketPath, "--data", daemon.dataDirectory,
                "--test-clock", "2026-12-01T11:00:00+03:00",
            ])
        #expect(serving.status == Daemon.damageFoundExitStatus, "\(serving.stderr)")
        #expect(serving.stderr.contains("full once serving has begun"), "\(serving.stderr)")
        #expect(serving.stderr.contains("serving on"), "\(serving.stderr)")
        #expect(serving.stderr.contains("the database check found damage"), "\(serving.stderr)")
        let mended = try DaemonProcess(
            arguments: ["--test-clock", "2026-12-01T11:00:00+03:00"], directory: daemon.directory)
        let cases = try run(
            binDirectory + "/otklik",
            ["case", "list", "--socket", mended.socketPath, "--as", "curator.petrova", "-o", "json"])
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(cases.stdout.utf8)) as? [String: Any])
        #expect((listed["cases"] as? [Any])?.count == 7)
        mended.signal(SIGTERM)
        #expect(mended.wait() == 0)
        #expect(mended.log().contains("full before serving (the check after the last start found damage"))
        #expect(mended.log().contains("every table read whole: rebuilt it from its tables"))
    }

    @Test func aDamagedTableRefusesTheStartChangesNothingAndRecoverCopiesWhatItCan() throws {
        let (daemon, path) = try stoppedDemo()
        let healthy = try run(binDirectory + "/otklikd", ["check", "--data", daemon.dataDirectory])
        #expect(healthy.status == 0, "\(healthy.stderr)")
        #expect(healthy.stdout.contains("passed its full check"))
        try overwrite(page: try rootPage(path, "cases"), of: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // The check on demand finds it and changes nothing; so does the start that follows.
        let checked = try run(binDirectory + "/otklikd", ["check", "--data", daemon.dataDirectory])
        #expect(checked.status == 70)
        #expect(checked.stderr.contains("otklikd recover"), "\(checked.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let start = try run(binDirectory + "/otklikd", ["--socket", daemon.socketPath, "--data", daemon.dataDirectory])
        #expect(start.status == 70)
        #expect(start.stderr.contains("the table cases of"))
        #expect(start.stderr.contains("otklikd recover"))
        #expect(!start.stderr.contains("move it away"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let recover = try run(binDirectory + "/otklikd", ["recover", "--data", daemon.dataDirectory])
        #expect(recover.status == 0, "\(recover.stderr)")
        #expect(recover.stdout.contains("is unchanged"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let copies = try FileManager.default.contentsOfDirectory(atPath: daemon.dataDirectory).filter {
            $0.hasPrefix("otklik.recovered-")
        }
        #expect(copies.count == 1)
    }

    @Test func aDamagedProjectionRowIsRebuiltFromTheLogOnReadNeverLeftOut() throws {
        let (daemon, path) = try stoppedDemo()
        #expect(
            try run(
                "/usr/bin/sqlite3",
                [path, "UPDATE cases SET state = '{broken', state_bin = NULL WHERE id = '2026-000002'"]
            ).status == 0)
        let restarted = try DaemonProcess(
            arguments: ["--test-clock", "2026-12-01T11:00:00+03:00"], directory: daemon.directory)
        let list = try run(
            binDirectory + "/otklik",
            ["case", "list", "--socket", restarted.socketPath, "--as", "curator.petrova", "-o", "json"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("\"id\":\"2026-000002\""))
        let state = try run(
            "/usr/bin/sqlite3", ["-readonly", path, "SELECT substr(state, 1, 1) FROM cases WHERE id = '2026-000002'"])
        #expect(state.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "{")
        #expect(
            try run(
                "/usr/bin/sqlite3", ["-readonly", path, "SELECT json_valid(state) FROM cases WHERE id = '2026-000002'"]
            ).stdout.hasPrefix("1"))
    }
}
