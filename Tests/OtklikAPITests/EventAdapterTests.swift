import OtklikAPI
import OtklikBase
import OtklikCore
import Testing

/// A `WatchEvent`'s typed payload carries every fact the log stores for its kind (issue 28, item 3):
/// a field added to a stored payload type without its contract field fails here, by name.
@Suite struct EventAdapterTests {
    /// The stored properties of a value (`Mirror` lists optional ones too).
    static func names(_ value: Any) -> Set<String> {
        Set(Mirror(reflecting: value).children.compactMap(\.label))
    }

    /// A stored property arrives as the contract's field of the same name, or with `Unix` for an instant.
    static func missing(_ stored: Set<String>, in contract: Set<String>, renamed: [String: String] = [:]) -> [String] {
        stored.filter { name in
            let target = renamed[name] ?? name
            return !contract.contains(target) && !contract.contains(target + "Unix")
        }.sorted()
    }

    @Test func everyStoredFieldHasItsContractField() {
        // `kind` is the WatchEvent's own field.
        let step = Self.names(WorkflowEvent(kind: .routed, at: 0)).subtracting(["kind"])
        #expect(Self.missing(step, in: Self.names(StepDetails())) == [])
        #expect(
            Self.missing(
                Self.names(WorkflowEvent.NewAssignment(index: 1, executor: "", topics: [])),
                in: Self.names(StepDetails.NewAssignment())) == [])
        #expect(
            Self.missing(
                Self.names(WorkflowEvent.MetClock(clock: .route, due: 0)), in: Self.names(StepDetails.MetClock())) == []
        )
        #expect(
            Self.missing(
                Self.names(WorkflowEvent.Change(field: .url, old: nil, new: nil)),
                in: Self.names(StepDetails.FieldChange()), renamed: ["old": "before", "new": "after"]) == [])
        #expect(
            Self.missing(
                Self.names(DraftAttachment(sha256: "", name: "", kind: .photo, size: 0)),
                in: Self.names(StepDetails.DraftFile())) == [])
        // `clock_key` is the scheduler's own key of the clock; the contract names the clock and its assignment.
        let notice = ClockNotice(
            clock: .route, clockKey: ClockKey(.route), due: 0, dueAt: "", schedule: "", assignment: nil)
        #expect(
            Self.missing(
                Self.names(notice).subtracting(["clockKey"]), in: Self.names(ClockNoticeDetails()),
                renamed: ["due": "dueUnix", "dueAt": "due"]) == [])
        let upload = AttachmentEvent(sha256: "", name: "", contentType: "", size: 0)
        #expect(Self.missing(Self.names(upload), in: Self.names(AttachmentDetails())) == [])
    }

    @Test func aStepArrivesWithItsValues() throws {
        var event = WorkflowEvent(
            kind: .corrected, at: 1_764_000_000, assignment: 2, met: [.init(clock: .reply, due: 1_764_100_000)])
        event.assignments = [.init(index: 2, executor: "roads", topics: ["дороги"], startedAt: 1_764_000_100)]
        event.changes = [.init(field: .author, old: nil, new: "Анна"), .init(field: .url, old: "", new: nil)]
        event.importance = .high
        event.draftKind = .final
        event.attachments = [.init(sha256: "ab", name: "яма.jpg", kind: .photo, size: 10, capturedAt: 1_763_000_000)]
        event.reason = "formal"
        let details = StepDetails(event)
        #expect(details.atUnix == 1_764_000_000 && details.assignment == 2)
        #expect(details.met == [.init(clock: .reply, dueUnix: 1_764_100_000, assignment: 0)])
        #expect(
            details.assignments == [
                .init(index: 2, executor: "roads", topics: ["дороги"], startedAtUnix: 1_764_000_100)
            ])
        #expect(
            details.changes == [
                .init(field: "author", before: "", hadBefore: false, after: "Анна", hasAfter: true),
                .init(field: "url", before: "", hadBefore: true, after: "", hasAfter: false),
            ])
        #expect(details.importance == .high && details.draftKind == .final && details.reason == "formal")
        #expect(
            details.attachments == [
                .init(sha256: "ab", name: "яма.jpg", kind: "photo", size: 10, capturedAtUnix: 1_763_000_000)
            ])
        // Through the wire and back, and as the payload of an event read from the log.
        let watched = WatchEvent(
            payload: WatchEvent.Payload(EventDetails(kind: .corrected, json: JSONText.string(event))))
        #expect(try WatchEvent(serializedBytes: watched.serializedBytes()).payload == .step(details))
    }

    @Test func aNoticeAndAnUploadArriveWithTheirValues() {
        let notice = ClockNotice(
            clock: .finalDraft, clockKey: ClockKey(.finalDraft, assignment: 1), due: 1_764_000_000,
            dueAt: "2025-11-24T19:00:00+03:00",
            schedule: "executor", assignment: 1, point: "15m", recipients: ["roads.smirnov"])
        #expect(
            WatchEvent.Payload(EventDetails(kind: .clockWarning, json: JSONText.string(notice)))
                == .clock(
                    ClockNoticeDetails(
                        clock: .finalDraft, dueUnix: 1_764_000_000, due: "2025-11-24T19:00:00+03:00",
                        schedule: "executor", assignment: 1, point: "15m", recipients: ["roads.smirnov"])))
        let upload = AttachmentEvent(
            sha256: "cd", name: "акт.pdf", contentType: "application/pdf", size: 5, reason: "x")
        #expect(
            WatchEvent.Payload(EventDetails(kind: .attachmentRemoved, json: JSONText.string(upload)))
                == .attachment(
                    AttachmentDetails(
                        sha256: "cd", name: "акт.pdf", contentType: "application/pdf", size: 5, reason: "x")))
        // The directory's, the calendar's and the daemon's own kinds stay untyped: `details` carries them.
        #expect(WatchEvent.Payload(EventDetails(kind: .daemonStarted, json: #"{"version":"1"}"#)) == nil)
    }
}
