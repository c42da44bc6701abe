import Foundation
import OtklikAPI
import OtklikCore
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
        let before = try daemon.client().call(Admin.health, HealthRequest()).eventCount
        let second = try otklikd(["--socket", daemon.directory + "/other.sock", "--data", daemon.dataDirectory])
        #expect(second.status == 70)
        #expect(second.stderr.contains("another otklikd (pid \(daemon.pid)) is using the data directory"))
        let rebuild = try otklikd(["--data", daemon.dataDirectory, "--rebuild-projections"])
        #expect(rebuild.status == 70)
        #expect(rebuild.stderr.contains("pid \(daemon.pid)"))
        #expect(try daemon.client().call(Admin.health, HealthRequest()).eventCount == before)
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

    @Test func aStartWithAClockBeforeTheNewestEventIsRefusedUnlessAllowed() throws {
        let directory = privateDirectory()
        let later = try DaemonProcess(arguments: ["--test-clock", "2026-12-10T10:00:00+03:00"], directory: directory)
        later.signal(SIGTERM)
        #expect(later.wait() == 0)
        let earlier = try otklikd(["--socket", directory + "/otklik.sock", "--data", directory + "/data", "--test-clock", "2026-12-01T10:00:00+03:00"])
        #expect(earlier.status == 70)
        #expect(earlier.stderr.contains("2026-12-01T07:00:00Z"))
        #expect(earlier.stderr.contains("2026-12-10T07:00:00Z"))
        let allowed = try DaemonProcess(arguments: ["--test-clock", "2026-12-01T10:00:00+03:00", "--allow-clock-before-log"], directory: directory)
        #expect(try allowed.client().call(Admin.health, HealthRequest()).state == .serving)
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
            #expect(event.time == Date(timeIntervalSince1970: TimeInterval(Instant.parse("2026-12-01T10:00:00+03:00")!)), "\(event.kind)")
        }
    }
}
