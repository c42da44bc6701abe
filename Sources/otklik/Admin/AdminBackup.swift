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
            abstract: Say.Admin.backupAbstract.text(),
            discussion: Say.Admin.backupDiscussion.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Say.Common.newFileHelp.text()))
        var file: String

        func run() throws {
            let folder = file + ".attachments"
            for path in [file, folder] where FileManager.default.fileExists(atPath: path) {
                throw ValidationError(
                    Say.Admin.fileExists(path).text())
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
                                Say.Admin.cannotWriteBackup(error.localizedDescription).text())
                        }
                    }
                }
                try files.finish()
                guard written == total else {
                    throw ValidationError(
                        Say.Admin.backupCutShort(written, total).text())
                }
                try handle.synchronize()
                try handle.close()
                if files.count > 0, rename(partialFolder, folder) != 0 {
                    throw ValidationError(
                        Say.Common.cannotRename(partialFolder, folder).text())
                }
                guard rename(partial, file) == 0 else {
                    throw ValidationError(
                        Say.Common.cannotRename(partial, file).text())
                }
            } catch {
                try? handle.close()
                unlink(partial)
                try? FileManager.default.removeItem(atPath: partialFolder)
                throw error
            }
            global.show(
                Said(
                    text: Say.Admin.backupWritten(file, written, newest, files.count, expected, folder).text(),
                    json: .object([
                        ("file", .string(file)), ("bytes", .integer(written)), ("last_sequence", .integer(newest)),
                        ("attachments", .integer(Int64(files.count))), ("attachments_folder", .string(folder)),
                    ])))
        }
    }
}
