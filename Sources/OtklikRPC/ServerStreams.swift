import Foundation

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

    init(limit: Int, signal: CallSignal) {
        self.queued = MessageBuffer(limit: limit)
        self.signal = signal
    }

    /// The next message, or nil once the client closed its side. Throws the call's end.
    public func next() throws(RPCError) -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let reason = signal.cancellation { throw reason }
            if let message = queued.popFirst() { return message }
            if ended { return nil }
            condition.wait()
        }
    }

    /// Called by the connection. Returns false when the handler is too far behind.
    func deliver(_ message: [UInt8]?, endOfStream: Bool) -> Bool {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        if let message, !queued.append(message) { return false }
        if endOfStream { ended = true }
        return true
    }

    func wake() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }
}
