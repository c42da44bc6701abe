import OtklikDesk

/// What more than one group of commands says, English and Russian side by side.
extension Say {
    enum Common {
        /// An option naming a network: the codes the catalogue knows (NetworkNames), one place.
        static var networkHelp: Phrase {
            let codes = NetworkNames.phrases.keys.sorted()
            return Phrase(
                "The network: \(codes.joined(separator: ", ")), or its name (VK, Telegram, ...).",
                "Сеть: \(codes.map { "`\($0)`" }.joined(separator: ", ")) или её название (ВКонтакте, Телеграм, ...).")
        }
        static let author = Phrase("Author", "Автор")
        static func cannotRename(_ from: String, _ to: String) -> Phrase {
            Phrase("cannot rename \(from) to \(to)", "не удаётся переименовать \(from) в \(to)")
        }
        static let caseLabel = Phrase("Case", "Дело")
        static let kind = Phrase("Kind", "Вид")
        static let login = Phrase("Login", "Логин")
        static let network = Phrase("Network", "Сеть")
        static let importanceHelp = Phrase("normal or high.", "`normal` (обычная) или `high` (высокая).")
        static let unitFilterHelp = Phrase(
            "Only cases with an assignment of this unit (its code or title).",
            "Только дела с поручением этого подразделения (код или название).")
        static let osUser = Phrase("OS user", "Пользователь ОС")
        static let overdue = Phrase("overdue", "просрочено")
        static let place = Phrase("Place", "Место")
        static let rejected = Phrase("rejected", "отклонено")
        static let roles = Phrase("Roles", "Роли")
        static let schedule = Phrase("Schedule", "График")
        /// A schedule's name: Russian quotes it, as it is a name of the contract.
        static func scheduleName(_ name: String) -> Phrase { Phrase("\(name)", "«\(name)»") }
        static let textLabel = Phrase("Text", "Текст")
        static let assignmentHelp = Phrase("The assignment.", "Поручение.")
        static let assignmentWithExampleHelp = Phrase(
            "The assignment, e.g. 2026-000123/1.", "Поручение, например 2026-000123/1.")
        static let authorHelp = Phrase("The author's name.", "Имя автора.")
        static let newFileHelp = Phrase(
            "The file to write; it must not exist yet.", "Файл для записи; его ещё не должно быть.")
        static let afterHelp = Phrase(
            "The next page: the cursor the previous page ended with.",
            "Следующая страница: курсор, которым закончилась предыдущая.")
        static let urlHelp = Phrase("The post's URL.", "Ссылка на пост.")
        static let unit = Phrase("Unit", "Подразделение")
        static let version = Phrase("Version", "Версия")
        static let detectedAtHelp = Phrase(
            "When the post was found: now, 15:40, yesterday 15:40, 2026-12-01 15:40 or ISO 8601 with an offset.",
            "Когда пост выявлен: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 или ISO 8601 со смещением.")
        static let postedAtHelp = Phrase(
            "When the post was written (the same forms as --detected-at).",
            "Когда пост написан (в тех же формах, что --detected-at).")
    }
}
