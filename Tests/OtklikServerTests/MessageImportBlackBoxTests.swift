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
        #expect(table.stdout.contains("строка 5: не заполнено поле `author`"), "\(table.stdout)")
        #expect(table.stdout.contains("строка 7:") && table.stdout.contains("уже зарегистрированы: 4"))
        // An admin is told to import as a curator; the curator's control is not bypassed.
        let admin = try Self.otklik(desk, ["message", "import", file, "--apply"], as: nil)
        #expect(admin.status == 77 && admin.stderr.contains("--as"), "\(admin.stderr)")
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
        let undetected = try Self.otklik(desk, ["message", "import", json])
        #expect(undetected.status == 64 && undetected.stderr.contains("--format"), "\(undetected.stderr)")
    }
}
