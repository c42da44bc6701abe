import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikStore

/// How each network's connector stands, as its last report said (issue 29, `otklik connector list`),
/// one entry per connector: its login, network and community. Kept in memory and, at each change of
/// state (and at most a minute apart otherwise), in the store, so that a restarted daemon still shows a
/// connector that stopped for good and does not announce a trouble twice. A change into trouble (or out
/// of it) is written to the log once, as an event the curators' `watch` and notifier say.
final class ConnectorBoard: Sendable {
    /// A connector's last report, as kept.
    struct Entry: Sendable, Codable {
        var login: String
        var network: String
        var community: String
        var externalPrefix: String
        /// The wire's `ConnectorState` word (`ok`, `network_unreachable`, ...).
        var state: String
        var lastPoll: Int64
        var takenToday: UInt32
        var lastError: String
        var errorAt: Int64
        /// Comments since then may be missing (0 or nil: none); nil in a report kept before it existed.
        var missedSince: Int64?
        var receivedAt: Int64
        /// When it was last written to the store.
        var savedAt: Int64

        var key: String { "\(login)/\(network)/\(community)" }
        var isOK: Bool { state == Wire.ConnectorState.ok.name }
        /// It can publish: it reads its network (ok), or only its intake is held by the daemon's refusal
        /// of what it brings (its publisher posts on).
        var publishes: Bool { isOK || state == Wire.ConnectorState.daemonRefuses.name }

        var report: ConnectorReport {
            var report = ConnectorReport()
            report.network = network
            report.community = community
            report.externalPrefix = externalPrefix
            report.state = Wire.ConnectorState(name: state) ?? .unspecified
            report.lastPollUnix = lastPoll
            report.takenToday = takenToday
            report.lastError = lastError
            report.errorAtUnix = errorAt
            report.missedSinceUnix = missedSince ?? 0
            return report
        }
    }

    /// A connector silent for longer than this is shown as such, and announced once (`silenced`). It
    /// reports after each poll (a long poll waits 25 s) and at least every 20 s; a network that hangs is
    /// reported after its 35 s timeout: 50 s of silence is more than any of those.
    static let silentAfterSeconds: Int64 = 50
    /// A report is written to the store at most this far apart while nothing changes.
    static let saveEverySeconds: Int64 = 60

    private let entries: Locked<[String: Entry]>
    private let store: Store
    private let logger: Logger
    /// When this daemon started: a connector's silence is counted from its last report or from then,
    /// whichever is later (a restarted daemon does not take the time it was down for silence).
    private let since: Int64

    init(store: Store, logger: Logger, since: Instant) {
        self.store = store
        self.logger = logger
        self.since = since.seconds
        var known: [String: Entry] = [:]
        do {
            for (_, json) in try store.connectorReports() {
                if let entry = try? JSONDecoder().decode(Entry.self, from: Data(json.utf8)) { known[entry.key] = entry }
            }
        } catch {
            logger.error("the connectors' last reports could not be read: \(error)")
        }
        entries = Locked(known)
    }

    /// Takes `report` from `login`; returns the notice to log when its state changed into trouble or out
    /// of it (a first report in trouble counts as a change; a first good one does not).
    func take(_ report: ConnectorReport, from login: String, at now: Instant) -> (EventKind, ConnectorNotice)? {
        var entry = Entry(
            login: login, network: report.network, community: report.community, externalPrefix: report.externalPrefix,
            state: report.state.name, lastPoll: report.lastPollUnix, takenToday: report.takenToday,
            lastError: report.lastError, errorAt: report.errorAtUnix, missedSince: report.missedSinceUnix,
            receivedAt: now.seconds, savedAt: 0)
        let (previous, save) = entries.withLock { entries -> (Entry?, Bool) in
            let previous = entries[entry.key]
            let save =
                previous.map { $0.state != entry.state || now.seconds - $0.savedAt >= Self.saveEverySeconds } ?? true
            entry.savedAt = save ? now.seconds : previous?.savedAt ?? 0
            entries[entry.key] = entry
            return (previous, save)
        }
        if save {
            do {
                try store.saveConnectorReport(key: entry.key, json: JSONText.string(entry))
            } catch {
                logger.error("connector \(entry.key): its report could not be kept: \(error)")
            }
        }
        let wasTrouble = previous.map { !$0.isOK } ?? false
        guard !entry.isOK != wasTrouble || (!entry.isOK && previous?.state != entry.state) else { return nil }
        let notice = ConnectorNotice(
            login: login, network: entry.network, community: entry.community, state: entry.state,
            error: entry.lastError)
        return (entry.isOK ? .connectorRecovered : .connectorTrouble, notice)
    }

    /// Connectors that were reading their network and have not reported for `silentAfterSeconds`: each
    /// announced once (its entry kept as `silent`, also in the store, so a restart does not announce it
    /// again); its next report announces the recovery, as after any trouble. Asked every few seconds.
    func silenced(at now: Instant) -> [ConnectorNotice] {
        let silent = Wire.ConnectorState.silent.name
        let found = entries.withLock { entries -> [Entry] in
            var found: [Entry] = []
            for (key, var entry) in entries where entry.isOK && isSilent(entry, at: now) {
                entry.state = silent
                entry.savedAt = now.seconds
                entries[key] = entry
                found.append(entry)
            }
            return found
        }
        return found.map { entry in
            do {
                try store.saveConnectorReport(key: entry.key, json: JSONText.string(entry))
            } catch {
                logger.error("connector \(entry.key): its silence could not be kept: \(error)")
            }
            return ConnectorNotice(
                login: entry.login, network: entry.network, community: entry.community, state: silent,
                error: entry.lastError)
        }
    }

    /// Whether `entry` has not reported for `silentAfterSeconds` (or was announced silent).
    func isSilent(_ entry: Entry, at now: Instant) -> Bool {
        entry.state == Wire.ConnectorState.silent.name
            || now.seconds - max(entry.receivedAt, since) > Self.silentAfterSeconds
    }

    /// Every connector that ever reported, by login, network and community.
    var all: [Entry] {
        entries.withLock { entries in entries.values.sorted { $0.key < $1.key } }
    }

    /// A connector of `network` reading the community of `externalID` now (reported within the silent
    /// limit, its state ok or only its intake held); nil when none is.
    func live(network: String, externalID: String, now: Instant) -> Entry? {
        all.first {
            $0.network == network && !$0.externalPrefix.isEmpty && externalID.hasPrefix($0.externalPrefix)
                && $0.publishes
                && !isSilent($0, at: now)
        }
    }
}

/// Who is posting which publication now (issue 29): a connector claims a reply before each attempt to
/// post it (five minutes, more than an attempt and its pause take; released when it is recorded or
/// fails), so that a second program with the same login never posts it too, and the curator does not
/// publish it by hand while it is on its way; publishing by hand claims it too, for the step's while.
/// Kept in memory: a daemon restart frees every claim (a post in flight then is recorded by its
/// connector all the same, its journal keeping it from posting twice).
final class PublicationClaims: Sendable {
    static let seconds: Int64 = 300

    private let claims = Locked<[String: (holder: String, until: Int64)]>([:])

    /// Claims `assignment` (its canonical id, `AssignmentID.description`) for `holder`: false while another
    /// holder's claim runs.
    func claim(_ assignment: String, by holder: String, at now: Instant) -> Bool {
        claims.withLock { claims in
            if let held = claims[assignment], held.holder != holder, held.until > now.seconds { return false }
            claims[assignment] = (holder, now.seconds + Self.seconds)
            return true
        }
    }

    /// Ends the claim on `assignment` (only `holder`'s, when named).
    func release(_ assignment: String, by holder: String? = nil) {
        claims.withLock { claims in
            if holder == nil || claims[assignment]?.holder == holder { claims.removeValue(forKey: assignment) }
        }
    }
}
