public import Foundation
import OtklikCore
import OtklikBase

/// The daemon's notion of now, in Unix seconds: the system clock, or with `--test-clock` a clock
/// that stands still until told to move (tests and demos).
public final class DaemonClock: Sendable {
    private let simulatedNow: Locked<Int64>?

    public init(simulatedStart: Int64? = nil) {
        simulatedNow = simulatedStart.map { Locked($0) }
    }

    public var isSimulated: Bool { simulatedNow != nil }

    public var now: Int64 { simulatedNow?.current ?? Int64(Date().timeIntervalSince1970) }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(now)) }

    public enum ChangeError: Error, Equatable {
        case notSimulated
        case backwards
        /// The move would pass this instant (the last one working time is computed for).
        case beyond(Int64)
    }

    /// Sets the simulated clock; it never goes back (facts recorded so far must stay in the past).
    public func set(_ value: Int64, notAfter last: Int64 = .max) throws(ChangeError) -> Int64 {
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

    public func advance(seconds: Int64, notAfter last: Int64 = .max) throws(ChangeError) -> Int64 {
        guard seconds >= 0 else { throw .backwards }
        guard let simulatedNow else { throw .notSimulated }
        let moved = simulatedNow.withLock { now -> Int64? in
            let (moved, overflow) = now.addingReportingOverflow(seconds)
            guard !overflow, moved <= last else { return nil }
            now = moved
            return now
        }
        guard let moved else { throw .beyond(last) }
        return moved
    }
}
