/// How a method is served. Handlers throw `RPCError` to answer with a status; any other error is
/// answered INTERNAL with a generic message (its text stays in the daemon's log).
public enum MethodHandler: Sendable {
    /// One request, one response.
    case unary(placement: UnaryPlacement, body: @Sendable (ServerContext, [UInt8]) throws -> [UInt8])
    /// One request, then any number of messages sent through the writer. Runs on a thread of its
    /// own, so `send` may block while the client is slow to read.
    case serverStreaming(@Sendable (ServerContext, [UInt8], ResponseStreamWriter) throws -> Void)
    /// Messages read from the reader until it returns nil, then one response. Runs on a thread of
    /// its own, so `next` may block.
    case clientStreaming(@Sendable (ServerContext, RequestStreamReader) throws -> [UInt8])
}

/// Where a unary handler runs.
public enum UnaryPlacement: Sendable {
    /// On the connection's queue, at once: for handlers that never block (no I/O, no locks held long).
    /// Saves two thread hops per call.
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

    public var serviceNames: [String] { services.keys.sorted() }

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
