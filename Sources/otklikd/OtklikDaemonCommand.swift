import ArgumentParser
@preconcurrency import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import COtklikSystem
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikServer
import OtklikStore
import OtklikBase

@main
struct OtklikDaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otklikd",
        abstract: "Otklik daemon: holds every case and serves the RPC API on a Unix socket.",
        discussion: """
            Socket: --socket, else $OTKLIK_SOCKET, else \(SocketLocation.demo) with --demo, else \(SocketLocation.system).
            Data: --data, else $OTKLIK_DATA, else ./.otklik/.
            Stops gracefully on SIGTERM or SIGINT.
            """,
        version: OtklikVersion.describe(commit: String(cString: otklik_build_commit())))

    @Option(help: "Path of the Unix socket to serve.")
    var socket: String?

    @Option(help: "Directory of the database.")
    var data: String?

    @Flag(help: "Seed demo data and use the demo socket path by default.")
    var demo = false

    @Option(
        help:
            "A regulation profile file (JSON: terms, networks and their hosts, clarification_limit, max_fact_age_days); default: the shipped borovichi-34-rg."
    )
    var profile: String?

    @Flag(help: "Serve otklik.v1.Diagnostics (transport probes for tests and benchmarks).")
    var diagnostics = false

    @Option(help: "Most connections served at once.")
    var maxConnections = ServerLimits().maxConnections

    @Option(help: "Most calls running at once on one connection.")
    var maxCallsPerConnection = ServerLimits().maxConcurrentCallsPerConnection

    @Option(help: "Most connections one OS user may hold at once.")
    var maxConnectionsPerUser = ServerLimits().maxConnectionsPerUID

    @Option(help: "Seconds after which a connection with no call running and nothing received is closed.")
    var idleTimeout = Int(ServerLimits().idleTimeout.components.seconds)

    @Option(
        help:
            "Seconds a graceful stop waits for running calls (reads still running at half of it are ended); the stop then takes at most one second more."
    )
    var shutdownGrace = 1

    @Option(help: "Seconds an upload may send nothing before it is ended (its place and file freed).")
    var uploadIdleTimeout = 30

    @Option(help: "Log level: debug, info, warning, error.")
    var logLevel = "info"

    @Option(
        help: "Run on a simulated clock starting at this ISO 8601 instant; it moves only with `otklik admin clock`.")
    var testClock: String?

    @Option(help: "OS group whose members may connect (the socket and its directory get this group).")
    var group: String?

    @Option(
        help:
            "Database check at start: auto (none after a clean stop that left the file untouched, else full), full (integrity_check) or quick (quick_check)."
    )
    var startupCheck = "auto"

    @Flag(help: "Check the database in full (integrity_check, read-only, beside a running daemon too), then exit.")
    var check = false

    @Flag(help: "Rebuild the cases' projections from the event log, then exit.")
    var rebuildProjections = false

    @Flag(
        help:
            "Copy what SQLite can read of a damaged database into a new file beside it (the damaged one is kept), then exit."
    )
    var recover = false

    @Flag(help: "Start even when the clock stands before the newest event in the log (test setups only).")
    var allowClockBeforeLog = false

    @Option(
        help:
            "Start although the clock stands before the log's newest event, recording the two instants and this reason: the way out after a clock that ran ahead was set right."
    )
    var acceptClockCorrection: String?

    @Option(help: "Largest photo an upload may be (bytes, or with KiB, MiB, GiB).")
    var maxPhotoSize = "50MiB"

    @Option(help: "Largest video an upload may be (bytes, or with KiB, MiB, GiB).")
    var maxVideoSize = "500MiB"

    @Option(help: "Largest document (PDF) an upload may be (bytes, or with KiB, MiB, GiB).")
    var maxDocumentSize = "50MiB"

    @Option(help: "Most the files of one draft may come to together (bytes, or with KiB, MiB, GiB).")
    var maxDraftAttachmentsSize = "1GiB"

    @Option(
        help:
            "Most one person's uploaded files that no draft carries yet may come to (bytes, or with KiB, MiB, GiB); unused ones are removed after a day."
    )
    var uploadQuota = "2GiB"

    @Option(
        help:
            "Free space the data disk keeps for registrations: an upload that would leave less is refused (bytes, or with KiB, MiB, GiB)."
    )
    var uploadDiskReserve = "512MiB"

    func validate() throws {
        guard Logger.Level.allCases.contains(where: { $0.name == logLevel }) else {
            throw ValidationError("--log-level must be one of debug, info, warning, error")
        }
        guard maxConnections > 0, maxCallsPerConnection > 0, maxConnectionsPerUser > 0,
            (1...31_536_000).contains(idleTimeout), (0...3600).contains(shutdownGrace),
            (1...3600).contains(uploadIdleTimeout)
        else {
            throw ValidationError(
                "limits must be positive; --idle-timeout is at most a year, --shutdown-grace and --upload-idle-timeout at most an hour (seconds)"
            )
        }
        if let reason = acceptClockCorrection {
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 500, !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 })
            else {
                throw ValidationError(
                    "--accept-clock-correction takes the reason, one line of at most 500 characters (what was wrong with the clock)"
                )
            }
        }
        guard Store.Check(rawValue: startupCheck) != nil else {
            throw ValidationError("--startup-check is auto, full or quick")
        }
        for (flag, value) in [
            ("--max-photo-size", maxPhotoSize), ("--max-video-size", maxVideoSize),
            ("--max-document-size", maxDocumentSize), ("--max-draft-attachments-size", maxDraftAttachmentsSize),
            ("--upload-quota", uploadQuota), ("--upload-disk-reserve", uploadDiskReserve),
        ] where ByteSize.parse(value) == nil {
            throw ValidationError(
                "\(flag) \(value) is not a size: give bytes, or a number with KiB, MiB or GiB (such as 50MiB), at most 64GiB"
            )
        }
        if let testClock, Instant(iso: testClock) == nil {
            throw ValidationError(
                "--test-clock \(testClock) is not an ISO 8601 instant with an offset, e.g. 2026-12-01T09:00:00+03:00")
        }
    }

    func run() throws {
        // A few malloc arenas, not one per thread that ever ran a stream: memory stays flat under
        // many short-lived streaming calls.
        _ = otklik_limit_malloc_arenas(4)
        _ = otklik_keep_stream_buffers()
        let environment = ProcessInfo.processInfo.environment
        var configuration = DaemonConfiguration(
            socketPath: SocketLocation.forDaemon(flag: socket, demo: demo),
            dataDirectory: data ?? environment["OTKLIK_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? ".otklik")
        configuration.demo = demo
        configuration.diagnostics = diagnostics
        configuration.limits.maxConnections = maxConnections
        configuration.limits.maxConcurrentCallsPerConnection = maxCallsPerConnection
        configuration.limits.maxConnectionsPerUID = maxConnectionsPerUser
        configuration.limits.idleTimeout = .seconds(idleTimeout)
        configuration.limits.clientStreamIdleTimeout = .seconds(uploadIdleTimeout)
        configuration.shutdownGrace = .seconds(shutdownGrace)
        configuration.logger = Logger(
            label: "otklikd", minimum: Logger.Level.allCases.first { $0.name == logLevel } ?? .info)
        configuration.testClockStart = testClock.flatMap { Instant(iso: $0) }
        configuration.startupCheck = Store.Check(rawValue: startupCheck) ?? .auto
        configuration.allowClockBeforeLog = allowClockBeforeLog
        configuration.clockCorrection = acceptClockCorrection
        configuration.attachmentLimits.photo = ByteSize.parse(maxPhotoSize) ?? configuration.attachmentLimits.photo
        configuration.attachmentLimits.video = ByteSize.parse(maxVideoSize) ?? configuration.attachmentLimits.video
        configuration.attachmentLimits.document =
            ByteSize.parse(maxDocumentSize) ?? configuration.attachmentLimits.document
        configuration.attachmentLimits.draft =
            ByteSize.parse(maxDraftAttachmentsSize) ?? configuration.attachmentLimits.draft
        configuration.attachmentLimits.unreferencedPerUser =
            ByteSize.parse(uploadQuota) ?? configuration.attachmentLimits.unreferencedPerUser
        configuration.attachmentLimits.diskReserve =
            ByteSize.parse(uploadDiskReserve) ?? configuration.attachmentLimits.diskReserve
        if let profile {
            do {
                configuration.profile = try RegulationProfile.decode(
                    try Data(contentsOf: URL(fileURLWithPath: profile)))
            } catch {
                FileHandle.standardError.write(Data("otklikd: the profile \(profile) cannot be used: \(error)\n".utf8))
                throw ExitCode(64)
            }
        }
        if let group {
            guard let entry = getgrnam(group) else {
                FileHandle.standardError.write(
                    Data("otklikd: there is no OS group \(group); create it (groupadd \(group)) or name another\n".utf8)
                )
                throw ExitCode(64)
            }
            configuration.socketGroup = entry.pointee.gr_gid
        }

        if check {
            do {
                let findings = try Store.verify(directory: configuration.dataDirectory)
                guard findings == ["ok"] else {
                    FileHandle.standardError.write(
                        Data(
                            ("otklikd: the database is damaged:\n" + findings.map { "  " + $0 }.joined(separator: "\n")
                                + "\nStop the daemon and run otklikd --recover (docs/ARCHITECTURE.md).\n").utf8))
                    throw ExitCode(70)
                }
                print("otklikd: the database passed its full check (integrity_check)")
                return
            } catch let error as StoreError {
                FileHandle.standardError.write(Data("otklikd: \(error)\n".utf8))
                throw ExitCode(70)
            }
        }

        if recover {
            do {
                umask(configuration.socketGroup == nil ? 0o077 : 0o027)
                let lock = try DataDirectoryLock(
                    directory: configuration.dataDirectory, socketGroup: configuration.socketGroup)
                defer { lock.release() }
                let result = try Recovery.run(directory: configuration.dataDirectory)
                print(result)
                return
            } catch {
                FileHandle.standardError.write(Data("otklikd: \(error)\n".utf8))
                throw ExitCode(70)
            }
        }

        if rebuildProjections {
            do {
                umask(configuration.socketGroup == nil ? 0o077 : 0o027)
                // The lock refuses a rebuild under a running daemon.
                let lock = try DataDirectoryLock(
                    directory: configuration.dataDirectory, socketGroup: configuration.socketGroup)
                try lock.checkDatabasePresent()
                let urlKey = try (configuration.profile ?? RegulationProfileFile.load()).urlKey
                let store = try Store(directory: configuration.dataDirectory, urlKey: urlKey)
                lock.markDatabaseCreated()
                defer { store.close() }
                let cases = try store.rebuildProjections()
                print("otklikd: rebuilt the projections of \(cases) cases from the event log")
                return
            } catch {
                FileHandle.standardError.write(Data("otklikd: \(error)\n".utf8))
                throw ExitCode(70)
            }
        }

        let daemon: Daemon
        do {
            daemon = try Daemon(configuration)
            daemon.stopOnSignals()
            try daemon.start()
        } catch let refusal as Daemon.ClockBeforeLog {
            FileHandle.standardError.write(Data("otklikd: \(refusal)\n".utf8))
            throw ExitCode(Daemon.ClockBeforeLog.exitStatus)
        } catch {
            FileHandle.standardError.write(Data("otklikd: \(error)\n".utf8))
            throw ExitCode(70)
        }
        dispatchMain()
    }
}
