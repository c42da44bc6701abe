import COtklikSystem
@preconcurrency import Dispatch
public import Foundation
import OtklikAPI
public import OtklikCore
public import OtklikRPC
public import OtklikStore
public import OtklikBase
#if canImport(Glibc)
public import Glibc
#endif

/// Everything `otklikd` is started with.
public struct DaemonConfiguration: Sendable {
    public var socketPath: String
    public var dataDirectory: String
    /// Serve `otklik.v1.Diagnostics` (transport probes for tests and benchmarks).
    public var diagnostics = false
    /// Seed demo data on first start.
    public var demo = false
    public var limits = ServerLimits()
    /// The OS group that may connect (`--group`); nil: the daemon's own group.
    public var socketGroup: UInt32?
    /// How long a graceful stop waits for running calls.
    public var shutdownGrace: Duration = .seconds(1)
    public var logger = Logger(label: "otklikd")
    /// Start a simulated clock at this instant (`--test-clock`); nil for the real clock.
    public var testClockStart: Instant?
    /// Live events a watcher may have waiting before it is told it fell behind.
    public var watchBuffer = 1000
    /// How the database is checked at start (`--startup-check`).
    public var startupCheck = Store.Check.auto
    /// A replicator ships the database and does its checkpoints (`--replicated`).
    public var replicated = false
    /// The replicator's control socket (`--replicator-socket`): how far behind the replica is.
    public var replicatorSocket: String?
    /// Start even though the clock stands before the newest event (`--allow-clock-before-log`).
    public var allowClockBeforeLog = false
    /// The operator's reason for starting with the clock before the newest event, recorded with the
    /// start (`--accept-clock-correction`): the way out after a clock that ran ahead was set right.
    public var clockCorrection: String?
    /// The regulation profile (`--profile FILE`); nil: the shipped `borovichi-34-rg`.
    public var profile: RegulationProfile?
    /// How large an attachment may be, by kind (`--max-photo-size`, ...).
    public var attachmentLimits = AttachmentLimits()

    public init(socketPath: String, dataDirectory: String) {
        self.socketPath = socketPath
        self.dataDirectory = dataDirectory
    }
}

/// The daemon: the store, the services and the RPC server, started and stopped together.
/// Lives outside `main.swift` on purpose: its Dispatch handlers must not be MainActor-isolated.
///
/// `@unchecked Sendable`: `signalSources` is written once by `stopOnSignals` on the starting thread,
/// before any signal can arrive; everything else is immutable or `Locked`.
public final class Daemon: @unchecked Sendable {
    public let configuration: DaemonConfiguration
    public let store: Store
    public let server: RPCServer
    public let clock: DaemonClock
    let calendars: CalendarState
    let directory: DirectoryState
    let profile: RegulationProfile
    /// Every method the server answers (the rights table must name each).
    let servedMethods: [(service: String, method: String)]
    let scheduler: Scheduler
    let hub: EventHub
    /// `--replicated`: the replica's standing and the WAL's valve.
    let replica: ReplicaMonitor?
    /// How each network's connector stands (issue 29).
    let connectors: ConnectorBoard
    /// The database check owed once serving has begun (after a crash), and how it stands.
    let databaseCheck: DeferredDatabaseCheck
    /// How the process ends (`stopOnSignals`): also after the database check found damage.
    private let exitProcess = Locked<(@Sendable (Int32) -> Never)?>(nil)
    /// Every 5 s: connectors gone silent, announced once.
    private let silenceTimer = Locked<(any DispatchSourceTimer)?>(nil)
    private let logger: Logger
    /// Held for the daemon's life: one daemon per data directory.
    let lock: DataDirectoryLock
    /// What the start records of a clock correction the operator accepted (set once in init).
    private let clockCorrection: DaemonStarted.ClockCorrection?
    private var signalSources: [any DispatchSourceSignal] = []
    private let stopped = Locked(false)
    /// Entered by the first `stop`, left when it is over: a second caller waits for it.
    private let stopping = DispatchGroup()

    /// Opens the store (integrity check, migrations) and prepares the services. Nothing listens yet.
    public init(_ configuration: DaemonConfiguration) throws {
        self.configuration = configuration
        logger = configuration.logger
        // Files are created closed to others: group-readable only when staff connect through a group.
        umask(configuration.socketGroup == nil ? 0o077 : 0o027)
        lock = try DataDirectoryLock(directory: configuration.dataDirectory, socketGroup: configuration.socketGroup)
        try lock.checkDatabasePresent()
        if lock.releaseBallastIfFull() {
            configuration.logger.warning(
                "the data disk is full: the \(DataDirectoryLock.ballastBytes >> 20) MiB kept for a start were freed so the daemon can serve; free space on it"
            )
        }
        let profile = try configuration.profile ?? RegulationProfileFile.load()
        store = try Store(
            directory: configuration.dataDirectory, readers: 4, check: configuration.startupCheck,
            replicated: configuration.replicated, urlKey: profile.urlKey)
        lock.markDatabaseCreated()
        logger.info("database check at start: \(store.checkDone)")
        if let note = store.repairNote { logger.warning(note) }
        if let lost = store.lostSinceCleanStop { logger.error(lost) }
        let databaseCheck = DeferredDatabaseCheck(store: store, logger: logger.labelled("check"))
        self.databaseCheck = databaseCheck
        clock = DaemonClock(simulatedStart: configuration.testClockStart)
        clockCorrection = try Self.checkClock(
            clock, store: store, allowed: configuration.allowClockBeforeLog,
            correction: configuration.clockCorrection, logger: configuration.logger)
        try store.seedCalendar(defaults: Schedule.defaults, shipped: ShippedCalendar.load(), now: clock.now)
        let loaded = try store.loadCalendar()
        let calendars = try CalendarState(schedules: loaded.schedules, production: loaded.calendar)
        let directory = DirectoryState(try store.loadDirectory())
        let environment = ServiceEnvironment(
            store: store, calendars: calendars, profile: profile, clock: clock, directory: directory,
            authorizer: Authorizer(directory: directory, clock: clock, logger: logger.labelled("rights")),
            logger: logger)
        self.profile = profile
        self.directory = directory
        self.calendars = calendars
        let files = try Self.openAttachments(configuration, store: store, logger: logger)
        let scheduler = Scheduler(environment: environment.labelled("scheduler"), files: files)
        let hub = EventHub()
        Self.follow(environment, hub: hub, scheduler: scheduler)
        self.scheduler = scheduler
        self.hub = hub
        let serverBox = Locked<RPCServer?>(nil)
        let status = DaemonStatus(
            startedAt: Date(), schemaVersion: store.schemaVersion,
            eventCount: { [store] in (store.eventCount, store.lastEventID) },
            server: {
                let server = serverBox.current
                return (server?.openConnections ?? 0, server.map { $0.phase != .serving } ?? false)
            })
        let replica =
            configuration.replicated
            ? ReplicaMonitor(
                store: store, socketPath: configuration.replicatorSocket, logger: logger.labelled("replica")) : nil
        self.replica = replica
        let connectors = ConnectorBoard(
            store: store, logger: environment.logger.labelled("connectors"), since: clock.now)
        self.connectors = connectors
        let registry = try Self.services(
            configuration, environment, status: status, files: files, hub: hub, scheduler: scheduler, replica: replica,
            connectors: connectors, databaseCheck: databaseCheck)
        servedMethods = registry.methods
        let authorizer = environment.authorizer
        server = RPCServer(
            socketPath: configuration.socketPath, registry: registry, limits: configuration.limits,
            socketGroup: configuration.socketGroup, isKnownPeer: { authorizer.knows(uid: $0.uid) },
            isPrivilegedPeer: { authorizer.superUIDs.contains($0.uid) },
            logger: logger.labelled("rpc"))
        serverBox.withLock { $0 = server }
    }

    /// The attachments' files, with what an earlier run left unfinished removed (uploads, backup copies).
    private static func openAttachments(
        _ configuration: DaemonConfiguration, store: Store, logger: Logger
    ) throws -> AttachmentFiles {
        let files = try AttachmentFiles(dataDirectory: configuration.dataDirectory)
        let leftovers = files.removeLeftovers()
        if leftovers > 0 { logger.info("removed \(leftovers) unfinished upload(s) left by an earlier run") }
        let backups = store.removeBackupLeftovers()
        if backups > 0 {
            logger.info("removed \(backups) backup copy(ies) a stopped backup left in the data directory")
        }
        return files
    }

    /// What follows every commit: the clock index written with the projection, the directory read back
    /// before anyone hears of its change, watchers woken, the scheduler told of changed cases.
    private static func follow(_ environment: ServiceEnvironment, hub: EventHub, scheduler: Scheduler) {
        let store = environment.store, directory = environment.directory
        // Every projection written from here on carries its clock index, computed with these rules.
        store.clockIndexer = scheduler.indexer()
        let directoryLogger = environment.logger.labelled("directory")
        store.onCommitted = { events in
            // A change of the directory is in force before anyone hears of it: a watcher woken by the
            // event checks its rights against the directory that holds it (issue 25, H1).
            if events.contains(where: { $0.subject == Event.directorySubject }) {
                do {
                    directory.replace(try store.loadDirectory())
                } catch {
                    directoryLogger.error("the directory could not be read back after a change: \(error)")
                }
            }
            hub.publish(events)
            // A case changed: its clocks' coming moments change (queued: the scheduler writes too).
            for caseID in Set(events.filter { $0.caseVersion != nil }.map(\.subject)) { scheduler.refresh(caseID) }
        }
    }

    /// Every service the daemon answers, each with the environment labelled for its log lines; rights
    /// are checked in one place, before any handler runs.
    private static func services(
        _ configuration: DaemonConfiguration, _ environment: ServiceEnvironment, status: DaemonStatus,
        files: AttachmentFiles, hub: EventHub, scheduler: Scheduler, replica: ReplicaMonitor?,
        connectors: ConnectorBoard, databaseCheck: DeferredDatabaseCheck
    ) throws -> ServiceRegistry {
        var registry = ServiceRegistry()
        let store = environment.store, profile = environment.profile
        let reference = try environment.calendars.calendar(profile.reply.schedule)
        AdminServiceHandlers(
            status: status, authorizer: environment.authorizer, clock: environment.clock, zone: reference,
            clockMoved: { scheduler.catchUp() }, profileJSON: profile.fileJSON(), replica: replica,
            databaseCheck: databaseCheck
        ).register(in: &registry)
        CalendarServiceHandlers(
            environment: environment.labelled("calendar"), rulesChanged: { scheduler.catchUp(rulesChanged: true) }
        ).register(in: &registry)
        CaseServiceHandlers(
            environment: environment.labelled("cases"), attachmentLimits: configuration.attachmentLimits,
            searches: CallerGate(total: max(1, store.readerCount - 1), perLogin: 1),
            connectors: connectors
        ).register(in: &registry)
        DirectoryServiceHandlers(environment: environment.labelled("directory")).register(in: &registry)
        ReportService(environment: environment.labelled("reports")).register(in: &registry)
        WatchService(environment: environment.labelled("watch"), hub: hub, bufferedEvents: configuration.watchBuffer)
            .register(in: &registry)
        BackupService(environment: environment.labelled("backup"), files: files).register(in: &registry)
        AttachmentServiceHandlers(
            environment: environment.labelled("attachments"), files: files, limits: configuration.attachmentLimits,
            zone: reference.schedule.timeZone ?? .gmt,
            running: UploadLedger(store: store, limits: configuration.attachmentLimits)
        ).register(in: &registry)
        if configuration.diagnostics {
            DiagnosticsServiceHandlers().register(in: &registry)
        }
        let authorizer = environment.authorizer
        registry.guardAll { context in try authorizer.authorize(context) }
        return registry
    }

    /// Why a daemon may not start on this clock.
    public struct ClockBeforeLog: Error, CustomStringConvertible {
        public let now: Instant
        public let newest: Instant

        public var description: String {
            "the clock (\(now.iso(offset: 0))) stands before the newest event in the log (\(newest.iso(offset: 0))); "
                + "time never runs backwards in the log. If the system clock is wrong, set it right (timedatectl) and start again. "
                + "If it is right now and the log's newest events were written while it ran ahead, start once with "
                + "--accept-clock-correction \"REASON\": the start records both instants and the reason, and the log goes on from now"
        }

        /// The exit status of this refusal (EX_CONFIG): the unit does not restart on it
        /// (`RestartPreventExitStatus=78`), since another try only meets the same clock.
        public static let exitStatus: Int32 = 78
    }

    /// Refuses a clock before the newest event: facts would be recorded out of order. With the
    /// operator's `correction` reason the start goes on and returns what it records of it.
    static func checkClock(
        _ clock: DaemonClock, store: Store, allowed: Bool, correction: String?, logger: Logger
    ) throws -> DaemonStarted.ClockCorrection? {
        guard let newest = try store.newestEventTime() else { return nil }
        guard clock.now < newest else { return nil }
        let refusal = ClockBeforeLog(now: clock.now, newest: newest)
        if let correction {
            logger.warning(
                "the clock (\(clock.now.iso(offset: 0))) stands before the newest event (\(newest.iso(offset: 0))); "
                    + "accepted as a correction: \(correction)")
            return DaemonStarted.ClockCorrection(
                newestEvent: newest.iso(offset: 0), clock: clock.now.iso(offset: 0), reason: correction,
                by: IdentityResolver.osUserName(uid: getuid()) ?? "uid \(getuid())")
        }
        guard allowed else { throw refusal }
        logger.warning("\(refusal.description) — starting anyway (--allow-clock-before-log)")
        return nil
    }

    /// Starts listening and records the start in the event log.
    public func start() throws {
        // Connections, uploads and the store together may hold more descriptors than the default soft
        // limit of 1024 (the unit sets LimitNOFILE too): the hard limit is taken, up to 65536.
        let descriptors = otklik_raise_descriptor_limit(65_536)
        if descriptors < 4096 {
            logger.warning(
                "only \(descriptors) open files allowed (ulimit -n); raise the hard limit (LimitNOFILE=65536 in the unit)"
            )
        }
        if configuration.demo {
            try DemoData.seed(store, calendars: calendars, profile: profile, clock: clock, logger: logger)
        }
        scheduler.start()
        replica?.start()
        watchConnectorsSilence()
        if configuration.replicated {
            logger.info(
                "replicated: checkpoints are left to the replicator"
                    + (configuration.replicatorSocket.map { ", asked how the replica stands on \($0)" } ?? ""))
        }
        if clock.isSimulated {
            logger.warning(
                "the clock is simulated: it stands at \(clock.now.iso(offset: 0)) and moves only when told (otklik admin clock)"
            )
        }
        // Recorded before the socket accepts, so a client never sees a log without its start.
        do {
            try store.append([
                Event(
                    time: clock.now, actor: "system", kind: EventKind.daemonStarted,
                    payload: Array(
                        JSONText.encode(DaemonStarted(version: OtklikVersion.current, clockCorrection: clockCorrection))
                    ))
            ])
        } catch {
            // A full disk must not keep the daemon from serving reads; the start is only a log line then.
            logger.error("could not record the start in the event log (\(error)); serving anyway")
        }
        // The ballast back in place before the socket accepts: a start is over when it serves.
        lock.keepBallast()
        try server.start()
        logger.info("otklikd \(OtklikVersion.current) serving on \(configuration.socketPath), data in \(store.path)")
        databaseCheck.start { [self] in stopForDamage() }
    }

    /// The exit status after the check run once serving had begun found damage (EX_TEMPFAIL): the unit
    /// starts the daemon again (`Restart=on-failure`), and that start checks in full before serving,
    /// then mends the file or refuses.
    public static let damageFoundExitStatus: Int32 = 75

    /// Stops as on SIGTERM and ends the process with `damageFoundExitStatus` (only stops when no exit
    /// was given); a stop already under way (a signal) ends the process itself.
    private func stopForDamage() {
        guard stopOnce().first else { return }
        exitProcess.current?(Self.damageFoundExitStatus)
    }

    /// A connector that stops reporting (its process died or hangs) is announced once, as any trouble:
    /// `connector.trouble` with the state `silent`, which the curators' notifier says (issue 29, item 4).
    private func watchConnectorsSilence() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "otklik.connectors"))
        timer.schedule(deadline: .now() + .seconds(5), repeating: .seconds(5), leeway: .seconds(1))
        timer.setEventHandler { [connectors, store, clock, logger] in
            let now = clock.now
            let notices = connectors.silenced(at: now)
            guard !notices.isEmpty else { return }
            for notice in notices {
                logger.warning("connector \(notice.login) (\(notice.network) \(notice.community)) has gone silent")
            }
            do {
                try store.append(
                    notices.map {
                        Event(
                            time: now, actor: "system", kind: EventKind.connectorTrouble,
                            subject: Event.connectorsSubject, payload: Array(JSONText.string($0).utf8))
                    })
            } catch {
                logger.error("a connector's silence could not be logged: \(error)")
            }
        }
        silenceTimer.withLock { $0 = timer }
        timer.resume()
    }

    /// Stops on SIGTERM or SIGINT: stop accepting, let calls finish (bounded), close the database,
    /// then call `exit`. SIGPIPE is ignored so a vanished client is an error code, never a kill.
    public func stopOnSignals(exit: @escaping @Sendable (Int32) -> Never = { Glibc.exit($0) }) {
        signal(SIGPIPE, SIG_IGN)
        exitProcess.withLock { $0 = exit }
        let queue = DispatchQueue(label: "otklik.signals")
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                logger.info("signal \(number == SIGTERM ? "SIGTERM" : "SIGINT"): stopping")
                let (clean, first) = stopOnce()
                // Only the first stop ends the process (found damage may be stopping it already).
                if first { exit(clean ? 0 : 1) }
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Graceful stop. Returns false if running calls outlived the grace period.
    @discardableResult
    public func stop() -> Bool { stopOnce().clean }

    /// The stop, and whether this call did it (`first`) or waited for the one under way.
    private func stopOnce() -> (clean: Bool, first: Bool) {
        let first = stopped.withLock { stopped -> Bool in
            defer { stopped = true }
            if !stopped { stopping.enter() }
            return !stopped
        }
        // A stop under way (SIGTERM while the database check stops the daemon): over before this returns,
        // so neither caller ends the process while the other closes the database.
        guard first else {
            stopping.wait()
            return (true, false)
        }
        defer { stopping.leave() }
        // The scheduler's look in progress ends at its next step while calls finish.
        scheduler.halt()
        // Watchers end at once with where to resume; unary calls get the grace to finish, and at half
        // of it reads still running (a search, an export's page, a report) and uploads waiting for
        // their next chunk are ended, so nothing keeps the stop waiting (issue 25: a stop within 2 s
        // of SIGTERM, whatever runs).
        hub.stop()
        let store = store
        let clean = server.shutdown(
            grace: configuration.shutdownGrace, halfway: { store.interruptReads() },
            endingStreams: RPCError(.unavailable, Refusals.Requests.stopping()))
        scheduler.stop()
        replica?.stop()
        silenceTimer.withLock {
            $0?.cancel()
            $0 = nil
        }
        do {
            try store.append([Event(time: clock.now, actor: "system", kind: EventKind.daemonStopped)])
        } catch {
            logger.error("could not record the stop: \(error)")
        }
        store.close()
        lock.release()
        logger.info("stopped; database closed")
        return (clean, true)
    }
}
