import COtklikProto
import CProtobufC
import OtklikRPC

/// `otklik.v1.Admin`: the daemon's own state and the caller's identity.
public enum Admin {
    public static let service = "otklik.v1.Admin"
    public static let health = Method<HealthRequest, HealthResponse>(service: service, name: "Health")
    public static let whoAmI = Method<WhoAmIRequest, WhoAmIResponse>(service: service, name: "WhoAmI")
    public static let setClock = Method<SetClockRequest, ClockResponse>(service: service, name: "SetClock")
    public static let advanceClock = Method<AdvanceClockRequest, ClockResponse>(service: service, name: "AdvanceClock")
}

public struct HealthRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.HealthRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__health_request__descriptor }
    public init() {}

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        try ProtobufC.unpack(
            bytes, as: Self.protoName,
            unpack: otklik__v1__health_request__unpack, free: otklik__v1__health_request__free_unpacked
        ) { _ in }
    }

    public func serializedBytes() -> [UInt8] {
        var message = Otklik__V1__HealthRequest()
        otklik__v1__health_request__init(&message)
        return ProtobufC.pack(&message)
    }
}

public struct HealthResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.HealthResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__health_response__descriptor }

    public enum State: Int32, Sendable, CaseIterable {
        case unspecified = 0
        case serving = 1
        case draining = 2

        public var name: String {
            switch self {
            case .unspecified: "unknown"
            case .serving: "serving"
            case .draining: "draining"
            }
        }
    }

    public var state: State
    public var version: String
    public var uptimeSeconds: Int64
    public var schemaVersion: Int32
    public var openConnections: Int32
    public var startedAtUnix: Int64
    public var eventCount: Int64
    public var clockSimulated: Bool
    public var nowUnix: Int64
    public var lastSequence: Int64

    public init(
        state: State, version: String, uptimeSeconds: Int64, schemaVersion: Int32, openConnections: Int32,
        startedAtUnix: Int64, eventCount: Int64, clockSimulated: Bool = false, nowUnix: Int64 = 0,
        lastSequence: Int64 = 0
    ) {
        self.state = state
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.schemaVersion = schemaVersion
        self.openConnections = openConnections
        self.startedAtUnix = startedAtUnix
        self.eventCount = eventCount
        self.clockSimulated = clockSimulated
        self.nowUnix = nowUnix
        self.lastSequence = lastSequence
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName,
            unpack: otklik__v1__health_response__unpack, free: otklik__v1__health_response__free_unpacked
        ) { message in
            let m = message.pointee
            return HealthResponse(
                state: State(rawValue: Int32(m.state.rawValue)) ?? .unspecified,
                version: ProtobufC.string(m.version),
                uptimeSeconds: m.uptime_seconds,
                schemaVersion: m.schema_version,
                openConnections: m.open_connections,
                startedAtUnix: m.started_at_unix,
                eventCount: m.event_count,
                clockSimulated: m.clock_simulated != 0,
                nowUnix: m.now_unix,
                lastSequence: m.last_sequence)
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var message = Otklik__V1__HealthResponse()
        otklik__v1__health_response__init(&message)
        message.state = Otklik__V1__HealthResponse__State(rawValue: UInt32(bitPattern: state.rawValue))
        message.version = arena.string(version)
        message.uptime_seconds = uptimeSeconds
        message.schema_version = schemaVersion
        message.open_connections = openConnections
        message.started_at_unix = startedAtUnix
        message.event_count = eventCount
        message.clock_simulated = clockSimulated ? 1 : 0
        message.now_unix = nowUnix
        message.last_sequence = lastSequence
        return ProtobufC.pack(&message)
    }
}

public struct WhoAmIRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.WhoAmIRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__who_am_irequest__descriptor }
    public init() {}

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        try ProtobufC.unpack(
            bytes, as: Self.protoName,
            unpack: otklik__v1__who_am_irequest__unpack, free: otklik__v1__who_am_irequest__free_unpacked
        ) { _ in }
    }

    public func serializedBytes() -> [UInt8] {
        var message = Otklik__V1__WhoAmIRequest()
        otklik__v1__who_am_irequest__init(&message)
        return ProtobufC.pack(&message)
    }
}

public struct WhoAmIResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.WhoAmIResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__who_am_iresponse__descriptor }

    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    public var login: String
    public var roles: [String]
    public var osUser: String

    public init(uid: UInt32, gid: UInt32, pid: Int32, login: String, roles: [String], osUser: String) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.login = login
        self.roles = roles
        self.osUser = osUser
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName,
            unpack: otklik__v1__who_am_iresponse__unpack, free: otklik__v1__who_am_iresponse__free_unpacked
        ) { message in
            let m = message.pointee
            return WhoAmIResponse(
                uid: m.uid, gid: m.gid, pid: m.pid, login: ProtobufC.string(m.login),
                roles: ProtobufC.strings(m.roles, count: m.n_roles), osUser: ProtobufC.string(m.os_user))
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var message = Otklik__V1__WhoAmIResponse()
        otklik__v1__who_am_iresponse__init(&message)
        message.uid = uid
        message.gid = gid
        message.pid = pid
        message.login = arena.string(login)
        message.n_roles = roles.count
        message.roles = arena.strings(roles)
        message.os_user = arena.string(osUser)
        return ProtobufC.pack(&message)
    }
}

public struct SetClockRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.SetClockRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__set_clock_request__descriptor }
    public var now: Int64

    public init(now: Int64) { self.now = now }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__set_clock_request__unpack,
            free: otklik__v1__set_clock_request__free_unpacked
        ) { m in SetClockRequest(now: m.pointee.now_unix) }
    }

    public func serializedBytes() -> [UInt8] {
        var message = Otklik__V1__SetClockRequest()
        otklik__v1__set_clock_request__init(&message)
        message.now_unix = now
        return ProtobufC.pack(&message)
    }
}

public struct AdvanceClockRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.AdvanceClockRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__advance_clock_request__descriptor }
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__advance_clock_request__unpack,
            free: otklik__v1__advance_clock_request__free_unpacked
        ) { m in AdvanceClockRequest(seconds: m.pointee.seconds) }
    }

    public func serializedBytes() -> [UInt8] {
        var message = Otklik__V1__AdvanceClockRequest()
        otklik__v1__advance_clock_request__init(&message)
        message.seconds = seconds
        return ProtobufC.pack(&message)
    }
}

public struct ClockResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.ClockResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__clock_response__descriptor }
    public var now: Int64
    public var nowText: String
    public var simulated: Bool

    public init(now: Int64, nowText: String, simulated: Bool) {
        self.now = now
        self.nowText = nowText
        self.simulated = simulated
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__clock_response__unpack,
            free: otklik__v1__clock_response__free_unpacked
        ) { m in
            ClockResponse(
                now: m.pointee.now_unix, nowText: ProtobufC.string(m.pointee.now), simulated: m.pointee.simulated != 0)
        }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var message = Otklik__V1__ClockResponse()
        otklik__v1__clock_response__init(&message)
        message.now_unix = now
        message.now = arena.string(nowText)
        message.simulated = simulated ? 1 : 0
        return ProtobufC.pack(&message)
    }
}
