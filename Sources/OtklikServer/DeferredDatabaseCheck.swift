import COtklikSystem
import Foundation
import OtklikAPI
import OtklikBase
import OtklikStore

/// The database check a start owes once serving has begun (`Store.deferredCheck`: after a crash, a
/// kill or a power cut), run on a thread of its own at a lower priority than the calls, and how it
/// stands for `Health` (issue 33, item 4: serving within seconds of a crash at a million cases, where
/// the full check takes over a minute).
///
/// Damage it finds is handled as at a start (the damaged-file path): the store records it, the daemon
/// stops (`onDamage`), and the next start checks in full before serving, rebuilding the file from its
/// tables or refusing with `otklikd recover` named.
final class DeferredDatabaseCheck: Sendable {
    struct Reading {
        var state: HealthResponse.DatabaseCheck
        var full: Bool
        var seconds: Int64
    }

    private let store: Store
    private let logger: Logger
    private let standing = Locked<(state: HealthResponse.DatabaseCheck, began: Date, took: TimeInterval?)>(
        (.unspecified, Date(), nil))

    /// Running from the start when a check is owed: a client that connects before the thread begins
    /// hears it is running, never that none is owed.
    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
        if store.deferredCheck != nil { standing.withLock { $0 = (.running, Date(), nil) } }
    }

    /// The check's standing; `.unspecified` when none was owed.
    var reading: Reading {
        let standing = standing.current
        guard standing.state != .unspecified else { return Reading(state: .unspecified, full: false, seconds: 0) }
        let seconds = standing.took ?? Date().timeIntervalSince(standing.began)
        return Reading(state: standing.state, full: store.deferredCheck == .full, seconds: Int64(seconds))
    }

    /// Starts the owed check, if any. `onDamage` runs (on the check's thread) when it found damage.
    func start(onDamage: @escaping @Sendable () -> Void) {
        guard let check = store.deferredCheck else { return }
        logger.info("checking the database (\(check.rawValue)) beside the calls")
        let started = DetachedThread.start(stackSize: 1 << 20) { [self] in
            // Calls come first: the check takes what CPU they leave.
            _ = otklik_set_thread_nice(10)
            run(check, onDamage: onDamage)
        }
        if !started {
            standing.withLock { $0.state = .unfinished }
            logger.error("no thread for the database check: it stays owed at the next start")
        }
    }

    private func run(_ check: Store.Check, onDamage: @Sendable () -> Void) {
        let findings: [String]
        do {
            findings = try store.runDeferredCheck()
        } catch {
            finish(.unfinished)
            if case .interrupted = error {
                logger.info("the database check was cut short by the stop: it is owed at the next start")
            } else {
                logger.error("the database check could not finish (\(error)): it is owed at the next start")
            }
            return
        }
        if findings == ["ok"] {
            let took = finish(.passed)
            logger.info("the database passed its \(check.rawValue) check in \(String(format: "%.1f", took)) s")
            return
        }
        finish(.damaged)
        logger.error(
            "the database check found damage (\(findings.prefix(5).joined(separator: "; "))): stopping; "
                + "the next start checks the file in full before serving and rebuilds it from its tables, "
                + "or refuses and names otklikd recover")
        onDamage()
    }

    @discardableResult
    private func finish(_ state: HealthResponse.DatabaseCheck) -> TimeInterval {
        standing.withLock { standing in
            let took = Date().timeIntervalSince(standing.began)
            standing = (state, standing.began, took)
            return took
        }
    }
}
