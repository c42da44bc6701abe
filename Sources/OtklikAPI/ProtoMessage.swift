import CProtobufC
import OtklikRPC

/// A message of the service contract as a Swift value, with its protobuf-c codec.
public protocol ProtoMessage: Sendable {
    /// The full proto name, e.g. `otklik.v1.HealthResponse`; used in error messages.
    static var protoName: String { get }
    /// protoc-c's descriptor of the message, for `WireBounds`.
    static var cDescriptor: ProtobufCMessageDescriptor { get }
    init(serializedBytes: [UInt8]) throws(RPCError)
    func serializedBytes() -> [UInt8]
}

/// A method of the contract: where it lives and what it takes and returns.
public struct Method<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    public let service: String
    public let name: String

    public init(service: String, name: String) {
        self.service = service
        self.name = name
    }
}

extension RPCClient {
    /// Calls a unary method of the contract with typed messages.
    public func call<Request, Response>(
        _ method: Method<Request, Response>, _ request: Request, timeout: Duration? = nil
    ) throws(RPCError) -> Response {
        let bytes = try call(
            service: method.service, method: method.name, payload: request.serializedBytes(), timeout: timeout)
        return try Response(serializedBytes: bytes)
    }

    public func call<Request, Response>(
        _ method: Method<Request, Response>, _ request: Request, timeout: Duration? = nil
    ) async throws(RPCError) -> Response {
        let bytes = try await call(
            service: method.service, method: method.name, payload: request.serializedBytes(), timeout: timeout)
        return try Response(serializedBytes: bytes)
    }
}

extension ServiceRegistry {
    /// Registers a unary handler that works on typed messages.
    public mutating func unary<Request, Response>(
        _ method: Method<Request, Response>, placement: UnaryPlacement,
        _ body: @escaping @Sendable (ServerContext, Request) throws -> Response
    ) {
        register(
            service: method.service, method: method.name,
            .unary(placement: placement) { context, bytes in
                try body(context, Request(checked: bytes)).serializedBytes()
            })
    }
}

extension ProtoMessage {
    /// Decodes a request from outside after `WireBounds` has checked every value in it: what
    /// handlers and streaming bodies use, never the plain `init(serializedBytes:)`.
    public init(checked bytes: [UInt8]) throws(RPCError) {
        try WireBounds.check(bytes, as: Self.self)
        try self.init(serializedBytes: bytes)
    }
}
