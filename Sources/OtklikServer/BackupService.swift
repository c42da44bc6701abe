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
struct BackupService: ServiceEnvironmentReader {
    let environment: ServiceEnvironment
    let files: AttachmentFiles

    func register(in registry: inout ServiceRegistry) {
        registry.serverStreaming(MaintenanceService.backup) { context, _, writer in try backup(context, writer) }
    }

    /// Copies the database into a private temporary file in the data directory, opens it and
    /// unlinks it at once (so the copy is gone when the stream ends, however it ends, and a kill
    /// leaves it behind only while SQLite writes it, for the next start to remove), streams it; then
    /// streams each recorded attachment's file.
    private func backup(_ context: ServerContext, _ writer: TypedResponseWriter<BackupChunk>) throws(RPCError) {
        let temporary = store.backupTemporaryPath()
        defer { unlink(temporary) }
        let copy: (newest: Int64, attachments: [String])
        do {
            copy = try store.backupWithAttachments(to: temporary)
        } catch {
            logger.error("backup: \(error)")
            throw error.rpc("the backup could not be made", dataDirectory: store.directory)
        }
        guard let file = FileHandle(forReadingAtPath: temporary) else {
            throw RPCError(.internal, Refusals.Requests.failed(["detail": "the backup could not read its copy"]))
        }
        defer { try? file.close() }
        unlink(temporary)
        let total = Int64((try? file.seekToEnd()) ?? 0)
        try? file.seek(toOffset: 0)
        var head = BackupChunk(totalBytes: total, lastSequence: copy.newest)
        head.attachments = Int64(copy.attachments.count)
        try stream(file, first: head, writer)
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
            guard let file = FileHandle(forReadingAtPath: path) else {
                throw RPCError(
                    .internal, Refusals.Requests.failed(["detail": "the backup could not read attachment \(sha256)"]))
            }
            defer { try? file.close() }
            try stream(file, first: first, writer)
            sent += 1
        }
        logger.info("backup of \(total) bytes up to event \(copy.newest) and \(sent) attachment(s) sent")
    }

    /// Streams `file` from where it stands in chunks, the first carrying `first`'s fields.
    private func stream(_ file: FileHandle, first: BackupChunk, _ writer: TypedResponseWriter<BackupChunk>)
        throws(RPCError)
    {
        _ = try FileChunks.send(file) { bytes, isFirst throws(RPCError) in
            var message = isFirst ? first : BackupChunk()
            message.data = bytes
            try writer.send(message)
        }
    }
}
