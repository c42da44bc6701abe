import Foundation
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

// The two streaming shapes of an `RPCClient` call: what the caller reads and what it sends.

/// The messages of a server-streaming call, read one by one.
///
/// `@unchecked Sendable`: every stored property is read and written under `condition`'s lock.
public final class ClientResponseStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var messages: MessageBuffer
    private var outcome: Result<[UInt8], RPCError>?
    /// How to cancel the call; set once the call has started, which may be after its first
    /// messages arrived on the connection's thread.
    private var cancelAction: (@Sendable () -> Void)?
    /// A cancel asked for before `cancelAction` was set: run as soon as it is.
    private var cancelPending = false

    init(limit: Int) {
        self.messages = MessageBuffer(limit: limit)
    }

    /// The next message; nil after the server ended the stream with OK; throws its error status.
    public func next() throws(RPCError) -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let message = messages.popFirst() { return message }
            if let outcome {
                if case .failure(let error) = outcome { throw error }
                return nil
            }
            condition.wait()
        }
    }

    /// Abandons the stream; `next()` then throws CANCELLED.
    public func cancel() {
        requestCancel()
    }

    func setCancelAction(_ action: @escaping @Sendable () -> Void) {
        condition.lock()
        cancelAction = action
        let run = cancelPending
        condition.unlock()
        if run { action() }
    }

    /// Runs the cancel action outside the lock (it talks to the connection), or remembers the request.
    private func requestCancel() {
        condition.lock()
        let action = cancelAction
        if action == nil { cancelPending = true }
        condition.unlock()
        action?()
    }

    func deliver(_ message: [UInt8]) {
        condition.lock()
        let overflow = !messages.append(message)
        // The stream is over for this reader at once: its end may not wait for the cancel to reach
        // the server (the server's own end can arrive first, while the call is still being set up,
        // and would pass the dropped messages off as a complete stream).
        if overflow, outcome == nil {
            outcome = .failure(
                RPCError(
                    .cancelled,
                    "cancelled: more than \(messages.limit) bytes of the stream waited to be read; read faster or raise maxBufferedStreamBytes"
                ))
        }
        condition.broadcast()
        condition.unlock()
        if overflow { requestCancel() }
    }

    func finish(_ result: Result<[UInt8], RPCError>) {
        condition.lock()
        if outcome == nil { outcome = result }
        condition.broadcast()
        condition.unlock()
    }
}

/// The sending side of a client-streaming call.
///
/// `@unchecked Sendable`: `connection` and `streamID` are set before the stream is handed to its
/// caller and only read by it; the outcome is `Locked`.
public final class ClientRequestStream: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Locked<Result<[UInt8], RPCError>?>(nil)
    private let closed = Locked(false)
    var connection: ClientConnection?
    var streamID: UInt32 = 0

    /// Sends one message. Throws once the call has ended (deadline, server error, cancel).
    public func send(_ message: [UInt8]) throws(RPCError) {
        if let result = outcome.current, case .failure(let error) = result { throw error }
        guard !closed.current else { throw RPCError(.failedPrecondition, "the stream was already finished") }
        connection?.sendData(streamID, message, close: false)
    }

    /// Sends one message with an open descriptor passed along (SCM_RIGHTS; local sockets only): the
    /// server takes it with `ServerContext.takeDescriptor`. The caller keeps its own descriptor.
    public func send(_ message: [UInt8], passing descriptor: Int32) throws(RPCError) {
        if let result = outcome.current, case .failure(let error) = result { throw error }
        guard !closed.current else { throw RPCError(.failedPrecondition, "the stream was already finished") }
        connection?.sendData(streamID, message, close: false, passing: descriptor)
    }

    /// Closes the sending side and waits for the server's answer.
    public func finish() throws(RPCError) -> [UInt8] {
        let first = closed.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        if first, outcome.current == nil {
            connection?.sendData(streamID, nil, close: true)
        }
        done.wait()
        done.signal()
        // Safe to unwrap: `done` is signalled only after the outcome was set (`finish(_:)`).
        return try outcome.current!.get()
    }

    public func cancel() {
        connection?.cancel(streamID)
    }

    func finish(_ result: Result<[UInt8], RPCError>) {
        outcome.withLock { $0 = $0 ?? result }
        done.signal()
    }
}
