/// Limits that keep one client from hurting the others.
public struct ServerLimits: Sendable {
    /// Connections served at once; one more is answered RESOURCE_EXHAUSTED and closed.
    public var maxConnections = 256
    /// Calls running at once on one connection; one more is answered RESOURCE_EXHAUSTED.
    public var maxConcurrentCallsPerConnection = 128
    /// Bytes queued for a connection that the kernel has not taken; a unary response that would go
    /// over is replaced by RESOURCE_EXHAUSTED.
    public var maxOutboundBytesPerConnection = 8 << 20
    /// Bytes of one server stream handed over and not yet written (its back-pressure window).
    public var maxStreamOutboundBytes = 1 << 20
    /// Bytes of client-streamed messages waiting for their handler.
    public var maxStreamInboundBytes = 8 << 20
    /// A peer that leaves queued bytes untaken this long is disconnected.
    public var writeStallTimeout: Duration = .seconds(30)
    /// A connection with no call running and nothing received for this long is closed (a running
    /// stream, such as Watch, keeps it open).
    public var idleTimeout: Duration = .seconds(300)
    /// A frame must arrive whole within this long of its first byte (and an unknown peer's first
    /// frame within this long of connecting): a peer trickling bytes cannot hold a connection.
    public var frameTimeout: Duration = .seconds(10)
    /// Connections one uid may hold at once, so one user cannot lock out another.
    public var maxConnectionsPerUID = 64
    /// Connections of peers the daemon does not know (answered UNAUTHENTICATED), held at once.
    public var maxUnknownPeers = 16
    /// Connections kept for privileged peers (root, the daemon's own user) above `maxConnections`:
    /// when staff hold every connection, the administrator still gets in.
    public var reservedConnections = 8
    /// A client-streaming call whose client sends nothing for this long is ended (an upload that
    /// stalled after its header holds a thread and a file).
    public var clientStreamIdleTimeout: Duration? = .seconds(30)

    public init() {}
}
