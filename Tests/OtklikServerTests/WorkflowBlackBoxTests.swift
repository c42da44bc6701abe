import Foundation
import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Whole cases driven through the CLI against `otklikd --test-clock`, checking every due time and
/// state in the JSON that scripts read.
@Suite struct WorkflowBlackBoxTests {
    /// A daemon on a simulated clock and a way to run the CLI against it.
    final class Desk {
        let daemon: DaemonProcess
        /// Executor units of each routed case, in assignment order.
        private var routed: [String: [String]] = [:]

        init(clock: String, directory: String = privateDirectory()) throws {
            daemon = try DaemonProcess(arguments: ["--test-clock", clock], directory: directory)
            // The people of the regulation: a curator and an executor in each unit.
            for (unit, kind) in [
                ("curator-centre", "curator_centre"), ("roads", "department"), ("housing", "department"),
                ("transport", "department"),
            ] {
                try plain(["unit", "add", unit, "--title", unit, "--kind", kind])
            }
            try plain([
                "staff", "add", "cur", "--name", "Куратор", "--os-user", "os-cur", "--unit", "curator-centre", "--role",
                "curator",
            ])
            for unit in ["roads", "housing", "transport"] {
                try plain([
                    "staff", "add", "\(unit).ex", "--name", "Исполнитель", "--os-user", "os-\(unit)", "--unit", unit,
                    "--role", "executor",
                ])
            }
            try plain([
                "account", "add", "--network", "vk", "--name", "admin-borovichi", "--url",
                "https://vk.com/borovichi_adm",
            ])
        }

        /// Who does a workflow step: executors submit drafts for their assignment's unit, the curator
        /// does the rest; reads and the clock are the daemon's own user's (an admin).
        private func actor(_ arguments: [String]) -> String? {
            switch (arguments.first ?? "", arguments.count > 1 ? arguments[1] : "") {
            case ("draft", "submit"):
                let parts = arguments[2].split(separator: "/")
                return (routed[String(parts[0])] ?? [])[Int(parts[1])! - 1] + ".ex"
            case ("message", _), ("case", "route"), ("case", "reject"), ("case", "link-repeat"), ("draft", _),
                ("reply", _),
                ("case", "reroute"), ("case", "add-executor"), ("case", "withdraw"), ("case", "correct"),
                ("case", "reopen"),
                ("assignment", "cancel"):
                return "cur"
            default:
                return nil
            }
        }

        @discardableResult
        private func plain(_ arguments: [String]) throws -> String {
            let result = try run(binDirectory + "/otklik", arguments + ["--socket", daemon.socketPath])
            #expect(result.status == 0, "otklik \(arguments.joined(separator: " ")): \(result.stderr)")
            return result.stdout
        }

        /// Runs `otklik ARGS -o json` as the step's actor, expecting success; returns the JSON object.
        @discardableResult
        func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let options = zip(arguments, arguments.dropFirst())
            if arguments.starts(with: ["case", "route"]) {
                routed[arguments[2]] = options.filter { $0.0 == "--executor" }.map(\.1)
            }
            if arguments.starts(with: ["case", "add-executor"]) || arguments.starts(with: ["case", "reopen"]) {
                routed[arguments[2], default: []] += options.filter { $0.0 == "--executor" }.map(\.1)
            }
            if arguments.starts(with: ["case", "reroute"]), let to = options.first(where: { $0.0 == "--to" })?.1 {
                let parts = arguments[2].split(separator: "/")
                routed[String(parts[0])]?[Int(parts[1])! - 1] = to
            }
            let who = arguments.contains("--as") ? [] : actor(arguments).map { ["--as", $0] } ?? []
            let result = try run(
                binDirectory + "/otklik", arguments + who + ["-o", "json", "--socket", daemon.socketPath])
            #expect(
                result.status == 0, "otklik \(arguments.joined(separator: " ")): \(result.stderr)",
                sourceLocation: sourceLocation)
            return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        }

        /// Runs the CLI as the step's actor expecting failure; returns the exit status and what it said.
        func fails(_ arguments: [String]) throws -> (status: Int32, message: String) {
            let who = arguments.contains("--as") ? [] : actor(arguments).map { ["--as", $0] } ?? []
            let result = try run(binDirectory + "/otklik", arguments + who + ["--socket", daemon.socketPath])
            return (result.status, result.stderr)
        }

        func at(_ instant: String) throws { try json(["admin", "clock", "set", instant]) }

        /// Remembers the units of a case reopened with its answering units (`case reopen` without `--executor`).
        func rememberReopened(_ id: String, units: [String]) { routed[id, default: []] += units }

        func register(_ n: Int, detected: String, importance: String = "normal") throws -> String {
            let c = try json([
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_\(n)", "--author",
                "Автор \(n)",
                "--text", "Сообщение \(n)", "--detected-at", detected, "--importance", importance, "--topic", "дороги",
            ])
            return try #require(c["id"] as? String)
        }
    }

    static func assignment(_ c: [String: Any], _ index: Int = 0) -> [String: Any] {
        ((c["assignments"] as? [[String: Any]]) ?? [])[index]
    }

    static func clock(_ c: [String: Any], _ kind: String, assignment index: Int = 0) -> [String: Any] {
        if kind == "route" { return ((c["clocks"] as? [String: Any])?["route"] as? [String: Any]) ?? [:] }
        return ((assignment(c, index)["clocks"] as? [String: Any])?[kind] as? [String: Any]) ?? [:]
    }

    @Test func aNormalCaseAnsweredOnTime() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        #expect(id == "2026-000001")
        var c = try desk.json(["case", "show", id])
        #expect(c["state"] as? String == "new")
        #expect(Self.clock(c, "route")["due"] as? String == "2026-12-01T09:30:00+03:00")
        try desk.at("2026-12-01T09:10:00+03:00")
        c = try desk.json(["case", "route", id, "--executor", "roads", "--topic", "roads=дороги"])
        #expect(Self.clock(c, "route")["state"] as? String == "met")
        #expect(Self.clock(c, "reply")["due"] as? String == "2026-12-01T18:00:00+03:00")
        #expect(Self.clock(c, "draft")["due"] as? String == "2026-12-01T14:00:00+03:00")
        try desk.at("2026-12-01T11:00:00+03:00")
        c = try desk.json(["draft", "submit", "\(id)/1", "--kind", "final", "--text", "Яму заделают в среду."])
        #expect(Self.clock(c, "draft")["state"] as? String == "met")
        #expect(Self.clock(c, "review")["due"] as? String == "2026-12-01T11:30:00+03:00")
        try desk.at("2026-12-01T11:20:00+03:00")
        c = try desk.json(["draft", "approve", "\(id)/1"])
        #expect(Self.clock(c, "publish")["due"] as? String == "2026-12-01T11:50:00+03:00")
        try desk.at("2026-12-01T11:40:00+03:00")
        let unknownAccount = try desk.fails([
            "reply", "publish", "\(id)/1", "--url", "https://vk.com/r", "--account", "someone-else",
        ])
        #expect(unknownAccount.status == 65)
        #expect(unknownAccount.message.contains("is not one of the administration's vk accounts"))
        c = try desk.json([
            "reply", "publish", "\(id)/1", "--url", "https://vk.com/wall-1_1?reply=5", "--account", "admin-borovichi",
        ])
        #expect(c["state"] as? String == "done")
        #expect(Self.assignment(c)["state"] as? String == "done")
        for kind in ["reply", "draft", "review", "publish"] {
            #expect(Self.clock(c, kind)["state"] as? String == "met", "\(kind)")
            #expect(Self.clock(c, kind)["late_minutes"] as? Int == 0, "\(kind)")
        }
        let replies = Self.assignment(c)["replies"] as? [[String: Any]]
        #expect(replies?.first?["url"] as? String == "https://vk.com/wall-1_1?reply=5")
        #expect(replies?.first?["published_at"] as? String == "2026-12-01T11:40:00+03:00")
        #expect(c["version"] as? Int == 5)
    }

    @Test func aHighCaseReturnedTwiceAndPublishedLateBreachesThePublishAndReplyClocks() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(2, detected: "2026-12-01T09:00:00+03:00", importance: "high")
        try desk.at("2026-12-01T09:10:00+03:00")
        var c = try desk.json(["case", "route", id, "--executor", "housing"])
        #expect(Self.clock(c, "reply")["due"] as? String == "2026-12-01T13:00:00+03:00")
        #expect(Self.clock(c, "draft")["due"] as? String == "2026-12-01T11:00:00+03:00")
        let a = "\(id)/1"
        try desk.at("2026-12-01T10:00:00+03:00")
        try desk.json(["draft", "submit", a, "--kind", "final", "--text", "Черновик 1"])
        try desk.at("2026-12-01T10:20:00+03:00")
        c = try desk.json(["draft", "return", a, "--reason", "no_evidence", "--comment", "Нужны фото"])
        #expect(Self.clock(c, "rework")["due"] as? String == "2026-12-01T11:20:00+03:00")
        try desk.at("2026-12-01T11:00:00+03:00")
        try desk.json(["draft", "submit", a, "--kind", "final", "--text", "Черновик 2"])
        try desk.at("2026-12-01T11:10:00+03:00")
        try desk.json(["draft", "return", a, "--reason", "formal", "--comment", "Оформление"])
        try desk.at("2026-12-01T11:30:00+03:00")
        c = try desk.json(["draft", "submit", a, "--kind", "final", "--text", "Черновик 3"])
        #expect(Self.clock(c, "rework")["state"] as? String == "met")
        try desk.at("2026-12-01T11:40:00+03:00")
        try desk.json(["draft", "approve", a])
        try desk.at("2026-12-01T14:35:00+03:00")
        c = try desk.json(["reply", "publish", a, "--url", "https://vk.com/r", "--at", "2026-12-01T14:30:00+03:00"])
        #expect(Self.clock(c, "draft")["state"] as? String == "met")
        #expect(Self.clock(c, "publish")["state"] as? String == "breached")
        #expect(Self.clock(c, "publish")["late_minutes"] as? Int == 80)  // 12:10-13:00 and 14:00-14:30
        #expect(Self.clock(c, "reply")["state"] as? String == "breached")
        #expect(Self.clock(c, "reply")["late_minutes"] as? Int == 30)
        let drafts = Self.assignment(c)["drafts"] as? [[String: Any]] ?? []
        #expect(drafts.map { $0["state"] as? String } == ["returned", "returned", "published"])
        #expect(drafts.map { $0["return_reason"] as? String } == ["no_evidence", "formal", nil])
        #expect(c["state"] as? String == "done")
    }

    @Test func aClarificationPausesTheClocksAcrossAWeekend() throws {
        let desk = try Desk(clock: "2026-12-04T09:05:00+03:00")
        let id = try desk.register(3, detected: "2026-12-04T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "housing"])
        let a = "\(id)/1"
        try desk.at("2026-12-04T10:00:00+03:00")
        try desk.json(["draft", "submit", a, "--kind", "clarification", "--text", "Уточните адрес"])
        try desk.at("2026-12-04T10:10:00+03:00")
        try desk.json(["draft", "approve", a])
        try desk.at("2026-12-04T10:20:00+03:00")
        var c = try desk.json(["reply", "publish", a, "--url", "https://vk.com/q"])
        #expect(Self.assignment(c)["state"] as? String == "waiting_author")
        try desk.json(["admin", "clock", "advance", "1d"])
        c = try desk.json(["case", "show", id])
        #expect(Self.clock(c, "reply")["state"] as? String == "paused")
        try desk.at("2026-12-07T11:05:00+03:00")
        c = try desk.json([
            "reply", "author-answered", a, "--at", "2026-12-07T11:00:00+03:00", "--text", "ул. Ленина, 5",
        ])
        #expect(Self.assignment(c)["state"] as? String == "drafting")
        // Paused Friday 10:20-18:00 (6h40m) and Monday 09:00-11:00 (2h): due 8h + 8h40m after detection.
        #expect(Self.clock(c, "reply")["due"] as? String == "2026-12-08T09:40:00+03:00")
        #expect(Self.clock(c, "reply")["state"] as? String == "open")
        let pauses = Self.assignment(c)["pauses"] as? [[String: Any]]
        #expect(pauses?.first?["from"] as? String == "2026-12-04T10:20:00+03:00")
        #expect(pauses?.first?["to"] as? String == "2026-12-07T11:00:00+03:00")
    }

    @Test func anIntermediateReplyThenTheFinalOneWithinSevenWorkingDays() throws {
        let desk = try Desk(clock: "2026-12-03T09:05:00+03:00")
        let id = try desk.register(4, detected: "2026-12-03T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "transport"])
        let a = "\(id)/1"
        try desk.at("2026-12-03T10:00:00+03:00")
        try desk.json(["draft", "submit", a, "--kind", "intermediate", "--text", "Обращение передано перевозчику"])
        try desk.json(["draft", "approve", a])
        var c = try desk.json(["reply", "publish", a, "--url", "https://vk.com/i"])
        #expect(Self.assignment(c)["state"] as? String == "awaiting_final")
        #expect(Self.clock(c, "reply")["state"] as? String == "met")
        #expect(Self.clock(c, "final_draft")["due"] as? String == "2026-12-14T18:00:00+03:00")
        try desk.at("2026-12-11T15:00:00+03:00")
        c = try desk.json(["draft", "submit", a, "--kind", "final", "--text", "Расписание восстановлено"])
        #expect(Self.clock(c, "final_draft")["state"] as? String == "met")
        try desk.json(["draft", "approve", a])
        c = try desk.json(["reply", "publish", a, "--url", "https://vk.com/f"])
        #expect(c["state"] as? String == "done")
        #expect(
            (Self.assignment(c)["replies"] as? [[String: Any]])?.map { $0["kind"] as? String } == [
                "intermediate", "final",
            ])
    }

    @Test func aSplitCaseIsDoneOnlyWhenBothExecutorsPublished() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(5, detected: "2026-12-01T09:00:00+03:00")
        var c = try desk.json([
            "case", "route", id, "--executor", "roads", "--executor", "housing", "--topic", "roads=дороги", "--topic",
            "housing=ЖКХ",
        ])
        #expect((c["assignments"] as? [[String: Any]])?.map { $0["id"] as? String } == ["\(id)/1", "\(id)/2"])
        for n in [1, 2] {
            try desk.json(["draft", "submit", "\(id)/\(n)", "--kind", "final", "--text", "Ответ \(n)"])
            try desk.json(["draft", "approve", "\(id)/\(n)"])
        }
        c = try desk.json(["reply", "publish", "\(id)/1", "--url", "https://vk.com/1"])
        #expect(c["state"] as? String == "routed")
        c = try desk.json(["reply", "publish", "\(id)/2", "--url", "https://vk.com/2"])
        #expect(c["state"] as? String == "done")
    }

    @Test func aRepeatCaseIsRefusedAFinalReplyWithoutMeasures() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let first = try desk.register(6, detected: "2026-12-01T09:00:00+03:00")
        let second = try desk.register(7, detected: "2026-12-01T09:01:00+03:00")
        // The texts are alike: the curator is shown the earlier case as a likely repeat (p.18).
        #expect(try desk.json(["case", "show", second])["suggested_repeats"] as? [String] == [first])
        var c = try desk.json(["case", "link-repeat", second, "--of", first])
        #expect(c["suggested_repeats"] as? [String] == [])
        #expect(c["repeat_of"] as? String == first)
        try desk.json(["case", "route", second, "--executor", "roads"])
        let refused = try desk.fails(["draft", "submit", "\(second)/1", "--kind", "final", "--text", "Ответ"])
        #expect(refused.status == 68)
        #expect(refused.message.contains("must state the measures taken or the progress (p.18)"))
        c = try desk.json([
            "draft", "submit", "\(second)/1", "--kind", "final", "--text", "Ответ", "--measures", "Яма заделана 30.11",
        ])
        #expect(
            (Self.assignment(c)["drafts"] as? [[String: Any]])?.first?["measures"] as? String == "Яма заделана 30.11")
    }

    @Test func aRejectedCaseRunsNoClocksAndCannotBeRouted() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(8, detected: "2026-12-01T09:00:00+03:00")
        let c = try desk.json(["case", "reject", id, "--reason", "obscene", "--comment", "брань"])
        #expect(c["state"] as? String == "rejected")
        #expect((c["rejection"] as? [String: Any])?["reason"] as? String == "obscene")
        #expect((c["assignments"] as? [Any])?.isEmpty == true)
        let refused = try desk.fails(["case", "route", id, "--executor", "roads"])
        #expect(refused.status == 68)
        #expect(refused.message.contains("rejected and cannot be routed"))
    }

    @Test func registeringTwiceReturnsTheExistingCase() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let args = [
            "message", "register", "--network", "ok", "--url", "https://ok.ru/9", "--author", "А", "--text", "Т",
            "--detected-at", "2026-12-01T09:00:00+03:00", "--external-id", "card-9",
        ]
        let first = try desk.json(args)
        let second = try desk.json(args)
        #expect(first["existing"] as? Bool == false)
        #expect(second["existing"] as? Bool == true)
        #expect(first["id"] as? String == second["id"] as? String)
        let list = try desk.json(["case", "list"])
        #expect((list["cases"] as? [Any])?.count == 1)
    }

    @Test func aStaleVersionIsAbortedAndActingAsSomeoneIsRecorded() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(10, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "roads", "--as", "cur", "--expected-version", "1"])
        let stale = try desk.fails(["case", "reject", id, "--reason", "harm", "--expected-version", "1"])
        #expect(stale.status == 75)
        // One sentence, no gRPC code name; the exit code says "try again" (75).
        #expect(stale.message.contains("someone changed it") && !stale.message.contains("ABORTED"))
        let history = try desk.json(["case", "history", id])
        let events = history["events"] as? [[String: Any]] ?? []
        #expect(events.map { $0["kind"] as? String } == ["case.registered", "case.routed"])
        #expect(events.last?["on_behalf"] as? String == "cur")
        #expect(events.last?["case_version"] as? Int == 2)
    }

    @Test func theRealClockCannotBeMoved() throws {
        let daemon = try DaemonProcess()
        let result = try run(
            binDirectory + "/otklik", ["admin", "clock", "advance", "1h", "--socket", daemon.socketPath])
        #expect(result.status == 68)
        let status = try run(binDirectory + "/otklik", ["status", "-o", "json", "--socket", daemon.socketPath])
        #expect(status.stdout.contains(#""clock_simulated":false"#))
    }

    /// Issue 31: a formal draft is flagged for the executor and the curator, a copy of a published reply
    /// names the case it copies, the report counts them, and the findings stay through a restart and a
    /// rebuild of the projections.
    @Test func formalDraftsAreFlaggedCountedAndKept() throws {
        let directory = privateDirectory()
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00", directory: directory)
        func draft(_ c: [String: Any]) -> [String: Any] {
            ((Self.assignment(c)["drafts"] as? [[String: Any]]) ?? []).last ?? [:]
        }
        func rules(_ c: [String: Any]) -> [String] {
            ((draft(c)["findings"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String }
        }
        let first = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        try desk.at("2026-12-01T09:30:00+03:00")
        try desk.json(["case", "route", first, "--executor", "roads", "--topic", "roads=дороги"])
        let answer = "Яма на улице Кирова у дома 12 заделана 01.12.2026."
        var c = try desk.json(["draft", "submit", "\(first)/1", "--kind", "final", "--text", answer])
        #expect(rules(c) == [])
        c = try desk.json(["draft", "approve", "\(first)/1"])
        try desk.json(["reply", "publish", "\(first)/1", "--url", "https://vk.com/wall-1_1?reply=5"])

        let second = try desk.register(2, detected: "2026-12-01T09:10:00+03:00")
        try desk.json(["case", "route", second, "--executor", "roads", "--topic", "roads=дороги"])
        c = try desk.json([
            "draft", "submit", "\(second)/1", "--kind", "final", "--text", "Уважаемый Автор 2! " + answer,
        ])
        #expect(rules(c) == ["copy"])
        let shown = try desk.json(["draft", "show", "\(second)/1"])
        let findings = ((shown["draft"] as? [String: Any])?["findings"] as? [[String: Any]]) ?? []
        #expect(findings.first?["words"] as? [String] == [first])
        try desk.json(["draft", "return", "\(second)/1", "--reason", "formal", "--comment", "Это ответ другому жителю"])
        // The executor is told in Russian, after the case; the curator reads the same beside the draft.
        let formal = "Информация о яме на улице Кирова принята к сведению."
        let submitted = try run(
            binDirectory + "/otklik",
            [
                "draft", "submit", "\(second)/1", "--kind", "final", "--text", formal, "--as", "roads.ex", "--socket",
                desk.daemon.socketPath,
            ], environment: ["LANG": "ru_RU.UTF-8"])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stderr.contains("похож на формальный ответ"), "\(submitted.stderr)")
        #expect(
            submitted.stderr.contains("шаблонные фразы без даты и мер: «принята к сведению»"), "\(submitted.stderr)")
        let sheet = try run(
            binDirectory + "/otklik", ["case", "show", second, "--as", "cur", "--socket", desk.daemon.socketPath],
            environment: ["LANG": "ru_RU.UTF-8"])
        #expect(sheet.stdout.contains("качество: нет ни даты, ни срока, ни принятых мер"), "\(sheet.stdout)")
        try desk.json(["draft", "approve", "\(second)/1"])
        try desk.json(["reply", "publish", "\(second)/1", "--url", "https://vk.com/wall-1_2?reply=6"])

        let quality = try #require(try desk.json(["report", "monthly", "2026-12"])["quality"] as? [String: Any])
        #expect(quality["drafts_submitted"] as? Int == 3)
        #expect(quality["drafts_flagged"] as? Int == 2)
        #expect((quality["returns_by_reason"] as? [String: Any])?["formal"] as? Int == 1)
        #expect(quality["published_with_findings"] as? Int == 1)

        desk.daemon.signal(SIGTERM)
        #expect(desk.daemon.wait() == 0)
        let rebuilt = try run(binDirectory + "/otklikd", ["rebuild-projections", "--data", directory + "/data"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        let again = try DaemonProcess(arguments: ["--test-clock", "2026-12-01T12:00:00+03:00"], directory: directory)
        let read = try run(
            binDirectory + "/otklik", ["draft", "show", "\(second)/1/1", "-o", "json", "--socket", again.socketPath])
        let kept = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        let keptFindings = ((kept["draft"] as? [String: Any])?["findings"] as? [[String: Any]]) ?? []
        #expect(keptFindings.map { $0["rule"] as? String } == ["copy"])
        // After the rebuild a third copy still finds the first case's published reply.
        let store = try Store(directory: directory + "/data", check: .quick)
        defer { store.close() }
        #expect(try store.publishedCopy(of: "Здравствуйте, " + answer, excluding: ["2026-000009"]) == first)
        again.signal(SIGTERM)
        _ = again.wait()
    }

    /// Issue 31: routed on Friday afternoon to a unit whose only executor is away until Wednesday (and
    /// whose deputy is away too): the curator is told at routing, the board says why, and the
    /// scheduler warns the curators once.
    @Test func anAssignmentNobodyCanActOnIsForecastAtRiskAndWarnedOnce() throws {
        let desk = try Desk(clock: "2026-12-04T14:00:00+03:00")
        try desk.json([
            "staff", "absence", "add", "roads.ex", "--from", "2026-12-01T00:00:00+03:00", "--to",
            "2026-12-09T09:00:00+03:00", "--deputy", "housing.ex", "--reason", "отпуск",
        ])
        try desk.json([
            "staff", "absence", "add", "housing.ex", "--from", "2026-12-01T00:00:00+03:00", "--to",
            "2026-12-09T09:00:00+03:00", "--deputy", "transport.ex", "--reason", "болезнь",
        ])
        let id = try desk.register(1, detected: "2026-12-04T13:55:00+03:00")
        let routed = try run(
            binDirectory + "/otklik",
            [
                "case", "route", id, "--executor", "roads", "--topic", "roads=дороги", "--as", "cur", "--socket",
                desk.daemon.socketPath,
            ], environment: ["LANG": "ru_RU.UTF-8"])
        #expect(routed.status == 0, "\(routed.stderr)")
        #expect(
            routed.stderr.contains(
                "\(id)/1: в подразделении «roads» до ср 09.12 09:00 никого нет; срок — пн 07.12 09:00; успели бы: housing, transport"
            ), "\(routed.stderr)")

        let board = try desk.json(["board", "--as", "cur"])
        let units = (board["units"] as? [[String: Any]]) ?? []
        let roads = try #require(units.first { $0["unit"] as? String == "roads" })
        #expect(roads["open"] as? Int == 1)
        #expect(roads["at_risk"] as? Int == 1)
        #expect(roads["due_next_working_day"] as? Int == 1)
        #expect(roads["present"] as? [String] == [])
        let row = try #require((board["assignments"] as? [[String: Any]])?.first)
        #expect(row["at_risk"] as? Bool == true)
        let risk = try #require((row["risks"] as? [[String: Any]])?.first)
        #expect(risk["reason"] as? String == "nobody_present")
        #expect(risk["next_present"] as? String == "2026-12-09T09:00:00+03:00")
        #expect(row["could"] as? [String] == ["housing", "transport"])
        // The same in English, as a table.
        let english = try run(
            binDirectory + "/otklik", ["board", "--as", "cur", "--socket", desk.daemon.socketPath],
            environment: ["LANG": "C"])
        #expect(
            english.stdout.contains(
                "\(id)/1: nobody in «roads» is at work until Wed 09 Dec 09:00; due Mon 07 Dec 09:00; could meet it: housing, transport"
            ), "\(english.stdout)")
        let queue = try desk.json(["queue", "--curator", "--as", "cur"])
        #expect(((queue["items"] as? [[String: Any]])?.first)?["at_risk"] as? Bool == true)
        // An executor's board is their own units' and those of whom they stand in for (p.6).
        let own = try desk.json(["board", "--as", "transport.ex"])
        #expect(
            ((own["units"] as? [[String: Any]]) ?? []).compactMap { $0["unit"] as? String } == ["housing", "transport"])
        #expect((own["assignments"] as? [[String: Any]])?.isEmpty == true)

        // The scheduler warned the curator once, however often it looks again.
        try desk.at("2026-12-04T15:00:00+03:00")
        try desk.at("2026-12-04T16:00:00+03:00")
        let history = try run(
            binDirectory + "/otklik", ["case", "history", id, "-o", "json", "--socket", desk.daemon.socketPath])
        #expect(history.stdout.components(separatedBy: "clock.at_risk").count - 1 == 1, "\(history.stdout)")
        let said = try run(
            binDirectory + "/otklik", ["case", "history", id, "--as", "cur", "--socket", desk.daemon.socketPath],
            environment: ["LANG": "ru_RU.UTF-8"])
        #expect(said.stdout.contains("срок под угрозой"), "\(said.stdout)")
    }

    @Test func projectionsRebuiltFromTheLogAreIdentical() throws {
        let directory = privateDirectory()
        var daemon: DaemonProcess? = try DaemonProcess(
            arguments: ["--demo", "--test-clock", "2026-12-01T11:00:00+03:00"], directory: directory)
        daemon!.signal(SIGTERM)
        #expect(daemon!.wait() == 0)
        daemon = nil
        let before = try { () throws -> String in
            let store = try Store(directory: directory + "/data")
            defer { store.close() }
            return try store.projectionDigest()
        }()
        #expect(before.contains("2026-000007"))
        let rebuilt = try run(binDirectory + "/otklikd", ["rebuild-projections", "--data", directory + "/data"])
        #expect(rebuilt.status == 0)
        #expect(rebuilt.stdout.contains("7 cases"))
        let store = try Store(directory: directory + "/data")
        defer { store.close() }
        #expect(try store.projectionDigest() == before)
    }
}
