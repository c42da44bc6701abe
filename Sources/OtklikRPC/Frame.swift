/// One ttrpc frame: a 10-byte header and its payload. See docs/PROTOCOL.md.
///
///     bytes 0-3  payload length, u32 big-endian
///     bytes 4-7  stream id, u32 big-endian
///     byte  8    type
///     byte  9    flags
public struct FrameHeader: Sendable, Equatable {
    public static let size = 10
    /// The largest payload a peer may send (ttrpc's messageLengthMax).
    public static let maxPayload = 4 << 20
    /// Payloads above `maxPayload` but below this are read past and answered RESOURCE_EXHAUSTED;
    /// a length at or above it (first length byte not zero) is a broken stream and closes the connection.
    public static let skippablePayload = 16 << 20

    public var length: UInt32
    public var streamID: UInt32
    public var type: FrameType
    public var flags: FrameFlags

    public init(length: UInt32, streamID: UInt32, type: FrameType, flags: FrameFlags = []) {
        self.length = length
        self.streamID = streamID
        self.type = type
        self.flags = flags
    }

    /// Appends the 10 header bytes to `buffer`.
    public func encode(into buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: length >> 24))
        buffer.append(UInt8(truncatingIfNeeded: length >> 16))
        buffer.append(UInt8(truncatingIfNeeded: length >> 8))
        buffer.append(UInt8(truncatingIfNeeded: length))
        buffer.append(UInt8(truncatingIfNeeded: streamID >> 24))
        buffer.append(UInt8(truncatingIfNeeded: streamID >> 16))
        buffer.append(UInt8(truncatingIfNeeded: streamID >> 8))
        buffer.append(UInt8(truncatingIfNeeded: streamID))
        buffer.append(type.rawValue)
        buffer.append(flags.rawValue)
    }
}

/// The frame type byte. Unknown values are carried, not rejected: the receiver ignores them.
public struct FrameType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let request = FrameType(rawValue: 0x01)
    public static let response = FrameType(rawValue: 0x02)
    public static let data = FrameType(rawValue: 0x03)
    /// Our extension: the client abandons the call on this stream.
    public static let cancel = FrameType(rawValue: 0x10)

    public var description: String {
        switch self {
        case .request: "request"
        case .response: "response"
        case .data: "data"
        case .cancel: "cancel"
        default: "type 0x\(String(rawValue, radix: 16))"  // a type of a newer peer
        }
    }
}

/// The flags byte. Its meaning depends on the frame type.
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Request or data: the sender will send nothing more on this stream.
    public static let remoteClosed = FrameFlags(rawValue: 0x01)
    /// Request: data frames from the client follow (client streaming).
    public static let remoteOpen = FrameFlags(rawValue: 0x02)
    /// Data: the frame carries no payload, only its flags.
    public static let noData = FrameFlags(rawValue: 0x04)
}

/// Builds the bytes of whole frames.
public enum FrameEncoder {
    public static func append(
        type: FrameType, streamID: UInt32, flags: FrameFlags = [], payload: [UInt8], to buffer: inout [UInt8]
    ) {
        FrameHeader(length: UInt32(payload.count), streamID: streamID, type: type, flags: flags).encode(into: &buffer)
        buffer.append(contentsOf: payload)
    }

    public static func frame(type: FrameType, streamID: UInt32, flags: FrameFlags = [], payload: [UInt8]) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(FrameHeader.size + payload.count)
        append(type: type, streamID: streamID, flags: flags, payload: payload, to: &buffer)
        return buffer
    }
}
