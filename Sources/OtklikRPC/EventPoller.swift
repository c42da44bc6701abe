@preconcurrency import Dispatch
import COtklikSystem
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// Readiness of every connection's socket, through one epoll instance of our own that one thread of
/// our own waits on.
///
/// Why not a Dispatch read source per connection: on Linux, libdispatch answers a peer's hang-up
/// (EPOLLHUP, which every closed Unix stream socket raises on its peer) by marking the source for
/// deletion, and that unregistration then runs on the source's target queue, on a worker thread,
/// where it unlinks and frees the shared epoll "muxnote" without the manager thread's serialization.
/// Under many connections coming and going, that races with the manager thread registering other
/// sockets and draining events: heap corruption, seen as SIGSEGV in `_dispatch_event_loop_drain`
/// and "Source finalized twice" (SIGILL). Here no socket is known to libdispatch: each is registered
/// one-shot in our epoll set with a token, and re-armed by its channel when it wants more.
///
/// Why a thread of its own rather than one Dispatch read source on the epoll fd: with the source, a
/// call woke libdispatch's manager thread (its own epoll), which woke a worker for the source's
/// queue, which woke another for the connection's queue. Here the kernel wakes this thread, and a
/// channel runs its event on it (the connection's queue entered with `sync` when idle): a short call
/// is read, answered and written by the thread that saw it come. Measured against handing every
/// event but a batch's last to the connections' queues, this costs less CPU a call and serves eight
/// busy connections no slower (docs/BENCHMARKS.md): the Dispatch wake-ups cost what the waiting saves.
///
/// `@unchecked Sendable`: the descriptors are fixed at `init`; the handlers are behind a lock.
final class EventPoller: @unchecked Sendable {
    /// What a registered channel is told, on the poller's thread: it may run its event there, briefly
    /// and waiting for nothing but its own queue, or hand it to its queue.
    typealias Handler = @Sendable (_ flags: UInt32) -> Void

    private let epfd: Int32
    /// Signalled at `deinit`: the thread ends and closes both descriptors.
    private let wakeFD: Int32
    private let handlers = Locked<[UInt64: Handler]>([:])
    private let nextToken = Locked<UInt64>(1)
    /// The token of `wakeFD`; channels' tokens start at 1.
    private static let stopToken: UInt64 = 0

    init() {
        epfd = otklik_epoll_create()
        precondition(epfd >= 0, "epoll_create1 failed: \(String(cString: strerror(errno)))")
        wakeFD = otklik_wake_create()
        precondition(wakeFD >= 0, "eventfd failed: \(String(cString: strerror(errno)))")
        precondition(
            otklik_epoll_arm(epfd, wakeFD, 1, UInt32(OTKLIK_POLL_IN), Self.stopToken) == 0,
            "epoll_ctl failed: \(String(cString: strerror(errno)))")
        let (epfd, wakeFD, handlers) = (epfd, wakeFD, handlers)
        // The thread holds the descriptors and the handlers, never the poller: its deinit stops it.
        // The stack of any thread (glibc's default): requests are decoded and short handlers run here.
        // Only the pages touched take memory.
        let started = DetachedThread.start(stackSize: 8 << 20) {
            Self.wait(epfd: epfd, handlers: handlers)
            Glibc.close(wakeFD)
            Glibc.close(epfd)
        }
        precondition(started, "cannot start the connections' poller thread")
    }

    deinit {
        _ = otklik_wake_signal(wakeFD)
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

    /// Forgets `fd` before it is closed. An event the poller took from the kernel before may still
    /// reach the handler it looked up then: the channel, closed, ignores it.
    func remove(fd: Int32, token: UInt64) {
        handlers.withLock { $0[token] = nil }
        _ = otklik_epoll_remove(epfd, fd)
    }

    /// The thread's loop: each batch's events are handed out in order.
    private static func wait(epfd: Int32, handlers: Locked<[UInt64: Handler]>) {
        var tokens = [UInt64](repeating: 0, count: 64)
        var flags = [UInt32](repeating: 0, count: 64)
        while true {
            let count = tokens.withUnsafeMutableBufferPointer { tokenBuffer in
                flags.withUnsafeMutableBufferPointer { flagBuffer in
                    otklik_epoll_wait(epfd, tokenBuffer.baseAddress, flagBuffer.baseAddress, 64, -1)
                }
            }
            // Only a broken epoll set fails here (EINTR is retried in C). No connection would be served
            // again, and closing the descriptors now would leave their numbers to be reused under
            // the poller's feet: the daemon stops, and its service manager starts it again.
            precondition(count >= 0, "epoll_wait failed: \(String(cString: strerror(errno)))")
            for index in 0..<Int(count) where tokens[index] == stopToken { return }
            for index in 0..<Int(count) {
                let token = tokens[index]
                if let handler = handlers.withLock({ $0[token] }) { handler(flags[index]) }
            }
        }
    }
}
