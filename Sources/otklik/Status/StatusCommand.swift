import ArgumentParser
import COtklikSystem
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Say.Status.statusAbstract.text())

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (health, connectors) = try global.withClient { client throws(RPCError) in
            let health = try client.call(AdminService.health, HealthRequest())
            // The networks' connectors, for those who may see them (staff); an older daemon has none.
            let connectors: [ConnectorView]
            do throws(RPCError) {
                connectors = try client.call(ConnectorsService.listConnectors, ListConnectorsRequest()).connectors
            } catch  where error.code == .permissionDenied || error.code == .unimplemented {
                connectors = []
            }
            return (health, connectors)
        }
        global.show(Record(fields: Self.fields, value: (health, global.socketPath, connectors)))
    }

    /// The daemon's health, the socket it was reached on, and its networks' connectors.
    static var fields: [Field<(health: HealthResponse, socket: String, connectors: [ConnectorView])>] {
        // Instants in the schedule's offset, as the daemon formats them (an older daemon sends only
        // the Unix seconds: then UTC).
        func started(_ h: HealthResponse) -> String {
            h.startedAt.isEmpty ? Instant(seconds: h.startedAtUnix).iso(offset: 0) : h.startedAt
        }
        func now(_ h: HealthResponse) -> String { h.now.isEmpty ? Instant(seconds: h.nowUnix).iso(offset: 0) : h.now }
        return [
            Field(
                "state", Say.Status.daemon, json: { .string($0.health.state.name) },
                text: { stateText($0.health.state) }),
            .string("version", Say.Common.version, \.health.version),
            Field(
                "uptime_seconds", Say.Status.upFor, json: { .integer($0.health.uptimeSeconds) },
                text: { duration($0.health.uptimeSeconds) }),
            Field(
                "started_at", Say.Status.started, json: { .string(started($0.health)) },
                text: { PeopleTime.text(started($0.health)) }),
            Field(
                "schema_version", Say.Status.schemaVersion,
                json: { .integer(Int64($0.health.schemaVersion)) }, text: { String($0.health.schemaVersion) }),
            Field(
                "open_connections", Say.Status.connections,
                json: { .integer(Int64($0.health.openConnections)) }, text: { String($0.health.openConnections) }),
            Field(
                "event_count", Say.Status.events, json: { .integer($0.health.eventCount) },
                text: { String($0.health.eventCount) }),
            .script("clock_simulated") { .bool($0.health.clockSimulated) },
            Field(
                "now", Say.Status.clock, json: { .string(now($0.health)) },
                text: {
                    Say.Status.clockReading(PeopleTime.text(now($0.health)), simulated: $0.health.clockSimulated).text()
                }),
            .string("socket", Say.Status.socket, \.socket),
            Field(
                "replication", Say.Status.replica, json: { replication($0.health) }, text: { replicaText($0.health) }),
            Field(
                "database_check", Say.Status.databaseCheck, json: { databaseCheck($0.health) },
                text: { databaseCheckText($0.health) }),
            Field(
                "connectors", Say.Connectors.statusLabel,
                json: { .array($0.connectors.map { ConnectorView.fields.object($0) }) },
                text: { status in
                    status.connectors.isEmpty
                        ? "-"
                        : status.connectors.map { connector in
                            let line = Say.Connectors.statusLine(
                                NetworkNames.spoken(connector.last.network), connector.last.community,
                                connector.standing
                            ).text()
                            return connector.isInTrouble ? Terminal.red(line) : line
                        }.joined(separator: "; ")
                }),
        ]
    }

    /// `--replicated`: the replica's standing as the daemon's Health tells it (null: not replicated).
    private static func replication(_ h: HealthResponse) -> JSON {
        guard h.replicated else { return .null }
        return .object([
            ("state", .string(h.replicaState.name)),
            ("synced_at", h.replicaSyncedAt.isEmpty ? .null : .string(h.replicaSyncedAt)),
            ("behind_seconds", .integer(h.replicaBehindSeconds)),
            ("wal_bytes", .integer(h.walBytes)),
        ])
    }

    /// The check owed after a crash, run once serving began (null: none since this start).
    private static func databaseCheck(_ h: HealthResponse) -> JSON {
        guard h.databaseCheck != .unspecified else { return .null }
        return .object([
            ("state", .string(h.databaseCheck.name)),
            ("full", .bool(h.databaseCheckFull)),
            ("seconds", .integer(h.databaseCheckSeconds)),
        ])
    }

    private static func databaseCheckText(_ h: HealthResponse) -> String {
        switch h.databaseCheck {
        case .running: Say.Status.databaseCheckRunning(full: h.databaseCheckFull, h.databaseCheckSeconds).text()
        case .passed: Say.Status.databaseCheckPassed(full: h.databaseCheckFull, h.databaseCheckSeconds).text()
        case .damaged: Terminal.red(Say.Status.databaseCheckDamaged.text())
        case .unfinished: Terminal.red(Say.Status.databaseCheckUnfinished.text())
        case .unspecified, .unrecognized: "-"
        }
    }

    private static func replicaText(_ h: HealthResponse) -> String {
        guard h.replicated else { return "-" }
        let synced = PeopleTime.text(h.replicaSyncedAt)
        switch h.replicaState {
        case .replicaInStep: return Say.Status.replicaInStep(synced).text()
        case .replicaBehind:
            let line = Say.Status.replicaBehind(h.replicaBehindSeconds, synced).text()
            // Litestream uploads every second: ten seconds behind means it is not getting through.
            return h.replicaBehindSeconds >= 10 ? Terminal.red(line) : line
        case .replicaUnreachable: return Terminal.red(Say.Status.replicaUnreachable.text())
        case .replicaUnknown, .unspecified, .unrecognized: return Say.Status.replicaUnknown.text()
        }
    }

    private static func stateText(_ state: HealthResponse.State) -> String {
        switch state {
        case .serving: Say.Status.serving.text()
        case .draining: Say.Status.stopping.text()
        case .unspecified, .unrecognized: Say.Status.unknown.text()
        }
    }

    static func duration(_ seconds: Int64) -> String {
        let days = seconds / 86_400, hours = seconds % 86_400 / 3600, minutes = seconds % 3600 / 60, rest = seconds % 60
        let clock = String(format: "%02lld:%02lld:%02lld", hours, minutes, rest)
        return days > 0 ? Say.Status.uptime(days, clock).text() : clock
    }
}
