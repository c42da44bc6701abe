import Foundation
import Testing

/// Periods as people write them (issue 26, item 7): a date alone as the end of a period takes in that
/// whole day, everywhere a period is asked for; `--month` where a month is meant.
@Suite struct PeriodTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    /// Four cases around December 2026: one just before it, its first and last day, one just after.
    static func december() throws -> (desk: Desk, inside: Set<String>) {
        let desk = try Desk(clock: "2026-11-30T23:35:00+03:00")
        _ = try desk.register(1, detected: "2026-11-30T23:30:00+03:00")
        try desk.at("2026-12-01T10:05:00+03:00")
        let first = try desk.register(2, detected: "2026-12-01T10:00:00+03:00")
        try desk.at("2026-12-31T23:05:00+03:00")
        let last = try desk.register(3, detected: "2026-12-31T23:00:00+03:00")
        try desk.at("2027-01-01T00:35:00+03:00")
        _ = try desk.register(4, detected: "2027-01-01T00:30:00+03:00")
        return (desk, [first, last])
    }

    static func ids(_ answer: String, key: String) -> Set<String> {
        Set((DeskTests.object(answer)[key] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    }

    @Test func aDateAloneAsTheEndTakesInThatWholeDay() throws {
        let (desk, inside) = try Self.december()
        for russian in [false, true] {
            let list = try DeskTests.otklik(
                desk, ["case", "list", "--from", "01.12.2026", "--to", "31.12.2026", "-o", "json"], as: "cur",
                russian: russian)
            #expect(list.status == 0, "\(list.stderr)")
            #expect(Self.ids(list.stdout, key: "cases") == inside, "the case of 31.12 23:00 is in December")
            // What the date was taken for is said, in the reader's language.
            #expect(
                list.stderr.contains(
                    russian
                        ? "--to 31.12.2026 = весь этот день, до 2027-01-01T00:00:00+03:00"
                        : "--to 31.12.2026 = the whole of that day, up to 2027-01-01T00:00:00+03:00"),
                "\(list.stderr)")
        }
        // A time given is the time meant.
        let timed = try DeskTests.otklik(
            desk, ["case", "list", "--from", "2026-12-01", "--to", "31.12.2026 12:00", "-o", "json"], as: "cur")
        #expect(Self.ids(timed.stdout, key: "cases").count == 1)
        // The search and the export read the period the same way.
        let search = try DeskTests.otklik(
            desk, ["case", "search", "Сообщение", "--from", "2026-12-01", "--to", "2026-12-31", "-o", "json"],
            as: "cur")
        #expect(search.status == 0, "\(search.stderr)")
        let hits = Set(
            (DeskTests.object(search.stdout)["hits"] as? [[String: Any]] ?? []).compactMap {
                ($0["case"] as? String) ?? (($0["case"] as? [String: Any])?["id"] as? String)
            })
        #expect(hits == inside, "\(search.stdout)")
        let export = try DeskTests.otklik(
            desk, ["export", "cases", "--from", "01.12.2026", "--to", "31.12.2026", "-o", "jsonl"], as: nil)
        #expect(export.status == 0, "\(export.stderr)")
        let rows = export.stdout.split(separator: "\n").map { DeskTests.object(String($0)) }
        #expect(Set(rows.compactMap { $0["case"] as? String }) == inside)
        // A period that ends before it starts is said to.
        let backwards = try DeskTests.otklik(
            desk, ["case", "list", "--from", "31.12.2026", "--to", "01.12.2026"], as: "cur", russian: true)
        #expect(backwards.status == 64 && backwards.stderr.contains("период кончается раньше"), "\(backwards.stderr)")
    }

    @Test func aMonthIsAskedForAsAMonth() throws {
        let (desk, inside) = try Self.december()
        for month in ["2026-12", "12.2026"] {
            let list = try DeskTests.otklik(desk, ["case", "list", "--month", month, "-o", "json"], as: "cur")
            #expect(list.status == 0, "\(list.stderr)")
            #expect(Self.ids(list.stdout, key: "cases") == inside, "\(month)")
            let export = try DeskTests.otklik(desk, ["export", "cases", "--month", month, "-o", "jsonl"], as: nil)
            let rows = export.stdout.split(separator: "\n").map { DeskTests.object(String($0)) }
            #expect(Set(rows.compactMap { $0["case"] as? String }) == inside, "\(month)")
        }
        // Either a month or a period, and an export names its period.
        let both = try DeskTests.otklik(
            desk, ["case", "list", "--month", "2026-12", "--from", "01.12.2026"], as: "cur", russian: true)
        #expect(both.status == 64 && both.stderr.contains("либо --month, либо --from и --to"), "\(both.stderr)")
        let wrong = try DeskTests.otklik(desk, ["case", "list", "--month", "13.2026"], as: "cur")
        #expect(wrong.status == 64 && wrong.stderr.contains("--month 13.2026 is not a month"), "\(wrong.stderr)")
        let none = try DeskTests.otklik(desk, ["export", "cases", "--from", "01.12.2026"], as: nil, russian: true)
        #expect(none.status == 64 && none.stderr.contains("укажите период выгрузки"), "\(none.stderr)")
    }

    @Test func theReportTakesItsPeriodAsPeopleWriteIt() throws {
        let (desk, _) = try Self.december()
        func report(_ arguments: [String], russian: Bool = false) throws -> (
            status: Int32, stdout: String, stderr: String
        ) {
            try DeskTests.otklik(desk, ["report", "monthly"] + arguments, as: "cur", russian: russian)
        }
        let month = try report(["2026-12", "-o", "json"])
        #expect(month.status == 0, "\(month.stderr)")
        // The last day is the last day: the same figures as the month, over the same instants.
        for arguments in [
            ["--month", "12.2026"], ["--from", "01.12.2026", "--to", "31.12.2026"],
            ["--from", "2026-12-01", "--to", "2026-12-31"],
        ] {
            let other = try report(arguments + ["-o", "json"])
            #expect(other.status == 0, "\(arguments): \(other.stderr)")
            let a = DeskTests.object(month.stdout), b = DeskTests.object(other.stdout)
            #expect(a["from"] as? String == b["from"] as? String && a["to"] as? String == b["to"] as? String)
            #expect(
                (a["timeliness"] as? NSDictionary) == (b["timeliness"] as? NSDictionary)
                    && (a["timeliness"] as? NSDictionary) != nil, "\(arguments)")
            if arguments.contains("--from") {
                #expect(b["period"] as? String == "2026-12-01..2026-12-31", "named by its last day")
            }
        }
        // A month that has not begun has no figures to report; an unknown unit none either.
        let future = try report(["2027-02"], russian: true)
        #expect(future.status != 0 && future.stderr.contains("ещё не начался"), "\(future.stderr)")
        let unknown = try report(["2026-12", "--unit", "nosuch"], russian: true)
        #expect(
            unknown.status != 0 && unknown.stderr.contains("«nosuch»") && unknown.stderr.contains("roads"),
            "\(unknown.stderr)")
        let curators = try report(["2026-12", "--unit", "curator-centre"])
        #expect(curators.status != 0, "the curator centre answers for no assignment")
        #expect(try report(["2026-12", "--unit", "roads", "-o", "json"]).status == 0)
        // --out says what it wrote and keeps an existing file unless --force.
        let out = desk.daemon.directory + "/report.csv"
        let written = try report(["2026-12", "-o", "csv", "--out", out], russian: true)
        #expect(written.status == 0 && written.stderr.contains("Записано: \(out) ("), "\(written.stderr)")
        try "keep me".write(toFile: out, atomically: true, encoding: .utf8)
        let kept = try report(["2026-12", "-o", "csv", "--out", out], russian: true)
        #expect(kept.status == 64 && kept.stderr.contains("--force"), "\(kept.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")
        let forced = try report(["2026-12", "-o", "csv", "--out", out, "--force"])
        #expect(forced.status == 0 && forced.stderr.contains("Written: \(out)"), "\(forced.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) != "keep me")
        #expect(!FileManager.default.fileExists(atPath: out + ".partial"))
    }
}
