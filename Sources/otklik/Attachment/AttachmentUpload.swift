import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AttachmentCommand {
    struct Upload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Upload files; each is stored once by its content and named by its SHA-256.",
                "Загрузить файлы; каждый хранится один раз по содержимому и называется своим SHA-256."),
            discussion: Language.text(
                "Accepted: JPEG, PNG, HEIC, WebP photos, MP4 and MOV videos, PDF documents, told by their content. A progress line shows on a terminal.",
                "Принимаются фото JPEG, PNG, HEIC, WebP, видео MP4 и MOV, документы PDF (вид определяется по содержимому). На терминале видна строка хода загрузки."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The files to upload.", "Файлы для загрузки."))) var files: [String]
        @Flag(
            help: ArgumentHelp(
                Language.text(
                    "Send the bytes in 1 MiB messages instead of handing the daemon the open file (for a socket reached through a proxy).",
                    "Передавать байты частями по 1 МиБ, а не открытый файл (для сокета, доступного через прокси)."))
        )
        var chunked = false

        func validate() throws {
            guard !files.isEmpty else {
                throw ValidationError(Language.text("name a file to upload", "укажите файл для загрузки"))
            }
        }

        func run() throws {
            // Here, not in validate: a file that cannot be read exits 66 (EX_NOINPUT), not 64.
            try AttachmentUpload.checkReadable(files)
            let progress = Progress.shown(global.output)
            // Each file on its own: one refused file does not hide the others' hashes.
            var failed: RPCError?
            let uploaded = try global.withClient(streaming: true) { client throws(RPCError) in
                var uploaded: [UploadResponse] = []
                for file in files {
                    do throws(RPCError) {
                        uploaded.append(try AttachmentUpload.send(file, client, progress: progress, chunked: chunked))
                    } catch {
                        if error.code == .unavailable || error.code == .unauthenticated { throw error }
                        Safe.printError(
                            "otklik: \(file): "
                                + GlobalOptions.explain(error, socketPath: global.socketPath).dropFirst(
                                    "otklik: ".count))
                        failed = failed ?? error
                    }
                }
                return uploaded
            }
            defer { if let failed { Foundation.exit(ExitCodes.code(for: failed.code)) } }
            if uploaded.isEmpty, failed != nil, global.output != .json { return }
            global.show(
                Rows(
                    fields: StoredFile.fields(upload: true),
                    rows: uploaded.map { StoredFile(info: $0.attachment ?? AttachmentInfo(), existing: $0.existing) }))
        }
    }
}
