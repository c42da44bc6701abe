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
        usage: "otklikd [<subcommand>] [<options>]",
        discussion: DaemonSay.discussion(SocketLocation.demo, SocketLocation.system).text(),
        version: OtklikVersion.describe(commit: String(cString: otklik_build_commit())),
        subcommands: [CheckCommand.self, RecoverCommand.self, RebuildProjectionsCommand.self])

    @Option(help: ArgumentHelp(DaemonSay.Help.socket.text()))
    var socket: String?

    @OptionGroup var data: DataOption
    @OptionGroup var profile: ProfileOption
    @OptionGroup var group: GroupOption

    @Flag(help: ArgumentHelp(DaemonSay.Help.demo.text()))
    var demo = false

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

    @Option(help: ArgumentHelp(DaemonSay.Help.startupCheck.text()))
    var startupCheck = "auto"

    @Flag(help: ArgumentHelp(DaemonSay.Help.replicated.text()))
    var replicated = false

    @Option(help: ArgumentHelp(DaemonSay.Help.replicatorSocket.text()))
    var replicatorSocket: String?

    // The offline modes' older spelling, kept for scripts written before they became subcommands.
    @Flag(help: .hidden) var check = false
    @Flag(help: .hidden) var rebuildProjections = false
    @Flag(help: .hidden) var recover = false

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
        if check || recover || rebuildProjections {
            // As before the modes were subcommands: a profile or group that cannot be used refuses any of them.
            _ = try profile.read()
            _ = try group.id()
            if check { return try CheckCommand.run(data) }
            if recover { return try RecoverCommand.run(data, group) }
            return try RebuildProjectionsCommand.run(data, profile, group)
        }
        // A few malloc arenas, not one per thread that ever ran a stream: memory stays flat under
        // many short-lived streaming calls.
        _ = otklik_limit_malloc_arenas(4)
        _ = otklik_keep_stream_buffers()
        let configuration = try daemonConfiguration()
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

    /// The daemon's configuration from the options (validated in `validate()`).
    private func daemonConfiguration() throws -> DaemonConfiguration {
        var configuration = DaemonConfiguration(
            socketPath: SocketLocation.forDaemon(flag: socket, demo: demo), dataDirectory: data.directory)
        configuration.profile = try profile.read()
        configuration.socketGroup = try group.id()
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
        configuration.replicated = replicated || replicatorSocket != nil
        configuration.replicatorSocket = replicatorSocket
        configuration.allowClockBeforeLog = allowClockBeforeLog
        configuration.clockCorrection = acceptClockCorrection
        var limits = configuration.attachmentLimits
        limits.photo = ByteSize.parse(maxPhotoSize) ?? limits.photo
        limits.video = ByteSize.parse(maxVideoSize) ?? limits.video
        limits.document = ByteSize.parse(maxDocumentSize) ?? limits.document
        limits.draft = ByteSize.parse(maxDraftAttachmentsSize) ?? limits.draft
        limits.unreferencedPerUser = ByteSize.parse(uploadQuota) ?? limits.unreferencedPerUser
        limits.diskReserve = ByteSize.parse(uploadDiskReserve) ?? limits.diskReserve
        configuration.attachmentLimits = limits
        return configuration
    }
}
