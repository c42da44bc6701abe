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
            abstract: Language.text(
                "Fetch an attachment into a new file (checked against its SHA-256 before it is kept).",
                "Получить вложение в новый файл (он сверяется с SHA-256, прежде чем сохраниться)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The attachment's SHA-256.", "SHA-256 вложения."))) var sha256:
            String
        @Option(
            help: ArgumentHelp(
                Language.text("The file to write; it must not exist yet.", "Файл для записи; его ещё не должно быть.")))
        var out: String

        func validate() throws {
            try AttachmentUpload.checkDigest(sha256)
            guard !FileManager.default.fileExists(atPath: out) else {
                throw ValidationError(
                    Language.text("\(out) exists; name a new file", "\(out) уже существует; укажите новый файл"))
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
                                Language.text(
                                    "cannot write \(partial): \(error.localizedDescription)",
                                    "не удаётся записать \(partial): \(error.localizedDescription)"))
                        }
                        digest.update(chunk.data)
                        written += Int64(chunk.data.count)
                        progress?.show(name: info.name, done: written, total: info.size)
                    }
                }
                progress?.end()
                guard written == info.size, digest.hex() == info.sha256 else {
                    throw ValidationError(
                        Language.text(
                            "the file arrived damaged (\(written) of \(info.size) bytes, or another SHA-256); nothing was kept",
                            "файл пришёл повреждённым (\(written) из \(info.size) байт или другая SHA-256); ничего не сохранено"
                        ))
                }
                try handle.synchronize()
                try handle.close()
                guard rename(partial, out) == 0 else {
                    throw ValidationError(
                        Language.text(
                            "cannot rename \(partial) to \(out)", "не удаётся переименовать \(partial) в \(out)"))
                }
            } catch {
                progress?.end()
                try? handle.close()
                unlink(partial)
                throw error
            }
            global.show(
                Said(
                    text: Language.text(
                        "\(out): \(info.name), \(info.size) bytes", "\(out): \(info.name), \(info.size) байт"),
                    json: .object([("file", .string(out)), ("attachment", StoredFile(info: info).output.json)])))
        }
    }
}
