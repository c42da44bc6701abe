@testable import OtklikRPC
import Testing

@Suite struct EnvelopeTests {
    @Test func requestRoundTripsWithMetadataAndDeadline() throws {
        let request = RequestEnvelope(
            service: "otklik.v1.Admin", method: "Health", payload: [1, 2, 3], timeoutNanos: 5_000_000_000,
            metadata: [MetadataEntry("x-trace", "abc"), MetadataEntry("x-trace", "def")])
        #expect(try RequestEnvelope(serializedBytes: request.serializedBytes()) == request)
    }

    /// Field numbers as ttrpc's Request: service=1, method=2, payload=3, timeout_nano=4, metadata=5.
    @Test func requestFieldNumbersAreTtrpcs() throws {
        let bytes: [UInt8] = [
            0x0A, 1, 0x73, 0x12, 1, 0x6D, 0x1A, 2, 7, 8, 0x20, 0x96, 0x01, 0x2A, 6, 0x0A, 1, 0x6B, 0x12, 1, 0x76,
        ]
        let request = try RequestEnvelope(serializedBytes: bytes)
        #expect(
            request
                == RequestEnvelope(
                    service: "s", method: "m", payload: [7, 8], timeoutNanos: 150, metadata: [MetadataEntry("k", "v")]))
        #expect(request.serializedBytes() == bytes)
    }

    /// Response: status=1 (google.rpc.Status code=1 message=2 details=3 Any{type_url=1,value=2}), payload=2.
    @Test func responseFieldNumbersAreTtrpcs() throws {
        let bytes: [UInt8] = [
            0x0A, 12, 0x08, 5, 0x12, 1, 0x6E, 0x1A, 5, 0x0A, 1, 0x74, 0x12, 0,  // status
            0x12, 1, 0x70,  // payload
        ]
        let response = try ResponseEnvelope(serializedBytes: bytes)
        #expect(response.code == .notFound)
        #expect(response.message == "n")
        #expect(response.details == [AnyMessage(typeURL: "t", value: [])])
        #expect(response.payload == [0x70])
    }

    @Test func responseRoundTripsAndReadsAsAResult() throws {
        let failure = ResponseEnvelope(
            error: RPCError(.failedPrecondition, "not now", details: [AnyMessage(typeURL: "x", value: [1])]))
        let decoded = try ResponseEnvelope(serializedBytes: failure.serializedBytes())
        #expect(decoded == failure)
        #expect(
            decoded.result
                == .failure(RPCError(.failedPrecondition, "not now", details: [AnyMessage(typeURL: "x", value: [1])])))
        let success = ResponseEnvelope(payload: [4, 5])
        #expect(try ResponseEnvelope(serializedBytes: success.serializedBytes()).result == .success([4, 5]))
    }

    @Test func aResponseWithoutStatusIsOK() throws {
        #expect(try ResponseEnvelope(serializedBytes: [0x12, 1, 9]).result == .success([9]))
    }

    @Test func garbageIsInvalidArgument() {
        #expect(throws: RPCError.self) { try RequestEnvelope(serializedBytes: [0xFF, 0xFF, 0xFF]) }
        do {
            _ = try RequestEnvelope(serializedBytes: [0x0A, 50, 1])
            Issue.record("truncated field decoded")
        } catch {
            #expect(error.code == .invalidArgument)
        }
    }

    @Test func unknownStatusCodesReadAsUnknown() {
        #expect(StatusCode(wireValue: 99) == .unknown)
        #expect(StatusCode(wireValue: 14) == .unavailable)
    }
}
