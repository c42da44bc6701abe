import COtklikProto
import CProtobufC

/// A metadata pair of a request (`KeyValue`; keys may repeat).
public struct MetadataEntry: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// The payload of a request frame: which method, its argument, deadline and metadata.
public struct RequestEnvelope: Sendable, Equatable {
    public var service: String
    public var method: String
    public var payload: [UInt8]
    /// Relative deadline in nanoseconds; 0 means none.
    public var timeoutNanos: Int64
    public var metadata: [MetadataEntry]

    public init(
        service: String, method: String, payload: [UInt8], timeoutNanos: Int64 = 0, metadata: [MetadataEntry] = []
    ) {
        self.service = service
        self.method = method
        self.payload = payload
        self.timeoutNanos = timeoutNanos
        self.metadata = metadata
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var message = Otklik__Rpc__V1__Request()
        otklik__rpc__v1__request__init(&message)
        message.service = arena.string(service)
        message.method = arena.string(method)
        message.payload = arena.bytes(payload)
        message.timeout_nano = timeoutNanos
        let pairs: [Otklik__Rpc__V1__KeyValue] = metadata.map { entry in
            var pair = Otklik__Rpc__V1__KeyValue()
            otklik__rpc__v1__key_value__init(&pair)
            pair.key = arena.string(entry.key)
            pair.value = arena.string(entry.value)
            return pair
        }
        message.n_metadata = pairs.count
        message.metadata = arena.boxes(pairs)
        return ProtobufC.pack(&message)
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: "request envelope",
            unpack: otklik__rpc__v1__request__unpack, free: otklik__rpc__v1__request__free_unpacked
        ) { message in
            let m = message.pointee
            var metadata: [MetadataEntry] = []
            metadata.reserveCapacity(m.n_metadata)
            for index in 0..<m.n_metadata {
                guard let pair = m.metadata[index]?.pointee else { continue }
                metadata.append(MetadataEntry(ProtobufC.string(pair.key), ProtobufC.string(pair.value)))
            }
            return RequestEnvelope(
                service: ProtobufC.string(m.service),
                method: ProtobufC.string(m.method),
                payload: ProtobufC.bytes(m.payload),
                timeoutNanos: m.timeout_nano,
                metadata: metadata
            )
        }
    }
}

/// The payload of a response frame: the final status of a call and, when it is OK, its result.
public struct ResponseEnvelope: Sendable, Equatable {
    public var code: StatusCode
    public var message: String
    public var details: [AnyMessage]
    public var payload: [UInt8]

    public init(code: StatusCode = .ok, message: String = "", details: [AnyMessage] = [], payload: [UInt8] = []) {
        self.code = code
        self.message = message
        self.details = details
        self.payload = payload
    }

    public init(error: RPCError) {
        self.init(code: error.code, message: error.message, details: error.details)
    }

    /// The call's outcome: the payload, or the error the status describes.
    public var result: Result<[UInt8], RPCError> {
        code == .ok ? .success(payload) : .failure(RPCError(code, message, details: details))
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        var status = Otklik__Rpc__V1__Status()
        otklik__rpc__v1__status__init(&status)
        status.code = code.rawValue
        status.message = arena.string(message)
        let anys: [Otklik__Rpc__V1__Any] = details.map { detail in
            var any = Otklik__Rpc__V1__Any()
            otklik__rpc__v1__any__init(&any)
            any.type_url = arena.string(detail.typeURL)
            any.value = arena.bytes(detail.value)
            return any
        }
        status.n_details = anys.count
        status.details = arena.boxes(anys)
        var response = Otklik__Rpc__V1__Response()
        otklik__rpc__v1__response__init(&response)
        response.status = arena.box(status)
        response.payload = arena.bytes(payload)
        return ProtobufC.pack(&response)
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        self = try ProtobufC.unpack(
            bytes, as: "response envelope",
            unpack: otklik__rpc__v1__response__unpack, free: otklik__rpc__v1__response__free_unpacked
        ) { message in
            let m = message.pointee
            var response = ResponseEnvelope(payload: ProtobufC.bytes(m.payload))
            if let status = m.status?.pointee {
                response.code = StatusCode(wireValue: status.code)
                response.message = ProtobufC.string(status.message)
                for index in 0..<status.n_details {
                    guard let any = status.details[index]?.pointee else { continue }
                    response.details.append(
                        AnyMessage(typeURL: ProtobufC.string(any.type_url), value: ProtobufC.bytes(any.value)))
                }
            }
            return response
        }
    }
}
