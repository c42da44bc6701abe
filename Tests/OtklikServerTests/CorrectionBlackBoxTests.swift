import Foundation
import Testing

/// Issue 11 through the CLI under a test clock, as staff would do it: mistakes put right with
/// recorded corrections, the curator's control kept, every clause's clock right.
@Suite struct CorrectionBlackBoxTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    private func assignment(_ c: [String: Any], _ index: Int = 0) -> [String: Any] {
        WorkflowBlackBoxTests.assignment(c, index)
    }
    private func clock(_ c: [String: Any], _ kind: String, assignment index: Int = 0) -> [String: Any] {
        WorkflowBlackBoxTests.clock(c, kind, assignment: index)
    }

    private func history(_ desk: Desk, _ id: String) throws -> [[String: Any]] {
        try desk.json(["case", "history", id])["events"] as? [[String: Any]] ?? []
    }

    @Test func routingIsCheckedAndARefusedRouteChangesNothing() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        let typo = try desk.fails(["case", "route", id, "--executor", "roadz"])
        #expect(typo.status == 65)
        #expect(typo.message.contains("there is no unit \"roadz\"; route to one of: housing, roads, transport"))
        let centre = try desk.fails(["case", "route", id, "--executor", "curator-centre"])
        #expect(centre.status == 65)
        #expect(centre.message.contains("curator-centre is the curator centre"))
        var c = try desk.json(["case", "show", id])
        #expect(c["version"] as? Int == 1)
        #expect(c["state"] as? String == "new")
        // No topic at registration and none at routing: p.7 wants the curator to set one.
        let bare = try desk.json([
            "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_99", "--author", "А", "--text",
            "Т",
            "--detected-at", "2026-12-01T09:00:00+03:00",
        ])
        let untopical = try desk.fails(["case", "route", bare["id"] as! String, "--executor", "roads"])
        #expect(untopical.status == 65)
        #expect(untopical.message.contains("--topic roads=TOPIC"))
        c = try desk.json(["case", "route", bare["id"] as! String, "--executor", "roads", "--topic", "roads=освещение"])
        #expect(c["topics"] as? [String] == ["освещение"])
        // The topics the curator set are the case's topics in the report too.
        let report = try desk.json(["report", "monthly", "2026-12"])
        let topics = ((report["dynamics"] as? [String: Any])?["by_topic"] as? [[String: Any]] ?? []).compactMap {
            $0["key"] as? String
        }
        #expect(topics.contains("освещение"))
        #expect(!topics.contains("-"))
    }

    @Test func aRerouteMovesTheAssignmentAndKeepsTheMessagesTerm() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(2, detected: "2026-12-01T09:00:00+03:00")
        try desk.at("2026-12-01T09:10:00+03:00")
        try desk.json(["case", "route", id, "--executor", "roads"])
        try desk.at("2026-12-01T10:00:00+03:00")
        let noReason = try desk.fails(["case", "reroute", "\(id)/1", "--to", "housing", "--reason", " "])
        #expect(noReason.status == 65)
        var c = try desk.json([
            "case", "reroute", "\(id)/1", "--to", "housing", "--topic", "ЖКХ", "--reason", "не дороги, а крыша",
        ])
        #expect(assignment(c)["executor"] as? String == "housing")
        #expect(assignment(c)["previous_executors"] as? [String] == ["roads"])
        #expect(clock(c, "reply")["due"] as? String == "2026-12-01T18:00:00+03:00")
        #expect(c["topics"] as? [String] == ["ЖКХ"])
        // Roads may no longer act on it; housing may.
        let roads = try desk.fails([
            "draft", "submit", "\(id)/1", "--kind", "final", "--text", "Ответ", "--as", "roads.ex",
        ])
        #expect(roads.status == 77)
        c = try desk.json(["draft", "submit", "\(id)/1", "--kind", "final", "--text", "Крышу починят"])
        #expect(assignment(c)["state"] as? String == "in_review")
        let event = try #require(try history(desk, id).last { $0["kind"] as? String == "assignment.rerouted" })
        #expect(event["on_behalf"] as? String == "cur")
        #expect((event["details"] as? [String: Any])?["reason"] as? String == "не дороги, а крыша")
    }

    @Test func aSplitIsMendedWithAddExecutorAndCancel() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(3, detected: "2026-12-01T09:00:00+03:00")
        try desk.json([
            "case", "route", id, "--executor", "roads", "--executor", "transport", "--topic", "transport=автобусы",
        ])
        var c = try desk.json([
            "case", "add-executor", id, "--executor", "housing", "--topic", "ЖКХ", "--reason", "и крыша",
        ])
        #expect(
            (c["assignments"] as? [[String: Any]])?.map { $0["executor"] as? String } == [
                "roads", "transport", "housing",
            ])
        c = try desk.json(["assignment", "cancel", "\(id)/2", "--reason", "автобусы ни при чём"])
        #expect(assignment(c, 1)["state"] as? String == "cancelled")
        #expect(clock(c, "reply", assignment: 1)["state"] as? String == "stopped")
        #expect(c["topics"] as? [String] == ["дороги", "ЖКХ"])
        for n in [1, 3] {
            try desk.json(["draft", "submit", "\(id)/\(n)", "--kind", "final", "--text", "Ответ \(n)"])
            try desk.json(["draft", "approve", "\(id)/\(n)"])
            c = try desk.json(["reply", "publish", "\(id)/\(n)", "--url", "https://vk.com/wall-1_3?reply=\(n)"])
        }
        #expect(c["state"] as? String == "done")
    }

    @Test func aMessageRegisteredByMistakeIsWithdrawnAndCanBeReopened() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(4, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "roads"])
        try desk.at("2026-12-03T12:00:00+03:00")
        var c = try desk.json(["case", "withdraw", id, "--reason", "дубль карточки мониторинга"])
        #expect(c["state"] as? String == "withdrawn")
        #expect((c["withdrawal"] as? [String: Any])?["reason"] as? String == "дубль карточки мониторинга")
        // Past its due time, and still never late: it should not have been registered.
        #expect(clock(c, "reply")["state"] as? String == "stopped")
        #expect(clock(c, "reply")["late_minutes"] as? Int == 0)
        let overdue = try desk.json(["case", "list", "--overdue"])
        #expect((overdue["cases"] as? [Any])?.isEmpty == true)
        c = try desk.json(["case", "reopen", id, "--reason", "не дубль: другой пост"])
        #expect(c["state"] as? String == "routed")
        #expect(clock(c, "reply")["state"] as? String == "breached")
    }

    @Test func p20_aThreatNoticedAfterRoutingRejectsAndStopsEveryClock() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(5, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "roads"])
        try desk.at("2026-12-01T11:00:00+03:00")
        var c = try desk.json(["case", "reject", id, "--reason", "threat", "--comment", "угроза в комментарии"])
        #expect(c["state"] as? String == "rejected")
        try desk.at("2026-12-03T11:00:00+03:00")
        c = try desk.json(["case", "show", id])
        #expect(clock(c, "reply")["state"] as? String == "stopped")
        #expect(clock(c, "draft")["state"] as? String == "stopped")
        let refused = try desk.fails(["draft", "submit", "\(id)/1", "--kind", "final", "--text", "Ответ"])
        #expect(refused.status == 68)
    }

    @Test func aDoneCaseReopensWithAFreshCycle() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(6, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "roads"])
        try desk.json(["draft", "submit", "\(id)/1", "--kind", "final", "--text", "Ответ"])
        try desk.json(["draft", "approve", "\(id)/1"])
        try desk.json(["reply", "publish", "\(id)/1", "--url", "https://vk.com/wall-1_6?reply=1"])
        try desk.at("2026-12-02T10:00:00+03:00")
        let c = try desk.json(["case", "reopen", id, "--reason", "ответ удалён модератором"])
        desk.rememberReopened(id, units: ["roads"])
        #expect(c["state"] as? String == "routed")
        #expect(assignment(c, 1)["id"] as? String == "\(id)/2")
        #expect(clock(c, "reply", assignment: 1)["due"] as? String == "2026-12-03T10:00:00+03:00")
        #expect(assignment(c, 0)["state"] as? String == "done")
        try desk.json(["draft", "submit", "\(id)/2", "--kind", "final", "--text", "Ответ ещё раз"])
    }

    @Test func aCorrectionRecordsOldAndNewAndTheClocksFollowIt() throws {
        let desk = try Desk(clock: "2026-12-01T10:05:00+03:00")
        let id = try desk.register(7, detected: "2026-12-01T10:00:00+03:00")
        var c = try desk.json([
            "case", "correct", id, "--detected-at", "2026-12-01T09:30:00+03:00", "--importance", "high",
            "--reason", "время и важность по карточке",
        ])
        #expect(clock(c, "route")["due"] as? String == "2026-12-01T10:00:00+03:00")
        #expect(c["importance"] as? String == "high")
        // The earlier detection put the route clock past due: the scheduler records that breach too.
        let event = try #require(try history(desk, id).last { $0["kind"] as? String == "case.corrected" })
        let changes = (event["details"] as? [String: Any])?["changes"] as? [[String: Any]] ?? []
        #expect(changes.map { $0["field"] as? String } == ["detected_at", "importance"])
        #expect(changes.last?["old"] as? String == "normal")
        #expect(changes.last?["new"] as? String == "high")
        let nothing = try desk.fails(["case", "correct", id, "--reason", "ничего"])
        #expect(nothing.status == 64)
        // A URL that is another case's post is refused.
        let other = try desk.register(8, detected: "2026-12-01T10:00:00+03:00")
        let taken = try desk.fails(["case", "correct", id, "--url", "https://m.vk.com/wall-1_8/", "--reason", "x"])
        #expect(taken.status == 67)
        #expect(taken.message.contains(other))
        c = try desk.json(["case", "show", id])
        #expect(c["url"] as? String == "https://vk.com/wall-1_7")
    }

    @Test func theSameVKPostWrittenDifferentlyIsOneCase() throws {
        let desk = try Desk(clock: "2026-12-01T10:05:00+03:00")
        var ids: Set<String> = []
        for (n, url) in [
            "https://vk.com/wall-1_7", "https://vk.com/wall-1_7/", "https://m.vk.com/wall-1_7",
            "http://www.vk.com/wall-1_7#top",
            "https://vk.com/wall-1_7?utm_source=telegram", "https://vk.com/feed?w=wall-1_7",
        ].enumerated() {
            let c = try desk.json([
                "message", "register", "--network", "vk", "--url", url, "--author", "А", "--text", "Т \(n)",
                "--detected-at", "2026-12-01T10:00:00+03:00",
            ])
            ids.insert(c["id"] as! String)
            #expect(c["existing"] as? Bool == (n > 0))
        }
        #expect(ids.count == 1)
        // A comment under that post is a message of its own; the URL as given is kept.
        let comment = try desk.json([
            "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_7?reply=15", "--author", "Б",
            "--text", "Т", "--detected-at", "2026-12-01T10:00:00+03:00",
        ])
        #expect(comment["existing"] as? Bool == false)
        #expect(comment["url"] as? String == "https://vk.com/wall-1_7?reply=15")
        let wrongHost = try desk.fails([
            "message", "register", "--network", "vk", "--url", "https://t.me/x/1", "--author", "Б", "--text", "Т",
            "--detected-at", "2026-12-01T10:00:00+03:00",
        ])
        #expect(wrongHost.status == 65)
    }

    @Test func p18_aRepeatLinkedAfterApprovalSendsTheDraftBackForMeasures() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let first = try desk.register(10, detected: "2026-11-30T09:00:00+03:00")
        let second = try desk.register(11, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", second, "--executor", "roads"])
        try desk.json(["draft", "submit", "\(second)/1", "--kind", "intermediate", "--text", "Работаем"])
        try desk.json(["draft", "approve", "\(second)/1"])
        try desk.at("2026-12-01T09:20:00+03:00")
        var c = try desk.json(["case", "link-repeat", second, "--of", first])
        #expect(assignment(c)["state"] as? String == "drafting")
        #expect((assignment(c)["drafts"] as? [[String: Any]])?.last?["return_reason"] as? String == "measures")
        #expect(clock(c, "rework")["due"] as? String == "2026-12-01T10:20:00+03:00")
        let events = try history(desk, second).map { $0["kind"] as? String }
        #expect(events.suffix(2) == ["case.repeat_linked", "draft.sent_back"])
        let bare = try desk.fails(["draft", "submit", "\(second)/1", "--kind", "intermediate", "--text", "Работаем"])
        #expect(bare.status == 68)
        c = try desk.json([
            "draft", "submit", "\(second)/1", "--kind", "intermediate", "--text", "Работаем", "--measures",
            "Бригада выехала",
        ])
        #expect(clock(c, "rework")["state"] as? String == "met")
    }

    @Test func p04_p15_theReplyGoesOutFromAnAccountOfTheMessagesNetwork() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(12, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "roads"])
        try desk.json(["draft", "submit", "\(id)/1", "--kind", "final", "--text", "Ответ"])
        try desk.json(["draft", "approve", "\(id)/1"])
        let telegram = try desk.fails(["reply", "publish", "\(id)/1", "--url", "https://t.me/borovichi/4"])
        #expect(telegram.status == 65)
        #expect(telegram.message.contains("must be on vk.com"))
        // The only vk account is the default; the reply records it.
        let c = try desk.json(["reply", "publish", "\(id)/1", "--url", "https://vk.com/wall-1_12?reply=1"])
        #expect((assignment(c)["replies"] as? [[String: Any]])?.first?["account"] as? String == "admin-borovichi")
        // With two accounts in the network the curator names the one used.
        try desk.json([
            "account", "add", "--network", "vk", "--name", "glava", "--url", "https://vk.com/glava_borovichi",
        ])
        let second = try desk.register(13, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", second, "--executor", "roads"])
        try desk.json(["draft", "submit", "\(second)/1", "--kind", "final", "--text", "Ответ"])
        try desk.json(["draft", "approve", "\(second)/1"])
        let which = try desk.fails(["reply", "publish", "\(second)/1", "--url", "https://vk.com/wall-1_13?reply=1"])
        #expect(which.status == 65)
        #expect(which.message.contains("--account admin-borovichi | glava"))
        let named = try desk.json([
            "reply", "publish", "\(second)/1", "--url", "https://vk.com/wall-1_13?reply=1", "--account", "glava",
        ])
        #expect((assignment(named)["replies"] as? [[String: Any]])?.first?["account"] as? String == "glava")
    }

    @Test func timesPeopleTypeAreSane() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let args = [
            "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_20", "--author", "А", "--text",
            "Т",
        ]
        let typo = try desk.fails(args + ["--detected-at", "2019-01-01T10:00:00+03:00"])
        #expect(typo.status == 65)
        #expect(typo.message.contains("falls in 2019, a year the production calendar does not cover"))
        let old = try desk.fails(args + ["--detected-at", "2026-10-01T10:00:00+03:00"])
        #expect(old.message.contains("60 days ago, more than 30"))
        let list = try desk.json(["case", "list"])
        #expect((list["cases"] as? [Any])?.isEmpty == true)
        let c = try desk.json(args + ["--detected-at", "2026-10-01T10:00:00+03:00", "--allow-old"])
        #expect(c["id"] as? String == "2026-000001")
    }

    @Test func p07_p10_p11_afterTheAnswerTheDraftTermRunsAgain() throws {
        let desk = try Desk(clock: "2026-12-04T09:05:00+03:00")
        let id = try desk.register(13, detected: "2026-12-04T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "housing"])
        let a = "\(id)/1"
        try desk.at("2026-12-04T10:00:00+03:00")
        try desk.json(["draft", "submit", a, "--kind", "clarification", "--text", "Уточните адрес"])
        try desk.at("2026-12-04T10:10:00+03:00")
        try desk.json(["draft", "approve", a])
        try desk.at("2026-12-04T10:20:00+03:00")
        try desk.json(["reply", "publish", a, "--url", "https://vk.com/wall-1_13?reply=1"])
        try desk.at("2026-12-07T11:05:00+03:00")
        let c = try desk.json([
            "reply", "author-answered", a, "--at", "2026-12-07T11:00:00+03:00", "--text", "ул. Ленина, 5",
        ])
        #expect(clock(c, "reply")["due"] as? String == "2026-12-08T09:40:00+03:00")
        #expect(clock(c, "draft")["state"] as? String == "open")
        #expect(clock(c, "draft")["due"] as? String == "2026-12-07T14:40:00+03:00")
    }

    @Test func p05_p06_theDirectoryKeepsThePartiesApart() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let both = try desk.fails([
            "staff", "add", "both", "--name", "Оба", "--os-user", "os-both", "--unit", "curator-centre",
            "--role", "curator", "--role", "executor",
        ])
        #expect(both.status == 65)
        #expect(both.message.contains("one login cannot be both curator and executor"))
        let deputy = try desk.fails([
            "staff", "absence", "add", "cur", "--from", "2026-12-01T00:00:00+03:00", "--to",
            "2026-12-05T00:00:00+03:00",
            "--deputy", "housing.ex",
        ])
        #expect(deputy.status == 65)
        #expect(deputy.message.contains("a deputy comes from the same side"))
        // So an executor never approves her own reply standing in for the curator.
        let id = try desk.register(30, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "housing"])
        try desk.json(["draft", "submit", "\(id)/1", "--kind", "final", "--text", "Ответ"])
        let own = try desk.fails(["draft", "approve", "\(id)/1", "--as", "housing.ex"])
        #expect(own.status == 77)
    }

    @Test func p16_aClarificationAfterTheIntermediateReplyPausesTheFinalDraftClock() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(31, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "transport"])
        let a = "\(id)/1"
        for (kind, n) in [("intermediate", 1), ("clarification", 2)] {
            try desk.json(["draft", "submit", a, "--kind", kind, "--text", "Текст \(n)"])
            try desk.json(["draft", "approve", a])
            try desk.json(["reply", "publish", a, "--url", "https://vk.com/wall-1_31?reply=\(n)"])
        }
        // Waiting for the author far past the 7 working days: blocked, and not booked late.
        try desk.at("2026-12-21T10:00:00+03:00")
        var c = try desk.json(["case", "show", id])
        #expect(clock(c, "final_draft")["state"] as? String == "paused")
        #expect(clock(c, "final_draft")["late_minutes"] as? Int == 0)
        let blocked = try desk.fails(["draft", "submit", a, "--kind", "final", "--text", "Ответ"])
        #expect(blocked.status == 68)
        c = try desk.json(["reply", "author-answered", a, "--at", "2026-12-21T10:00:00+03:00"])
        #expect(clock(c, "final_draft")["state"] as? String == "open")
    }
}
