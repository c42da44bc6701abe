import COtklikSystem
import Foundation
import OtklikTestSupport
@testable import OtklikRPC
import Testing
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// A private temporary directory (mode 0700), as the server wants for its socket.
func temporaryDirectory() -> String {
    Scratch.directory("rpc")
}

/// Services for transport tests. Payloads are small texts so tests read plainly.
func testRegistry(cancelled: Locked<[String]> = Locked([])) -> ServiceRegistry {
    var registry = ServiceRegistry()
    registry.register(service: "test.Echo", method: "Unary", .unary(placement: .inline) { _, payload in payload })
    registry.register(
        service: "test.Echo", method: "Peer",
        .unary(placement: .inline) { context, _ in
            Array("\(context.peer.uid) \(context.peer.gid) \(context.peer.pid)".utf8)
        })
    // Sleeps the number of milliseconds in the payload, then echoes it.
    registry.register(
        service: "test.Echo", method: "Slow",
        .unary(placement: .pool) { context, payload in
            let milliseconds = Int(String(decoding: payload, as: UTF8.self)) ?? 0
            let until = Date().addingTimeInterval(Double(milliseconds) / 1000)
            while Date() < until {
                if context.isCancelled {
                    cancelled.withLock { $0.append(String(decoding: payload, as: UTF8.self)) }
                    throw RPCError(.cancelled, "stopped")
                }
                usleep(2000)
            }
            return payload
        })
    // Answers with as many bytes as the payload says.
    registry.register(
        service: "test.Echo", method: "Big",
        .unary(placement: .inline) { _, payload in
            [UInt8](repeating: 7, count: Int(String(decoding: payload, as: UTF8.self)) ?? 0)
        })
    registry.register(
        service: "test.Echo", method: "Throw",
        .unary(placement: .pool) { _, _ in
            struct Secret: Error {}
            throw Secret()
        })
    // Streams "count size" messages of `size` bytes each, the first byte being the index.
    registry.register(
        service: "test.Stream", method: "Count",
        .serverStreaming { _, payload, writer in
            let words = String(decoding: payload, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
            let count = words.first ?? 0, size = max(1, words.count > 1 ? words[1] : 1)
            for index in 0..<count {
                var message = [UInt8](repeating: 0, count: size)
                message[0] = UInt8(truncatingIfNeeded: index)
                try writer.send(message)
            }
        })
    // Adds up one-byte messages.
    registry.register(
        service: "test.Stream", method: "Sum",
        .clientStreaming { _, reader in
            var total = 0
            while let message = try reader.next() { total += message.reduce(0) { $0 + Int($1) } }
            return Array(String(total).utf8)
        })
    // Counts the bytes of every message, slowly (a millisecond each): a handler behind its client.
    registry.register(
        service: "test.Stream", method: "SlowCount",
        .clientStreaming { _, reader in
            var total = 0
            while let message = try reader.next() {
                total += message.count
                usleep(1000)
            }
            return Array(String(total).utf8)
        })
    return registry
}

/// A server on a fresh socket; stopped by the caller.
func startServer(
    registry: ServiceRegistry = testRegistry(), limits: ServerLimits = ServerLimits()
) throws -> (server: RPCServer, path: String) {
    let path = temporaryDirectory() + "/s.sock"
    let server = RPCServer(socketPath: path, registry: registry, limits: limits, logger: .silent)
    try server.start()
    return (server, path)
}

extension RPCClient {
    func text(_ service: String, _ method: String, _ payload: String, timeout: Duration? = nil) throws(RPCError)
        -> String
    {
        String(
            decoding: try call(service: service, method: method, payload: Array(payload.utf8), timeout: timeout),
            as: UTF8.self)
    }
}

/// A blocking socket that speaks raw frames, for sending what no well-behaved client would.
final class RawConnection {
    let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard otklik_unix_connect(fd, path) == 0 else {
            Glibc.close(fd)
            throw RPCError(.unavailable, "connect failed")
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { otklik_send(fd, $0.baseAddress! + offset, bytes.count - offset) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    func sendFrame(_ type: FrameType, stream: UInt32, flags: FrameFlags = [], payload: [UInt8]) {
        send(FrameEncoder.frame(type: type, streamID: stream, flags: flags, payload: payload))
    }

    func sendRequest(
        stream: UInt32, service: String = "test.Echo", method: String = "Unary", payload: String = "",
        timeoutNanos: Int64 = 0, flags: FrameFlags = [.remoteClosed]
    ) {
        let request = RequestEnvelope(
            service: service, method: method, payload: Array(payload.utf8), timeoutNanos: timeoutNanos)
        sendFrame(.request, stream: stream, flags: flags, payload: request.serializedBytes())
    }

    /// The next frame, or nil when the server closed the connection (or 5 s passed).
    func readFrame() -> (FrameHeader, [UInt8])? {
        guard let head = readExactly(FrameHeader.size) else { return nil }
        let length = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
        let stream = UInt32(head[4]) << 24 | UInt32(head[5]) << 16 | UInt32(head[6]) << 8 | UInt32(head[7])
        guard let payload = readExactly(length) else { return nil }
        return (
            FrameHeader(
                length: UInt32(length), streamID: stream, type: FrameType(rawValue: head[8]),
                flags: FrameFlags(rawValue: head[9])), payload
        )
    }

    func readResponse() -> (stream: UInt32, response: ResponseEnvelope)? {
        while let (header, payload) = readFrame() {
            guard header.type == .response else { continue }
            return (header.streamID, try! ResponseEnvelope(serializedBytes: payload))
        }
        return nil
    }

    /// True when the server has closed its end (read returns 0).
    func closedByServer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    private func readExactly(_ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            if got <= 0 { return nil }
            offset += got
        }
        return buffer
    }
}
