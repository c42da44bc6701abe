@testable import OtklikRPC
import Testing

@Suite struct ServerConnectionStateTests {
    private let request = RequestEnvelope(service: "s", method: "m", payload: [])

    private func requestFrame(_ streamID: UInt32, flags: FrameFlags = [.remoteClosed]) -> FrameHeader {
        FrameHeader(length: 0, streamID: streamID, type: .request, flags: flags)
    }

    @Test func oddIncreasingStreamsStart() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        #expect(
            state.received(requestFrame(1), payload: request.serializedBytes())
                == .start(streamID: 1, request: request, inboundOpen: false))
        #expect(
            state.received(requestFrame(7, flags: [.remoteOpen]), payload: request.serializedBytes())
                == .start(streamID: 7, request: request, inboundOpen: true))
    }

    @Test func evenStreamIDClosesTheConnection() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        guard case .close = state.received(requestFrame(2), payload: request.serializedBytes()) else {
            Issue.record("even stream id accepted")
            return
        }
    }

    @Test func nonIncreasingStreamIDClosesTheConnection() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        _ = state.received(requestFrame(5), payload: request.serializedBytes())
        state.finished(5)
        guard case .close = state.received(requestFrame(5), payload: request.serializedBytes()) else {
            Issue.record("reused stream id accepted")
            return
        }
        guard case .close = state.received(requestFrame(3), payload: request.serializedBytes()) else {
            Issue.record("lower stream id accepted")
            return
        }
    }

    @Test func garbageEnvelopeIsAnsweredInvalidArgumentOnItsStream() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        guard case .reject(1, let error) = state.received(requestFrame(1), payload: [0xFF, 0xFF]) else {
            Issue.record("garbage envelope not rejected")
            return
        }
        #expect(error.code == .invalidArgument)
    }

    @Test func callsOverTheLimitAreResourceExhausted() {
        var state = ServerConnectionState(maxConcurrentCalls: 2)
        _ = state.received(requestFrame(1), payload: request.serializedBytes())
        _ = state.received(requestFrame(3), payload: request.serializedBytes())
        guard case .reject(5, let error) = state.received(requestFrame(5), payload: request.serializedBytes()) else {
            Issue.record("third call accepted")
            return
        }
        #expect(error.code == .resourceExhausted)
        state.finished(1)
        #expect(
            state.received(requestFrame(7), payload: request.serializedBytes())
                == .start(streamID: 7, request: request, inboundOpen: false))
    }

    @Test func drainingAnswersNewCallsUnavailable() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        state.startDraining()
        guard case .reject(1, let error) = state.received(requestFrame(1), payload: request.serializedBytes()) else {
            Issue.record("call accepted while draining")
            return
        }
        #expect(error.code == .unavailable)
    }

    @Test func dataOnAnUnknownOrClosedStreamIsIgnored() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        guard case .ignore = state.received(FrameHeader(length: 1, streamID: 9, type: .data), payload: [1]) else {
            Issue.record("data on unknown stream not ignored")
            return
        }
        _ = state.received(requestFrame(1), payload: request.serializedBytes())
        guard case .ignore = state.received(FrameHeader(length: 1, streamID: 1, type: .data), payload: [1]) else {
            Issue.record("data on a stream without inbound not ignored")
            return
        }
    }

    @Test func clientStreamDataIsDeliveredUntilRemoteClosed() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        _ = state.received(requestFrame(1, flags: [.remoteOpen]), payload: request.serializedBytes())
        #expect(
            state.received(FrameHeader(length: 1, streamID: 1, type: .data), payload: [4])
                == .deliver(streamID: 1, payload: [4], endOfStream: false))
        #expect(
            state.received(
                FrameHeader(length: 0, streamID: 1, type: .data, flags: [.remoteClosed, .noData]), payload: [])
                == .deliver(streamID: 1, payload: nil, endOfStream: true))
        guard case .ignore = state.received(FrameHeader(length: 1, streamID: 1, type: .data), payload: [5]) else {
            Issue.record("data after remote-closed delivered")
            return
        }
    }

    @Test func unknownFrameTypesAndClientResponsesAreIgnored() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        guard
            case .ignore = state.received(
                FrameHeader(length: 0, streamID: 1, type: FrameType(rawValue: 0x7F)), payload: [])
        else {
            Issue.record("unknown type not ignored")
            return
        }
        guard case .ignore = state.received(FrameHeader(length: 0, streamID: 1, type: .response), payload: []) else {
            Issue.record("response from client not ignored")
            return
        }
        // Ignored frames do not consume stream ids.
        #expect(
            state.received(requestFrame(1), payload: request.serializedBytes())
                == .start(streamID: 1, request: request, inboundOpen: false))
    }

    @Test func cancelOfARunningCallCancelsIt() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        _ = state.received(requestFrame(1), payload: request.serializedBytes())
        #expect(state.received(FrameHeader(length: 0, streamID: 1, type: .cancel), payload: []) == .cancel(streamID: 1))
        state.finished(1)
        guard case .ignore = state.received(FrameHeader(length: 0, streamID: 1, type: .cancel), payload: []) else {
            Issue.record("cancel of finished call not ignored")
            return
        }
    }

    @Test func oversizedRequestIsResourceExhaustedOnItsStream() {
        var state = ServerConnectionState(maxConcurrentCalls: 8)
        guard
            case .reject(3, let error) = state.receivedOversized(
                FrameHeader(length: 5 << 20, streamID: 3, type: .request))
        else {
            Issue.record("oversized request not rejected")
            return
        }
        #expect(error.code == .resourceExhausted)
        #expect(state.lastStreamID == 3)
    }
}
