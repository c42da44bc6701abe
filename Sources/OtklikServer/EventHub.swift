import Foundation
import OtklikCore
import OtklikStore
import OtklikBase

/// Hands every committed event to the live watchers. Each watcher has a bounded queue: one that falls
/// that far behind is told so (it resumes from its last sequence) instead of growing the daemon's memory.
final class EventHub: Sendable {
    /// `@unchecked Sendable`: its queue and flags are only touched inside `condition`.
    final class Subscription: @unchecked Sendable {
        private let condition = NSCondition()
        private var queue: [Event] = []
        private var start = 0
        private let capacity: Int
        private(set) var fellBehind = false
        private var stopped = false

        /// The daemon is stopping: the watcher ends now, telling where to resume.
        var isStopped: Bool {
            condition.lock()
            defer { condition.unlock() }
            return stopped
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }

        init(capacity: Int) {
            self.capacity = capacity
        }

        func push(_ events: [Event]) {
            condition.lock()
            defer {
                condition.broadcast()
                condition.unlock()
            }
            guard !fellBehind else { return }
            if queue.count - start + events.count > capacity {
                fellBehind = true
                queue.removeAll()
                start = 0
                return
            }
            queue += events
        }

        /// The events that arrived, waiting up to `timeout`; nil once the watcher fell behind.
        func take(timeout: TimeInterval) -> [Event]? {
            condition.lock()
            defer { condition.unlock() }
            if start == queue.count, !fellBehind, !stopped {
                _ = condition.wait(until: Date().addingTimeInterval(timeout))
            }
            if fellBehind { return nil }
            let events = Array(queue[start...])
            queue.removeAll(keepingCapacity: true)
            start = 0
            return events
        }

        func wake() {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
    }

    private let subscribers = Locked<(all: [ObjectIdentifier: Subscription], stopped: Bool)>(([:], false))

    func subscribe(capacity: Int) -> Subscription {
        let subscription = Subscription(capacity: capacity)
        let stopped = subscribers.withLock { state -> Bool in
            state.all[ObjectIdentifier(subscription)] = subscription
            return state.stopped
        }
        if stopped { subscription.stop() }
        return subscription
    }

    /// Ends every watcher now and any that subscribes later (graceful stop).
    func stop() {
        let all = subscribers.withLock { state -> [Subscription] in
            state.stopped = true
            return Array(state.all.values)
        }
        for subscription in all { subscription.stop() }
    }

    func unsubscribe(_ subscription: Subscription) {
        subscribers.withLock { $0.all[ObjectIdentifier(subscription)] = nil }
    }

    var watcherCount: Int { subscribers.withLock { $0.all.count } }

    func publish(_ events: [Event]) {
        for subscription in subscribers.withLock({ Array($0.all.values) }) { subscription.push(events) }
    }
}
