import Foundation
import OtklikCore
import Testing

/// p.19: drafts carry files; the profile's evidence rule holds back a final reply stating measures on
/// its topics until it carries a photo or video, or the curator waives the rule with a reason.
@Suite struct EvidenceTests {
    static let photo = DraftAttachment(
        sha256: String(repeating: "a", count: 64), name: "яма.jpg", kind: .photo, size: 1000,
        capturedAt: at("2026-05-14T09:00:00+03:00"))
    static let video = DraftAttachment(
        sha256: String(repeating: "b", count: 64), name: "ремонт.mp4", kind: .video, size: 9000)
    static let pdf = DraftAttachment(
        sha256: String(repeating: "c", count: 64), name: "акт.pdf", kind: .document, size: 500)

    /// p.19 hint "снято до сообщения": a photo whose EXIF time is before the message's detection; a photo
    /// taken at it or after, without a time, and any other kind of file are not marked.
    @Test func aPhotoTakenBeforeTheMessageIsMarked() {
        let detected = at("2026-05-14T10:00:00+03:00")
        #expect(Self.photo.takenBefore(detected))
        var later = Self.photo
        later.capturedAt = detected
        #expect(!later.takenBefore(detected))
        later.capturedAt = nil
        #expect(!later.takenBefore(detected))
        var film = Self.video
        film.capturedAt = at("2026-05-01T09:00:00+03:00")
        #expect(!film.takenBefore(detected))
    }

    private func routed(topics: [String] = ["дороги"]) throws -> CaseHarness {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00", topics: topics)
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        c.set("2026-05-14T11:00:00+03:00")
        return c
    }

    @Test func aFinalReplyStatingMeasuresOnARoadNeedsAPhotoOrVideoOrAWaiver() throws {
        var c = try routed()
        try c.run(
            .submitDraft(
                assignment: 1, kind: .final, text: "Яма заделана", measures: "Ямочный ремонт",
                attachments: DraftAttachmentChange(attach: [Self.pdf])), by: ["roads.ex"])
        // A document is not evidence of the road.
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.approveDraft(assignment: 1), by: ["cur"])
        }
        #expect(c.state?.assignments[0].status == .inReview)
        // The one who wrote it cannot waive the rule for it; the reason is required.
        expectRefused(.permissionDenied) { () throws(WorkflowError) in
            try c.run(.waiveEvidence(assignment: 1, reason: "снег"), by: ["roads.ex"])
        }
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try c.run(.waiveEvidence(assignment: 1, reason: "  "), by: ["cur"])
        }
        let waived = try c.run(.waiveEvidence(assignment: 1, reason: "Ремонт под снегом, фото нет"), by: ["cur"])
        #expect(waived.map(\.kind) == [.evidenceWaived] && waived[0].reason == "Ремонт под снегом, фото нет")
        #expect(try c.run(.waiveEvidence(assignment: 1, reason: "ещё раз"), by: ["cur"]).isEmpty)
        #expect(c.state?.assignments[0].drafts[0].evidenceWaiver?.reason == "Ремонт под снегом, фото нет")
        try c.run(.approveDraft(assignment: 1), by: ["cur"])
        #expect(c.state?.assignments[0].status == .approved)
    }

    @Test func aPhotoOrVideoLetsItThroughAndGoesOutWithTheReply() throws {
        for evidence in [Self.photo, Self.video] {
            var c = try routed(topics: ["ЖКХ"])
            try c.run(
                .submitDraft(
                    assignment: 1, kind: .final, text: "Трубу заменили", measures: "Замена участка",
                    attachments: DraftAttachmentChange(attach: [Self.pdf, evidence])), by: ["ex"])
            try c.run(.approveDraft(assignment: 1), by: ["cur"])
            try c.run(
                .publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=2", account: "borovichi_adm", at: nil),
                by: ["cur"])
            #expect(c.state?.assignments[0].replies[0].attachments == [Self.pdf.sha256, evidence.sha256])
        }
    }

    @Test func theRuleHoldsOnlyItsTopicsKindsAndMeasures() throws {
        // Another topic, no measures stated, or an intermediate reply: no rule, nothing to waive.
        var other = try routed(topics: ["транспорт"])
        try other.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: "Меры"), by: ["ex"])
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try other.run(.waiveEvidence(assignment: 1, reason: "нет"), by: ["cur"])
        }
        try other.run(.approveDraft(assignment: 1), by: ["cur"])
        var plain = try routed()
        try plain.run(.submitDraft(assignment: 1, kind: .final, text: "Работы запланированы", measures: ""), by: ["ex"])
        try plain.run(.approveDraft(assignment: 1), by: ["cur"])
        var interim = try routed()
        try interim.run(
            .submitDraft(assignment: 1, kind: .intermediate, text: "Ведутся работы", measures: "Заявка"), by: ["ex"])
        try interim.run(.approveDraft(assignment: 1), by: ["cur"])
        #expect(profile.evidenceRule(for: plain.state!.assignments[0].drafts[0], topics: ["дороги"]) == nil)
    }

    @Test func aResubmissionKeepsTheReturnedDraftsFilesUnlessDetached() throws {
        var c = try routed()
        try c.run(
            .submitDraft(
                assignment: 1, kind: .final, text: "Т", measures: "",
                attachments: DraftAttachmentChange(attach: [Self.photo, Self.pdf])), by: ["ex"])
        try c.run(.returnDraft(assignment: 1, reason: .formal, comment: "Без акта"), by: ["cur"])
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try c.run(
                .submitDraft(
                    assignment: 1, kind: .final, text: "Т2", measures: "",
                    attachments: DraftAttachmentChange(detach: [Self.video.sha256])), by: ["ex"])
        }
        try c.run(
            .submitDraft(
                assignment: 1, kind: .final, text: "Т2", measures: "",
                attachments: DraftAttachmentChange(attach: [Self.video], detach: [Self.pdf.sha256])), by: ["ex"])
        #expect(c.state?.assignments[0].drafts[1].attachments?.map(\.sha256) == [Self.photo.sha256, Self.video.sha256])
        // The first draft keeps what it carried.
        #expect(c.state?.assignments[0].drafts[0].attachments?.count == 2)
        // A draft carries at most 20 files.
        try c.run(.returnDraft(assignment: 1, reason: .formal, comment: "ещё"), by: ["cur"])
        let many = (0..<19).map {
            DraftAttachment(sha256: String(format: "%064d", $0), name: "\($0).jpg", kind: .photo, size: 1)
        }
        expectRefused(.invalidArgument, "a draft carries at most 20 files, not 21") { () throws(WorkflowError) in
            try c.run(
                .submitDraft(
                    assignment: 1, kind: .final, text: "Т3", measures: "",
                    attachments: DraftAttachmentChange(attach: many)),
                by: ["ex"])
        }
    }

    @Test func theProfilePrintsAsAFileThatReadsBackTheSame() throws {
        let text = profile.fileJSON()
        #expect(try RegulationProfile.decode(Data(text.utf8)) == profile)
        #expect(
            profile.evidenceRules == [
                RegulationProfile.EvidenceRule(
                    topics: ["дороги", "ЖКХ", "благоустройство"], draftKinds: [.final], whenMeasures: true)
            ])
        let broken = text.replacingOccurrences(
            of: "\"draft_kinds\":[\"final\"]", with: "\"draft_kinds\":[\"final\",\"nosuch\"]")
        #expect(broken != text)
        #expect(throws: CalendarError.self) { try RegulationProfile.decode(Data(broken.utf8)) }
    }
}
