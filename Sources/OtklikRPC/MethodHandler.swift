/// How a method is served. Handlers throw `RPCError` to answer with a status; any other error is
/// answered INTERNAL with a generic message (its text stays in the daemon's log).
public enum MethodHandler: Sendable {
    /// One request, one response.
    case unary(placement: UnaryPlacement, body: @Sendable (ServerContext, [UInt8]) throws -> [UInt8])
    /// One request, then any number of messages sent through the writer. Runs on a thread of its
    /// own, so `send` may block while the client is slow to read.
    case serverStreaming(@Sendable (ServerContext, [UInt8], ResponseStreamWriter) throws -> Void)
    /// One request, then any number of messages sent as events happen, from the connection's queue:
    /// the body runs there, sets the stream up and returns; no thread waits for the stream. A throw
    /// from the body answers the call at once.
    case serverEvents(@Sendable (ServerContext, [UInt8], ServerEventStream) throws -> Void)
    /// Messages read from the reader until it returns nil, then one response. Runs on a thread of
    /// its own, so `next` may block.
    case clientStreaming(@Sendable (ServerContext, RequestStreamReader) throws -> [UInt8])
}

/// Where a unary handler runs.
public enum UnaryPlacement: Sendable {
    /// On the connection's queue, at once, and often on the poller's thread in that queue's turn: for
    /// handlers that never block and read only memory (no I/O, no locks held long), since the poller
    /// serves every other connection meanwhile. Saves the thread hops of a call.
    case inline
    /// On a shared pool: for handlers that read the database or may otherwise wait.
    case pool
}

/// The methods a server answers, by full service name and method name.
public struct ServiceRegistry: Sendable {
    private var services: [String: [String: MethodHandler]] = [:]

    public init() {}

    public mutating func register(service: String, method: String, _ handler: MethodHandler) {
        services[service, default: [:]][method] = handler
    }

    /// Every registered method, for checks that must cover them all.
    public var methods: [(service: String, method: String)] {
        services.flatMap { service, methods in methods.keys.map { (service, $0) } }.sorted {
            ($0.0, $0.1) < ($1.0, $1.1)
        }
    }

    /// Puts `check` in front of every registered handler, so it runs before any handler does: what
    /// it throws is the call's answer, and what it returns is the context's `attachment` for the handler.
    public mutating func guardAll(_ check: @escaping @Sendable (ServerContext) throws -> (any Sendable)?) {
        for (service, methods) in services {
            for (method, handler) in methods {
                let guarded: MethodHandler
                switch handler {
                case .unary(let placement, let body):
                    guarded = .unary(placement: placement) { context, bytes in
                        var checked = context
                        checked.attachment = try check(context)
                        return try body(checked, bytes)
                    }
                case .serverStreaming(let body):
                    guarded = .serverStreaming { context, bytes, writer in
                        var checked = context
                        checked.attachment = try check(context)
                        try body(checked, bytes, writer)
                    }
                case .serverEvents(let body):
                    guarded = .serverEvents { context, bytes, stream in
                        var checked = context
                        checked.attachment = try check(context)
                        try body(checked, bytes, stream)
                    }
                case .clientStreaming(let body):
                    guarded = .clientStreaming { context, reader in
                        var checked = context
                        checked.attachment = try check(context)
                        return try body(checked, reader)
                    }
                }
                services[service]?[method] = guarded
            }
        }
    }

    func handler(service: String, method: String) throws(RPCError) -> MethodHandler {
        guard let methods = services[service] else {
            throw RPCError(.unimplemented, "service \(service) is not served here")
        }
        guard let handler = methods[method] else {
            throw RPCError(.unimplemented, "method \(method) is not a method of \(service)")
        }
        return handler
    }
}
