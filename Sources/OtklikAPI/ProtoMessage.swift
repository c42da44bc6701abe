import CProtobufC
import OtklikCore
public import OtklikRPC

/// The namespace of the contract's top-level enums (words.proto): `Wire.CaseState` beside the
/// domain's `CaseState`, converted by the adapters.
public enum Wire {}

/// A generated proto enum: its known values, its number, and its name (the proto value without the
/// enum's prefix, in lower case); a value this build does not know keeps its number.
public protocol WireEnum: Sendable, Hashable, CustomStringConvertible {
    static var known: [Self] { get }
    init(rawValue: Int32)
    var rawValue: Int32 { get }
    var name: String { get }
    init?(name: String)
}

/// The shapes of a call, as phantom types of `RPCMethod`.
public enum Unary {}
public enum ServerStreaming {}
public enum ClientStreaming {}

/// A method of the contract: where it lives, what it takes and returns, and its shape.
public struct RPCMethod<Request: ProtoMessage, Response: ProtoMessage, Shape>: Sendable {
    public let service: String
    public let name: String

    public init(service: String, name: String) {
        self.service = service
        self.name = name
    }
}

/// One request, one response.
public typealias Method<Request: ProtoMessage, Response: ProtoMessage> = RPCMethod<Request, Response, Unary>
/// One request, a stream of responses.
public typealias ServerStreamingMethod<Request: ProtoMessage, Response: ProtoMessage> = RPCMethod<
    Request, Response, ServerStreaming
>
/// A stream of requests, one response.
public typealias ClientStreamingMethod<Request: ProtoMessage, Response: ProtoMessage> = RPCMethod<
    Request, Response, ClientStreaming
>

/// The typed responses of a server-streaming call.
public struct ResponseStream<Response: ProtoMessage>: Sendable {
    public let raw: ClientResponseStream

    /// The next message; nil once the server ended the stream with OK; throws its error status.
    public func next() throws(RPCError) -> Response? {
        guard let bytes = try raw.next() else { return nil }
        return try Response(serializedBytes: bytes)
    }

    public func cancel() { raw.cancel() }
}

/// The typed sending side of a client-streaming call.
public struct RequestStream<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    public let raw: ClientRequestStream

    public func send(_ message: Request) throws(RPCError) {
        try message.checkSendable()
        try raw.send(message.serializedBytes())
    }

    /// Sends `message` with an open descriptor passed along (SCM_RIGHTS): `ClientRequestStream.send(_:passing:)`.
    public func send(_ message: Request, passing descriptor: Int32) throws(RPCError) {
        try message.checkSendable()
        try raw.send(message.serializedBytes(), passing: descriptor)
    }

    /// Closes the sending side and waits for the server's answer.
    public func finish() throws(RPCError) -> Response { try Response(serializedBytes: raw.finish()) }

    public func cancel() { raw.cancel() }
}

/// The typed writer a server-streaming handler sends through.
public struct TypedResponseWriter<Response: ProtoMessage>: Sendable {
    public let raw: ResponseStreamWriter

    public func send(_ message: Response) throws(RPCError) { try raw.send(message.serializedBytes()) }
}

/// The typed side of an event-driven server stream (`ServerEventStream`): used on the connection's queue.
public struct TypedEventStream<Response: ProtoMessage>: Sendable {
    public let raw: ServerEventStream

    public func send(_ message: Response) { raw.send(message.serializedBytes()) }
    public func perform(_ body: @escaping @Sendable () -> Void) { raw.perform(body) }
    public func finish(_ error: RPCError? = nil) { raw.finish(error) }
    public var hasRoom: Bool { raw.hasRoom }
    public var isEnded: Bool { raw.isEnded }
    public var onRoom: (() -> Void)? {
        get { raw.onRoom }
        nonmutating set { raw.onRoom = newValue }
    }
    public var onEnd: ((RPCError) -> Void)? {
        get { raw.onEnd }
        nonmutating set { raw.onEnd = newValue }
    }
}

/// The typed reader a client-streaming handler reads from; each message is checked by `WireBounds`.
public struct TypedRequestReader<Request: ProtoMessage>: Sendable {
    public let raw: RequestStreamReader

    public func next() throws(RPCError) -> Request? {
        guard let bytes = try raw.next() else { return nil }
        return try Request(checked: bytes)
    }
}

extension RPCClient {
    /// Starts a server-streaming call with a typed request; read the typed responses with `next()`.
    public func serverStream<Request, Response>(
        _ method: ServerStreamingMethod<Request, Response>, _ request: Request, timeout: Duration? = nil
    ) -> ResponseStream<Response> {
        ResponseStream(
            raw: serverStream(
                service: method.service, method: method.name, payload: request.serializedBytes(), timeout: timeout))
    }

    /// Starts a client-streaming call; `send` typed requests, then `finish()` for the typed answer.
    public func clientStream<Request, Response>(
        _ method: ClientStreamingMethod<Request, Response>, timeout: Duration? = nil
    ) -> RequestStream<Request, Response> {
        RequestStream(raw: clientStream(service: method.service, method: method.name, timeout: timeout))
    }

    /// Calls a unary method of the contract with typed messages.
    public func call<Request, Response>(
        _ method: Method<Request, Response>, _ request: Request, timeout: Duration? = nil
    ) throws(RPCError) -> Response {
        try request.checkSendable()
        let bytes = try call(
            service: method.service, method: method.name, payload: request.serializedBytes(), timeout: timeout)
        return try Response(serializedBytes: bytes)
    }

    /// Sends a unary call and returns at once; `wait()` for its answer.
    public func begin<Request, Response>(
        _ method: Method<Request, Response>, _ request: Request, timeout: Duration? = nil
    ) throws(RPCError) -> PendingAnswer<Response> {
        try request.checkSendable()
        return PendingAnswer(
            call: begin(
                service: method.service, method: method.name, payload: request.serializedBytes(), timeout: timeout))
    }

    public func call<Request, Response>(
        _ method: Method<Request, Response>, _ request: Request, timeout: Duration? = nil
    ) async throws(RPCError) -> Response {
        try request.checkSendable()
        let bytes = try await call(
            service: method.service, method: method.name, payload: request.serializedBytes(), timeout: timeout)
        return try Response(serializedBytes: bytes)
    }
}

/// A typed unary call sent and not yet answered (`RPCClient.begin`).
public struct PendingAnswer<Response: ProtoMessage>: Sendable {
    let call: UnaryCall

    /// Waits for the answer.
    public func wait() throws(RPCError) -> Response { try Response(serializedBytes: call.wait()) }
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

extension ServiceRegistry {
    /// Registers a server-streaming handler that works on typed messages.
    public mutating func serverStreaming<Request, Response>(
        _ method: ServerStreamingMethod<Request, Response>,
        _ body: @escaping @Sendable (ServerContext, Request, TypedResponseWriter<Response>) throws -> Void
    ) {
        register(
            service: method.service, method: method.name,
            .serverStreaming { context, bytes, writer in
                try body(context, Request(checked: bytes), TypedResponseWriter(raw: writer))
            })
    }

    /// Registers an event-driven server-streaming handler (`MethodHandler.serverEvents`) that works on
    /// typed messages: it sets the stream up on the connection's queue and returns.
    public mutating func serverEvents<Request, Response>(
        _ method: ServerStreamingMethod<Request, Response>,
        _ body: @escaping @Sendable (ServerContext, Request, TypedEventStream<Response>) throws -> Void
    ) {
        register(
            service: method.service, method: method.name,
            .serverEvents { context, bytes, stream in
                try body(context, Request(checked: bytes), TypedEventStream(raw: stream))
            })
    }

    /// Registers a client-streaming handler that works on typed messages.
    public mutating func clientStreaming<Request, Response>(
        _ method: ClientStreamingMethod<Request, Response>,
        _ body: @escaping @Sendable (ServerContext, TypedRequestReader<Request>) throws -> Response
    ) {
        register(
            service: method.service, method: method.name,
            .clientStreaming { context, reader in
                try body(context, TypedRequestReader(raw: reader)).serializedBytes()
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

/// One step of the way to a field (`ProtoMessage.checkSendable`): a member by its Swift name, or an
/// element of a list.
private enum FieldStep {
    case member(String)
    case element(Int)
}

extension ProtoMessage {
    /// Refuses a message protobuf-c cannot send whole: a text holding a NUL, which its C strings would
    /// end there, so the daemon would store the text cut short and the sender be told it succeeded
    /// (issue 25, M5). Refused as the daemon refuses a control character, naming the field. Every
    /// typed call and client-stream send checks its message with this before encoding it.
    public func checkSendable() throws(RPCError) {
        if let steps = Self.fieldWithNUL(in: self) {
            throw RPCError(
                .invalidArgument,
                Refusals.Requests.controlCharacter(["path": Self.path(steps.reversed()), "character": "NUL"]))
        }
    }

    /// The steps to the first text under `value` that holds a NUL, the innermost first; nil when none
    /// does. The path is spelled only for a text found: a message without one (every message but a
    /// mistake) costs a walk of its fields and nothing more.
    private static func fieldWithNUL(in value: Any) -> [FieldStep]? {
        switch value {
        case let text as String:
            return text.utf8.contains(0) ? [] : nil
        case is [UInt8], is Int64, is Int32, is UInt64, is UInt32, is Bool, is Double, is Float, is [Int64], is [Int32]:
            return nil
        default:  // a message or a list of them: read field by field
            let mirror = Mirror(reflecting: value)
            for (index, child) in mirror.children.enumerated() {
                guard var steps = fieldWithNUL(in: child.value) else { continue }
                switch mirror.displayStyle {
                case .collection: steps.append(.element(index))
                case .optional: break
                default: steps.append(.member(child.label ?? ""))
                }
                return steps
            }
            return nil
        }
    }

    /// The wire path of `steps`, outermost first: `messages[2].text`.
    private static func path(_ steps: some Sequence<FieldStep>) -> String {
        var path = ""
        for step in steps {
            switch step {
            case .element(let index): path += "[\(index)]"
            case .member(let label): path += (path.isEmpty ? "" : ".") + wireName(label)
            }
        }
        return path
    }

    /// `externalID` as the contract spells it: `external_id`.
    private static func wireName(_ label: String) -> String {
        var name = ""
        var previousWasUpper = true
        for character in label {
            if character.isUppercase {
                // A run of capitals is one word: externalID is external_id, caseID case_id.
                if !previousWasUpper { name.append("_") }
                name += character.lowercased()
                previousWasUpper = true
            } else {
                name.append(character)
                previousWasUpper = false
            }
        }
        return name
    }
}
