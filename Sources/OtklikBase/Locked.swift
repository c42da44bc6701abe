import Synchronization

/// A value behind the standard library's `Mutex`, for the few pieces of state that several threads
/// touch; a class so that closures and objects can share one.
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) {
        mutex = Mutex(value)
    }

    @discardableResult
    public func withLock<Result>(_ body: (inout sending Value) throws -> sending Result) rethrows -> sending Result {
        try mutex.withLock { try body(&$0) }
    }

    public var current: Value {
        withLock { $0 }
    }
}
