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
        guard SHA256Text.normalized(text) != nil || SHA256Text.prefix(text) != nil else {
            throw ValidationError(
                Say.Attachments.isNotAnAttachment(text).text())
        }
    }

    static func send(_ path: String, _ client: RPCClient, progress: Progress?, chunked: Bool = false) throws(RPCError)
        -> UploadResponse
    {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RPCError(.invalidArgument, Say.Attachments.cannotRead(path).text())
        }
        defer { try? handle.close() }
        let name = (path as NSString).lastPathComponent
        // A descriptor does not cross machines: through ssh the bytes go in chunks.
        if !chunked, client.command == nil {
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
    static func kind(_ kind: String) -> String {
        switch kind {
        case "photo": Say.Attachments.photo.text()
        case "video": Say.Attachments.video.text()
        // "document" and a kind of a newer daemon.
        default: Say.Attachments.document.text()
        }
    }

    /// A size as people read it: "340 КБ", "2,4 МБ" (a decimal comma in Russian), "512 байт"; a
    /// kilobyte is 1,024 bytes, as file managers count.
    static func size(_ bytes: Int64, in language: Language = .current) -> String {
        if bytes >= 1 << 20 {
            let tenths = (bytes * 10 + (1 << 19)) >> 20
            let mark = language == .russian ? "," : "."
            return Say.Attachments.megabytes("\(tenths / 10)\(mark)\(tenths % 10)").text(in: language)
        }
        if bytes >= 1 << 10 { return Say.Attachments.kilobytes((bytes + 512) >> 10).text(in: language) }
        return Say.Attachments.bytes(bytes).text(in: language)
    }

    /// The file of `files` a person names: by its whole SHA-256, its beginning (6 digits or more), or
    /// its name (case aside). A refusal names the files there are.
    static func file(_ named: String, among files: [DraftFileView]) throws -> DraftFileView {
        let lower = named.lowercased()
        var found = files.filter { $0.sha256 == lower || $0.name.lowercased() == lower }
        if found.isEmpty, let prefix = SHA256Text.prefix(named) { found = files.filter { $0.sha256.hasPrefix(prefix) } }
        let listed = files.map { "\($0.name) (\($0.sha256.prefix(12)))" }.joined(separator: ", ")
        switch found.count {
        case 1: return found[0]
        case 0: throw ValidationError(Say.Attachments.noSuchFileInTheDraft(named, listed.isEmpty ? "—" : listed).text())
        // Two or more.
        default: throw ValidationError(Say.Attachments.severalFilesInTheDraft(named, listed).text())
        }
    }
}

/// A stored file as the attachment commands print it; `existing` (after an upload) says whether
/// the daemon had it already.
struct StoredFile {
    let info: AttachmentInfo
    var existing: Bool?

    static func fields(upload: Bool) -> [Field<StoredFile>] {
        func instant(_ unix: Int64) -> String { unix == 0 ? "—" : Instant(seconds: unix).iso(offset: 3 * 3600) }
        func position(_ info: AttachmentInfo) -> GeoPosition? {
            info.hasPosition ? GeoPosition(latitude: info.latitude, longitude: info.longitude) : nil
        }
        var fields: [Field<StoredFile>] = [
            .string("sha256", Say.Attachments.sha, \.info.sha256),
            Field(
                "name", Say.Attachments.name, json: { .string($0.info.name) },
                text: { $0.existing == true ? Say.Attachments.storedAlready($0.info.name).text() : $0.info.name }),
            Field(
                "kind", Say.Common.kind, json: { .string($0.info.kind) },
                text: { AttachmentRows.kind($0.info.kind) }),
            .string("content_type", Say.Attachments.type, \.info.contentType),
            Field(
                "size", Say.Attachments.size, json: { .integer($0.info.size) },
                text: { AttachmentRows.size($0.info.size) }),
            Field(
                "captured_at_unix", Say.Attachments.taken,
                json: { $0.info.capturedAtUnix == 0 ? .null : .integer($0.info.capturedAtUnix) },
                text: { instant($0.info.capturedAtUnix) }),
            Field(
                "latitude", Say.Common.place, json: { $0.info.hasPosition ? .number($0.info.latitude) : .null },
                text: { position($0.info)?.text ?? "—" }),
            .script("longitude") { $0.info.hasPosition ? .number($0.info.longitude) : .null },
            Field(
                "uploaded_at_unix", Say.Attachments.uploaded, json: { .integer($0.info.uploadedAtUnix) },
                text: { instant($0.info.uploadedAtUnix) + " " + $0.info.uploadedBy }),
            .script("uploaded_by") { .string($0.info.uploadedBy) },
        ]
        if upload { fields.append(.script("existing") { .bool($0.existing ?? false) }) }
        return fields
    }

    /// One file: labelled lines for people, the object for scripts.
    var output: Record<StoredFile> { Record(fields: Self.fields(upload: false), value: self) }
}

/// A progress line on the terminal (stderr): bytes, rate, time left. Only when stdout is a
/// terminal and the output is for people.
final class Progress {
    private let started = Date()
    private var lastDrawn = Date.distantPast

    static func shown(_ format: OutputFormat) -> Progress? {
        Terminal.showsStatus(format) ? Progress() : nil
    }

    func show(name: String, done: Int64, total: Int64) {
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= 0.1 || done == total else { return }
        lastDrawn = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        let left = rate > 0 ? Int((Double(total - done) / rate).rounded(.up)) : 0
        let line = Say.Attachments.progress(
            name, done: AttachmentRows.size(done), total: AttachmentRows.size(total),
            rate: AttachmentRows.size(Int64(rate)), left: "\(left / 60):" + String(format: "%02d", left % 60))
        Terminal.status(line.text())
    }

    func end() { Terminal.clearStatus() }
}
