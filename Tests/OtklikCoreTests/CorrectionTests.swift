import Foundation
import OtklikCore
import Testing

/// Every step a person takes can be put right with a recorded correction, and the curator's control
/// cannot be bypassed (issue 11). Each correction is an event with a reason; clocks follow it.
@Suite struct CorrectionTests {
    /// A case registered at 09:00 on Thursday 14 May 2026 and routed to roads at 09:10.
    private func routed(_ executors: [String] = ["roads"]) throws -> CaseHarness {
        var c = CaseHarness(now: "2026-05-14T09:10:00+03:00")
        try c.register(detected: "2026-05-14T09:00:00+03:00")
        try c.run(.route(executors: executors, topics: [:], importance: nil))
        return c
    }

    // MARK: Routing

    @Test func routingNeedsATopicForEveryAssignment_p7() throws {
        var c = CaseHarness(now: "2026-05-14T09:10:00+03:00")
        try c.register(detected: "2026-05-14T09:00:00+03:00", topics: [])
        expectRefused(.invalidArgument, "set the topic(s) of roads's assignment (p.7): --topic roads=TOPIC") {
            () throws(WorkflowError) in
            try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        }
        #expect(c.state?.status == .new)
        try c.run(.route(executors: ["roads"], topics: ["roads": ["дороги"]], importance: nil))
        // The topics the curator set are the case's topics from now on.
        #expect(c.state?.topics == ["дороги"])
        #expect(c.state?.routedTopics == ["дороги"])
    }

    // MARK: Reroute, add, cancel

    @Test func aRerouteKeepsTheMessagesTermAndRecordsWhoHeldIt() throws {
        var c = try routed()
        let replyDue = try c.due(.reply)
        c.set("2026-05-14T10:00:00+03:00")
        expectRefused(.invalidArgument, "the reason is empty") { () throws(WorkflowError) in
            try c.run(.reroute(assignment: 1, to: "housing", topics: [], reason: " "))
        }
        try c.run(.reroute(assignment: 1, to: "housing", topics: ["ЖКХ"], reason: "roadz: опечатка"))
        let a = try #require(c.state?.assignments.first)
        #expect(a.executor == "housing")
        #expect(a.topics == ["ЖКХ"])
        #expect(a.handovers == [Handover(executor: "roads", until: at("2026-05-14T10:00:00+03:00"))])
        #expect(a.executor(at: at("2026-05-14T09:30:00+03:00")) == "roads")
        #expect(a.executor(at: at("2026-05-14T10:00:00+03:00")) == "housing")
        // The term is the message's: the new unit's clocks keep the detection time.
        #expect(try c.due(.reply) == replyDue)
        #expect(c.state?.topics == ["ЖКХ"])
    }

    @Test func aRerouteIsRefusedOnceADraftIsApprovedOrWhileOneWaitsForReview() throws {
        var c = try routed()
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.reroute(assignment: 1, to: "housing", topics: [], reason: "не тот отдел"))
        }
        try c.run(.approveDraft(assignment: 1))
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.reroute(assignment: 1, to: "housing", topics: [], reason: "не тот отдел"))
        }
    }

    @Test func aSplitMadeWrongIsMendedByAddingAndCancelling() throws {
        var c = try routed()
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try c.run(.addExecutor("housing", topics: [], reason: "крыша тоже"))
        }
        try c.run(.addExecutor("housing", topics: ["ЖКХ"], reason: "крыша тоже"))
        #expect(c.state?.assignments.map(\.executor) == ["roads", "housing"])
        // The added unit answers within the message's term too.
        #expect(try c.due(.reply, assignment: 2) == c.due(.reply, assignment: 1))
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.addExecutor("housing", topics: ["ЖКХ"], reason: "дважды"))
        }
        c.set("2026-05-15T12:00:00+03:00")
        try c.run(.cancelAssignment(1, reason: "дороги тут ни при чём"))
        let cancelled = try #require(c.state?.assignment(1))
        #expect(cancelled.status == .cancelled)
        // Past due when cancelled, and still never late: the assignment was a mistake.
        #expect(try c.clock(.reply, assignment: 1).state == .stopped)
        #expect(try c.clock(.reply, assignment: 1).lateMinutes == 0)
        #expect(try c.clock(.reply, assignment: 2).state == .breached)
        #expect(c.state?.topics == ["ЖКХ"])
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.cancelAssignment(2, reason: "последнее"))
        }
        try c.run(.submitDraft(assignment: 2, kind: .final, text: "Крышу починят", measures: ""))
        try c.run(.approveDraft(assignment: 2))
        try c.run(.publish(assignment: 2, url: "https://vk.com/wall-1_1?reply=3", account: "borovichi_adm", at: nil))
        #expect(c.state?.status == .done)
    }

    // MARK: Withdraw, reject after routing, reopen

    @Test func aWithdrawnCaseStopsEveryClockAndIsNeverLate() throws {
        var c = try routed()
        c.set("2026-05-20T12:00:00+03:00")
        try c.run(.withdraw(reason: "зарегистрировано по ошибке: дубль карточки"))
        #expect(c.state?.status == .withdrawn)
        let clocks = try c.clocks()
        #expect(clocks.assignments[1]?.values.allSatisfy { $0.state == .stopped || $0.state == .met } == true)
        #expect(clocks.assignments[1]?.values.allSatisfy { $0.lateSeconds == 0 } == true)
        #expect(c.state?.closedAt == at("2026-05-20T12:00:00+03:00"))
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        }
        // Withdrawn by mistake: reopening returns it to where it was.
        try c.run(.reopen(executors: [], reason: "не дубль"))
        #expect(c.state?.status == .routed)
        #expect(c.state?.withdrawnAt == nil)
    }

    @Test func p20_aThreatNoticedAfterRoutingRejectsTheCaseAndStopsEveryClock() throws {
        var c = try routed(["roads", "housing"])
        c.set("2026-05-14T17:30:00+03:00")
        try c.run(.reject(reason: .threat, comment: "угроза в комментарии"))
        #expect(c.state?.status == .rejected)
        c.set("2026-05-20T12:00:00+03:00")
        for index in [1, 2] {
            let reply = try c.clock(.reply, assignment: index)
            #expect(reply.state == .stopped)
            #expect(reply.stoppedAt == at("2026-05-14T17:30:00+03:00"))
            // The draft was due at 14:00 and was late when the rejection came: that lateness stands.
            let draft = try c.clock(.draft, assignment: index)
            #expect(draft.state == .breached)
            #expect(draft.lateMinutes == 210)
        }
        #expect(try c.clock(.route).state == .met)
    }

    /// A clarification published after the reply was due opens a pause; the rejection that follows stops
    /// the clock. Read at the rejection or a fortnight later, the reply was late up to the rejection:
    /// the pause does not go on lengthening a stopped term (it made the late reply count nowhere later).
    @Test func aRejectionEndsAnOpenPauseSoAStoppedReplyStaysLateUpToIt() throws {
        var c = try routed()
        let due = try c.due(.reply)
        c.set("2026-05-15T15:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .clarification, text: "Уточните адрес дома", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil))
        #expect(c.state?.assignment(1)?.status == .waitingAuthor)
        c.set("2026-05-18T12:00:00+03:00")
        try c.run(.reject(reason: .threat, comment: "угроза в комментарии"))
        let atRejection = try c.clock(.reply)
        #expect(atRejection.state == .breached)
        #expect(atRejection.stoppedAt == at("2026-05-18T12:00:00+03:00"))
        c.set("2026-06-01T12:00:00+03:00")
        let later = try c.clock(.reply)
        #expect(later.state == .breached)
        #expect(later.due == atRejection.due)
        #expect(later.lateMinutes == atRejection.lateMinutes)
        #expect(due < "2026-05-15T15:00:00+03:00")
    }

    @Test func aDoneCaseReopensWithAFreshCycleWhoseClocksStartNow() throws {
        var c = try routed()
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil))
        #expect(c.state?.status == .done)
        c.set("2026-05-18T10:00:00+03:00")
        try c.run(.reopen(executors: [], reason: "ответ удалён модератором группы"))
        #expect(c.state?.status == .routed)
        #expect(c.state?.assignments.map(\.index) == [1, 2])
        let fresh = try #require(c.state?.assignment(2))
        #expect(fresh.executor == "roads")
        #expect(fresh.startedAt == at("2026-05-18T10:00:00+03:00"))
        #expect(try c.due(.reply, assignment: 2) == "2026-05-19T10:00:00+03:00")
        #expect(try c.clock(.reply, assignment: 1).state == .met)
        // Done again, and reopened again: one fresh assignment for the unit, not two.
        try c.run(.submitDraft(assignment: 2, kind: .final, text: "Ответ ещё раз", measures: ""))
        try c.run(.approveDraft(assignment: 2))
        try c.run(.publish(assignment: 2, url: "https://vk.com/wall-1_1?reply=2", account: "borovichi_adm", at: nil))
        try c.run(.reopen(executors: [], reason: "снова удалён"))
        #expect(c.state?.assignments.map(\.executor) == ["roads", "roads", "roads"])
    }

    // MARK: Correct

    @Test func aCorrectedDetectionTimeMovesEveryClockThatFollowsFromIt() throws {
        var c = CaseHarness(now: "2026-05-14T10:10:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        #expect(try c.due(.route) == "2026-05-14T10:30:00+03:00")
        #expect(try c.due(.reply) == "2026-05-15T10:00:00+03:00")
        c.set("2026-05-14T10:20:00+03:00")
        let events = try c.run(
            .correct(.init(detectedAt: at("2026-05-14T09:40:00+03:00")), reason: "время выявления по карточке"))
        #expect(
            events[0].changes == [
                .init(
                    field: .detectedAt, old: String(at("2026-05-14T10:00:00+03:00").seconds),
                    new: String(at("2026-05-14T09:40:00+03:00").seconds))
            ])
        #expect(c.state?.detectedAt == at("2026-05-14T09:40:00+03:00"))
        // Open clocks and the met route clock alike follow the corrected fact (8 working hours
        // with the 13:00-14:00 lunch).
        #expect(try c.due(.route) == "2026-05-14T10:10:00+03:00")
        #expect(try c.clock(.route).state == .met)
        #expect(try c.due(.reply) == "2026-05-15T09:40:00+03:00")
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try c.run(.correct(.init(detectedAt: at("2026-05-14T10:15:00+03:00")), reason: "после маршрутизации"))
        }
        expectRefused(.invalidArgument, "nothing to correct: every value given is the case's already") {
            () throws(WorkflowError) in
            try c.run(.correct(.init(author: "Иван Петров"), reason: "тот же"))
        }
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try c.run(.correct(.init(url: "https://t.me/x/1"), reason: "не та сеть"))
        }
        try c.run(
            .correct(
                .init(url: "https://vk.com/wall-1_2", author: "Пётр Иванов", importance: .high), reason: "карточка"))
        #expect(c.state?.url == "https://vk.com/wall-1_2")
        #expect(c.state?.importance == .high)
        #expect(try c.due(.reply) == "2026-05-14T14:40:00+03:00")
        // The route clock was met late against nothing: a correction moving detection earlier can
        // make it late, and says so.
        try c.run(.correct(.init(detectedAt: at("2026-05-14T09:05:00+03:00")), reason: "ещё раньше"))
        #expect(try c.clock(.route).state == .breached)
        #expect(try c.clock(.route).lateMinutes == 35)
    }

    // MARK: Separation of duties

    @Test func p13_nobodyDecidesOrPublishesADraftTheySubmitted() throws {
        var c = try routed()
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""), by: ["roads.ex"])
        #expect(c.state?.assignments[0].drafts[0].submittedBy == ["roads.ex"])
        expectRefused(.permissionDenied) { () throws(WorkflowError) in
            try c.run(.approveDraft(assignment: 1), by: ["roads.ex"])
        }
        expectRefused(.permissionDenied) { () throws(WorkflowError) in
            try c.run(.returnDraft(assignment: 1, reason: .formal, comment: "x"), by: ["roads.ex"])
        }
        try c.run(.approveDraft(assignment: 1), by: ["cur"])
        expectRefused(.permissionDenied) { () throws(WorkflowError) in
            try c.run(
                .publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil),
                by: ["roads.ex"])
        }
        try c.run(
            .publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil),
            by: ["cur"])
    }

    // MARK: p.4, p.15

    @Test func p15_theReplyGoesOutInTheMessagesNetworkFromAnAccount() throws {
        var c = try routed()
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        expectRefused(
            .invalidArgument, "the message is in vk: the reply's URL must be on vk.com, vk.ru, vkontakte.ru, not t.me"
        ) { () throws(WorkflowError) in
            try c.run(.publish(assignment: 1, url: "https://t.me/borovichi/4", account: "borovichi_adm", at: nil))
        }
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "", at: nil))
        }
        try c.run(.publish(assignment: 1, url: "https://m.vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil))
    }

    // MARK: Clocks

    @Test func p16_aClarificationAfterAnIntermediateReplyPausesTheFinalDraftToo() throws {
        var c = try routed(["transport"])
        try c.run(.submitDraft(assignment: 1, kind: .intermediate, text: "Передано перевозчику", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil))
        #expect(try c.due(.finalDraft) == "2026-05-25T18:00:00+03:00")
        c.set("2026-05-15T10:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .clarification, text: "Какой рейс?", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=2", account: "borovichi_adm", at: nil))
        // Blocked while waiting for the author, and not booked late meanwhile.
        c.set("2026-05-28T10:00:00+03:00")
        let waiting = try c.clock(.finalDraft)
        #expect(waiting.state == .paused)
        #expect(waiting.lateMinutes == 0)
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in
            try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        }
        // Answered on Monday 1 June at 10:00: the pause covered 88 working hours (15 May 10:00-18:00
        // less lunch, 7 h; 18-29 May, 80 h; 1 June 09:00-10:00, 1 h), added to the 25 May 18:00 term.
        c.set("2026-06-01T10:00:00+03:00")
        try c.run(.authorAnswered(assignment: 1, at: at("2026-06-01T10:00:00+03:00"), text: "Рейс 3"))
        #expect(try c.clock(.finalDraft).state == .open)
        #expect(try c.due(.finalDraft) == "2026-06-09T18:00:00+03:00")
    }

    @Test func anAssignmentClosedWithoutAnAnswerOpensAgainWhenTheAnswerComes() throws {
        var c = try routed()
        try c.run(.submitDraft(assignment: 1, kind: .clarification, text: "Уточните адрес", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil))
        c.set("2026-05-19T09:10:00+03:00")
        try c.run(.closeWithoutAnswer(assignment: 1))
        #expect(c.state?.assignment(1)?.status == .noAnswer)
        #expect(c.state?.status == .done)
        #expect(try c.clock(.reply).state == .stopped)
        c.set("2026-05-20T09:00:00+03:00")
        try c.run(.authorAnswered(assignment: 1, at: at("2026-05-20T08:30:00+03:00"), text: "ул. Ленина, 5"))
        #expect(c.state?.assignment(1)?.status == .drafting)
        #expect(c.state?.status == .routed)
        #expect(try c.clock(.reply).state == .open)
    }

    // MARK: Time entered by people

    @Test func oldOrUncoveredTimesAreRefusedWithASentence() throws {
        var c = CaseHarness(now: "2026-05-14T09:10:00+03:00")
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try c.run(
                .register(
                    .init(
                        network: "vk", url: "https://vk.com/wall-1_1", author: "А", text: "Т",
                        detectedAt: at("2019-01-01T10:00:00+03:00"))))
        }
        expectRefused(
            .invalidArgument,
            "the detection time is 42 days ago, more than 30: check the date; if it is right, confirm with --allow-old"
        ) {
            () throws(WorkflowError) in
            try c.run(
                .register(
                    .init(
                        network: "vk", url: "https://vk.com/wall-1_1", author: "А", text: "Т",
                        detectedAt: at("2026-04-01T10:00:00+03:00"))))
        }
        try c.run(
            .register(
                .init(
                    network: "vk", url: "https://vk.com/wall-1_1", author: "А", text: "Т",
                    detectedAt: at("2026-04-01T10:00:00+03:00"),
                    allowOld: true)))
        var d = CaseHarness(now: "2031-05-14T09:10:00+03:00")
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            try d.run(
                .register(
                    .init(
                        network: "vk", url: "https://vk.com/wall-1_1", author: "А", text: "Т",
                        detectedAt: at("2031-05-14T09:00:00+03:00"))))
        }
    }

    @Test func everyStateSurvivesTheBinaryProjectionIncludingVersionOneRows() throws {
        var c = try routed(["roads", "housing"])
        try c.run(.reroute(assignment: 1, to: "transport", topics: [], reason: "r"))
        try c.run(.cancelAssignment(2, reason: "r"))
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""), by: ["x"])
        let state = try #require(c.state)
        #expect(CaseState(binary: state.binary()) == state)
    }
}

@Suite struct PostURLTests {
    private func same(_ urls: [String], _ network: String) {
        let hosts = RegulationProfile.defaultNetworkHosts[network] ?? []
        let keys = Set(urls.map { PostURL.key($0, network: network, hosts: hosts) })
        #expect(keys.count == 1, "\(urls) gave \(keys)")
    }

    private func different(_ a: String, _ b: String, _ network: String) {
        let hosts = RegulationProfile.defaultNetworkHosts[network] ?? []
        #expect(
            PostURL.key(a, network: network, hosts: hosts) != PostURL.key(b, network: network, hosts: hosts),
            "\(a) and \(b)")
    }

    @Test func vkPostsAndComments() {
        same(
            [
                "https://vk.com/wall-1_7", "https://vk.com/wall-1_7/", "http://m.vk.com/wall-1_7",
                "https://www.vk.com/wall-1_7#comments",
                "https://vk.com/wall-1_7?utm_source=share&utm_medium=tg", "https://vk.ru/wall-1_7",
                "https://vk.com/feed?w=wall-1_7",
                "https://vk.com/club1?w=wall-1_7", "HTTPS://VK.COM/wall-1_7",
            ], "vk")
        same(
            [
                "https://vk.com/wall-1_7?reply=42", "https://m.vk.com/wall-1_7?reply=42&utm_campaign=x",
                "https://vk.com/wall-1_7?reply=42&thread=0"
                    .replacingOccurrences(of: "&thread=0", with: ""),
            ], "vk")
        different("https://vk.com/wall-1_7", "https://vk.com/wall-1_7?reply=42", "vk")
        different("https://vk.com/wall-1_7?reply=42", "https://vk.com/wall-1_7?reply=43", "vk")
        different("https://vk.com/wall-1_7", "https://vk.com/wall-1_8", "vk")
    }

    @Test func okTopicsAndComments() {
        same(
            [
                "https://ok.ru/group/70000001/topic/155", "https://m.ok.ru/group/70000001/topic/155/",
                "https://ok.ru/group/70000001/topic/155?utm_source=vk",
            ], "ok")
        different("https://ok.ru/group/70000001/topic/155", "https://ok.ru/group/70000001/topic/156", "ok")
        different(
            "https://ok.ru/group/70000001/topic/155?commentId=1", "https://ok.ru/group/70000001/topic/155?commentId=2",
            "ok")
        same(
            [
                "https://ok.ru/dk?st.cmd=altGroupTopic&st.groupId=1&st.topicId=155&_rdr=1",
                "https://ok.ru/dk?st.groupId=1&st.topicId=155",
            ], "ok")
    }

    @Test func telegramPostsAndComments() {
        same(
            [
                "https://t.me/borovichi/4", "https://t.me/s/borovichi/4", "https://t.me/Borovichi/4/",
                "https://telegram.me/borovichi/4",
            ], "tg")
        same(["https://t.me/borovichi/4?comment=9", "https://t.me/borovichi/4?comment=9&utm_source=x"], "tg")
        different("https://t.me/borovichi/4?comment=9", "https://t.me/borovichi/4", "tg")
        different("https://t.me/borovichi/4", "https://t.me/borovichi/5", "tg")
    }

    @Test func otherNetworksDropOnlyTracking() {
        same(["https://instagram.com/p/CxYz12/", "https://www.instagram.com/p/CxYz12/?igshid=abc"], "ig")
        different("https://instagram.com/p/CxYz12", "https://instagram.com/p/cxyz12", "ig")
    }
}

@Suite struct CaseIDTests {
    @Test func caseAndAssignmentNumbersParseOnceAndPrintTheSame() {
        #expect(CaseID("2026-000123") == CaseID(year: 2026, number: 123))
        #expect(CaseID(year: 2026, number: 123).description == "2026-000123")
        #expect(CaseID(year: 2026, number: 1_234_567).description == "2026-1234567")
        for bad in ["", "2026", "2026-12", "26-000001", "2026-00000a", "2026-000001-1", " 2026-000001", "2026--00001"] {
            #expect(CaseID(bad) == nil, "\(bad)")
        }
        #expect(AssignmentID("2026-000123/2") == AssignmentID(caseID: "2026-000123", index: 2))
        #expect(AssignmentID(caseID: "2026-000123", index: 2).description == "2026-000123/2")
        for bad in [
            "2026-000123", "2026-000123/0", "2026-000123/-1", "2026-000123/1/2", "x/1", "2026-000123/ 1",
            "2026-000123/1000000",
        ] {
            #expect(AssignmentID(bad) == nil, "\(bad)")
        }
    }
}
