import OtklikCore
import Testing

/// Issue 29: what a connector reports of the network (an edit, a deletion, a restoration) and the
/// publication of an approved reply through a connector, in the pure workflow.
@Suite struct NetworkStepsTests {
    /// A case registered by the VK connector (external id `vk:-G_P_C`), routed, its final draft approved.
    func approved(external: String? = "vk:-218375_101_501", measures: String = "", topic: String = "дороги") throws
        -> CaseHarness
    {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.run(
            .register(
                .init(
                    network: "vk", url: "https://vk.com/wall-218375_101?reply=501", author: "Анна Соколова",
                    text: "Когда засыплют яму у школы №3?", detectedAt: at("2026-05-14T10:00:00+03:00"),
                    externalID: external, topics: [topic])))
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        c.set("2026-05-14T11:00:00+03:00")
        try c.run(
            .submitDraft(assignment: 1, kind: .final, text: "Яму засыплют до пятницы.", measures: measures),
            by: ["roads.ivanova"])
        c.set("2026-05-14T11:10:00+03:00")
        try c.run(.approveDraft(assignment: 1), by: ["cur.petrova"])
        return c
    }

    @Test func anEditIsRecordedWithTheOldAndNewTextAndOnlyOnce() throws {
        var c = try approved()
        c.set("2026-05-14T11:20:00+03:00")
        let events = try c.run(.networkChange(.edited(text: "Когда засыплют яму у школы №3 на Ленина?")))
        #expect(events.map(\.kind) == [.messageEdited])
        #expect(
            events.first?.changes == [
                .init(
                    field: .text, old: "Когда засыплют яму у школы №3?", new: "Когда засыплют яму у школы №3 на Ленина?"
                )
            ])
        #expect(c.state?.text == "Когда засыплют яму у школы №3 на Ленина?")
        #expect(c.state?.editedAt == at("2026-05-14T11:20:00+03:00"))
        // The same edit reported again (a connector restarted) records nothing.
        #expect(try c.run(.networkChange(.edited(text: "Когда засыплют яму у школы №3 на Ленина?"))).isEmpty)
        // The workflow goes on as before: the approved draft is still there to publish.
        #expect(c.state?.assignments.first?.status == .approved)
    }

    @Test func aDeletionAndARestorationAreNotedAndTheCaseGoesOn() throws {
        var c = try approved()
        let version = c.state?.version ?? 0
        let deleted = try c.run(.networkChange(.deleted(by: .community)))
        #expect(deleted.first?.deletedBy == .community)
        #expect(c.state?.deletedAt != nil && c.state?.deletedBy == .community)
        #expect(c.state?.version == version + 1)
        #expect(try c.run(.networkChange(.deleted(by: .author))).isEmpty)
        try c.run(.networkChange(.restored))
        #expect(c.state?.deletedAt == nil && c.state?.deletedBy == nil)
        #expect(try c.run(.networkChange(.restored)).isEmpty)
        // A closed case still takes the network's facts: the message is what it is.
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-218375_101?reply=777", account: "a", at: nil))
        #expect(c.state?.status == .done)
        try c.run(.networkChange(.deleted()))
        #expect(c.state?.deletedAt != nil)
    }

    @Test func anEditToNoTextIsRefused() throws {
        var c = try approved()
        expectRefused(.invalidArgument) { () throws(WorkflowError) in try c.run(.networkChange(.edited(text: "  "))) }
    }

    @Test func aRequestedPublicationWaitsThenIsRecordedWithItsURLAndTheClockMeets() throws {
        var c = try approved()
        c.set("2026-05-14T11:12:00+03:00")
        try c.run(.requestPublication(assignment: 1, network: "vk"), by: ["cur.petrova"])
        let waiting = try #require(c.state?.assignments.first?.waitingPublication)
        #expect(waiting.network == "vk" && waiting.requestedAt == at("2026-05-14T11:12:00+03:00"))
        // The publish clock runs on while the connector has it.
        #expect(try c.clock(.publish).isRunning)
        // Asked twice: refused, the first request stands.
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.requestPublication(assignment: 1, network: "vk"), by: ["cur.petrova"])
        }
        c.set("2026-05-14T11:13:00+03:00")
        try c.run(
            .publish(
                assignment: 1, url: "https://vk.com/wall-218375_101?reply=777", account: "Администрация", at: nil),
            by: ["vk.connector"])
        let a = try #require(c.state?.assignments.first)
        #expect(a.status == .done && a.publication == nil)
        #expect(a.replies.first?.url == "https://vk.com/wall-218375_101?reply=777")
        #expect(try c.clock(.publish).state == .met)
    }

    @Test func aFailedPublicationSaysWhyAndTheCuratorMayAskAgainOrPublishByHand() throws {
        var c = try approved()
        try c.run(.requestPublication(assignment: 1, network: "vk"), by: ["cur.petrova"])
        let failure = PublicationFailure(
            kind: .commentsClosed, code: 213, message: String(repeating: "Access to comments denied. ", count: 40))
        try c.run(.publicationFailed(assignment: 1, failure: failure))
        let request = try #require(c.state?.assignments.first?.publication)
        #expect(!request.isWaiting && request.failure?.code == 213 && request.failure?.kind == .commentsClosed)
        #expect((request.failure?.message.count ?? 0) == Workflow.failureMessageLimit)
        #expect(c.state?.assignments.first?.waitingPublication == nil)
        #expect(try c.clock(.publish).isRunning)
        // Reported twice: refused (nothing waits any more).
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.publicationFailed(assignment: 1, failure: failure))
        }
        // Asked again, then published by hand.
        try c.run(.requestPublication(assignment: 1, network: "vk"), by: ["cur.petrova"])
        #expect(c.state?.assignments.first?.waitingPublication != nil)
        try c.run(
            .publish(assignment: 1, url: "https://vk.com/wall-218375_101?reply=778", account: "a", at: nil),
            by: ["cur.petrova"])
        #expect(c.state?.assignments.first?.publication == nil)
    }

    @Test func onlyAMessageTheConnectorRegisteredInItsNetworkIsHandedToIt() throws {
        var byHand = try approved(external: nil)
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try byHand.run(.requestPublication(assignment: 1, network: "vk"), by: ["cur.petrova"])
        }
        var other = try approved()
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try other.run(.requestPublication(assignment: 1, network: "tg"), by: ["cur.petrova"])
        }
        // p.5, p.13: who wrote the draft does not publish it, through a connector either.
        expectRefused(.permissionDenied) { () throws(WorkflowError) in
            try other.run(.requestPublication(assignment: 1, network: "vk"), by: ["roads.ivanova"])
        }
    }

    @Test func aReplySentBackForMeasuresLeavesTheConnector() throws {
        var c = try approved()
        try c.run(.requestPublication(assignment: 1, network: "vk"), by: ["cur.petrova"])
        var earlier = WorkflowEvent(kind: .draftSentBack, at: c.now, assignment: 1)
        earlier.comment = "p.18"
        c.state = try Workflow.apply([earlier], to: c.state, id: "2026-000001")
        #expect(c.state?.assignments.first?.publication == nil)
        #expect(c.state?.assignments.first?.waitingPublication == nil)
    }

    @Test func filesLeftOutAreSaidOnTheReplyAndMeasuresGoOutWithTheText() throws {
        // (A topic without the profile's evidence rule: a reply stating measures on roads needs a photo.)
        var c = try approved(measures: "Яма засыпана 15 мая.", topic: "транспорт")
        let draft = try #require(c.state?.assignments.first?.drafts.last)
        #expect(draft.publishedText == "Яму засыплют до пятницы.\n\nЯма засыпана 15 мая.")
        try c.run(.requestPublication(assignment: 1, network: "vk"), by: ["cur.petrova"])
        // No files on the draft: nothing was left out, whatever the connector says.
        try c.run(
            .publish(
                assignment: 1, url: "https://vk.com/wall-218375_101?reply=9", account: "a", at: nil,
                filesLeftOut: true))
        #expect(c.state?.assignments.first?.replies.first?.filesLeftOut == nil)
    }

    /// Telegram sends what it can: the reply names the draft's files that went out (never a digest the
    /// draft does not carry) and says the rest were left out; all of them sent, nothing was left out.
    @Test func aReplyCarriesTheFilesTheConnectorSentAndSaysTheRestWereLeftOut() throws {
        for (sent, carried, leftOut) in [
            ([EvidenceTests.photo.sha256, String(repeating: "f", count: 64)], [EvidenceTests.photo.sha256], true),
            ([], [], true),
            (
                [EvidenceTests.pdf.sha256, EvidenceTests.photo.sha256],
                [EvidenceTests.photo.sha256, EvidenceTests.pdf.sha256], false
            ),
        ] as [([String], [String], Bool)] {
            var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
            try c.run(
                .register(
                    .init(
                        network: "tg", url: "https://t.me/adm/100?comment=7", author: "Анна Соколова",
                        text: "Когда засыплют яму?", detectedAt: at("2026-05-14T10:00:00+03:00"),
                        externalID: "tg:-1001234567890/7", topics: ["транспорт"])))
            try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
            c.set("2026-05-14T11:00:00+03:00")
            try c.run(
                .submitDraft(
                    assignment: 1, kind: .final, text: "Яму засыпали.", measures: "",
                    attachments: DraftAttachmentChange(attach: [EvidenceTests.photo, EvidenceTests.pdf])),
                by: ["roads.ivanova"])
            try c.run(.approveDraft(assignment: 1), by: ["cur.petrova"])
            try c.run(.requestPublication(assignment: 1, network: "tg"), by: ["cur.petrova"])
            let events = try c.run(
                .publish(
                    assignment: 1, url: "https://t.me/adm/100?comment=9", account: "a", at: nil, filesLeftOut: true,
                    filesSent: sent))
            let draftFiles = [EvidenceTests.photo.sha256, EvidenceTests.pdf.sha256]
            #expect((events.first?.filesSent ?? []) == sent.filter { draftFiles.contains($0) })
            let reply = try #require(c.state?.assignments.first?.replies.first)
            #expect(reply.attachments == carried)
            #expect(reply.filesLeftOut == (leftOut ? true : nil))
        }
    }
}
