@preconcurrency import Dispatch
import COtklikSystem
#if canImport(Glibc)
import Glibc
#endif

/// Why a channel closed.
public enum ChannelCloseReason: Sendable, Equatable, CustomStringConvertible {
    /// The peer closed its end.
    case endOfStream
    /// read or send failed with this errno.
    case systemError(Int32)
    /// The peer broke the protocol; the text says how.
    case protocolViolation(String)
    /// The peer stopped reading and its outbound queue did not move for too long.
    case writeStalled
    /// This side closed it.
    case local

    public var description: String {
        switch self {
        case .endOfStream: "peer closed the connection"
        case .systemError(let code): "socket error: \(String(cString: strerror(code)))"
        case .protocolViolation(let what): "protocol violation: \(what)"
        case .writeStalled: "peer stopped reading"
        case .local: "closed locally"
        }
    }
}

/// A connected non-blocking stream socket, driven by the server's `EventPoller`.
///
/// The socket is registered one-shot in the poller's epoll set: each readiness event is handed to
/// `queue` (or run in its turn on the poller's thread: `inlineGate`), read or written until the kernel
/// has no more, and only then armed again, so at most one event per socket is ever in flight. The
/// descriptor is removed from the set and closed in `close`, on `queue`; an event already taken from
/// the kernel for it finds no handler or a closed channel. Every method must be called on `queue`: the
/// class is confined to it, which is why it can be `@unchecked Sendable`.
final class SocketChannel: @unchecked Sendable {
    let fd: Int32
    let queue: DispatchQueue
    private let poller: EventPoller
    /// Whether an event may run on the poller's thread now (the owner has no long work queued); nil:
    /// never, every event hops to `queue`.
    private let inlineGate: (@Sendable () -> Bool)?

    /// Bytes arrived. Called on `queue`.
    var onBytes: (UnsafeRawBufferPointer) -> Void = { _ in }
    /// Descriptors the peer passed (SCM_RIGHTS), before the bytes they came with. Called on `queue`;
    /// the callee owns them.
    var onDescriptors: ([Int32]) -> Void = { fds in for fd in fds { Glibc.close(fd) } }
    /// The channel closed; called once, on `queue`, after which nothing else is called.
    var onClose: (ChannelCloseReason) -> Void = { _ in }

    /// Large enough that an upload's 1 MiB messages take a few reads, not thirty-two.
    private static let readChunk = 128 * 1024
    private let readBuffer: UnsafeMutableRawBufferPointer
    /// Where `recvmsg` puts descriptors passed with the bytes (at most four a read; more are closed).
    private let passedBuffer: UnsafeMutablePointer<Int32>
    private static let passedMax: Int32 = 4
    private var token: UInt64?
    /// The kernel buffer was full: the next arming asks for writability too.
    private var wantsWrite = false

    /// Pending outbound bytes are `outbound[outboundStart...]`; `flushedTotal` counts every byte
    /// ever written, so a flush callback can wait for an absolute position.
    private var outbound: [UInt8] = []
    private var outboundStart = 0
    private var flushedTotal: UInt64 = 0
    private var flushWaiters: [(position: UInt64, action: () -> Void)] = []
    private var flushWaiterStart = 0
    private var lastWriteProgress = DispatchTime.now()
    private(set) var isClosed = false
    /// Reading is paused (a client stream's handler is behind): the socket is not armed for
    /// readability, so the peer's sends wait in the kernel's buffers and then in the peer.
    private(set) var readPaused = false
    /// The peer hung up while reading was paused: seen again when reading resumes.
    private var hangupWhilePaused = false

    init(fd: Int32, queue: DispatchQueue, poller: EventPoller, inlineGate: (@Sendable () -> Bool)? = nil) {
        self.fd = fd
        self.queue = queue
        self.poller = poller
        self.inlineGate = inlineGate
        self.readBuffer = .allocate(byteCount: Self.readChunk, alignment: 8)
        self.passedBuffer = .allocate(capacity: Int(Self.passedMax))
    }

    deinit {
        readBuffer.deallocate()
        passedBuffer.deallocate()
    }

    /// Bytes queued but not yet taken by the kernel.
    var pendingBytes: Int { outbound.count - outboundStart }

    /// How long the queued bytes have waited without the peer taking any.
    var writeStalledFor: Duration {
        guard pendingBytes > 0 else { return .zero }
        let nanos = DispatchTime.now().uptimeNanoseconds &- lastWriteProgress.uptimeNanoseconds
        return .nanoseconds(Int64(nanos))
    }

    func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !isClosed, token == nil else { return }
        let (queue, inlineGate) = (self.queue, self.inlineGate)
        let registered = poller.register(fd: fd, interest: UInt32(OTKLIK_POLL_IN)) { [self] flags in
            // On the poller's thread. `sync` on an idle queue runs the block here, in the queue's
            // turn: a short call is read, answered and written without waking another thread. The
            // gate keeps out a queue that has long work waiting (a watcher catching up), which
            // would hold the poller and with it every other connection.
            if let inlineGate, inlineGate() {
                queue.sync { self.ready(flags) }
            } else {
                queue.async { self.ready(flags) }
            }
        }
        guard let registered else {
            close(.systemError(errno))
            return
        }
        token = registered
    }

    /// Queues `bytes` and writes as much as the kernel takes now. `onFlushed` runs on `queue` once
    /// the last of these bytes has been handed to the kernel (not if the channel closes first).
    func write(_ bytes: [UInt8], onFlushed: (() -> Void)? = nil) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !isClosed else { return }
        if pendingBytes == 0 {
            outbound.removeAll(keepingCapacity: outbound.capacity <= 1 << 20)
            outboundStart = 0
            lastWriteProgress = .now()
        }
        outbound.append(contentsOf: bytes)
        if let onFlushed {
            flushWaiters.append((flushedTotal + UInt64(pendingBytes), onFlushed))
        }
        if !wantsWrite {
            flush()
        }
    }

    /// Stops taking bytes from the socket until `resumeReading`; writing goes on.
    func pauseReading() {
        dispatchPrecondition(condition: .onQueue(queue))
        readPaused = true
    }

    /// Takes bytes from the socket again (what arrived meanwhile is read at once).
    func resumeReading() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard readPaused, !isClosed else { return }
        readPaused = false
        hangupWhilePaused = false
        readAvailable()
    }

    /// Stops reading and writing, takes the socket out of the poller and closes it.
    func close(_ reason: ChannelCloseReason) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !isClosed else { return }
        isClosed = true
        flushWaiters.removeAll()
        flushWaiterStart = 0
        if let token { poller.remove(fd: fd, token: token) }
        token = nil
        Glibc.close(fd)
        onClose(reason)
        onBytes = { _ in }
        onClose = { _ in }
        onDescriptors = { fds in for fd in fds { Glibc.close(fd) } }
    }

    /// One readiness event from the poller.
    private func ready(_ flags: UInt32) {
        guard !isClosed else { return }
        if flags & UInt32(OTKLIK_POLL_OUT) != 0 || wantsWrite {
            flush()
            guard !isClosed else { return }
        }
        if readPaused {
            // A hang-up is reported until the socket is read: arming again now would spin.
            if flags & UInt32(OTKLIK_POLL_HANGUP | OTKLIK_POLL_ERROR) != 0 {
                hangupWhilePaused = true
            } else if wantsWrite, !hangupWhilePaused {
                arm()
            }
            return
        }
        if flags & UInt32(OTKLIK_POLL_IN | OTKLIK_POLL_HANGUP | OTKLIK_POLL_ERROR) != 0 {
            readAvailable()
        } else {
            arm()
        }
    }

    /// Asks the poller for the next event: readability unless paused, writability while bytes wait.
    private func arm() {
        guard !isClosed, let token else { return }
        let interest = (readPaused ? 0 : UInt32(OTKLIK_POLL_IN)) | (wantsWrite ? UInt32(OTKLIK_POLL_OUT) : 0)
        if !poller.rearm(fd: fd, token: token, interest: interest) {
            close(.systemError(errno))
        }
    }

    /// Reads until the kernel has nothing more (a read shorter than asked for, or EAGAIN) or the peer
    /// closed, then arms again. After a few chunks it yields the queue and continues in a new block,
    /// so one busy peer cannot starve the queue's other work.
    private func readAvailable() {
        for _ in 0..<8 {
            guard !isClosed else { return }
            if readPaused {
                if wantsWrite, !hangupWhilePaused { arm() }
                return
            }
            var passedCount: Int32 = 0
            let count = otklik_recv_with_descriptors(
                fd, readBuffer.baseAddress, UInt(readBuffer.count), passedBuffer, Self.passedMax, &passedCount)
            if passedCount > 0 {
                onDescriptors(Array(UnsafeBufferPointer(start: passedBuffer, count: Int(passedCount))))
            }
            if count > 0 {
                onBytes(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                if count < readBuffer.count {
                    // Less than asked for: the kernel had no more. Armed again without the read that
                    // would say EAGAIN (a system call per call saved); the one-shot interest is
                    // level-triggered, so bytes that came meanwhile are an event at once.
                    if !readPaused { arm() } else if wantsWrite, !hangupWhilePaused { arm() }
                    return
                }
            } else if count == 0 {
                close(.endOfStream)
                return
            } else {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    arm()
                    return
                }
                close(.systemError(code))
                return
            }
        }
        queue.async { [self] in readAvailable() }
    }

    private func flush() {
        while pendingBytes > 0 {
            let sent = outbound.withUnsafeBytes { bytes in
                // Safe to unwrap: the loop runs only while `outbound` holds pending bytes, so it has an address.
                otklik_send(fd, bytes.baseAddress! + outboundStart, pendingBytes)
            }
            if sent > 0 {
                outboundStart += sent
                flushedTotal += UInt64(sent)
                lastWriteProgress = .now()
                runFlushWaiters()
                if isClosed { return }
                continue
            }
            let code = errno
            if sent < 0, code == EINTR { continue }
            if sent < 0, code == EAGAIN || code == EWOULDBLOCK {
                if !wantsWrite {
                    wantsWrite = true
                    if !(readPaused && hangupWhilePaused) { arm() }
                }
                return
            }
            close(.systemError(sent < 0 ? code : EPIPE))
            return
        }
        wantsWrite = false
    }

    private func runFlushWaiters() {
        while flushWaiterStart < flushWaiters.count, flushWaiters[flushWaiterStart].position <= flushedTotal {
            let action = flushWaiters[flushWaiterStart].action
            flushWaiterStart += 1
            action()
            if isClosed { return }
        }
        if flushWaiterStart == flushWaiters.count {
            flushWaiters.removeAll(keepingCapacity: true)
            flushWaiterStart = 0
        }
    }
}
