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

    /// Encoded by the generated codec (Generated/rpc.pb.swift).
    public func serializedBytes() -> [UInt8] {
        EnvelopeRequest(
            service: service, method: method, payload: payload, timeoutNano: timeoutNanos,
            metadata: metadata.map { EnvelopeKeyValue(key: $0.key, value: $0.value) }
        ).serializedBytes()
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        let m: EnvelopeRequest
        do {
            m = try EnvelopeRequest(serializedBytes: bytes)
        } catch {
            throw RPCError(.invalidArgument, "cannot decode request envelope: not a valid protobuf message")
        }
        self.init(
            service: m.service, method: m.method, payload: m.payload, timeoutNanos: m.timeoutNano,
            metadata: m.metadata.map { MetadataEntry($0.key, $0.value) })
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

    /// Encoded by the generated codec (Generated/rpc.pb.swift).
    public func serializedBytes() -> [UInt8] {
        EnvelopeResponse(
            status: EnvelopeStatus(
                code: code.rawValue, message: message,
                details: details.map { EnvelopeAny(typeUrl: $0.typeURL, value: $0.value) }),
            payload: payload
        ).serializedBytes()
    }

    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {
        let m: EnvelopeResponse
        do {
            m = try EnvelopeResponse(serializedBytes: bytes)
        } catch {
            throw RPCError(.invalidArgument, "cannot decode response envelope: not a valid protobuf message")
        }
        self.init(payload: m.payload)
        if let status = m.status {
            code = StatusCode(wireValue: status.code)
            message = status.message
            details = status.details.map { AnyMessage(typeURL: $0.typeUrl, value: $0.value) }
        }
    }
}
