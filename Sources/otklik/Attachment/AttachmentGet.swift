import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AttachmentCommand {
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Attachments.getAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Attachments.sha256Help.text())) var sha256: String
        @Option(
            help: ArgumentHelp(
                Say.Common.newFileHelp.text()))
        var out: String

        func validate() throws {
            try AttachmentUpload.checkDigest(sha256)
            guard !FileManager.default.fileExists(atPath: out) else {
                throw ValidationError(
                    Say.Attachments.fileExists(out).text())
            }
        }

        func run() throws {
            let partial = out + ".partial"
            guard
                FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: partial)
            else {
                throw FileFailure.output(partial)
            }
            let progress = Progress.shown(global.output)
            var info = AttachmentInfo()
            do {
                let digest = SHA256Digest()
                var written: Int64 = 0
                try global.withClient(streaming: true) { client throws(RPCError) in
                    let stream = client.serverStream(AttachmentsService.download, DownloadRequest(sha256: sha256))
                    while let chunk = try stream.next() {
                        if let attachment = chunk.attachment { info = attachment }
                        do {
                            try handle.write(contentsOf: chunk.data)
                        } catch {
                            throw RPCError(
                                .dataLoss,
                                Say.Attachments.cannotWrite(partial, error.localizedDescription).text())
                        }
                        digest.update(chunk.data)
                        written += Int64(chunk.data.count)
                        progress?.show(name: info.name, done: written, total: info.size)
                    }
                }
                progress?.end()
                guard written == info.size, digest.hex() == info.sha256 else {
                    throw ValidationError(
                        Say.Attachments.fileDamaged(written, info.size).text())
                }
                try handle.synchronize()
                try handle.close()
                guard rename(partial, out) == 0 else {
                    throw ValidationError(
                        Say.Common.cannotRename(partial, out).text())
                }
            } catch {
                progress?.end()
                try? handle.close()
                unlink(partial)
                throw error
            }
            global.show(
                Said(
                    text: Say.Attachments.savedFile(out, info.name, info.size).text(),
                    json: .object([("file", .string(out)), ("attachment", StoredFile(info: info).output.json)])))
        }
    }
}
