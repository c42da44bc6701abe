import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AdminCommand {
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Write a consistent copy of the database to FILE, and its attachments to FILE.attachments/ (admin).",
                "Записать согласованную копию базы в ФАЙЛ, а вложения — в ФАЙЛ.attachments/ (администратор)."),
            discussion: Language.text(
                "Restore: stop the daemon, move the old otklik.sqlite3* files and attachments/ aside (the WAL too), put FILE as otklik.sqlite3 and FILE.attachments as attachments, start it (README, docs/ARCHITECTURE.md: Backups).",
                "Восстановление: остановите демон, уберите старые файлы otklik.sqlite3* и каталог attachments/ (WAL тоже), положите ФАЙЛ как otklik.sqlite3 и ФАЙЛ.attachments как attachments, запустите (README, docs/ARCHITECTURE.md: Backups)."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Language.text("The file to write; it must not exist yet.", "Файл для записи; его ещё не должно быть.")))
        var file: String

        func run() throws {
            let folder = file + ".attachments"
            for path in [file, folder] where FileManager.default.fileExists(atPath: path) {
                throw ValidationError(
                    Language.text("\(path) exists; name a new file", "\(path) уже существует; укажите новый файл"))
            }
            // Written beside FILE under other names, synced, then renamed: FILE is whole or absent.
            let partial = file + ".partial"
            let partialFolder = folder + ".partial"
            guard
                FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: partial)
            else {
                throw FileFailure.output(partial)
            }
            var total: Int64 = 0, written: Int64 = 0, newest: Int64 = 0, expected: Int64 = 0
            var files = BackupFiles(folder: partialFolder)
            do {
                try global.withClient(streaming: true) { client throws(RPCError) in
                    let stream = client.serverStream(MaintenanceService.backup, BackupRequest(), timeout: nil)
                    var first = true
                    while let chunk = try stream.next() {
                        if first {
                            total = chunk.totalBytes
                            newest = chunk.lastSequence
                            expected = chunk.attachments
                            first = false
                        }
                        do {
                            if !chunk.attachment.isEmpty {
                                try files.begin(chunk.attachment, size: chunk.attachmentSize)
                            }
                            if files.isOpen {
                                try files.write(chunk.data)
                            } else {
                                try handle.write(contentsOf: chunk.data)
                                written += Int64(chunk.data.count)
                            }
                        } catch {
                            throw RPCError(
                                .dataLoss,
                                Language.text(
                                    "cannot write the backup: \(error.localizedDescription)",
                                    "не удаётся записать копию: \(error.localizedDescription)"))
                        }
                    }
                }
                try files.finish()
                guard written == total else {
                    throw ValidationError(
                        Language.text(
                            "the backup ended after \(written) of \(total) bytes",
                            "копия оборвалась: \(written) из \(total) байт"))
                }
                try handle.synchronize()
                try handle.close()
                if files.count > 0, rename(partialFolder, folder) != 0 {
                    throw ValidationError(
                        Language.text(
                            "cannot rename \(partialFolder) to \(folder)",
                            "не удаётся переименовать \(partialFolder) в \(folder)"))
                }
                guard rename(partial, file) == 0 else {
                    throw ValidationError(
                        Language.text(
                            "cannot rename \(partial) to \(file)", "не удаётся переименовать \(partial) в \(file)"))
                }
            } catch {
                try? handle.close()
                unlink(partial)
                try? FileManager.default.removeItem(atPath: partialFolder)
                throw error
            }
            global.show(
                Said(
                    text: Language.text(
                        "\(file): \(written) bytes, events up to \(newest); \(files.count) of \(expected) attachments in \(folder)",
                        "\(file): \(written) байт, события по \(newest); вложений \(files.count) из \(expected) в \(folder)"
                    ),
                    json: .object([
                        ("file", .string(file)), ("bytes", .integer(written)), ("last_sequence", .integer(newest)),
                        ("attachments", .integer(Int64(files.count))), ("attachments_folder", .string(folder)),
                    ])))
        }
    }
}
