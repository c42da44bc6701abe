import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: Language.text("Reports for the head of the district (p.22).", "Отчёты для главы района (п. 22)."),
        subcommands: [Monthly.self])

    struct Monthly: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "The monthly summary: timeliness, quality, dynamics.",
                "Месячная сводка: своевременность, качество, динамика."),
            discussion: Language.text(
                "-o table (default), json (docs/REPORTS.md lists the keys), csv (UTF-8 with BOM; ';' and Russian headers under a Russian locale), html (a printable A4 document), pdf (the same document through WeasyPrint; --out FILE.pdf).",
                "-o table (по умолчанию), json (ключи перечислены в docs/REPORTS.md), csv (UTF-8 с BOM; ';' и русские заголовки при русской локали), html (документ для печати на A4), pdf (тот же документ через WeasyPrint; --out ФАЙЛ.pdf)."
            )
        )

        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Language.text("The month, YYYY-MM (or use --from and --to).", "Месяц, ГГГГ-ММ (или --from и --to).")))
        var month: String?
        @Option(help: ArgumentHelp(Language.text("First day, YYYY-MM-DD.", "Первый день, ГГГГ-ММ-ДД."))) var from:
            String?
        @Option(
            help: ArgumentHelp(
                Language.text("The day after the last, YYYY-MM-DD.", "День после последнего, ГГГГ-ММ-ДД."))) var to:
            String?
        @Option(help: ArgumentHelp(Language.text("Only this executor unit.", "Только это подразделение-исполнитель.")))
        var unit: String?
        @Option(
            help: ArgumentHelp(
                Language.text("Write to this file instead of the terminal.", "Записать в этот файл, а не на терминал."))
        ) var out: String?

        func run() throws {
            var request = MonthlySummaryRequest()
            request.month = month ?? ""
            request.from = from ?? ""
            request.to = to ?? ""
            request.unit = unit ?? ""
            if global.output == .pdf, out == nil, Terminal.isTerminal {
                throw ValidationError(
                    Language.text(
                        "a PDF goes to a file: give --out FILE.pdf", "PDF записывается в файл: укажите --out ФАЙЛ.pdf"))
            }
            let (answer, units, staff) = try global.withClient { client throws(RPCError) in
                let answer = try client.call(ReportsService.monthlySummary, request)
                // The document names units by their titles and the official who signs it.
                let units = try client.call(DirectoryService.listUnits, ListRequest()).units
                let staff = try client.call(DirectoryService.listStaff, ListRequest()).staff
                return (answer, units, staff)
            }
            guard let report = try? JSONDecoder().decode(MonthlyReport.self, from: Data(answer.json.utf8)) else {
                throw ValidationError(
                    Language.text(
                        "the daemon sent a report this CLI cannot read (a newer schema?)",
                        "демон прислал сводку, которую эта версия CLI не читает (новая схема?)"))
            }
            let document = ReportDocument(report: report, units: units, staff: staff)
            let bytes: Data
            switch global.output {
            case .table: bytes = Data(document.table().utf8)
            case .json: bytes = Data(answer.json.utf8)
            case .csv: bytes = Data(document.csv().utf8)
            case .html: bytes = Data(document.html().utf8)
            case .pdf: bytes = try PDF.render(html: document.html())
            }
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: bytes) else {
                    throw FileFailure.output(out)
                }
            } else if global.output == .table {
                Terminal.show(String(decoding: bytes, as: UTF8.self))
            } else {
                // CSV, HTML, JSON and PDF are data, escaped in their own way.
                FileHandle.standardOutput.write(bytes)
                if global.output != .pdf { print() }
            }
        }
    }
}
