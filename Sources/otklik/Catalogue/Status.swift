import OtklikDesk

/// What `otklik status` and `otklik whoami` says, English and Russian side by side.
extension Say {
    enum Status {
        static let clock = Phrase("Clock", "Часы")
        static let connections = Phrase("Connections", "Подключений")
        /// How long the daemon has been up: whole days, then hours:minutes:seconds.
        static func uptime(_ days: Int64, _ clock: String) -> Phrase {
            Phrase("\(days) d \(clock)", "\(days) дн \(clock)")
        }
        static let daemon = Phrase("Daemon", "Демон")
        static let events = Phrase("Events", "Событий в журнале")
        static let gid = Phrase("gid", "gid")
        static let noRoles = Phrase("none", "нет")
        static let pid = Phrase("pid", "pid")
        static let schemaVersion = Phrase("Schema version", "Версия схемы БД")
        static let serving = Phrase("serving", "работает")
        static let versionAbstract = Phrase(
            "This program's version and the daemon's.", "Версия этой программы и демона.")
        static let thisProgram = Phrase("otklik", "otklik (эта программа)")
        static func notReached(_ socket: String) -> Phrase {
            Phrase("not reached at \(socket)", "не отвечает на \(socket)")
        }
        static let statusAbstract = Phrase(
            "Show whether the daemon is up, its version and load.",
            "Показать, работает ли демон, его версию и нагрузку.")
        static let whoamiAbstract = Phrase(
            "Show who the daemon takes you for: your login and roles.", "Показать, кем вас считает демон: логин и роли."
        )
        /// The daemon's clock: what it reads, said to be simulated under --test-clock.
        static func clockReading(_ now: String, simulated: Bool) -> Phrase {
            Phrase("\(simulated ? "simulated, " : "")\(now)", "\(simulated ? "имитация, " : "")\(now)")
        }
        static let socket = Phrase("Socket", "Сокет")
        static let started = Phrase("Started", "Запущен")
        static let stopping = Phrase("stopping", "останавливается")
        static let uid = Phrase("uid", "uid")
        static let unknown = Phrase("unknown", "неизвестно")
        static let upFor = Phrase("Up for", "Работает")
        static let replica = Phrase("Replica", "Реплика")
        static let replicaUnknown = Phrase(
            "the database is replicated; how far behind is not known (otklikd has no --replicator-socket)",
            "база копируется; отставание неизвестно (у otklikd не задан --replicator-socket)")
        static let replicaUnreachable = Phrase(
            "the database is replicated, but the replicator does not answer on its socket: writes may not reach the standby",
            "база копируется, но репликатор не отвечает на своём сокете: записи могут не доходить до резервного сервера"
        )
        static func replicaInStep(_ synced: String) -> Phrase {
            Phrase("in step (last upload \(synced))", "без отставания (последняя выгрузка \(synced))")
        }
        static let databaseCheck = Phrase("Database check", "Проверка базы")
        /// The check a start owed (after a crash, on a restored copy, after a replicator's checkpoint),
        /// run once serving has begun.
        static func databaseCheckRunning(full: Bool, _ seconds: Int64) -> Phrase {
            Phrase(
                "\(full ? "full" : "quick") check running beside the calls for \(seconds) s",
                "\(full ? "полная" : "быстрая") проверка идёт \(seconds) с, работе не мешает")
        }
        static func databaseCheckPassed(full: Bool, _ seconds: Int64) -> Phrase {
            Phrase(
                "\(full ? "full" : "quick") check passed in \(seconds) s",
                "\(full ? "полная" : "быстрая") проверка пройдена за \(seconds) с")
        }
        static let databaseCheckDamaged = Phrase(
            "found damage: the daemon is stopping; its next start mends the file or says what to do",
            "найдено повреждение: демон останавливается; при следующем запуске он исправит файл или скажет, что делать")
        static let databaseCheckUnfinished = Phrase(
            "could not finish (see the daemon's log): it runs again at the next start",
            "не удалось завершить (см. журнал демона): будет запущена снова при следующем запуске")
        static func replicaBehind(_ seconds: Int64, _ synced: String) -> Phrase {
            Phrase(
                "behind: writes of the last \(seconds) s are not in it yet (last upload \(synced))",
                "отстаёт: записей за последние \(seconds) с в ней ещё нет (последняя выгрузка \(synced))")
        }
    }
}
