/// The payload each kind of event carries in the log, one Codable type per kind
/// (`EventKind.payloadType`): what writers encode with `JSONText` and readers decode. Case steps
/// carry a `WorkflowEvent`; the other kinds the small types below. Stored payloads are never
/// migrated: every type decodes what earlier versions wrote.
extension EventKind {
    /// The type of this kind's payload; nil for a kind without one (`daemon.stopped`).
    public var payloadType: (any Codable.Type)? {
        switch self {
        case .registered, .routed, .rejected, .repeatLinked, .importanceChanged, .draftSubmitted, .draftApproved,
            .draftReturned, .replyPublished, .authorAnswered, .assignmentTaken, .assignmentGiven, .rerouted,
            .executorAdded, .assignmentCancelled, .withdrawn, .corrected, .reopened, .draftSentBack, .noAnswer,
            .evidenceWaived, .messageEdited, .messageDeleted, .messageRestored, .publicationRequested,
            .publicationFailed, .incidentJoined, .incidentLeft:
            WorkflowEvent.self
        case .incidentPut: Incident.self
        case .clockWarning, .clockBreached, .clockAtRisk: ClockNotice.self
        case .unitPut: OrganisationUnit.self
        case .staffPut: StaffMember.self
        case .absenceAdded: Absence.self
        case .absenceRemoved: AbsenceRemoval.self
        case .accountPut: SocialAccount.self
        case .scheduleChanged: ScheduleDocument.Document.self
        case .calendarShipped, .calendarImported: CalendarYears.self
        case .daemonStarted: DaemonStarted.self
        case .daemonStopped: nil
        case .demoSeeded: DemoSeeded.self
        case .attachmentUploaded, .attachmentRemoved: AttachmentEvent.self
        case .connectorTrouble, .connectorRecovered: ConnectorNotice.self
        }
    }
}

/// `directory.absence_removed`: the absence as it was, and why it was taken back.
public struct AbsenceRemoval: Codable, Sendable, Equatable {
    public var absence: Absence
    public var reason: String

    public init(absence: Absence, reason: String) {
        self.absence = absence
        self.reason = reason
    }
}

/// `clock.warning` and `clock.breached`: which clock instance, when it is due, and whom it concerns.
public struct ClockNotice: Codable, Sendable, Equatable {
    public var clock: ClockKind
    /// Which instance of the clock (its assignment and cycle), as the scheduler keys it.
    public var clockKey: ClockKey
    public var due: Instant
    public var dueAt: String
    public var schedule: String
    public var assignment: Int?
    /// A warning's point ("50%", "15m"); absent for a breach.
    public var point: String?
    public var recipients: [String]
    /// `clock.at_risk`: why the step will likely breach (issue 31).
    public var risks: [RiskReason]?
    /// `clock.at_risk`, nobody present: when someone who can act is next at work.
    public var nextPresent: Instant?

    public init(
        clock: ClockKind, clockKey: ClockKey, due: Instant, dueAt: String, schedule: String, assignment: Int?,
        point: String? = nil, recipients: [String] = []
    ) {
        self.clock = clock
        self.clockKey = clockKey
        self.due = due
        self.dueAt = dueAt
        self.schedule = schedule
        self.assignment = assignment
        self.point = point
        self.recipients = recipients
    }

    enum CodingKeys: String, CodingKey {
        case clock, due, schedule, assignment, point, recipients, risks
        case clockKey = "clock_key"
        case dueAt = "due_at"
        case nextPresent = "next_present"
    }
}

/// `calendar.shipped` and `calendar.imported`: the production calendar years written.
public struct CalendarYears: Codable, Sendable, Equatable {
    public var years: [Int]
    public init(years: [Int]) { self.years = years }
}

/// `daemon.started`: the version that started.
public struct DaemonStarted: Codable, Sendable, Equatable {
    public var version: String
    /// A start accepted with its clock before the log's newest event (`otklikd --accept-clock-correction`):
    /// what the log held, what the clock said, and the operator's reason. The log runs on from here.
    public var clockCorrection: ClockCorrection?

    public struct ClockCorrection: Codable, Sendable, Equatable {
        /// The newest event's time before this start, and the clock at it (ISO 8601, UTC).
        public var newestEvent: String
        public var clock: String
        public var reason: String
        public var by: String

        public init(newestEvent: String, clock: String, reason: String, by: String) {
            self.newestEvent = newestEvent
            self.clock = clock
            self.reason = reason
            self.by = by
        }
    }

    public init(version: String, clockCorrection: ClockCorrection? = nil) {
        self.version = version
        self.clockCorrection = clockCorrection
    }
}

/// `demo.seeded`: the demo's profile and how many cases it wrote.
public struct DemoSeeded: Codable, Sendable, Equatable {
    public var profile: String
    public var cases: Int
    public init(profile: String, cases: Int) {
        self.profile = profile
        self.cases = cases
    }
}

/// `attachment.uploaded` and `attachment.removed`: which file (its SHA-256), as what, and for a
/// removal why (`reason`: never referenced by a draft within the grace period).
public struct AttachmentEvent: Codable, Sendable, Equatable {
    public var sha256: String
    public var name: String
    public var contentType: String
    public var size: Int64
    public var reason: String?

    public init(sha256: String, name: String, contentType: String, size: Int64, reason: String? = nil) {
        self.sha256 = sha256
        self.name = name
        self.contentType = contentType
        self.size = size
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case sha256, name, size, reason
        case contentType = "content_type"
    }
}

/// `connector.trouble`, `connector.recovered` (issue 29): a connector's login, what it reads, and how it
/// stands (the wire's `ConnectorState` word: `network_unreachable`, `token_refused`, `stopped`, `ok`).
public struct ConnectorNotice: Codable, Sendable, Equatable {
    public var login: String
    public var network: String
    public var community: String
    public var state: String
    public var error: String

    public init(login: String, network: String, community: String, state: String, error: String) {
        self.login = login
        self.network = network
        self.community = community
        self.state = state
        self.error = error
    }
}
