import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// `otklik.v1.Maintenance`: a backup streamed to an admin while the daemon serves.
struct BackupService {
    let store: Store
    let logger: Logger
    static let chunk = 1 << 20

    func register(in registry: inout ServiceRegistry) {
        registry.serverStreaming(MaintenanceService.backup) { context, _, writer in try backup(context, writer) }
    }

    /// Copies the database into a private temporary file in the data directory, streams it, and
    /// removes it (also when the caller goes away).
    private func backup(_ context: ServerContext, _ writer: TypedResponseWriter<BackupChunk>) throws(RPCError) {
        let temporary = (store.directory as NSString).appendingPathComponent(
            "backup-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp")
        defer { unlink(temporary) }
        let newest: Int64
        do {
            newest = try store.backup(to: temporary)
        } catch {
            logger.error("backup: \(error)")
            throw error.rpc("the backup could not be made", dataDirectory: store.directory)
        }
        guard let file = FileHandle(forReadingAtPath: temporary) else {
            throw RPCError(.internal, "the backup could not be read back")
        }
        defer { try? file.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: temporary)[.size] as? Int64) ?? 0
        var first = true
        while true {
            let data = (try? file.read(upToCount: Self.chunk)) ?? Data()
            guard !data.isEmpty || first else { break }
            var message = BackupChunk()
            message.data = [UInt8](data)
            if first {
                message.totalBytes = total
                message.lastSequence = newest
                first = false
            }
            try writer.send(message)
            if data.isEmpty { break }
        }
        logger.info("backup of \(total) bytes up to event \(newest) sent")
    }
}
