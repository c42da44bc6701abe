import COtklikProto
import CProtobufC
import OtklikRPC

/// `otklik.v1.Diagnostics`: transport probes (echo, a server stream, a client stream), served only
/// when the daemon runs with `--diagnostics`.
public enum Diagnostics {
    public static let service = "otklik.v1.Diagnostics"
    public static let echo = Method<EchoRequest, EchoResponse>(service: service, name: "Echo")
    public static let count = Method<CountRequest, CountResponse>(service: service, name: "Count")
    public static let sum = Method<SumRequest, SumResponse>(service: service, name: "Sum")
}

public struct EchoRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.EchoRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__echo_request__descriptor }
    public var body: [UInt8]
    public var delayMilliseconds: UInt32

    public init(body: [UInt8] = [], delayMilliseconds: UInt32 = 0) {
        self.body = body
        self.delayMilliseconds = delayMilliseconds
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__echo_request__unpack,
            free: otklik__v1__echo_request__free_unpacked
        ) { m in EchoRequest(body: ProtobufC.bytes(m.pointee.body), delayMilliseconds: m.pointee.delay_ms) }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var message = Otklik__V1__EchoRequest()
        otklik__v1__echo_request__init(&message)
        message.body = arena.bytes(body)
        message.delay_ms = delayMilliseconds
        return ProtobufC.pack(&message)
    }
}

public struct EchoResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.EchoResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__echo_response__descriptor }
    public var body: [UInt8]

    public init(body: [UInt8] = []) {
        self.body = body
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__echo_response__unpack,
            free: otklik__v1__echo_response__free_unpacked
        ) { m in EchoResponse(body: ProtobufC.bytes(m.pointee.body)) }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var message = Otklik__V1__EchoResponse()
        otklik__v1__echo_response__init(&message)
        message.body = arena.bytes(body)
        return ProtobufC.pack(&message)
    }
}

public struct CountRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.CountRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__count_request__descriptor }
    public var count: UInt32
    public var intervalMilliseconds: UInt32
    public var bodySize: UInt32

    public init(count: UInt32, intervalMilliseconds: UInt32 = 0, bodySize: UInt32 = 0) {
        self.count = count
        self.intervalMilliseconds = intervalMilliseconds
        self.bodySize = bodySize
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__count_request__unpack,
            free: otklik__v1__count_request__free_unpacked
        ) { m in
            CountRequest(
                count: m.pointee.count, intervalMilliseconds: m.pointee.interval_ms, bodySize: m.pointee.body_size)
        }
    }

    public func serializedBytes() -> [UInt8] {
        var message = Otklik__V1__CountRequest()
        otklik__v1__count_request__init(&message)
        message.count = count
        message.interval_ms = intervalMilliseconds
        message.body_size = bodySize
        return ProtobufC.pack(&message)
    }
}

public struct CountResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.CountResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__count_response__descriptor }
    public var index: UInt32
    public var body: [UInt8]

    public init(index: UInt32, body: [UInt8] = []) {
        self.index = index
        self.body = body
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__count_response__unpack,
            free: otklik__v1__count_response__free_unpacked
        ) { m in CountResponse(index: m.pointee.index, body: ProtobufC.bytes(m.pointee.body)) }
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var message = Otklik__V1__CountResponse()
        otklik__v1__count_response__init(&message)
        message.index = index
        message.body = arena.bytes(body)
        return ProtobufC.pack(&message)
    }
}

public struct SumRequest: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.SumRequest"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__sum_request__descriptor }
    public var value: Int64

    public init(value: Int64) {
        self.value = value
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__sum_request__unpack,
            free: otklik__v1__sum_request__free_unpacked
        ) { m in SumRequest(value: m.pointee.value) }
    }

    public func serializedBytes() -> [UInt8] {
        var message = Otklik__V1__SumRequest()
        otklik__v1__sum_request__init(&message)
        message.value = value
        return ProtobufC.pack(&message)
    }
}

public struct SumResponse: ProtoMessage, Equatable {
    public static let protoName = "otklik.v1.SumResponse"
    public static var cDescriptor: ProtobufCMessageDescriptor { otklik__v1__sum_response__descriptor }
    public var total: Int64
    public var messages: UInt32

    public init(total: Int64, messages: UInt32) {
        self.total = total
        self.messages = messages
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: Self.protoName, unpack: otklik__v1__sum_response__unpack,
            free: otklik__v1__sum_response__free_unpacked
        ) { m in SumResponse(total: m.pointee.total, messages: m.pointee.messages) }
    }

    public func serializedBytes() -> [UInt8] {
        var message = Otklik__V1__SumResponse()
        otklik__v1__sum_response__init(&message)
        message.total = total
        message.messages = messages
        return ProtobufC.pack(&message)
    }
}
