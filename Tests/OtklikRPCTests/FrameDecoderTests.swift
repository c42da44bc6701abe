@testable import OtklikRPC
import Testing

@Suite struct FrameDecoderTests {
    private func frames(_ decoder: inout FrameDecoder) throws -> [FrameDecoder.Event] {
        var events: [FrameDecoder.Event] = []
        while let event = try decoder.next() { events.append(event) }
        return events
    }

    @Test func headerIsTenBytesBigEndianAsTtrpcWritesIt() {
        var bytes: [UInt8] = []
        FrameHeader(length: 0x0102_0304, streamID: 0x0A0B_0C0D, type: .data, flags: [.remoteClosed, .noData]).encode(
            into: &bytes)
        #expect(bytes == [0x01, 0x02, 0x03, 0x04, 0x0A, 0x0B, 0x0C, 0x0D, 0x03, 0x05])
    }

    @Test func framesSurviveBeingSplitAtEveryByte() throws {
        var stream: [UInt8] = []
        FrameEncoder.append(
            type: .request, streamID: 1, flags: [.remoteClosed], payload: Array("hello".utf8), to: &stream)
        FrameEncoder.append(type: .data, streamID: 3, payload: [], to: &stream)
        FrameEncoder.append(type: .cancel, streamID: 5, payload: [9, 8, 7], to: &stream)
        for split in 0...stream.count {
            var decoder = FrameDecoder()
            decoder.feed(Array(stream[..<split]))
            var events = try frames(&decoder)
            decoder.feed(Array(stream[split...]))
            events += try frames(&decoder)
            #expect(
                events == [
                    .frame(
                        FrameHeader(length: 5, streamID: 1, type: .request, flags: [.remoteClosed]), Array("hello".utf8)
                    ),
                    .frame(FrameHeader(length: 0, streamID: 3, type: .data), []),
                    .frame(FrameHeader(length: 3, streamID: 5, type: .cancel), [9, 8, 7]),
                ])
            #expect(!decoder.hasPartialFrame)
        }
    }

    @Test func oversizedPayloadIsSkippedAndTheNextFrameStillDecodes() throws {
        let big = FrameHeader.maxPayload + 1
        var decoder = FrameDecoder()
        var head: [UInt8] = []
        FrameHeader(length: UInt32(big), streamID: 7, type: .request).encode(into: &head)
        decoder.feed(head)
        #expect(try frames(&decoder).isEmpty)
        // The payload arrives in pieces and is never kept.
        let chunk = [UInt8](repeating: 0xAB, count: 1 << 16)
        var left = big
        while left > 0 {
            let piece = min(left, chunk.count)
            decoder.feed(Array(chunk[..<piece]))
            left -= piece
            if left > 0 { #expect(try frames(&decoder).isEmpty) }
        }
        var tail: [UInt8] = []
        FrameEncoder.append(type: .request, streamID: 9, payload: [1], to: &tail)
        decoder.feed(tail)
        #expect(
            try frames(&decoder) == [
                .oversized(FrameHeader(length: UInt32(big), streamID: 7, type: .request)),
                .frame(FrameHeader(length: 1, streamID: 9, type: .request), [1]),
            ])
    }

    @Test func aFirstLengthByteOtherThanZeroIsAnError() {
        var decoder = FrameDecoder()
        decoder.feed([0x01, 0, 0, 0, 0, 0, 0, 1, 1, 0])
        #expect(throws: FrameDecodingError.lengthOutOfRange(0x0100_0000)) { try decoder.next() }
    }

    @Test func aTruncatedFrameIsReportedAsPartial() throws {
        var decoder = FrameDecoder()
        decoder.feed([0, 0, 0, 10, 0, 0, 0, 1, 1, 0, 1, 2])
        #expect(try decoder.next() == nil)
        #expect(decoder.hasPartialFrame)
    }
}
