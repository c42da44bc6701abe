/// A compact binary form of `CaseState`, read many times faster than its JSON (the report decodes tens
/// of thousands of cases; every read of a stored case takes it, `Store.loadCase`). The JSON stays the
/// projection people read; this is a cache beside it, written with it.
///
/// Layout: a version byte, then every field in declaration order: integers as zigzag varints,
/// strings and arrays as a varint count followed by their contents, optionals as a 0/1 byte.
/// Version 2 appends the corrections' fields to each part, version 3 the attachments' (p.19) to drafts
/// and replies, version 4 the network's facts (issue 29: the message edited or deleted there, after
/// the assignments) and each assignment's publication through a connector, version 5 each draft's
/// reply-quality findings (issue 31), version 6 each draft's incident, its submission and template,
/// and the case's incident with its start (issue 31), version 7 who deleted the message in its network;
/// rows of earlier versions still read.
extension CaseState {
    static let binaryVersion: UInt8 = 7

    public func binary() -> [UInt8] {
        var w = BinaryWriter()
        w.bytes.append(Self.binaryVersion)
        w.string(id); w.string(status.rawValue); w.int(Int64(version)); w.string(network); w.string(url);
        w.string(author); w.string(text)
        w.int(detectedAt); w.optional(postedAt) { $0.int($1) }; w.optional(externalID) { $0.string($1) };
        w.strings(topics)
        w.string(importance.rawValue); w.optional(repeatOf) { $0.string($1) }; w.optional(routedAt) { $0.int($1) }
        w.optional(rejectionReason) { $0.string($1.rawValue) }; w.optional(rejectionComment) { $0.string($1) };
        w.optional(rejectedAt) { $0.int($1) }
        w.optional(routeMet) { $0.met($1) }
        w.optional(withdrawnAt) { $0.int($1) }; w.optional(withdrawalReason) { $0.string($1) };
        w.optional(routeStartedAt) { $0.int($1) }
        w.int(Int64(assignments.count))
        for a in assignments {
            w.int(Int64(a.index)); w.string(a.executor); w.strings(a.topics); w.string(a.status.rawValue)
            w.int(Int64(a.drafts.count))
            for d in a.drafts {
                w.string(d.kind.rawValue); w.string(d.text); w.optional(d.measures) { $0.string($1) };
                w.int(d.submittedAt); w.string(d.status.rawValue)
                w.optional(d.decidedAt) { $0.int($1) }; w.optional(d.returnReason) { $0.string($1.rawValue) };
                w.optional(d.returnComment) { $0.string($1) }
                w.optional(d.reviewMet) { $0.met($1) }; w.optional(d.reworkMet) { $0.met($1) };
                w.optional(d.publishMet) { $0.met($1) }
                w.optional(d.submittedBy) { $0.strings($1) }; w.optional(d.sentBackAt) { $0.int($1) }
                w.optional(d.attachments) { w, files in
                    w.int(Int64(files.count))
                    for f in files {
                        w.string(f.sha256); w.string(f.name); w.string(f.kind.rawValue); w.int(f.size)
                        w.optional(f.capturedAt) { $0.int($1) }
                    }
                }
                w.optional(d.evidenceWaiver) { w, waiver in
                    w.string(waiver.reason)
                    w.int(waiver.at)
                }
                w.optional(d.findings) { w, findings in
                    w.int(Int64(findings.count))
                    for f in findings {
                        w.string(f.rule.rawValue)
                        w.strings(f.words)
                    }
                }
                w.optional(d.incident) { $0.int(Int64($1)) }; w.optional(d.incidentDraft) { $0.string($1) };
                w.optional(d.draftTemplate) { $0.string($1) }
            }
            w.int(Int64(a.replies.count))
            for r in a.replies {
                w.string(r.kind.rawValue); w.string(r.url); w.optional(r.account) { $0.string($1) };
                w.int(r.publishedAt)
                w.optional(r.attachments) { $0.strings($1) }
                w.optional(r.filesLeftOut) { w, left in w.int(Int64(left ? 1 : 0)) }
            }
            w.int(Int64(a.pauses.count))
            for p in a.pauses { w.int(p.from); w.optional(p.to) { $0.int($1) } }
            w.optional(a.replyMet) { $0.met($1) }; w.optional(a.draftMet) { $0.met($1) };
            w.optional(a.finalDraftMet) { $0.met($1) }
            w.optional(a.responsible) { $0.string($1) }
            w.optional(a.startedAt) { $0.int($1) }
            w.optional(a.handovers) { w, list in
                w.int(Int64(list.count))
                for h in list { w.string(h.executor); w.int(h.until) }
            }
            w.optional(a.closedAt) { $0.int($1) }
            w.optional(a.earlierDraftMets) { w, list in
                w.int(Int64(list.count))
                for m in list { w.met(m) }
            }
            w.optional(a.publication) { w, p in
                w.string(p.network); w.int(p.requestedAt)
                w.optional(p.failure) { w, f in
                    w.string(f.kind.rawValue); w.int(Int64(f.code)); w.string(f.message)
                }
                w.optional(p.failedAt) { $0.int($1) }
            }
        }
        w.optional(editedAt) { $0.int($1) }; w.optional(deletedAt) { $0.int($1) }
        w.optional(networkChangeIDs) { $0.strings($1) }
        w.optional(incident) { $0.int(Int64($1)) }; w.optional(incidentSince) { $0.int($1) }
        w.optional(deletedBy) { $0.string($1.rawValue) }
        return w.bytes
    }

    /// Nil when the bytes are not a case of this layout (then read the JSON).
    public init?(binary bytes: [UInt8]) {
        var r = BinaryReader(bytes: bytes)
        guard let version = r.byte(), (1...Self.binaryVersion).contains(version),
            let state = try? Self.read(&r, version: version), r.atEnd
        else { return nil }
        self = state
    }

    private struct Malformed: Error {}

    private static func read(_ r: inout BinaryReader, version layout: UInt8) throws -> CaseState {
        var event = WorkflowEvent(kind: .registered, at: Instant(seconds: 0))
        let id = try r.string()
        let status = try word(CaseStatus.self, &r)
        let caseVersion = Int(try r.int())
        event.network = try r.string(); event.url = try r.string(); event.author = try r.string();
        event.text = try r.string()
        event.at = try r.instant()
        event.postedAt = try r.optional { try $0.instant() }
        event.externalID = try r.optional { try $0.string() }
        event.topics = try r.strings()
        event.importance = try word(Importance.self, &r)
        var state = CaseState(id: id, registered: event)
        state.status = status
        state.version = caseVersion
        state.repeatOf = try r.optional { try $0.string() }
        state.routedAt = try r.optional { try $0.instant() }
        state.rejectionReason = try r.optional { RejectionReason(rawValue: try $0.string()) } ?? nil
        state.rejectionComment = try r.optional { try $0.string() }
        state.rejectedAt = try r.optional { try $0.instant() }
        state.routeMet = try r.optional { try $0.met() }
        if layout >= 2 {
            state.withdrawnAt = try r.optional { try $0.instant() }
            state.withdrawalReason = try r.optional { try $0.string() }
            state.routeStartedAt = try r.optional { try $0.instant() }
        }
        for _ in 0..<(try r.count()) { state.assignments.append(try readAssignment(&r, version: layout)) }
        if layout >= 4 {
            state.editedAt = try r.optional { try $0.instant() }
            state.deletedAt = try r.optional { try $0.instant() }
            state.networkChangeIDs = try r.optional { try $0.strings() }
        }
        if layout >= 6 {
            state.incident = try r.optional { Int(try $0.int()) }
            state.incidentSince = try r.optional { try $0.instant() }
        }
        if layout >= 7 { state.deletedBy = try r.optional { try word(MessageDeleter.self, &$0) } }
        return state
    }

    /// A closed set's value by its word; a word this build does not know makes the bytes unreadable.
    private static func word<T: RawRepresentable>(_ type: T.Type, _ r: inout BinaryReader) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: try r.string()) else { throw Malformed() }
        return value
    }

    private static func readAssignment(_ r: inout BinaryReader, version layout: UInt8) throws -> AssignmentState {
        var a = AssignmentState(
            index: Int(try r.int()), executor: try r.string(), topics: try r.strings(),
            status: try word(AssignmentStatus.self, &r), drafts: [], replies: [], pauses: [])
        for _ in 0..<(try r.count()) { a.drafts.append(try readDraft(&r, version: layout)) }
        for _ in 0..<(try r.count()) {
            var reply = Reply(
                kind: try word(DraftKind.self, &r), url: try r.string(),
                account: try r.optional { try $0.string() },
                publishedAt: try r.instant())
            if layout >= 3 { reply.attachments = try r.optional { try $0.strings() } }
            if layout >= 4 { reply.filesLeftOut = try r.optional { try $0.int() != 0 } }
            a.replies.append(reply)
        }
        for _ in 0..<(try r.count()) {
            a.pauses.append(Pause(from: try r.instant(), to: try r.optional { try $0.instant() }))
        }
        a.replyMet = try r.optional { try $0.met() }
        a.draftMet = try r.optional { try $0.met() }
        a.finalDraftMet = try r.optional { try $0.met() }
        a.responsible = try r.optional { try $0.string() }
        if layout >= 2 {
            a.startedAt = try r.optional { try $0.instant() }
            a.handovers = try r.optional { r in
                var list: [Handover] = []
                for _ in 0..<(try r.count()) {
                    list.append(Handover(executor: try r.string(), until: try r.instant()))
                }
                return list
            }
            a.closedAt = try r.optional { try $0.instant() }
            a.earlierDraftMets = try r.optional { r in
                var list: [MetRecord] = []
                for _ in 0..<(try r.count()) { list.append(try r.met()) }
                return list
            }
        }
        if layout >= 4 {
            a.publication = try r.optional { r in
                var p = PublicationRequest(network: try r.string(), requestedAt: try r.instant())
                p.failure = try r.optional { r in
                    PublicationFailure(
                        kind: try word(PublicationFailureKind.self, &r), code: Int(try r.int()), message: try r.string()
                    )
                }
                p.failedAt = try r.optional { try $0.instant() }
                return p
            }
        }
        return a
    }

    private static func readDraft(_ r: inout BinaryReader, version layout: UInt8) throws -> Draft {
        var d = Draft(
            kind: try word(DraftKind.self, &r), text: try r.string(),
            measures: try r.optional { try $0.string() },
            submittedAt: try r.instant(), status: try word(Draft.Status.self, &r))
        d.decidedAt = try r.optional { try $0.instant() }
        d.returnReason = try r.optional { ReturnReason(rawValue: try $0.string()) } ?? nil
        d.returnComment = try r.optional { try $0.string() }
        d.reviewMet = try r.optional { try $0.met() }
        d.reworkMet = try r.optional { try $0.met() }
        d.publishMet = try r.optional { try $0.met() }
        if layout >= 2 {
            d.submittedBy = try r.optional { try $0.strings() }
            d.sentBackAt = try r.optional { try $0.instant() }
        }
        if layout >= 3 {
            d.attachments = try r.optional { r in
                var files: [DraftAttachment] = []
                for _ in 0..<(try r.count()) {
                    let sha256 = try r.string(), name = try r.string()
                    guard let kind = AttachmentKind(rawValue: try r.string()) else { throw Malformed() }
                    files.append(
                        DraftAttachment(
                            sha256: sha256, name: name, kind: kind, size: try r.int(),
                            capturedAt: try r.optional { try $0.instant() }))
                }
                return files
            }
            d.evidenceWaiver = try r.optional { r in EvidenceWaiver(reason: try r.string(), at: try r.instant()) }
        }
        if layout >= 5 {
            d.findings = try r.optional { r in
                var findings: [ReplyFinding] = []
                for _ in 0..<(try r.count()) {
                    findings.append(ReplyFinding(rule: try word(QualityRule.self, &r), words: try r.strings()))
                }
                return findings
            }
        }
        if layout >= 6 {
            d.incident = try r.optional { Int(try $0.int()) }
            d.incidentDraft = try r.optional { try $0.string() }
            d.draftTemplate = try r.optional { try $0.string() }
        }
        return d
    }
}

struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func int(_ value: Int64) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func string(_ value: String) {
        let utf8 = value.utf8
        int(Int64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func strings(_ values: [String]) {
        int(Int64(values.count))
        for value in values { string(value) }
    }

    mutating func optional<T>(_ value: T?, _ write: (inout BinaryWriter, T) -> Void) {
        guard let value else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        write(&self, value)
    }

    mutating func int(_ instant: Instant) { int(instant.seconds) }

    mutating func met(_ record: MetRecord) {
        int(record.due)
        int(record.at)
    }
}

struct BinaryReader {
    struct Truncated: Error {}

    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position == bytes.count }

    mutating func byte() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func int() throws -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard let b = byte(), shift < 64 else { throw Truncated() }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    mutating func instant() throws -> Instant { Instant(seconds: try int()) }

    mutating func count() throws -> Int {
        let value = try int()
        guard value >= 0, value <= Int64(bytes.count - position) + 1 else { throw Truncated() }
        return Int(value)
    }

    mutating func string() throws -> String {
        let length = try count()
        guard position + length <= bytes.count else { throw Truncated() }
        defer { position += length }
        return String(decoding: bytes[position..<position + length], as: UTF8.self)
    }

    mutating func strings() throws -> [String] {
        var values: [String] = []
        for _ in 0..<(try count()) { values.append(try string()) }
        return values
    }

    mutating func optional<T>(_ read: (inout BinaryReader) throws -> T) throws -> T? {
        switch byte() {
        case 0?: return nil
        case 1?: return try read(&self)
        default: throw Truncated()  // any other byte: not an optional's tag
        }
    }

    mutating func met() throws -> MetRecord {
        MetRecord(due: try instant(), at: try instant())
    }
}
