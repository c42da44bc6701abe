@preconcurrency import Dispatch
import COtklikSystem
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// Readiness of every connection's socket, through one epoll instance of our own that a single
/// Dispatch read source watches.
///
/// Why not a Dispatch read source per connection: on Linux, libdispatch answers a peer's hang-up
/// (EPOLLHUP, which every closed Unix stream socket raises on its peer) by marking the source for
/// deletion, and that unregistration then runs on the source's target queue, on a worker thread,
/// where it unlinks and frees the shared epoll "muxnote" without the manager thread's serialization.
/// Under many connections coming and going, that races with the manager thread registering other
/// sockets and draining events: heap corruption, seen as SIGSEGV in `_dispatch_event_loop_drain`
/// and "Source finalized twice" (SIGILL). Here libdispatch watches one descriptor that never hangs
/// up (the epoll fd); each socket is registered one-shot in our epoll set with a token, and its
/// events are handed to the channel's own serial queue, which re-arms it when it wants more.
///
/// `@unchecked Sendable`: `source` is set in `init`; the event buffers and the registrations are
/// only touched on `queue`.
final class EventPoller: @unchecked Sendable {
    /// What a registered channel is told, on the poller's queue; it must hop to its own queue.
    typealias Handler = @Sendable (_ flags: UInt32) -> Void

    private let epfd: Int32
    private let queue = DispatchQueue(label: "otklik.rpc.poller")
    private var source: (any DispatchSourceRead)?
    private let handlers = Locked<[UInt64: Handler]>([:])
    private let nextToken = Locked<UInt64>(1)
    private var tokens = [UInt64](repeating: 0, count: 64)
    private var flags = [UInt32](repeating: 0, count: 64)

    init() {
        epfd = otklik_epoll_create()
        precondition(epfd >= 0, "epoll_create1 failed: \(String(cString: strerror(errno)))")
        let source = DispatchSource.makeReadSource(fileDescriptor: epfd, queue: queue)
        source.setEventHandler { [unowned self] in self.drain() }
        let fd = epfd
        source.setCancelHandler { Glibc.close(fd) }
        self.source = source
        source.resume()
    }

    deinit {
        source?.cancel()
    }

    /// Registers `fd` one-shot for `interest` (OTKLIK_POLL_*); returns the token to re-arm and remove
    /// it with, or nil with errno set.
    func register(fd: Int32, interest: UInt32, handler: @escaping Handler) -> UInt64? {
        let token = nextToken.withLock { next -> UInt64 in
            defer { next += 1 }
            return next
        }
        handlers.withLock { $0[token] = handler }
        guard otklik_epoll_arm(epfd, fd, 1, interest, token) == 0 else {
            handlers.withLock { $0[token] = nil }
            return nil
        }
        return token
    }

    /// Arms `fd` again for one event of `interest`. False (errno set) if the kernel refused.
    func rearm(fd: Int32, token: UInt64, interest: UInt32) -> Bool {
        otklik_epoll_arm(epfd, fd, 0, interest, token) == 0
    }

    /// Forgets `fd` before it is closed: no event reaches its handler after this returns (one taken
    /// from the kernel already finds no handler).
    func remove(fd: Int32, token: UInt64) {
        handlers.withLock { $0[token] = nil }
        _ = otklik_epoll_remove(epfd, fd)
    }

    private func drain() {
        while true {
            let count = tokens.withUnsafeMutableBufferPointer { tokenBuffer in
                flags.withUnsafeMutableBufferPointer { flagBuffer in
                    otklik_epoll_wait(epfd, tokenBuffer.baseAddress, flagBuffer.baseAddress, 64, 0)
                }
            }
            guard count > 0 else { return }
            for index in 0..<Int(count) {
                let token = tokens[index], flag = flags[index]
                if let handler = handlers.withLock({ $0[token] }) { handler(flag) }
            }
            if count < 64 { return }
        }
    }
}
