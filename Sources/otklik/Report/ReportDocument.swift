import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk

/// The monthly summary as a document a head of the district signs (p.22): the period in words, units
/// by their titles, durations in working days, hours and minutes, shared ranks, figures whose
/// breakdowns add up, "as of", the responsible official and a signature line; as a terminal table,
/// CSV for a spreadsheet, or a self-contained A4 HTML page (the PDF is made from it).
struct ReportDocument {
    let report: MonthlyReport
    /// Unit titles by name.
    let titles: [String: String]
    /// Who signs: the active responsible official (p.22), the first by login when there are several.
    let signer: String?
    let russian: Bool

    init(report: MonthlyReport, units: [UnitView], staff: [StaffView], language: Language = .current) {
        self.report = report
        titles = Dictionary(units.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
        signer =
            staff.filter { $0.active && $0.roles.contains(.responsible) }.sorted { $0.login < $1.login }.first?
            .fullName
        russian = language == .russian
    }

    private var language: Language { russian ? .russian : .english }

    // MARK: Words

    var firstDay: LocalDate? { LocalDate(iso: report.from.prefix(10)) }
    /// The period's last day: the day before `to` (exclusive).
    var lastDay: LocalDate? { LocalDate(iso: report.to.prefix(10)).map { $0.adding(days: -1) } }

    var title: String {
        guard let first = firstDay, let last = lastDay else { return report.period }
        return DocumentWords.title(period: report.period, first: first, last: last, in: language)
    }

    var period: String {
        guard let first = firstDay, let last = lastDay else { return "\(report.from) — \(report.to)" }
        return DocumentWords.period(first: first, last: last, in: language)
    }

    var asOf: String? { report.asOf.map { DocumentWords.moment($0, in: language) } }

    /// A unit by its title; "-" (the report's key for a case no unit held) as "не направлено".
    func unit(_ name: String) -> String {
        if name == "curator centre" { return Say.Report.curatorCentre.text(in: language) }
        if name == "-" { return Say.Report.notRouted.text(in: language) }
        return titles[name].map { $0.isEmpty ? name : $0 } ?? name
    }

    /// "2 из 3 (67 %)": rounded as the places are given (`Share.percent`).
    func share(_ s: MonthlyReport.Share) -> String {
        guard let percent = s.percent else { return "—" }
        return Say.Report.share(s.count, of: s.of, percent: percent).text(in: language)
    }

    func duration(_ minutes: Int64?) -> String {
        minutes.map { DocumentWords.workingDuration(minutes: $0, in: language) } ?? "—"
    }

    /// A clock's line heading: its name and the regulation's paragraphs (`ClockSpec.clause`).
    func clock(_ key: String) -> String {
        let name = Wire.ClockKind(name: key)?.phrase.text(in: language) ?? key
        return ClockKind(rawValue: key).map { Say.Report.clockHeading(name, clause: $0.spec.clause).text(in: language) }
            ?? name
    }

    /// A key of the dynamics in words: networks, importance, units, reasons spoken; topics as given.
    func key(_ key: String, of dimension: String) -> String {
        switch dimension {
        case "network": NetworkNames.phrases[key]?.text(in: language) ?? key
        case "importance": Wire.Importance(name: key)?.phrase.text(in: language) ?? key
        case "executor": unit(key)
        case "rejected": Wire.RejectionReason(name: key)?.phrase.text(in: language) ?? key
        case "topic" where key == "-": Say.Report.noTopic.text(in: language)
        // Topics and any other dimension: as given.
        default: key
        }
    }

    func returnReason(_ key: String) -> String { Wire.ReturnReason(name: key)?.phrase.text(in: language) ?? key }

    /// A figure's breakdown "Отдел ЖКХ 1, Дорожный отдел 1", in order of the units' titles.
    func breakdown(_ counts: [String: Int]) -> String {
        counts.map { (unit($0.key), $0.value) }.sorted { $0.0 < $1.0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }

    /// The rows of the quality section: (label, value); each breakdown adds up to the figure it follows.
    var qualityRows: [(String, String)] {
        let q = report.quality
        var rows: [(String, String)] = [
            (Say.Report.draftsSubmitted.text(in: language), String(q.draftsSubmitted)),
            (Say.Report.approvedAtFirstSubmission.text(in: language), share(q.approvedAtFirstSubmission)),
            (
                Say.Report.returnsForRework.text(in: language),
                q.returnsByReason.isEmpty
                    ? "0"
                    : "\(q.returnsByReason.values.reduce(0, +)): "
                        + q.returnsByReason.sorted { $0.key < $1.key }.map { "\(returnReason($0.key)) \($0.value)" }
                        .joined(separator: ", ")
            ),
            (
                Say.Report.repliesWithEvidence.text(in: language),
                share(q.repliesWithAttachments)
                    + (q.repliesWithAttachmentsByUnit.isEmpty
                        ? ""
                        : "; "
                            + q.repliesWithAttachmentsByUnit.map { (unit($0.key), $0.value) }.sorted { $0.0 < $1.0 }
                            .map { Say.Report.unitShare($0.0, $0.1.count, of: $0.1.of).text(in: language) }.joined(
                                separator: ", "))
            ),
            (Say.Report.evidenceRuleWaived.text(in: language), String(q.evidenceWaived)),
            (
                Say.Report.formalAnswers.text(in: language),
                Say.Report.formalAnswerFigures(
                    flagged: q.draftsFlagged, returned: q.returnsByReason[ReturnReason.formal.rawValue] ?? 0,
                    published: q.publishedWithFindings
                ).text(in: language)
            ),
            (
                Say.Report.incidents.text(in: language),
                Say.Report.incidentFigures(incidents: q.incidents, cases: q.incidentCases).text(in: language)
            ),
            (Say.Report.repeatMessages.text(in: language), String(q.repeats)),
        ]
        if !q.repeatsByUnit.isEmpty {
            // A repeat counts once above and against every unit that answered the first message here.
            rows.append(
                (
                    Say.Report.repeatsByUnit.text(in: language),
                    "\(q.repeatsByUnit.values.reduce(0, +)): " + breakdown(q.repeatsByUnit)
                ))
        }
        rows.append(
            (
                Say.Report.intermediateToFinalInTime.text(in: language),
                share(q.intermediateToFinalInTime)
            ))
        rows.append(
            (Say.Report.closedWithoutAnswer.text(in: language), String(q.closedWithoutAnswer)))
        return rows
    }

    var dynamicsRows: [[String]] {
        let d = report.dynamics
        var rows: [[String]] = [
            [
                Say.Report.messages.text(in: language), String(d.messages.this), String(d.messages.previousMonth),
                String(d.messages.yearBefore),
            ],
            [
                Say.Report.withdrawnByMistake.text(in: language), String(d.withdrawn.this),
                String(d.withdrawn.previousMonth), String(d.withdrawn.yearBefore),
            ],
        ]
        for (dimension, label, lines) in [
            ("topic", Say.Report.topic.text(in: language), d.byTopic),
            ("network", Say.Report.network.text(in: language), d.byNetwork),
            ("importance", Say.Report.importance.text(in: language), d.byImportance),
            ("executor", Say.Report.executor.text(in: language), d.byExecutor),
            ("rejected", Say.Common.rejected.text(in: language), d.rejectedByReason),
        ] {
            for line in lines {
                rows.append([
                    "\(label): \(key(line.key, of: dimension))", String(line.this), String(line.previousMonth),
                    String(line.yearBefore),
                ])
            }
        }
        return rows
    }

    var unitRows: [[String]] {
        report.timeliness.units.map {
            [unit($0.unit), share($0.onTime), $0.rank.map(String.init) ?? Say.Report.tooFewToRank.text(in: language)]
        }
    }

    var signatureLine: String {
        let name = signer.map(DocumentWords.initials) ?? "____________________"
        return Say.Report.signature(name).text(in: language)
    }

    // MARK: Table

    func table() -> String {
        var out = [Terminal.bold(title), period + (report.unit.map { " · \(unit($0))" } ?? "")]
        if let asOf { out.append(Say.Report.asOf(asOf).text(in: language)) }
        out.append(Say.Report.regulationLine.text(in: language))
        out += ["", Terminal.bold(Say.Report.timeliness.text(in: language))]
        out.append(
            Render.columns(
                [
                    Say.Report.termColumn.text(in: language), Say.Report.partyColumn.text(in: language),
                    Say.Report.ranColumn.text(in: language), Say.Report.onTimeColumn.text(in: language),
                    Say.Report.lateColumn.text(in: language), Say.Report.overdue.text(in: language),
                    Say.Report.medianLatenessColumn.text(in: language),
                    Say.Report.worstColumn.text(in: language),
                ],
                report.timeliness.clocks.map {
                    [
                        clock($0.clock), unit($0.party), String($0.ran), share($0.shareOnTime), String($0.late),
                        String($0.openOverdue), duration($0.medianLateMinutes), duration($0.worstLateMinutes),
                    ]
                }))
        out.append("")
        out.append(
            Render.columns(
                [
                    Say.Report.unitColumn.text(in: language), Say.Report.onTimeColumn.text(in: language),
                    Say.Report.placeColumn.text(in: language),
                ], unitRows))
        out.append(
            Say.Report.averageToFirstReply(
                duration(report.timeliness.averageMinutesToFirstReply), replies: report.timeliness.firstReplies
            ).text(in: language))
        out += ["", Terminal.bold(Say.Report.quality.text(in: language)), Render.keyValues(qualityRows)]
        out += ["", Terminal.bold(Say.Report.dynamics.text(in: language))]
        out.append(
            Render.columns(
                [
                    "", Say.Report.thisPeriodColumn.text(in: language), Say.Report.monthBeforeColumn.text(in: language),
                    Say.Report.yearBeforeColumn.text(in: language),
                ],
                dynamicsRows))
        out.append(
            Say.Report.monthsSeries(
                report.dynamics.series.map { "\(DocumentWords.month($0.month, in: language)): \($0.messages)" }
                    .joined(separator: ", ")
            ).text(in: language))
        if let missing = report.clocksNotComputed, !missing.isEmpty {
            out.append("")
            out.append(Say.Report.clocksNotComputed(missing.joined(separator: ", ")).text(in: language))
        }
        out += ["", signatureLine]
        return out.joined(separator: "\n")
    }

    // MARK: CSV

    /// The document's tables as a spreadsheet opens them (UTF-8 with a BOM, `;` and Russian headings
    /// under a Russian locale): a block per table, its heading row, then its rows; counts, shares and
    /// lateness as numbers in columns of their own, so a spreadsheet can sum and sort them; words as
    /// the document says them. Programs read `-o json`.
    func csv() -> String {
        let separator: Character = russian ? ";" : ","
        let r = report
        func say(_ phrase: Phrase) -> String { phrase.text(in: language) }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "" }
        func number(_ value: Int64?) -> String { value.map(String.init) ?? "" }
        var rows: [[String]] = [[title], [period + (r.unit.map { " · \(unit($0))" } ?? "")]]
        if let asOf { rows.append([say(Say.Report.asOf(asOf))]) }
        rows += [[], [say(Say.Report.timeliness)]]
        rows.append(Say.Report.csvClockHeadings.map(say))
        for line in r.timeliness.clocks {
            rows.append([
                clock(line.clock), unit(line.party), String(line.ran), String(line.shareOnTime.count),
                String(line.shareOnTime.of), number(line.shareOnTime.percent), String(line.late),
                String(line.openOverdue),
                number(line.medianLateMinutes), number(line.worstLateMinutes),
            ])
        }
        rows += [[], [say(Say.Report.onTimeByUnit)], Say.Report.csvUnitHeadings.map(say)]
        for line in r.timeliness.units {
            rows.append([
                unit(line.unit), String(line.onTime.count), String(line.onTime.of), number(line.onTime.percent),
                line.rank.map(String.init) ?? say(Say.Report.tooFewToRank),
            ])
        }
        rows.append([
            say(Say.Report.averageToFirstReplyHeading),
            number(r.timeliness.averageMinutesToFirstReply),
        ])
        rows += [[], [say(Say.Report.quality)]]
        rows += qualityRows.map { [$0.0, $0.1] }
        rows += [[], [say(Say.Report.dynamics)]]
        rows.append(["", "", say(Say.Report.thisPeriod), say(Say.Report.monthBefore), say(Say.Report.yearBefore)])
        let d = r.dynamics
        rows.append([
            say(Say.Report.messages), "", String(d.messages.this), String(d.messages.previousMonth),
            String(d.messages.yearBefore),
        ])
        rows.append([
            say(Say.Report.withdrawnByMistake), "", String(d.withdrawn.this),
            String(d.withdrawn.previousMonth),
            String(d.withdrawn.yearBefore),
        ])
        for (dimension, label, lines) in [
            ("topic", Say.Report.topic, d.byTopic), ("network", Say.Report.network, d.byNetwork),
            ("importance", Say.Report.importance, d.byImportance), ("executor", Say.Report.executor, d.byExecutor),
            ("rejected", Say.Common.rejected, d.rejectedByReason),
        ] {
            for line in lines {
                rows.append([
                    say(label), key(line.key, of: dimension), String(line.this), String(line.previousMonth),
                    String(line.yearBefore),
                ])
            }
        }
        rows += [[], [say(Say.Report.messagesOverMonths)]]
        rows += d.series.map { [DocumentWords.month($0.month, in: language), String($0.messages)] }
        if let missing = r.clocksNotComputed, !missing.isEmpty {
            rows += [[], [say(Say.Report.clocksNotComputed(missing.joined(separator: ", ")))]]
        }
        rows += [[], [signatureLine]]
        return "\u{FEFF}"
            + rows.map { CSV.line($0.map(CSV.inert), separator: separator) }.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: HTML

    /// A self-contained printable A4 page (charts as inline SVG, page numbers when printed).
    func html() -> String {
        let e = HTMLPage.escaped, table = HTMLPage.table, bars = HTMLPage.bars
        var body = "<h1>\(e(title))</h1>"
        body +=
            "<p class=\"period\">\(report.unit.map { Say.Report.periodOfUnit(e(period), e(unit($0))).text(in: language) } ?? e(period))"
            + (asOf.map { "<br>\(Say.Report.asOf(e($0)).text(in: language))" } ?? "")
            + "<br>\(Say.Report.documentSubtitle.text(in: language))</p>"
        body += "<h2>\(Say.Report.timeliness.text(in: language))</h2>"
        body += table(
            [
                Say.Report.term.text(in: language), Say.Report.party.text(in: language),
                Say.Report.ran.text(in: language), Say.Report.onTime.text(in: language),
                Say.Report.late.text(in: language), Say.Report.overdueAtTheEnd.text(in: language),
                Say.Report.medianLateness.text(in: language), Say.Report.worst.text(in: language),
            ],
            report.timeliness.clocks.map {
                [
                    clock($0.clock), unit($0.party), String($0.ran), share($0.shareOnTime), String($0.late),
                    String($0.openOverdue), duration($0.medianLateMinutes), duration($0.worstLateMinutes),
                ]
            })
        body += "<h3>\(Say.Report.onTimeByUnit.text(in: language))</h3>"
        body += table(
            [
                Say.Common.unit.text(in: language), Say.Report.onTime.text(in: language),
                Say.Common.place.text(in: language),
            ], unitRows)
        body += bars(
            report.timeliness.units.map {
                (
                    unit($0.unit), $0.onTime.of == 0 ? 0 : Double($0.onTime.count) / Double($0.onTime.of),
                    share($0.onTime)
                )
            })
        body +=
            "<p>\(Say.Report.averageToFirstReply(e(duration(report.timeliness.averageMinutesToFirstReply))).text(in: language))</p>"
        body += "<h2>\(Say.Report.quality.text(in: language))</h2>"
        body += "<table>" + qualityRows.map { "<tr><td>\(e($0.0))</td><td>\(e($0.1))</td></tr>" }.joined() + "</table>"
        body += "<h2>\(Say.Report.dynamics.text(in: language))</h2>"
        body += table(
            [
                "", Say.Report.thisPeriod.text(in: language), Say.Report.monthBefore.text(in: language),
                Say.Report.yearBefore.text(in: language),
            ], dynamicsRows)
        // The last chart and the signature on one page: a signature never stands alone.
        body += "<div class=\"end\"><h3>\(Say.Report.messagesOverMonths.text(in: language))</h3>"
        body += bars(
            report.dynamics.series.map {
                (DocumentWords.month($0.month, in: language), Double($0.messages), String($0.messages))
            })
        body +=
            "<div class=\"sign\"><p>\(e(signatureLine))</p><p>\(Say.Report.dateBlank.text(in: language))</p></div></div>"
        return HTMLPage.document(
            title: title, body: body, language: russian ? "ru" : "en",
            pageNumbers: Say.Report.pageNumbers.text(in: language))
    }
}

/// The parts of the report's printable page: escaped text, a table whose heading repeats on every page,
/// horizontal bars as inline SVG, and the A4 document around them.
enum HTMLPage {
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Bars of (label, value, the value as shown), the longest the largest value.
    static func bars(_ items: [(String, Double, String)]) -> String {
        guard !items.isEmpty else { return "<p>—</p>" }
        let width = 600
        let maxValue = max(items.map(\.1).max() ?? 1, 1)
        let rowHeight = 22, labelWidth = 220
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(items.count * rowHeight + 4)\" role=\"img\">"
        for (index, item) in items.enumerated() {
            let y = index * rowHeight + 2
            let length = Int(Double(width - labelWidth - 120) * item.1 / maxValue)
            svg +=
                "<text x=\"0\" y=\"\(y + 15)\" font-size=\"11\">\(escaped(TextLayout.snippet(item.0, characters: 32)))</text>"
            svg +=
                "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(length, 1))\" height=\"16\" fill=\"#3b6ea5\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\" font-size=\"11\">\(escaped(item.2))</text>"
        }
        return svg + "</svg>"
    }

    /// The heading row repeats on every page a table runs onto; a row is never split across pages.
    static func table(_ head: [String], _ rows: [[String]]) -> String {
        "<table><thead><tr>" + head.map { "<th>\(escaped($0))</th>" }.joined() + "</tr></thead><tbody>"
            + rows.map { "<tr>" + $0.map { "<td>\(escaped($0))</td>" }.joined() + "</tr>" }.joined()
            + "</tbody></table>"
    }

    /// A self-contained A4 document: `body` with its style, page numbers in the bottom right when printed.
    static func document(title: String, body: String, language: String, pageNumbers pages: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language)"><head><meta charset="utf-8"><title>\(escaped(title))</title>
        <style>@page { size: A4; margin: 15mm 14mm 18mm; @bottom-right { content: \(pages); font-size: 9pt } }
        body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111 }
        table { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 9pt }
        td, th { border: 1px solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; hyphens: auto; overflow-wrap: break-word; word-break: break-word }
        th { background: #eee; font-weight: bold } tr { break-inside: avoid } thead { display: table-header-group }
        h1 { font-size: 15pt; margin-bottom: 2pt } h2 { font-size: 13pt; margin-top: 14pt } h3 { font-size: 11pt }
        h1, h2, h3 { break-after: avoid; page-break-after: avoid }
        .period { margin-top: 0 } .sign { margin-top: 28pt } .end { break-inside: avoid; page-break-inside: avoid }</style></head>
        <body>\(body)</body></html>
        """
    }
}

/// A PDF from the report's HTML through WeasyPrint (Debian's `weasyprint`; the setup script
/// installs it): the same document, page numbers included.
enum PDF {
    static func render(html: String) throws -> Data {
        // A directory only this user may enter (mkdtemp: 0700, created atomically): the report names
        // citizens and staff, and other users of the machine must not read it while it renders.
        var template = Array(
            FileManager.default.temporaryDirectory.appendingPathComponent("otklik-report-XXXXXX").path.utf8CString)
        // Safe to unwrap: the template holds the path and its NUL, so the buffer is not empty.
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw FileFailure(
                message: Say.Report.pdfFailed(String(cString: strerror(errno))).text(), code: 73)
        }
        let directory = URL(fileURLWithPath: String(cString: made))
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("report.html"),
            output = directory.appendingPathComponent("report.pdf")
        guard
            FileManager.default.createFile(
                atPath: input.path, contents: Data(html.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw FileFailure(message: Say.Report.pdfFailed(input.path).text(), code: 73)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["weasyprint", "--quiet", input.path, output.path]
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Self.missing
        }
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let pdf = FileManager.default.contents(atPath: output.path) else {
            if process.terminationStatus == 127 { throw Self.missing }
            throw ValidationError(
                Say.Report.pdfFailed(
                    String(decoding: said, as: UTF8.self).split(separator: "\n").prefix(3).joined(separator: " ")
                ).text())
        }
        return pdf
    }

    static var missing: FileFailure {
        FileFailure(
            message: Say.Report.weasyprintMissing.text(), code: 69)
    }
}
