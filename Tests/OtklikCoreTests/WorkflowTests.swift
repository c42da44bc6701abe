import Foundation
import OtklikCore
import Testing

/// The regulation clause by clause (RULES.md), on the pure workflow.
@Suite struct WorkflowTests {
    @Test func p07_routeIsDueThirtyCuratorMinutesAfterDetectionAndMetByRouting() throws {
        var c = CaseHarness(now: "2026-05-14T17:50:00+03:00")
        try c.register(detected: "2026-05-14T17:45:00+03:00")
        #expect(try c.due(.route) == "2026-05-15T09:15:00+03:00")
        #expect(try c.clock(.route).state == .open)
        c.set("2026-05-15T09:10:00+03:00")
        try c.run(.route(executors: ["roads"], topics: ["roads": ["дороги"]], importance: nil))
        let route = try c.clock(.route)
        #expect(route.state == .met)
        #expect(route.metAt == at("2026-05-15T09:10:00+03:00"))
        #expect(c.state?.status == .routed)
        #expect(c.state?.assignments.map(\.topics) == [["дороги"]])
    }

    @Test func p07_routingLateBreachesTheRouteClockByTheWorkingMinutesLate() throws {
        var c = CaseHarness(now: "2026-05-14T17:50:00+03:00")
        try c.register(detected: "2026-05-14T17:45:00+03:00")
        c.set("2026-05-15T09:25:00+03:00")
        #expect(try c.clock(.route).state == .breached)
        #expect(try c.clock(.route).lateMinutes == 10)
        c.set("2026-05-15T09:30:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        #expect(try c.clock(.route).state == .breached)
        #expect(try c.clock(.route).lateMinutes == 15)
    }

    @Test func p08_replyIsDueEightExecutorHoursAfterDetection_p11_draftFourHoursBefore() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        #expect(try c.due(.reply) == "2026-05-15T10:00:00+03:00")
        #expect(try c.due(.draft) == "2026-05-14T15:00:00+03:00")
    }

    @Test func p09_highImportanceReplyIsDueInFourHours_p12_draftTwoHoursBefore() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00", importance: .high)
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        #expect(try c.due(.reply) == "2026-05-14T15:00:00+03:00")
        #expect(try c.due(.draft) == "2026-05-14T12:00:00+03:00")
    }

    @Test func changingImportanceRecomputesOpenClocksButNotMetOnes() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        #expect(try c.due(.reply) == "2026-05-15T10:00:00+03:00")
        c.set("2026-05-14T10:20:00+03:00")
        try c.run(.changeImportance(.high))
        #expect(try c.due(.reply) == "2026-05-14T15:00:00+03:00")
        #expect(try c.due(.draft) == "2026-05-14T12:00:00+03:00")
        #expect(try c.clock(.route).due == at("2026-05-14T10:30:00+03:00"))
        // Routing with an importance sets it too.
        var d = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try d.register(detected: "2026-05-14T10:00:00+03:00")
        try d.run(.route(executors: ["roads"], topics: [:], importance: .high))
        #expect(try d.due(.reply) == "2026-05-14T15:00:00+03:00")
    }

    @Test func p13_eachSubmissionIsReviewedWithinThirtyCuratorMinutes_p14_reworkWithinOneHour() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        c.set("2026-05-14T11:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Яму заделают до пятницы.", measures: ""))
        #expect(try c.due(.review) == "2026-05-14T11:30:00+03:00")
        #expect(try c.clock(.draft).state == .met)
        c.set("2026-05-14T11:50:00+03:00")
        try c.run(.returnDraft(assignment: 1, reason: .noEvidence, comment: "Приложите фото"))
        #expect(try c.clock(.review).state == .breached)
        #expect(try c.clock(.review).lateMinutes == 20)
        #expect(try c.due(.rework) == "2026-05-14T12:50:00+03:00")
        #expect(c.state?.assignments[0].status == .drafting)
        c.set("2026-05-14T14:10:00+03:00")
        #expect(try c.clock(.rework).state == .breached)
        try c.run(
            .submitDraft(assignment: 1, kind: .final, text: "Яму заделают до пятницы, фото приложено.", measures: ""))
        // 12:50 to 14:10 across the lunch break is 20 working minutes late.
        #expect(try c.clock(.rework).lateMinutes == 20)
        #expect(try c.due(.review) == "2026-05-14T14:40:00+03:00")
        let drafts = try #require(try c.clocks().drafts[1])
        #expect(drafts.count == 2)
        #expect(drafts[0][.review]?.state == .breached)
        #expect(drafts[0][.rework]?.metAt == at("2026-05-14T14:10:00+03:00"))
    }

    @Test func p15_approvedReplyIsPublishedWithinThirtyMinutesWithItsURLAndTime() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        c.set("2026-05-14T11:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        c.set("2026-05-14T11:10:00+03:00")
        try c.run(.approveDraft(assignment: 1))
        #expect(try c.due(.publish) == "2026-05-14T11:40:00+03:00")
        c.set("2026-05-14T11:30:00+03:00")
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=9", account: "admin-borovichi", at: nil))
        let a = try #require(c.state?.assignments.first)
        #expect(a.status == .done)
        #expect(
            a.replies == [
                Reply(
                    kind: .final, url: "https://vk.com/wall-1_1?reply=9", account: "admin-borovichi",
                    publishedAt: at("2026-05-14T11:30:00+03:00"))
            ])
        #expect(try c.clock(.publish).state == .met)
        #expect(try c.clock(.reply).state == .met)
        #expect(c.state?.status == .done)
    }

    @Test func p10_aClarificationPausesReplyAndDraftUntilTheAuthorAnswersAcrossAWeekend() throws {
        var c = CaseHarness(now: "2026-05-15T09:05:00+03:00")
        try c.register(detected: "2026-05-15T09:00:00+03:00")
        try c.run(.route(executors: ["housing"], topics: [:], importance: nil))
        #expect(try c.due(.reply) == "2026-05-15T18:00:00+03:00")
        c.set("2026-05-15T10:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .clarification, text: "Уточните адрес дома", measures: ""))
        c.set("2026-05-15T10:10:00+03:00")
        try c.run(.approveDraft(assignment: 1))
        c.set("2026-05-15T10:25:00+03:00")
        try c.run(
            .publish(
                assignment: 1, url: "https://vk.com/wall-1_1?reply=2", account: "borovichi_adm",
                at: at("2026-05-15T10:20:00+03:00")))
        #expect(c.state?.assignments[0].status == .waitingAuthor)
        c.set("2026-05-18T10:00:00+03:00")
        #expect(try c.clock(.reply).state == .paused)
        #expect(try c.clock(.reply).lateMinutes == 0)
        c.set("2026-05-18T11:05:00+03:00")
        try c.run(.authorAnswered(assignment: 1, at: at("2026-05-18T11:00:00+03:00"), text: "ул. Ленина, 5"))
        // Paused: Friday 10:20-18:00 (6h40m working) and Monday 09:00-11:00 (2h), so the reply is due
        // 8h + 8h40m of working time after detection.
        #expect(try c.due(.reply) == "2026-05-19T09:40:00+03:00")
        #expect(c.state?.assignments[0].status == .drafting)
        // The clarification met the draft clock on time; after the answer the draft term runs again,
        // 4 working hours before the new reply due time (p.10, p.11). A second pause can follow.
        #expect(try c.clock(.draft).state == .open)
        #expect(try c.due(.draft) == "2026-05-18T14:40:00+03:00")
        let earlier = try #require(try c.clocks().earlierDrafts[1])
        #expect(earlier.map(\.state) == [.met])
        #expect(c.state?.assignments[0].pauses.count == 1)
        c.set("2026-05-18T14:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Яму заделают до пятницы", measures: ""))
        #expect(try c.clock(.draft).state == .met)
        #expect(try c.clock(.draft).metAt == at("2026-05-18T14:00:00+03:00"))
    }

    @Test func p16_anIntermediateReplyStartsAFinalDraftTermOfSevenWorkingDays() throws {
        var c = CaseHarness(now: "2026-05-07T09:05:00+03:00")
        try c.register(detected: "2026-05-07T09:00:00+03:00")
        try c.run(.route(executors: ["transport"], topics: [:], importance: nil))
        c.set("2026-05-07T10:00:00+03:00")
        try c.run(
            .submitDraft(assignment: 1, kind: .intermediate, text: "Обращение передано перевозчику", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil))
        #expect(c.state?.assignments[0].status == .awaitingFinal)
        #expect(try c.clock(.reply).state == .met)
        #expect(try c.due(.finalDraft) == "2026-05-19T18:00:00+03:00")
        c.set("2026-05-19T17:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Расписание изменено", measures: ""))
        #expect(try c.clock(.finalDraft).state == .met)
        try c.run(.approveDraft(assignment: 1))
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=2", account: "borovichi_adm", at: nil))
        #expect(c.state?.status == .done)
        #expect(c.state?.assignments[0].replies.map(\.kind) == [.intermediate, .final])
    }

    @Test func p17_aSplitCaseIsDoneOnlyWhenEveryAssignmentIs() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(
            .route(
                executors: ["roads", "transport"], topics: ["roads": ["дороги"], "transport": ["автобусы"]],
                importance: nil))
        #expect(c.state?.assignments.map(\.executor) == ["roads", "transport"])
        for index in [1, 2] {
            try c.run(.submitDraft(assignment: index, kind: .final, text: "Ответ \(index)", measures: ""))
            try c.run(.approveDraft(assignment: index))
        }
        try c.run(.publish(assignment: 1, url: "https://vk.com/r1", account: "borovichi_adm", at: nil))
        #expect(c.state?.status == .routed)
        try c.run(.publish(assignment: 2, url: "https://vk.com/r2", account: "borovichi_adm", at: nil))
        #expect(c.state?.status == .done)
    }

    @Test func p18_aRepeatCaseIsRefusedAFinalReplyWithoutMeasures() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.linkRepeat(of: "2026-000000"))
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        expectRefused(
            .failedPrecondition,
            "case 2026-000001 repeats 2026-000000: its reply must state the measures taken or the progress (p.18); give --measures"
        ) {
            () throws(WorkflowError) in
            try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: "  "))
        }
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: "Яма заделана 12.05"))
        #expect(c.state?.assignments[0].drafts[0].measures == "Яма заделана 12.05")
        // p.18 asks it of every reply: an intermediate one states the progress; a clarification asks a question.
        var d = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try d.register(detected: "2026-05-14T10:00:00+03:00")
        try d.run(.linkRepeat(of: "2026-000000"))
        try d.run(.route(executors: ["roads"], topics: [:], importance: nil))
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try d.run(.submitDraft(assignment: 1, kind: .intermediate, text: "Работаем", measures: ""))
        }
        try d.run(.submitDraft(assignment: 1, kind: .clarification, text: "Уточните адрес", measures: ""))
    }

    @Test func p18_linkingARepeatAfterApprovalSendsTheDraftBackForMeasuresWithTheReworkClockRunning() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        c.set("2026-05-14T11:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Яму заделаем", measures: ""))
        c.set("2026-05-14T11:10:00+03:00")
        try c.run(.approveDraft(assignment: 1))
        c.set("2026-05-14T11:20:00+03:00")
        let events = try c.run(.linkRepeat(of: "2026-000000"))
        #expect(events.map(\.kind) == [.repeatLinked, .draftSentBack])
        let a = try #require(c.state?.assignments.first)
        #expect(a.status == .drafting)
        #expect(a.drafts[0].returnReason == .measures)
        #expect(try c.clock(.rework).state == .open)
        #expect(try c.due(.rework) == "2026-05-14T12:20:00+03:00")
        // The approved draft's publish clock stopped when it went back, on time.
        #expect(try c.clock(.publish).state == .met)
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(
                .publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil))
        }
        c.set("2026-05-14T11:50:00+03:00")
        try c.run(
            .submitDraft(
                assignment: 1, kind: .final, text: "Яму заделали", measures: "Яма заделана 14.05, бригада ДРСУ"))
        #expect(try c.clock(.rework).state == .met)
    }

    @Test func p20_aRejectedCaseLeavesTheWorkflowAndCannotBeRouted() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.reject(reason: .obscene, comment: "нецензурная брань"))
        #expect(c.state?.status == .rejected)
        #expect(c.state?.rejectionReason == .obscene)
        #expect(try c.clock(.route).state == .met)
        #expect(try c.clocks().assignments.isEmpty)
        expectRefused(.failedPrecondition, "case 2026-000001 is rejected and cannot be routed") {
            () throws(WorkflowError) in
            try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        }
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in try c.run(.reject(reason: .harm, comment: ""))
        }
    }

    @Test func p21_lateStepsCountAgainstTheirOwnClock() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00", importance: .high)
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        c.set("2026-05-14T11:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        c.set("2026-05-14T11:20:00+03:00")
        try c.run(.approveDraft(assignment: 1))
        // The curator publishes at 15:30: publish due 11:50, reply due 15:00.
        c.set("2026-05-14T15:40:00+03:00")
        try c.run(
            .publish(
                assignment: 1, url: "https://vk.com/r", account: "borovichi_adm", at: at("2026-05-14T15:30:00+03:00")))
        #expect(try c.clock(.draft).state == .met)  // the executor was on time
        #expect(try c.clock(.review).state == .met)  // so was the review
        #expect(try c.clock(.publish).state == .breached)
        #expect(try c.clock(.publish).lateMinutes == 160)  // 11:50-13:00 and 14:00-15:30
        #expect(try c.clock(.reply).state == .breached)
        #expect(try c.clock(.reply).lateMinutes == 30)
        #expect(try c.clock(.publish).schedule == "curator")
    }

    @Test func anOpenClockPastItsDueTimeReadsBreachedWithTheLatenessSoFar() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        c.set("2026-05-15T11:00:00+03:00")
        #expect(try c.clock(.reply).state == .breached)
        #expect(try c.clock(.reply).lateMinutes == 60)
        #expect(try c.clock(.draft).lateMinutes == 5 * 60)
    }
}

@Suite struct WorkflowRefusalTests {
    private func routed() throws -> CaseHarness {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        return c
    }

    @Test func publishingAnUnapprovedDraftIsRefused() throws {
        var c = try routed()
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.publish(assignment: 1, url: "https://vk.com/r", account: "borovichi_adm", at: nil))
        }
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        expectRefused(
            .failedPrecondition, "assignment 2026-000001/1 has no approved draft to publish (it is in_review)"
        ) {
            () throws(WorkflowError) in
            try c.run(.publish(assignment: 1, url: "https://vk.com/r", account: "borovichi_adm", at: nil))
        }
    }

    @Test func approvingTwiceIsRefused() throws {
        var c = try routed()
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        expectRefused(.failedPrecondition, "assignment 2026-000001/1 has no draft waiting for review (it is approved)")
        {
            () throws(WorkflowError) in try c.run(.approveDraft(assignment: 1))
        }
    }

    @Test func actingOnADoneAssignmentIsRefused() throws {
        var c = try routed()
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        try c.run(.publish(assignment: 1, url: "https://vk.com/r", account: "borovichi_adm", at: nil))
        expectRefused(.failedPrecondition, "assignment 2026-000001/1 is done; nothing more can be done with it") {
            () throws(WorkflowError) in try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ещё", measures: ""))
        }
        expectRefused(.notFound) { () throws(WorkflowError) in try c.run(.approveDraft(assignment: 7)) }
    }

    @Test func factsMayNotLieInTheFutureOrBeforeTheStepTheyFollow() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        expectRefused(.invalidArgument, "the detection time lies in the future") { () throws(WorkflowError) in
            try c.register(detected: "2026-05-14T10:06:00+03:00")
        }
        var d = try routed()
        try d.run(.submitDraft(assignment: 1, kind: .clarification, text: "Уточните", measures: ""))
        d.set("2026-05-14T10:30:00+03:00")
        try d.run(.approveDraft(assignment: 1))
        expectRefused(.invalidArgument, "the publication cannot come before the draft's approval") {
            () throws(WorkflowError) in
            try d.run(
                .publish(
                    assignment: 1, url: "https://vk.com/r", account: "borovichi_adm",
                    at: at("2026-05-14T10:20:00+03:00")))
        }
        expectRefused(.invalidArgument, "the publication lies in the future") { () throws(WorkflowError) in
            try d.run(
                .publish(
                    assignment: 1, url: "https://vk.com/r", account: "borovichi_adm",
                    at: at("2026-05-14T11:00:00+03:00")))
        }
        try d.run(.publish(assignment: 1, url: "https://vk.com/r", account: "borovichi_adm", at: nil))
        expectRefused(.invalidArgument, "the author's answer cannot come before the clarification's publication") {
            () throws(WorkflowError) in
            try d.run(.authorAnswered(assignment: 1, at: at("2026-05-14T10:25:00+03:00"), text: ""))
        }
    }

    @Test func badRegistrationsAreRefused() {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try c.run(
                .register(
                    .init(
                        network: "myspace", url: "https://vk.com/x", author: "a", text: "t",
                        detectedAt: at("2026-05-14T10:00:00+03:00"))))
        }
        expectRefused(.invalidArgument, "the text is empty") { () throws(WorkflowError) in
            try c.run(
                .register(
                    .init(
                        network: "vk", url: "https://vk.com/x", author: "a", text: " ",
                        detectedAt: at("2026-05-14T10:00:00+03:00"))))
        }
        expectRefused(.invalidArgument, "the post cannot have been written after it was detected") {
            () throws(WorkflowError) in
            try c.run(
                .register(
                    .init(
                        network: "vk", url: "https://vk.com/x", author: "a", text: "t",
                        detectedAt: at("2026-05-14T10:00:00+03:00"),
                        postedAt: at("2026-05-14T10:01:00+03:00"))))
        }
    }

    @Test func routingNeedsDistinctNamedExecutors() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        expectRefused(.invalidArgument, "name at least one executor") { () throws(WorkflowError) in
            try c.run(.route(executors: [], topics: [:], importance: nil))
        }
        expectRefused(.invalidArgument, "an executor is named twice") { () throws(WorkflowError) in
            try c.run(.route(executors: ["roads", "roads"], topics: [:], importance: nil))
        }
        expectRefused(.invalidArgument, "topics are given for parks, which is not among the executors") {
            () throws(WorkflowError) in
            try c.run(.route(executors: ["roads"], topics: ["parks": ["x"]], importance: nil))
        }
    }

    @Test func theSameEventsAlwaysGiveTheSameCase() throws {
        var c = try routed()
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        try c.run(.returnDraft(assignment: 1, reason: .formal, comment: "Оформление"))
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ 2", measures: ""))
        let rebuilt = try Workflow.apply(c.events, to: nil, id: "2026-000001")
        #expect(rebuilt == c.state)
        #expect(rebuilt?.version == c.events.count)
        // Events survive a JSON round trip unchanged.
        let data = try JSONEncoder().encode(c.events)
        #expect(try JSONDecoder().decode([WorkflowEvent].self, from: data) == c.events)
    }
}

@Suite struct HintTests {
    private func state(_ id: String, author: String, text: String, detected: String) -> CaseState {
        var event = WorkflowEvent(kind: .registered, at: at(detected))
        event.network = "vk"
        event.author = author
        event.text = text
        return CaseState(id: id, registered: event)
    }

    @Test func p18_theSameAuthorOrASimilarTextSuggestsAnEarlierCase() {
        let earlier = state(
            "2026-000001", author: "Иван Петров", text: "Яма на улице Ленина возле дома 5",
            detected: "2026-05-01T10:00:00+03:00")
        let sameAuthor = state(
            "2026-000002", author: "иван  петров", text: "Когда уберут снег?", detected: "2026-05-10T10:00:00+03:00")
        let similar = state(
            "2026-000003", author: "Мария", text: "Яма на улице Ленина у дома 5 так и не заделана",
            detected: "2026-05-10T10:00:00+03:00")
        let unrelated = state(
            "2026-000004", author: "Пётр", text: "Автобус опаздывает", detected: "2026-05-10T10:00:00+03:00")
        #expect(Hints.likelyRepeat(of: earlier, by: sameAuthor))
        #expect(Hints.likelyRepeat(of: earlier, by: similar))
        #expect(!Hints.likelyRepeat(of: earlier, by: unrelated))
        // Only earlier cases are suggested, never the case itself.
        #expect(!Hints.likelyRepeat(of: similar, by: earlier))
        #expect(!Hints.likelyRepeat(of: earlier, by: earlier))
    }

    /// The hints' words: each letter lower-cased on its own, `ё` as `е`, letters and digits of any
    /// script kept (with their combining marks), everything else a separator.
    @Test func wordsAreLowerCasedLettersAndDigitsOfAnyScript() {
        #expect(Hints.words("ЁЛКИ-Палки, ёж; ДОМ №5а") == ["елки", "палки", "еж", "дом", "5а"])
        #expect(Hints.words("Straße ÄRGER İzmir ΣΟΦΙΑ") == ["straße", "ärger", "i̇zmir", "σοφια"])
        #expect(Hints.words("e\u{301}te  ١٢٣ 漢字") == ["e\u{301}te", "١٢٣", "漢字"])
        #expect(Hints.words(" , ").isEmpty)
        #expect(Hints.significantWords("Яма на дороге, яма!") == ["яма", "дороге"])
        #expect(
            Hints.likeWords("Во дворе дома 5 прорвало трубу отопления", limit: 3) == ["отопления", "прорвало", "трубу"])
    }

    @Test func p20_markerWordsFlagAReasonButNeverDecide() {
        #expect(Hints.rejectionHints("Я вас всех сожгу!", markers: profile.rejectionMarkers) == [.threat])
        #expect(Hints.rejectionHints("Глава — идиот", markers: profile.rejectionMarkers) == [.insult])
        #expect(Hints.rejectionHints("Яма на дороге", markers: profile.rejectionMarkers).isEmpty)
    }

    /// The markers are compared as bytes; the answers are `hasPrefix`'s on whole characters.
    @Test func p20_markersMatchWholeCharactersInAnyCanonicalForm() {
        var markers = profile
        markers.rejectionMarkers = [.threat: ["ЁЛК", "и\u{306}од", "е", "елк"], .insult: ["Straße"]]
        #expect(markers.rejectionMarkers[.threat] == ["елк", "йод", "е"])  // kept folded, composed, once
        #expect(Hints.rejectionHints("Ёлка", markers: markers.rejectionMarkers) == [.threat])
        #expect(Hints.rejectionHints("Елка", markers: markers.rejectionMarkers) == [.threat])
        // A decomposed "й" in the text, a composed one in the profile (and the other way round above).
        #expect(Hints.rejectionHints("Нужен и\u{306}одометр", markers: markers.rejectionMarkers) == [.threat])
        #expect(Hints.rejectionHints("STRASSE", markers: markers.rejectionMarkers).isEmpty)
        #expect(Hints.rejectionHints("straßenbau", markers: markers.rejectionMarkers) == [.insult])
        // "е" followed by a combining acute that has no composed form: a different character.
        #expect(Hints.rejectionHints("е\u{301}ж", markers: markers.rejectionMarkers).isEmpty)
        #expect(Hints.rejectionHints("ежик", markers: markers.rejectionMarkers) == [.threat])
        #expect("е\u{301}ж".hasPrefix("е") == false)  // the answer the byte comparison keeps
        // A decomposed ё is an ё, and ё counts as е; a text with a dash, "№" and an emoji.
        #expect(Hints.rejectionHints("е\u{308}лки", markers: markers.rejectionMarkers) == [.threat])
        #expect(Hints.rejectionHints("Дом №5 — йодом 🙂", markers: markers.rejectionMarkers) == [.threat])
        #expect(Hints.markerForm(Hints.markerForm("J\u{30C}")) == Hints.markerForm("J\u{30C}"))
        #expect(Hints.markerForm("J\u{30C}") == "\u{1F0}")  // lower case, then composed: ǰ
    }
}

@Suite struct BinaryProjectionTests {
    @Test func garbageIsNotACase() {
        #expect(CaseState(binary: []) == nil)
        #expect(CaseState(binary: [1, 200, 200, 200]) == nil)
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try? c.register(detected: "2026-05-14T10:00:00+03:00")
        var bytes = c.state!.binary()
        bytes.append(0)
        #expect(CaseState(binary: bytes) == nil)
        #expect(CaseState(binary: Array(c.state!.binary().dropLast())) == nil)
    }
}
