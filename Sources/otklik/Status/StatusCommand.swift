import ArgumentParser
import COtklikSystem
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Language.text(
            "Show whether the daemon is up, its version and load.",
            "Показать, работает ли демон, его версию и нагрузку."))

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let health = try global.withClient { client throws(RPCError) in
            try client.call(AdminService.health, HealthRequest())
        }
        // Instants in the schedule's offset, as the daemon formats them (an older daemon sends only
        // the Unix seconds: then UTC).
        let started =
            health.startedAt.isEmpty ? Instant(seconds: health.startedAtUnix).iso(offset: 0) : health.startedAt
        let now = health.now.isEmpty ? Instant(seconds: health.nowUnix).iso(offset: 0) : health.now
        Render.print(global.output) {
            Render.keyValues([
                (Language.text("Daemon", "Демон"), stateText(health.state)),
                (Language.text("Version", "Версия"), health.version),
                (Language.text("Up for", "Работает"), Self.duration(health.uptimeSeconds)),
                (Language.text("Started", "Запущен"), started),
                (Language.text("Schema version", "Версия схемы БД"), String(health.schemaVersion)),
                (Language.text("Connections", "Подключений"), String(health.openConnections)),
                (Language.text("Events", "Событий в журнале"), String(health.eventCount)),
                (
                    Language.text("Clock", "Часы"),
                    (health.clockSimulated ? Language.text("simulated, ", "имитация, ") : "")
                        + now
                ),
                (Language.text("Socket", "Сокет"), global.socketPath),
            ])
        } json: {
            .object([
                ("state", .string(health.state.name)),
                ("version", .string(health.version)),
                ("uptime_seconds", .integer(health.uptimeSeconds)),
                ("started_at", .string(started)),
                ("schema_version", .integer(Int64(health.schemaVersion))),
                ("open_connections", .integer(Int64(health.openConnections))),
                ("event_count", .integer(health.eventCount)),
                ("clock_simulated", .bool(health.clockSimulated)),
                ("now", .string(now)),
                ("socket", .string(global.socketPath)),
            ])
        }
    }

    private func stateText(_ state: HealthResponse.State) -> String {
        switch state {
        case .serving: Language.text("serving", "работает")
        case .draining: Language.text("stopping", "останавливается")
        case .unspecified, .unrecognized: Language.text("unknown", "неизвестно")
        }
    }

    static func duration(_ seconds: Int64) -> String {
        let days = seconds / 86_400, hours = seconds % 86_400 / 3600, minutes = seconds % 3600 / 60, rest = seconds % 60
        let clock = String(format: "%02lld:%02lld:%02lld", hours, minutes, rest)
        return days > 0 ? Language.text("\(days) d ", "\(days) дн ") + clock : clock
    }
}
