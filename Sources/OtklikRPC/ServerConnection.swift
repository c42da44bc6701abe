@preconcurrency import Dispatch
import Foundation
import OtklikBase

/// Everything a connection shares with its server.
final class ServerShared: Sendable {
    let registry: ServiceRegistry
    let limits: ServerLimits
    let logger: Logger
    /// Handler bodies still running on pool queues or stream threads (graceful stop waits for them).
    let handlersRunning = DispatchGroup()
    let pool = DispatchQueue(label: "otklik.rpc.handlers", attributes: .concurrent)
    /// Readiness of every connection's socket, and the thread that runs short calls.
    let poller = EventPoller()

    init(registry: ServiceRegistry, limits: ServerLimits, logger: Logger) {
        self.registry = registry
        self.limits = limits
        self.logger = logger
    }
}

/// One accepted client: frames in, calls dispatched, responses out. Confined to `queue`.
final class ServerConnection: @unchecked Sendable {
    let id: UInt64
    let peer: PeerCredentials
    let queue: DispatchQueue
    private let channel: SocketChannel
    private let shared: ServerShared
    /// Long work queued here and not yet done (event streams' `perform`; a pool answer being copied
    /// out): meanwhile this connection's events hop to `queue` rather than run on the poller's thread,
    /// which would wait for it and hold up every other connection (ARCHITECTURE, "The transport").
    private let longWork = Locked(0)
    private var decoder = FrameDecoder()
    private var state: ServerConnectionState
    private var calls: [UInt32: RunningCall] = [:]
    /// Client streams whose handlers are behind: while any is, the socket is not read.
    private var readersBehind: Set<UInt32> = []
    /// Descriptors the peer passed and no handler took yet.
    private let descriptors = DescriptorInbox()
    private var stallCheckArmed = false
    /// Set on connections accepted over the limit: every call is answered with it.
    private let refusal: RPCError?
    /// A peer the daemon does not know: answered (UNAUTHENTICATED by the guard), then closed.
    private let closeAfterAnswer: Bool
    /// When the frame being received began; nil between frames. A peer the daemon does not know
    /// must send its first frame within the frame timeout of connecting; a known one that connects
    /// and waits is idle, not slow (the idle timeout and its uid's share bound it).
    private var frameStartedAt: DispatchTime?
    private var lastActivity = DispatchTime.now()
    private var housekeeping: (any DispatchSourceTimer)?
    var onClosed: (@Sendable (ServerConnection) -> Void)?

    private struct RunningCall {
        let signal: CallSignal
        var reader: RequestStreamReader?
        var writer: ResponseStreamWriter?
        /// An event-driven stream, held while the call runs.
        var events: ServerEventStream?
        /// Fires at the call's deadline; cancelled when the call ends, so nothing of it outlives the call.
        var deadlineTimer: (any DispatchSourceTimer)?
    }

    init(
        id: UInt64, fd: Int32, peer: PeerCredentials, shared: ServerShared, refusal: RPCError? = nil,
        closeAfterAnswer: Bool = false
    ) {
        self.id = id
        self.peer = peer
        self.shared = shared
        self.refusal = refusal
        self.closeAfterAnswer = closeAfterAnswer
        if closeAfterAnswer { frameStartedAt = .now() }
        self.queue = DispatchQueue(label: "otklik.rpc.connection.\(id)")
        let longWork = longWork
        self.channel = SocketChannel(fd: fd, queue: queue, poller: shared.poller) { longWork.current == 0 }
        self.state = ServerConnectionState(maxConcurrentCalls: shared.limits.maxConcurrentCallsPerConnection)
    }

    func start() {
        queue.async { [self] in
            channel.onBytes = { [unowned self] bytes in self.received(bytes) }
            channel.onClose = { [unowned self] reason in self.closed(reason) }
            channel.onDescriptors = { [descriptors] fds in descriptors.put(fds) }
            channel.start()
            startHousekeeping()
        }
    }

    /// Every two seconds: a frame that does not complete in time, or a connection idle too long, is closed.
    private func startHousekeeping() {
        guard !channel.isClosed else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .seconds(2), repeating: .seconds(2), leeway: .milliseconds(500))
        timer.setEventHandler { [weak self] in self?.checkTimeouts() }
        housekeeping = timer
        timer.resume()
    }

    private func checkTimeouts() {
        guard !channel.isClosed else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let limits = shared.limits
        if let started = frameStartedAt, now &- started.uptimeNanoseconds > UInt64(limits.frameTimeout.nanoseconds) {
            shared.logger.warning(
                "connection \(id) (\(peer)): no whole frame within \(limits.frameTimeout); closing it")
            channel.close(.protocolViolation("no whole frame within \(limits.frameTimeout)"))
        } else if calls.isEmpty, channel.pendingBytes == 0,
            now &- lastActivity.uptimeNanoseconds > UInt64(limits.idleTimeout.nanoseconds)
        {
            shared.logger.info("connection \(id) (\(peer)): idle for \(limits.idleTimeout); closing it")
            channel.close(.local)
        }
    }

    /// New calls are answered UNAVAILABLE from now on.
    func startDraining() {
        queue.sync { state.startDraining() }
    }

    /// Ends every client-streaming call with `error` (its handler is woken and its result dropped):
    /// what still waits on a client when the daemon stops would only keep the stop waiting.
    func endClientStreams(_ error: RPCError) {
        queue.sync {
            for (streamID, call) in calls where call.reader != nil { end(streamID, error) }
        }
    }

    func close() {
        queue.async { [self] in channel.close(.local) }
    }

    /// Closes once every queued byte has reached the kernel, or after `timeout` if the peer does not
    /// read: answers given during a graceful stop are delivered, not cut off.
    func closeWhenFlushed(timeout: Duration) {
        queue.async { [self] in
            guard channel.pendingBytes > 0 else {
                channel.close(.local)
                return
            }
            channel.write([]) { [self] in channel.close(.local) }
            queue.asyncAfter(deadline: .now() + .nanoseconds(Int(timeout.nanoseconds))) { [self] in
                channel.close(.local)
            }
        }
    }

    // MARK: Frames in

    private func received(_ bytes: UnsafeRawBufferPointer) {
        lastActivity = .now()
        defer {
            if decoder.hasPartialFrame {
                if frameStartedAt == nil { frameStartedAt = lastActivity }
            } else {
                frameStartedAt = nil
            }
        }
        decoder.feed(bytes)
        while !channel.isClosed {
            let event: FrameDecoder.Event?
            do {
                event = try decoder.next()
            } catch {
                shared.logger.warning("connection \(id) (\(peer)): \(error); closing it")
                channel.close(.protocolViolation(error.description))
                return
            }
            switch event {
            case nil:
                return
            case .frame(let header, let payload):
                perform(state.received(header, payload: payload))
            case .oversized(let header):
                perform(state.receivedOversized(header))
            }
        }
    }

    private func perform(_ action: ServerConnectionState.Action) {
        switch action {
        case .start(let streamID, let request, let inboundOpen):
            start(streamID: streamID, request: request, inboundOpen: inboundOpen)
        case .reject(let streamID, let error):
            shared.logger.debug("connection \(id) stream \(streamID): \(error.code)")
            respond(streamID, .failure(error))
            state.finished(streamID)
        case .deliver(let streamID, let payload, let endOfStream):
            guard let reader = calls[streamID]?.reader else { return }
            switch reader.deliver(payload, endOfStream: endOfStream) {
            case .queued: break
            case .full:
                // Back-pressure: no more bytes from this socket until the handler has caught up.
                readersBehind.insert(streamID)
                channel.pauseReading()
            case .overLimit:
                end(streamID, RPCError(.resourceExhausted, "the handler is behind on client-streamed messages"))
            }
        case .cancel(let streamID):
            end(streamID, RPCError(.cancelled, "cancelled by the client"))
        case .fail(let streamID, let error):
            end(streamID, error)
        case .ignore(let reason):
            shared.logger.debug("connection \(id): ignored \(reason)")
        case .close(let reason):
            shared.logger.warning("connection \(id) (\(peer)): \(reason); closing it")
            channel.close(.protocolViolation(reason))
        }
    }

    // MARK: Calls

    private func start(streamID: UInt32, request: RequestEnvelope, inboundOpen: Bool) {
        guard let (handler, context) = admit(streamID, request) else { return }
        let signal = context.signal
        let logger = shared.logger
        let describe = "\(request.service)/\(request.method)"
        switch handler {
        case .unary(.inline, let body):
            respond(streamID, Self.run(describe, logger) { try body(context, request.payload) })
            state.finished(streamID)
            return
        case .unary(.pool, let body):
            calls[streamID] = RunningCall(signal: signal)
            shared.handlersRunning.enter()
            shared.pool.async { [self] in
                let result = Self.run(describe, logger) { try body(context, request.payload) }
                // The answer is written from this thread, in the connection queue's turn (`sync` runs
                // here when the queue is idle): one hop per call, not a second wake-up to answer.
                // Nothing on a connection queue ever waits for the pool, so this cannot deadlock.
                // Left only once the answer is queued for the socket, so a graceful stop that
                // waits for handlers also waits for their answers. Counted as long work: a large
                // answer takes a while to copy out, and the poller must not wait for it.
                longWork.withLock { $0 += 1 }
                queue.sync {
                    self.complete(streamID, result)
                }
                longWork.withLock { $0 -= 1 }
                self.shared.handlersRunning.leave()
            }
        case .serverStreaming(let body):
            let writer = ResponseStreamWriter(limit: shared.limits.maxStreamOutboundBytes, signal: signal) {
                [self] message, flushed in
                queue.async { self.emitData(streamID, message, flushed) }
            }
            signal.onCancel = { [weak writer] in writer?.wake() }  // weak: the writer holds the signal
            calls[streamID] = RunningCall(signal: signal, writer: writer)
            runOnThread(streamID: streamID) {
                Self.run(describe, logger) {
                    try body(context, request.payload, writer); return []
                }
            }
        case .serverEvents(let body):
            startEvents(streamID, context, describe) { stream in try body(context, request.payload, stream) }
        case .clientStreaming(let body):
            let reader = RequestStreamReader(
                limit: shared.limits.maxStreamInboundBytes, signal: signal,
                idleTimeout: shared.limits.clientStreamIdleTimeout)
            if !inboundOpen { _ = reader.deliver(nil, endOfStream: true) }
            reader.onDrained = { [weak self, queue] in
                guard let connection = self else { return }
                queue.async { connection.caughtUp(streamID) }
            }
            signal.onCancel = { [weak reader] in reader?.wake() }  // weak: the reader holds the signal
            calls[streamID] = RunningCall(signal: signal, reader: reader)
            runOnThread(streamID: streamID) {
                Self.run(describe, logger) { try body(context, reader) }
            }
        }
        if let deadline = context.deadline, calls[streamID] != nil { arm(deadline, for: streamID) }
    }

    /// The call's handler and context, or nil when it was answered already: the connection is being
    /// refused, no such method, or its deadline passed before it started.
    private func admit(_ streamID: UInt32, _ request: RequestEnvelope) -> (MethodHandler, ServerContext)? {
        if let refusal {
            respond(streamID, .failure(refusal))
            state.finished(streamID)
            channel.close(.local)
            return nil
        }
        let handler: MethodHandler
        do {
            handler = try shared.registry.handler(service: request.service, method: request.method)
        } catch {
            respond(streamID, .failure(error))
            state.finished(streamID)
            return nil
        }
        let deadline = Deadline(timeoutNanos: request.timeoutNanos)
        if let deadline, deadline.hasPassed() {
            respond(streamID, .failure(RPCError(.deadlineExceeded, "deadline passed before the call started")))
            state.finished(streamID)
            return nil
        }
        return (
            handler,
            ServerContext(
                request: request, peer: peer, deadline: deadline, signal: CallSignal(), descriptors: descriptors)
        )
    }

    /// An event-driven stream (`.serverEvents`): `body` subscribes it and returns; it ends when its
    /// owner finishes it, or is told of a cancellation on the connection's queue.
    private func startEvents(
        _ streamID: UInt32, _ context: ServerContext, _ describe: String,
        _ body: @escaping @Sendable (ServerEventStream) throws -> Void
    ) {
        let shared = shared
        let signal = context.signal
        shared.handlersRunning.enter()
        // Weak: the stream may end after its connection is gone (a client that left while a
        // watcher was queued to be told); then there is nothing to write, only the count to give back.
        let stream = ServerEventStream(
            queue: queue, longWork: longWork, limit: shared.limits.maxStreamOutboundBytes,
            emit: { [weak self] message, flushed in
                guard let self else { return flushed() }
                emitData(streamID, message, flushed)
            },
            complete: { [weak self] result in
                // Left once the answer is queued, as for every handler (the graceful stop waits).
                self?.complete(streamID, result)
                shared.handlersRunning.leave()
            })
        signal.onCancel = { [weak stream, weak signal, queue] in
            // Alive until it ends (its owner holds it): told on the queue, then let go.
            guard let stream else { return }
            let reason = signal?.cancellation ?? RPCError(.cancelled, "cancelled")
            queue.async { stream.cancelled(reason) }
        }
        calls[streamID] = RunningCall(signal: signal, events: stream)
        // In a block of its own: the body may read the store (a watcher's check and first batch), and
        // this may be running on the poller's thread.
        stream.perform { [logger = shared.logger] in
            // Cancelled meanwhile (the client, the deadline, the connection gone): answered already.
            guard !signal.isCancelled else { return }
            if case .failure(let error) = Self.run(
                describe, logger,
                {
                    try body(stream); return []
                })
            {
                stream.finish(error)
            }
        }
    }

    /// Ends the call with DEADLINE_EXCEEDED when its deadline comes first.
    private func arm(_ deadline: Deadline, for streamID: UInt32) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: deadline.dispatchTime)
        timer.setEventHandler { [weak self] in
            self?.end(streamID, RPCError(.deadlineExceeded, "deadline exceeded"))
        }
        calls[streamID]?.deadlineTimer = timer
        timer.resume()
    }

    /// Runs a streaming handler on a thread of its own; `body` returns the call's result, which is
    /// answered on the connection's queue. The graceful stop's count is left once it is queued.
    private func runOnThread(streamID: UInt32, _ body: @escaping @Sendable () -> Result<[UInt8], RPCError>) {
        shared.handlersRunning.enter()
        let started = DetachedThread.start(stackSize: 512 * 1024) { [self] in
            let result = body()
            queue.async {
                self.complete(streamID, result)
                self.shared.handlersRunning.leave()
            }
        }
        if !started {
            complete(
                streamID,
                .failure(RPCError(.resourceExhausted, "the daemon cannot start another stream now; try again shortly")))
            shared.handlersRunning.leave()
        }
    }

    /// Runs a handler body and maps what it throws to a status.
    private static func run(_ describe: String, _ logger: Logger, _ body: () throws -> [UInt8]) -> Result<
        [UInt8], RPCError
    > {
        do {
            return .success(try body())
        } catch let error as RPCError {
            return .failure(error)
        } catch {
            logger.error("\(describe) failed: \(error)")
            return .failure(RPCError(.internal, "internal error; the daemon's log has details"))
        }
    }

    /// The handler returned: answer unless the call already ended (deadline, cancel).
    private func complete(_ streamID: UInt32, _ result: Result<[UInt8], RPCError>) {
        guard let call = calls.removeValue(forKey: streamID) else { return }
        call.deadlineTimer?.cancel()
        lastActivity = .now()
        respond(streamID, result)
        state.finished(streamID)
        caughtUp(streamID)
    }

    /// A client stream's handler caught up, or its call ended: the socket is read again once no
    /// handler is behind.
    private func caughtUp(_ streamID: UInt32) {
        guard readersBehind.remove(streamID) != nil, readersBehind.isEmpty else { return }
        channel.resumeReading()
    }

    /// End a running call now with `error`; the handler is told and its result will be dropped.
    private func end(_ streamID: UInt32, _ error: RPCError) {
        guard let call = calls.removeValue(forKey: streamID) else { return }
        call.deadlineTimer?.cancel()
        call.signal.cancel(error)
        respond(streamID, .failure(error))
        state.finished(streamID)
        caughtUp(streamID)
    }

    // MARK: Frames out

    private func respond(_ streamID: UInt32, _ result: Result<[UInt8], RPCError>) {
        var response: ResponseEnvelope
        switch result {
        case .success(let payload): response = ResponseEnvelope(payload: payload)
        case .failure(let error): response = ResponseEnvelope(error: error)
        }
        var bytes = response.serializedBytes()
        if bytes.count > FrameHeader.maxPayload
            || channel.pendingBytes + bytes.count > shared.limits.maxOutboundBytesPerConnection
        {
            let size = bytes.count
            response = ResponseEnvelope(
                error: RPCError(
                    .resourceExhausted,
                    bytes.count > FrameHeader.maxPayload
                        ? "response of \(size) bytes is over the \(FrameHeader.maxPayload)-byte limit"
                        : "response of \(size) bytes does not fit this connection's outbound queue; read your responses"
                ))
            bytes = response.serializedBytes()
        }
        send(FrameEncoder.frame(type: .response, streamID: streamID, payload: bytes))
        if closeAfterAnswer {
            // A peer the daemon does not know gets its answer and nothing more.
            if channel.pendingBytes == 0 {
                channel.close(.local)
            } else {
                channel.write([]) { [self] in channel.close(.local) }
            }
        }
    }

    private func emitData(_ streamID: UInt32, _ message: [UInt8], _ flushed: @escaping @Sendable () -> Void) {
        guard calls[streamID] != nil, !channel.isClosed else {
            flushed()
            return
        }
        channel.write(FrameEncoder.frame(type: .data, streamID: streamID, payload: message), onFlushed: flushed)
        armStallCheck()
    }

    private func send(_ frame: [UInt8]) {
        channel.write(frame)
        armStallCheck()
    }

    /// A peer whose queued bytes do not move for `writeStallTimeout` is disconnected.
    private func armStallCheck() {
        guard !stallCheckArmed, channel.pendingBytes > 0, !channel.isClosed else { return }
        stallCheckArmed = true
        let timeout = shared.limits.writeStallTimeout
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(timeout.nanoseconds))) { [weak self] in
            guard let self else { return }
            stallCheckArmed = false
            if channel.writeStalledFor >= timeout {
                shared.logger.warning("connection \(id) (\(peer)): did not read for \(timeout); closing it")
                channel.close(.writeStalled)
            } else {
                armStallCheck()
            }
        }
    }

    private func closed(_ reason: ChannelCloseReason) {
        if decoder.hasPartialFrame, reason == .endOfStream {
            shared.logger.debug("connection \(id): peer left in the middle of a frame")
        }
        let error = RPCError(.unavailable, "connection closed")
        for (_, call) in calls {
            call.deadlineTimer?.cancel()
            call.signal.cancel(error)
        }
        housekeeping?.cancel()
        housekeeping = nil
        calls.removeAll()
        descriptors.closeAll()
        onClosed?(self)
        onClosed = nil
    }
}
