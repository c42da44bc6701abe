@preconcurrency import Dispatch
import COtklikSystem
import Foundation
public import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// A client connection to the daemon (or any ttrpc server) over a Unix socket.
///
/// Calls may be made from any thread and run concurrently on the one connection; their responses
/// may come back in any order. One reader thread of the connection's own blocks in `read` and hands
/// each frame to its call: a caller waiting for an answer is woken straight from there, one thread
/// switch after the bytes arrive (a Dispatch read source would add the event loop's hop).
/// Every call has a deadline (the client's default unless given): it is sent to the server as
/// `timeout_nano` and enforced here too, so a call never waits longer than asked.
public final class RPCClient: Sendable {
    public struct Options: Sendable {
        /// Deadline of calls that do not name one; nil waits forever.
        public var defaultTimeout: Duration? = .seconds(30)
        /// How long to keep trying while the daemon's accept queue is full.
        public var connectTimeout: Duration = .seconds(5)
        /// Server-streamed messages buffered for a reader that does not keep up.
        public var maxBufferedStreamBytes = 64 << 20
        /// Metadata sent with every call (e.g. whom an admin acts as), before the call's own.
        public var defaultMetadata: [MetadataEntry] = []

        public init() {}
    }

    /// The socket's path, or for a command's connection the address it was made for (`ssh://host`).
    public let socketPath: String
    public let options: Options
    private let connection: ClientConnection
    /// The command carrying the connection (`ssh ... otklik dial-stdio`), when there is one.
    public let command: CommandConnection?

    /// Connects to the socket at `path`. Throws UNAVAILABLE when nothing answers there.
    public init(socketPath path: String, options: Options = Options()) throws(RPCError) {
        self.socketPath = path
        self.options = options
        command = nil
        let fd = try Self.connectedSocket(path, timeout: options.connectTimeout)
        // Sends block while the kernel buffer is full: a buffer that holds a whole 1 MiB upload
        // message lets one send hand it over.
        var sendBuffer: Int32 = 2 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sendBuffer, socklen_t(MemoryLayout<Int32>.size))
        connection = ClientConnection(fd: fd)
        connection.startReading()
    }

    /// A connected Unix socket to `path` (blocking), trying again while the daemon's accept queue is
    /// full, for at most `timeout`. Throws UNAVAILABLE naming what is wrong (nothing answers, no
    /// permission, the system's reason) and INVALID_ARGUMENT for a path no address can hold. Shared by
    /// the client and `otklik dial-stdio`.
    public static func connectedSocket(_ path: String, timeout: Duration = .seconds(5)) throws(RPCError) -> Int32 {
        let limit = Int(otklik_unix_path_max())
        guard path.utf8.count <= limit else {
            throw RPCError(
                .invalidArgument,
                "socket path \(path) is \(path.utf8.count) bytes; a Unix socket address holds at most \(limit)")
        }
        let fd = otklik_unix_socket()
        guard fd >= 0 else {
            throw RPCError(.unavailable, "cannot create a socket: \(String(cString: strerror(errno)))")
        }
        let giveUp = Deadline(after: timeout)
        var backoff: UInt32 = 1000
        while otklik_unix_connect(fd, path) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN, !giveUp.hasPassed() {
                usleep(backoff)
                backoff = min(backoff * 2, 50_000)
                continue
            }
            Glibc.close(fd)
            switch code {
            case ENOENT, ECONNREFUSED:
                throw RPCError(.unavailable, "no daemon answers on \(path)")
            case EACCES, EPERM:
                throw RPCError(.unavailable, "no permission to connect to \(path)")
            default:  // any other errno
                throw RPCError(.unavailable, "cannot connect to \(path): \(String(cString: strerror(code)))")
            }
        }
        // Blocking: the client's reader thread and dial-stdio's copies block in read.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// Connects through `command`, whose standard input and output become the connection (`ssh -T HOST
    /// otklik dial-stdio`: one SSH session carries every call and stream of this client). `label` names
    /// the daemon in errors. A call that fails because the connection ended says why the command did
    /// (its exit status and standard error: `RPCClient.commandFailure`).
    public init(command: [String], label: String, options: Options = Options()) throws(RPCError) {
        socketPath = label
        self.options = options
        let (process, fd) = try CommandConnection.start(command)
        self.command = process
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var sendBuffer: Int32 = 2 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sendBuffer, socklen_t(MemoryLayout<Int32>.size))
        connection = ClientConnection(fd: fd)
        connection.startReading()
    }

    deinit {
        connection.shutdown()
        command?.end(grace: 0.5)
    }

    /// Closes the connection; calls still running fail with UNAVAILABLE. A command carrying it ends
    /// with it.
    public func close() {
        connection.shutdown()
        connection.waitUntilClosed()
        command?.end()
    }

    /// Why the last call through a command failed for want of its connection: the command's exit
    /// status (nil while it runs) and what it wrote to its standard error: the latest such failure of
    /// this process, for the program to explain.
    public static let commandFailure = Locked<(status: Int32?, text: String)?>(nil)

    /// Whether `error` is this side's word for a connection that ended under a call (not the daemon's
    /// own UNAVAILABLE answer, such as "shutting down").
    public static func isLinkLoss(_ error: RPCError) -> Bool {
        error.code == .unavailable
            && ["connection to the daemon lost", "the server broke the protocol", "text came instead of the protocol"]
                .contains { error.message.hasPrefix($0) }
    }

    // MARK: Unary

    /// Calls a unary method and waits for its answer.
    public func call(
        service: String, method: String, payload: [UInt8], timeout: Duration? = nil, metadata: [MetadataEntry] = []
    ) throws(RPCError) -> [UInt8] {
        try begin(service: service, method: method, payload: payload, timeout: timeout, metadata: metadata).wait()
    }

    /// Sends a unary call and returns at once: its answer is `wait()`ed for later, so a reader of pages
    /// asks for the next one while it writes out the last.
    public func begin(
        service: String, method: String, payload: [UInt8], timeout: Duration? = nil, metadata: [MetadataEntry] = []
    ) -> UnaryCall {
        let pending = UnaryCall()
        start(
            service: service, method: method, payload: payload, timeout: timeout, metadata: metadata,
            flags: [.remoteClosed],
            onMessage: nil
        ) { pending.complete($0) }
        return pending
    }

    /// Calls a unary method without blocking a thread.
    public func call(
        service: String, method: String, payload: [UInt8], timeout: Duration? = nil, metadata: [MetadataEntry] = []
    ) async throws(RPCError) -> [UInt8] {
        let result: Result<[UInt8], RPCError> = await withCheckedContinuation { continuation in
            start(
                service: service, method: method, payload: payload, timeout: timeout, metadata: metadata,
                flags: [.remoteClosed],
                onMessage: nil
            ) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    // MARK: Streams

    /// Starts a server-streaming call; read its messages with `next()`.
    public func serverStream(
        service: String, method: String, payload: [UInt8], timeout: Duration? = nil, metadata: [MetadataEntry] = []
    ) -> ClientResponseStream {
        let stream = ClientResponseStream(limit: options.maxBufferedStreamBytes)
        let streamID = start(
            service: service, method: method, payload: payload, timeout: timeout, metadata: metadata,
            flags: [.remoteClosed],
            onMessage: { stream.deliver($0) }, onFinish: { stream.finish($0) })
        let connection = self.connection
        stream.setCancelAction { connection.cancel(streamID) }
        return stream
    }

    /// Starts a client-streaming call; `send` its messages, then `finish()` for the answer.
    public func clientStream(
        service: String, method: String, timeout: Duration? = nil, metadata: [MetadataEntry] = []
    ) -> ClientRequestStream {
        let stream = ClientRequestStream()
        let streamID = start(
            service: service, method: method, payload: [], timeout: timeout, metadata: metadata, flags: [.remoteOpen],
            onMessage: nil, onFinish: { stream.finish($0) })
        stream.connection = connection
        stream.streamID = streamID
        return stream
    }

    /// Builds and sends a request frame. Returns the stream id (0 if the call failed at once).
    @discardableResult
    private func start(
        service: String, method: String, payload: [UInt8], timeout: Duration?, metadata: [MetadataEntry],
        flags: FrameFlags,
        onMessage: (@Sendable ([UInt8]) -> Void)?, onFinish: @escaping @Sendable (Result<[UInt8], RPCError>) -> Void
    ) -> UInt32 {
        let deadline = (timeout ?? options.defaultTimeout).map { Deadline(after: $0) }
        var request = RequestEnvelope(
            service: service, method: method, payload: payload, metadata: options.defaultMetadata + metadata)
        request.timeoutNanos = deadline?.remainingNanos() ?? 0
        let body = request.serializedBytes()
        if body.count > FrameHeader.maxPayload {
            onFinish(
                .failure(
                    RPCError(
                        .resourceExhausted,
                        "request of \(body.count) bytes is over the \(FrameHeader.maxPayload)-byte limit")))
            return 0
        }
        guard let command else {
            return connection.start(
                body: body, flags: flags, deadline: deadline, onMessage: onMessage, onFinish: onFinish)
        }
        // Through a command: a lost connection is explained by how the command ended.
        return connection.start(body: body, flags: flags, deadline: deadline, onMessage: onMessage) { result in
            if case .failure(let error) = result, Self.isLinkLoss(error) {
                let status = command.exitStatus(waiting: 2)
                let text = command.errorText
                Self.commandFailure.withLock { $0 = (status, text) }
            }
            onFinish(result)
        }
    }
}

/// The socket, the reader thread and the calls in flight of one `RPCClient`.
///
/// `@unchecked Sendable`: the calls in flight, the next stream id and the closed state are only touched
/// inside `lock`; writes to the socket are serialised by `sendLock`.
final class ClientConnection: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private let sendLock = NSLock()
    private var pending: [UInt32: PendingCall] = [:]
    private var nextStreamID: UInt32 = 1
    private var closeError: RPCError?
    private var isShutDown = false
    private let readerDone = DispatchSemaphore(value: 0)

    private struct PendingCall {
        let onMessage: (@Sendable ([UInt8]) -> Void)?
        let onFinish: @Sendable (Result<[UInt8], RPCError>) -> Void
    }

    init(fd: Int32) {
        self.fd = fd
    }

    func startReading() {
        let thread = Thread { [self] in readLoop() }
        thread.name = "otklik.rpc.client.reader"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Registers a call and sends its request frame; ids are assigned and sent under one lock so the
    /// server sees them strictly increasing.
    func start(
        body: [UInt8], flags: FrameFlags, deadline: Deadline?,
        onMessage: (@Sendable ([UInt8]) -> Void)?, onFinish: @escaping @Sendable (Result<[UInt8], RPCError>) -> Void
    ) -> UInt32 {
        sendLock.lock()
        lock.lock()
        if let closeError {
            lock.unlock()
            sendLock.unlock()
            onFinish(.failure(closeError))
            return 0
        }
        let streamID = nextStreamID
        nextStreamID &+= 2
        pending[streamID] = PendingCall(onMessage: onMessage, onFinish: onFinish)
        lock.unlock()
        let sent = write(FrameEncoder.frame(type: .request, streamID: streamID, flags: flags, payload: body))
        sendLock.unlock()
        if !sent {
            finish(streamID, .failure(RPCError(.unavailable, "connection to the daemon lost")), tellServer: false)
        } else if let deadline {
            DispatchQueue.global().asyncAfter(deadline: deadline.dispatchTime) { [weak self] in
                self?.finish(streamID, .failure(RPCError(.deadlineExceeded, "deadline exceeded")), tellServer: true)
            }
        }
        return streamID
    }

    /// Sends a data frame of a client stream, unless the call has ended.
    func sendData(_ streamID: UInt32, _ payload: [UInt8]?, close: Bool, passing descriptor: Int32? = nil) {
        var flags: FrameFlags = close ? [.remoteClosed] : []
        if payload == nil { flags.insert(.noData) }
        let frame = FrameEncoder.frame(type: .data, streamID: streamID, flags: flags, payload: payload ?? [])
        guard lock.withLock({ pending[streamID] != nil }) else { return }
        sendLock.withLock { _ = write(frame, passing: descriptor) }
    }

    /// Abandons a call: the server is told with a cancel frame, the caller gets CANCELLED.
    func cancel(_ streamID: UInt32) {
        finish(streamID, .failure(RPCError(.cancelled, "cancelled by the caller")), tellServer: true)
    }

    /// Stops the connection: the reader wakes, fails what is pending and closes the descriptor.
    func shutdown() {
        let first = lock.withLock { () -> Bool in
            defer { isShutDown = true }
            return !isShutDown
        }
        if first { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }

    func waitUntilClosed() {
        readerDone.wait()
        readerDone.signal()
    }

    private func finish(_ streamID: UInt32, _ result: Result<[UInt8], RPCError>, tellServer: Bool) {
        guard let call = lock.withLock({ pending.removeValue(forKey: streamID) }) else { return }
        if tellServer {
            sendLock.withLock { _ = write(FrameEncoder.frame(type: .cancel, streamID: streamID, payload: [])) }
        }
        call.onFinish(result)
    }

    private func write(_ bytes: [UInt8], passing descriptor: Int32? = nil) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            // The descriptor rides on the frame's first byte (the kernel keeps it with that byte).
            while let descriptor, offset == 0 {
                // Safe to unwrap: `bytes` is a frame, never shorter than its header, so it has an address.
                let sent = otklik_send_with_descriptor(fd, buffer.baseAddress!, UInt(buffer.count), descriptor)
                if sent > 0 {
                    offset = sent
                } else if sent < 0, errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            while offset < buffer.count {
                // Safe to unwrap: the loop runs only while the buffer holds bytes, so it has an address.
                let sent = otklik_send(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if sent > 0 {
                    offset += sent
                } else if sent < 0, errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
    }

    private func readLoop() {
        var decoder = FrameDecoder()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        var reason = "connection to the daemon lost"
        var decodedAny = false
        var firstBytes = [UInt8]()
        reading: while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                if count < 0 { reason += ": \(String(cString: strerror(errno)))" }
                break
            }
            if !decodedAny, firstBytes.count < 80 {
                firstBytes += UnsafeRawBufferPointer(rebasing: buffer[0..<min(count, 80 - firstBytes.count)])
            }
            decoder.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            while true {
                let event: FrameDecoder.Event?
                do {
                    event = try decoder.next()
                } catch {
                    reason =
                        decodedAny
                        ? "the server broke the protocol: \(error)"
                        : "text came instead of the protocol: \(String(decoding: firstBytes, as: UTF8.self).debugDescription)"
                    break reading
                }
                guard let event else { break }
                decodedAny = true
                handle(event)
            }
        }
        buffer.deallocate()
        let error = lock.withLock { () -> RPCError in
            let error =
                isShutDown ? RPCError(.unavailable, "the client closed the connection") : RPCError(.unavailable, reason)
            closeError = error
            isShutDown = true
            return error
        }
        let calls = lock.withLock { () -> [PendingCall] in
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for call in calls { call.onFinish(.failure(error)) }
        Glibc.close(fd)
        readerDone.signal()
    }

    private func handle(_ event: FrameDecoder.Event) {
        switch event {
        case .oversized(let header):
            finish(
                header.streamID,
                .failure(RPCError(.resourceExhausted, "the server sent \(header.length) bytes, over the limit")),
                tellServer: true)
        case .frame(let header, let payload):
            switch header.type {
            case .response:
                let result: Result<[UInt8], RPCError>
                do {
                    result = try ResponseEnvelope(serializedBytes: payload).result
                } catch {
                    result = .failure(RPCError(.internal, "undecodable response from the server"))
                }
                finish(header.streamID, result, tellServer: false)
            case .data where !header.flags.contains(.noData):
                lock.withLock { pending[header.streamID]?.onMessage }?(payload)
            default:  // any other frame type: not for a client
                break
            }
        }
    }
}

/// A unary call sent and not yet answered (`RPCClient.begin`).
public final class UnaryCall: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Locked<Result<[UInt8], RPCError>?>(nil)

    fileprivate func complete(_ result: Result<[UInt8], RPCError>) {
        outcome.withLock { $0 = result }
        done.signal()
    }

    /// Waits for the answer (a wait after the first returns it at once).
    public func wait() throws(RPCError) -> [UInt8] {
        done.wait()
        done.signal()
        // Safe to unwrap: `done` is signalled only after the outcome was set.
        return try outcome.current!.get()
    }
}
