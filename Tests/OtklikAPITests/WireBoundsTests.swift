import OtklikAPI
import OtklikRPC
import Testing

/// The boundary every request passes before it is decoded.
@Suite struct WireBoundsTests {
    private func request(_ build: (inout RegisterMessageRequest) -> Void) -> [UInt8] {
        var message = RegisterMessageRequest()
        message.network = "vk"
        message.url = "https://vk.com/wall-1_1"
        message.author = "Иван"
        message.text = "Яма"
        message.detectedAtUnix = 1_796_112_000
        build(&message)
        return message.serializedBytes()
    }

    private func refusal(_ bytes: [UInt8]) -> String? {
        do {
            try WireBounds.check(bytes, as: RegisterMessageRequest.self)
            return nil
        } catch {
            #expect(error.code == .invalidArgument)
            return error.message
        }
    }

    @Test func anOrdinaryRequestPassesAndUnknownFieldsToo() {
        #expect(refusal(request { _ in }) == nil)
        #expect(refusal(request { _ in } + [0xF8, 0x07, 0x01]) == nil)  // field 127, varint: a newer client's addition
        #expect(refusal(request { $0.text = "строка\tс табуляцией\nи переводом" }) == nil)
    }

    @Test func eachLimitNamesTheFieldAndTheLimit() {
        #expect(
            refusal(request { $0.externalID = String(repeating: "x", count: 257) })
                == "external_id is 257 bytes; at most 256 are accepted")
        #expect(
            refusal(request { $0.topics = (0..<21).map { "t\($0)" } })
                == "topics has more than 20 elements; at most 20 are accepted")
        #expect(
            refusal(request { $0.postedAtUnix = Int64.min })?.hasPrefix(
                "posted_at_unix: -9223372036854775808 is not an instant") == true)
        #expect(refusal(request { $0.detectedAtUnix = -1 })?.contains("2100-12-31T23:59:59Z") == true)
    }

    @Test func whatDecodingWouldHideIsRefused() {
        // protobuf-c ends a C string at its first NUL (it cannot even encode one); the check sees the
        // whole value on the wire.
        var nul = request { $0.author = "AAAA" }
        if let at = nul.firstIndex(of: 0x41) { nul[at + 1] = 0 }
        #expect(refusal(nul) == "author contains a NUL byte; only text, tabs and line breaks are accepted")
        #expect(
            refusal(request { $0.author = "\u{1B}[2J" })
                == "author contains the control character U+001B; only text, tabs and line breaks are accepted")
        var badUTF8 = request { $0.author = "AAAA" }
        if let at = badUTF8.firstIndex(of: 0x41) { badUTF8.replaceSubrange(at..<at + 2, with: [0xC3, 0x28]) }
        #expect(refusal(badUTF8) == "author is not valid UTF-8 text")
    }

    @Test func brokenEncodingsAreRefusedNotTrusted() {
        #expect(refusal([0x0A, 0xFF, 0xFF, 0x01]) != nil)  // a length past the end
        #expect(refusal([0x08] + Array(repeating: 0xFF, count: 11)) != nil)  // a varint of eleven bytes
        #expect(refusal([0x0B]) != nil)  // a group (wire type 3)
        #expect(refusal([0x00, 0x01]) != nil)  // field number 0
    }
}
