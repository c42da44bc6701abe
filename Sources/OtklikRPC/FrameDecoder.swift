/// Turns a byte stream into frames, however the bytes are split by the kernel.
///
/// A value with no I/O: feed it what `read` returned, then take events until `next()` says nil.
/// A payload over `FrameHeader.maxPayload` is read past without being kept and reported as
/// `.oversized`, so the connection survives it; a length whose first byte is not zero cannot be
/// trusted to find the next frame and is a `FrameDecodingError`.
public struct FrameDecoder: Sendable {
    public enum Event: Sendable, Equatable {
        case frame(FrameHeader, [UInt8])
        /// The payload was over the limit and has been skipped.
        case oversized(FrameHeader)
    }

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var skipping: FrameHeader?
    private var skipRemaining = 0

    public init() {}

    /// True when bytes of an unfinished frame are buffered (a peer that vanishes now truncated a frame).
    public var hasPartialFrame: Bool {
        buffer.count > readIndex || skipping != nil
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        var input = bytes[...]
        if skipRemaining > 0, buffer.count == readIndex {
            let skipped = min(skipRemaining, input.count)
            skipRemaining -= skipped
            input = input.dropFirst(skipped)
        }
        if readIndex > 0, readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        buffer.append(contentsOf: input)
    }

    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    public mutating func next() throws(FrameDecodingError) -> Event? {
        if let header = skipping {
            let skipped = min(skipRemaining, buffer.count - readIndex)
            readIndex += skipped
            skipRemaining -= skipped
            guard skipRemaining == 0 else {
                compact()
                return nil
            }
            skipping = nil
            compact()
            return .oversized(header)
        }
        guard buffer.count - readIndex >= FrameHeader.size else {
            compact()
            return nil
        }
        let header = buffer.withUnsafeBufferPointer { bytes in
            // Safe to unwrap: the guard above found a whole header past `readIndex`, so it has an address.
            let b = bytes.baseAddress! + readIndex
            let length = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
            let stream = UInt32(b[4]) << 24 | UInt32(b[5]) << 16 | UInt32(b[6]) << 8 | UInt32(b[7])
            return FrameHeader(
                length: length, streamID: stream, type: FrameType(rawValue: b[8]), flags: FrameFlags(rawValue: b[9]))
        }
        let length = Int(header.length)
        if length >= FrameHeader.skippablePayload {
            throw .lengthOutOfRange(header.length)
        }
        if length > FrameHeader.maxPayload {
            readIndex += FrameHeader.size
            skipping = header
            skipRemaining = length
            return try next()
        }
        guard buffer.count - readIndex >= FrameHeader.size + length else {
            compact()
            return nil
        }
        let start = readIndex + FrameHeader.size
        let payload = Array(buffer[start..<start + length])
        readIndex = start + length
        return .frame(header, payload)
    }

    /// Drops consumed bytes once they are most of the buffer, so memory follows what is pending.
    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            readIndex = 0
        } else if readIndex > 0, readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}

public enum FrameDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first length byte is not zero: the stream is garbage or from another protocol.
    case lengthOutOfRange(UInt32)

    public var description: String {
        switch self {
        case .lengthOutOfRange(let length):
            "frame length \(length) is at or over \(FrameHeader.skippablePayload) bytes"
        }
    }
}
