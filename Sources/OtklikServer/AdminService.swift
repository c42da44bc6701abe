import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC

/// `otklik.v1.Admin`. Both calls answer from memory, on the connection's queue (no I/O).
struct AdminServiceHandlers {
    let status: DaemonStatus
    let authorizer: Authorizer
    let clock: DaemonClock
    let zone: WorkingCalendar
    /// Called after the test clock moved: the scheduler acts on what became due.
    let clockMoved: @Sendable () -> Void
    /// The regulation profile in force, as its file spells it (the p.20 markers as they are compared).
    let profileJSON: String
    /// `--replicated`: how the replica stands (nil: not replicated).
    let replica: ReplicaMonitor?
    /// The database check owed once serving has begun.
    let databaseCheck: DeferredDatabaseCheck

    func register(in registry: inout ServiceRegistry) {
        registry.unary(AdminService.health, placement: .inline) { _, _ in health() }
        registry.unary(AdminService.whoAmI, placement: .inline) { context, _ in try whoAmI(context) }
        registry.unary(AdminService.getProfile, placement: .inline) { _, _ in GetProfileResponse(json: profileJSON) }
        // Moving the clock fires what became due (the scheduler writes to the store): not inline.
        registry.unary(AdminService.setClock, placement: .pool) { context, request in
            try changeClock(context) { last throws(DaemonClock.ChangeError) in
                try clock.set(Instant(seconds: request.nowUnix), notAfter: last)
            }
        }
        registry.unary(AdminService.advanceClock, placement: .pool) { context, request in
            try changeClock(context) { last throws(DaemonClock.ChangeError) in
                try clock.advance(seconds: request.seconds, notAfter: last)
            }
        }
    }

    private func changeClock(_ context: ServerContext, _ change: (Instant) throws(DaemonClock.ChangeError) -> Instant)
        throws(RPCError) -> ClockResponse
    {
        do {
            // The clock stays within the years working time is computed for, or no clock could be read.
            // Safe to unwrap: January 1 is a date of every year.
            let last = LocalDate(year: zone.years.upperBound + 1, month: 1, day: 1)!.instant(in: zone.timeZone) - 1
            let now = try change(last)
            clockMoved()
            return ClockResponse(
                nowUnix: now.seconds, now: zone.text(now), simulated: true)
        } catch .notSimulated {
            throw RPCError(.failedPrecondition, Refusals.Admin.realClock())
        } catch .beyond(let last) {
            throw RPCError(.outOfRange, Refusals.Admin.clockBeyondYears(["last": zone.text(last)]))
        } catch {
            throw RPCError(.invalidArgument, Refusals.Admin.clockBackwards())
        }
    }

    func health() -> HealthResponse {
        let snapshot = status.snapshot()
        let started = Instant(seconds: Int64(snapshot.startedAt.timeIntervalSince1970))
        let reading = replica?.reading
        let check = databaseCheck.reading
        return HealthResponse(
            state: snapshot.draining ? .draining : .serving,
            version: OtklikVersion.current,
            uptimeSeconds: Int64(Date().timeIntervalSince(snapshot.startedAt)),
            schemaVersion: Int32(snapshot.schemaVersion),
            openConnections: Int32(snapshot.openConnections),
            startedAtUnix: started.seconds,
            eventCount: snapshot.eventCount,
            clockSimulated: clock.isSimulated,
            nowUnix: clock.now.seconds,
            lastSequence: snapshot.lastSequence,
            startedAt: zone.text(started),
            now: zone.text(clock.now),
            replicated: replica != nil,
            replicaState: reading?.state ?? .unspecified,
            replicaSyncedAtUnix: reading?.syncedAt.map { Int64($0) } ?? 0,
            replicaSyncedAt: reading?.syncedAt.map { zone.text(Instant(seconds: Int64($0))) } ?? "",
            replicaBehindSeconds: reading?.pendingSince.map { max(0, Int64(Date().timeIntervalSince1970 - $0)) } ?? 0,
            walBytes: reading?.walBytes ?? 0,
            databaseCheck: check.state, databaseCheckFull: check.full, databaseCheckSeconds: check.seconds)
    }

    func whoAmI(_ context: ServerContext) throws(RPCError) -> WhoAmIResponse {
        let caller = try context.caller
        let peer = context.peer
        return WhoAmIResponse(
            uid: peer.uid, gid: peer.gid, pid: peer.pid, login: caller.login,
            roles: caller.access.roles.sorted().map(Wire.Role.init),
            osUser: authorizer.osUserName(peer.uid) ?? "")
    }
}

/// What Health reports, gathered from the parts that know it.
final class DaemonStatus: Sendable {
    struct Snapshot {
        var startedAt: Date
        var schemaVersion: Int
        var eventCount: Int64
        var lastSequence: Int64
        var openConnections: Int
        var draining: Bool
    }

    let startedAt: Date
    let schemaVersion: Int
    private let eventCount: @Sendable () -> (count: Int64, last: Int64)
    private let server: @Sendable () -> (open: Int, draining: Bool)

    init(
        startedAt: Date, schemaVersion: Int, eventCount: @escaping @Sendable () -> (count: Int64, last: Int64),
        server: @escaping @Sendable () -> (open: Int, draining: Bool)
    ) {
        self.startedAt = startedAt
        self.schemaVersion = schemaVersion
        self.eventCount = eventCount
        self.server = server
    }

    func snapshot() -> Snapshot {
        let server = server()
        let events = eventCount()
        return Snapshot(
            startedAt: startedAt, schemaVersion: schemaVersion, eventCount: events.count, lastSequence: events.last,
            openConnections: server.open, draining: server.draining)
    }
}
