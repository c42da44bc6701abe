import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// `otklik.v1.Maintenance`: a backup streamed to an admin while the daemon serves: the database,
/// then the file of every attachment the copy records (p.19), so a restore has them all.
struct BackupService {
    let store: Store
    let files: AttachmentFiles
    let logger: Logger

    func register(in registry: inout ServiceRegistry) {
        registry.serverStreaming(MaintenanceService.backup) { context, _, writer in try backup(context, writer) }
    }

    /// Copies the database into a private temporary file in the data directory, streams it, and
    /// removes it (also when the caller goes away); then streams each recorded attachment's file.
    private func backup(_ context: ServerContext, _ writer: TypedResponseWriter<BackupChunk>) throws(RPCError) {
        let temporary = (store.directory as NSString).appendingPathComponent(
            "backup-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp")
        defer { unlink(temporary) }
        let copy: (newest: Int64, attachments: [String])
        do {
            copy = try store.backupWithAttachments(to: temporary)
        } catch {
            logger.error("backup: \(error)")
            throw error.rpc("the backup could not be made", dataDirectory: store.directory)
        }
        let total = (try? FileManager.default.attributesOfItem(atPath: temporary)[.size] as? Int64) ?? 0
        var head = BackupChunk(totalBytes: total, lastSequence: copy.newest)
        head.attachments = Int64(copy.attachments.count)
        try stream(temporary, first: head, writer)
        var sent = 0
        for sha256 in copy.attachments {
            let path = files.path(of: sha256)
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) else {
                // Only an upload no draft took can go (the clean-up) between the copy and now.
                logger.warning("backup: attachment \(sha256) was removed while the backup ran; left out")
                continue
            }
            var first = BackupChunk()
            first.attachment = sha256
            first.attachmentSize = size
            try stream(path, first: first, writer)
            sent += 1
        }
        logger.info("backup of \(total) bytes up to event \(copy.newest) and \(sent) attachment(s) sent")
    }

    /// Streams the file at `path` in chunks, the first carrying `first`'s fields.
    private func stream(_ path: String, first: BackupChunk, _ writer: TypedResponseWriter<BackupChunk>)
        throws(RPCError)
    {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw RPCError(
                .internal,
                Refusals.Requests.failed(["detail": "the backup could not read \((path as NSString).lastPathComponent)"]
                ))
        }
        defer { try? file.close() }
        _ = try FileChunks.send(file) { bytes, isFirst throws(RPCError) in
            var message = isFirst ? first : BackupChunk()
            message.data = bytes
            try writer.send(message)
        }
    }
}
