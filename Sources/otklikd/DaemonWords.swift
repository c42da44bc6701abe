import Foundation
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC
import OtklikServer
import OtklikStore
#if canImport(Glibc)
import Glibc
#endif

/// What otklikd says to the person who starts it, English and Russian side by side (issue 26, item 8):
/// its help, its refusals of options, its refusals to start. Its log lines stay English: they are
/// read by programs and searched for as they are.
enum DaemonSay {
    static let abstract = Phrase(
        "Otklik daemon: holds every case and serves the RPC API on a Unix socket.",
        "Демон «Отклика»: хранит все дела и обслуживает RPC API на Unix-сокете.")
    static func discussion(_ demo: String, _ system: String) -> Phrase {
        Phrase(
            """
            Socket: --socket, else $OTKLIK_SOCKET, else \(demo) with --demo, else \(system).
            Data: --data, else $OTKLIK_DATA, else ./.otklik/.
            Stops gracefully on SIGTERM or SIGINT.
            """,
            """
            Сокет: --socket, иначе $OTKLIK_SOCKET, иначе \(demo) с --demo, иначе \(system).
            Данные: --data, иначе $OTKLIK_DATA, иначе ./.otklik/.
            Останавливается, доделав начатое, по SIGTERM или SIGINT.
            """)
    }

    enum Help {
        static let socket = Phrase("Path of the Unix socket to serve.", "Путь к Unix-сокету, который обслуживать.")
        static let data = Phrase("Directory of the database.", "Каталог базы данных.")
        static let demo = Phrase(
            "Seed demo data and use the demo socket path by default.",
            "Заполнить демонстрационными данными и по умолчанию взять демонстрационный сокет.")
        static let profile = Phrase(
            "A regulation profile file (JSON: terms, networks and their hosts, clarification_limit, max_fact_age_days); default: the shipped borovichi-34-rg.",
            "Файл профиля регламента (JSON: сроки, сети и их адреса, clarification_limit, max_fact_age_days); по умолчанию — поставляемый borovichi-34-rg."
        )
        static let diagnostics = Phrase(
            "Serve otklik.v1.Diagnostics (transport probes for tests and benchmarks).",
            "Обслуживать otklik.v1.Diagnostics (проверки транспорта для тестов и замеров).")
        static let maxConnections = Phrase(
            "Most connections served at once.", "Наибольшее число соединений одновременно.")
        static let maxCallsPerConnection = Phrase(
            "Most calls running at once on one connection.",
            "Наибольшее число одновременных вызовов в одном соединении.")
        static let maxConnectionsPerUser = Phrase(
            "Most connections one OS user may hold at once.",
            "Наибольшее число соединений одного пользователя ОС одновременно.")
        static let idleTimeout = Phrase(
            "Seconds after which a connection with no call running and nothing received is closed.",
            "Через сколько секунд закрывается соединение без вызовов, по которому ничего не приходит.")
        static let shutdownGrace = Phrase(
            "Seconds a graceful stop waits for running calls (reads still running at half of it are ended); the stop then takes at most one second more.",
            "Сколько секунд остановка ждёт начатые вызовы (чтения, идущие к середине этого срока, прерываются); затем остановка занимает не больше секунды."
        )
        static let uploadIdleTimeout = Phrase(
            "Seconds an upload may send nothing before it is ended (its place and file freed).",
            "Сколько секунд загрузка файла может ничего не присылать, прежде чем её прервут (место и файл освобождаются)."
        )
        static let logLevel = Phrase(
            "Log level: debug, info, warning, error.", "Уровень журнала: debug, info, warning, error.")
        static let testClock = Phrase(
            "Run on a simulated clock starting at this ISO 8601 instant; it moves only with `otklik admin clock`.",
            "Работать по моделируемым часам с этого момента (ISO 8601); они идут только по `otklik admin clock`.")
        static let group = Phrase(
            "OS group whose members may connect (the socket and its directory get this group).",
            "Группа ОС, участники которой могут подключаться (сокет и его каталог получают эту группу).")
        static let startupCheck = Phrase(
            "Database check at start: auto (none after a clean stop that left the file untouched; after a crash the full check, once serving has begun, beside the calls; quick, likewise, when under --replicated only the replicator checkpointed the file since; full before serving for a file changed while the daemon was down), full (integrity_check, before serving) or quick (quick_check, before serving).",
            "Проверка базы при запуске: auto (никакой после чистой остановки, если файл не тронут; после аварийной остановки полная, уже во время работы, не мешая вызовам; быстрая, тоже во время работы, если с --replicated его с тех пор менял только репликатор контрольной точкой; полная до начала работы, если файл изменили, пока демон был остановлен), full (integrity_check до начала работы) или quick (quick_check до начала работы)."
        )
        static let replicated = Phrase(
            "A replicator (Litestream) ships the database: leave checkpoints to it, so a stop never waits for its lock.",
            "Базу копирует репликатор (Litestream): контрольные точки делает он, и остановка не ждёт его блокировки.")
        static let replicatorSocket = Phrase(
            "Litestream's control socket: `otklik status` then says how far behind the replica is (implies --replicated).",
            "Управляющий сокет Litestream: тогда `otklik status` показывает, насколько отстаёт реплика (включает --replicated)."
        )
        static let check = Phrase(
            "Check the database in full (integrity_check, read-only, beside a running daemon too), then exit.",
            "Полностью проверить базу (integrity_check, только чтение, можно и при работающем демоне) и выйти.")
        static let rebuildProjections = Phrase(
            "Rebuild the cases' projections from the event log, then exit.",
            "Заново построить состояние дел по журналу событий и выйти.")
        static let recover = Phrase(
            "Copy what SQLite can read of a damaged database into a new file beside it (the damaged one is kept), then exit.",
            "Скопировать то, что SQLite может прочитать из повреждённой базы, в новый файл рядом (повреждённая остаётся) и выйти."
        )
        static let allowClockBeforeLog = Phrase(
            "Start even when the clock stands before the newest event in the log (test setups only).",
            "Запускаться, даже если часы отстают от последнего события журнала (только для тестов).")
        static let acceptClockCorrection = Phrase(
            "Start although the clock stands before the log's newest event, recording the two instants and this reason: the way out after a clock that ran ahead was set right.",
            "Запуститься, хотя часы отстают от последнего события журнала, записав оба момента и эту причину: выход после того, как убежавшие вперёд часы исправили."
        )
        static let size = Phrase("bytes, or with KiB, MiB, GiB", "байты или число с KiB, MiB, GiB")
        static let maxPhotoSize = Phrase(
            "Largest photo an upload may be (\(size.english)).", "Наибольший размер фото (\(size.russian)).")
        static let maxVideoSize = Phrase(
            "Largest video an upload may be (\(size.english)).", "Наибольший размер видео (\(size.russian)).")
        static let maxDocumentSize = Phrase(
            "Largest document (PDF) an upload may be (\(size.english)).",
            "Наибольший размер документа PDF (\(size.russian)).")
        static let maxDraftAttachmentsSize = Phrase(
            "Most the files of one draft may come to together (\(size.english)).",
            "Наибольший общий размер файлов одного проекта (\(size.russian)).")
        static let uploadQuota = Phrase(
            "Most one person's uploaded files that no draft carries yet may come to (\(size.english)); unused ones are removed after a day.",
            "Наибольший общий размер загруженных одним человеком файлов, ещё не приложенных к проекту (\(size.russian)); неиспользованные удаляются через сутки."
        )
        static let uploadDiskReserve = Phrase(
            "Free space the data disk keeps for registrations: an upload that would leave less is refused (\(size.english)).",
            "Свободное место, которое диск данных держит для регистрации сообщений: загрузка, после которой останется меньше, отклоняется (\(size.russian))."
        )
    }

    // Refusals of options.
    static let logLevel = Phrase(
        "--log-level must be one of debug, info, warning, error", "--log-level — одно из: debug, info, warning, error")
    static let limits = Phrase(
        "limits must be positive; --idle-timeout is at most a year, --shutdown-grace and --upload-idle-timeout at most an hour (seconds)",
        "пределы должны быть положительными; --idle-timeout — не больше года, --shutdown-grace и --upload-idle-timeout — не больше часа (в секундах)"
    )
    static let clockCorrection = Phrase(
        "--accept-clock-correction takes the reason, one line of at most 500 characters (what was wrong with the clock)",
        "--accept-clock-correction принимает причину — одну строку не длиннее 500 знаков (что было не так с часами)")
    static let startupCheck = Phrase(
        "--startup-check is auto, full or quick", "--startup-check — auto, full или quick")
    static func notASize(_ flag: String, _ value: String) -> Phrase {
        Phrase(
            "\(flag) \(value) is not a size: give bytes, or a number with KiB, MiB or GiB (such as 50MiB), at most 64GiB",
            "\(flag) \(value) — не размер: укажите байты или число с KiB, MiB или GiB (например, 50MiB), не больше 64GiB"
        )
    }
    static func notAnInstant(_ value: String) -> Phrase {
        Phrase(
            "--test-clock \(value) is not an ISO 8601 instant with an offset, e.g. 2026-12-01T09:00:00+03:00",
            "--test-clock \(value) — не момент ISO 8601 со смещением, например 2026-12-01T09:00:00+03:00")
    }

    // What a start or an offline run says.
    static func profileUnusable(_ path: String, _ error: String) -> Phrase {
        Phrase("the profile \(path) cannot be used: \(error)", "профиль \(path) нельзя использовать: \(error)")
    }
    static func noGroup(_ group: String) -> Phrase {
        Phrase(
            "there is no OS group \(group); create it (groupadd \(group)) or name another",
            "группы ОС \(group) нет; создайте её (groupadd \(group)) или укажите другую")
    }
    static func damaged(_ findings: String) -> Phrase {
        Phrase(
            "the database is damaged:\n\(findings)\nStop the daemon and run otklikd recover (docs/ARCHITECTURE.md).",
            "база данных повреждена:\n\(findings)\nОстановите демон и запустите otklikd recover (docs/ARCHITECTURE.md)."
        )
    }
    static let passedCheck = Phrase(
        "the database passed its full check (integrity_check)", "база данных прошла полную проверку (integrity_check)")
    static func rebuilt(_ cases: Int) -> Phrase {
        Phrase(
            "rebuilt the projections of \(cases) cases from the event log",
            "состояние дел построено заново по журналу событий: \(cases)")
    }

    /// An error that stopped a start or an offline run, in the reader's language: each kind the daemon
    /// can meet is named here (the switches are exhaustive, so a new case does not build unsaid).
    static func error(_ error: any Error) -> String {
        switch error {
        case let refusal as Daemon.ClockBeforeLog: clock(refusal).text()
        case let failure as ServerStartError: server(failure).text()
        case let failure as DataDirectoryLock.Failure: directory(failure).text()
        case let failure as StoreError: store(failure).text()
        default: "\(error)"  // an error of another kind: as it describes itself
        }
    }

    static func clock(_ refusal: Daemon.ClockBeforeLog) -> Phrase {
        let now = refusal.now.iso(offset: 0), newest = refusal.newest.iso(offset: 0)
        return Phrase(
            refusal.description,
            "часы (\(now)) отстают от последнего события журнала (\(newest)); время в журнале не идёт назад. "
                + "Если неверны системные часы, исправьте их (timedatectl) и запустите снова. Если они верны сейчас, "
                + "а последние события записаны, пока часы убегали вперёд, запустите один раз с "
                + "--accept-clock-correction \"ПРИЧИНА\": запуск запишет оба момента и причину, и журнал продолжится с этого момента"
        )
    }

    static func server(_ failure: ServerStartError) -> Phrase {
        switch failure {
        case .pathTooLong(let path, let bytes, let limit):
            Phrase(
                failure.description,
                "путь сокета \(path) занимает \(bytes) байт; адрес Unix-сокета вмещает не больше \(limit). Укажите в --socket путь короче."
            )
        case .directoryOpenToOthers(let directory, let mode):
            Phrase(
                failure.description,
                "каталог сокета \(directory) имеет права \(String(mode, radix: 8)) и открыт другим пользователям; нужен каталог, куда входят только пользователь и группа демона (права 750 или строже), например /run/otklik."
            )
        case .alreadyServed(let path):
            Phrase(
                failure.description, "на \(path) уже отвечает другой демон; остановите его или укажите другой --socket."
            )
        case .notASocket(let path):
            Phrase(
                failure.description,
                "\(path) существует и не является сокетом; удалите его или укажите другой --socket.")
        case .system(let what, let path, let code):
            Phrase(
                failure.description, "не удаётся выполнить «\(what)» для \(path): \(String(cString: strerror(code)))")
        }
    }

    static func directory(_ failure: DataDirectoryLock.Failure) -> Phrase {
        switch failure {
        case .held(let directory, let pid):
            Phrase(
                failure.description,
                "каталог данных \(directory) занят другим otklikd (pid \(pid)); остановите его или укажите этому другой --data"
            )
        case .openToOthers(let path, let mode):
            Phrase(
                failure.description,
                "\(path) имеет права \(String(mode, radix: 8)) и доступен для чтения всем пользователям машины в обход прав; закройте: chmod o-rwx \(path)"
            )
        case .openToStaff(let directory, let mode):
            Phrase(
                failure.description,
                "каталог данных \(directory) имеет права \(String(mode, radix: 8)) и принадлежит группе сокета, так что любой сотрудник мог бы читать базу в обход прав; закройте: chmod 700 \(directory) (StateDirectoryMode=0700 в юните systemd)"
            )
        case .databaseGone(let path, let size):
            Phrase(
                failure.description,
                "\(path) \(size == 0 ? "пуст" : "отсутствует"), а в этом каталоге была база (так записано в \(DataDirectoryLock.fileName)); запуск на пустом месте отклонён. Верните базу (или восстановите резервную копию: docs/ARCHITECTURE.md, Backups); чтобы действительно начать заново, удалите и \(DataDirectoryLock.fileName)"
            )
        case .system(let what, let path, let code):
            Phrase(
                failure.description, "не удаётся выполнить «\(what)» для \(path): \(String(cString: strerror(code)))")
        }
    }

    static func store(_ failure: StoreError) -> Phrase {
        let recover = { (path: String) in
            "Запустите `otklikd recover --data \((path as NSString).deletingLastPathComponent)`: то, что читается, будет скопировано в новый файл рядом, этот останется; или восстановите резервную копию (otklik admin backup)."
        }
        return switch failure {
        case .cannotOpen(let path, let reason):
            Phrase(failure.description, "не удаётся открыть базу данных \(path): \(reason)")
        case .corrupt(let path, let findings):
            Phrase(
                failure.description,
                "база данных \(path) повреждена (\(findings.prefix(3).joined(separator: "; "))). Ничего не изменено. "
                    + recover(path))
        case .damagedTable(let path, let table, let reason):
            Phrase(
                failure.description,
                "таблица \(table) в \(path) не читается (\(reason)). Ничего не изменено. " + recover(path))
        case .newerSchema(let found, let known):
            Phrase(
                failure.description,
                "у базы данных версия схемы \(found), новее известной этой сборке (\(known)); запустите более новый otklikd"
            )
        case .sqlite(let code, let message): Phrase(failure.description, "ошибка SQLite \(code): \(message)")
        case .closed: Phrase(failure.description, "хранилище закрыто")
        case .missingAttachment(let sha256):
            Phrase(failure.description, "вложение \(sha256) не хранится; загрузите его снова")
        case .cannotWrite(let path, let reason, _):
            Phrase(failure.description, "не удаётся записать \(path): \(reason)")
        case .passedFileUnreadable(let received, let reason):
            Phrase(failure.description, "переданный файл не читается после \(received) байт: \(reason)")
        case .interrupted(.deadline): Phrase(failure.description, "чтение не уложилось в своё время и прервано")
        case .interrupted(.cancelled): Phrase(failure.description, "чтение прервано: вызывающий ушёл")
        }
    }
}
