import Foundation
public import OtklikCore
import OtklikBase

extension Store {
    /// The stored attachment with `sha256` (lower-case hex), nil when there is none.
    public func attachment(_ sha256: String) throws(StoreError) -> AttachmentRecord? {
        try read { connection throws(StoreError) in try Self.attachment(sha256, connection) }
    }

    /// The digests beginning with `prefix` (lower-case hex), at most `limit`, by the primary key's range.
    public func attachments(withPrefix prefix: String, limit: Int) throws(StoreError) -> [String] {
        try read { connection throws(StoreError) in
            var found: [String] = []
            try connection.query(
                "SELECT sha256 FROM attachments WHERE sha256 >= ? AND sha256 < ? ORDER BY sha256 LIMIT ?",
                [.text(prefix), .text(prefix + "g"), .integer(Int64(limit))]
            ) { found.append($0.text(0)) }
            return found
        }
    }

    private static let attachmentColumns =
        "sha256, name, content_type, size, captured_at, latitude, longitude, uploaded_at, uploaded_by"
    /// The cases carrying a file (at most 100), by `attachment_refs`' unique index.
    static let casesCarryingQuery = "SELECT case_id FROM attachment_refs WHERE sha256 = ? LIMIT 100"
    /// Whether a login uploaded a content, by `attachment_uploaders`' unique index.
    static let uploaderQuery = "SELECT count(*) FROM attachment_uploaders WHERE sha256 = ? AND login = ?"
    /// Uploads older than ?1 no case references, oldest first, at most ?2.
    static let unreferencedQuery = """
        SELECT \(attachmentColumns) FROM attachments a INDEXED BY attachments_uploaded
        WHERE a.uploaded_at < ? AND NOT EXISTS (SELECT 1 FROM attachment_refs r WHERE r.sha256 = a.sha256)
        ORDER BY a.uploaded_at LIMIT ?
        """

    private static func attachment(_ sha256: String, _ connection: Connection) throws(StoreError) -> AttachmentRecord? {
        var found: AttachmentRecord?
        try connection.query("SELECT \(attachmentColumns) FROM attachments WHERE sha256 = ?", [.text(sha256)]) { row in
            found = record(row)
        }
        return found
    }

    private static func record(_ row: Row) -> AttachmentRecord? {
        guard let type = ContentType.of(mime: row.text(2)) else { return nil }
        return AttachmentRecord(
            sha256: row.text(0), name: row.text(1), contentType: type, size: row.integer(3),
            capturedAt: row.isNull(4) ? nil : Instant(seconds: row.integer(4)),
            position: row.isNull(5) || row.isNull(6)
                ? nil : GeoPosition(latitude: row.double(5), longitude: row.double(6)),
            uploadedAt: Instant(seconds: row.integer(7)), uploadedBy: row.text(8))
    }

    /// The cases whose drafts carry the file `sha256` (`attachment_refs`, by its unique index).
    public func casesCarrying(_ sha256: String) throws(StoreError) -> [String] {
        try read { connection throws(StoreError) in
            var cases: [String] = []
            try connection.query(Self.casesCarryingQuery, [.text(sha256)]) { cases.append($0.text(0)) }
            return cases
        }
    }

    /// Whether `login` uploaded the content `sha256` (first or again).
    public func hasUploaded(_ sha256: String, login: String) throws(StoreError) -> Bool {
        try read { connection throws(StoreError) in
            try connection.scalar(Self.uploaderQuery, [.text(sha256), .text(login)]) > 0
        }
    }

    /// Records an uploaded file (its bytes already in place) with an `attachment.uploaded` event, in
    /// one transaction; content already recorded is answered as it was (`existing`), with no event.
    /// Either way the uploader is remembered (`attachment_uploaders`).
    public func recordAttachment(_ record: AttachmentRecord, actor: String, onBehalf: String, now: Instant)
        throws(StoreError) -> (record: AttachmentRecord, existing: Bool)
    {
        try write { connection throws(StoreError) in
            try connection.query(
                "INSERT OR IGNORE INTO attachment_uploaders (sha256, login) VALUES (?, ?)",
                [.text(record.sha256), .text(record.uploadedBy)])
            if let stored = try Self.attachment(record.sha256, connection) { return (stored, true) }
            try connection.query(
                "INSERT INTO attachments (\(Self.attachmentColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    .text(record.sha256), .text(record.name), .text(record.contentType.mime), .integer(record.size),
                    record.capturedAt.map { .integer($0.seconds) } ?? .null,
                    record.position.map { .real($0.latitude) } ?? .null,
                    record.position.map { .real($0.longitude) } ?? .null,
                    .integer(record.uploadedAt.seconds), .text(record.uploadedBy),
                ])
            let payload = AttachmentEvent(
                sha256: record.sha256, name: record.name, contentType: record.contentType.mime, size: record.size)
            try insert(
                [
                    Event(
                        time: now, actor: actor, kind: EventKind.attachmentUploaded,
                        subject: "attachment/\(record.sha256)", payload: Array(JSONText.string(payload).utf8),
                        onBehalf: onBehalf)
                ], connection)
            return (record, false)
        }
    }

    /// The bytes of `login`'s first uploads since `since` that no case carries: what counts against
    /// their upload quota. Reads the uploads of that window only (`attachments_uploaded`), so it costs
    /// a day's uploads, never the history.
    public func unreferencedBytes(uploadedBy login: String, since: Instant) throws(StoreError) -> Int64 {
        try read { connection throws(StoreError) in
            try connection.scalar(
                """
                SELECT coalesce(sum(size), 0) FROM attachments a WHERE a.uploaded_at >= ? AND a.uploaded_by = ?
                AND NOT EXISTS (SELECT 1 FROM attachment_refs r WHERE r.sha256 = a.sha256)
                """, [.instant(since), .text(login)])
        }
    }

    /// Uploads no draft took within the grace period: uploaded before `before` and referenced by no
    /// case, oldest first, at most `limit` (read through `attachments_uploaded`).
    public func unreferencedAttachments(uploadedBefore before: Instant, limit: Int) throws(StoreError)
        -> [AttachmentRecord]
    {
        try read { connection throws(StoreError) in
            var found: [AttachmentRecord] = []
            try connection.query(Self.unreferencedQuery, [.instant(before), .integer(Int64(limit))]) { row in
                if let record = Self.record(row) { found.append(record) }
            }
            return found
        }
    }

    /// Forgets an attachment no draft references, with an `attachment.removed` event; false (and
    /// nothing changed) when a draft took it meanwhile. The caller removes the file afterwards.
    public func forgetAttachment(_ record: AttachmentRecord, reason: String, now: Instant) throws(StoreError) -> Bool {
        try write { connection throws(StoreError) in
            let referenced = try connection.scalar(
                "SELECT count(*) FROM attachment_refs WHERE sha256 = ?", [.text(record.sha256)])
            guard referenced == 0 else { return false }
            try connection.query("DELETE FROM attachments WHERE sha256 = ?", [.text(record.sha256)])
            try connection.query("DELETE FROM attachment_uploaders WHERE sha256 = ?", [.text(record.sha256)])
            let payload = AttachmentEvent(
                sha256: record.sha256, name: record.name, contentType: record.contentType.mime, size: record.size,
                reason: reason)
            try insert(
                [
                    Event(
                        time: now, actor: "system", kind: EventKind.attachmentRemoved,
                        subject: "attachment/\(record.sha256)", payload: Array(JSONText.string(payload).utf8))
                ], connection)
            return true
        }
    }
}
