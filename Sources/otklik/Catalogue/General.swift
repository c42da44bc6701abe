import OtklikDesk

/// What the CLI as a whole: its help, options, files and errors says, English and Russian side by side.
extension Say {
    enum General {
        static let asHelp = Phrase(
            "Act as this login (admins only; recorded as \"you as LOGIN\").",
            "Действовать от имени этого логина (только администратор; записывается как «вы от имени ЛОГИНА»).")
        /// An administrator refused a step is told to act as someone who may take it, with the logins
        /// that may (when there are).
        static func actAsHint(_ example: String, may logins: String) -> Phrase {
            Phrase(
                "An administrator takes this step for someone who may: add `--as \(example)`\(logins.isEmpty ? "" : " (may: \(logins))").",
                "Администратор делает этот шаг от имени сотрудника, которому он разрешён: добавьте `--as \(example)`\(logins.isEmpty ? "" : " (может: \(logins))")."
            )
        }
        static func cannotCreate(_ path: String, _ value: String) -> Phrase {
            Phrase(
                "cannot create \(path): \(value); choose another path or check the directory's rights",
                "не удаётся создать \(path): \(value); укажите другой путь или проверьте права на каталог")
        }
        static func fileTooLarge(_ path: String, _ mebibytes: Int) -> Phrase {
            Phrase(
                "\(path) is larger than \(mebibytes) MiB; split it into smaller files",
                "\(path) больше \(mebibytes) МиБ; разделите его на файлы поменьше")
        }
        static func cannotRead(_ path: String, _ value: String) -> Phrase {
            Phrase(
                "cannot read \(path): \(value); check the path and that you may read it",
                "не удаётся прочитать \(path): \(value); проверьте путь и права на чтение")
        }
        static let exitCodes = Phrase(
            """
            Exit codes (sysexits):
              0   success
              64  usage error: a wrong command line
              65  the daemon did not accept the values given
              66  not found: a case, a person, or an input file that cannot be read
              67  it exists already
              68  not possible in the present state of the case
              69  the daemon is not reachable
              70  the daemon failed (its log says why)
              73  an output file cannot be created
              75  try again: changed meanwhile, no answer in time, over a limit
              77  not permitted (also: the socket's group is not yours)
            """,
            """
            Коды завершения (sysexits):
              0   успех
              64  ошибка в командной строке
              65  демон не принял указанные значения
              66  не найдено: дело, сотрудник или входной файл, который нельзя прочитать
              67  это уже есть
              68  невозможно в нынешнем состоянии дела
              69  демон недоступен
              70  сбой демона (причина — в его журнале)
              73  нельзя создать выходной файл
              75  повторите: данные изменились, нет ответа вовремя, превышен предел
              77  нет прав (в том числе вы не в группе сокета)
            """)
        static let textOrTextFile = Phrase(
            "give exactly one of --text and --text-file", "укажите ровно одно: --text или --text-file")
        static func isNotAnAssignment(_ id: String) -> Phrase {
            Phrase("\(id) is not an assignment like 2026-000123/1", "\(id) — не поручение вида 2026-000123/1")
        }
        static func isNotATime(_ option: String, _ textValue: String, _ forms: String, _ formsRussian: String) -> Phrase
        {
            Phrase(
                "\(option) \(textValue) is not a time; write it as one of: \(forms)",
                "\(option) \(textValue) — не время; пишите так: \(formsRussian)")
        }
        static func endOfDay(_ option: String, _ textValue: String, _ instant: String) -> Phrase {
            Phrase(
                "\(option) \(textValue) = the whole of that day, up to \(instant)",
                "\(option) \(textValue) = весь этот день, до \(instant)")
        }
        static let fromHelp = Phrase(
            "Detected at or after this time (01.12.2026, 2026-12-01 09:00, ...; a date alone: from its start).",
            "Выявлены не раньше этого времени (01.12.2026, 2026-12-01 09:00, ...; одна дата — с начала дня).")
        static let toHelp = Phrase(
            "Detected up to this time (the same forms; a date alone takes in that whole day).",
            "Выявлены до этого времени (в тех же формах; одна дата — включая весь этот день).")
        static func monthHelp(_ forms: String) -> Phrase {
            Phrase(
                "Detected in this month (\(forms)), instead of --from and --to.",
                "Выявлены в этом месяце (\(forms)), вместо --from и --to.")
        }
        static let monthOrFromTo = Phrase(
            "give either --month or --from and --to, not both",
            "укажите либо --month, либо --from и --to, но не то и другое")
        static func isNotAMonth(_ textValue: String, _ forms: String) -> Phrase {
            Phrase(
                "--month \(textValue) is not a month; write it as \(forms)",
                "--month \(textValue) — не месяц; пишите так: \(forms)")
        }
        static func periodEndsBeforeItStarts(_ from: String, _ to: String) -> Phrase {
            Phrase(
                "the period ends before it starts: --from \(from), --to \(to)",
                "период кончается раньше, чем начинается: --from \(from), --to \(to)")
        }
        static func didYouMean(_ meant: String) -> Phrase {
            Phrase("Did you mean `\(meant)`?", "Возможно, имелось в виду `\(meant)`?")
        }
        static func couldMeanSeveral(_ option: String, _ textValue: String, _ words: String) -> Phrase {
            Phrase(
                "\(option) \(textValue) could mean several: \(words); write more of the word",
                "\(option) \(textValue) подходит к нескольким: \(words); напишите слово полнее")
        }
        static func isNotOneOf(_ option: String, _ textValue: String, _ words: String) -> Phrase {
            Phrase("\(option) \(textValue) is not one of \(words)", "\(option) \(textValue) — не одно из: \(words)")
        }
        static let alreadyExists = Phrase("it already exists", "он уже существует")
        static let isADirectory = Phrase("it is a directory", "это каталог")
        static let noSpaceLeft = Phrase("no space left on the disk", "на диске нет места")
        static let noSuchFile = Phrase("no such file or directory", "нет такого файла или каталога")
        static func notAFormatOfThisCommand(_ format: String, _ formats: String) -> Phrase {
            Phrase(
                "-o \(format) is not printed by this command; it prints \(formats)",
                "-o \(format): эта команда так не печатает; её форматы: \(formats)")
        }
        static let otklikAbstract = Phrase(
            "Otklik: answer citizens' posts on time, as the regulation demands.",
            "Отклик: ответы на сообщения граждан в срок, как требует регламент.")
        static func noDaemon(_ socketPath: String) -> Phrase {
            Phrase(
                "otklik: no daemon answers on \(socketPath). Start it with `otklikd --demo` in this directory (demo) or `systemctl start otklikd` (service), or pass --socket.",
                "otklik: по адресу \(socketPath) демон не отвечает. Запустите его: `otklikd --demo` в этом каталоге (демо) или `systemctl start otklikd` (служба), либо укажите --socket."
            )
        }
        static func socketOwnedByOther(_ path: String, _ file: String, uid: UInt32, directory: Bool) -> Phrase {
            Phrase(
                "otklik: not using \(path): \(directory ? "its directory " : "")\(file) belongs to uid \(uid), not to you or root, so it may not be the daemon. Pass --socket or set OTKLIK_SOCKET to use it anyway.",
                "otklik: \(path) не используется: \(directory ? "каталог " : "")\(file) принадлежит uid \(uid), а не вам или root, и может оказаться не демоном. Чтобы всё же подключиться, укажите --socket или OTKLIK_SOCKET."
            )
        }
        static func socketInWorldWritableDirectory(_ path: String, _ directory: String) -> Phrase {
            Phrase(
                "otklik: not using \(path): \(directory) is writable by every user, so anyone could have put the socket there. Pass --socket or set OTKLIK_SOCKET to use it anyway.",
                "otklik: \(path) не используется: в каталог \(directory) может писать любой пользователь, и сокет мог подложить кто угодно. Чтобы всё же подключиться, укажите --socket или OTKLIK_SOCKET."
            )
        }
        static let daemonTimedOut = Phrase(
            "otklik: the daemon did not answer in time (--timeout).", "otklik: демон не ответил вовремя (--timeout).")
        static func daemonUnavailable(_ message: String) -> Phrase {
            Phrase("otklik: the daemon is unavailable: \(message)", "otklik: демон недоступен: \(message)")
        }
        static func socketDenied(_ path: String) -> Phrase {
            Phrase("otklik: you may not open \(path).", "otklik: нет доступа к \(path).")
        }
        /// What keeps the user out (the socket, or a directory on its way), as `ls -l` would say it.
        static func socketBlocked(
            _ path: String, _ blocker: String, _ owner: String, _ group: String, _ mode: String
        )
            -> Phrase
        {
            Phrase(
                "otklik: the daemon's socket \(path) is there, but \(blocker) (owner \(owner), group \(group), mode \(mode)) does not let you in.",
                "otklik: сокет демона \(path) есть, но \(blocker) (владелец \(owner), группа \(group), права \(mode)) вас не пускает."
            )
        }
        static func askToJoin(_ group: String) -> Phrase {
            Phrase(
                "Staff connect through the group \(group): ask the administrator to add you (`sudo usermod -aG \(group) $USER`), then log in again.",
                "Сотрудники подключаются через группу \(group): попросите администратора добавить вас (`sudo usermod -aG \(group) $USER`) и войдите в систему заново."
            )
        }
        static let askWhichGroup = Phrase(
            "Ask the administrator which group the daemon serves (otklikd --group) and to add you to it; it is never the root group.",
            "Спросите администратора, через какую группу работает демон (otklikd --group), и попросите добавить вас в неё; это никогда не группа root."
        )
        static let outputHelp = Phrase(
            "Output format: table or json (the report also csv, html and pdf; exports csv or jsonl).",
            "Формат вывода: `table` (таблица) или `json` (для сводки также `csv`, `html` и `pdf`; для выгрузок `csv` или `jsonl`)."
        )
        static let socketHelp = Phrase("Path of the daemon's Unix socket.", "Путь к Unix-сокету демона.")
        static let permissionDenied = Phrase("permission denied", "нет прав")
        static let timeoutHelp = Phrase(
            "Seconds to wait for the daemon's answer.", "Сколько секунд ждать ответа демона.")
        static let expectedVersionHelp = Phrase(
            "The case version this is decided against (default: the current one).",
            "Версия дела, для которой принято решение (по умолчанию текущая).")
        static func otklikDiscussion(_ demo: String, _ system: String) -> Phrase {
            Phrase(
                """
                The daemon's socket: --socket, else $OTKLIK_SOCKET, else \(demo) if it exists, else \(system).
                Messages are in Russian when the locale (LC_ALL, LC_MESSAGES or LANG) starts with "ru".
                Times: now, 15:40 (today), yesterday 15:40, 2026-12-01 15:40 (in the schedule's zone) or ISO 8601.
                Start the day with `otklik queue`: what waits for your step.

                """,
                """
                Сокет демона: --socket, иначе $OTKLIK_SOCKET, иначе \(demo), если он есть, иначе \(system).
                Сообщения по-русски, когда локаль (LC_ALL, LC_MESSAGES или LANG) начинается с «ru».
                Время: now (сейчас), 15:40 (сегодня), вчера 15:40, 2026-12-01 15:40 (в поясе графика) или ISO 8601.
                Начинайте день с `otklik queue`: что ждёт вашего шага.

                """)
        }
        static let readOnlyFileSystem = Phrase("the file system is read-only", "файловая система только для чтения")
        static let reasonHelp = Phrase("Why (recorded in the history).", "Почему (записывается в историю).")
    }
}
