#if canImport(Glibc)
import Glibc
#endif

/// A value behind a POSIX mutex, for the few pieces of state that several threads touch; a class so
/// that closures and objects can share one.
///
/// Why not the standard library's `Mutex`: on Linux it locks with futex system calls of its own, which
/// ThreadSanitizer does not see, so every access from two threads was reported as a race
/// (`scripts/tsan`); glibc's mutex is what ThreadSanitizer intercepts, at the same cost uncontended.
///
/// `@unchecked Sendable`: `value` is only touched with `mutex` held.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Error-checking: taking it again on the thread that holds it traps (as the standard
        // library's does) instead of hanging without a word.
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @discardableResult
    public func withLock<Result>(_ body: (inout sending Value) throws -> sending Result) rethrows -> sending Result {
        let locked = pthread_mutex_lock(mutex)
        precondition(locked == 0, "Locked taken again by the thread that holds it")
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    public var current: Value {
        withLock { $0 }
    }
}
