import Foundation
import OtklikCore
import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 31: an incident driven through the CLI against `otklikd --test-clock`: one routing, one draft,
/// one approval, each case with its own clocks, a late case getting the approved reply at once, a case
/// taken out, and all of it read again after a restart and a rebuild of the projections.
@Suite struct IncidentBlackBoxTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    static func lastDraft(_ c: [String: Any]) -> [String: Any] {
        (WorkflowBlackBoxTests.assignment(c)["drafts"] as? [[String: Any]])?.last ?? [:]
    }

    static func members(_ i: [String: Any]) -> [String: [String: Any]] {
        var byID: [String: [String: Any]] = [:]
        for member in i["members"] as? [[String: Any]] ?? [] { byID[member["case_id"] as? String ?? ""] = member }
        return byID
    }

    @Test func oneRoutingOneDraftOneApprovalEachCaseWithItsOwnClocks() throws {
        let directory = privateDirectory()
        let desk = try Desk(clock: "2026-12-01T11:20:00+03:00", directory: directory)
        let c1 = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        let c2 = try desk.register(2, detected: "2026-12-01T10:00:00+03:00")
        let c3 = try desk.register(3, detected: "2026-12-01T11:00:00+03:00")
        var i = try desk.json([
            "incident", "create", "--title", "Нет отопления на ул. Ленина", "--topic", "отопление", c1, c2, c3, "--as",
            "cur",
        ])
        #expect(i["id"] as? Int == 1)
        #expect(i["cases"] as? Int == 3)
        #expect((try desk.json(["case", "show", c2]))["incident"] as? Int == 1)
        // A case in one incident joins no other; the refused call changes nothing.
        let before = try desk.json(["case", "show", c2])["version"] as? Int
        let other = try desk.fails(["incident", "create", "--title", "Другое", c2, "--as", "cur"])
        #expect(other.status != 0 && other.message.contains("incident 1"))
        #expect(try desk.json(["case", "show", c2])["version"] as? Int == before)
        let list = try run(
            binDirectory + "/otklik", ["incident", "list", "-o", "json", "--socket", desk.daemon.socketPath])
        let rows = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]) ?? []
        #expect(rows.count == 1 && rows.first?["cases"] as? Int == 3 && rows.first?["open"] as? Int == 3)

        // One routing routes every case; each keeps the term of its own detection (p.8).
        i = try desk.json(["incident", "route", "1", "--executor", "housing", "--as", "cur"])
        #expect((i["routing"] as? [[String: Any]])?.first?["unit"] as? String == "housing")
        for id in [c1, c2, c3] { desk.rememberReopened(id, units: ["housing"]) }
        let s1 = try desk.json(["case", "show", c1])
        let s3 = try desk.json(["case", "show", c3])
        #expect(s1["state"] as? String == "routed")
        #expect(WorkflowBlackBoxTests.assignment(s1)["topics"] as? [String] == ["отопление"])
        #expect(WorkflowBlackBoxTests.clock(s1, "route")["due"] as? String == "2026-12-01T09:30:00+03:00")
        #expect(WorkflowBlackBoxTests.clock(s3, "route")["due"] as? String == "2026-12-01T11:30:00+03:00")
        #expect(
            WorkflowBlackBoxTests.clock(s1, "draft")["due"] as? String
                != WorkflowBlackBoxTests.clock(s3, "draft")["due"] as? String)

        // Another unit's executor sees no incident of housing's.
        let foreign = try run(
            binDirectory + "/otklik",
            ["incident", "list", "-o", "json", "--as", "roads.ex", "--socket", desk.daemon.socketPath])
        #expect(foreign.status == 0 && foreign.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(try desk.fails(["incident", "show", "1", "--as", "roads.ex"]).status == 66)
        #expect(try desk.fails(["incident", "show", "1", "--as", "housing.ex"]).status == 0)
        // A greeting naming one author otherwise would greet all three so: refused, nothing written.
        let greeted = try desk.fails([
            "draft", "submit", "\(c2)/1", "--kind", "final", "--text", "Автору 2, здравствуйте! Тепло дадут 3 декабря.",
        ])
        #expect(greeted.status != 0 && greeted.message.contains("{автор}"))
        // One draft, written on the second case, goes to all three with each author's name.
        try desk.at("2026-12-01T11:30:00+03:00")
        let text = "Уважаемый(ая) {автор}! Подачу тепла восстановят 3 декабря до 18:00, трубу на ул. Ленина заменили."
        try desk.json(["draft", "submit", "\(c2)/1", "--kind", "final", "--text", text])
        for (n, id) in [c1, c2, c3].enumerated() {
            let c = try desk.json(["case", "show", id])
            let draft = Self.lastDraft(c)
            #expect(WorkflowBlackBoxTests.assignment(c)["state"] as? String == "in_review")
            #expect((draft["text"] as? String ?? "").hasPrefix("Уважаемый(ая) Автор \(n + 1)!"))
            #expect(draft["incident"] as? Int == 1)
        }
        // One approval approves all three; each publish clock starts at it.
        try desk.at("2026-12-01T11:40:00+03:00")
        try desk.json(["draft", "approve", "\(c1)/1"])
        for id in [c1, c2, c3] {
            let c = try desk.json(["case", "show", id])
            #expect(WorkflowBlackBoxTests.assignment(c)["state"] as? String == "approved")
            #expect(WorkflowBlackBoxTests.clock(c, "publish")["due"] as? String == "2026-12-01T12:10:00+03:00")
        }

        // A case added after the approval gets the approved reply at once, with its own publish clock.
        try desk.at("2026-12-01T12:20:00+03:00")
        let c4 = try desk.register(4, detected: "2026-12-01T12:15:00+03:00")
        i = try desk.json(["incident", "add", "1", c4, "--as", "cur"])
        #expect(i["cases"] as? Int == 4)
        let s4 = try desk.json(["case", "show", c4])
        #expect(WorkflowBlackBoxTests.assignment(s4)["executor"] as? String == "housing")
        #expect(WorkflowBlackBoxTests.assignment(s4)["state"] as? String == "approved")
        #expect((Self.lastDraft(s4)["text"] as? String ?? "").hasPrefix("Уважаемый(ая) Автор 4!"))
        #expect(WorkflowBlackBoxTests.clock(s4, "publish")["due"] as? String == "2026-12-01T12:50:00+03:00")
        #expect(WorkflowBlackBoxTests.clock(s4, "route")["state"] as? String == "met")

        // Each reply is published on its own post; a published case stays, another may leave.
        try desk.json([
            "reply", "publish", "\(c1)/1", "--url", "https://vk.com/wall-1_1?reply=91", "--account", "admin-borovichi",
        ])
        let stays = try desk.fails(["incident", "remove", "1", c1, "--as", "cur"])
        #expect(stays.status != 0 && stays.message.contains("is published"))
        i = try desk.json(["incident", "remove", "1", c3, "--reason", "другой дом", "--as", "cur"])
        #expect(i["cases"] as? Int == 3)
        let left = try desk.json(["case", "show", c3])
        #expect(left["incident"] == nil || left["incident"] is NSNull)
        #expect(WorkflowBlackBoxTests.assignment(left)["state"] as? String == "approved")
        i = try desk.json(["incident", "show", "1"])
        let shown = Self.members(i)
        #expect(Set(shown.keys) == [c1, c2, c4])
        let first = (shown[c1]?["assignments"] as? [[String: Any]])?.first
        #expect(first?["reply_url"] as? String == "https://vk.com/wall-1_1?reply=91")
        #expect((shown[c2]?["assignments"] as? [[String: Any]])?.first?["to_publish"] as? Bool == true)

        // The report counts the incident and its messages; each message stays a message of its own.
        let report = try desk.json(["report", "monthly", "2026-12"])
        let quality = report["quality"] as? [String: Any] ?? [:]
        #expect(quality["incidents"] as? Int == 1)
        #expect(quality["incident_cases"] as? Int == 3)
        #expect(quality["drafts_submitted"] as? Int == 4)

        // The same after a restart, and after the projections are rebuilt from the log.
        desk.daemon.signal(SIGTERM)
        #expect(desk.daemon.wait() == 0)
        let digest = try { () throws -> String in
            let store = try Store(directory: directory + "/data")
            defer { store.close() }
            #expect(try store.incidentMembers(1) == [c1, c2, c4])
            return try store.projectionDigest()
        }()
        let rebuilt = try run(binDirectory + "/otklikd", ["rebuild-projections", "--data", directory + "/data"])
        #expect(rebuilt.status == 0)
        let store = try Store(directory: directory + "/data")
        #expect(try store.projectionDigest() == digest)
        #expect(try store.incidentMembers(1) == [c1, c2, c4])
        #expect(try store.loadIncident(1)?.routing.map(\.unit) == ["housing"])
        store.close()
        let again = try DaemonProcess(arguments: ["--test-clock", "2026-12-01T12:30:00+03:00"], directory: directory)
        let show = try run(
            binDirectory + "/otklik", ["incident", "show", "1", "-o", "json", "--socket", again.socketPath])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains(c4) && !show.stdout.contains(c3))
        // People read it in their language: the incident, its routing, and what is left to publish by hand.
        for (language, lines) in [
            (
                "ru_RU.UTF-8",
                [
                    "Инцидент 1: Нет отопления на ул. Ленина", "Направлен: ", "Дел: 3, открыто: 2",
                    "Согласованных ответов к публикации вручную", "ответ дан", "срок вт 01.12 12:50",
                ]
            ),
            (
                "C.UTF-8",
                [
                    "Incident 1: Нет отопления на ул. Ленина", "Routed to: ", "Cases: 3, open: 2",
                    "Approved replies to publish by hand", "answered", "due Tue 01 Dec 12:50",
                ]
            ),
        ] {
            let text = try run(
                binDirectory + "/otklik", ["incident", "show", "1", "--socket", again.socketPath],
                environment: ["LANG": language, "LC_ALL": language])
            #expect(text.status == 0, "\(text.stderr)")
            for line in lines { #expect(text.stdout.contains(line), "\(language): \(line) in \(text.stdout)") }
        }
    }

    @Test func rerouteReturnAndARefusalOnOneCaseRefuseTheIncidentsStepOnAll() throws {
        let desk = try Desk(clock: "2026-12-01T09:20:00+03:00")
        let earlier = try desk.register(9, detected: "2026-12-01T08:00:00+03:00")
        let c1 = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        let c2 = try desk.register(2, detected: "2026-12-01T09:10:00+03:00")
        try desk.json(["incident", "create", "--title", "Яма на дороге", "--topic", "дороги", c1, c2, "--as", "cur"])
        try desk.json(["incident", "route", "1", "--executor", "roads", "--as", "cur"])
        // Rerouting the incident moves every case's assignment; a routed case needs the reason.
        let bare = try desk.fails(["incident", "route", "1", "--executor", "housing", "--as", "cur"])
        #expect(bare.status != 0)
        #expect(try desk.json(["case", "show", c1])["version"] as? Int == 3)
        try desk.json(["incident", "route", "1", "--executor", "housing", "--reason", "это ЖКХ", "--as", "cur"])
        for id in [c1, c2] {
            desk.rememberReopened(id, units: ["housing"])
            let c = try desk.json(["case", "show", id])
            #expect(WorkflowBlackBoxTests.assignment(c)["executor"] as? String == "housing")
            #expect(WorkflowBlackBoxTests.assignment(c)["previous_executors"] as? [String] == ["roads"])
        }
        // A repeat without measures refuses the incident's draft on every case: nothing is written.
        try desk.json(["case", "link-repeat", c2, "--of", earlier])
        let refused = try desk.fails([
            "draft", "submit", "\(c1)/1", "--kind", "final", "--text", "Яму заделают 3 декабря, асфальт уложат.",
        ])
        #expect(refused.status != 0 && refused.message.contains(c2))
        #expect(
            WorkflowBlackBoxTests.assignment(try desk.json(["case", "show", c1]))["state"] as? String == "drafting")
        try desk.json([
            "draft", "submit", "\(c1)/1", "--kind", "final", "--text", "Яму заделают 3 декабря.", "--measures",
            "Заявка подрядчику отправлена 1 декабря.",
        ])
        // Returning it returns both, with the same reason.
        try desk.json(["draft", "return", "\(c2)/1", "--reason", "formal", "--comment", "назовите подрядчика"])
        for id in [c1, c2] {
            let c = try desk.json(["case", "show", id])
            #expect(WorkflowBlackBoxTests.assignment(c)["state"] as? String == "drafting")
            #expect(Self.lastDraft(c)["return_reason"] as? String == "formal")
        }
        // p.19: roads' final reply stating measures needs a photo; the curator's waiver on one case is
        // the incident's, and so is the approval that follows on the other.
        try desk.json([
            "draft", "submit", "\(c2)/1", "--kind", "final", "--text",
            "Яму заделают 3 декабря, подрядчик ООО «Дорстрой».",
            "--measures", "Заявка подрядчику отправлена 1 декабря.",
        ])
        let unwaived = try desk.fails(["draft", "approve", "\(c1)/1"])
        #expect(unwaived.status != 0)
        try desk.json(["draft", "waive-evidence", "\(c1)/1", "--reason", "фото будет после ремонта"])
        try desk.json(["draft", "approve", "\(c2)/1"])
        for id in [c1, c2] {
            #expect(
                WorkflowBlackBoxTests.assignment(try desk.json(["case", "show", id]))["state"] as? String == "approved")
        }
    }

    @Test func oneApprovalDecidesExactlyTheSubmissionItWasAskedOnAndTheWaiverGoesWithIt() throws {
        let desk = try Desk(clock: "2026-12-01T09:20:00+03:00")
        let a = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        let b = try desk.register(2, detected: "2026-12-01T09:10:00+03:00")
        try desk.json(["incident", "create", "--title", "Нет света", "--topic", "прочее", a, b, "--as", "cur"])
        try desk.json(["incident", "route", "1", "--executor", "roads", "--as", "cur"])
        for id in [a, b] { desk.rememberReopened(id, units: ["roads"]) }
        // b asks its author a question of its own; meanwhile a gets the incident's final draft alone.
        try desk.json(["draft", "submit", "\(b)/1", "--kind", "clarification", "--text", "Уточните номер дома?"])
        try desk.json(["draft", "approve", "\(b)/1"])
        try desk.json([
            "reply", "publish", "\(b)/1", "--url", "https://vk.com/wall-1_2?reply=7", "--account", "admin-borovichi",
        ])
        try desk.json(["draft", "submit", "\(a)/1", "--kind", "final", "--text", "Свет дадут 2 декабря к 18:00."])
        try desk.json(["reply", "author-answered", "\(b)/1", "--at", "2026-12-01T09:20:00+03:00", "--text", "Дом 5"])
        // b's own final draft now: another submission, which approving a's must not decide.
        try desk.json([
            "draft", "submit", "\(b)/1", "--kind", "final", "--text", "В доме 5 свет дадут 2 декабря к 18:00.",
        ])
        try desk.json(["draft", "approve", "\(a)/1"])
        #expect(WorkflowBlackBoxTests.assignment(try desk.json(["case", "show", a]))["state"] as? String == "approved")
        let other = try desk.json(["case", "show", b])
        #expect(WorkflowBlackBoxTests.assignment(other)["state"] as? String == "in_review")
        #expect((Self.lastDraft(other)["text"] as? String ?? "").hasPrefix("В доме 5"))
        // A deputy of another unit standing in for the person who holds a case reads its incident too.
        #expect(try desk.fails(["incident", "show", "1", "--as", "housing.ex"]).status == 66)
        try desk.json(["assignment", "take", "\(a)/1", "--as", "roads.ex"])
        try desk.json([
            "staff", "absence", "add", "roads.ex", "--from", "2026-12-01T00:00:00+03:00", "--to",
            "2026-12-05T00:00:00+03:00", "--deputy", "housing.ex",
        ])
        #expect(try desk.fails(["incident", "show", "1", "--as", "housing.ex"]).status == 0)
    }
}
