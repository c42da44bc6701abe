import Foundation
import OtklikCore
import OtklikStore
import OtklikBase

/// Hands every committed event to the live watchers. Each watcher has a bounded queue: one that falls
/// that far behind is told so (it resumes from its last sequence) instead of growing the daemon's memory.
/// A watcher does not wait on its queue: it is called (`onChange`) and polls.
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
            let notify = onChange
            condition.unlock()
            notify?()
        }

        /// Called (outside the lock, on the publisher's thread) after events arrived, the watcher fell
        /// behind or the hub stopped: an event-driven watcher polls then. Set before subscribing.
        var onChange: (@Sendable () -> Void)?

        /// What a poll finds.
        enum Poll {
            case events([Event])
            case fellBehind
        }

        /// The events that arrived since the last poll (maybe none), without waiting.
        func poll() -> Poll {
            condition.lock()
            defer { condition.unlock() }
            if fellBehind { return .fellBehind }
            let events = Array(queue[start...])
            queue.removeAll(keepingCapacity: true)
            start = 0
            return .events(events)
        }

        init(capacity: Int) {
            self.capacity = capacity
        }

        func push(_ events: [Event]) {
            condition.lock()
            let notify: (@Sendable () -> Void)?
            if fellBehind {
                notify = nil
            } else if queue.count - start + events.count > capacity {
                fellBehind = true
                queue.removeAll()
                start = 0
                notify = onChange
            } else {
                // Told once per batch that finds the queue empty: the watcher polls everything then.
                notify = queue.count == start ? onChange : nil
                queue += events
            }
            condition.broadcast()
            condition.unlock()
            notify?()
        }

    }

    private let subscribers = Locked<(all: [ObjectIdentifier: Subscription], stopped: Bool)>(([:], false))

    func subscribe(capacity: Int, onChange: (@Sendable () -> Void)? = nil) -> Subscription {
        let subscription = Subscription(capacity: capacity)
        subscription.onChange = onChange
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
