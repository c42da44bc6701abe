import CSQLite
import Foundation
import OtklikBase

/// The reader connections, each lent to one read at a time: a read waits only while every reader is
/// busy, never behind one slow read while another reader idles (issue 25, H2: round-robin queues made
/// a case card wait for a search that happened to hold its reader).
///
/// `@unchecked Sendable`: `free`, `busy` and `closed` are touched only under `condition`; a lent
/// connection is used by its borrower alone.
final class ReaderPool: @unchecked Sendable {
    private let condition = NSCondition()
    private let all: [Connection]
    private var free: [Connection]
    private var busy: [ObjectIdentifier: Connection] = [:]
    private var closed = false

    init(_ connections: [Connection]) {
        all = connections
        free = connections
    }

    /// Runs `body` on a reader of its own, waiting for one while all are lent.
    func read<T>(_ body: (Connection) throws(StoreError) -> T) throws(StoreError) -> T {
        let connection = try borrow()
        defer { giveBack(connection) }
        do {
            return try body(connection)
        } catch {
            // Interrupted because the daemon is stopping: said as such, not as an SQLite failure.
            if case .sqlite(let code, _) = error, code & 0xff == SQLITE_INTERRUPT, isClosed { throw .closed }
            throw error
        }
    }

    private var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    private func borrow() throws(StoreError) -> Connection {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty, !closed { condition.wait() }
        guard !closed, let connection = free.popLast() else { throw .closed }
        busy[ObjectIdentifier(connection)] = connection
        return connection
    }

    private func giveBack(_ connection: Connection) {
        condition.lock()
        busy[ObjectIdentifier(connection)] = nil
        free.append(connection)
        condition.broadcast()
        condition.unlock()
    }

    /// Ends every read running now (`sqlite3_interrupt`: its statement returns SQLITE_INTERRUPT at the
    /// next step) and refuses the reads that would follow: the daemon is stopping.
    func interruptAndClose() {
        condition.lock()
        closed = true
        for connection in busy.values { connection.interrupt() }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the lent readers to come back (an interrupted read returns within a step), then
    /// closes every connection.
    func close() {
        condition.lock()
        closed = true
        while !busy.isEmpty { condition.wait() }
        condition.unlock()
        for connection in all { connection.close() }
    }
}

extension Store {
    /// Runs `body` on a reader connection of its own (waiting only while every reader is busy).
    func read<T>(_ body: (Connection) throws(StoreError) -> T) throws(StoreError) -> T {
        guard !isClosed.current else { throw .closed }
        return try readers.read(body)
    }

    /// `read` with `budget` watching its statements: past the budget the read ends with
    /// `StoreError.interrupted`.
    func read<T>(budget: QueryBudget, _ body: (Connection) throws(StoreError) -> T) throws(StoreError) -> T {
        try read { connection throws(StoreError) in
            try connection.withBudget(budget) { () throws(StoreError) in try body(connection) }
        }
    }

    /// Ends every read running now and refuses new ones: the first step of a stop, so that no read
    /// keeps the daemon from stopping in time. Writes go on until `close`.
    public func interruptReads() {
        readers.interruptAndClose()
    }
}

/// How much work one read may do: a deadline, and a question asked every few thousand SQLite
/// instructions of whether its caller is still there. A read past either ends with
/// `StoreError.interrupted` instead of running on for minutes (issue 25, H2).
public final class QueryBudget: Sendable {
    /// Why a budgeted read stopped.
    public enum Exhaustion: Sendable, Equatable {
        case deadline, cancelled
    }

    private let deadline: UInt64
    private let cancelled: @Sendable () -> Bool
    private let reason = Locked<Exhaustion?>(nil)

    /// `seconds` of wall time from now; `cancelled` is asked as the read runs (the client left, the
    /// daemon is stopping).
    public init(seconds: Double, cancelled: @escaping @Sendable () -> Bool = { false }) {
        deadline = DispatchTime.now().uptimeNanoseconds + UInt64(min(max(0, seconds), 86_400) * 1e9)
        self.cancelled = cancelled
    }

    /// Why the read was stopped, once it was.
    public var exhaustion: Exhaustion? { reason.current }

    /// True (and the reason kept) once the read must stop.
    func isExhausted() -> Bool {
        if reason.current != nil { return true }
        let why: Exhaustion? =
            cancelled() ? .cancelled : DispatchTime.now().uptimeNanoseconds >= deadline ? .deadline : nil
        guard let why else { return false }
        reason.withLock { $0 = $0 ?? why }
        return true
    }
}
