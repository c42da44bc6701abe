import Foundation
import Testing

/// `case search` as people use it (issue 26, item 9): Russian word forms found, the matched words
/// marked in brackets in a pipe (never with «», which citizens write), the query's syntax in `--help`.
@Suite struct SearchDeskTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    static func register(_ desk: Desk, _ n: Int, _ text: String, at: String) throws -> String {
        let c = try desk.json([
            "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_\(n)", "--author", "Житель \(n)",
            "--text", text, "--detected-at", at, "--topic", "дороги",
        ])
        return try #require(c["id"] as? String)
    }

    @Test func wordFormsAreFoundAndTheirPlacesMarked() throws {
        let desk = try Desk(clock: "2026-12-01T12:00:00+03:00")
        let school = try Self.register(desk, 1, "Огромная яма у школы, «опасно»", at: "2026-12-01T09:00:00+03:00")
        let pits = try Self.register(desk, 2, "Ямы на дороге к школе", at: "2026-12-01T10:00:00+03:00")
        _ = try Self.register(desk, 3, "Не горит фонарь", at: "2026-12-01T11:00:00+03:00")
        for russian in [false, true] {
            let table = try DeskTests.otklik(desk, ["case", "search", "яма школа"], as: "cur", russian: russian)
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("Огромная [яма] у [школы], «опасно»"), "\(table.stdout)")
            #expect(table.stdout.contains("[Ямы] на дороге к [школе]"), "\(table.stdout)")
            #expect(!table.stdout.contains("\u{1B}["), "no bold in a pipe")
        }
        // JSON: the snippet plain, the marks by place; newest first.
        let json = try DeskTests.otklik(desk, ["case", "search", "ямы", "-o", "json"], as: "cur")
        let hits = DeskTests.object(json.stdout)["hits"] as? [[String: Any]] ?? []
        #expect(hits.compactMap { ($0["case"] as? [String: Any])?["id"] as? String } == [pits, school])
        #expect(hits.first?["snippet"] as? String == "Ямы на дороге к школе")
        let marks = hits.first?["marks"] as? [[String: Any]] ?? []
        #expect(marks.map { [$0["start"] as? Int, $0["length"] as? Int] } == [[0, 3]])
        // In quotes, that form only.
        let exact = try DeskTests.otklik(desk, ["case", "search", "\"ямы\"", "-o", "json"], as: "cur")
        #expect((DeskTests.object(exact.stdout)["hits"] as? [[String: Any]])?.count == 1)
        // The syntax is in the help, in the reader's language.
        let help = try run(
            binDirectory + "/otklik", ["case", "search", "--help"], environment: ["LANG": "ru_RU.UTF-8"])
        #expect(help.stdout.contains("форме") && help.stdout.contains("кавычках"), "\(help.stdout)")
        let english = try run(binDirectory + "/otklik", ["case", "search", "--help"], environment: ["LANG": "C.UTF-8"])
        #expect(english.stdout.contains("forms") && english.stdout.contains("quotes"))
    }
}
