@preconcurrency import Dispatch
import Foundation
import OtklikAPI
import OtklikBase
import OtklikRPC
import OtklikStore
#if canImport(Glibc)
import Glibc
#endif

/// `otklikd --replicated`: how the replica stands, for `otklik status`, and the valve for a WAL that
/// nobody checkpoints.
///
/// Every second it asks Litestream's control socket (`--replicator-socket`, Litestream's
/// `socket: {enabled: true}`) `GET /list`, whose `last_sync_at` is when this database was last
/// uploaded to the replica, and compares it with the store's newest commit. Health reads what it
/// found (never the socket: Health is answered inline). Every 30 s, unless the replicator answers, it
/// checks the WAL: past `walLimit`, nothing checkpoints it (the replicator is down or was never
/// started), and one PASSIVE checkpoint keeps the disk from filling; the log says so.
final class ReplicaMonitor: Sendable {
    struct Reading: Sendable {
        var state: HealthResponse.ReplicaState
        /// The replicator's last upload (seconds since the epoch).
        var syncedAt: Double?
        /// The newest commit the replica lacks was made at or after this (seconds since the epoch).
        var pendingSince: Double?
        var walBytes: Int64
    }

    static let walLimit: Int64 = 128 << 20

    private let store: Store
    private let socketPath: String?
    private let logger: Logger
    private let queue = DispatchQueue(label: "otklik.replica")
    private let timer = Locked<(any DispatchSourceTimer)?>(nil)
    private let current: Locked<Reading>
    private let polls = Locked(0)

    init(store: Store, socketPath: String?, logger: Logger) {
        self.store = store
        self.socketPath = socketPath
        self.logger = logger
        current = Locked(
            Reading(state: socketPath == nil ? .replicaUnknown : .replicaUnreachable, walBytes: store.walBytes))
    }

    func start() {
        let source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now(), repeating: .seconds(1), leeway: .milliseconds(100))
        source.setEventHandler { [self] in poll() }
        timer.withLock { $0 = source }
        source.resume()
    }

    func stop() {
        timer.withLock {
            $0?.cancel()
            $0 = nil
        }
    }

    /// What the last poll found, the WAL as it is now.
    var reading: Reading {
        var reading = current.current
        reading.walBytes = store.walBytes
        return reading
    }

    private func poll() {
        let count = polls.withLock {
            $0 += 1
            return $0
        }
        // Beside a replicator that answers, the WAL is its to checkpoint (it truncates past ~500 MB):
        // the valve is for one that is down, or that the daemon cannot ask.
        let answering = current.current.state == .replicaInStep || current.current.state == .replicaBehind
        if count % 30 == 0, !answering, let size = store.checkpointIfUnreplicated(limit: Self.walLimit) {
            logger.warning(
                "the WAL holds \(size >> 20) MiB that nobody checkpointed: is the replicator (litestream) running? checkpointed it (PASSIVE)"
            )
        }
        guard let socketPath else { return }
        let synced = Self.lastSync(socket: socketPath, database: store.path)
        let committed = store.lastCommitAt
        current.withLock { reading in
            guard let synced else {
                reading.state = .replicaUnreachable
                return
            }
            reading.syncedAt = synced
            if let committed, committed > synced {
                // The newest commit not uploaded; the first one seen waiting stays the mark until an
                // upload passes it (to within this poll's second).
                if reading.pendingSince.map({ $0 <= synced }) ?? true { reading.pendingSince = committed }
                reading.state = .replicaBehind
            } else {
                reading.pendingSince = nil
                reading.state = .replicaInStep
            }
        }
    }

    /// The replicator's last upload of `database` (`last_sync_at` of Litestream's `GET /list`), nil
    /// when the socket does not answer within a second or does not name the database.
    static func lastSync(socket path: String, database: String) -> Double? {
        guard let body = httpGet(socket: path, target: "/list"),
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let databases = object["databases"] as? [[String: Any]],
            let entry = databases.first(where: { ($0["path"] as? String) == database }),
            let text = entry["last_sync_at"] as? String
        else { return nil }
        return instant(rfc3339: text)
    }

    /// `2026-12-06T16:46:19.12171902Z` (Go's RFC 3339 with nanoseconds) as seconds since the epoch.
    static func instant(rfc3339 text: String) -> Double? {
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = parts.count == 2 ? String(parts[0]) + "Z" : text
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: whole) else { return nil }
        var fraction = 0.0
        if parts.count == 2 {
            let digits = parts[1].prefix { $0.isNumber }
            fraction = Double("0." + digits) ?? 0
        }
        return date.timeIntervalSince1970 + fraction
    }

    /// One HTTP/1.0 GET over a Unix socket, the body of a 200 answer (at most 1 MiB), within a second.
    static func httpGet(socket path: String, target: String) -> [UInt8]? {
        guard let fd = try? RPCClient.connectedSocket(path, timeout: .seconds(1)) else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = Array("GET \(target) HTTP/1.0\r\nHost: replicator\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count
        else { return nil }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while answer.count < 1 << 20 {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard got > 0 else { break }
            answer.append(contentsOf: buffer.prefix(got))
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, answer.count - 3)).first(where: { Array(answer[$0..<$0 + 4]) == separator }),
            let status = String(decoding: answer.prefix(end), as: UTF8.self).split(separator: " ").dropFirst().first,
            status == "200"
        else { return nil }
        return Array(answer[(end + 4)...])
    }
}
