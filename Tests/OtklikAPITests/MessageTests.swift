import OtklikAPI
import OtklikCore
import OtklikRPC
import Testing

@Suite struct MessageTests {
    @Test func healthRoundTrips() throws {
        let health = HealthResponse(
            state: .draining, version: "0.1.0", uptimeSeconds: 3661, schemaVersion: 1, openConnections: 3,
            startedAtUnix: 1_764_400_000, eventCount: 42)
        #expect(try HealthResponse(serializedBytes: health.serializedBytes()) == health)
        #expect(try HealthRequest(serializedBytes: HealthRequest().serializedBytes()) == HealthRequest())
    }

    /// Field numbers as in admin.proto: state=1 version=2 uptime_seconds=3 schema_version=4 open_connections=5.
    @Test func healthFieldNumbersMatchTheProto() throws {
        let health = try HealthResponse(serializedBytes: [0x08, 1, 0x12, 1, 0x76, 0x18, 5, 0x20, 1, 0x28, 2])
        #expect(health.state == .serving)
        #expect(health.version == "v")
        #expect(health.uptimeSeconds == 5)
        #expect(health.schemaVersion == 1)
        #expect(health.openConnections == 2)
    }

    @Test func whoAmIRoundTripsWithRoles() throws {
        let me = WhoAmIResponse(
            uid: 1000, gid: 1000, pid: 77, login: "petrova", roles: [.curator, .admin], osUser: "petrova")
        #expect(try WhoAmIResponse(serializedBytes: me.serializedBytes()) == me)
        let nobody = WhoAmIResponse(uid: 5, gid: 5, pid: 1, login: "uid-5", roles: [], osUser: "")
        #expect(try WhoAmIResponse(serializedBytes: nobody.serializedBytes()) == nobody)
    }

    @Test func diagnosticsMessagesRoundTrip() throws {
        let echo = EchoRequest(body: Array("текст".utf8), delayMs: 250)
        #expect(try EchoRequest(serializedBytes: echo.serializedBytes()) == echo)
        #expect(
            try EchoResponse(serializedBytes: EchoResponse(body: [0, 1]).serializedBytes())
                == EchoResponse(body: [0, 1]))
        let count = CountRequest(count: 10, intervalMs: 5, bodySize: 64)
        #expect(try CountRequest(serializedBytes: count.serializedBytes()) == count)
        #expect(
            try CountResponse(serializedBytes: CountResponse(index: 9, body: [7]).serializedBytes())
                == CountResponse(index: 9, body: [7]))
        #expect(try SumRequest(serializedBytes: SumRequest(value: -12).serializedBytes()) == SumRequest(value: -12))
        #expect(
            try SumResponse(serializedBytes: SumResponse(total: 5050, messages: 100).serializedBytes())
                == SumResponse(total: 5050, messages: 100))
    }

    /// A newer peer's enum value (state = 7) decodes as `unrecognized(7)`, is named by its number, and
    /// is sent on unchanged: an old client survives a new value and does not corrupt it.
    @Test func anUnknownEnumValueFromANewerPeerSurvives() throws {
        let health = try HealthResponse(serializedBytes: [0x08, 7, 0x12, 1, 0x76])
        #expect(health.state == .unrecognized(7))
        #expect(health.state.name == "7")
        #expect(health.version == "v")
        #expect(try HealthResponse(serializedBytes: health.serializedBytes()).state == .unrecognized(7))
        #expect(HealthResponse.State(rawValue: 2) == .draining)
        #expect(HealthResponse.State(name: "draining") == .draining)
        #expect(HealthResponse.State(name: "7") == nil)
        #expect(HealthResponse.State.known.map(\.name) == ["unspecified", "serving", "draining"])
    }

    /// `ComputeDueRequest.term` is a oneof: each member round-trips under its own field number, and
    /// no member set stays nil.
    @Test func aOneofRoundTripsEachMemberAndNone() throws {
        let minutes = ComputeDueRequest(fromUnix: 1_780_000_000, schedule: "curator", term: .minutes(-30))
        #expect(try ComputeDueRequest(serializedBytes: minutes.serializedBytes()) == minutes)
        let days = ComputeDueRequest(fromUnix: 1_780_000_000, term: .workingDays(7))
        #expect(try ComputeDueRequest(serializedBytes: days.serializedBytes()) == days)
        // working_days = 3 is field 3, varint: 0x18 0x03.
        #expect(days.serializedBytes().suffix(2) == [0x18, 7])
        let none = ComputeDueRequest(fromUnix: 1_780_000_000)
        #expect(try ComputeDueRequest(serializedBytes: none.serializedBytes()).term == nil)
        #expect(throws: RPCError(.invalidArgument, "give a term: minutes or working_days")) {
            try none.workingTerm()
        }
        #expect(throws: RPCError(.invalidArgument, "working_days must be 1 to 366")) {
            try ComputeDueRequest(fromUnix: 1, term: .workingDays(400)).workingTerm()
        }
    }

    /// The calendar adapters: a schedule and a production calendar year cross the wire and come back
    /// as the same domain values.
    @Test func theCalendarAdaptersRoundTripTheDomain() throws {
        var schedule = Schedule(name: "curator")
        schedule.week[.saturday] = [WorkingInterval(start: 600, end: 840)]
        let view = try ScheduleView(serializedBytes: ScheduleView(schedule, calendarYears: [2026]).serializedBytes())
        #expect(try view.domain() == schedule)
        #expect(view.calendarYears == [2026])
        var bad = view
        bad.week[0].weekday = 9
        #expect(throws: RPCError(.invalidArgument, "weekday 9 is not 1 (Monday) to 7 (Sunday)")) {
            try bad.domain()
        }
        let year = ProductionCalendarYear(
            year: 2026, source: "decree", holidays: [LocalDate(iso: "2026-01-01")!],
            shortened: [LocalDate(iso: "2026-04-30")!: 60], notes: [LocalDate(iso: "2026-01-01")!: "New Year"])
        let wire = try CalendarYear(serializedBytes: CalendarYear(year).serializedBytes())
        #expect(try wire.domain() == year)
    }

    @Test func undecodableBytesAreInvalidArgumentNamingTheMessage() {
        #expect(
            throws: RPCError(.invalidArgument, "cannot decode otklik.v1.WhoAmIResponse: not a valid protobuf message")
        ) {
            try WhoAmIResponse(serializedBytes: [0x22, 0x40, 0x41])
        }
    }
}

@Suite struct SocketLocationTests {
    @Test func daemonPrefersFlagThenEnvironmentThenDemoOrSystem() {
        #expect(
            SocketLocation.forDaemon(flag: "/x.sock", demo: true, environment: ["OTKLIK_SOCKET": "/e.sock"])
                == "/x.sock")
        #expect(SocketLocation.forDaemon(flag: nil, demo: true, environment: ["OTKLIK_SOCKET": "/e.sock"]) == "/e.sock")
        #expect(SocketLocation.forDaemon(flag: nil, demo: true, environment: [:]) == ".otklik/otklik.sock")
        #expect(SocketLocation.forDaemon(flag: nil, demo: false, environment: [:]) == "/run/otklik/otklik.sock")
    }

    @Test func clientFindsTheDemoSocketWhenItExists() {
        #expect(SocketLocation.forClient(flag: nil, environment: [:], exists: { _ in true }) == ".otklik/otklik.sock")
        #expect(
            SocketLocation.forClient(flag: nil, environment: [:], exists: { _ in false }) == "/run/otklik/otklik.sock")
        #expect(
            SocketLocation.forClient(flag: nil, environment: ["OTKLIK_SOCKET": "/e.sock"], exists: { _ in true })
                == "/e.sock")
        #expect(SocketLocation.forClient(flag: "/f.sock", environment: ["OTKLIK_SOCKET": "/e.sock"]) == "/f.sock")
    }
}
