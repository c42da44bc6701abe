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

/// A connected non-blocking stream socket driven by Dispatch sources.
///
/// One read source for the channel's whole life; a write source only while the kernel buffer is full.
/// The descriptor is closed in the cancel handler of the last source, never elsewhere, so no event
/// can arrive for a reused descriptor number. Every method must be called on `queue`: the class is
/// confined to it, which is why it can be `@unchecked Sendable`.
final class SocketChannel: @unchecked Sendable {
    let fd: Int32
    let queue: DispatchQueue

    /// Bytes arrived. Called on `queue`.
    var onBytes: (UnsafeRawBufferPointer) -> Void = { _ in }
    /// The channel closed; called once, on `queue`, after which nothing else is called.
    var onClose: (ChannelCloseReason) -> Void = { _ in }

    private static let readChunk = 32 * 1024
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var readSource: (any DispatchSourceRead)?
    private var writeSource: (any DispatchSourceWrite)?
    private var writeSourceRunning = false
    private var liveSources = 0

    /// Pending outbound bytes are `outbound[outboundStart...]`; `flushedTotal` counts every byte
    /// ever written, so a flush callback can wait for an absolute position.
    private var outbound: [UInt8] = []
    private var outboundStart = 0
    private var flushedTotal: UInt64 = 0
    private var flushWaiters: [(position: UInt64, action: () -> Void)] = []
    private var flushWaiterStart = 0
    private var lastWriteProgress = DispatchTime.now()
    private(set) var isClosed = false

    init(fd: Int32, queue: DispatchQueue) {
        self.fd = fd
        self.queue = queue
        self.readBuffer = .allocate(byteCount: Self.readChunk, alignment: 8)
    }

    deinit {
        readBuffer.deallocate()
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
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [unowned self] in self.readAvailable() }
        source.setCancelHandler { [self] in self.sourceCancelled() }
        liveSources += 1
        readSource = source
        source.resume()
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
        if !writeSourceRunning {
            flush()
        }
    }

    /// Stops reading and writing and closes the descriptor (in the sources' cancel handlers).
    func close(_ reason: ChannelCloseReason) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !isClosed else { return }
        isClosed = true
        flushWaiters.removeAll()
        flushWaiterStart = 0
        readSource?.cancel()
        readSource = nil
        if let writeSource {
            if !writeSourceRunning { writeSource.resume() }
            writeSourceRunning = true
            writeSource.cancel()
            self.writeSource = nil
        }
        if liveSources == 0 {
            // Never started: there is no source whose cancel handler would close it.
            Glibc.close(fd)
        }
        onClose(reason)
        onBytes = { _ in }
        onClose = { _ in }
    }

    private func sourceCancelled() {
        liveSources -= 1
        if liveSources == 0 {
            Glibc.close(fd)
        }
    }

    /// Reads until the kernel has nothing more (EAGAIN) or the peer closed: the source may not fire
    /// again for bytes or an end of stream that were already there. After a few chunks it yields the
    /// queue and continues in a new block, so one busy peer cannot starve the queue's other work.
    private func readAvailable() {
        for _ in 0..<8 {
            guard !isClosed else { return }
            let count = Glibc.read(fd, readBuffer.baseAddress, readBuffer.count)
            if count > 0 {
                onBytes(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
            } else if count == 0 {
                close(.endOfStream)
                return
            } else {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { return }
                close(.systemError(code))
                return
            }
        }
        queue.async { [self] in readAvailable() }
    }

    private func flush() {
        while pendingBytes > 0 {
            let sent = outbound.withUnsafeBytes { bytes in
                otklik_send(fd, bytes.baseAddress! + outboundStart, pendingBytes)
            }
            if sent > 0 {
                outboundStart += sent
                flushedTotal += UInt64(sent)
                lastWriteProgress = .now()
                runFlushWaiters()
                continue
            }
            let code = errno
            if sent < 0, code == EINTR { continue }
            if sent < 0, code == EAGAIN || code == EWOULDBLOCK {
                startWriteSource()
                return
            }
            close(.systemError(sent < 0 ? code : EPIPE))
            return
        }
        stopWriteSource()
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

    private func startWriteSource() {
        guard !writeSourceRunning, !isClosed else { return }
        if writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [unowned self] in self.flush() }
            source.setCancelHandler { [self] in self.sourceCancelled() }
            liveSources += 1
            writeSource = source
        }
        writeSourceRunning = true
        writeSource?.resume()
    }

    private func stopWriteSource() {
        guard writeSourceRunning, !isClosed, let writeSource else { return }
        writeSource.suspend()
        writeSourceRunning = false
    }
}
