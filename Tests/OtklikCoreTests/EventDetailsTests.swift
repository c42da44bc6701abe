import Foundation
import OtklikBase
import OtklikCore
import Testing

/// Event details are read with the type the daemon stored them as (issue 28, item 3).
@Suite struct EventDetailsTests {
    @Test func eachKindReadsItsOwnPayloadType() {
        var returned = WorkflowEvent(kind: .draftReturned, at: Instant(seconds: 1_764_000_000), assignment: 2)
        returned.reason = "formal"
        returned.comment = "Укажите срок"
        let step = EventDetails(kind: .draftReturned, json: JSONText.string(returned)).step
        #expect(step == returned)

        let notice = ClockNotice(
            clock: .reply, clockKey: ClockKey(.reply, assignment: 1), due: Instant(seconds: 1_764_000_000),
            dueAt: "2025-11-24T19:00:00+03:00",
            schedule: "executor", assignment: 1, point: "15m")
        #expect(EventDetails(kind: .clockWarning, json: JSONText.string(notice)).clock == notice)

        let upload = AttachmentEvent(
            sha256: String(repeating: "a", count: 64), name: "яма.jpg", contentType: "image/jpeg", size: 10)
        #expect(EventDetails(kind: .attachmentUploaded, json: JSONText.string(upload)).attachment == upload)
    }

    /// What this build cannot read is `other`, never a crash: no kind, a kind without a payload,
    /// details that are not the kind's (a newer daemon's), text that is not JSON.
    @Test func whatCannotBeReadIsOther() {
        #expect(EventDetails(kind: nil, json: "{}").step == nil)
        #expect(EventDetails(kind: .daemonStopped, json: "{}").step == nil)
        #expect(EventDetails(kind: .draftReturned, json: #"{"kind":"draft.unheard_of","at":0}"#).step == nil)
        #expect(EventDetails(kind: .clockBreached, json: "not json").clock == nil)
    }
}
