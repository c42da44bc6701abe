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
}
