import Foundation
import Testing

/// `otklik message import` against a daemon: a dry run writes nothing, --apply registers what is new
/// and finds what is not, a second import adds nothing, a refused line refuses only itself.
@Suite struct MessageImportBlackBoxTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    static func otklik(_ desk: Desk, _ arguments: [String], as login: String? = "cur", russian: Bool = false) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try DeskTests.otklik(desk, arguments, as: login, russian: russian)
    }

    @Test func aTableIsImportedOnceWithItsRefusedLinesNamed() throws {
        let desk = try Desk(clock: "2026-12-01T10:00:00+03:00")
        let file = privateDirectory() + "/posts.csv"
        try """
        network;url;author;text;detected_at;external_id;topics
        vk;https://vk.com/wall-1_1;Анна;"Яма на дороге; у школы";01.12.2026 09:00;m-1;дороги
        vk;https://m.vk.com/wall-1_2/;Борис;Нет света во дворе;2026-12-01 09:10;m-2;ЖКХ|свет
        ok;https://ok.ru/group/1/topic/3;Вера;Автобус не пришёл;01.12.2026 09:20;m-3;
        vk;https://vk.com/wall-1_4;;Без автора;01.12.2026 09:30;m-4;
        vk;https://vk.com/wall-1_2;Борис;Нет света во дворе;2026-12-01 09:10;m-2;ЖКХ|свет
        vk;https://myspace.com/5;Гена;Не та ссылка;01.12.2026 09:40;m-5;
        """.write(toFile: file, atomically: true, encoding: .utf8)
        func run(_ extra: [String]) throws -> [String: Any] {
            let result = try Self.otklik(desk, ["message", "import", file, "-o", "json"] + extra)
            // Two lines are refused: the exit status says so (EX_DATAERR) whatever was taken.
            #expect(result.status == 65, "\(result.stderr)")
            return DeskTests.object(result.stdout)
        }
        func cases() throws -> Int {
            DeskTests.object(try Self.otklik(desk, ["case", "list", "-o", "json"]).stdout)["total"] as? Int ?? -1
        }
        // A dry run: three new, the repeat within the file found, two refused; nothing written.
        let dry = try run([])
        #expect(dry["applied"] as? Bool == false && dry["new"] as? Int == 3 && dry["existing"] as? Int == 1)
        #expect(dry["refused"] as? Int == 2 && dry["positions"] as? String == "line")
        #expect(try cases() == 0)
        let items = dry["items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["position"] as? Int ?? 0 } == [2, 3, 4, 5, 6, 7])
        #expect(items[3]["reason"] as? String == "unreadable", "the empty author, read by the CLI")
        #expect(items[4]["repeats"] as? Int == 3)
        #expect(items[5]["reason"] as? String == "post_url_host", "the daemon's own reason: \(items[5])")
        // Applied: the three are registered (the URL written two ways is one post).
        let applied = try run(["--apply"])
        #expect(applied["new"] as? Int == 3 && applied["existing"] as? Int == 1)
        #expect(try cases() == 3)
        let ids = (applied["items"] as? [[String: Any]] ?? []).compactMap { $0["case"] as? String }
        #expect(ids.count == 3)
        let first = DeskTests.object(try Self.otklik(desk, ["case", "show", ids[0], "-o", "json"]).stdout)
        #expect(first["text"] as? String == "Яма на дороге; у школы" && first["external_id"] as? String == "m-1")
        #expect(first["detected_at"] as? String == "2026-12-01T09:00:00+03:00")
        // Again: nothing new.
        let again = try run(["--apply"])
        #expect(again["new"] as? Int == 0 && again["existing"] as? Int == 4)
        #expect(try cases() == 3)
        // People read the refused lines by number, in Russian.
        let table = try Self.otklik(desk, ["message", "import", file], russian: true)
        #expect(table.stdout.contains("строка 5: не заполнено поле «Автор»"), "\(table.stdout)")
        #expect(table.stdout.contains("строка 7:") && table.stdout.contains("уже зарегистрированы: 4"))
        // An admin is told to import as a curator; the curator's control is not bypassed.
        let admin = try Self.otklik(desk, ["message", "import", file, "--apply"], as: nil)
        #expect(admin.status == 77 && admin.stderr.contains("--as"), "\(admin.stderr)")
    }

    /// Every sample of tests/fixtures/import/ goes in once: a second import of each finds them all.
    @Test func everySampleFormatImportsOnceAndAgainAddsNothing() throws {
        let desk = try Desk(clock: "2026-12-01T10:00:00+03:00")
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tests/fixtures/import")
        let expected = [
            "posts.csv": 3, "posts.jsonl": 2, "vk-comments.json": 2, "vk-wall.json": 2, "telegram-result.json": 2,
        ]
        for (name, new) in expected.sorted(by: { $0.key < $1.key }) {
            let path = fixtures.appendingPathComponent(name).path
            let first = DeskTests.object(
                try Self.otklik(desk, ["message", "import", path, "--apply", "-o", "json"]).stdout)
            #expect(first["new"] as? Int == new, "\(name): \(first)")
            let again = DeskTests.object(
                try Self.otklik(desk, ["message", "import", path, "--apply", "-o", "json"]).stdout)
            #expect(again["new"] as? Int == 0 && again["existing"] as? Int == new, "\(name): \(again)")
        }
        // The administration's own reply in the VK thread (its account's link ends borovichi_adm) is passed over.
        let comments = DeskTests.object(
            try Self.otklik(
                desk, ["message", "import", fixtures.appendingPathComponent("vk-comments.json").path, "-o", "json"]
            ).stdout)
        #expect(comments["own"] as? Int == 1)
    }

    @Test func aFileNotOfItsFormatIsRefusedWholeAndChangesNothing() throws {
        let desk = try Desk(clock: "2026-12-01T10:00:00+03:00")
        let file = privateDirectory() + "/export.csv"
        try "url;город\nhttps://vk.com/wall-1_1;Боровичи\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Self.otklik(desk, ["message", "import", file, "--apply"], russian: true)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("неизвестные столбцы: город"), "\(result.stderr)")
        let unknown = try Self.otklik(desk, ["message", "import", privateDirectory() + "/data.bin"])
        #expect(unknown.status == 66)
        let json = privateDirectory() + "/data.json"
        try "{\"hello\": 1}".write(toFile: json, atomically: true, encoding: .utf8)
        // A file over 256 MiB is refused before the rest of it is read (a sparse one: no disk spent).
        let huge = privateDirectory() + "/huge.csv"
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        #expect(truncate(huge, off_t(256 << 20) + 1) == 0)
        let tooLarge = try Self.otklik(desk, ["message", "import", huge])
        #expect(tooLarge.status == 64 && tooLarge.stderr.contains("larger than 256 MiB"), "\(tooLarge.stderr)")
        let undetected = try Self.otklik(desk, ["message", "import", json])
        #expect(undetected.status == 64 && undetected.stderr.contains("--format"), "\(undetected.stderr)")
    }

    /// `otklik export cases` writes one row per assignment with the clocks, as Excel opens it under a
    /// Russian locale or as JSON lines; `otklik export events` writes the log and resumes where it ended.
    @Test func casesAndEventsGoOutForTheRegionalCentreAndBI() throws {
        let desk = try Desk(clock: "2026-12-01T10:00:00+03:00")
        let first = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        _ = try desk.register(2, detected: "2026-12-01T09:30:00+03:00")
        try desk.json([
            "case", "route", first, "--executor", "roads", "--executor", "housing", "--topic", "roads=дороги",
            "--topic", "housing=ЖКХ",
        ])
        let out = privateDirectory() + "/cases.csv"
        let csv = try Self.otklik(
            desk, ["export", "cases", "--from", "2026-12-01", "--to", "2026-12-02", "--out", out], as: nil)
        #expect(csv.status == 0, "\(csv.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(
            bytes.starts(with: [0xEF, 0xBB, 0xBF] + Array("Case;Detected;".utf8)),
            "BOM and `;`: Excel, Russian locale")
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4, "a header, two assignments of the routed case, the new one: \(text)")
        #expect(lines.contains { $0.hasPrefix(first + ";") && $0.contains(";roads;drafting;дороги;") })
        // The file is written whole or not at all, and never over another.
        let again = try Self.otklik(
            desk, ["export", "cases", "--from", "2026-12-01", "--to", "2026-12-02", "--out", out], as: nil)
        #expect(again.status == 64 && !FileManager.default.fileExists(atPath: out + ".partial"))
        let jsonl = try Self.otklik(
            desk, ["export", "cases", "--from", "2026-12-01", "--to", "2026-12-02", "-o", "jsonl"], as: nil)
        let rows = jsonl.stdout.split(separator: "\n").map { DeskTests.object(String($0)) }
        #expect(rows.count == 3)
        let roads = try #require(rows.first { $0["unit"] as? String == "roads" })
        #expect(roads["draft_due"] as? String != nil && roads["draft_late_minutes"] as? Int == 0)
        #expect(
            roads["route_met_at"] as? String == "2026-12-01T10:00:00+03:00" && roads["unit_title"] as? String == "roads"
        )
        // The log, then only what happened since.
        func events(_ from: Int) throws -> (lines: [[String: Any]], next: Int) {
            let result = try Self.otklik(desk, ["export", "events", "--from-sequence", String(from)], as: nil)
            #expect(result.status == 0, "\(result.stderr)")
            let next = Int(result.stderr.split(whereSeparator: \.isWhitespace).last.map(String.init) ?? "") ?? -1
            return (result.stdout.split(separator: "\n").map { DeskTests.object(String($0)) }, next)
        }
        let all = try events(0)
        #expect(!all.lines.isEmpty && all.next == all.lines.last?["sequence"] as? Int)
        #expect(all.lines.contains { $0["kind"] as? String == "case.routed" && $0["case"] as? String == first })
        #expect(try events(all.next).lines.isEmpty)
        try desk.json([
            "case", "reject", try desk.register(3, detected: "2026-12-01T09:40:00+03:00"), "--reason", "obscene",
        ])
        let since = try events(all.next)
        // (the registration's clock warnings fire as the simulated clock is read; they are events too)
        let kinds = since.lines.map { $0["kind"] as? String ?? "" }
        #expect(kinds.first == "case.registered" && kinds.last == "case.rejected", "\(kinds)")
        #expect(since.lines.allSatisfy { ($0["sequence"] as? Int ?? 0) > all.next })
        // Executors read their own cases only; the whole log is not theirs.
        let executor = try Self.otklik(desk, ["export", "events"], as: "roads.ex")
        #expect(executor.status == 77)
    }
}

/// Issue 25, M5: a NUL in a text the CLI sends (a file read with `--text-file`, a line of an import) is
/// refused as the daemon refuses a control character, never sent cut short and called a success.
@Suite struct TextWithNULTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    @Test func aTextFileWithANULIsRefusedAndNothingIsRegistered() throws {
        let desk = try Desk(clock: "2026-12-01T10:00:00+03:00")
        let file = privateDirectory() + "/post.txt"
        try Data("Яма на дороге\u{0}и ещё текст".utf8).write(to: URL(fileURLWithPath: file))
        let result = try DeskTests.otklik(
            desk,
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_77", "--author", "Анна",
                "--text-file", file, "--detected-at", "now",
            ], as: "cur", russian: true)
        #expect(result.status == 65, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("управляющий символ NUL"), "\(result.stderr)")
        #expect(
            DeskTests.object(try DeskTests.otklik(desk, ["case", "list", "-o", "json"]).stdout)["total"] as? Int == 0)
    }

    @Test func anImportedLineWithANULIsRefusedByNumberAndTheOthersGoIn() throws {
        let desk = try Desk(clock: "2026-12-01T10:00:00+03:00")
        let file = privateDirectory() + "/posts.csv"
        let table = """
            network;url;author;text;detected_at
            vk;https://vk.com/wall-1_1;Анна;Яма\u{0} на дороге;01.12.2026 09:00
            vk;https://vk.com/wall-1_2;Борис;Нет света во дворе;01.12.2026 09:10

            """
        try Data(table.utf8).write(to: URL(fileURLWithPath: file))
        let result = try DeskTests.otklik(desk, ["message", "import", file, "--apply", "-o", "json"], as: "cur")
        #expect(result.status == 65, "\(result.stderr)")
        let report = DeskTests.object(result.stdout)
        #expect(report["new"] as? Int == 1 && report["refused"] as? Int == 1, "\(report)")
        let refused = (report["items"] as? [[String: Any]] ?? []).first { $0["position"] as? Int == 2 }
        #expect(refused?["reason"] as? String == "control_character", "\(String(describing: refused))")
    }
}
