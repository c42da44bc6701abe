import Foundation
public import OtklikCore

/// What an event's details say, read with the type the daemon stored them as (`EventKind.payloadType`):
/// `watch`, `case history` and `case show` read a step's reason or a warning's due from fields, never
/// from a dictionary's keys. Details this build cannot read (a newer daemon's) are `other`.
public enum EventDetails: Sendable {
    /// A step of the workflow on a case.
    case step(WorkflowEvent)
    /// A clock's warning or breach.
    case clock(ClockNotice)
    /// An upload stored or removed.
    case attachment(AttachmentEvent)
    /// The directory's, the calendar's, the daemon's own events, or details not read.
    case other

    public init(kind: EventKind?, json: String) {
        guard let kind, let type = kind.payloadType else {
            self = .other
            return
        }
        let data = Data(json.utf8)
        let decoder = JSONDecoder()
        if type == WorkflowEvent.self, let event = try? decoder.decode(WorkflowEvent.self, from: data) {
            self = .step(event)
        } else if type == ClockNotice.self, let notice = try? decoder.decode(ClockNotice.self, from: data) {
            self = .clock(notice)
        } else if type == AttachmentEvent.self, let upload = try? decoder.decode(AttachmentEvent.self, from: data) {
            self = .attachment(upload)
        } else {
            self = .other
        }
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
}
