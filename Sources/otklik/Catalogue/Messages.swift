import OtklikDesk

/// What `otklik message` says, English and Russian side by side.
extension Say {
    enum Messages {
        static let importAbstract = Phrase(
            "Import posts from a monitoring system's table or a network's export; a dry run unless --apply.",
            "Загрузить посты из таблицы системы мониторинга или выгрузки соцсети; без --apply только проверка.")
        static let importDiscussion = Phrase(
            """
            Formats (docs/IMPORT.md): csv (columns network, url, author, text, detected_at, posted_at, \
            external_id, topics, importance; `;` or `,`; UTF-8), jsonl (one RegisterMessage-shaped object a \
            line), vk (the JSON of wall.get, wall.getComments or newsfeed.search), telegram (Telegram \
            Desktop's result.json). A post registered before is found, not added: importing a file twice \
            adds nothing. Every refused line is listed with its number; the exit status is then 65.
            """,
            """
            Форматы (docs/IMPORT.md): `csv` (столбцы `network`, `url`, `author`, `text`, `detected_at`, \
            `posted_at`, `external_id`, `topics`, `importance`; разделитель `;` или `,`; UTF-8), `jsonl` (по \
            объекту RegisterMessage в строке), `vk` (JSON методов wall.get, wall.getComments или \
            newsfeed.search), `telegram` (result.json из Telegram Desktop). Уже зарегистрированный пост находится, а не \
            добавляется: повторная загрузка того же файла ничего не добавит. Каждая отклонённая строка \
            названа с номером; код выхода тогда 65.
            """)
        static let importFileHelp = Phrase("The file to import.", "Файл для загрузки.")
        static let importFormatHelp = Phrase(
            "csv, jsonl, vk or telegram (default: told by the file's name and content).",
            "`csv`, `jsonl`, `vk` или `telegram` (по умолчанию — по имени и содержимому файла).")
        static let importApplyHelp = Phrase(
            "Register the posts (without it, only say what would happen).",
            "Зарегистрировать посты (без флага — только сказать, что будет).")
        static let importChannelHelp = Phrase(
            "Telegram: the channel's link, https://t.me/NAME (the export does not carry it).",
            "Telegram: ссылка на канал, https://t.me/ИМЯ (в выгрузке её нет).")
        static let importDetectedAtHelp = Phrase(
            "When the posts were found, where the file does not say (default: now).",
            "Когда посты выявлены, если в файле это не указано (по умолчанию — сейчас).")
        static func notAFormat(_ format: String) -> Phrase {
            Phrase(
                "--format \(format) is not one of csv, jsonl, vk, telegram",
                "--format \(format) — не `csv`, `jsonl`, `vk` или `telegram`")
        }
        static func unknownFormat(_ file: String) -> Phrase {
            Phrase(
                "cannot tell the format of \(file); name it with --format csv|jsonl|vk|telegram",
                "не понять, в каком формате \(file); укажите --format csv|jsonl|vk|telegram")
        }
        /// A file that cannot be read as its format: the file, then why.
        static func fileUnreadable(_ file: String, _ why: String) -> Phrase {
            Phrase("\(file): \(why)", "\(file): \(why)")
        }
        static let imported = Phrase("Imported.", "Загружено.")
        static let importDryRun = Phrase(
            "Dry run, nothing written (add --apply):", "Пробный прогон, ничего не записано (добавьте --apply):")
        static func importCounts(_ new: Int, _ existing: Int, _ refused: Int) -> Phrase {
            Phrase(
                "new: \(new), already registered: \(existing), refused: \(refused)",
                "новых: \(new), уже зарегистрированы: \(existing), отклонено: \(refused)")
        }
        static func importSkipped(_ count: Int) -> Phrase {
            Phrase(
                "passed over: \(count) service messages (joins, pins)",
                "пропущено служебных сообщений (вступления, закрепления): \(count)")
        }
        static let importNewCases = Phrase("New cases:", "Новые дела:")
        static let importExistingCases = Phrase("Already registered:", "Уже зарегистрированы:")
        static func importMore(_ count: Int) -> Phrase {
            Phrase("... and \(count) more (-o json lists them all)", "... и ещё \(count) (все — в -o json)")
        }
        static func importOwn(_ count: Int) -> Phrase {
            Phrase(
                "passed over: \(count) written by the administration's own accounts",
                "пропущено написанных аккаунтами самой администрации: \(count)")
        }
        static let importRefusedHeading = Phrase("Refused:", "Отклонены:")
        /// An entry of the file, by its line (CSV, JSON lines) or its item (a network's export), and
        /// what became of it.
        static func entry(countsLines: Bool, _ position: Int, _ outcome: String) -> Phrase {
            countsLines
                ? Phrase("line \(position): \(outcome)", "строка \(position): \(outcome)")
                : Phrase("item \(position): \(outcome)", "элемент \(position): \(outcome)")
        }
        static func repeatsPosition(_ earlier: Int) -> Phrase {
            Phrase("the same post as \(earlier) above", "тот же пост, что и \(earlier) выше")
        }
        static func importProgress(_ done: Int, _ total: Int) -> Phrase {
            Phrase("import: \(done) of \(total)", "загрузка: \(done) из \(total)")
        }
        static let textFileHelp = Phrase(
            "A file holding the message text (- for the standard input).",
            "Файл с текстом сообщения (- — стандартный ввод).")
        static let topicHelp = Phrase("A topic (repeatable).", "Тема (можно несколько раз).")
        static let messageAbstract = Phrase(
            "Messages found in social networks.", "Сообщения, найденные в социальных сетях.")
        static let registerAbstract = Phrase(
            "Register a message (idempotent on network and external id or URL).",
            "Зарегистрировать сообщение (повторная регистрация того же поста вернёт прежнее дело).")
        static let allowOldHelp = Phrase(
            "Take a detection or posting time more than 30 days ago (the profile's max_fact_age_days): it is not a typo.",
            "Принять время выявления или публикации старше 30 дней (max_fact_age_days профиля): это не опечатка.")
        static let textHelp = Phrase("The message text.", "Текст сообщения.")
        static let externalIDHelp = Phrase(
            "The monitoring system's card id.", "Номер карточки в системе мониторинга.")
    }
}
