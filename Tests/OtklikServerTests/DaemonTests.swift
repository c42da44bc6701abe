import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
@testable import OtklikServer
import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
import OtklikBase
#endif

/// An in-process daemon on a private socket and data directory, and a client connected to it.
func startDaemon(diagnostics: Bool = false, testClock: Instant? = nil) throws -> (Daemon, RPCClient) {
    let directory = privateDirectory()
    var configuration = DaemonConfiguration(socketPath: directory + "/s.sock", dataDirectory: directory + "/data")
    configuration.logger = .silent
    configuration.diagnostics = diagnostics
    configuration.testClockStart = testClock
    let daemon = try Daemon(configuration)
    try daemon.start()
    return (daemon, try RPCClient(socketPath: configuration.socketPath))
}

@Suite struct AdminServiceTests {
    @Test func healthReportsVersionSchemaEventsAndConnections() throws {
        let (daemon, client) = try startDaemon()
        defer { client.close(); daemon.stop() }
        let health = try client.call(AdminService.health, HealthRequest())
        #expect(health.state == .serving)
        #expect(health.version == OtklikVersion.current)
        #expect(health.schemaVersion == Int32(daemon.store.schemaVersion))
        #expect(health.eventCount == Int64(try daemon.store.events().count))  // calendar.shipped, daemon.started
        #expect(health.eventCount == 2)
        #expect(health.openConnections == 1)
        #expect(abs(Double(health.startedAtUnix) - Date().timeIntervalSince1970) < 60)
    }

    @Test func whoAmIMapsTheDaemonsOwnUserToAnAdmin() throws {
        let (daemon, client) = try startDaemon()
        defer { client.close(); daemon.stop() }
        let me = try client.call(AdminService.whoAmI, WhoAmIRequest())
        #expect(me.uid == getuid())
        #expect(me.pid == getpid())
        #expect(me.login == IdentityResolver.osUserName(uid: getuid()))
        #expect(me.roles == [.admin])
    }

    @Test func diagnosticsAreServedOnlyWhenAskedFor() throws {
        let (daemon, client) = try startDaemon()
        defer { client.close(); daemon.stop() }
        do {
            _ = try client.call(DiagnosticsService.echo, EchoRequest(body: [1]))
            Issue.record("diagnostics served without --diagnostics")
        } catch {
            #expect(error.code == .unimplemented)
        }
    }

    @Test func demoDataIsSeededOnce() throws {
        let directory = privateDirectory()
        var configuration = DaemonConfiguration(socketPath: directory + "/s.sock", dataDirectory: directory + "/data")
        configuration.logger = .silent
        configuration.demo = true
        for _ in 0..<2 {
            let daemon = try Daemon(configuration)
            try daemon.start()
            daemon.stop()
        }
        let store = try Store(directory: configuration.dataDirectory)
        defer { store.close() }
        #expect(try store.count(kind: .demoSeeded) == 1)
        #expect(try store.count(kind: .daemonStarted) == 2)
        #expect(try store.count(kind: .daemonStopped) == 2)
    }

    /// Every event the daemon writes (directory, calendar, schedules, cases, the daemon's own) has its
    /// kind's Codable payload: the log reads back as typed values, kind by kind.
    @Test func everyEventInTheLogDecodesAsItsKindsPayload() throws {
        let directory = privateDirectory()
        var configuration = DaemonConfiguration(socketPath: directory + "/s.sock", dataDirectory: directory + "/data")
        configuration.logger = .silent
        configuration.demo = true
        let daemon = try Daemon(configuration)
        try daemon.start()
        daemon.stop()
        let store = try Store(directory: configuration.dataDirectory)
        defer { store.close() }
        let events = try store.events(limit: 10_000)
        var kinds: Set<EventKind> = []
        for event in events {
            let kind = try #require(event.kind.known, "\(event.kind)")
            kinds.insert(kind)
            guard let type = kind.payloadType else {
                #expect(event.payload.isEmpty, "\(event.kind)")
                continue
            }
            #expect(throws: Never.self, "\(event.kind) \(String(decoding: event.payload, as: UTF8.self))") {
                _ = try JSONDecoder().decode(type, from: Data(event.payload))
            }
        }
        #expect(
            kinds.isSuperset(of: [
                .registered, .routed, .unitPut, .staffPut, .calendarShipped, .daemonStarted, .demoSeeded,
            ]))
    }
}

@Suite struct DiagnosticsTests {
    @Test func echoCountAndSumWorkEndToEnd() throws {
        let (daemon, client) = try startDaemon(diagnostics: true)
        defer { client.close(); daemon.stop() }
        #expect(
            try client.call(DiagnosticsService.echo, EchoRequest(body: Array("эхо".utf8))).body == Array("эхо".utf8))
        // The typed stream helpers the generated ServerStreamingMethod / ClientStreamingMethod offer.
        let stream = client.serverStream(DiagnosticsService.count, CountRequest(count: 5, bodySize: 3))
        var indices: [UInt32] = []
        while let message = try stream.next() { indices.append(message.index) }
        #expect(indices == [0, 1, 2, 3, 4])
        let sum = client.clientStream(DiagnosticsService.sum)
        for value in [5, -2, 40] as [Int64] { try sum.send(SumRequest(value: value)) }
        #expect(try sum.finish() == SumResponse(total: 43, messages: 3))
    }

    @Test func probesRefuseArgumentsOverTheirBounds() throws {
        let (daemon, client) = try startDaemon(diagnostics: true)
        defer { client.close(); daemon.stop() }
        #expect(throws: RPCError(.invalidArgument, "delay_ms: 60001 is outside 0...60000")) {
            try client.call(DiagnosticsService.echo, EchoRequest(delayMs: 60_001))
        }
        let stream = client.serverStream(
            service: DiagnosticsService.service, method: DiagnosticsService.count.name,
            payload: CountRequest(count: 1_000_000).serializedBytes())
        #expect(throws: RPCError(.invalidArgument, "count: 1000000 is outside 0...100000")) { try stream.next() }
    }
}
