import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik attachment`: photos, videos and documents that replies carry (p.19).
struct AttachmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment",
        abstract: Language.text(
            "Photos, videos and documents for replies (p.19): upload, show, get.",
            "Фото, видео и документы к ответам (п. 19): загрузить, показать, получить."),
        subcommands: [Upload.self, Show.self, Get.self])

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
            Render.print(global.output) {
                Render.columns(
                    AttachmentRows.header,
                    uploaded.map { AttachmentRows.row($0.attachment ?? AttachmentInfo(), existing: $0.existing) })
            } json: {
                .array(uploaded.map { AttachmentRows.json($0.attachment ?? AttachmentInfo(), existing: $0.existing) })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text("What the daemon knows of an attachment.", "Что демон знает о вложении."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The attachment's SHA-256.", "SHA-256 вложения."))) var sha256:
            String

        func validate() throws { try AttachmentUpload.checkDigest(sha256) }

        func run() throws {
            let info = try global.withClient { client throws(RPCError) in
                try client.call(AttachmentsService.getAttachment, GetAttachmentRequest(sha256: sha256))
            }
            Render.print(global.output) {
                Render.keyValues(AttachmentRows.details(info))
            } json: {
                AttachmentRows.json(info, existing: nil)
            }
        }
    }

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
            Render.print(global.output) {
                Language.text("\(out): \(info.name), \(info.size) bytes", "\(out): \(info.name), \(info.size) байт")
            } json: {
                .object([("file", .string(out)), ("attachment", AttachmentRows.json(info, existing: nil))])
            }
        }
    }
}

/// Uploading one file: its SHA-256 first (the header declares it), then its bytes in 1 MiB chunks.
enum AttachmentUpload {
    static let chunk = 1 << 20

    /// Every file exists, is a regular file and can be read: said before anything is sent.
    static func checkReadable(_ files: [String]) throws {
        for file in files {
            let descriptor = open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw FileFailure.input(file) }
            var status = stat()
            let isDirectory = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
            close(descriptor)
            if isDirectory { throw FileFailure.input(file, errno: EISDIR) }
        }
    }

    /// `text` is a SHA-256 as 64 hexadecimal digits.
    static func checkDigest(_ text: String) throws {
        guard SHA256Text.normalized(text) != nil else {
            throw ValidationError(
                Language.text(
                    "\(text) is not an attachment's SHA-256 (64 hexadecimal digits, as `attachment upload` prints)",
                    "\(text) — не SHA-256 вложения (64 шестнадцатеричные цифры, как печатает `attachment upload`)"))
        }
    }

    static func send(_ path: String, _ client: RPCClient, progress: Progress?, chunked: Bool = false) throws(RPCError)
        -> UploadResponse
    {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RPCError(.invalidArgument, Language.text("cannot read \(path)", "не удаётся прочитать \(path)"))
        }
        defer { try? handle.close() }
        let name = (path as NSString).lastPathComponent
        if !chunked {
            // The daemon is on this machine: it gets the open file itself and copies it in the
            // kernel, hashing what it stored (no digest to declare, nothing to stream).
            var info = stat()
            if fstat(handle.fileDescriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                let header = UploadHeader(name: name, size: Int64(info.st_size), sha256: "", descriptor: true)
                return try upload(client, size: header.size, progress: progress) { stream throws(RPCError) in
                    try stream.send(UploadRequest(part: .header(header)), passing: handle.fileDescriptor)
                }
            }
        }
        let digest = SHA256Digest()
        var size: Int64 = 0
        while let data = try? handle.read(upToCount: chunk), !data.isEmpty {
            digest.update([UInt8](data))
            size += Int64(data.count)
        }
        return try upload(client, size: size, progress: progress) { stream throws(RPCError) in
            try stream.send(UploadRequest(part: .header(UploadHeader(name: name, size: size, sha256: digest.hex()))))
            try? handle.seek(toOffset: 0)
            var sent: Int64 = 0
            while let data = try? handle.read(upToCount: chunk), !data.isEmpty {
                try stream.send(UploadRequest(part: .chunk([UInt8](data))))
                sent += Int64(data.count)
                progress?.show(name: name, done: sent, total: size)
            }
        }
    }

    /// Opens an upload of `size` bytes (its deadline is for the file, not for a question: a minute, or
    /// a second per MiB when longer), lets `body` send it and returns the daemon's answer. When a send
    /// fails because the daemon ended the call early, its answer says why (a limit, an unknown kind).
    private static func upload(
        _ client: RPCClient, size: Int64, progress: Progress?,
        _ body: (RequestStream<UploadRequest, UploadResponse>) throws(RPCError) -> Void
    ) throws(RPCError) -> UploadResponse {
        let stream = client.clientStream(AttachmentsService.upload, timeout: .seconds(max(60, size >> 20)))
        defer { progress?.end() }
        do throws(RPCError) {
            try body(stream)
            return try stream.finish()
        } catch {
            if let answer = try? stream.finish() { return answer }
            throw error
        }
    }
}

/// How attachments print.
enum AttachmentRows {
    static var header: [String] {
        [
            Language.text("SHA-256", "SHA-256"), Language.text("NAME", "ИМЯ"), Language.text("KIND", "ВИД"),
            Language.text("SIZE", "РАЗМЕР"), Language.text("TAKEN", "СНЯТО"),
        ]
    }

    static func kind(_ info: AttachmentInfo) -> String {
        switch info.kind {
        case "photo": Language.text("photo", "фото")
        case "video": Language.text("video", "видео")
        default: Language.text("document", "документ")
        }
    }

    static func size(_ bytes: Int64) -> String {
        if bytes >= 1 << 20 {
            let tenths = (bytes / 1024) * 10 / 1024
            return "\(tenths / 10).\(tenths % 10) " + Language.text("MiB", "МиБ")
        }
        if bytes >= 1 << 10 { return "\(bytes >> 10) " + Language.text("KiB", "КиБ") }
        return "\(bytes) " + Language.text("bytes", "байт")
    }

    static func taken(_ info: AttachmentInfo) -> String {
        guard info.capturedAtUnix != 0 else { return "—" }
        return Instant(seconds: info.capturedAtUnix).iso(offset: 3 * 3600)
    }

    static func row(_ info: AttachmentInfo, existing: Bool) -> [String] {
        [
            info.sha256, info.name + (existing ? Language.text(" (already stored)", " (уже была)") : ""), kind(info),
            size(info.size), taken(info),
        ]
    }

    static func details(_ info: AttachmentInfo) -> [(String, String)] {
        var rows: [(String, String)] = [
            ("SHA-256", info.sha256), (Language.text("name", "имя"), info.name),
            (Language.text("kind", "вид"), kind(info)),
            (Language.text("type", "тип"), info.contentType), (Language.text("size", "размер"), size(info.size)),
            (Language.text("taken", "снято"), taken(info)),
        ]
        if info.hasPosition, let position = GeoPosition(latitude: info.latitude, longitude: info.longitude) {
            rows.append((Language.text("place", "место"), position.text))
        }
        rows.append(
            (
                Language.text("uploaded", "загружено"),
                Instant(seconds: info.uploadedAtUnix).iso(offset: 3 * 3600) + " " + info.uploadedBy
            ))
        return rows
    }

    static func json(_ info: AttachmentInfo, existing: Bool?) -> JSON {
        var pairs: [(String, JSON)] = [
            ("sha256", .string(info.sha256)), ("name", .string(info.name)), ("kind", .string(info.kind)),
            ("content_type", .string(info.contentType)), ("size", .integer(info.size)),
            ("captured_at_unix", info.capturedAtUnix == 0 ? .null : .integer(info.capturedAtUnix)),
            ("latitude", info.hasPosition ? .number(info.latitude) : .null),
            ("longitude", info.hasPosition ? .number(info.longitude) : .null),
            ("uploaded_at_unix", .integer(info.uploadedAtUnix)), ("uploaded_by", .string(info.uploadedBy)),
        ]
        if let existing { pairs.append(("existing", .bool(existing))) }
        return .object(pairs)
    }
}

/// A progress line on the terminal (stderr): bytes, rate, time left. Only when stdout is a
/// terminal and the output is for people.
final class Progress {
    private let started = Date()
    private var lastDrawn = Date.distantPast

    static func shown(_ format: OutputFormat) -> Progress? {
        format == .json || isatty(STDOUT_FILENO) == 0 || isatty(STDERR_FILENO) == 0 ? nil : Progress()
    }

    func show(name: String, done: Int64, total: Int64) {
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= 0.1 || done == total else { return }
        lastDrawn = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        let left = rate > 0 ? Int((Double(total - done) / rate).rounded(.up)) : 0
        let line =
            "\(name)  \(AttachmentRows.size(done)) / \(AttachmentRows.size(total))  \(AttachmentRows.size(Int64(rate)))/"
            + Language.text("s", "с") + "  " + Language.text("left", "осталось") + " \(left / 60):"
            + String(format: "%02d", left % 60)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Safe.terminal(line)).utf8))
    }

    func end() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
