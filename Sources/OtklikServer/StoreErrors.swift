import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
#if canImport(Glibc)
import Glibc
#endif

extension StoreError {
    /// What a caller is told when the store refuses: a full disk is RESOURCE_EXHAUSTED with the
    /// free space in the sentence (the administrator can act on it), a closed store is UNAVAILABLE
    /// (the daemon is stopping), anything else INTERNAL with `sentence` (the cause goes to the log).
    func rpc(_ sentence: String, dataDirectory: String) -> RPCError {
        if isDiskFull {
            return RPCError(
                .resourceExhausted, Refusals.Requests.diskFull(["free_mb": String(Self.freeMegabytes(dataDirectory))]))
        }
        if case .closed = self { return RPCError(.unavailable, Refusals.Requests.stopping()) }
        return RPCError(.internal, Refusals.Requests.failed(["detail": sentence]))
    }

    static func freeMegabytes(_ directory: String) -> Int64 {
        (DataDirectoryLock.freeBytes(directory) ?? 0) / (1 << 20)
    }
}
