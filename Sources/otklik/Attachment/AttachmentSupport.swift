import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

/// Uploading one file: its SHA-256 first (the header declares it), then its bytes in 1 MiB chunks.
enum AttachmentUpload {
    static let chunk = 1 << 20

    /// Every file exists, is a regular file and can be read: said before anything is sent.
    static func checkReadable(_ files: [String]) throws {
        for file in files { _ = try openInputFile(file) }
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
