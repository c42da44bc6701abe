import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikStore

/// How each network's connector stands, as its last report said (issue 29, `otklik connector list`).
/// Kept in memory: connectors report at least every 30 seconds, so a restarted daemon knows them again
/// within a minute. A change into trouble (or out of it) is written to the log once, as an event the
/// curators' `watch` and notifier say.
final class ConnectorBoard: Sendable {
    struct Entry: Sendable {
        var report: ConnectorReport
        var receivedAt: Instant
    }

    /// A connector silent for longer than this is shown as such (it reports every 30 s at most apart).
    static let silentAfterSeconds: Int64 = 90

    private let entries = Locked<[String: Entry]>([:])

    /// Takes `report` from `login`; returns the notice to log when its state changed into trouble or out
    /// of it (a first report in trouble counts as a change; a first good one does not).
    func take(_ report: ConnectorReport, from login: String, at now: Instant) -> (EventKind, ConnectorNotice)? {
        let previous = entries.withLock { entries -> Wire.ConnectorState? in
            let before = entries[login]?.report.state
            entries[login] = Entry(report: report, receivedAt: now)
            return before
        }
        let trouble = report.state != .ok
        let wasTrouble = previous.map { $0 != .ok } ?? false
        guard trouble != wasTrouble || (trouble && previous != report.state) else { return nil }
        let notice = ConnectorNotice(
            login: login, network: report.network, community: report.community, state: report.state.name,
            error: String(report.lastError.prefix(500)))
        return (trouble ? .connectorTrouble : .connectorRecovered, notice)
    }

    /// Every connector that reported, by login.
    var all: [(login: String, entry: Entry)] {
        entries.withLock { entries in entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }
}
