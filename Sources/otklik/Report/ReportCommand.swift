import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: Say.Report.reportAbstract.text(),
        subcommands: [Monthly.self])

    struct Monthly: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Report.monthlyAbstract.text(),
            discussion: Say.Report.monthlyDiscussion.text()
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Report.monthHelp(TimeInput.monthForms).text())) var month: String?
        @Option(name: .customLong("month"), help: ArgumentHelp(Say.Report.monthHelp(TimeInput.monthForms).text()))
        var monthOption: String?
        @Option(help: ArgumentHelp(Say.Report.fromHelp.text())) var from: String?
        @Option(help: ArgumentHelp(Say.Report.toHelp.text())) var to: String?
        @Option(help: ArgumentHelp(Say.Report.unitHelp.text())) var unit: String?
        @Option(help: ArgumentHelp(Say.Report.outHelp.text())) var out: String?
        @Flag(help: ArgumentHelp(Say.Report.forceHelp.text())) var force = false

        /// The request's period: a month (`2026-12`, `12.2026`), or the first and the last day
        /// (`01.12.2026`, `2026-12-31`; the wire's `to` is the day after the last).
        func period() throws -> (month: String, from: String, to: String) {
            if month != nil, monthOption != nil { throw ValidationError(Say.Report.monthOnce.text()) }
            if let text = month ?? monthOption {
                guard from == nil, to == nil else { throw ValidationError(Say.General.monthOrFromTo.text()) }
                guard let first = TimeInput.month(text) else {
                    throw ValidationError(Say.General.isNotAMonth(text, TimeInput.monthForms).text())
                }
                return (String(first.iso.prefix(7)), "", "")
            }
            guard let from, let to else { throw ValidationError(Say.Report.givePeriod.text()) }
            guard let first = TimeInput.date(from) else {
                throw ValidationError(Say.Report.isNotADay("--from", from).text())
            }
            guard let last = TimeInput.date(to) else { throw ValidationError(Say.Report.isNotADay("--to", to).text()) }
            guard first <= last else {
                throw ValidationError(Say.General.periodEndsBeforeItStarts(from, to).text())
            }
            return ("", first.iso, last.adding(days: 1).iso)
        }

        func run() throws {
            var request = MonthlySummaryRequest()
            (request.month, request.from, request.to) = try period()
            request.unit = try unit.map { try UnitTitles.code($0, global, option: "--unit") } ?? ""
            // Said before the daemon computes anything: an existing file is kept unless --force.
            if let out, !force, FileManager.default.fileExists(atPath: out) {
                throw ValidationError(Say.Report.outExists(out).text())
            }
            if global.output == .pdf, out == nil, Terminal.isTerminal {
                throw ValidationError(
                    Say.Report.pdfNeedsOut.text())
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
                    Say.Report.unreadableReport.text())
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
                // Whole or not at all: written beside the file and renamed over it.
                let partial = out + ".partial"
                guard FileManager.default.createFile(atPath: partial, contents: bytes) else {
                    throw FileFailure.output(out)
                }
                guard rename(partial, out) == 0 else {
                    unlink(partial)
                    throw FileFailure.output(out)
                }
                Safe.printError(Say.Report.written(out, AttachmentRows.size(Int64(bytes.count))).text())
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
