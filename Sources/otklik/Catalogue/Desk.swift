import OtklikDesk

/// What `otklik desk` says (the desk in the browser, issue 30), English and Russian side by side; the
/// helper it starts (clients/desk) speaks for itself.
extension Say {
    enum Desk {
        static let deskAbstract = Phrase(
            "The desk in the browser: the day's work without a terminal.",
            "Рабочее место в браузере: работа дня без терминала.")
        static let deskDiscussion = Phrase(
            """
            Serves the day's work (the queue, cases, drafts, approvals, the report) on 127.0.0.1 to you \
            alone: prints its address and opens the browser, with --no-browser only prints the address. \
            Started again while it runs, it opens the running one rather than a second; `otklik desk --stop` \
            stops it. It reaches the daemon as you, on this machine or through --host ssh://..., and needs \
            Python 3 with Flask and Pillow (apt-get install -y python3-flask python3-pil).
            """,
            """
            Показывает работу дня (очередь, дела, проекты ответов, согласование, отчёт) на 127.0.0.1 только \
            вам: печатает адрес и открывает браузер, с --no-browser только печатает адрес. Если рабочее место \
            уже запущено, открывает его, а не второе; `otklik desk --stop` останавливает его. К демону \
            обращается от вашего имени, на этой машине или через --host ssh://...; нужен Python 3 с Flask \
            и Pillow (apt-get install -y python3-flask python3-pil).
            """)
        static let portHelp = Phrase(
            "The port on 127.0.0.1, 0 to 65535 (default: a free one).",
            "Порт на 127.0.0.1, от 0 до 65535 (по умолчанию — свободный).")
        static let noBrowserHelp = Phrase(
            "Only print the address; do not open the browser.", "Только напечатать адрес, браузер не открывать.")
        static let stopHelp = Phrase("Stop the running desk.", "Остановить запущенное рабочее место.")
        static func portOutOfRange(_ port: Int) -> Phrase {
            Phrase(
                "--port \(port) is not a port: 0 to 65535 (0: a free one)",
                "--port \(port) — не порт: от 0 до 65535 (0 — любой свободный)")
        }
        static func helperMissing(_ installed: String, _ program: String) -> Phrase {
            Phrase(
                "otklik desk: its helper otklik_desk.py is neither installed (\(installed)) nor in a repository around \(program): install Otklik with `scripts/install`, or name the helper's path in $OTKLIK_DESK",
                "otklik desk: помощник otklik_desk.py не найден ни среди установленных (\(installed)), ни в репозитории вокруг \(program): установите «Отклик» (`scripts/install`) или укажите путь к помощнику в $OTKLIK_DESK"
            )
        }
        static func namedHelperMissing(_ path: String) -> Phrase {
            Phrase(
                "otklik desk: $OTKLIK_DESK names \(path), which is not a file: name the helper otklik_desk.py there, or unset it",
                "otklik desk: $OTKLIK_DESK указывает на \(path), но такого файла нет: укажите в нём путь к otklik_desk.py или уберите переменную"
            )
        }
        static func pythonFailed(_ python: String, _ why: String) -> Phrase {
            Phrase(
                "otklik desk: cannot start \(python) (\(why)): the desk needs Python 3 with Flask and Pillow (apt-get install -y python3 python3-flask python3-pil)",
                "otklik desk: не удалось запустить \(python) (\(why)): рабочему месту нужен Python 3 с Flask и Pillow (apt-get install -y python3 python3-flask python3-pil)"
            )
        }
    }
}
