/// What reading an import file says, English and Russian side by side (`otklik message import`).
public enum ImportWords {
    public static let notUTF8 = Phrase(
        "the file is not UTF-8 text; save the table as \"CSV UTF-8\"",
        "файл — не текст UTF-8; сохраните таблицу как «CSV UTF-8»")
    public static let unclosedQuote = Phrase(
        "a quoted cell is never closed: the file is not CSV", "кавычка в ячейке не закрыта: файл — не CSV")
    public static let emptyFile = Phrase("the file is empty", "файл пуст")
    /// The headings a column of the import's CSV is known by, beside its key: the people's CSV of
    /// `otklik export cases` and a monitoring system's table, in either language.
    static let columnHeadings: [String: [Phrase]] = [
        "network": [Phrase("Network", "Соцсеть"), Phrase("Network", "Сеть")],
        "url": [Phrase("Link", "Ссылка"), Phrase("URL", "Адрес")],
        "author": [Phrase("Author", "Автор")],
        "text": [Phrase("Text", "Текст"), Phrase("Message", "Сообщение")],
        "detected_at": [Phrase("Detected", "Выявлено"), Phrase("Detected at", "Время выявления")],
        "posted_at": [Phrase("Posted", "Размещено автором"), Phrase("Posted at", "Размещено")],
        "external_id": [Phrase("External id", "Внешний id"), Phrase("Id in the network", "Id в сети")],
        "topics": [Phrase("Topics", "Темы"), Phrase("Topic", "Тема")],
        "importance": [Phrase("Importance", "Важность")],
    ]

    /// Every name of column `key`'s headings, in both languages.
    public static func columnNames(_ key: String) -> [String] {
        (columnHeadings[key] ?? []).flatMap { [$0.english, $0.russian] }
    }

    /// Column `key`'s first heading in `language` (`Соцсеть`), its key without one.
    static func heading(_ key: String, _ language: Language) -> String {
        columnHeadings[key]?.first?.text(in: language) ?? key
    }

    /// Headings as the file gave them, and the columns by their headings in each language.
    public static func unknownColumns(_ unknown: String, _ known: [String]) -> Phrase {
        Phrase(
            "unknown columns: \(unknown); the columns are \(known.map { heading($0, .english) }.joined(separator: ";"))",
            "неизвестные столбцы: \(unknown); столбцы такие: \(known.map { heading($0, .russian) }.joined(separator: ";"))"
        )
    }
    public static func missingColumns(_ missing: [String]) -> Phrase {
        Phrase(
            "the header has no column \(missing.map { heading($0, .english) }.joined(separator: ", "))",
            "в заголовке нет столбцов: \(missing.map { heading($0, .russian) }.joined(separator: ", "))")
    }
    public static func repeatedColumns(_ repeated: String) -> Phrase {
        Phrase("columns named twice: \(repeated)", "столбцы названы дважды: \(repeated)")
    }
    public static func cellCount(_ cells: Int, _ columns: Int) -> Phrase {
        Phrase(
            "\(cells) cells where the header has \(columns) columns",
            "ячеек \(cells), а столбцов в заголовке \(columns)")
    }
    public static func emptyField(_ key: String) -> Phrase {
        Phrase("\(heading(key, .english)) is empty", "не заполнено поле «\(heading(key, .russian))»")
    }
    public static func notATime(_ field: String, _ text: String) -> Phrase {
        Phrase(
            "\(field) \"\(text)\" is not a time like 2026-12-01 15:40, 01.12.2026 15:40 or ISO 8601",
            "`\(field)` «\(text)» — не время вида 2026-12-01 15:40, 01.12.2026 15:40 или ISO 8601")
    }
    public static func notAnImportance(_ text: String) -> Phrase {
        Phrase(
            "importance \"\(text)\" is neither normal nor high",
            "важность «\(text)» — ни `normal` (обычная), ни `high` (высокая)")
    }
    public static let notAJSONObject = Phrase("the line is not a JSON object", "строка — не объект JSON")
    public static func unknownKeys(_ unknown: String, _ known: String) -> Phrase {
        Phrase(
            "unknown keys: \(unknown); the keys are \(known)", "неизвестные ключи: \(unknown); ключи такие: \(known)")
    }
    public static func wrongType(_ key: String) -> Phrase {
        Phrase("\(key) has a value of the wrong type", "у ключа `\(key)` значение не того типа")
    }
    public static func notTheJSONOf(_ source: String) -> Phrase {
        Phrase("the file is not the JSON of a \(source) export", "файл — не выгрузка \(source) в JSON")
    }
    public static func vkError(_ message: String) -> Phrase {
        Phrase(
            "the file holds VK's error, not posts: \(message)", "в файле ошибка VK, а не посты: \(message)")
    }
    public static let vkItemWithoutIDs = Phrase(
        "an item without id and owner_id", "элемент без id и owner_id")
    public static let telegramItemWithoutID = Phrase("a message without id", "сообщение без id")
    public static let telegramNoChat = Phrase(
        "the export names no chat id; give the channel's link with --channel",
        "в выгрузке нет id чата; укажите ссылку на канал в --channel")
    public static let noText = Phrase(
        "no text (a photo or a deleted message): register it by hand if it needs an answer",
        "нет текста (фото или удалённое сообщение): если нужен ответ, зарегистрируйте его вручную")
    public static func notAChannel(_ link: String) -> Phrase {
        Phrase(
            "--channel \(link) is not a channel's link like https://t.me/NAME",
            "--channel \(link) — не ссылка на канал вида https://t.me/ИМЯ")
    }
}
