@preconcurrency public import Dispatch

/// A point on the monotonic clock by which a call must be answered.
public struct Deadline: Sendable, Comparable {
    public let uptimeNanoseconds: UInt64

    /// `timeoutNanos` from now; nil for 0 or less (no deadline), as the envelope means it.
    public init?(timeoutNanos: Int64, now: DispatchTime = .now()) {
        guard timeoutNanos > 0 else { return nil }
        let (sum, overflow) = now.uptimeNanoseconds.addingReportingOverflow(UInt64(timeoutNanos))
        uptimeNanoseconds = overflow ? .max : sum
    }

    public init(after duration: Duration, now: DispatchTime = .now()) {
        // Safe to unwrap: the failable init refuses only 0 or less, and `max(1, _)` is positive.
        self.init(timeoutNanos: max(1, duration.nanoseconds), now: now)!
    }

    public var dispatchTime: DispatchTime { DispatchTime(uptimeNanoseconds: uptimeNanoseconds) }

    public func hasPassed(now: DispatchTime = .now()) -> Bool {
        now.uptimeNanoseconds >= uptimeNanoseconds
    }

    /// Nanoseconds left, 0 once passed: what a client puts in `timeout_nano`.
    public func remainingNanos(now: DispatchTime = .now()) -> Int64 {
        let now = now.uptimeNanoseconds
        guard uptimeNanoseconds > now else { return 0 }
        return Int64(clamping: uptimeNanoseconds - now)
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        lhs.uptimeNanoseconds < rhs.uptimeNanoseconds
    }
}

extension Duration {
    /// The whole duration in nanoseconds, clamped to Int64.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow
            ? .max : scaled + attoseconds / 1_000_000_000
    }
}
