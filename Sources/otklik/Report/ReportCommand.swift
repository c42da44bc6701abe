import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: Say.Report.reportsForTheHead.text(),
        subcommands: [Monthly.self])

    struct Monthly: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Report.theMonthlySummaryTimeliness.text(),
            discussion: Say.Report.oTableDefaultJson.text()
        )

        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Say.Report.theMonthYyyyMm.text()))
        var month: String?
        @Option(help: ArgumentHelp(Say.Report.firstDayYyyyMm.text())) var from: String?
        @Option(
            help: ArgumentHelp(
                Say.Report.theDayAfterThe.text())) var to: String?
        @Option(help: ArgumentHelp(Say.Report.onlyThisExecutorUnit.text()))
        var unit: String?
        @Option(
            help: ArgumentHelp(
                Say.Report.writeToThisFile.text())
        ) var out: String?

        func run() throws {
            var request = MonthlySummaryRequest()
            request.month = month ?? ""
            request.from = from ?? ""
            request.to = to ?? ""
            request.unit = unit ?? ""
            if global.output == .pdf, out == nil, Terminal.isTerminal {
                throw ValidationError(
                    Say.Report.aPdfGoesTo.text())
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
                    Say.Report.theDaemonSentA.text())
            }
            let document = ReportDocument(report: report, units: units, staff: staff)
            let bytes: Data
            switch global.output {
            case .table: bytes = Data(document.table().utf8)
            // jsonl never gets here: `Otklik.main` holds the report to its formats.
            case .json, .jsonl: bytes = Data(answer.json.utf8)
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

extension ReportCommand.Monthly: PrintsFormats {
    static let formats: [OutputFormat] = [.table, .json, .csv, .html, .pdf]
}
