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

    func t(_ english: String, _ russian: String) -> String { self.russian ? russian : english }
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

    func unit(_ name: String) -> String {
        if name == "curator centre" || name == "-" { return t("curator centre", "центр управления регионом") }
        return titles[name].map { $0.isEmpty ? name : $0 } ?? name
    }

    func share(_ s: MonthlyReport.Share) -> String {
        guard s.of > 0 else { return "—" }
        return "\(s.count) \(t("of", "из")) \(s.of) (\(s.count * 100 / s.of) %)"
    }

    func duration(_ minutes: Int64?) -> String {
        minutes.map { DocumentWords.workingDuration(minutes: $0, in: language) } ?? "—"
    }

    static let clauses: [String: String] = [
        "route": "п. 7", "reply": "п. 8, 9", "draft": "п. 11, 12", "review": "п. 13", "rework": "п. 14",
        "publish": "п. 15", "final_draft": "п. 16",
    ]

    func clock(_ key: String) -> String {
        let name = Wire.ClockKind(name: key)?.phrase.text(in: language) ?? key
        return Self.clauses[key].map { "\(name) (\(russian ? $0 : $0.replacingOccurrences(of: "п.", with: "p.")))" }
            ?? name
    }

    /// A key of the dynamics in words: networks, importance, units, reasons spoken; topics as given.
    func key(_ key: String, of dimension: String) -> String {
        switch dimension {
        case "network": NetworkNames.phrases[key]?.text(in: language) ?? key
        case "importance": Wire.Importance(name: key)?.phrase.text(in: language) ?? key
        case "executor": unit(key)
        case "rejected": Wire.RejectionReason(name: key)?.phrase.text(in: language) ?? key
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
            (t("Drafts submitted", "Представлено проектов ответов"), String(q.draftsSubmitted)),
            (t("Approved at first submission", "Согласовано с первого раза"), share(q.approvedAtFirstSubmission)),
            (
                t("Returns for rework", "Возвращено на доработку"),
                q.returnsByReason.isEmpty
                    ? "0"
                    : "\(q.returnsByReason.values.reduce(0, +)): "
                        + q.returnsByReason.sorted { $0.key < $1.key }.map { "\(returnReason($0.key)) \($0.value)" }
                        .joined(separator: ", ")
            ),
            (
                t("Replies with a photo or video (p.19)", "Ответы с фото- или видеоматериалами (п. 19)"),
                share(q.repliesWithAttachments)
                    + (q.repliesWithAttachmentsByUnit.isEmpty
                        ? ""
                        : "; "
                            + q.repliesWithAttachmentsByUnit.map { (unit($0.key), $0.value) }.sorted { $0.0 < $1.0 }
                            .map { "\($0.0) \($0.1.count) \(t("of", "из")) \($0.1.of)" }.joined(separator: ", "))
            ),
            (t("Evidence rule waived", "Требование фото/видео снято куратором"), String(q.evidenceWaived)),
            (t("Repeat messages (p.18)", "Повторные сообщения (п. 18)"), String(q.repeats)),
        ]
        if !q.repeatsByUnit.isEmpty {
            // A repeat counts once above and against every unit that answered the first message here.
            rows.append(
                (
                    t(
                        "Assignments of the first messages, by unit",
                        "Поручения по первым сообщениям, по подразделениям"
                    ),
                    "\(q.repeatsByUnit.values.reduce(0, +)): " + breakdown(q.repeatsByUnit)
                ))
        }
        rows.append(
            (
                t(
                    "Intermediate reply, final within 7 working days",
                    "Промежуточный ответ, окончательный за 7 рабочих дней"),
                share(q.intermediateToFinalInTime)
            ))
        rows.append(
            (t("Closed without the author's answer", "Закрыто без ответа автора"), String(q.closedWithoutAnswer)))
        return rows
    }

    var dynamicsRows: [[String]] {
        let d = report.dynamics
        var rows: [[String]] = [
            [
                t("Messages", "Сообщений"), String(d.messages.this), String(d.messages.previousMonth),
                String(d.messages.yearBefore),
            ],
            [
                t("Withdrawn (registered by mistake)", "Снято (зарегистрировано ошибочно)"), String(d.withdrawn.this),
                String(d.withdrawn.previousMonth), String(d.withdrawn.yearBefore),
            ],
        ]
        for (dimension, label, lines) in [
            ("topic", t("topic", "тема"), d.byTopic), ("network", t("network", "сеть"), d.byNetwork),
            ("importance", t("importance", "важность"), d.byImportance),
            ("executor", t("executor", "исполнитель"), d.byExecutor),
            ("rejected", t("rejected", "отклонено"), d.rejectedByReason),
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
            [unit($0.unit), share($0.onTime), $0.rank.map(String.init) ?? t("too few to rank", "мало данных")]
        }
    }

    var signatureLine: String {
        let name = signer.map(DocumentWords.initials) ?? "____________________"
        return t("Responsible official", "Ответственное лицо") + "  ____________________  /\(name)/"
    }

    // MARK: Table

    func table() -> String {
        var out = [Terminal.bold(title), period + (report.unit.map { " · \(unit($0))" } ?? "")]
        if let asOf { out.append(t("As of ", "По состоянию на ") + asOf) }
        out.append(t("Regulation No. 34-rg, clause 22.", "Регламент № 34-рг, п. 22."))
        out += ["", Terminal.bold(t("Timeliness", "Своевременность"))]
        out.append(
            Render.columns(
                [
                    t("TERM", "СРОК"), t("PARTY", "СТОРОНА"), t("RAN", "ВСЕГО"), t("ON TIME", "ВОВРЕМЯ"),
                    t("LATE", "С ОПОЗДАНИЕМ"), t("OVERDUE", "ПРОСРОЧЕНО"), t("MEDIAN LATENESS", "МЕДИАНА ОПОЗДАНИЯ"),
                    t("WORST", "НАИБОЛЬШЕЕ"),
                ],
                report.timeliness.clocks.map {
                    [
                        clock($0.clock), unit($0.party), String($0.ran), share($0.shareOnTime), String($0.late),
                        String($0.openOverdue), duration($0.medianLateMinutes), duration($0.worstLateMinutes),
                    ]
                }))
        out.append("")
        out.append(
            Render.columns([t("UNIT", "ПОДРАЗДЕЛЕНИЕ"), t("ON TIME", "ВОВРЕМЯ"), t("PLACE", "МЕСТО")], unitRows))
        out.append(
            t("Average working time to the first reply: ", "Среднее рабочее время до первого ответа: ")
                + duration(report.timeliness.averageMinutesToFirstReply)
                + t(" (\(report.timeliness.firstReplies) replies)", " (ответов: \(report.timeliness.firstReplies))"))
        out += ["", Terminal.bold(t("Quality", "Качество")), Render.keyValues(qualityRows)]
        out += ["", Terminal.bold(t("Dynamics", "Динамика"))]
        out.append(
            Render.columns(
                ["", t("THIS PERIOD", "ЭТОТ ПЕРИОД"), t("MONTH BEFORE", "ПРЕД. МЕСЯЦ"), t("YEAR BEFORE", "ГОД НАЗАД")],
                dynamicsRows))
        out.append(
            t("12 months: ", "12 месяцев: ")
                + report.dynamics.series.map { "\($0.month) \($0.messages)" }.joined(separator: ", "))
        if let missing = report.clocksNotComputed, !missing.isEmpty {
            out.append("")
            out.append(
                t(
                    "Clocks not computed (past the calendar's years), left out of timeliness: ",
                    "Сроки не вычислены (за пределами лет календаря), в своевременность не вошли: ")
                    + missing.joined(separator: ", "))
        }
        out += ["", signatureLine]
        return out.joined(separator: "\n")
    }

    // MARK: CSV

    /// One row per figure: section; figure; key; value; of. Excel opens it with Cyrillic intact
    /// (UTF-8 with BOM; ';' and Russian headers under a Russian locale).
    func csv() -> String {
        let separator: Character = russian ? ";" : ","
        let r = report
        var rows: [[String]] = [
            russian ? ["раздел", "показатель", "ключ", "значение", "из"] : ["section", "figure", "key", "value", "of"]
        ]
        for line in r.timeliness.clocks {
            let key = "\(line.clock)/\(line.party)"
            rows.append(["timeliness", "ran", key, String(line.ran), ""])
            rows.append(["timeliness", "on_time", key, String(line.shareOnTime.count), String(line.shareOnTime.of)])
            rows.append(["timeliness", "late", key, String(line.late), ""])
            rows.append(["timeliness", "open_overdue", key, String(line.openOverdue), ""])
            rows.append(["timeliness", "median_late_minutes", key, line.medianLateMinutes.map(String.init) ?? "", ""])
            rows.append(["timeliness", "worst_late_minutes", key, line.worstLateMinutes.map(String.init) ?? "", ""])
        }
        for unit in r.timeliness.units {
            rows.append(["timeliness", "unit_on_time", unit.unit, String(unit.onTime.count), String(unit.onTime.of)])
            rows.append(["timeliness", "unit_rank", unit.unit, unit.rank.map(String.init) ?? "", ""])
        }
        rows.append([
            "timeliness", "average_minutes_to_first_reply", "",
            r.timeliness.averageMinutesToFirstReply.map(String.init) ?? "", "",
        ])
        rows.append(["quality", "drafts_submitted", "", String(r.quality.draftsSubmitted), ""])
        rows.append([
            "quality", "approved_at_first_submission", "", String(r.quality.approvedAtFirstSubmission.count),
            String(r.quality.approvedAtFirstSubmission.of),
        ])
        for (reason, count) in r.quality.returnsByReason.sorted(by: { $0.key < $1.key }) {
            rows.append(["quality", "returns", reason, String(count), ""])
        }
        rows.append([
            "quality", "replies_with_attachments", "", String(r.quality.repliesWithAttachments.count),
            String(r.quality.repliesWithAttachments.of),
        ])
        for (unit, share) in r.quality.repliesWithAttachmentsByUnit.sorted(by: { $0.key < $1.key }) {
            rows.append(["quality", "replies_with_attachments_by_unit", unit, String(share.count), String(share.of)])
        }
        rows.append(["quality", "evidence_waived", "", String(r.quality.evidenceWaived), ""])
        rows.append(["quality", "repeats", "", String(r.quality.repeats), ""])
        for (unit, count) in r.quality.repeatsByUnit.sorted(by: { $0.key < $1.key }) {
            rows.append(["quality", "repeats_by_unit", unit, String(count), ""])
        }
        rows.append([
            "quality", "intermediate_to_final_in_time", "", String(r.quality.intermediateToFinalInTime.count),
            String(r.quality.intermediateToFinalInTime.of),
        ])
        rows.append(["quality", "closed_without_answer", "", String(r.quality.closedWithoutAnswer), ""])
        rows.append(["dynamics", "messages", "this", String(r.dynamics.messages.this), ""])
        rows.append(["dynamics", "messages", "previous_month", String(r.dynamics.messages.previousMonth), ""])
        rows.append(["dynamics", "messages", "year_before", String(r.dynamics.messages.yearBefore), ""])
        rows.append(["dynamics", "withdrawn", "this", String(r.dynamics.withdrawn.this), ""])
        for (name, lines) in [
            ("by_topic", r.dynamics.byTopic), ("by_network", r.dynamics.byNetwork),
            ("by_importance", r.dynamics.byImportance),
            ("by_executor", r.dynamics.byExecutor), ("rejected_by_reason", r.dynamics.rejectedByReason),
        ] {
            for line in lines { rows.append(["dynamics", name, line.key, String(line.this), ""]) }
        }
        for month in r.dynamics.series { rows.append(["dynamics", "series", month.month, String(month.messages), ""]) }
        for id in r.clocksNotComputed ?? [] { rows.append(["timeliness", "clocks_not_computed", id, "", ""]) }
        return "\u{FEFF}"
            + rows.map { CSV.line($0.map(Safe.spreadsheetCell), separator: separator) }.joined(separator: "\r\n")
    }

    // MARK: HTML

    /// A self-contained printable A4 page (charts as inline SVG, page numbers when printed).
    func html() -> String {
        func e(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func bars(_ items: [(String, Double, String)], width: Int = 600) -> String {
            guard !items.isEmpty else { return "<p>—</p>" }
            let maxValue = max(items.map(\.1).max() ?? 1, 1)
            let rowHeight = 22, labelWidth = 220
            var svg =
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(items.count * rowHeight + 4)\" role=\"img\">"
            for (index, item) in items.enumerated() {
                let y = index * rowHeight + 2
                let length = Int(Double(width - labelWidth - 120) * item.1 / maxValue)
                svg +=
                    "<text x=\"0\" y=\"\(y + 15)\" font-size=\"11\">\(e(TextLayout.snippet(item.0, characters: 32)))</text>"
                svg +=
                    "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(length, 1))\" height=\"16\" fill=\"#3b6ea5\"/>"
                svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\" font-size=\"11\">\(e(item.2))</text>"
            }
            return svg + "</svg>"
        }
        func table(_ head: [String], _ rows: [[String]]) -> String {
            "<table><tr>" + head.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
                + rows.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined() + "</table>"
        }
        var body = "<h1>\(e(title))</h1>"
        body +=
            "<p class=\"period\">\(e(period))\(report.unit.map { ", \(t("unit", "подразделение")) \(e(unit($0)))" } ?? "")"
            + (asOf.map { "<br>\(t("As of", "По состоянию на")) \(e($0))" } ?? "")
            + "<br>\(t("On the work with citizens' messages in social networks. Regulation No. 34-rg, clause 22.", "О работе с сообщениями граждан в социальных сетях. Регламент № 34-рг, п. 22."))</p>"
        body += "<h2>\(t("Timeliness", "Своевременность"))</h2>"
        body += table(
            [
                t("Term", "Срок"), t("Party", "Сторона"), t("Ran", "Всего"), t("On time", "Вовремя"),
                t("Late", "С опозданием"), t("Overdue at the end", "Просрочено на конец"),
                t("Median lateness", "Медиана опоздания"), t("Worst", "Наибольшее"),
            ],
            report.timeliness.clocks.map {
                [
                    clock($0.clock), unit($0.party), String($0.ran), share($0.shareOnTime), String($0.late),
                    String($0.openOverdue), duration($0.medianLateMinutes), duration($0.worstLateMinutes),
                ]
            })
        body += "<h3>\(t("On time by unit", "Вовремя по подразделениям"))</h3>"
        body += table([t("Unit", "Подразделение"), t("On time", "Вовремя"), t("Place", "Место")], unitRows)
        body += bars(
            report.timeliness.units.map {
                (
                    unit($0.unit), $0.onTime.of == 0 ? 0 : Double($0.onTime.count) / Double($0.onTime.of),
                    share($0.onTime)
                )
            })
        body +=
            "<p>\(t("Average working time to the first reply", "Среднее рабочее время до первого ответа")): \(e(duration(report.timeliness.averageMinutesToFirstReply)))</p>"
        body += "<h2>\(t("Quality", "Качество"))</h2>"
        body += "<table>" + qualityRows.map { "<tr><td>\(e($0.0))</td><td>\(e($0.1))</td></tr>" }.joined() + "</table>"
        body += "<h2>\(t("Dynamics", "Динамика"))</h2>"
        body += table(
            [
                "", t("This period", "Этот период"), t("Month before", "Предыдущий месяц"),
                t("Year before", "Год назад"),
            ], dynamicsRows)
        body += "<h3>\(t("Messages over 12 months", "Сообщения за 12 месяцев"))</h3>"
        body += bars(report.dynamics.series.map { ($0.month, Double($0.messages), String($0.messages)) })
        body +=
            "<div class=\"sign\"><p>\(e(signatureLine))</p><p>«___» ____________ 20___ \(t("", "г."))</p></div>"
        let pages = t("page ", "стр. ")
        return """
            <!DOCTYPE html>
            <html lang="\(russian ? "ru" : "en")"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>@page { size: A4; margin: 15mm 14mm 18mm; @bottom-right { content: "\(pages)" counter(page) " / " counter(pages); font-size: 9pt } }
            body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111 }
            table { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 9pt; hyphens: auto }
            td, th { border: 1px solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top }
            th { background: #eee } h1 { font-size: 15pt; margin-bottom: 2pt } h2 { font-size: 13pt; margin-top: 14pt } h3 { font-size: 11pt }
            .period { margin-top: 0 } .sign { margin-top: 28pt; page-break-inside: avoid }</style></head>
            <body>\(body)</body></html>
            """
    }
}

/// A PDF from the report's HTML through WeasyPrint (Debian's `weasyprint`; the setup script
/// installs it): the same document, page numbers included.
enum PDF {
    static func render(html: String) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "otklik-report-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("report.html"),
            output = directory.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: input)
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
                Language.text("WeasyPrint could not make the PDF: ", "WeasyPrint не смог сделать PDF: ")
                    + String(decoding: said, as: UTF8.self).split(separator: "\n").prefix(3).joined(separator: " "))
        }
        return pdf
    }

    static var missing: FileFailure {
        FileFailure(
            message: Language.text(
                "-o pdf needs WeasyPrint: `apt-get install -y weasyprint` (scripts/setup installs it), or print -o html from a browser",
                "для -o pdf нужен WeasyPrint: `apt-get install -y weasyprint` (его ставит scripts/setup) или напечатайте -o html из браузера"
            ), code: 69)
    }
}
