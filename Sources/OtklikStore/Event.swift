public import OtklikCore

/// An event's kind as the log holds it: one this build knows, or one a newer version wrote (kept as
/// written, passed over by what reads the log, never taken for another).
public enum LoggedKind: Sendable, Hashable, CustomStringConvertible {
    case known(EventKind)
    case unknown(String)

    public init(_ text: String) {
        self = EventKind(rawValue: text).map(LoggedKind.known) ?? .unknown(text)
    }

    /// The kind as stored (`events.kind`).
    public var text: String {
        switch self {
        case .known(let kind): kind.rawValue
        case .unknown(let text): text
        }
    }

    /// The kind, when this build knows it.
    public var known: EventKind? {
        if case .known(let kind) = self { return kind }
        return nil
    }

    public var description: String { text }
}

/// One entry of the append-only event log.
public struct Event: Sendable, Equatable {
    public var id: Int64
    public var time: Instant
    public var actor: String
    public var kind: LoggedKind
    public var subject: String
    public var payload: [UInt8]
    /// The login the actor acted as (`otklik --as`), empty when acting as themselves.
    public var onBehalf: String
    /// The case's version after this event, for case events.
    public var caseVersion: Int?

    /// The subject of every change of the staff directory (units, staff, absences, accounts).
    public static let directorySubject = "directory"
    /// The subject of the connectors' notices (issue 29).
    public static let connectorsSubject = "connectors"

    public init(
        id: Int64 = 0, time: Instant, actor: String, kind: EventKind, subject: String = "", payload: [UInt8] = [],
        onBehalf: String = "", caseVersion: Int? = nil
    ) {
        self.init(
            id: id, time: time, actor: actor, logged: .known(kind), subject: subject, payload: payload,
            onBehalf: onBehalf, caseVersion: caseVersion)
    }

    /// Any kind as the log may hold it: what a row read back gives, and what tests write to stand for a
    /// newer version's events. The daemon writes only kinds it knows (`init(kind:)`).
    init(
        id: Int64 = 0, time: Instant, actor: String, logged kind: LoggedKind, subject: String = "",
        payload: [UInt8] = [], onBehalf: String = "", caseVersion: Int? = nil
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

/// Event times are stored as ISO 8601 UTC text with milliseconds (`2026-05-12T09:30:00.000Z`), readable
/// in the sqlite3 shell and ordered as text. The daemon's clock reads whole seconds, so the milliseconds
/// are zero in every row it writes; rows older versions wrote with a fraction read back to their second.
enum EventTime {
    static func text(_ instant: Instant) -> String {
        var text = instant.iso(offset: 0)
        text.removeLast()  // "Z": `iso(offset: 0)` always ends in it
        return text + ".000Z"
    }

    /// The instant of a stored time; the epoch for text that is not one (never written by the daemon).
    static func instant(_ text: String) -> Instant {
        Instant(iso: text) ?? Instant(seconds: 0)
    }

    /// The whole Unix second of a stored time (what the daemon's clock read when it was written).
    static func unix(_ text: String) -> Int64 { instant(text).seconds }
}

extension Event {
    static let columns = "id, time, actor, kind, subject, payload, on_behalf, case_version"

    /// A row selected with `columns`.
    init(_ row: Row) {
        self.init(
            id: row.integer(0), time: EventTime.instant(row.text(1)), actor: row.text(2),
            logged: LoggedKind(row.text(3)), subject: row.text(4),
            payload: row.blob(5), onBehalf: row.text(6), caseVersion: row.isNull(7) ? nil : Int(row.integer(7)))
    }
}
