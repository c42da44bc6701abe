public import Foundation

/// One entry of the append-only event log.
public struct Event: Sendable, Equatable {
    public var id: Int64
    public var time: Date
    public var actor: String
    public var kind: String
    public var subject: String
    public var payload: [UInt8]
    /// The login the actor acted as (`otklik --as`), empty when acting as themselves.
    public var onBehalf: String
    /// The case's version after this event, for case events.
    public var caseVersion: Int?

    /// The subject of every change of the staff directory (units, staff, absences, accounts).
    public static let directorySubject = "directory"

    public init(
        id: Int64 = 0, time: Date, actor: String, kind: String, subject: String = "", payload: [UInt8] = [],
        onBehalf: String = "", caseVersion: Int? = nil
    ) {
        self.id = id
        self.time = time
        self.actor = actor
        self.kind = kind
        self.subject = subject
        self.payload = payload
        self.onBehalf = onBehalf
        self.caseVersion = caseVersion
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

    /// The whole Unix second of a stored time (what the daemon's clock read when it was written).
    static func unix(_ text: String) -> Int64 {
        Int64(date(text).timeIntervalSince1970.rounded(.down))
    }
}

extension Event {
    static let columns = "id, time, actor, kind, subject, payload, on_behalf, case_version"

    /// A row selected with `columns`.
    init(_ row: Row) {
        self.init(
            id: row.integer(0), time: EventTime.date(row.text(1)), actor: row.text(2), kind: row.text(3),
            subject: row.text(4),
            payload: row.blob(5), onBehalf: row.text(6), caseVersion: row.isNull(7) ? nil : Int(row.integer(7)))
    }
}
