import Foundation

/// What an event's details say, read with the type the daemon stored them as (`EventKind.payloadType`):
/// the daemon's `Watch` and `Export` (the typed `payload` of a `WatchEvent`), `watch`, `case history`
/// and `case show` read a step's reason or a warning's due from fields, never from a dictionary's keys.
/// Details this build cannot read (a newer daemon's) are `other`.
public enum EventDetails: Sendable {
    /// A step of the workflow on a case.
    case step(WorkflowEvent)
    /// A clock's warning or breach.
    case clock(ClockNotice)
    /// An upload stored or removed.
    case attachment(AttachmentEvent)
    /// A connector's trouble or recovery.
    case connector(ConnectorNotice)
    /// The directory's, the calendar's, the daemon's own events, or details not read.
    case other

    public init(kind: EventKind?, json: String) {
        self.init(kind: kind, payload: Array(json.utf8))
    }

    /// The details of a payload as the log holds it (`Event.payload`).
    public init(kind: EventKind?, payload: [UInt8]) {
        guard let kind, let type = kind.payloadType else {
            self = .other
            return
        }
        if type == WorkflowEvent.self {
            self = (try? WorkflowEvent(json: payload)).map(Self.step) ?? .other
            return
        }
        let decoder = JSONDecoder()
        let data = Data(payload)
        if type == ClockNotice.self, let notice = try? decoder.decode(ClockNotice.self, from: data) {
            self = .clock(notice)
        } else if type == AttachmentEvent.self, let upload = try? decoder.decode(AttachmentEvent.self, from: data) {
            self = .attachment(upload)
        } else if type == ConnectorNotice.self, let notice = try? decoder.decode(ConnectorNotice.self, from: data) {
            self = .connector(notice)
        } else {
            self = .other
        }
    }

    /// A payload as the log holds it with only the members named in `keep` (at any depth; `{}` for one
    /// that cannot be read or is not an object), and the assignment its top level names: what
    /// `Events/Export` with `keep` sends, so that what a reader leaves out never leaves the daemon.
    public static func kept(_ payload: [UInt8], _ keep: Set<String>) -> (details: String, assignment: Int?) {
        var text: [UInt8] = []
        text.reserveCapacity(payload.count)
        let dropped = try? JSONReader.read(payload) { reader throws(JSONReader.Failure) in
            try reader.copy(keeping: keep, into: &text)
        }
        // Every kind's payload is an object; anything else (a bare string could be anyone's words) is not sent.
        guard let dropped, text.first == UInt8(ascii: "{") else { return ("{}", nil) }
        let assignment = try? JSONReader.read(payload) { reader throws(JSONReader.Failure) -> Int? in
            guard (try? reader.beginObject()) != nil else {
                try reader.skip()
                return nil
            }
            var assignment: Int?
            while let key = try reader.nextKey() {
                if key == "assignment" {
                    assignment = try reader.optional { r throws(JSONReader.Failure) in try r.int() }
                } else {
                    try reader.skip()
                }
            }
            return assignment
        }
        return (
            dropped ? String(decoding: text, as: UTF8.self) : String(decoding: payload, as: UTF8.self),
            assignment.flatMap { $0 }.flatMap { $0 > 0 ? $0 : nil }
        )
    }

    /// The step, when these are a step's details.
    public var step: WorkflowEvent? {
        guard case .step(let event) = self else { return nil }
        return event
    }

    /// The clock's notice, when these are a warning's or a breach's details.
    public var clock: ClockNotice? {
        guard case .clock(let notice) = self else { return nil }
        return notice
    }

    /// The upload, when these are an attachment's details.
    public var attachment: AttachmentEvent? {
        guard case .attachment(let upload) = self else { return nil }
        return upload
    }

    /// The assignment (1-based) a step or a clock's notice concerns; nil for the case or other details.
    public var assignment: Int? {
        switch self {
        case .step(let event): event.assignment
        case .clock(let notice): notice.assignment
        case .attachment, .connector, .other: nil
        }
    }
}
