import OtklikDesk

/// What `otklik profile` says, English and Russian side by side.
extension Say {
    enum Profile {
        /// The label of a rejection reason's hint words: the reason by its wire name, in Russian as spoken.
        static func rejectionHint(_ name: String, spoken: String) -> Phrase {
            Phrase("Rejection hint (p.20): \(name)", "Подсказка отказа (п. 20): \(spoken)")
        }
        /// A warning given this long before a clock's due.
        static func beforeDue(_ length: String) -> Phrase { Phrase("\(length) before due", "\(length) до срока") }
        static let clarificationLabel = Phrase(
            "Clarification without an answer", "Уточнение без ответа автора")
        static func closesAfter(_ term: String) -> Phrase {
            Phrase("closes after \(term)", "закрывается через \(term)")
        }
        static func days(_ count: Int) -> Phrase { Phrase("\(count) days", "\(count) дней") }
        static func factAgeLimit(_ days: Int) -> Phrase {
            Phrase("\(days) days need --allow-old", "\(days) дней — только с --allow-old")
        }
        static let draftLabel = Phrase(
            "Draft before the reply's due (p.11, p.12)", "Проект до срока ответа (п. 11, 12)")
        static let evidenceLabel = Phrase("Evidence (p.19)", "Фото/видео (п. 19)")
        static let factAgeLabel = Phrase("Facts older than", "Давность фактов более")
        static let finalDraftLabel = Phrase(
            "Final draft after an intermediate reply (p.16)", "Окончательный проект после промежуточного (п. 16)")
        static func hours(_ count: Int) -> Phrase { Phrase("\(count) h", "\(count) ч") }
        static func minutes(_ count: Int) -> Phrase { Phrase("\(count) min", "\(count) мин") }
        /// A term in working time: its length, the length for a message of high importance where it
        /// differs, and the schedule it runs by.
        static func term(_ length: String, high: String, schedule: String) -> Phrase {
            Phrase(
                "\(length)\(high.isEmpty ? "" : " (high importance: \(high))"), schedule \(schedule)",
                "\(length)\(high.isEmpty ? "" : " (высокая важность: \(high))"), график «\(schedule)»")
        }
        static let networksLabel = Phrase("Networks (p.3)", "Сети (п. 3)")
        static let noRule = Phrase("no rule", "не требуются")
        static let connectorLabel = Phrase("Published by a connector (p.15)", "Публикует коннектор (п. 15)")
        static let byHand = Phrase(
            "none: replies are published by hand, or handed over with --via",
            "нет: ответы публикуют вручную или передают коннектору через --via")
        static let showDiscussion = Phrase(
            "-o json prints the profile as its file spells it (otklikd --profile reads such a file).",
            "-o json печатает профиль так, как он записан в файле (такой файл читает otklikd --profile).")
        static let profile = Phrase("Profile", "Профиль")
        static let publishLabel = Phrase("Publication (p.15)", "Публикация (п. 15)")
        static let repeatWindowLabel = Phrase("Repeat hints look back (p.18)", "Поиск повторов (п. 18)")
        static let replyLabel = Phrase("Reply (p.8, p.9)", "Ответ (п. 8, 9)")
        static let reviewLabel = Phrase("Review (p.13)", "Согласование (п. 13)")
        static let reworkLabel = Phrase("Rework (p.14)", "Доработка (п. 14)")
        static let routeLabel = Phrase("Routing (p.7)", "Распределение (п. 7)")
        static let showAbstract = Phrase(
            "Show every term and rule of the regulation profile the daemon works by.",
            "Показать все сроки и правила профиля регламента, по которому работает демон.")
        static let unreadableProfile = Phrase(
            "the daemon's profile cannot be read by this otklik; use -o json",
            "профиль демона не читается этой версией otklik; используйте -o json")
        static let profileAbstract = Phrase(
            "The regulation profile in force: its terms and rules.", "Профиль регламента в силе: его сроки и правила.")
        static func evidenceRule(_ topics: String, _ kinds: String, _ spokenKinds: String, measures: Bool)
            -> Phrase
        {
            Phrase(
                "topics \(topics): a \(kinds) reply\(measures ? " stating measures taken" : "") needs a photo or video; the curator may waive it with a reason",
                "темы \(topics): \(spokenKinds)\(measures ? " о принятых мерах" : "") — с фото или видео; куратор может снять требование, указав причину"
            )
        }
        static let waitsForTheAuthor = Phrase("waits for the author", "ждёт автора")
        static let warnings = Phrase("Warnings", "Предупреждения")
        static func workingDays(_ days: Int, schedule: String) -> Phrase {
            Phrase("\(days) working days, schedule \(schedule)", "\(days) рабочих дней, график «\(schedule)»")
        }
    }
}
