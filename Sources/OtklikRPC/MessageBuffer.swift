/// Messages waiting for a reader, first in first out, with a bound on their total size. Not
/// thread-safe: its owner keeps it under its own lock.
struct MessageBuffer {
    private var messages: [[UInt8]] = []
    private var start = 0
    private(set) var bytes = 0
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Adds `message` unless that would pass the limit; false then.
    mutating func append(_ message: [UInt8]) -> Bool {
        guard bytes + message.count <= limit else { return false }
        messages.append(message)
        bytes += message.count
        return true
    }

    mutating func popFirst() -> [UInt8]? {
        guard start < messages.count else { return nil }
        let message = messages[start]
        start += 1
        bytes -= message.count
        if start == messages.count {
            messages.removeAll(keepingCapacity: true)
            start = 0
        }
        return message
    }
}
