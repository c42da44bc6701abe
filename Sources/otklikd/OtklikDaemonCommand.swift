import ArgumentParser
@preconcurrency import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import COtklikSystem
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC
import OtklikServer
import OtklikStore
import OtklikBase

@main
struct OtklikDaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otklikd",
        abstract: DaemonSay.abstract.text(),
        discussion: DaemonSay.discussion(SocketLocation.demo, SocketLocation.system).text(),
        version: OtklikVersion.describe(commit: String(cString: otklik_build_commit())))

    @Option(help: ArgumentHelp(DaemonSay.Help.socket.text()))
    var socket: String?

    @Option(help: ArgumentHelp(DaemonSay.Help.data.text()))
    var data: String?

    @Flag(help: ArgumentHelp(DaemonSay.Help.demo.text()))
    var demo = false

    @Option(help: ArgumentHelp(DaemonSay.Help.profile.text()))
    var profile: String?

    @Flag(help: ArgumentHelp(DaemonSay.Help.diagnostics.text()))
    var diagnostics = false

    @Option(help: ArgumentHelp(DaemonSay.Help.maxConnections.text()))
    var maxConnections = ServerLimits().maxConnections

    @Option(help: ArgumentHelp(DaemonSay.Help.maxCallsPerConnection.text()))
    var maxCallsPerConnection = ServerLimits().maxConcurrentCallsPerConnection

    @Option(help: ArgumentHelp(DaemonSay.Help.maxConnectionsPerUser.text()))
    var maxConnectionsPerUser = ServerLimits().maxConnectionsPerUID

    @Option(help: ArgumentHelp(DaemonSay.Help.idleTimeout.text()))
    var idleTimeout = Int(ServerLimits().idleTimeout.components.seconds)

    @Option(help: ArgumentHelp(DaemonSay.Help.shutdownGrace.text()))
    var shutdownGrace = 1

    @Option(help: ArgumentHelp(DaemonSay.Help.uploadIdleTimeout.text()))
    var uploadIdleTimeout = 30

    @Option(help: ArgumentHelp(DaemonSay.Help.logLevel.text()))
    var logLevel = "info"

    @Option(help: ArgumentHelp(DaemonSay.Help.testClock.text()))
    var testClock: String?

    @Option(help: ArgumentHelp(DaemonSay.Help.group.text()))
    var group: String?

    @Option(help: ArgumentHelp(DaemonSay.Help.startupCheck.text()))
    var startupCheck = "auto"

    @Flag(help: ArgumentHelp(DaemonSay.Help.check.text()))
    var check = false

    @Flag(help: ArgumentHelp(DaemonSay.Help.rebuildProjections.text()))
    var rebuildProjections = false

    @Flag(help: ArgumentHelp(DaemonSay.Help.recover.text()))
    var recover = false

    @Flag(help: ArgumentHelp(DaemonSay.Help.allowClockBeforeLog.text()))
    var allowClockBeforeLog = false

    @Option(help: ArgumentHelp(DaemonSay.Help.acceptClockCorrection.text()))
    var acceptClockCorrection: String?

    @Option(help: ArgumentHelp(DaemonSay.Help.maxPhotoSize.text()))
    var maxPhotoSize = "50MiB"

    @Option(help: ArgumentHelp(DaemonSay.Help.maxVideoSize.text()))
    var maxVideoSize = "500MiB"

    @Option(help: ArgumentHelp(DaemonSay.Help.maxDocumentSize.text()))
    var maxDocumentSize = "50MiB"

    @Option(help: ArgumentHelp(DaemonSay.Help.maxDraftAttachmentsSize.text()))
    var maxDraftAttachmentsSize = "1GiB"

    @Option(help: ArgumentHelp(DaemonSay.Help.uploadQuota.text()))
    var uploadQuota = "2GiB"

    @Option(help: ArgumentHelp(DaemonSay.Help.uploadDiskReserve.text()))
    var uploadDiskReserve = "512MiB"

    /// One line on stderr, "otklikd: " first.
    static func say(_ text: String) {
        FileHandle.standardError.write(Data(("otklikd: " + text + "\n").utf8))
    }

    /// ArgumentParser's main, with its own messages (usage, errors) in the reader's language too.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = ParserMessages.localized(fullMessage(for: error))
            if !message.isEmpty {
                if code == .success {
                    print(message)
                } else {
                    FileHandle.standardError.write(Data((message + "\n").utf8))
                }
            }
            Foundation.exit(code.rawValue)
        }
    }

    func validate() throws {
        guard Logger.Level.allCases.contains(where: { $0.name == logLevel }) else {
            throw ValidationError(DaemonSay.logLevel.text())
        }
        guard maxConnections > 0, maxCallsPerConnection > 0, maxConnectionsPerUser > 0,
            (1...31_536_000).contains(idleTimeout), (0...3600).contains(shutdownGrace),
            (1...3600).contains(uploadIdleTimeout)
        else {
            throw ValidationError(DaemonSay.limits.text())
        }
        if let reason = acceptClockCorrection {
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 500, !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 })
            else {
                throw ValidationError(DaemonSay.clockCorrection.text())
            }
        }
        guard Store.Check(rawValue: startupCheck) != nil else {
            throw ValidationError(DaemonSay.startupCheck.text())
        }
        for (flag, value) in [
            ("--max-photo-size", maxPhotoSize), ("--max-video-size", maxVideoSize),
            ("--max-document-size", maxDocumentSize), ("--max-draft-attachments-size", maxDraftAttachmentsSize),
            ("--upload-quota", uploadQuota), ("--upload-disk-reserve", uploadDiskReserve),
        ] where ByteSize.parse(value) == nil {
            throw ValidationError(DaemonSay.notASize(flag, value).text())
        }
        if let testClock, Instant(iso: testClock) == nil {
            throw ValidationError(DaemonSay.notAnInstant(testClock).text())
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
                Self.say(DaemonSay.profileUnusable(profile, "\(error)").text())
                throw ExitCode(64)
            }
        }
        if let group {
            guard let entry = getgrnam(group) else {
                Self.say(DaemonSay.noGroup(group).text())
                throw ExitCode(64)
            }
            configuration.socketGroup = entry.pointee.gr_gid
        }

        if check {
            do {
                let findings = try Store.verify(directory: configuration.dataDirectory)
                guard findings == ["ok"] else {
                    Self.say(DaemonSay.damaged(findings.map { "  " + $0 }.joined(separator: "\n")).text())
                    throw ExitCode(70)
                }
                print("otklikd: " + DaemonSay.passedCheck.text())
                return
            } catch let error as StoreError {
                Self.say(DaemonSay.error(error))
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
                Self.say(DaemonSay.error(error))
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
                print("otklikd: " + DaemonSay.rebuilt(cases).text())
                return
            } catch {
                Self.say(DaemonSay.error(error))
                throw ExitCode(70)
            }
        }

        let daemon: Daemon
        do {
            daemon = try Daemon(configuration)
            daemon.stopOnSignals()
            try daemon.start()
        } catch let refusal as Daemon.ClockBeforeLog {
            Self.say(DaemonSay.error(refusal))
            throw ExitCode(Daemon.ClockBeforeLog.exitStatus)
        } catch {
            Self.say(DaemonSay.error(error))
            throw ExitCode(70)
        }
        dispatchMain()
    }
}
