import Foundation

/// One entry of the append-only event log.
public struct Event: Sendable, Equatable {
    public var id: Int64
    public var time: Date
    public var actor: String
    public var kind: String
    public var subject: String
    public var payload: [UInt8]

    public init(id: Int64 = 0, time: Date, actor: String, kind: String, subject: String = "", payload: [UInt8] = []) {
        self.id = id
        self.time = time
        self.actor = actor
        self.kind = kind
        self.subject = subject
        self.payload = payload
    }
}

/// Event times are stored as ISO 8601 UTC text with milliseconds, readable in the sqlite3 shell
/// and ordered as text.
enum EventTime {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    static func text(_ date: Date) -> String {
        date.formatted(style)
    }

    static func date(_ text: String) -> Date {
        (try? style.parse(text)) ?? Date(timeIntervalSince1970: 0)
    }
}
