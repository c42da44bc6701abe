import Foundation
import Testing

/// The report as a document (issue 26, item 11): words instead of keys, month names, and a PDF whose
/// pages keep headings with what follows them, the signature with the last chart, and every word on
/// the page.
@Suite struct ReportPagesTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    @Test func aLongReportReadsAsADocumentOnEveryPage() throws {
        let desk = try Desk(clock: "2026-12-01T08:00:00+03:00")
        // Forty topics make the dynamics run over a page; one case is not routed.
        for n in 1...40 {
            let id = try desk.register(n, detected: "2026-12-01T07:\(String(format: "%02d", n)):00+03:00")
            try desk.json([
                "case", "route", id, "--executor", n % 2 == 0 ? "roads" : "housing", "--topic",
                "\(n % 2 == 0 ? "roads" : "housing")=Тема номер \(n) с длинным названием для переноса",
            ])
        }
        // One case is not routed and has no topic.
        let untouched = try DeskTests.otklik(
            desk,
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_41", "--author", "Автор",
                "--text", "Без темы", "--detected-at", "2026-12-01T07:50:00+03:00",
            ], as: "cur")
        #expect(untouched.status == 0, "\(untouched.stderr)")
        let table = try DeskTests.otklik(desk, ["report", "monthly", "2026-12"], as: "cur", russian: true)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("исполнитель: не направлено"), "\(table.stdout)")
        #expect(table.stdout.contains("тема: без темы"), "\(table.stdout)")
        #expect(table.stdout.contains("январь 2026: 0") && table.stdout.contains("декабрь 2026: 41"), "\(table.stdout)")
        #expect(!table.stdout.contains(": -"), "no key left as a dash")
        let english = try DeskTests.otklik(desk, ["report", "monthly", "2026-12"], as: "cur")
        #expect(english.stdout.contains("executor: not routed") && english.stdout.contains("November 2026: "))

        let pdf = desk.daemon.directory + "/report.pdf"
        let made = try DeskTests.otklik(
            desk, ["report", "monthly", "2026-12", "-o", "pdf", "--out", pdf], as: "cur", russian: true)
        #expect(made.status == 0, "\(made.stderr)")
        let pages = try run("/usr/bin/pdftotext", ["-layout", pdf, "-"]).stdout.split(separator: "\u{0C}")
            .map(String.init).filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(pages.count >= 2, "the dynamics run over a page: \(pages.count)")
        let headings = [
            "Своевременность", "Качество", "Динамика", "Вовремя по подразделениям", "Сообщения за 12 месяцев",
        ]
        for (index, page) in pages.enumerated() {
            // The last line of text above the page number is never a heading left alone.
            let lines = page.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty && !$0.hasPrefix("Стр.")
            }
            #expect(!headings.contains(lines.last ?? ""), "page \(index + 1) ends with a heading")
        }
        let signed = try #require(pages.first { $0.contains("Ответственное лицо") })
        #expect(signed.contains("Сообщения за 12 месяцев"), "the signature stands with the last chart")
        // Every word inside the page's width (A4: 595 pt) less its margins: no text runs over a border.
        let boxes = try run("/usr/bin/pdftotext", ["-bbox", pdf, "-"]).stdout
        let right = boxes.split(separator: "\n").compactMap { line -> Double? in
            guard line.contains("<word"), let range = line.range(of: "xMax=\"") else { return nil }
            return Double(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(!right.isEmpty && right.allSatisfy { $0 <= 595 - 14 * 72 / 25.4 + 1 }, "\(right.max() ?? 0)")
    }
}
