import Foundation
import Testing

/// Under a Russian locale nothing English or coded reaches a person (issue 26, item 8): units by their
/// titles (codes in JSON), options taking the words the tables show, the export's CSV in words.
@Suite struct RussianWordsTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    /// A desk whose units have titles of their own, a routed case and a new one.
    static func office() throws -> (desk: WorkflowBlackBoxTests.Desk, routed: String, new: String) {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        for (unit, title) in [("roads", "Дорожный отдел"), ("housing", "Отдел ЖКХ")] {
            let result = try DeskTests.otklik(desk, ["unit", "add", unit, "--title", title, "--kind", "department"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let routed = try desk.register(1, detected: "2026-12-01T09:00:00+03:00", importance: "high")
        let new = try desk.register(2, detected: "2026-12-01T09:01:00+03:00")
        try desk.json(["case", "route", routed, "--executor", "roads", "--topic", "roads=дороги"])
        return (desk, routed, new)
    }

    @Test func unitsAreShownByTheirTitlesAndKeptAsCodesInJSON() throws {
        let (desk, routed, _) = try Self.office()
        let queue = try DeskTests.otklik(desk, ["queue"], as: "roads.ex", russian: true)
        #expect(queue.stdout.contains("Дорожный отдел") && !queue.stdout.contains(" roads"), "\(queue.stdout)")
        let list = try DeskTests.otklik(desk, ["case", "list"], as: "cur", russian: true)
        #expect(list.stdout.contains("Дорожный отдел"), "\(list.stdout)")
        let show = try DeskTests.otklik(desk, ["case", "show", routed], as: "cur", russian: true)
        #expect(show.stdout.contains("→ Дорожный отдел:") && !show.stdout.contains("→ roads"), "\(show.stdout)")
        let history = try DeskTests.otklik(desk, ["case", "history", routed], as: "cur", russian: true)
        #expect(history.stdout.contains("Дорожный отдел"), "\(history.stdout)")
        let staff = try DeskTests.otklik(desk, ["staff", "list"], russian: true)
        #expect(staff.stdout.contains("Отдел ЖКХ"), "\(staff.stdout)")
        // Scripts keep the codes they match on.
        let json = DeskTests.object(
            try DeskTests.otklik(desk, ["case", "show", routed, "-o", "json"], as: "cur").stdout)
        #expect((json["assignments"] as? [[String: Any]])?.first?["executor"] as? String == "roads")
        // A refusal names a unit by its title, with the code an option takes.
        let refused = try DeskTests.otklik(
            desk, ["assignment", "take", routed + "/1"], as: "housing.ex", russian: true)
        #expect(
            refused.status != 0 && refused.stderr.contains("нет поручений «Отдел ЖКХ» (housing)"), "\(refused.stderr)")
    }

    /// The ids `case list` gives the curator under a Russian locale with `arguments`.
    static func listed(
        _ desk: Desk, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String] {
        let result = try DeskTests.otklik(
            desk, ["case", "list"] + arguments + ["-o", "json"], as: "cur", russian: true)
        #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        return (DeskTests.object(result.stdout)["cases"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func optionsTakeTheWordsTheTablesShow() throws {
        let (desk, routed, new) = try Self.office()
        func ids(_ arguments: [String]) throws -> [String] { try RussianWordsTests.listed(desk, arguments) }
        #expect(try ids(["--state", "новое"]) == [new])
        #expect(try ids(["--state", "Направлено"]) == [routed], "the first word of «направлено исполнителям»")
        #expect(try ids(["--state", "routed"]) == [routed], "the wire word as before")
        #expect(try ids(["--importance", "высокая"]) == [routed])
        #expect(try ids(["--network", "ВК"]) == [new, routed])
        #expect(try ids(["--network", "ВКонтакте", "--sort", "срок"]).count == 2)
        // A word that is none names the words taken, in Russian.
        let wrong = try DeskTests.otklik(desk, ["case", "list", "--state", "закрыто"], as: "cur", russian: true)
        #expect(wrong.status == 64 && wrong.stderr.contains("новое (new)"), "\(wrong.stderr)")
        // Another form of a reason's word: "угроза" for «угрозы».
        let rejected = try desk.json(["case", "reject", new, "--reason", "угроза"])
        #expect((rejected["rejection"] as? [String: Any])?["reason"] as? String == "threat", "\(rejected)")
    }

    @Test func theExportsCSVIsForPeopleAndItsJSONLinesForMachines() throws {
        let (desk, routed, _) = try Self.office()
        let csv = try DeskTests.otklik(desk, ["export", "cases", "--month", "2026-12"], russian: true)
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.hasPrefix("\u{FEFF}Дело;Выявлено;Размещено автором;Соцсеть;Ссылка;Автор;Важность;") == true,
            "\(lines.first ?? "")")
        let row = try #require(lines.first { $0.hasPrefix(routed + ";") })
        #expect(
            row.contains(";01.12.2026 09:00;") && row.contains(";ВКонтакте;") && row.contains(";высокая;"), "\(row)")
        #expect(row.contains(";Дорожный отдел;") && row.contains(";готовится проект;"), "\(row)")
        #expect(!row.contains("T09:00:00+03:00") && !row.contains(";drafting;"), "\(row)")
        let english = try DeskTests.otklik(desk, ["export", "cases", "--month", "2026-12"])
        #expect(english.stdout.hasPrefix("\u{FEFF}Case;Detected;Posted;Network;"), "\(english.stdout.prefix(80))")
        // JSON lines keep the machine's words, codes and ISO times.
        let jsonl = try DeskTests.otklik(desk, ["export", "cases", "--month", "2026-12", "-o", "jsonl"], russian: true)
        let object = DeskTests.object(String(jsonl.stdout.split(separator: "\n").first { $0.contains(routed) } ?? ""))
        #expect(object["unit"] as? String == "roads" && object["unit_title"] as? String == "Дорожный отдел")
        #expect(object["assignment_state"] as? String == "drafting" && object["network"] as? String == "vk")
        #expect(object["detected_at"] as? String == "2026-12-01T09:00:00+03:00")
    }

    @Test func aRefusalOfTwoPartiesReadsAsRussian() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let result = try DeskTests.otklik(
            desk,
            [
                "staff", "add", "both", "--name", "Оба", "--os-user", "os-both", "--unit", "curator-centre", "--role",
                "curator", "--role", "executor", "--role", "head",
            ], russian: true)
        #expect(
            result.status != 0 && result.stderr.contains("и куратором, и исполнителем, и руководителем"),
            "\(result.stderr)")
    }
}

/// `message import` takes a table with Russian headings and names the cases it made (issue 26, item 12).
@Suite struct RussianImportTests {
    @Test func aTableWithRussianHeadingsIsImportedAndItsCasesNamed() throws {
        let desk = try WorkflowBlackBoxTests.Desk(clock: "2026-12-01T10:00:00+03:00")
        let file = privateDirectory() + "/посты.csv"
        try """
        Соцсеть;Ссылка;Автор;Текст;Выявлено;Темы;Важность
        ВКонтакте;https://vk.com/wall-1_501;Анна;Яма у школы;01.12.2026 09:00;дороги;высокая
        ВК;https://vk.com/wall-1_502;Олег;Не горит фонарь;01.12.2026 09:30;ЖКХ;обычная
        Телеграм;;Ира;Без ссылки;01.12.2026 09:40;;

        """.write(toFile: file, atomically: true, encoding: .utf8)
        let first = try MessageImportBlackBoxTests.otklik(desk, ["message", "import", file, "--apply"], russian: true)
        #expect(first.status == 65, "the third line is refused: \(first.stderr)")
        #expect(first.stdout.contains("Новые дела:"), "\(first.stdout)")
        #expect(
            first.stdout.contains("строка 2: 2026-000001") && first.stdout.contains("строка 3: 2026-000002"),
            "\(first.stdout)")
        #expect(
            first.stdout.contains("строка 4:") && first.stdout.contains("«Ссылка»"),
            "the empty cell named by its heading: \(first.stdout)")
        let shown = DeskTests.object(
            try DeskTests.otklik(desk, ["case", "show", "2026-000001", "-o", "json"], as: "cur").stdout)
        #expect(shown["network"] as? String == "vk" && shown["importance"] as? String == "high")
        #expect(shown["detected_at"] as? String == "2026-12-01T09:00:00+03:00")
        // Again: nothing new, and the cases it had are named.
        let again = try MessageImportBlackBoxTests.otklik(desk, ["message", "import", file, "--apply"], russian: true)
        #expect(
            again.stdout.contains("Уже зарегистрированы:") && again.stdout.contains("строка 2: 2026-000001"),
            "\(again.stdout)")
        #expect(!again.stdout.contains("Новые дела:"))
        // A heading that is no column names the columns in the reader's language.
        try "Соцсеть;Ссылка;Автор;Текст;Город\nВК;https://vk.com/wall-1_9;А;Т;Боровичи\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let unknown = try MessageImportBlackBoxTests.otklik(desk, ["message", "import", file], russian: true)
        #expect(
            unknown.status != 0 && unknown.stderr.contains("Город")
                && unknown.stderr.contains("Соцсеть;Ссылка;Автор;Текст"), "\(unknown.stderr)")
    }
}

/// otklikd under a Russian locale (issue 26, item 8): its help, its refusals of options and its
/// refusals to start are Russian; under another locale English.
@Suite struct DaemonRussianTests {
    @Test func theDaemonsHelpAndRefusalsAreRussian() throws {
        let help = try run(binDirectory + "/otklikd", ["--help"], environment: ["LANG": "ru_RU.UTF-8"])
        #expect(help.status == 0)
        // Every option's help has Russian words (option names and values aside).
        let entries = help.stdout.split(separator: "\n").filter { $0.hasPrefix("  --") }
        #expect(entries.count >= 20, "\(help.stdout)")
        for entry in entries where !entry.contains("--version") && !entry.contains("--help") {
            let words = entry.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).joined(separator: " ")
            #expect(words.isEmpty || words.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "\(entry)")
        }
        #expect(help.stdout.contains("ПАРАМЕТРЫ") && help.stdout.contains("<параметры>"), "\(help.stdout.prefix(300))")
        let option = try run(binDirectory + "/otklikd", ["--log-level", "x"], environment: ["LANG": "ru_RU.UTF-8"])
        #expect(option.status == 64 && option.stderr.contains("--log-level — одно из"), "\(option.stderr)")
        let english = try run(binDirectory + "/otklikd", ["--log-level", "x"], environment: ["LANG": "C.UTF-8"])
        #expect(english.stderr.contains("--log-level must be one of"), "\(english.stderr)")
        // A start refused: the data directory is held by a running daemon.
        let daemon = try DaemonProcess(arguments: [])
        defer { daemon.signal(SIGTERM); _ = daemon.wait() }
        let second = try run(
            binDirectory + "/otklikd",
            ["--data", daemon.dataDirectory, "--socket", daemon.directory + "/second.sock"],
            environment: ["LANG": "ru_RU.UTF-8"])
        #expect(second.status == 70 && second.stderr.contains("занят другим otklikd"), "\(second.stderr)")
    }
}

/// Units named by their titles in options, as the tables show them (issue 26, item 8).
@Suite struct UnitOptionTests {
    @Test func aUnitIsNamedByItsTitleInAnyFormOrByItsCode() throws {
        let (desk, routed, new) = try RussianWordsTests.office()
        func ids(_ arguments: [String]) throws -> [String] { try RussianWordsTests.listed(desk, arguments) }
        #expect(try ids(["--executor", "Дорожный отдел"]) == [routed])
        #expect(try ids(["--executor", "дорожного"]) == [routed], "another form of the title's first word")
        #expect(try ids(["--executor", "roads"]) == [routed])
        #expect(try ids(["--executor", "отдел"]).isEmpty, "the first word of «Отдел ЖКХ», which has nothing yet")
        let added = try DeskTests.otklik(
            desk, ["unit", "add", "transport", "--title", "Отдел транспорта", "--kind", "department"])
        #expect(added.status == 0, "\(added.stderr)")
        let both = try DeskTests.otklik(desk, ["case", "list", "--executor", "отдел"], as: "cur", russian: true)
        #expect(
            both.status == 64 && both.stderr.contains("Отдел транспорта (transport)")
                && both.stderr.contains("Отдел ЖКХ (housing)"), "\(both.stderr)")
        // Routing by title, the topic's unit too.
        let c = try DeskTests.otklik(
            desk, ["case", "route", new, "--executor", "Отдел ЖКХ", "--topic", "Отдел ЖКХ=ЖКХ", "-o", "json"], as: "cur"
        )
        #expect(c.status == 0, "\(c.stderr)")
        #expect(
            (DeskTests.object(c.stdout)["assignments"] as? [[String: Any]])?.first?["executor"] as? String == "housing")
    }
}
