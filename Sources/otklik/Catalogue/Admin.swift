import OtklikDesk

/// What `otklik admin` says, English and Russian side by side.
extension Say {
    enum Admin {
        static let adminAbstract = Phrase("Administration.", "Администрирование.")
        static func attachmentDamaged(_ current: String, _ received: Int64, _ size: Int64) -> Phrase {
            Phrase(
                "attachment \(current) arrived damaged (\(received) of \(size) bytes)",
                "вложение \(current) пришло повреждённым (\(received) из \(size) байт)")
        }
        static func backupWritten(
            _ file: String, _ written: Int64, _ newest: Int64, _ count: Int, _ expected: Int64, _ folder: String
        ) -> Phrase {
            Phrase(
                "\(file): \(written) bytes, events up to \(newest); \(count) of \(expected) attachments in \(folder)",
                "\(file): \(written) байт, события по \(newest); вложений \(count) из \(expected) в \(folder)")
        }
        static func cannotWriteBackup(_ localizedDescription: String) -> Phrase {
            Phrase(
                "cannot write the backup: \(localizedDescription)", "не удаётся записать копию: \(localizedDescription)"
            )
        }
        static func fileExists(_ path: String) -> Phrase {
            Phrase("\(path) exists; name a new file", "\(path) уже существует; укажите новый файл")
        }
        static let byHelp = Phrase("How far.", "На сколько.")
        static func isNotADuration(_ by: String) -> Phrase {
            Phrase(
                "\(by) is not a duration like 90s, 30m, 2h30m or 3d",
                "\(by) — не длительность вида 90s, 30m, 2h30m или 3d")
        }
        static let advanceAbstract = Phrase(
            "Move the clock forward by wall-clock time: 90s, 30m, 2h30m, 3d.",
            "Передвинуть часы вперёд на календарное время: 90s, 30m, 2h30m, 3d.")
        static let clockAbstract = Phrase(
            "Move the simulated clock of a daemon started with --test-clock.",
            "Перевести имитируемые часы демона, запущенного с --test-clock.")
        static let backupDiscussion = Phrase(
            "Restore: stop the daemon, move the old otklik.sqlite3* files and attachments/ aside (the WAL too), put FILE as otklik.sqlite3 and FILE.attachments as attachments, start it (README, docs/ARCHITECTURE.md: Backups).",
            "Восстановление: остановите демон, уберите старые файлы otklik.sqlite3* и каталог attachments/ (WAL тоже), положите ФАЙЛ как otklik.sqlite3 и ФАЙЛ.attachments как attachments, запустите (README, docs/ARCHITECTURE.md: Backups)."
        )
        static let setAbstract = Phrase(
            "Set the clock to an instant (never back).", "Поставить часы на момент (только вперёд).")
        static func backupCutShort(_ written: Int64, _ total: Int64) -> Phrase {
            Phrase(
                "the backup ended after \(written) of \(total) bytes", "копия оборвалась: \(written) из \(total) байт")
        }
        static func badFileName(_ sha256: String) -> Phrase {
            Phrase("the daemon named a file \(sha256)", "демон назвал файл \(sha256)")
        }
        static let instantHelp = Phrase(
            "The time: ISO 8601 with an offset, or 2026-12-01 15:40 (the schedule's zone).",
            "Время: ISO 8601 со смещением или 2026-12-01 15:40 (в поясе графика).")
        static let backupAbstract = Phrase(
            "Write a consistent copy of the database to FILE, and its attachments to FILE.attachments/ (admin).",
            "Записать согласованную копию базы в ФАЙЛ, а вложения — в ФАЙЛ.attachments/ (администратор).")
    }
}
