import OtklikDesk

/// What `otklik profile` says, English and Russian side by side.
extension Say {
    enum Profile {
        /// A rejection reason: its wire name, in Russian as spoken.
        static func rejectionReason(_ name: String, _ spoken: String) -> Phrase {
            Phrase("\(name)", "\(spoken)")
        }
        static let beforeDue = Phrase(" before due", " до срока")
        static let clarificationWithoutAnAnswer = Phrase(
            "Clarification without an answer", "Уточнение без ответа автора")
        static let closesAfter = Phrase("closes after ", "закрывается через ")
        static let days = Phrase("days", "дней")
        static let daysNeedAllowOld = Phrase("days need --allow-old", "дней — только с --allow-old")
        static let draftBeforeTheReply = Phrase(
            "Draft before the reply's due (p.11, p.12)", "Проект до срока ответа (п. 11, 12)")
        static let evidenceP = Phrase("Evidence (p.19)", "Фото/видео (п. 19)")
        static let factsOlderThan = Phrase("Facts older than", "Давность фактов более")
        static let finalDraftAfterAn = Phrase(
            "Final draft after an intermediate reply (p.16)", "Окончательный проект после промежуточного (п. 16)")
        static let h = Phrase("h", "ч")
        static let highImportance = Phrase(" (high importance: ", " (высокая важность: ")
        static let min = Phrase("min", "мин")
        static let networksP = Phrase("Networks (p.3)", "Сети (п. 3)")
        static let noRule = Phrase("no rule", "не требуются")
        static let oJsonPrintsThe = Phrase(
            "-o json prints the profile as its file spells it (otklikd --profile reads such a file).",
            "-o json печатает профиль так, как он записан в файле (такой файл читает otklikd --profile).")
        static let profile = Phrase("Profile", "Профиль")
        static let publicationP = Phrase("Publication (p.15)", "Публикация (п. 15)")
        static let rejectionHintP = Phrase("Rejection hint (p.20): ", "Подсказка отказа (п. 20): ")
        static let repeatHintsLookBack = Phrase("Repeat hints look back (p.18)", "Поиск повторов (п. 18)")
        static let replyPP = Phrase("Reply (p.8, p.9)", "Ответ (п. 8, 9)")
        static let reviewP = Phrase("Review (p.13)", "Согласование (п. 13)")
        static let reworkP = Phrase("Rework (p.14)", "Доработка (п. 14)")
        static let routingP = Phrase("Routing (p.7)", "Распределение (п. 7)")
        static func schedule(_ schedule: String) -> Phrase {
            Phrase(", schedule \(schedule)", ", график «\(schedule)»")
        }
        static let showEveryTermAnd = Phrase(
            "Show every term and rule of the regulation profile the daemon works by.",
            "Показать все сроки и правила профиля регламента, по которому работает демон.")
        static let theDaemonSProfile = Phrase(
            "the daemon's profile cannot be read by this otklik; use -o json",
            "профиль демона не читается этой версией otklik; используйте -o json")
        static let theRegulationProfileIn = Phrase(
            "The regulation profile in force: its terms and rules.", "Профиль регламента в силе: его сроки и правила.")
        static func topicsAReplyNeeds(_ topics: String, _ kinds: String, _ spokenKinds: String, measures: Bool)
            -> Phrase
        {
            Phrase(
                "topics \(topics): a \(kinds) reply\(measures ? " stating measures taken" : "") needs a photo or video; the curator may waive it with a reason",
                "темы \(topics): \(spokenKinds)\(measures ? " о принятых мерах" : "") — с фото или видео; куратор может снять требование, указав причину"
            )
        }
        static let waitsForTheAuthor = Phrase("waits for the author", "ждёт автора")
        static let warnings = Phrase("Warnings", "Предупреждения")
        static func workingDaysSchedule(_ finalDraftSchedule: String) -> Phrase {
            Phrase("working days, schedule \(finalDraftSchedule)", "рабочих дней, график «\(finalDraftSchedule)»")
        }
    }
}
