import OtklikBase
import OtklikCore
import OtklikStore

/// What the daemon's services and its scheduler work with, built once at start (`Daemon.init`): the
/// store, the compiled schedules, the regulation's profile, the clock, the staff directory, the rights
/// and a logger labelled for each service. One value instead of a bag of the same dependencies in every
/// handler: a new dependency of all of them is one field here.
struct ServiceEnvironment: Sendable {
    let store: Store
    let calendars: CalendarState
    let profile: RegulationProfile
    let clock: DaemonClock
    let directory: DirectoryState
    let authorizer: Authorizer
    let logger: Logger
    /// The breach forecast's last result, shared by every service and the scheduler (issue 31).
    var forecasts = ForecastCache()

    /// The same environment, its log lines labelled `label` (`cases`, `scheduler`, ...).
    func labelled(_ label: String) -> ServiceEnvironment {
        ServiceEnvironment(
            store: store, calendars: calendars, profile: profile, clock: clock, directory: directory,
            authorizer: authorizer, logger: logger.labelled(label), forecasts: forecasts)
    }
}

/// A service (or the scheduler) that reads its dependencies from its `environment` by name.
protocol ServiceEnvironmentReader {
    var environment: ServiceEnvironment { get }
}

extension ServiceEnvironmentReader {
    var store: Store { environment.store }
    var calendars: CalendarState { environment.calendars }
    var profile: RegulationProfile { environment.profile }
    var clock: DaemonClock { environment.clock }
    var directory: DirectoryState { environment.directory }
    var authorizer: Authorizer { environment.authorizer }
    var logger: Logger { environment.logger }

    /// p.18: earlier cases this one may repeat (same author, or a similar text), newest first; none
    /// once it is linked or closed. A hint for the curator, who decides: the candidates the indexes give
    /// (same author, like text, within the profile's window), kept when `Hints.RepeatProbe` agrees; at
    /// most five. Given where a case is read (GetCase, an incident's candidates) and with a live
    /// registration on Watch, never in RegisterMessage's answer (issue 33: a registration answers once
    /// its case is stored).
    func suggestions(for state: CaseState) -> [String] {
        guard state.repeatOf == nil, state.status == .new || state.status == .routed else { return [] }
        let window = Int64(profile.repeatWindowDays) * 86_400
        let candidates = (try? store.repeatCandidates(of: state, window: window)) ?? []
        let probe = Hints.RepeatProbe(state)
        return candidates.filter {
            probe.matches(
                id: $0.id, network: $0.network, authorKey: $0.authorKey, text: $0.text, detectedAt: $0.detectedAt)
        }
        .sorted { ($0.detectedAt, $0.id) > ($1.detectedAt, $1.id) }.prefix(5).map(\.id)
    }
}
