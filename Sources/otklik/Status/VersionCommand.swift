import ArgumentParser
import COtklikSystem
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik version`: this program's version and the daemon's, side by side (a mismatch after an
/// update is the first thing support asks about). The daemon not answering is said, not an error:
/// the program's own version is still worth knowing.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: Say.Status.versionAbstract.text())

    @OptionGroup var global: GlobalOptions

    struct Versions {
        var program: String
        var daemon: HealthResponse?
        var socket: String
    }

    func run() throws {
        var options = RPCClient.Options()
        options.defaultTimeout = .milliseconds(Int64(min(global.timeout, 5) * 1000))
        let daemon = (try? DaemonLink.open(socketPath: global.socketPath, options: options)).flatMap { client in
            defer { client.close() }
            return try? client.call(AdminService.health, HealthRequest())
        }
        let program = OtklikVersion.describe(commit: String(cString: otklik_build_commit()))
        global.show(
            Record(fields: Self.fields, value: Versions(program: program, daemon: daemon, socket: global.socketPath)))
    }

    static var fields: [Field<Versions>] {
        [
            .string("otklik", Say.Status.thisProgram, \.program),
            Field(
                "otklikd", Say.Status.daemon,
                json: { $0.daemon.map { .string($0.version) } ?? .null },
                text: { v in v.daemon.map { $0.version } ?? Say.Status.notReached(v.socket).text() }),
            Field(
                "schema_version", Say.Status.schemaVersion,
                json: { $0.daemon.map { .integer(Int64($0.schemaVersion)) } ?? .null },
                text: { $0.daemon.map { String($0.schemaVersion) } ?? "—" }),
        ]
    }
}
