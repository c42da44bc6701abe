import OtklikDesk

/// What `otklik report` and the summary document says, English and Russian side by side.
extension Say {
    enum Report {
        /// A clock's line heading: its name and the regulation's clauses of its term.
        static func clockHeading(_ name: String, clause: String) -> Phrase {
            Phrase("\(name) (p. \(clause))", "\(name) (п. \(clause))")
        }
        /// "2 of 3 (67 %)": a share with its percentage.
        static func share(_ count: Int, of total: Int, percent: Int) -> Phrase {
            Phrase("\(count) of \(total) (\(percent) %)", "\(count) из \(total) (\(percent) %)")
        }
        /// A unit's share: "Дорожный отдел 1 из 2".
        static func unitShare(_ unit: String, _ count: Int, of total: Int) -> Phrase {
            Phrase("\(unit) \(count) of \(total)", "\(unit) \(count) из \(total)")
        }
        /// The CSV's timeliness table: its headings, a number in each column but the first two.
        static let csvClockHeadings = [
            Phrase("Term", "Срок"), Phrase("Party", "Сторона"), Phrase("Ran", "Всего"), Phrase("On time", "Вовремя"),
            Phrase("Of", "Из"), Phrase("On time, %", "Вовремя, %"), Phrase("Late", "С опозданием"),
            Phrase("Overdue at the end", "Просрочено на конец"),
            Phrase("Median lateness, working min", "Медиана опоздания, раб. мин"),
            Phrase("Worst lateness, working min", "Наибольшее опоздание, раб. мин"),
        ]
        /// The CSV's units table.
        static let csvUnitHeadings = [
            Phrase("Unit", "Подразделение"), Phrase("On time", "Вовремя"), Phrase("Of", "Из"),
            Phrase("On time, %", "Вовремя, %"), Phrase("Place", "Место"),
        ]
        static let pdfNeedsOut = Phrase(
            "a PDF goes to a file: give --out FILE.pdf", "PDF записывается в файл: укажите --out ФАЙЛ.pdf")
        static let approvedAtFirstSubmission = Phrase("Approved at first submission", "Согласовано с первого раза")
        static func asOf(_ moment: String) -> Phrase { Phrase("As of \(moment)", "По состоянию на \(moment)") }
        /// The period of a report on one unit.
        static func periodOfUnit(_ period: String, _ unit: String) -> Phrase {
            Phrase("\(period), unit \(unit)", "\(period), подразделение \(unit)")
        }
        /// The date line under the signature, filled in by hand; Russian writes «г.» after the year.
        static let dateBlank = Phrase("«___» ____________ 20___ ", "«___» ____________ 20___ г.")
        /// The number at the foot of a printed page, as CSS `content` (the printer puts in the counters).
        static let pageNumbers = Phrase(
            #""page " counter(page) " / " counter(pages)"#, #""стр. " counter(page) " / " counter(pages)"#)
        static let repeatsByUnit = Phrase(
            "Assignments of the first messages, by unit", "Поручения по первым сообщениям, по подразделениям")
        static func averageToFirstReply(_ duration: String) -> Phrase {
            Phrase(
                "Average working time to the first reply: \(duration)",
                "Среднее рабочее время до первого ответа: \(duration)")
        }
        static func averageToFirstReply(_ duration: String, replies: Int) -> Phrase {
            Phrase(
                "Average working time to the first reply: \(duration) (\(replies) replies)",
                "Среднее рабочее время до первого ответа: \(duration) (ответов: \(replies))")
        }
        /// The CSV's heading of the same figure, a number of working minutes.
        static let averageToFirstReplyHeading = Phrase(
            "Average working time to the first reply, working min", "Среднее рабочее время до первого ответа, раб. мин")
        static func clocksNotComputed(_ clocks: String) -> Phrase {
            Phrase(
                "Clocks not computed (past the calendar's years), left out of timeliness: \(clocks)",
                "Сроки не вычислены (за пределами лет календаря), в своевременность не вошли: \(clocks)")
        }
        static let closedWithoutAnswer = Phrase("Closed without the author's answer", "Закрыто без ответа автора")
        static let curatorCentre = Phrase("curator centre", "центр управления регионом")
        static let notRouted = Phrase("not routed", "не направлено")
        static let noTopic = Phrase("no topic", "без темы")
        static let draftsSubmitted = Phrase("Drafts submitted", "Представлено проектов ответов")
        static let dynamics = Phrase("Dynamics", "Динамика")
        static let evidenceRuleWaived = Phrase("Evidence rule waived", "Требование фото/видео снято куратором")
        static let formalAnswers = Phrase("Formal answers", "Формальные ответы")
        static let incidents = Phrase("Incidents", "Инциденты")
        /// Issue 31: the incidents among the period's messages, and the messages in them (each still
        /// counted as a message of its own everywhere else).
        static func incidentFigures(incidents: Int, cases: Int) -> Phrase {
            Phrase(
                "\(incidents), with \(cases) messages (each counted as its own message above)",
                "\(incidents), обращений в них \(cases) (каждое учтено выше как отдельное)")
        }
        /// Issue 31: drafts the quality check flagged, drafts returned as formal, replies published
        /// with a finding the curator let through.
        static func formalAnswerFigures(flagged: Int, returned: Int, published: Int) -> Phrase {
            Phrase(
                "flagged by the check \(flagged), returned as formal \(returned), published with a finding \(published)",
                "отмечено проверкой \(flagged), возвращено как формальные \(returned), опубликовано с замечанием \(published)"
            )
        }
        static let executor = Phrase("executor", "исполнитель")
        static let fromHelp = Phrase(
            "The first day of a period (01.12.2026 or 2026-12-01), with --to.",
            "Первый день периода (01.12.2026 или 2026-12-01), вместе с --to.")
        static let toHelp = Phrase(
            "The last day of the period, included (31.12.2026 or 2026-12-31).",
            "Последний день периода включительно (31.12.2026 или 2026-12-31).")
        static func monthHelp(_ forms: String) -> Phrase {
            Phrase("The month (\(forms)), or --from and --to.", "Месяц (\(forms)) или --from и --to.")
        }
        static let monthOnce = Phrase("give the month once", "укажите месяц один раз")
        static let givePeriod = Phrase(
            "give the month (2026-12) or --from and --to", "укажите месяц (2026-12) или --from и --to")
        static func isNotADay(_ option: String, _ textValue: String) -> Phrase {
            Phrase(
                "\(option) \(textValue) is not a day; write it as 31.12.2026 or 2026-12-31",
                "\(option) \(textValue) — не дата; пишите так: 31.12.2026 или 2026-12-31")
        }
        static let forceHelp = Phrase(
            "Replace the --out file if it exists.", "Заменить файл --out, если он уже есть.")
        static func outExists(_ path: String) -> Phrase {
            Phrase(
                "\(path) exists; name a new file, or add --force to replace it",
                "\(path) уже есть; укажите новый файл или добавьте --force, чтобы заменить его")
        }
        static func written(_ path: String, _ size: String) -> Phrase {
            Phrase("Written: \(path) (\(size))", "Записано: \(path) (\(size))")
        }
        static let importance = Phrase("importance", "важность")
        static let intermediateToFinalInTime = Phrase(
            "Intermediate reply, final within 7 working days", "Промежуточный ответ, окончательный за 7 рабочих дней")
        static let lateColumn = Phrase("LATE", "С ОПОЗДАНИЕМ")
        static let late = Phrase("Late", "С опозданием")
        static let medianLatenessColumn = Phrase("MEDIAN LATENESS", "МЕДИАНА ОПОЗДАНИЯ")
        static let medianLateness = Phrase("Median lateness", "Медиана опоздания")
        static let messages = Phrase("Messages", "Сообщений")
        static let messagesOverMonths = Phrase("Messages over 12 months", "Сообщения за 12 месяцев")
        static let monthBeforeColumn = Phrase("MONTH BEFORE", "ПРЕД. МЕСЯЦ")
        static let monthBefore = Phrase("Month before", "Предыдущий месяц")
        static func monthsSeries(_ series: String) -> Phrase { Phrase("12 months: \(series)", "12 месяцев: \(series)") }
        static let network = Phrase("network", "сеть")
        static let unitHelp = Phrase("Only this executor unit.", "Только это подразделение-исполнитель.")
        static let documentSubtitle = Phrase(
            "On the work with citizens' messages in social networks. Regulation No. 34-rg, clause 22.",
            "О работе с сообщениями граждан в социальных сетях. Регламент № 34-рг, п. 22.")
        static let onTimeColumn = Phrase("ON TIME", "ВОВРЕМЯ")
        static let onTime = Phrase("On time", "Вовремя")
        static let onTimeByUnit = Phrase("On time by unit", "Вовремя по подразделениям")
        static let weasyprintMissing = Phrase(
            "-o pdf needs WeasyPrint: `apt-get install -y weasyprint` (scripts/setup installs it), or print -o html from a browser",
            "для -o pdf нужен WeasyPrint: `apt-get install -y weasyprint` (его ставит scripts/setup) или напечатайте -o html из браузера"
        )
        static let monthlyDiscussion = Phrase(
            "-o table (default), json (docs/REPORTS.md lists the keys), csv (UTF-8 with BOM; ';' and Russian headers under a Russian locale), html (a printable A4 document), pdf (the same document through WeasyPrint; --out FILE.pdf).",
            "-o table (по умолчанию), json (ключи перечислены в docs/REPORTS.md), csv (UTF-8 с BOM; ';' и русские заголовки при русской локали), html (документ для печати на A4), pdf (тот же документ через WeasyPrint; --out ФАЙЛ.pdf)."
        )
        static let overdue = Phrase("OVERDUE", "ПРОСРОЧЕНО")
        static let overdueAtTheEnd = Phrase("Overdue at the end", "Просрочено на конец")
        static let partyColumn = Phrase("PARTY", "СТОРОНА")
        static let party = Phrase("Party", "Сторона")
        static let placeColumn = Phrase("PLACE", "МЕСТО")
        static let quality = Phrase("Quality", "Качество")
        static let ranColumn = Phrase("RAN", "ВСЕГО")
        static let ran = Phrase("Ran", "Всего")
        static let regulationLine = Phrase("Regulation No. 34-rg, clause 22.", "Регламент № 34-рг, п. 22.")
        static let repeatMessages = Phrase("Repeat messages (p.18)", "Повторные сообщения (п. 18)")
        static let repliesWithEvidence = Phrase(
            "Replies with a photo or video (p.19)", "Ответы с фото- или видеоматериалами (п. 19)")
        static let reportAbstract = Phrase(
            "Reports for the head of the district (p.22).", "Отчёты для главы района (п. 22).")
        static func signature(_ name: String) -> Phrase {
            Phrase(
                "Responsible official  ____________________  /\(name)/",
                "Ответственное лицо  ____________________  /\(name)/")
        }
        static let returnsForRework = Phrase("Returns for rework", "Возвращено на доработку")
        static let termColumn = Phrase("TERM", "СРОК")
        static let term = Phrase("Term", "Срок")
        static let unreadableReport = Phrase(
            "the daemon sent a report this CLI cannot read (a newer schema?)",
            "демон прислал сводку, которую эта версия CLI не читает (новая схема?)")
        static let monthlyAbstract = Phrase(
            "The monthly summary: timeliness, quality, dynamics.",
            "Месячная сводка: своевременность, качество, динамика.")
        static let thisPeriodColumn = Phrase("THIS PERIOD", "ЭТОТ ПЕРИОД")
        static let thisPeriod = Phrase("This period", "Этот период")
        static let timeliness = Phrase("Timeliness", "Своевременность")
        static let tooFewToRank = Phrase("too few to rank", "мало данных")
        static let topic = Phrase("topic", "тема")
        static let unitColumn = Phrase("UNIT", "ПОДРАЗДЕЛЕНИЕ")
        static func pdfFailed(_ why: String) -> Phrase {
            Phrase("WeasyPrint could not make the PDF: \(why)", "WeasyPrint не смог сделать PDF: \(why)")
        }
        static let withdrawnByMistake = Phrase(
            "Withdrawn (registered by mistake)", "Снято (зарегистрировано ошибочно)")
        static let worstColumn = Phrase("WORST", "НАИБОЛЬШЕЕ")
        static let worst = Phrase("Worst", "Наибольшее")
        static let outHelp = Phrase(
            "Write to this file instead of the terminal.", "Записать в этот файл, а не на терминал.")
        static let yearBeforeColumn = Phrase("YEAR BEFORE", "ГОД НАЗАД")
        static let yearBefore = Phrase("Year before", "Год назад")
    }
}
