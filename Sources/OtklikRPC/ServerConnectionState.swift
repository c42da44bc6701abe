/// What a server connection does with each frame, decided without I/O.
///
/// The state is the connection's stream bookkeeping; each received frame is one `mutating` call
/// that returns an action for the I/O layer to carry out. Tests drive it with plain values.
struct ServerConnectionState {
    enum Action: Equatable {
        /// Start a call. `inboundOpen`: the client will stream data frames to it.
        case start(streamID: UInt32, request: RequestEnvelope, inboundOpen: Bool)
        /// Answer on this stream at once with this status and do nothing else.
        case reject(streamID: UInt32, error: RPCError)
        /// A client-streamed message (or its end) for a running call.
        case deliver(streamID: UInt32, payload: [UInt8]?, endOfStream: Bool)
        /// The client abandons this call.
        case cancel(streamID: UInt32)
        /// A running call fails with this error (answered, then finished).
        case fail(streamID: UInt32, error: RPCError)
        /// Nothing to do; the reason is for the log.
        case ignore(String)
        /// The byte stream cannot be trusted any more: close this connection only.
        case close(String)
    }

    private enum Stream: Equatable {
        /// Running; the client may still send data frames when `inboundOpen`.
        case running(inboundOpen: Bool)
    }

    let maxConcurrentCalls: Int
    private(set) var draining = false
    private(set) var lastStreamID: UInt32 = 0
    private var streams: [UInt32: Stream] = [:]

    init(maxConcurrentCalls: Int) {
        self.maxConcurrentCalls = maxConcurrentCalls
    }

    var runningCalls: Int { streams.count }

    /// A new stream id must be odd (client-initiated) and above every earlier one.
    private mutating func claim(_ streamID: UInt32) -> String? {
        if streamID % 2 == 0 {
            return "stream id \(streamID) is even; client streams are odd"
        }
        if streamID <= lastStreamID {
            return "stream id \(streamID) is not above the previous \(lastStreamID)"
        }
        lastStreamID = streamID
        return nil
    }

    mutating func received(_ header: FrameHeader, payload: [UInt8]) -> Action {
        switch header.type {
        case .request:
            if let violation = claim(header.streamID) { return .close(violation) }
            let request: RequestEnvelope
            do {
                request = try RequestEnvelope(serializedBytes: payload)
            } catch {
                return .reject(streamID: header.streamID, error: error)
            }
            if draining {
                return .reject(streamID: header.streamID, error: RPCError(.unavailable, "the daemon is shutting down"))
            }
            if streams.count >= maxConcurrentCalls {
                return .reject(
                    streamID: header.streamID,
                    error: RPCError(
                        .resourceExhausted, "too many concurrent calls on this connection (limit \(maxConcurrentCalls))"
                    ))
            }
            let inboundOpen = header.flags.contains(.remoteOpen) && !header.flags.contains(.remoteClosed)
            streams[header.streamID] = .running(inboundOpen: inboundOpen)
            return .start(streamID: header.streamID, request: request, inboundOpen: inboundOpen)

        case .data:
            guard case .running(inboundOpen: true) = streams[header.streamID] else {
                return .ignore("data frame on stream \(header.streamID), which takes no data")
            }
            let endOfStream = header.flags.contains(.remoteClosed)
            if endOfStream {
                streams[header.streamID] = .running(inboundOpen: false)
            }
            let hasPayload = !header.flags.contains(.noData)
            return .deliver(streamID: header.streamID, payload: hasPayload ? payload : nil, endOfStream: endOfStream)

        case .cancel:
            guard streams[header.streamID] != nil else {
                return .ignore("cancel of stream \(header.streamID), which is not running")
            }
            return .cancel(streamID: header.streamID)

        default:  // any other frame type: not for a server
            return .ignore("frame of \(header.type) from a client")
        }
    }

    /// A frame whose payload was over the limit and was skipped.
    mutating func receivedOversized(_ header: FrameHeader) -> Action {
        let error = RPCError(
            .resourceExhausted,
            "message of \(header.length) bytes is over the \(FrameHeader.maxPayload)-byte limit")
        switch header.type {
        case .request:
            if let violation = claim(header.streamID) { return .close(violation) }
            return .reject(streamID: header.streamID, error: error)
        case .data where streams[header.streamID] != nil:
            return .fail(streamID: header.streamID, error: error)
        default:  // any other frame type
            return .ignore("oversized \(header.type) frame on stream \(header.streamID)")
        }
    }

    /// The call on `streamID` has been answered.
    mutating func finished(_ streamID: UInt32) {
        streams[streamID] = nil
    }

    /// From now on new calls are answered UNAVAILABLE; running ones go on.
    mutating func startDraining() {
        draining = true
    }
}
