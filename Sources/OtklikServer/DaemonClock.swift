import Foundation
public import OtklikCore
import OtklikBase

/// The daemon's notion of now: the system clock, or with `--test-clock` a clock that stands still
/// until told to move (tests and demos).
public final class DaemonClock: Sendable {
    private let simulatedNow: Locked<Instant>?

    public init(simulatedStart: Instant? = nil) {
        simulatedNow = simulatedStart.map { Locked($0) }
    }

    public var isSimulated: Bool { simulatedNow != nil }

    public var now: Instant { simulatedNow?.current ?? Instant(seconds: Int64(Date().timeIntervalSince1970)) }

    public enum ChangeError: Error, Equatable {
        case notSimulated
        case backwards
        /// The move would pass this instant (the last one working time is computed for).
        case beyond(Instant)
    }

    /// Sets the simulated clock; it never goes back (facts recorded so far must stay in the past).
    public func set(_ value: Instant, notAfter last: Instant = Instant(seconds: .max)) throws(ChangeError) -> Instant {
        guard let simulatedNow else { throw .notSimulated }
        guard value <= last else { throw .beyond(last) }
        let moved = simulatedNow.withLock { now -> Bool in
            guard value >= now else { return false }
            now = value
            return true
        }
        guard moved else { throw .backwards }
        return value
    }

    public func advance(seconds: Int64, notAfter last: Instant = Instant(seconds: .max)) throws(ChangeError)
        -> Instant
    {
        guard seconds >= 0 else { throw .backwards }
        guard let simulatedNow else { throw .notSimulated }
        let moved = simulatedNow.withLock { now -> Instant? in
            let (moved, overflow) = now.seconds.addingReportingOverflow(seconds)
            guard !overflow, moved <= last.seconds else { return nil }
            now = Instant(seconds: moved)
            return now
        }
        guard let moved else { throw .beyond(last) }
        return moved
    }
}
