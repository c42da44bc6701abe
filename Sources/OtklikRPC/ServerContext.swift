import Foundation
import OtklikBase

/// What a handler knows about the call it serves.
public struct ServerContext: Sendable {
    public let service: String
    public let method: String
    public let peer: PeerCredentials
    public let metadata: [MetadataEntry]
    public let deadline: Deadline?
    /// What the registry's guard established about the call before the handler runs (the server
    /// puts its resolved caller here), so a handler never works it out again.
    public internal(set) var attachment: (any Sendable)?
    let signal: CallSignal
    let descriptors: DescriptorInbox?

    init(
        request: RequestEnvelope, peer: PeerCredentials, deadline: Deadline?, signal: CallSignal,
        descriptors: DescriptorInbox? = nil
    ) {
        self.service = request.service
        self.method = request.method
        self.peer = peer
        self.metadata = request.metadata
        self.deadline = deadline
        self.signal = signal
        self.descriptors = descriptors
    }

    /// The oldest descriptor the peer passed on this connection (SCM_RIGHTS) that no call took yet;
    /// the caller owns it and closes it. nil when there is none.
    public func takeDescriptor() -> Int32? { descriptors?.take() }

    /// True once the client cancelled, the deadline passed, the connection went away or the call
    /// was otherwise ended; a long handler checks this and stops.
    public var isCancelled: Bool { signal.isCancelled }

    /// Runs `body` once when the call ends early (at once if it already has), so a handler waiting
    /// on its own condition can wake and stop.
    public func whenCancelled(_ body: @escaping @Sendable () -> Void) {
        signal.whenCancelled(body)
    }

    /// The first value of a metadata key.
    public func metadata(_ key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }
}

/// The cancellation flag of one call, shared by the connection and the handler's thread.
/// `@unchecked Sendable`: its reason and handlers are only touched inside `condition`.
final class CallSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var reason: RPCError?

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return reason != nil
    }

    var cancellation: RPCError? {
        condition.lock()
        defer { condition.unlock() }
        return reason
    }

    func cancel(_ error: RPCError) {
        condition.lock()
        if reason == nil { reason = error }
        let handlers = cancelHandlers
        cancelHandlers = []
        condition.broadcast()
        condition.unlock()
        onCancel?()
        for handler in handlers { handler() }
    }

    private var cancelHandlers: [@Sendable () -> Void] = []

    func whenCancelled(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        guard reason == nil else {
            condition.unlock()
            body()
            return
        }
        cancelHandlers.append(body)
        condition.unlock()
    }

    /// Streams waiting on their own conditions register here to be woken by a cancel.
    var onCancel: (@Sendable () -> Void)?
}

/// Descriptors a peer passed on its connection (SCM_RIGHTS), oldest first, until a handler takes
/// one. At most `limit` wait; more are closed at once, as are those left when the connection ends.
final class DescriptorInbox: Sendable {
    private let waiting = Locked<[Int32]>([])
    static let limit = 4

    func put(_ fds: [Int32]) {
        let refused = waiting.withLock { waiting -> [Int32] in
            let room = max(0, Self.limit - waiting.count)
            waiting += fds.prefix(room)
            return Array(fds.dropFirst(room))
        }
        for fd in refused { close(fd) }
    }

    func take() -> Int32? {
        waiting.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    func closeAll() {
        for fd in waiting.withLock({ waiting -> [Int32] in
            defer { waiting = [] }
            return waiting
        }) { close(fd) }
    }
}
