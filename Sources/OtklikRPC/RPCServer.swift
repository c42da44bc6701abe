@preconcurrency import Dispatch
import COtklikSystem
import Foundation
public import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// Why the server could not start listening. Each message says what to do.
public enum ServerStartError: Error, Sendable, Equatable, CustomStringConvertible {
    case pathTooLong(path: String, bytes: Int, limit: Int)
    case directoryOpenToOthers(directory: String, mode: UInt32)
    case alreadyServed(path: String)
    case notASocket(path: String)
    case system(what: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .pathTooLong(let path, let bytes, let limit):
            "socket path \(path) is \(bytes) bytes; a Unix socket address holds at most \(limit). Choose a shorter --socket path."
        case .directoryOpenToOthers(let directory, let mode):
            "socket directory \(directory) has mode \(String(mode, radix: 8)) and is open to other users; use a directory only the daemon's user and group can enter (mode 750 or stricter), such as /run/otklik."
        case .alreadyServed(let path):
            "another daemon answers on \(path); stop it first or choose another --socket path."
        case .notASocket(let path):
            "\(path) exists and is not a socket; remove it or choose another --socket path."
        case .system(let what, let path, let code):
            "cannot \(what) \(path): \(String(cString: strerror(code)))"
        }
    }
}

/// The daemon's listening side: a Unix socket, a Dispatch read source that accepts, and one
/// `ServerConnection` per client.
///
/// `@unchecked Sendable`: the listening socket, the connections and the per-user counts are only
/// touched on `queue`; what other threads read is mirrored in `counters` (`Locked`).
public final class RPCServer: @unchecked Sendable {
    public enum Phase: Sendable, Equatable { case idle, serving, draining, stopped }

    public let socketPath: String
    private let shared: ServerShared
    private let queue = DispatchQueue(label: "otklik.rpc.accept")
    private var listenFD: Int32 = -1
    private var listenSource: (any DispatchSourceRead)?
    private var boundInode: ino_t = 0
    private var connections: [UInt64: ServerConnection] = [:]
    private var refusedConnections = 0
    /// Served connections per peer uid (refused and unknown peers not counted).
    private var perUID: [UInt32: Int] = [:]
    /// Refused connections waiting for their answer, per peer uid: one user cannot fill that pool either.
    private var refusedPerUID: [UInt32: Int] = [:]
    private var unknownPeers = 0
    /// Whether the daemon knows a peer (its uid maps to staff or an admin); unknown peers are
    /// answered and closed, and never take a place of the known ones.
    private let isKnownPeer: @Sendable (PeerCredentials) -> Bool
    private let isPrivilegedPeer: @Sendable (PeerCredentials) -> Bool
    private var nextConnectionID: UInt64 = 1
    private let counters = Locked((phase: Phase.idle, open: 0))
    /// Every admitted connection until its socket has closed; the graceful stop waits on it.
    private let connectionsLive = DispatchGroup()

    /// The group that owns the socket file (and the directory the server creates), so staff in that
    /// OS group can connect and no one else can; nil keeps the daemon's own group.
    public let socketGroup: UInt32?

    public init(
        socketPath: String, registry: ServiceRegistry, limits: ServerLimits = ServerLimits(),
        socketGroup: UInt32? = nil,
        isKnownPeer: @escaping @Sendable (PeerCredentials) -> Bool = { _ in true },
        isPrivilegedPeer: @escaping @Sendable (PeerCredentials) -> Bool = { _ in false }, logger: Logger
    ) {
        self.socketPath = socketPath
        self.socketGroup = socketGroup
        self.isKnownPeer = isKnownPeer
        self.isPrivilegedPeer = isPrivilegedPeer
        self.shared = ServerShared(registry: registry, limits: limits, logger: logger)
    }

    public var phase: Phase { counters.current.phase }
    /// Connections being served now (refused ones over the limit not counted).
    public var openConnections: Int { counters.current.open }

    /// Binds the socket (mode 0660) and starts accepting. A stale socket file is replaced only if
    /// nothing answers on it.
    public func start() throws(ServerStartError) {
        let limit = Int(otklik_unix_path_max())
        let bytes = socketPath.utf8.count
        guard bytes <= limit else { throw .pathTooLong(path: socketPath, bytes: bytes, limit: limit) }
        try prepareDirectory()
        try removeStaleSocket()

        let fd = otklik_unix_socket()
        guard fd >= 0 else { throw .system(what: "create a socket for", path: socketPath, errno: errno) }
        // The directory is closed to others, so the brief window before chmod exposes nothing.
        if otklik_unix_bind_listen(fd, socketPath, 512) != 0 {
            let code = errno
            Glibc.close(fd)
            throw .system(what: "listen on", path: socketPath, errno: code)
        }
        if let socketGroup, chown(socketPath, UInt32.max, socketGroup) != 0 {
            let code = errno
            Glibc.close(fd)
            unlink(socketPath)
            throw .system(what: "give the group to", path: socketPath, errno: code)
        }
        guard chmod(socketPath, 0o660) == 0 else {
            let code = errno
            Glibc.close(fd)
            unlink(socketPath)
            throw .system(what: "set the mode of", path: socketPath, errno: code)
        }
        var info = stat()
        if stat(socketPath, &info) == 0 { boundInode = info.st_ino }
        listenFD = fd

        queue.sync {
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [unowned self] in self.acceptPending() }
            source.setCancelHandler { Glibc.close(fd) }
            listenSource = source
            source.resume()
        }
        counters.withLock { $0.phase = .serving }
        shared.logger.info("listening on \(socketPath)")
    }

    /// Stops accepting, removes the socket file, answers new calls UNAVAILABLE, waits up to `grace`
    /// for running handlers, then closes every connection. Returns false if handlers were still
    /// running when the grace ran out.
    @discardableResult
    public func shutdown(
        grace: Duration, halfway: @Sendable () -> Void = {},
        endingStreams: RPCError = RPCError(.unavailable, "the server is stopping")
    ) -> Bool {
        let wasServing = counters.withLock { state -> Bool in
            guard state.phase == .serving else { return false }
            state.phase = .draining
            return true
        }
        guard wasServing else { return true }
        let open: [ServerConnection] = queue.sync {
            listenSource?.cancel()
            listenSource = nil
            return Array(connections.values)
        }
        for connection in open { connection.startDraining() }
        // Last, so that once the file is gone every connection is draining.
        queue.sync { removeOwnSocketFile() }
        let end = DispatchTime.now() + .nanoseconds(Int(grace.nanoseconds))
        let half = DispatchTime.now() + .nanoseconds(Int(grace.nanoseconds / 2))
        var finished = shared.handlersRunning.wait(timeout: half) == .success
        if !finished {
            // Half the grace is gone: what waits on a client (an upload's next chunk) is ended with
            // `endingStreams`, and `halfway` ends what the server's owner runs long (the store's
            // reads), so the handlers left can finish in the other half.
            halfway()
            let open: [ServerConnection] = queue.sync { Array(connections.values) }
            for connection in open { connection.endClientStreams(endingStreams) }
            finished = shared.handlersRunning.wait(timeout: end) == .success
        }
        if !finished {
            shared.logger.warning("handlers still running after \(grace); closing connections anyway")
        }
        let remaining: [ServerConnection] = queue.sync { Array(connections.values) }
        // What was answered gets a moment to leave; the stop as a whole stays within a second more.
        for connection in remaining { connection.closeWhenFlushed(timeout: .milliseconds(300)) }
        if connectionsLive.wait(timeout: .now() + .milliseconds(600)) == .timedOut {
            shared.logger.warning("some connections did not close in time")
        }
        counters.withLock { $0.phase = .stopped }
        shared.logger.info("stopped serving \(socketPath)")
        return finished
    }

    // MARK: Socket file

    private func prepareDirectory() throws(ServerStartError) {
        let directory =
            (socketPath as NSString).deletingLastPathComponent.isEmpty
            ? "." : (socketPath as NSString).deletingLastPathComponent
        var info = stat()
        if stat(directory, &info) != 0 {
            guard errno == ENOENT else { throw .system(what: "inspect", path: directory, errno: errno) }
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
            } catch {
                throw .system(
                    what: "create", path: directory,
                    errno: (error as NSError).code == 0 ? EACCES : Int32((error as NSError).code))
            }
            chmod(directory, 0o750)
            if let socketGroup { chown(directory, UInt32.max, socketGroup) }
            return
        }
        let mode = UInt32(info.st_mode) & 0o777
        if mode & 0o007 != 0 {
            throw .directoryOpenToOthers(directory: directory, mode: mode)
        }
    }

    private func removeStaleSocket() throws(ServerStartError) {
        var info = stat()
        guard lstat(socketPath, &info) == 0 else { return }
        guard (UInt32(info.st_mode) & UInt32(S_IFMT)) == UInt32(S_IFSOCK) else { throw .notASocket(path: socketPath) }
        let probe = otklik_unix_socket()
        guard probe >= 0 else { throw .system(what: "probe", path: socketPath, errno: errno) }
        defer { Glibc.close(probe) }
        if otklik_unix_connect(probe, socketPath) == 0 || errno == EAGAIN || errno == EINPROGRESS {
            throw .alreadyServed(path: socketPath)
        }
        guard errno == ECONNREFUSED || errno == ENOENT else {
            throw .system(what: "probe", path: socketPath, errno: errno)
        }
        shared.logger.info("replacing stale socket file \(socketPath)")
        unlink(socketPath)
    }

    /// Removes the socket file if it is still the one this server bound.
    private func removeOwnSocketFile() {
        var info = stat()
        if stat(socketPath, &info) == 0, info.st_ino == boundInode {
            unlink(socketPath)
        }
    }

    // MARK: Accepting

    private func acceptPending() {
        while true {
            let fd = otklik_accept_nonblocking(listenFD)
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: pause accepting briefly rather than spin on a readable socket.
                    shared.logger.error("cannot accept: \(String(cString: strerror(errno))); pausing for 100 ms")
                    listenSource?.suspend()
                    queue.asyncAfter(deadline: .now() + .milliseconds(100)) { [weak self] in
                        self?.listenSource?.resume()
                    }
                    return
                default:  // any other errno
                    return
                }
            }
            admit(fd)
        }
    }

    private func admit(_ fd: Int32) {
        guard let peer = PeerCredentials(socket: fd) else {
            shared.logger.warning("no peer credentials for an accepted socket; closing it")
            Glibc.close(fd)
            return
        }
        let id = nextConnectionID
        nextConnectionID += 1
        let limits = shared.limits
        let known = isKnownPeer(peer)
        var refusal: RPCError?
        if !known {
            // Unknown peers are answered by the rights guard (UNAUTHENTICATED) and closed; only a
            // few at a time, and they never count against the known ones.
            guard unknownPeers < limits.maxUnknownPeers else {
                Glibc.close(fd)
                return
            }
        } else if connections.count - refusedConnections - unknownPeers
            >= limits.maxConnections + (isPrivilegedPeer(peer) ? limits.reservedConnections : 0)
            || perUID[peer.uid, default: 0] >= limits.maxConnectionsPerUID
        {
            // Over a limit the client still gets an answer, not a silent reset, but only a few such
            // connections are kept waiting for their first request.
            guard refusedConnections < 16 + limits.maxConnections / 4, refusedPerUID[peer.uid, default: 0] < 8 else {
                Glibc.close(fd)
                return
            }
            refusedPerUID[peer.uid, default: 0] += 1
            refusal =
                perUID[peer.uid, default: 0] >= limits.maxConnectionsPerUID
                ? RPCError(
                    .resourceExhausted,
                    "uid \(peer.uid) already holds \(limits.maxConnectionsPerUID) connections, the most one user may; close some and try again"
                )
                : RPCError(
                    .resourceExhausted,
                    "the daemon serves at most \(limits.maxConnections) connections; try again shortly")
            refusedConnections += 1
        }
        let connection = ServerConnection(
            id: id, fd: fd, peer: peer, shared: shared, refusal: refusal, closeAfterAnswer: !known)
        let refused = refusal != nil
        connectionsLive.enter()
        let live = connectionsLive
        connection.onClosed = { [weak self] connection in
            live.leave()
            guard let self else { return }
            self.queue.async {
                guard self.connections.removeValue(forKey: connection.id) != nil else { return }
                if refused {
                    self.refusedConnections -= 1
                    self.refusedPerUID[peer.uid, default: 1] -= 1
                    if self.refusedPerUID[peer.uid] == 0 { self.refusedPerUID[peer.uid] = nil }
                } else if !known {
                    self.unknownPeers -= 1
                } else {
                    self.perUID[peer.uid, default: 1] -= 1
                    if self.perUID[peer.uid] == 0 { self.perUID[peer.uid] = nil }
                    self.counters.withLock { $0.open -= 1 }
                }
            }
        }
        connections[id] = connection
        if refused {
            queue.asyncAfter(deadline: .now() + .seconds(2)) { connection.close() }
        } else if !known {
            unknownPeers += 1
        } else {
            perUID[peer.uid, default: 0] += 1
            counters.withLock { $0.open += 1 }
        }
        if !refused, counters.current.phase == .draining { connection.startDraining() }
        shared.logger.debug("connection \(id) from \(peer)\(refused ? " refused: over the limit" : "")")
        connection.start()
    }
}
