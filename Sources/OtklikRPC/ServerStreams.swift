import Foundation
import OtklikBase

/// Sends the messages of a server-streaming call.
///
/// Each stream may have at most `limit` bytes handed to the connection and not yet taken by the
/// kernel: `send` waits for room. So a client that stops reading holds back
/// its own stream and never grows the daemon's memory.
///
/// `@unchecked Sendable`: `inFlight` is only touched inside `condition`.
public final class ResponseStreamWriter: @unchecked Sendable {
    private let condition = NSCondition()
    private let limit: Int
    private var inFlight = 0
    private let signal: CallSignal
    private let emit: @Sendable ([UInt8], _ onFlushed: @escaping @Sendable () -> Void) -> Void

    init(limit: Int, signal: CallSignal, emit: @escaping @Sendable ([UInt8], @escaping @Sendable () -> Void) -> Void) {
        self.limit = limit
        self.signal = signal
        self.emit = emit
    }

    /// Sends one message, waiting while the client is behind. Throws the call's end (CANCELLED,
    /// DEADLINE_EXCEEDED, UNAVAILABLE) once it has ended.
    public func send(_ message: [UInt8]) throws(RPCError) {
        condition.lock()
        while true {
            if let reason = signal.cancellation {
                condition.unlock()
                throw reason
            }
            if inFlight == 0 || inFlight + message.count <= limit { break }
            condition.wait()
        }
        inFlight += message.count
        condition.unlock()
        hand(message)
    }

    /// Bytes handed over and not yet written to the socket.
    public var pendingBytes: Int {
        condition.lock()
        defer { condition.unlock() }
        return inFlight
    }

    private func hand(_ message: [UInt8]) {
        let size = message.count
        emit(message) { [self] in
            condition.lock()
            inFlight -= size
            condition.broadcast()
            condition.unlock()
        }
    }

    func wake() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }
}

/// Reads the messages of a client-streaming call.
///
/// Messages wait here until the handler takes them; more than `limit` bytes waiting fails the call
/// with RESOURCE_EXHAUSTED rather than growing without bound.
///
/// `@unchecked Sendable`: `queued` and `ended` are only touched inside `condition`.
public final class RequestStreamReader: @unchecked Sendable {
    private let condition = NSCondition()
    private var queued: MessageBuffer
    private var ended = false
    private let signal: CallSignal
    /// Past this many bytes waiting, the connection stops reading its socket (`Delivery.full`);
    /// below half of it the handler tells it to go on (`onDrained`). The peer's sends then wait in
    /// the kernel, so a fast uploader meets a slow disk without growing the daemon's memory.
    private let highWater: Int
    private var full = false
    /// Called (on the handler's thread, outside the lock) when a full reader drained below half.
    var onDrained: (@Sendable () -> Void)?

    /// How long `next` waits for a message before the client is taken to have stalled.
    public let idleTimeout: Duration?

    init(limit: Int, signal: CallSignal, idleTimeout: Duration? = nil) {
        self.queued = MessageBuffer(limit: limit)
        self.signal = signal
        self.highWater = max(1, limit / 4)
        self.idleTimeout = idleTimeout
    }

    /// What `next` throws when the client sent nothing for `idleTimeout`: the call is not cancelled
    /// (`ServerContext.isCancelled` stays false), its handler ends it.
    public static func stalled(_ timeout: Duration) -> RPCError {
        RPCError(.deadlineExceeded, "the client sent nothing for \(timeout.components.seconds) s")
    }

    /// The next message, or nil once the client closed its side. Throws the call's end, or
    /// `stalled` when nothing came for the idle timeout (a client that stops sending cannot hold a
    /// thread and a file for ever: issue 25, H3).
    public func next() throws(RPCError) -> [UInt8]? {
        condition.lock()
        var drained = false
        defer {
            condition.unlock()
            if drained { onDrained?() }
        }
        let idleUntil = idleTimeout.map { Date(timeIntervalSinceNow: Double($0.nanoseconds) / 1e9) }
        var timedOut = false
        while true {
            if let reason = signal.cancellation { throw reason }
            if let message = queued.popFirst() {
                if full, queued.bytes < highWater / 2 {
                    full = false
                    drained = true
                }
                return message
            }
            if ended { return nil }
            if let idleTimeout, let idleUntil {
                if timedOut { throw Self.stalled(idleTimeout) }
                timedOut = !condition.wait(until: idleUntil)
            } else {
                condition.wait()
            }
        }
    }

    enum Delivery {
        case queued
        /// Queued, and the handler is behind: stop reading until `onDrained`.
        case full
        /// Over the limit: the call fails.
        case overLimit
    }

    /// Called by the connection.
    func deliver(_ message: [UInt8]?, endOfStream: Bool) -> Delivery {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        if let message, !queued.append(message) { return .overLimit }
        if endOfStream { ended = true }
        if queued.bytes >= highWater {
            full = true
            return .full
        }
        return .queued
    }

    func wake() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }
}

/// The server's side of a server-streaming call driven by events, not by a thread of its own: the
/// handler sets it up and returns; from then on its owner sends when something happens (an event
/// published, room on the socket) and finishes the call when it is done.
///
/// Everything runs on the connection's queue: `perform` gets there from elsewhere (and is where an
/// owner's long work goes: while any waits, the connection's events are not run on the poller's
/// thread), and `onRoom` (in a `perform` block of its own) and `onEnd` are called there. At most
/// `limit` bytes (and one message) are handed to the connection and not yet taken by the kernel; past
/// that `hasRoom` is false until the socket drains, so a client that stops reading holds back its own
/// stream and never grows the daemon's memory.
///
/// `@unchecked Sendable`: its state is confined to the connection's queue.
public final class ServerEventStream: @unchecked Sendable {
    private let queue: DispatchQueue
    /// The connection's count of long work not yet done (these `perform` blocks among it).
    private let longWork: Locked<Int>
    private let limit: Int
    private var inFlight = 0
    private var ended = false
    private let emit: ([UInt8], @escaping @Sendable () -> Void) -> Void
    private let complete: (Result<[UInt8], RPCError>) -> Void
    /// Called on the connection's queue when the bytes in flight fell below the limit again.
    public var onRoom: (() -> Void)?
    /// Called once on the connection's queue when the call ended from outside (a cancel, the
    /// deadline, the client gone): release what the stream holds.
    public var onEnd: ((RPCError) -> Void)?

    init(
        queue: DispatchQueue, longWork: Locked<Int>, limit: Int,
        emit: @escaping ([UInt8], @escaping @Sendable () -> Void) -> Void,
        complete: @escaping (Result<[UInt8], RPCError>) -> Void
    ) {
        self.queue = queue
        self.longWork = longWork
        self.limit = limit
        self.emit = emit
        self.complete = complete
    }

    /// Runs `body` on the connection's queue (from any thread).
    public func perform(_ body: @escaping @Sendable () -> Void) {
        longWork.withLock { $0 += 1 }
        queue.async { [longWork] in
            body()
            longWork.withLock { $0 -= 1 }
        }
    }

    /// Whether the call has ended (finished, or ended from outside).
    public var isEnded: Bool { ended }

    /// Whether a message may be sent now without going past the limit.
    public var hasRoom: Bool { !ended && inFlight < limit }

    /// Sends one message (on the connection's queue). Never waits: check `hasRoom` first.
    public func send(_ message: [UInt8]) {
        guard !ended else { return }
        let size = message.count
        inFlight += size
        emit(message) { [weak self] in
            // The channel calls this on the connection's queue.
            guard let self else { return }
            let hadRoom = hasRoom
            inFlight -= size
            // Not from here: the flush that called this may be running on the poller's thread, and
            // room lets the owner read on (a watcher's next batch of the log).
            if !hadRoom, hasRoom { perform { [weak self] in self?.onRoom?() } }
        }
    }

    /// Ends the call with `error`, or OK when nil (on the connection's queue). Only the first end counts.
    public func finish(_ error: RPCError? = nil) {
        guard end() else { return }
        complete(error.map { .failure($0) } ?? .success([]))
    }

    /// The call ended from outside: the owner is told, and the call's slot is given back.
    func cancelled(_ error: RPCError) {
        let onEnd = onEnd
        guard end() else { return }
        onEnd?(error)
        complete(.failure(error))
    }

    private func end() -> Bool {
        guard !ended else { return false }
        ended = true
        onRoom = nil
        onEnd = nil
        return true
    }
}
