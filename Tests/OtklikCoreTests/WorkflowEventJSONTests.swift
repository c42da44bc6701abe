import Foundation
import OtklikBase
@testable import OtklikCore
import Testing

/// `WorkflowEvent.init(json:)` reads the log's steps in place of Foundation's JSONDecoder: it must give
/// the same event for every text JSONDecoder reads, and accept nothing JSONDecoder refuses.
@Suite struct WorkflowEventJSONTests {
    /// Texts with the characters JSON escapes, Cyrillic, a character beyond the BMP and a long one.
    static let texts = [
        "", "Фонари на ул. Ленина", "a \"quote\" and a \\ backslash", "line\nbreak\ttab\r\u{8}\u{C}", "/path/",
        "emoji 😀 and ё", "\u{1}\u{1F}", String(repeating: "длинный ", count: 40),
    ]

    /// An event with every field set (and every nested type's), each value drawn from `random`.
    static func full(_ random: inout SeededRandom) -> WorkflowEvent {
        func text() -> String { texts.randomElement(using: &random)! }
        func instant() -> Instant { Instant(seconds: Int64.random(in: -1_000_000...4_000_000_000, using: &random)) }
        var event = WorkflowEvent(
            kind: EventKind.allCases.randomElement(using: &random)!, at: instant(),
            assignment: Int.random(in: 1...20, using: &random),
            met: [
                .init(clock: ClockKind.allCases.randomElement(using: &random)!, due: instant()),
                .init(clock: .review, due: instant(), assignment: Int.random(in: 1...5, using: &random)),
            ])
        event.network = text()
        event.url = text()
        event.author = text()
        event.text = text()
        event.postedAt = instant()
        event.externalID = text()
        event.topics = [text(), text()]
        event.importance = Importance.allCases.randomElement(using: &random)!
        event.assignments = [
            .init(index: 1, executor: text(), topics: [text()]),
            .init(index: 2, executor: text(), topics: [], startedAt: instant()),
        ]
        event.reason = text()
        event.comment = text()
        event.repeatOf = text()
        event.draftKind = DraftKind.allCases.randomElement(using: &random)!
        event.measures = text()
        event.account = text()
        event.login = text()
        event.by = [text()]
        event.executor = text()
        event.changes = [
            .init(field: CorrectableField.allCases.randomElement(using: &random)!, old: text(), new: nil),
            .init(field: .importance, old: nil, new: text()),
        ]
        event.attachments = [
            .init(
                sha256: String(repeating: "ab", count: 32), name: text(),
                kind: AttachmentKind.allCases.randomElement(using: &random)!,
                size: Int64.random(in: 0...Int64.max, using: &random), capturedAt: instant()),
            .init(sha256: String(repeating: "cd", count: 32), name: text(), kind: .document, size: 0),
        ]
        event.failure = PublicationFailure(
            kind: PublicationFailureKind.allCases.randomElement(using: &random)!,
            code: Int.random(in: -1000...1000, using: &random), message: text())
        event.filesLeftOut = Bool.random(using: &random)
        event.filesSent = [text()]
        event.deletedBy = MessageDeleter.allCases.randomElement(using: &random)!
        event.changeID = text()
        event.findings = [.init(rule: QualityRule.allCases.randomElement(using: &random)!, words: [text(), text()])]
        event.incident = Int.random(in: 1...1000, using: &random)
        event.incidentDraft = text()
        event.draftTemplate = text()
        return event
    }

    /// `full` with each optional field kept or left out at random.
    static func sparse(_ random: inout SeededRandom) -> WorkflowEvent {
        var event = full(&random)
        var bare = WorkflowEvent(kind: event.kind, at: event.at)
        for path in optionals where Bool.random(using: &random) { path.copy(&event, &bare) }
        event = bare
        return event
    }

    /// Every optional field, to copy from one event to another.
    struct Field {
        let copy: (inout WorkflowEvent, inout WorkflowEvent) -> Void
        init<T>(_ path: WritableKeyPath<WorkflowEvent, T>) { copy = { $1[keyPath: path] = $0[keyPath: path] } }
    }

    static var optionals: [Field] {
        [
            Field(\.assignment), Field(\.met), Field(\.network), Field(\.url), Field(\.author), Field(\.text),
            Field(\.postedAt), Field(\.externalID), Field(\.topics), Field(\.importance), Field(\.assignments),
            Field(\.reason), Field(\.comment), Field(\.repeatOf), Field(\.draftKind), Field(\.measures),
            Field(\.account),
            Field(\.login), Field(\.by), Field(\.executor), Field(\.changes), Field(\.attachments), Field(\.failure),
            Field(\.filesLeftOut), Field(\.filesSent), Field(\.deletedBy), Field(\.changeID), Field(\.findings),
            Field(\.incident), Field(\.incidentDraft), Field(\.draftTemplate),
        ]
    }

    static func foundation(_ bytes: [UInt8]) -> WorkflowEvent? {
        try? JSONDecoder().decode(WorkflowEvent.self, from: Data(bytes))
    }

    @Test func theFullEventSetsEveryFieldSoANewFieldIsRead() {
        var random = SeededRandom(seed: 1)
        let event = Self.full(&random)
        // A field added to WorkflowEvent and left out of `full` is named here.
        let unset = Mirror(reflecting: event).children.filter { child in
            Mirror(reflecting: child.value).displayStyle == .optional
                && Mirror(reflecting: child.value).children.isEmpty
        }.map { $0.label ?? "?" }
        #expect(unset == [])
        #expect(Self.optionals.count == Mirror(reflecting: event).children.count - 2)  // all but kind and at
    }

    /// A member given twice is found by its key's case number: each key list's cases are numbered
    /// 0, 1, 2... in order, and fit the 64 bits.
    @Test func everyKeyHasABitOfItsOwn() {
        func numbered<Key: CaseIterable>(_: Key.Type) -> Bool {
            let numbers = Key.allCases.map { Int(JSONReader.Members<Key>.number($0)) }
            return numbers == Array(0..<Key.allCases.count) && numbers.count <= 64
        }
        #expect(numbered(WorkflowEvent.CodingKeys.self))
        #expect(numbered(WorkflowEvent.MetClock.CodingKeys.self))
        #expect(numbered(WorkflowEvent.Change.CodingKeys.self))
        #expect(numbered(WorkflowEvent.NewAssignment.CodingKeys.self))
        #expect(numbered(DraftAttachment.CodingKeys.self))
        #expect(numbered(PublicationFailure.CodingKeys.self))
        #expect(numbered(ReplyFinding.CodingKeys.self))
    }

    @Test func everyEventTheDaemonWritesReadsAsJSONDecoderReadsIt() throws {
        var random = SeededRandom(seed: 2)
        for round in 0..<3000 {
            let event = round % 3 == 0 ? Self.full(&random) : Self.sparse(&random)
            let bytes = Array(JSONText.encode(event))
            let read = try WorkflowEvent(json: bytes)
            #expect(read == event, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(Self.foundation(bytes) == read)
        }
    }

    @Test func storedSpellingsAndNullsReadAsJSONDecoderReadsThem() throws {
        let texts =
            EventLogTests.stored + [
                // Spaces, keys in any order, nulls for absent optionals, a key a newer daemon writes.
                #" { "kind" : "draft.approved" , "at" : 5 , "assignment" : null , "met" : [ ] , "future" : {"a":[1,2.5e3,-0.1,true,null,"x"]} } "#,
                #"{"at":0,"kind":"case.registered","text":"\u0444\u043e\ud83d\ude00\"\\\/\b\f\n\r\t","topics":null}"#,
                #"{"kind":"case.routed","at":-9223372036854775808,"assignments":[{"topics":[],"index":0,"executor":"","started_at":null}]}"#,
                #"{"kind":"case.corrected","at":9223372036854775807,"changes":[{"field":"author","old":null}],"incident":7}"#,
            ]
        for text in texts {
            let read = try WorkflowEvent(json: Array(text.utf8))
            #expect(read == Self.foundation(Array(text.utf8)), "\(text)")
        }
    }

    @Test(arguments: [
        "", "{", "[]", "null", #"{"at":1}"#, #"{"kind":"case.registered"}"#, #"{"kind":null,"at":1}"#,
        #"{"kind":"case.unknown","at":1}"#, #"{"kind":"case.registered","at":1.5}"#,
        #"{"kind":"case.registered","at":01}"#, #"{"kind":"case.registered","at":9223372036854775808}"#,
        #"{"kind":"case.registered","at":"1"}"#,
        #"{"kind":"case.registered","at":1} x"#, #"{"kind":"case.registered","at":1,"text":"\ud83d"}"#,
        #"{"kind":"case.registered","at":1,"text":"\x"}"#,
        "{\"kind\":\"case.registered\",\"at\":1,\"text\":\"a\u{1}\"}",
        #"{"kind":"case.registered","at":1,"met":[{"clock":"route"}]}"#,
        #"{"kind":"case.registered","at":1,"importance":"urgent"}"#,
        #"{"kind":"case.registered","at":1,"files_left_out":1}"#,
        #"{"kind":"case.registered","at":1,"future":nul}"#,
    ])
    func whatJSONDecoderRefusesIsRefused(text: String) {
        #expect(Self.foundation(Array(text.utf8)) == nil, "JSONDecoder reads \(text)")
        #expect(throws: JSONReader.Failure.self) { try WorkflowEvent(json: Array(text.utf8)) }
    }

    /// JSONDecoder reads these, which no JSON encoder writes (an exponent for a whole number, trailing
    /// commas, a malformed number in a member it does not read, a member given twice, of which it keeps
    /// the first): refused here, as damage.
    @Test(arguments: [
        #"{"kind":"case.registered","at":1e3}"#, #"{"kind":"case.registered","at":1,}"#,
        #"{"kind":"case.registered","at":1,"future":[1,]}"#, #"{"kind":"case.registered","at":1,"future":-}"#,
        #"{"kind":"case.registered","at":1,"future":1.}"#,
        #"{"at":1,"kind":"case.registered","kind":"case.withdrawn"}"#,
        #"{"at":1,"author":"Анна","kind":"case.registered","author":"Пётр"}"#,
        #"{"at":1,"kind":"case.routed","met":[{"clock":"route","due":5,"due":6}]}"#,
        #"{"at":1,"kind":"case.routed","assignments":[{"executor":"roads","index":1,"index":2,"topics":[]}]}"#,
    ])
    func whatOnlyALenientReaderTakesIsRefused(text: String) {
        #expect(Self.foundation(Array(text.utf8)) != nil, "JSONDecoder no longer reads \(text)")
        #expect(throws: JSONReader.Failure.self) { try WorkflowEvent(json: Array(text.utf8)) }
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        var bytes = Array(#"{"kind":"case.registered","at":1,"text":"ab"}"#.utf8)
        bytes.insert(0xFF, at: bytes.count - 3)
        #expect(throws: JSONReader.Failure.self) { try WorkflowEvent(json: bytes) }
        #expect(Self.foundation(bytes) == nil)
    }

    @Test func aValueNestedBeyondTheLimitIsRefusedNotRecursedInto() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let text = #"{"kind":"case.registered","at":1,"future":"# + deep + "}"
        #expect(throws: JSONReader.Failure.self) { try WorkflowEvent(json: Array(text.utf8)) }
        let fits = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(
            (try? WorkflowEvent(
                json: Array(#"{"kind":"case.registered","at":1,"future":"#.utf8) + Array(fits.utf8) + [
                    UInt8(ascii: "}")
                ])) != nil)
    }

    /// Damaged log text (bytes flipped, dropped, doubled): never a crash, and never an event where
    /// JSONDecoder reads none or another one.
    @Test func damagedTextIsNeverReadAsSomethingElse() {
        var random = SeededRandom(seed: 3)
        let significant = Array(#"{}[]":,\ 0123456789-.eEtrufalsn"#.utf8) + [0x00, 0x1F, 0x80, 0xD0, 0xFF]
        var read = 0
        for _ in 0..<4000 {
            var bytes = Array(JSONText.encode(Self.sparse(&random)))
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] = significant.randomElement(using: &random)!
                case 1: bytes.remove(at: at)
                default: bytes.insert(bytes[at], at: at)
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            guard let event = try? WorkflowEvent(json: bytes) else { continue }
            read += 1
            #expect(Self.foundation(bytes) == event, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(read > 100)  // the mutations leave some texts readable, so the comparison ran
    }
}

/// `EventDetails.kept`: what `Events/Export` with `keep` sends of an event's details.
@Suite struct KeptDetailsTests {
    static let keep: Set<String> = [
        "at", "kind", "assignment", "assignments", "executor", "index", "met", "clock", "due",
    ]

    func kept(_ text: String) -> (details: String, assignment: Int?) {
        EventDetails.kept(Array(text.utf8), Self.keep)
    }

    @Test func membersNotKeptAreLeftOutAtAnyDepthWithAllTheyHold() {
        let routed =
            #"{"assignments":[{"executor":"roads","index":1,"topics":["дороги"]}],"at":5,"author":{"name":"Пётр","links":[1,{"url":"x"}]},"kind":"case.routed","met":[{"clock":"route","due":6}]}"#
        let (details, assignment) = kept(routed)
        #expect(
            details
                == #"{"assignments":[{"executor":"roads","index":1}],"at":5,"kind":"case.routed","met":[{"clock":"route","due":6}]}"#
        )
        #expect(assignment == nil)
    }

    @Test func detailsWithNothingToLeaveOutGoAsWrittenWithTheirAssignment() {
        let approved = #"{"assignment":2, "at":1782726000,"kind":"draft.approved","met":[{"clock":"review","due":1}]}"#
        #expect(kept(approved) == (approved, 2))
    }

    @Test func keysAreMatchedAsReadAndWrittenAsTheyStood() {
        // An escaped key is the key it spells; spaces around members go.
        let (details, assignment) = kept(#"{ "\u0061t" : 1 , "te\u0078t" : "Яма" , "assignment" : 3 }"#)
        #expect(details == #"{"\u0061t":1,"assignment":3}"#)
        #expect(assignment == 3)
    }

    @Test(arguments: [
        #"{"at":1,"text":"Пётр"#, #"{"at":1,"text":"a"} trailing"#, #"not json, Пётр"#, "", #""Пётр Сидоров""#,
        #"["Пётр", {"at":1}]"#,
    ])
    func detailsThatCannotBeReadOrAreNoObjectGoAsAnEmptyObject(text: String) {
        #expect(kept(text) == ("{}", nil))
    }

    @Test(arguments: [
        #"{"assignment":0}"#, #"{"assignment":-1}"#, #"{"assignment":"1"}"#, #"{"assignment":null}"#, "[1]",
    ])
    func onlyAPositiveWholeAssignmentNamesOne(text: String) {
        #expect(kept(text).assignment == nil)
    }

    @Test func nestingBeyondTheLimitIsRefusedNotRecursedInto() {
        let deep = #"{"at":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(kept(deep) == ("{}", nil))
    }
}
