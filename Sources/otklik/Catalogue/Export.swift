import OtklikDesk

/// What `otklik export` says, English and Russian side by side.
extension Say {
    enum Export {
        static let exportAbstract = Phrase(
            "Data out for the regional centre and BI: cases with their clocks, the event log.",
            "Данные для регионального центра и BI: дела со сроками, журнал событий.")
        static let casesAbstract = Phrase(
            "Cases detected in a period, one row per assignment with every clock's due, met and lateness.",
            "Дела, выявленные за период: строка на поручение со сроком, временем исполнения и опозданием по каждому сроку."
        )
        static let casesDiscussion = Phrase(
            """
            -o csv (the default): UTF-8 with a byte-order mark and `;`, as Excel opens it under a Russian \
            locale; -o jsonl: one JSON object a line. Columns: docs/EXPORT.md. Read page by page, newest \
            first: a year of a region never sits in memory.
            """,
            """
            -o csv (по умолчанию): UTF-8 с меткой порядка байтов и разделителем `;`, как Excel открывает \
            его в русской локали; -o jsonl: по объекту JSON в строке. Столбцы: docs/EXPORT.md. Читается \
            страницами, сначала новые: год региона не держится в памяти целиком.
            """)
        static let detected = Phrase("Detected", "Выявлено")
        static let posted = Phrase("Posted", "Размещено автором")
        static let network = Phrase("Network", "Соцсеть")
        static let link = Phrase("Link", "Ссылка")
        static let importance = Phrase("Importance", "Важность")
        static let caseState = Phrase("Case state", "Состояние дела")
        static let topics = Phrase("Topics", "Темы")
        static let repeatOf = Phrase("Repeat of", "Повтор дела")
        static let rejectionReason = Phrase("Rejection reason", "Причина отклонения")
        static let withdrawalReason = Phrase("Withdrawal reason", "Причина снятия")
        static let assignment = Phrase("Assignment", "Поручение")
        static let assignmentState = Phrase("Assignment state", "Состояние поручения")
        static let assignmentTopics = Phrase("Assignment topics", "Темы поручения")
        static let responsible = Phrase("Responsible", "Ответственный")
        static let closed = Phrase("Closed", "Закрыто")
        static let replies = Phrase("Replies", "Ответов")
        static let published = Phrase("Last reply published", "Последний ответ опубликован")
        /// A clock's four columns: its due, when it was met, its lateness and its standing.
        static let clockHeadings: [@Sendable (Phrase) -> Phrase] = [
            { Phrase("\($0.english): due", "\($0.russian): срок") },
            { Phrase("\($0.english): met", "\($0.russian): выполнено") },
            { Phrase("\($0.english): late, working min", "\($0.russian): опоздание, раб. мин") },
            { Phrase("\($0.english): standing", "\($0.russian): состояние срока") },
        ]
        static let givePeriod = Phrase(
            "give the period to export: --month 2026-12, or --from and --to",
            "укажите период выгрузки: --month 2026-12 или --from и --to")
        static let outHelp = Phrase(
            "Write to this new file (written whole or not at all) instead of the standard output.",
            "Записать в этот новый файл (целиком или никак), а не в стандартный вывод.")
        static func fileExists(_ path: String) -> Phrase {
            Phrase("\(path) exists; name a new file", "\(path) уже существует; укажите новый файл")
        }
        static func casesWritten(_ rows: Int, _ cases: Int) -> Phrase {
            Phrase("otklik: \(rows) rows of \(cases) cases exported", "otklik: выгружено строк: \(rows), дел: \(cases)")
        }
        static let eventsAbstract = Phrase(
            "The event log as JSON lines, from a sequence number on; resumable.",
            "Журнал событий строками JSON начиная с номера; можно продолжить с того места, где остановились.")
        static let eventsDiscussion = Phrase(
            """
            Each line is an event as `otklik watch -o json` prints it. The export ends at the newest event \
            when it began and says the number to go on from next time (--from-sequence). Open to curators, \
            responsible officials, heads and admins.
            """,
            """
            Каждая строка — событие в том виде, как его печатает `otklik watch -o json`. Выгрузка \
            заканчивается на последнем событии на момент начала и называет номер, с которого продолжить в \
            следующий раз (--from-sequence). Доступна кураторам, ответственным лицам, руководителям и \
            администраторам.
            """)
        static let fromSequenceHelp = Phrase(
            "Events after this sequence number (0: the whole log).", "События после этого номера (0 — весь журнал).")
        static let toSequenceHelp = Phrase(
            "Up to this sequence number (default: the newest when the export begins).",
            "До этого номера (по умолчанию — последнее событие на момент начала).")
        static let sequencesAreCounts = Phrase(
            "sequence numbers are 0 or more", "номера событий — числа от 0")
        static func eventsWritten(_ count: Int, _ last: Int64) -> Phrase {
            Phrase(
                "otklik: \(count) events exported; next time: --from-sequence \(last)",
                "otklik: выгружено событий: \(count); в следующий раз: --from-sequence \(last)")
        }
    }
}
