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
                "-o table (default), json (docs/REPORTS.md lists the keys), csv (UTF-8 with BOM; ';' under a Russian locale), html (printable A4).",
                "-o table (по умолчанию), json (ключи перечислены в docs/REPORTS.md), csv (UTF-8 с BOM; ';' при русской локали), html (для печати на A4)."
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
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(ReportsService.monthlySummary, request)
            }
            guard let report = try? JSONDecoder().decode(MonthlyReport.self, from: Data(answer.json.utf8)) else {
                throw ValidationError("the daemon sent a report this CLI cannot read (a newer schema?)")
            }
            let text: String
            switch global.output {
            case .table: text = ReportRender.table(report)
            case .json: text = answer.json
            case .csv: text = ReportRender.csv(report)
            case .html: text = ReportRender.html(report)
            }
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else {
                    throw FileFailure.output(out)
                }
            } else {
                // The table is for a terminal; CSV, HTML and JSON are data, escaped in their own way.
                print(global.output == .table ? Safe.terminal(text) : text)
            }
        }
    }
}

/// The report as people read it.
enum ReportRender {
    static func share(_ s: MonthlyReport.Share) -> String {
        s.of == 0 ? "-" : Language.text("\(s.count) of \(s.of)", "\(s.count) из \(s.of)")
    }

    static func minutes(_ value: Int64?) -> String {
        value.map { Language.text("\($0) min", "\($0) мин") } ?? "-"
    }

    static let clockNames: [String: (String, String)] = [
        "route": ("routing (p.7)", "маршрутизация (п.7)"), "reply": ("reply (p.8, 9)", "ответ (п.8, 9)"),
        "draft": ("draft (p.11, 12)", "проект (п.11, 12)"), "review": ("review (p.13)", "рассмотрение (п.13)"),
        "rework": ("rework (p.14)", "доработка (п.14)"), "publish": ("publication (p.15)", "публикация (п.15)"),
        "final_draft": ("final draft (p.16)", "окончательный проект (п.16)"),
    ]

    static func clockName(_ key: String, russian: Bool = Language.current == .russian) -> String {
        guard let names = clockNames[key] else { return key }
        return russian ? names.1 : names.0
    }

    static func table(_ r: MonthlyReport) -> String {
        var out = [
            Language.text("Monthly summary ", "Ежемесячная сводка ") + r.period + (r.unit.map { " · \($0)" } ?? "")
        ]
        out.append("")
        out.append(Language.text("Timeliness", "Своевременность"))
        out.append(
            Render.columns(
                [
                    Language.text("CLOCK", "СРОК"), Language.text("PARTY", "СТОРОНА"), Language.text("RAN", "ВСЕГО"),
                    Language.text("ON TIME", "ВОВРЕМЯ"),
                    Language.text("LATE", "С ОПОЗДАНИЕМ"), Language.text("OPEN OVERDUE", "ПРОСРОЧЕНО"),
                    Language.text("MEDIAN LATE", "МЕДИАНА"),
                    Language.text("WORST", "МАКС."),
                ],
                r.timeliness.clocks.map {
                    [
                        clockName($0.clock), $0.party, String($0.ran), share($0.shareOnTime), String($0.late),
                        String($0.openOverdue),
                        minutes($0.medianLateMinutes), minutes($0.worstLateMinutes),
                    ]
                }))
        out.append("")
        out.append(
            Render.columns(
                [
                    Language.text("UNIT", "ПОДРАЗДЕЛЕНИЕ"), Language.text("ON TIME", "ВОВРЕМЯ"),
                    Language.text("RANK", "МЕСТО"),
                ],
                r.timeliness.units.map {
                    [
                        $0.unit, share($0.onTime),
                        $0.rank.map(String.init) ?? Language.text("too few to rank", "мало данных"),
                    ]
                }))
        out.append(
            Language.text("Average working time to first reply: ", "Среднее рабочее время до первого ответа: ")
                + minutes(r.timeliness.averageMinutesToFirstReply) + " (\(r.timeliness.firstReplies))")
        out.append("")
        out.append(Language.text("Quality", "Качество"))
        out.append(
            Render.keyValues([
                (Language.text("Drafts submitted", "Представлено проектов"), String(r.quality.draftsSubmitted)),
                (
                    Language.text("Approved at first submission", "Согласовано с первого раза"),
                    share(r.quality.approvedAtFirstSubmission)
                ),
                (
                    Language.text("Returns by reason", "Возвраты по причинам"),
                    r.quality.returnsByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", "
                    ).ifEmpty("-")
                ),
                (
                    Language.text("Replies with photo or video", "Ответы с фото или видео"),
                    share(r.quality.repliesWithAttachments)
                        + (r.quality.repliesWithAttachmentsByUnit.isEmpty
                            ? ""
                            : " ("
                                + r.quality.repliesWithAttachmentsByUnit.sorted { $0.key < $1.key }.map {
                                    "\($0.key) \(share($0.value))"
                                }.joined(separator: ", ") + ")")
                ),
                (
                    Language.text("Evidence rule waived", "Требование фото/видео снято"),
                    String(r.quality.evidenceWaived)
                ),
                (
                    Language.text("Repeat messages", "Повторные сообщения"),
                    String(r.quality.repeats)
                        + (r.quality.repeatsByUnit.isEmpty
                            ? ""
                            : " ("
                                + r.quality.repeatsByUnit.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                                .joined(separator: ", ") + ")")
                ),
                (
                    Language.text(
                        "Intermediate then final in 7 working days", "Промежуточный, затем окончательный за 7 раб. дней"
                    ),
                    share(r.quality.intermediateToFinalInTime)
                ),
                (
                    Language.text("Closed without the author's answer", "Закрыто без ответа автора"),
                    String(r.quality.closedWithoutAnswer)
                ),
            ]))
        out.append("")
        out.append(Language.text("Dynamics", "Динамика"))
        let head = [
            Language.text("", ""), Language.text("THIS", "ЭТОТ"), Language.text("MONTH BEFORE", "ПРЕД. МЕСЯЦ"),
            Language.text("YEAR BEFORE", "ГОД НАЗАД"),
        ]
        var rows = [
            [
                Language.text("messages", "сообщений"), String(r.dynamics.messages.this),
                String(r.dynamics.messages.previousMonth),
                String(r.dynamics.messages.yearBefore),
            ],
            [
                Language.text("withdrawn (registered by mistake)", "снято (зарегистрировано ошибочно)"),
                String(r.dynamics.withdrawn.this),
                String(r.dynamics.withdrawn.previousMonth), String(r.dynamics.withdrawn.yearBefore),
            ],
        ]
        for (title, lines) in [
            (Language.text("topic", "тема"), r.dynamics.byTopic),
            (Language.text("network", "сеть"), r.dynamics.byNetwork),
            (Language.text("importance", "важность"), r.dynamics.byImportance),
            (Language.text("executor", "исполнитель"), r.dynamics.byExecutor),
            (Language.text("rejected", "отклонено"), r.dynamics.rejectedByReason),
        ] {
            for line in lines {
                rows.append([
                    "\(title): \(line.key)", String(line.this), String(line.previousMonth), String(line.yearBefore),
                ])
            }
        }
        out.append(Render.columns(head, rows))
        out.append(
            Language.text("12 months: ", "12 месяцев: ")
                + r.dynamics.series.map { "\($0.month) \($0.messages)" }.joined(separator: ", "))
        if let missing = r.clocksNotComputed, !missing.isEmpty {
            out.append("")
            out.append(
                Language.text(
                    "Clocks not computed (past the calendar's years), left out of timeliness: ",
                    "Сроки не вычислены (за пределами лет календаря), в своевременность не вошли: ")
                    + missing.joined(separator: ", "))
        }
        return out.joined(separator: "\n")
    }

    /// One row per figure: section; figure; key; value; of. Excel opens it with Cyrillic intact.
    static func csv(_ r: MonthlyReport) -> String {
        let separator: Character = Language.current == .russian ? ";" : ","

        var rows: [[String]] = [["section", "figure", "key", "value", "of"]]
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

    /// A printable A4 document, Russian unless the locale says otherwise explicitly, charts as inline SVG.
    static func html(_ r: MonthlyReport) -> String {
        // Russian by default: the head of the district reads it; English only when the locale asks for it.
        let environment = ProcessInfo.processInfo.environment
        let english = ([environment["LC_ALL"], environment["LANG"]].compactMap { $0 }.first { !$0.isEmpty } ?? "")
            .hasPrefix("en")
        func t(_ en: String, _ ru: String) -> String { english ? en : ru }
        func e(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        func s(_ share: MonthlyReport.Share) -> String {
            share.of == 0 ? "—" : "\(share.count) \(t("of", "из")) \(share.of)"
        }
        func bars(_ items: [(String, Double, String)], width: Int = 640) -> String {
            guard !items.isEmpty else { return "<p>—</p>" }
            let maxValue = max(items.map(\.1).max() ?? 1, 1)
            let rowHeight = 22, labelWidth = 200
            var svg =
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(items.count * rowHeight + 4)\" role=\"img\">"
            for (index, item) in items.enumerated() {
                let y = index * rowHeight + 2
                let length = Int(Double(width - labelWidth - 80) * item.1 / maxValue)
                svg += "<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\">\(e(item.0))</text>"
                svg +=
                    "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(length, 1))\" height=\"16\" fill=\"#3b6ea5\"/>"
                svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\" font-size=\"12\">\(e(item.2))</text>"
            }
            return svg + "</svg>"
        }
        var body =
            "<h1>\(t("Monthly summary of the work with messages", "Сводка о работе с сообщениями из открытых источников")) — \(e(r.period))</h1>"
        body +=
            "<p>\(t("Period", "Период")): \(e(r.from)) — \(e(r.to))\(r.unit.map { ", \(t("unit", "подразделение")) \(e($0))" } ?? ""). \(t("Regulation No. 34-rg, clause 22.", "Регламент № 34-рг, п. 22."))</p>"
        body +=
            "<h2>\(t("Timeliness", "Своевременность"))</h2><table><tr><th>\(t("Term", "Срок"))</th><th>\(t("Party", "Сторона"))</th><th>\(t("Ran", "Всего"))</th><th>\(t("On time", "Вовремя"))</th><th>\(t("Late", "С опозданием"))</th><th>\(t("Overdue at end", "Просрочено на конец"))</th><th>\(t("Median late, min", "Медиана опоздания, мин"))</th><th>\(t("Worst, min", "Макс., мин"))</th></tr>"
        for line in r.timeliness.clocks {
            body +=
                "<tr><td>\(e(clockName(line.clock, russian: !english)))</td><td>\(e(line.party))</td><td>\(line.ran)</td><td>\(s(line.shareOnTime))</td><td>\(line.late)</td><td>\(line.openOverdue)</td><td>\(line.medianLateMinutes.map(String.init) ?? "—")</td><td>\(line.worstLateMinutes.map(String.init) ?? "—")</td></tr>"
        }
        body += "</table>"
        body += "<h3>\(t("On time by unit", "Вовремя по подразделениям"))</h3>"
        body += bars(
            r.timeliness.units.map {
                (
                    $0.unit, $0.onTime.of == 0 ? 0 : Double($0.onTime.count) / Double($0.onTime.of),
                    s($0.onTime) + ($0.rank == nil ? " (\(t("too few to rank", "мало данных")))" : " (#\($0.rank!))")
                )
            })
        body +=
            "<p>\(t("Average working time to the first reply", "Среднее рабочее время до первого ответа")): \(r.timeliness.averageMinutesToFirstReply.map { "\($0) \(t("min", "мин"))" } ?? "—")</p>"
        body += "<h2>\(t("Quality", "Качество"))</h2><table>"
        body +=
            "<tr><td>\(t("Drafts submitted", "Представлено проектов"))</td><td>\(r.quality.draftsSubmitted)</td></tr>"
        body +=
            "<tr><td>\(t("Approved at first submission", "Согласовано с первого раза"))</td><td>\(s(r.quality.approvedAtFirstSubmission))</td></tr>"
        body +=
            "<tr><td>\(t("Returns by reason", "Возвраты по причинам"))</td><td>\(e(r.quality.returnsByReason.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ").ifEmpty("—")))</td></tr>"
        body +=
            "<tr><td>\(t("Replies with photo or video", "Ответы с фото- или видеоматериалами"))</td><td>\(s(r.quality.repliesWithAttachments)) \(e(r.quality.repliesWithAttachmentsByUnit.sorted { $0.key < $1.key }.map { "\($0.key): \(s($0.value))" }.joined(separator: ", ")))</td></tr>"
        body +=
            "<tr><td>\(t("Evidence rule waived", "Требование фото/видео снято"))</td><td>\(r.quality.evidenceWaived)</td></tr>"
        body +=
            "<tr><td>\(t("Repeat messages", "Повторные сообщения"))</td><td>\(r.quality.repeats) \(e(r.quality.repeatsByUnit.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")))</td></tr>"
        body +=
            "<tr><td>\(t("Intermediate reply, final within 7 working days", "Промежуточный ответ, окончательный в течение 7 рабочих дней"))</td><td>\(s(r.quality.intermediateToFinalInTime))</td></tr>"
        body +=
            "<tr><td>\(t("Closed without the author's answer", "Закрыто без ответа автора"))</td><td>\(r.quality.closedWithoutAnswer)</td></tr></table>"
        body +=
            "<h2>\(t("Dynamics", "Динамика"))</h2><table><tr><th></th><th>\(t("This period", "Этот период"))</th><th>\(t("Month before", "Предыдущий месяц"))</th><th>\(t("Year before", "Год назад"))</th></tr>"
        body +=
            "<tr><td>\(t("Messages", "Сообщений"))</td><td>\(r.dynamics.messages.this)</td><td>\(r.dynamics.messages.previousMonth)</td><td>\(r.dynamics.messages.yearBefore)</td></tr>"
        body +=
            "<tr><td>\(t("Withdrawn (registered by mistake)", "Снято (зарегистрировано ошибочно)"))</td><td>\(r.dynamics.withdrawn.this)</td><td>\(r.dynamics.withdrawn.previousMonth)</td><td>\(r.dynamics.withdrawn.yearBefore)</td></tr>"
        for (title, lines) in [
            (t("Network", "Сеть"), r.dynamics.byNetwork), (t("Importance", "Важность"), r.dynamics.byImportance),
            (t("Executor", "Исполнитель"), r.dynamics.byExecutor),
            (t("Rejected", "Отклонено"), r.dynamics.rejectedByReason),
        ] {
            for line in lines {
                body +=
                    "<tr><td>\(e(title)): \(e(line.key))</td><td>\(line.this)</td><td>\(line.previousMonth)</td><td>\(line.yearBefore)</td></tr>"
            }
        }
        body += "</table><h3>\(t("Messages over 12 months", "Сообщения за 12 месяцев"))</h3>"
        body += bars(r.dynamics.series.map { ($0.month, Double($0.messages), String($0.messages)) })
        body += "<h3>\(t("Topics", "Темы"))</h3>"
        body += bars(r.dynamics.byTopic.map { ($0.key, Double($0.this), String($0.this)) })
        return """
            <!DOCTYPE html>
            <html lang="\(english ? "en" : "ru")"><head><meta charset="utf-8"><title>\(e(r.period))</title>
            <style>@page { size: A4; margin: 18mm } body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #111 }
            table { border-collapse: collapse; width: 100%; margin: 6pt 0 } td, th { border: 1px solid #999; padding: 3pt 5pt; text-align: left }
            th { background: #eee } h1 { font-size: 15pt } h2 { font-size: 13pt; margin-top: 14pt } h3 { font-size: 11pt }</style></head>
            <body>\(body)</body></html>
            """
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
