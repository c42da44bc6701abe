/// A step's JSON as the log holds it, read straight into a `WorkflowEvent` (`JSONReader`): what every
/// fold of a case reads (a case loaded or rebuilt, the report's cases as of a moment, the roll-up's
/// facts). Foundation's JSONDecoder took about 24 µs an event, the most of the roll-up's cost in the region; this
/// takes about 5.
///
/// Each type's members are its `CodingKeys`, the same keys `JSONText` writes them under, switched over
/// exhaustively: a field added to a key list does not compile until it is read here. A key not known is
/// passed over (a newer daemon's); a field its type requires, missing or null, refuses the event, as
/// JSONDecoder did, and so does a member given twice (JSONDecoder kept the first: `WorkflowEventJSONTests`
/// holds the two to the same answers on everything an encoder writes).
extension WorkflowEvent {
    public init(json: [UInt8]) throws(JSONReader.Failure) {
        self = try JSONReader.read(json) { reader throws(JSONReader.Failure) in try WorkflowEvent(reading: &reader) }
    }

    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var kind: Kind?
        var at: Instant?
        var event = WorkflowEvent(kind: .registered, at: 0)
        try reader.members(CodingKeys.self) { reader, key throws(JSONReader.Failure) in
            switch key {
            case .kind: kind = try reader.raw(Kind.self)
            case .at: at = try reader.instant()
            case .assignment: event.assignment = try reader.optional { r throws(JSONReader.Failure) in try r.int() }
            case .met:
                event.met = try reader.optionalArray { r throws(JSONReader.Failure) in try MetClock(reading: &r) }
            case .network: event.network = try reader.optionalString()
            case .url: event.url = try reader.optionalString()
            case .author: event.author = try reader.optionalString()
            case .text: event.text = try reader.optionalString()
            case .postedAt: event.postedAt = try reader.optional { r throws(JSONReader.Failure) in try r.instant() }
            case .externalID: event.externalID = try reader.optionalString()
            case .topics: event.topics = try reader.optionalStrings()
            case .importance: event.importance = try reader.optionalRaw(Importance.self)
            case .assignments:
                event.assignments = try reader.optionalArray { r throws(JSONReader.Failure) in
                    try NewAssignment(reading: &r)
                }
            case .reason: event.reason = try reader.optionalString()
            case .comment: event.comment = try reader.optionalString()
            case .repeatOf: event.repeatOf = try reader.optionalString()
            case .draftKind: event.draftKind = try reader.optionalRaw(DraftKind.self)
            case .measures: event.measures = try reader.optionalString()
            case .account: event.account = try reader.optionalString()
            case .login: event.login = try reader.optionalString()
            case .by: event.by = try reader.optionalStrings()
            case .executor: event.executor = try reader.optionalString()
            case .changes:
                event.changes = try reader.optionalArray { r throws(JSONReader.Failure) in try Change(reading: &r) }
            case .attachments:
                event.attachments = try reader.optionalArray { r throws(JSONReader.Failure) in
                    try DraftAttachment(reading: &r)
                }
            case .failure:
                event.failure = try reader.optional { r throws(JSONReader.Failure) in
                    try PublicationFailure(reading: &r)
                }
            case .filesLeftOut:
                event.filesLeftOut = try reader.optional { r throws(JSONReader.Failure) in try r.bool() }
            case .filesSent: event.filesSent = try reader.optionalStrings()
            case .deletedBy: event.deletedBy = try reader.optionalRaw(MessageDeleter.self)
            case .changeID: event.changeID = try reader.optionalString()
            case .findings:
                event.findings = try reader.optionalArray { r throws(JSONReader.Failure) in
                    try ReplyFinding(reading: &r)
                }
            case .incident: event.incident = try reader.optional { r throws(JSONReader.Failure) in try r.int() }
            case .incidentDraft: event.incidentDraft = try reader.optionalString()
            case .draftTemplate: event.draftTemplate = try reader.optionalString()
            }
        }
        event.kind = try JSONReader.required(kind, "kind", reader)
        event.at = try JSONReader.required(at, "at", reader)
        self = event
    }
}

extension WorkflowEvent.MetClock {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var clock: ClockKind?
        var due: Instant?
        var assignment: Int?
        try reader.members(CodingKeys.self) { reader, key throws(JSONReader.Failure) in
            switch key {
            case .clock: clock = try reader.raw(ClockKind.self)
            case .due: due = try reader.instant()
            case .assignment: assignment = try reader.optional { r throws(JSONReader.Failure) in try r.int() }
            }
        }
        self.init(
            clock: try JSONReader.required(clock, "clock", reader), due: try JSONReader.required(due, "due", reader),
            assignment: assignment)
    }
}

extension WorkflowEvent.Change {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var field: CorrectableField?
        var old: String?
        var new: String?
        try reader.members(CodingKeys.self) { reader, key throws(JSONReader.Failure) in
            switch key {
            case .field: field = try reader.raw(CorrectableField.self)
            case .old: old = try reader.optionalString()
            case .new: new = try reader.optionalString()
            }
        }
        self.init(field: try JSONReader.required(field, "field", reader), old: old, new: new)
    }
}

extension WorkflowEvent.NewAssignment {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var index: Int?
        var executor: String?
        var topics: [String]?
        var startedAt: Instant?
        try reader.members(CodingKeys.self) { reader, key throws(JSONReader.Failure) in
            switch key {
            case .index: index = try reader.int()
            case .executor: executor = try reader.string()
            case .topics: topics = try reader.array { r throws(JSONReader.Failure) in try r.string() }
            case .startedAt: startedAt = try reader.optional { r throws(JSONReader.Failure) in try r.instant() }
            }
        }
        self.init(
            index: try JSONReader.required(index, "index", reader),
            executor: try JSONReader.required(executor, "executor", reader),
            topics: try JSONReader.required(topics, "topics", reader), startedAt: startedAt)
    }
}

extension DraftAttachment {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var sha256: String?
        var name: String?
        var kind: AttachmentKind?
        var size: Int64?
        var capturedAt: Instant?
        try reader.members(CodingKeys.self) { reader, key throws(JSONReader.Failure) in
            switch key {
            case .sha256: sha256 = try reader.string()
            case .name: name = try reader.string()
            case .kind: kind = try reader.raw(AttachmentKind.self)
            case .size: size = try reader.int64()
            case .capturedAt: capturedAt = try reader.optional { r throws(JSONReader.Failure) in try r.instant() }
            }
        }
        self.init(
            sha256: try JSONReader.required(sha256, "sha256", reader),
            name: try JSONReader.required(name, "name", reader),
            kind: try JSONReader.required(kind, "kind", reader), size: try JSONReader.required(size, "size", reader),
            capturedAt: capturedAt)
    }
}

extension PublicationFailure {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var kind: PublicationFailureKind?
        var code: Int?
        var message: String?
        try reader.members(CodingKeys.self) { reader, key throws(JSONReader.Failure) in
            switch key {
            case .kind: kind = try reader.raw(PublicationFailureKind.self)
            case .code: code = try reader.int()
            case .message: message = try reader.string()
            }
        }
        self.init(
            kind: try JSONReader.required(kind, "kind", reader), code: try JSONReader.required(code, "code", reader),
            message: try JSONReader.required(message, "message", reader))
    }
}

extension ReplyFinding {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var rule: QualityRule?
        var words: [String]?
        try reader.members(CodingKeys.self) { reader, key throws(JSONReader.Failure) in
            switch key {
            case .rule: rule = try reader.raw(QualityRule.self)
            case .words: words = try reader.array { r throws(JSONReader.Failure) in try r.string() }
            }
        }
        self.init(
            rule: try JSONReader.required(rule, "rule", reader), words: try JSONReader.required(words, "words", reader))
    }
}

extension JSONReader {
    /// An instant as the log writes it: Unix seconds.
    mutating func instant() throws(Failure) -> Instant { Instant(seconds: try int64()) }

    mutating func optionalString() throws(Failure) -> String? {
        try optional { r throws(Failure) in try r.string() }
    }

    mutating func optionalStrings() throws(Failure) -> [String]? {
        try optional { r throws(Failure) in try r.array { r throws(Failure) in try r.string() } }
    }

    mutating func optionalRaw<T: RawRepresentable>(_ type: T.Type) throws(Failure) -> T? where T.RawValue == String {
        try optional { r throws(Failure) in try r.raw(type) }
    }

    mutating func optionalArray<T>(_ element: (inout JSONReader) throws(Failure) -> T) throws(Failure) -> [T]? {
        try optional { r throws(Failure) in try r.array(element) }
    }

    /// An object read member by member: `member` reads the value of each key of `Key`, any other key is
    /// passed over (a newer daemon's), and a member given twice refuses the object: no encoder writes
    /// that, and JSONDecoder would keep the first where a reader of members in turn keeps the last
    /// (damage read as another event).
    mutating func members<Key: CodingKey & CaseIterable>(
        _ keys: Key.Type, _ member: (inout JSONReader, Key) throws(Failure) -> Void
    ) throws(Failure) {
        var seen = Members<Key>()
        try beginObject()
        while let name = try nextKey() {
            guard let key = Key(stringValue: name) else {
                try skip()
                continue
            }
            guard seen.first(key) else { throw Failure(message: "\"\(name)\" given twice", offset: offset) }
            try member(&self, key)
        }
    }

    /// The members an object has given so far, a bit for each of its keys: no allocation for each object
    /// read (a Set took 2 µs an event). A key's bit is its case's number, which Swift stores as a
    /// no-payload enum's value, in declaration order (`WorkflowEventJSONTests` checks it for every key
    /// list, and that none has more than 64 keys).
    struct Members<Key: CaseIterable> {
        private var bits: UInt64 = 0

        /// Whether `key` is given for the first time; it is given from now on.
        mutating func first(_ key: Key) -> Bool {
            let bit = UInt64(1) << UInt64(Self.number(key) & 63)
            defer { bits |= bit }
            return bits & bit == 0
        }

        static func number(_ key: Key) -> UInt8 { withUnsafeBytes(of: key) { $0.first ?? 0 } }
    }

    /// A field its type requires: refused when the object ended without it (or it was null).
    static func required<T>(_ value: T?, _ key: String, _ reader: JSONReader) throws(Failure) -> T {
        guard let value else { throw Failure(message: "no \"\(key)\" in the object", offset: reader.offset) }
        return value
    }
}
