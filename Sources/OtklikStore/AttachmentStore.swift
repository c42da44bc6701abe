public import Foundation
public import OtklikCore
import OtklikBase

extension Store {
    /// The stored attachment with `sha256` (lower-case hex), nil when there is none.
    public func attachment(_ sha256: String) throws(StoreError) -> AttachmentRecord? {
        try read { connection throws(StoreError) in try Self.attachment(sha256, connection) }
    }

    private static func attachment(_ sha256: String, _ connection: Connection) throws(StoreError) -> AttachmentRecord? {
        var found: AttachmentRecord?
        try connection.query(
            """
            SELECT sha256, name, content_type, size, captured_at, latitude, longitude, uploaded_at, uploaded_by
            FROM attachments WHERE sha256 = ?
            """, [.text(sha256)]
        ) { row in
            guard let type = ContentType.of(mime: row.text(2)) else { return }
            found = AttachmentRecord(
                sha256: row.text(0), name: row.text(1), contentType: type, size: row.integer(3),
                capturedAt: row.isNull(4) ? nil : Instant(seconds: row.integer(4)),
                position: row.isNull(5) || row.isNull(6)
                    ? nil : GeoPosition(latitude: row.double(5), longitude: row.double(6)),
                uploadedAt: Instant(seconds: row.integer(7)), uploadedBy: row.text(8))
        }
        return found
    }

    /// Records an uploaded file (its bytes already in place) with an `attachment.uploaded` event, in
    /// one transaction; content already recorded is answered as it was (`existing`), with no event.
    public func recordAttachment(_ record: AttachmentRecord, actor: String, onBehalf: String, now: Date)
        throws(StoreError) -> (record: AttachmentRecord, existing: Bool)
    {
        try write { connection throws(StoreError) in
            if let stored = try Self.attachment(record.sha256, connection) { return (stored, true) }
            try connection.query(
                """
                INSERT INTO attachments (sha256, name, content_type, size, captured_at, latitude, longitude, uploaded_at, uploaded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(record.sha256), .text(record.name), .text(record.contentType.mime), .integer(record.size),
                    record.capturedAt.map { .integer($0.seconds) } ?? .null,
                    record.position.map { .real($0.latitude) } ?? .null,
                    record.position.map { .real($0.longitude) } ?? .null,
                    .integer(record.uploadedAt.seconds), .text(record.uploadedBy),
                ])
            let payload = UploadedPayload(
                sha256: record.sha256, name: record.name, contentType: record.contentType.mime, size: record.size)
            try insert(
                [
                    Event(
                        time: now, actor: actor, kind: "attachment.uploaded", subject: "attachment/\(record.sha256)",
                        payload: Array(JSONText.string(payload).utf8), onBehalf: onBehalf)
                ], connection)
            return (record, false)
        }
    }

    private struct UploadedPayload: Encodable {
        var sha256: String
        var name: String
        var contentType: String
        var size: Int64

        enum CodingKeys: String, CodingKey {
            case sha256, name, size
            case contentType = "content_type"
        }
    }
}
