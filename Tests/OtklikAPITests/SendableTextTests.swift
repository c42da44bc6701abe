import OtklikAPI
import OtklikRPC
import Testing

/// Issue 25, M5: protobuf-c's strings end at a NUL, so a text holding one is refused before it is
/// encoded, naming its field as the daemon names it.
@Suite struct SendableTextTests {
    @Test func aNULInATextIsRefusedNamingTheField() {
        var request = RegisterMessageRequest()
        request.text = "Яма\u{0}на дороге"
        #expect(throws: RPCError.self) { try request.checkSendable() }
        do {
            try request.checkSendable()
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("text") && error.message.contains("NUL"), "\(error.message)")
        }
    }

    @Test func aNULDeepInAListIsNamedByItsPlace() {
        var first = RegisterMessageRequest()
        first.text = "ok"
        var second = RegisterMessageRequest()
        second.externalID = "id\u{0}"
        var batch = ImportMessagesRequest()
        batch.messages = [first, second]
        do {
            try batch.checkSendable()
            Issue.record("a NUL in messages[1].external_id was let through")
        } catch {
            #expect(error.message.contains("messages[1].external_id"), "\(error.message)")
        }
    }

    @Test func textsWithoutNULAndBytesWithZeroesPass() throws {
        var request = RegisterMessageRequest()
        request.text = "Яма на дороге\tу школы\n"
        try request.checkSendable()
        let chunk = UploadRequest(part: .chunk([0, 0, 1, 0]))
        try chunk.checkSendable()
    }
}
