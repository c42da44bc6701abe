import COtklikSystem
import Foundation
@testable import OtklikRPC
import Testing
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ServerCallTests {
    @Test func unaryCallRoundTrips() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        #expect(try client.text("test.Echo", "Unary", "привет") == "привет")
    }

    @Test func handlersSeeThePeersCredentials() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        #expect(try client.text("test.Echo", "Peer", "") == "\(getuid()) \(getgid()) \(getpid())")
    }

    @Test func concurrentCallsOnOneConnectionAnswerOutOfOrder() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        raw.sendRequest(stream: 1, method: "Slow", payload: "300")
        raw.sendRequest(stream: 3, method: "Unary", payload: "fast")
        let first = try #require(raw.readResponse())
        let second = try #require(raw.readResponse())
        #expect(first.stream == 3)
        #expect(first.response.payload == Array("fast".utf8))
        #expect(second.stream == 1)
        #expect(second.response.payload == Array("300".utf8))
    }

    @Test func manyThreadsShareOneClient() async throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    for call in 0..<50 {
                        let text = "\(task)-\(call)"
                        let answer = try await client.call(
                            service: "test.Echo", method: "Unary", payload: Array(text.utf8))
                        #expect(answer == Array(text.utf8))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func unknownServiceAndMethodAreUnimplemented() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        #expect(throws: RPCError(.unimplemented, "service no.Such is not served here")) {
            try client.text("no.Such", "Thing", "")
        }
        #expect(throws: RPCError(.unimplemented, "method Thing is not a method of test.Echo")) {
            try client.text("test.Echo", "Thing", "")
        }
    }

    @Test func aHandlersOwnErrorIsInternalWithoutItsText() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        #expect(throws: RPCError(.internal, "internal error; the daemon's log has details")) {
            try client.text("test.Echo", "Throw", "")
        }
    }

    @Test func clientDeadlineFailsTheCallAndCancelsItOnTheServer() throws {
        let cancelled = Locked<[String]>([])
        let (server, path) = try startServer(registry: testRegistry(cancelled: cancelled))
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        // Were the deadline ignored, the call would succeed after 2 s.
        #expect(throws: RPCError(.deadlineExceeded, "deadline exceeded")) {
            try client.text("test.Echo", "Slow", "2000", timeout: .milliseconds(100))
        }
        // The handler notices within a few polls.
        let until = Date().addingTimeInterval(2)
        while cancelled.current.isEmpty, Date() < until { usleep(5000) }
        #expect(cancelled.current == ["2000"])
        // The connection goes on.
        #expect(try client.text("test.Echo", "Unary", "still here") == "still here")
    }

    @Test func serverEnforcesTheDeadlineOnItsOwn() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        // A client that sends a deadline but does not enforce it still gets DEADLINE_EXCEEDED in time.
        // Were the deadline ignored, the answer would be OK after 3 s.
        raw.sendRequest(stream: 1, method: "Slow", payload: "3000", timeoutNanos: 100_000_000)
        let answer = try #require(raw.readResponse())
        #expect(answer.response.code == .deadlineExceeded)
    }

    @Test func cancelFrameEndsTheCall() throws {
        let cancelled = Locked<[String]>([])
        let (server, path) = try startServer(registry: testRegistry(cancelled: cancelled))
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        raw.sendRequest(stream: 1, method: "Slow", payload: "5000")
        usleep(50_000)
        raw.sendFrame(.cancel, stream: 1, payload: [])
        let answer = try #require(raw.readResponse())
        #expect(answer.stream == 1)
        #expect(answer.response.code == .cancelled)
        let until = Date().addingTimeInterval(2)
        while cancelled.current.isEmpty, Date() < until { usleep(5000) }
        #expect(cancelled.current == ["5000"])
    }

    @Test func serverStreamingDeliversEveryMessageThenOK() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        let stream = client.serverStream(service: "test.Stream", method: "Count", payload: Array("300 100".utf8))
        var indices: [UInt8] = []
        while let message = try stream.next() {
            #expect(message.count == 100)
            indices.append(message[0])
        }
        #expect(indices == (0..<300).map { UInt8(truncatingIfNeeded: $0) })
    }

    @Test func clientStreamingSumsWhatWasSent() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        let stream = client.clientStream(service: "test.Stream", method: "Sum")
        for value in 1...100 { try stream.send([UInt8(value)]) }
        #expect(String(decoding: try stream.finish(), as: UTF8.self) == "5050")
    }

    /// A client that streams faster than its handler reads is held back, not failed: past a quarter
    /// of the inbound limit the connection stops reading its socket until the handler catches up, so
    /// 64 MiB pass through a 1 MiB limit; other connections are served meanwhile.
    @Test func aFastClientStreamIsHeldBackNotFailed() throws {
        var limits = ServerLimits()
        limits.maxStreamInboundBytes = 1 << 20
        let (server, path) = try startServer(limits: limits)
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        let other = try RPCClient(socketPath: path)
        defer { other.close() }
        let stream = client.clientStream(service: "test.Stream", method: "SlowCount")
        let chunk = [UInt8](repeating: 1, count: 256 << 10)
        for index in 0..<256 {
            try stream.send(chunk)
            if index % 64 == 0 { #expect(try other.text("test.Echo", "Unary", "still here") == "still here") }
        }
        #expect(String(decoding: try stream.finish(), as: UTF8.self) == String(256 * (256 << 10)))
        // The connection reads again once the stream ended.
        #expect(try client.text("test.Echo", "Unary", "after") == "after")
    }

    @Test func aCancelledServerStreamEndsWithCancelled() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        let stream = client.serverStream(service: "test.Stream", method: "Count", payload: Array("100000 1000".utf8))
        _ = try stream.next()
        stream.cancel()
        var outcome: RPCError?
        do {
            while try stream.next() != nil {}
        } catch {
            outcome = error
        }
        #expect(outcome?.code == .cancelled)
        #expect(try client.text("test.Echo", "Unary", "after") == "after")
    }

    /// A client that does not read cancels the stream once its buffer is full, even when the buffer
    /// fills before the call has finished starting: the overflow arrives on the connection's thread
    /// while `serverStream` is still setting up the cancel (run under `--sanitize=thread` this is
    /// where a race showed).
    @Test func aStreamThatOverflowsItsBufferIsCancelledEvenAtOnce() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        var options = RPCClient.Options()
        options.maxBufferedStreamBytes = 1
        let client = try RPCClient(socketPath: path, options: options)
        defer { client.close() }
        for _ in 0..<20 {
            let stream = client.serverStream(service: "test.Stream", method: "Count", payload: Array("1000 64".utf8))
            // Not reading yet: the overflow meets the cancel action with nothing ordering the two
            // threads but the stream's own lock. (Long enough for two messages to arrive on a loaded
            // machine: reading as they come, one at a time, would never overflow.)
            usleep(20_000)
            var outcome: RPCError?
            do {
                while try stream.next() != nil {}
            } catch {
                outcome = error
            }
            #expect(outcome?.code == .cancelled)
        }
        #expect(try client.text("test.Echo", "Unary", "after") == "after")
    }
}

@Suite struct BadInputTests {
    @Test func oversizedPayloadIsResourceExhaustedAndTheConnectionGoesOn() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        let big = RequestEnvelope(service: "test.Echo", method: "Unary", payload: [UInt8](repeating: 1, count: 5 << 20))
        raw.sendFrame(.request, stream: 1, flags: [.remoteClosed], payload: big.serializedBytes())
        let answer = try #require(raw.readResponse())
        #expect(answer.stream == 1)
        #expect(answer.response.code == .resourceExhausted)
        raw.sendRequest(stream: 3, payload: "next")
        #expect(raw.readResponse()?.response.payload == Array("next".utf8))
    }

    @Test func firstLengthByteNotZeroClosesOnlyThatConnection() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let good = try RPCClient(socketPath: path)
        defer { good.close() }
        let bad = try RawConnection(path: path)
        bad.send([0x47, 0x45, 0x54, 0x20, 0x2F, 0x20, 0x48, 0x54, 0x54, 0x50])  // "GET / HTTP"
        #expect(bad.closedByServer())
        #expect(try good.text("test.Echo", "Unary", "unaffected") == "unaffected")
    }

    @Test func evenStreamIDClosesTheConnection() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        raw.sendRequest(stream: 2)
        #expect(raw.closedByServer())
    }

    @Test func nonIncreasingStreamIDClosesTheConnection() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        raw.sendRequest(stream: 5, payload: "a")
        #expect(raw.readResponse()?.stream == 5)
        raw.sendRequest(stream: 3, payload: "b")
        #expect(raw.closedByServer())
    }

    @Test func dataFrameOnAnUnknownStreamIsIgnored() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        raw.sendFrame(.data, stream: 41, payload: [1, 2, 3])
        raw.sendRequest(stream: 1, payload: "alive")
        let answer = try #require(raw.readResponse())
        #expect(answer.stream == 1)
        #expect(answer.response.payload == Array("alive".utf8))
    }

    @Test func unknownFrameTypeIsIgnored() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        raw.sendFrame(FrameType(rawValue: 0x42), stream: 1, payload: [9, 9])
        raw.sendRequest(stream: 1, payload: "alive")
        #expect(raw.readResponse()?.response.payload == Array("alive".utf8))
    }

    @Test func garbageEnvelopeIsInvalidArgumentOnItsStream() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        raw.sendFrame(.request, stream: 1, flags: [.remoteClosed], payload: [0xFF, 0xFF, 0xFF, 0xFF])
        let answer = try #require(raw.readResponse())
        #expect(answer.stream == 1)
        #expect(answer.response.code == .invalidArgument)
        raw.sendRequest(stream: 3, payload: "alive")
        #expect(raw.readResponse()?.response.payload == Array("alive".utf8))
    }

    @Test func truncatedFrameThenDisconnectLeavesTheServerServing() throws {
        let (server, path) = try startServer()
        defer { server.shutdown(grace: .seconds(1)) }
        do {
            let raw = try RawConnection(path: path)
            raw.send([0, 0, 0, 100, 0, 0, 0, 1, 1, 1, 0x0A, 0x03])
        }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        #expect(try client.text("test.Echo", "Unary", "fine") == "fine")
        let until = Date().addingTimeInterval(2)
        while server.openConnections > 1, Date() < until { usleep(5000) }
        #expect(server.openConnections == 1)
    }
}

@Suite struct LimitTests {
    @Test func connectionsOverTheLimitGetResourceExhaustedAndOthersGoOn() throws {
        var limits = ServerLimits()
        limits.maxConnections = 2
        let (server, path) = try startServer(limits: limits)
        defer { server.shutdown(grace: .seconds(1)) }
        let first = try RPCClient(socketPath: path)
        let second = try RPCClient(socketPath: path)
        defer { first.close(); second.close() }
        #expect(try first.text("test.Echo", "Unary", "1") == "1")
        #expect(try second.text("test.Echo", "Unary", "2") == "2")
        let third = try RPCClient(socketPath: path)
        defer { third.close() }
        do {
            _ = try third.text("test.Echo", "Unary", "3")
            Issue.record("third connection was served")
        } catch {
            #expect(error.code == .resourceExhausted)
        }
        #expect(try first.text("test.Echo", "Unary", "1 again") == "1 again")
    }

    @Test func callsOverThePerConnectionLimitGetResourceExhausted() throws {
        var limits = ServerLimits()
        limits.maxConcurrentCallsPerConnection = 2
        let (server, path) = try startServer(limits: limits)
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        raw.sendRequest(stream: 1, method: "Slow", payload: "300")
        raw.sendRequest(stream: 3, method: "Slow", payload: "300")
        raw.sendRequest(stream: 5, method: "Unary", payload: "third")
        let answer = try #require(raw.readResponse())
        #expect(answer.stream == 5)
        #expect(answer.response.code == .resourceExhausted)
        let other = try RPCClient(socketPath: path)
        defer { other.close() }
        #expect(try other.text("test.Echo", "Unary", "other connection") == "other connection")
    }

    @Test func responseOverTheOutboundQueueIsResourceExhausted() throws {
        var limits = ServerLimits()
        limits.maxOutboundBytesPerConnection = 64 * 1024
        let (server, path) = try startServer(limits: limits)
        defer { server.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        #expect(try client.call(service: "test.Echo", method: "Big", payload: Array("1000".utf8)).count == 1000)
        do {
            _ = try client.call(service: "test.Echo", method: "Big", payload: Array("100000".utf8))
            Issue.record("oversized response delivered")
        } catch {
            #expect(error.code == .resourceExhausted)
        }
    }

    @Test func aPeerThatStopsReadingIsDisconnectedAndTheStreamHeldBack() throws {
        var limits = ServerLimits()
        limits.writeStallTimeout = .milliseconds(300)
        limits.maxStreamOutboundBytes = 64 * 1024
        let (server, path) = try startServer(limits: limits)
        defer { server.shutdown(grace: .seconds(1)) }
        let raw = try RawConnection(path: path)
        raw.sendRequest(stream: 1, service: "test.Stream", method: "Count", payload: "100000 10000")
        // Never read: the stream stops at its window and the peer is dropped after the stall timeout.
        usleep(1_500_000)
        #expect(raw.closedByServer())
        let other = try RPCClient(socketPath: path)
        defer { other.close() }
        #expect(try other.text("test.Echo", "Unary", "fine") == "fine")
    }
}

@Suite struct LifecycleTests {
    @Test func socketFileIsGroupOnlyAndRemovedOnStop() throws {
        let (server, path) = try startServer()
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
        server.shutdown(grace: .seconds(1))
        #expect(access(path, F_OK) != 0)
    }

    @Test func socketPathLongerThanAnAddressHoldsIsAClearError() {
        let path = "/tmp/" + String(repeating: "x", count: 120) + ".sock"
        let server = RPCServer(socketPath: path, registry: ServiceRegistry(), logger: .silent)
        #expect(throws: ServerStartError.pathTooLong(path: path, bytes: path.utf8.count, limit: 107)) {
            try server.start()
        }
        #expect(throws: RPCError.self) { try RPCClient(socketPath: path) }
    }

    @Test func directoryOpenToOthersIsRefused() throws {
        let directory = temporaryDirectory()
        chmod(directory, 0o777)
        let server = RPCServer(socketPath: directory + "/s.sock", registry: ServiceRegistry(), logger: .silent)
        #expect(throws: ServerStartError.directoryOpenToOthers(directory: directory, mode: 0o777)) {
            try server.start()
        }
    }

    @Test func missingDirectoryIsCreatedClosedToOthers() throws {
        let directory = temporaryDirectory() + "/run/otklik"
        let server = RPCServer(socketPath: directory + "/s.sock", registry: testRegistry(), logger: .silent)
        try server.start()
        defer { server.shutdown(grace: .seconds(1)) }
        var info = stat()
        #expect(stat(directory, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o750)
    }

    @Test func staleSocketIsReplacedButALiveOneIsNot() throws {
        let (first, path) = try startServer()
        // A live server keeps its socket.
        let second = RPCServer(socketPath: path, registry: testRegistry(), logger: .silent)
        #expect(throws: ServerStartError.alreadyServed(path: path)) { try second.start() }
        // Leave a stale socket file behind: bound, then the listener closed without unlinking.
        first.shutdown(grace: .seconds(1))
        let fd = otklik_unix_socket()
        #expect(otklik_unix_bind_listen(fd, path, 1) == 0)
        close(fd)
        let third = RPCServer(socketPath: path, registry: testRegistry(), logger: .silent)
        try third.start()
        defer { third.shutdown(grace: .seconds(1)) }
        let client = try RPCClient(socketPath: path)
        defer { client.close() }
        #expect(try client.text("test.Echo", "Unary", "new") == "new")
    }

    @Test func aFileThatIsNotASocketIsLeftAlone() throws {
        let path = temporaryDirectory() + "/s.sock"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8)))
        let server = RPCServer(socketPath: path, registry: ServiceRegistry(), logger: .silent)
        #expect(throws: ServerStartError.notASocket(path: path)) { try server.start() }
        #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
    }

    @Test func gracefulStopFinishesRunningCallsAndRefusesNewOnes() throws {
        let (server, path) = try startServer()
        let raw = try RawConnection(path: path)
        raw.sendRequest(stream: 1, method: "Slow", payload: "400")
        usleep(50_000)
        let stopped = Locked(false)
        let stopper = Thread {
            server.shutdown(grace: .seconds(5))
            stopped.withLock { $0 = true }
        }
        stopper.start()
        // The socket file goes once every connection is draining.
        let draining = Date().addingTimeInterval(5)
        while access(path, F_OK) == 0, Date() < draining { usleep(2000) }
        raw.sendRequest(stream: 3, payload: "late")
        var answers: [UInt32: ResponseEnvelope] = [:]
        while answers.count < 2, let (stream, response) = raw.readResponse() { answers[stream] = response }
        #expect(answers[3]?.code == .unavailable)
        #expect(answers[1]?.code == .ok)
        #expect(answers[1]?.payload == Array("400".utf8))
        let until = Date().addingTimeInterval(3)
        while !stopped.current, Date() < until { usleep(5000) }
        #expect(stopped.current)
        #expect(server.phase == .stopped)
        #expect(throws: RPCError.self) { try RPCClient(socketPath: path) }
    }

    @Test func clientSeesUnavailableWhenNothingListens() {
        let path = temporaryDirectory() + "/none.sock"
        #expect(throws: RPCError(.unavailable, "no daemon answers on \(path)")) { try RPCClient(socketPath: path) }
    }
}
