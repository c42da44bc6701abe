public import OtklikCore

// The typed `payload` of a `WatchEvent` (events.proto), converted field by field from the payload
// types the log stores (`EventKind.payloadType`), so that a client reads a step's reason or a
// warning's due by name. `EventAdapterTests` checks that every field of the stored types arrives.

extension WatchEvent.Payload {
    /// The payload of details read from the log; nil for kinds the contract leaves untyped.
    public init?(_ details: EventDetails) {
        switch details {
        case .step(let event): self = .step(StepDetails(event))
        case .clock(let notice): self = .clock(ClockNoticeDetails(notice))
        case .attachment(let upload): self = .attachment(AttachmentDetails(upload))
        case .connector(let notice): self = .connector(ConnectorDetails(notice))
        case .other: return nil
        }
    }
}

extension StepDetails {
    public init(_ event: WorkflowEvent) {
        self.init()
        atUnix = event.at.seconds
        assignment = UInt32(clamping: event.assignment ?? 0)
        met = (event.met ?? []).map {
            MetClock(
                clock: Wire.ClockKind($0.clock), dueUnix: $0.due.seconds,
                assignment: UInt32(clamping: $0.assignment ?? 0))
        }
        network = event.network ?? ""
        url = event.url ?? ""
        author = event.author ?? ""
        text = event.text ?? ""
        postedAtUnix = event.postedAt?.seconds ?? 0
        externalID = event.externalID ?? ""
        topics = event.topics ?? []
        importance = event.importance.map(Wire.Importance.init) ?? .unspecified
        assignments = (event.assignments ?? []).map {
            NewAssignment(
                index: UInt32(clamping: $0.index), executor: $0.executor, topics: $0.topics,
                startedAtUnix: $0.startedAt?.seconds ?? 0)
        }
        reason = event.reason ?? ""
        comment = event.comment ?? ""
        repeatOf = event.repeatOf ?? ""
        draftKind = event.draftKind.map(Wire.DraftKind.init) ?? .unspecified
        measures = event.measures ?? ""
        attachments = (event.attachments ?? []).map {
            DraftFile(
                sha256: $0.sha256, name: $0.name, kind: $0.kind.rawValue, size: $0.size,
                capturedAtUnix: $0.capturedAt?.seconds ?? 0)
        }
        by = event.by ?? []
        account = event.account ?? ""
        login = event.login ?? ""
        executor = event.executor ?? ""
        changes = (event.changes ?? []).map {
            FieldChange(
                field: $0.field.rawValue, before: $0.old ?? "", hadBefore: $0.old != nil, after: $0.new ?? "",
                hasAfter: $0.new != nil)
        }
        failure = event.failure.map {
            PublicationFailure(
                kind: Wire.PublicationFailureKind($0.kind), code: Int32(clamping: $0.code), message: $0.message)
        }
        filesLeftOut = event.filesLeftOut ?? false
        filesSent = event.filesSent ?? []
        deletedBy = event.deletedBy.map(Wire.MessageDeleter.init) ?? .unspecified
        changeID = event.changeID ?? ""
        findings = (event.findings ?? []).map { Finding(rule: Wire.QualityRule($0.rule), words: $0.words) }
        incident = UInt32(clamping: event.incident ?? 0)
        incidentDraft = event.incidentDraft ?? ""
        draftTemplate = event.draftTemplate ?? ""
    }
}

extension ClockNoticeDetails {
    public init(_ notice: ClockNotice) {
        self.init(
            clock: Wire.ClockKind(notice.clock),
            dueUnix: notice.due.seconds, due: notice.dueAt, schedule: notice.schedule,
            assignment: UInt32(clamping: notice.assignment ?? 0), point: notice.point ?? "",
            recipients: notice.recipients, risks: (notice.risks ?? []).map(Wire.RiskReason.init),
            nextPresentUnix: notice.nextPresent?.seconds ?? 0)
    }
}

extension AttachmentDetails {
    public init(_ upload: AttachmentEvent) {
        self.init(
            sha256: upload.sha256, name: upload.name, contentType: upload.contentType, size: upload.size,
            reason: upload.reason ?? "")
    }
}

extension ConnectorDetails {
    public init(_ notice: ConnectorNotice) {
        self.init(
            login: notice.login, network: notice.network, community: notice.community,
            state: Wire.ConnectorState(name: notice.state) ?? .unspecified, error: notice.error)
    }
}
