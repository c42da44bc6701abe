import Foundation
import OtklikBase
@testable import OtklikCore
import Testing

/// The event log is the truth and is never migrated: payloads as the daemon has written them
/// (before issue 11 and since) must still decode and fold into the same case.
@Suite struct EventLogTests {
    /// A case's payloads as stored: registration, routing and a draft as written before issue 11
    /// (no `by`, no `started_at`), then a reroute and a correction as written since.
    static let stored = [
        #"{"at":1796111400,"author":"Анна Соколова","external_id":"demo-1","importance":"normal","kind":"case.registered","network":"vk","text":"Фонари","topics":["благоустройство"],"url":"https:\/\/vk.com\/wall-100_1"}"#,
        #"{"assignments":[{"executor":"roads","index":1,"topics":["дороги"]}],"at":1796112000,"kind":"case.routed","met":[{"clock":"route","due":1796113200}]}"#,
        #"{"assignment":1,"at":1796112600,"kind":"assignment.taken","login":"roads.smirnov"}"#,
        #"{"assignment":1,"at":1796113000,"executor":"housing","kind":"assignment.rerouted","reason":"фонари — это ЖКХ"}"#,
        #"{"assignment":1,"at":1796113200,"by":["housing.kuznetsova"],"draft_kind":"final","kind":"draft.submitted","met":[{"clock":"draft","due":1796130000}],"text":"Заменим"}"#,
        #"{"at":1796113300,"changes":[{"field":"importance","new":"high","old":"normal"}],"kind":"case.corrected","reason":"по карточке"}"#,
    ]

    @Test func storedPayloadsDecodeAndFoldIntoTheCase() throws {
        let events = try Self.stored.map { try WorkflowEvent(json: Array($0.utf8)) }
        #expect(events.map(\.kind) == [.registered, .routed, .assignmentTaken, .rerouted, .draftSubmitted, .corrected])
        let state = try #require(try Workflow.apply(events, to: nil, id: "2026-000001"))
        #expect(state.version == 6)
        #expect(state.topics == ["дороги"])  // set at routing, kept by the reroute
        #expect(state.importance == .high)
        let assignment = try #require(state.assignment(1))
        #expect(assignment.executor == "housing")
        #expect(assignment.handovers == [Handover(executor: "roads", until: 1_796_113_000)])
        #expect(assignment.responsible == nil)
        #expect(assignment.drafts.first?.submittedBy == ["housing.kuznetsova"])
        #expect(assignment.status == .inReview)
    }

    @Test func everyKindIsSpelledOnceAndOnlyCaseStepsChangeACase() throws {
        #expect(Set(EventKind.allCases.map(\.rawValue)).count == EventKind.allCases.count)
        let registered = try JSONDecoder().decode(WorkflowEvent.self, from: Data(Self.stored[0].utf8))
        let state = CaseState(id: "2026-000001", registered: registered)
        for kind in EventKind.allCases where !kind.isCaseStep {
            #expect(try state.applying(WorkflowEvent(kind: kind, at: 1_796_200_000)) == state, "\(kind)")
        }
    }
}

@Suite struct CSVTests {
    @Test func cellsWithSeparatorsQuotesAndLineBreaksRoundTrip() throws {
        let rows = [
            ["login", "full_name", "note"],
            ["ivanova", "Иванова; А. П.", "сказала \"да\""],
            ["petrov", "Петров\nОлег", ""],
            ["", "", "x"],
        ]
        let text = "\u{FEFF}" + rows.map { CSV.line($0, separator: ";") }.joined(separator: "\r\n") + "\r\n"
        #expect(CSV.parse(text, separator: ";") == rows)
        #expect(CSV.line(["a;b", "c\"d", "e"], separator: ";") == "\"a;b\";\"c\"\"d\";e")
    }

    /// A cell is quoted exactly when it holds a separator (either, whichever the file uses), a quote or
    /// a line break, however those stand among other characters.
    @Test func aCellIsQuotedWhenItHoldsWhatSplitsIt() {
        for cell in ["a,b", "a;b", "a\"b", "a\nb", "a\rb", "a\r\nb", "Яма,\u{301}у школы", ";", "\u{1F600},"] {
            #expect(CSV.line([cell], separator: ";") == "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            #expect(CSV.line([cell], separator: ",").hasPrefix("\""), "\(cell)")
        }
        for cell in ["", "Яма у школы", "2026-12-01 09:00", "'=1", "a\tb", "\u{1F600}"] {
            #expect(CSV.line([cell], separator: ";") == cell)
        }
        #expect(CSV.line(["a|b", "c"], separator: "|") == "\"a|b\"|c")
        #expect(CSV.line(["a¦b", "c"], separator: "¦") == "\"a¦b\"¦c")
        #expect(CSV.line(["a¦b"], separator: ";") == "a¦b")
        // A quote with a combining mark after it is doubled too: the cell cannot end early.
        #expect(CSV.line(["a\"\u{301};b"], separator: ";") == "\"a\"\"\u{301};b\"")
    }

    @Test func whatSpreadsheetsWriteIsRead() throws {
        // Excel quotes a cell with the separator; LibreOffice may quote every cell; lines end in CR LF.
        let excel = "login;full_name;os_user\r\nivanova;\"Иванова; Анна\";ivanova\r\n\r\n"
        #expect(
            CSV.parse(excel, separator: ";") == [
                ["login", "full_name", "os_user"], ["ivanova", "Иванова; Анна", "ivanova"],
            ])
        let quotedAll = "\"a\",\"b\"\n\"1\",\"2\""
        #expect(CSV.parse(quotedAll, separator: ",") == [["a", "b"], ["1", "2"]])
        #expect(CSV.parse("a;\"never closed\n", separator: ";") == nil)
    }
}

/// The state machine (`Transitions`) is consulted by `decide` and by `applying`: a stored event the
/// case cannot take is refused with the case's sentence, never folded in silently.
@Suite struct StateMachineTests {
    @Test func anEventTheCaseCannotTakeIsRefusedNotIgnored() throws {
        var c = CaseHarness(now: "2026-12-01T10:00:00+03:00")
        try c.run(
            .register(
                .init(
                    network: "vk", url: "https://vk.com/wall-1_1", author: "А", text: "Т",
                    detectedAt: c.now - 600, topics: ["дороги"])))
        let new = try #require(c.state)
        // An approval on an assignment the case does not have.
        #expect(throws: WorkflowError(.failedPrecondition, "case 2026-000001 has no assignment 2026-000001/1")) {
            try new.applying(WorkflowEvent(kind: .draftApproved, at: c.now, assignment: 1))
        }
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        let routed = try #require(c.state)
        // Routed twice; a reply published before any draft was approved.
        #expect(throws: WorkflowError(.failedPrecondition, "case 2026-000001 is routed; it cannot be routed now")) {
            try routed.applying(WorkflowEvent(kind: .routed, at: c.now))
        }
        #expect(
            throws: WorkflowError(
                .failedPrecondition, "assignment 2026-000001/1 has no approved draft to publish (it is drafting)")
        ) {
            try routed.applying(WorkflowEvent(kind: .replyPublished, at: c.now, assignment: 1))
        }
        // decide refuses the same step with the same sentence, from the same table.
        #expect(throws: WorkflowError(.failedPrecondition, "case 2026-000001 is routed; it cannot be routed now")) {
            try Workflow.decide(
                routed, .route(executors: ["roads"], topics: [:], importance: nil), now: c.now,
                context: context)
        }
        // A clock notice is not a step on the case: it is taken and changes nothing.
        #expect(try routed.applying(WorkflowEvent(kind: .clockWarning, at: c.now)) == routed)
    }

    @Test func everyCaseStepHasARowAndNothingElseDoes() {
        for kind in EventKind.allCases { #expect((Transitions.row(kind) != nil) == kind.isCaseStep, "\(kind)") }
    }
}

@Suite struct ClockKeyTests {
    /// The keys stored in `clock_notices` read back as the same clock instance, and nothing else does.
    @Test func aClockKeyReadsBackAsStored() {
        for text in ["route", "reply/1", "review/1/2", "final_draft/3", "no_answer/2/1"] {
            #expect(ClockKey(text)?.description == text, "\(text)")
        }
        #expect(ClockKey("review/1/2") == ClockKey(.review, assignment: 1, cycle: 2))
        #expect(ClockKey("no_answer/2/1") == .noAnswer(assignment: 2, pause: 1))
        for bad in ["", "lunch", "reply/x", "reply/1/2/3", "review//2", "route/"] {
            #expect(ClockKey(bad) == nil, "\(bad)")
        }
    }
}

/// The payloads of the kinds that are not case steps, as earlier versions wrote them, still read as
/// their kind's type (`EventKind.payloadType`).
@Suite struct EventPayloadTests {
    @Test func payloadsAsStoredBeforeReadAsTheirKindsType() throws {
        let decoder = JSONDecoder()
        #expect(
            try decoder.decode(CalendarYears.self, from: Data(#"{"years":[2020,2021]}"#.utf8)).years == [2020, 2021])
        #expect(try decoder.decode(DaemonStarted.self, from: Data(#"{"version":"0.1.0"}"#.utf8)).version == "0.1.0")
        #expect(
            try decoder.decode(DemoSeeded.self, from: Data(#"{"cases":7,"profile":"borovichi-34-rg"}"#.utf8))
                == DemoSeeded(profile: "borovichi-34-rg", cases: 7))
        // A warning as the scheduler wrote it with JSONSerialization (issue 9), and a breach (no point).
        let warning = try decoder.decode(
            ClockNotice.self,
            from: Data(
                #"{"assignment":1,"clock":"reply","clock_key":"reply/1","due":1796112000,"due_at":"2026-12-01T11:00:00+03:00","point":"50%","recipients":["roads.ex"],"schedule":"executor"}"#
                    .utf8))
        #expect(
            warning.clock == .reply && warning.clockKey == ClockKey(.reply, assignment: 1)
                && warning.due == Instant(seconds: 1_796_112_000))
        #expect(warning.point == "50%" && warning.recipients == ["roads.ex"])
        let breach = try decoder.decode(
            ClockNotice.self,
            from: Data(
                #"{"clock":"route","clock_key":"route","due":1796112000,"due_at":"2026-12-01T11:00:00+03:00","recipients":[],"schedule":"curator"}"#
                    .utf8))
        #expect(breach.assignment == nil && breach.point == nil && breach.clockKey == ClockKey(.route))
        // A notice keeps the text it was stored with.
        #expect(JSONText.string(warning).contains(#""clock_key":"reply\/1""#))
        #expect(EventKind.clockBreached.payloadType.map(ObjectIdentifier.init) == ObjectIdentifier(ClockNotice.self))
        #expect(EventKind.daemonStopped.payloadType == nil)
    }
}

@Suite struct ProfileTests {
    /// The shipped profile's p.18 window, and a window out of bounds refused with the key's name.
    @Test func theRepeatWindowIsReadAndBounded() throws {
        #expect(profile.repeatWindowDays == 180)
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/OtklikServer/Resources/profile-borovichi-34-rg.json")
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
        object["repeat_window_days"] = 0
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: CalendarError.invalid("repeat_window_days is 1 to 3660")) {
            try RegulationProfile.decode(data)
        }
        object["repeat_window_days"] = 30
        #expect(try RegulationProfile.decode(try JSONSerialization.data(withJSONObject: object)).repeatWindowDays == 30)
    }

    /// The draft's lead counts back from the reply's due: in another schedule than the reply's, a pause
    /// would move the two dues by different working times. Refused when the profile is read.
    @Test func theDraftsLeadCountsInTheRepliesSchedule() throws {
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/OtklikServer/Resources/profile-borovichi-34-rg.json")
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
        var lead = try #require(object["draft_before_reply"] as? [String: Any])
        lead["schedule"] = "curator"
        object["draft_before_reply"] = lead
        #expect(
            throws: CalendarError.invalid(
                "draft_before_reply counts back from the reply's due: its schedule is the reply's (executor)")
        ) {
            try RegulationProfile.decode(try JSONSerialization.data(withJSONObject: object))
        }
    }
}

/// Issue 25, M2: a cell of an exported CSV never runs as a formula, whichever separator the
/// spreadsheet that opens it splits on.
@Suite struct InertCSVCellTests {
    @Test func aFormulaAfterTheOtherSeparatorIsNeutralisedAndTheCellQuoted() {
        let cell = CSV.inert("x,=cmd|' /C calc'!A0")
        #expect(cell == "x,'=cmd|' /C calc'!A0")
        // Quoted in a ; file, so a spreadsheet splitting on , keeps it one cell.
        #expect(CSV.line([cell, "b"], separator: ";") == "\"x,'=cmd|' /C calc'!A0\";b")
        #expect(CSV.inert("a; @SUM(1)") == "a; '@SUM(1)")
        #expect(CSV.inert("a;\t=1") == "a;'\t=1")
    }

    @Test func aLeadingFormulaIsNeutralisedAndNumbersAndDashesStay() {
        #expect(CSV.inert("=1+1") == "'=1+1")
        #expect(CSV.inert("+7 900 000-00-00") == "'+7 900 000-00-00")
        #expect(CSV.inert("-5") == "-5")
        #expect(CSV.inert("-") == "-")
        #expect(CSV.inert("улица Ленина, -5 градусов") == "улица Ленина, '-5 градусов")
        #expect(CSV.inert("температура; -5") == "температура; -5")
        #expect(CSV.inert("Яма на дороге, у школы") == "Яма на дороге, у школы")
        #expect(CSV.inert("  =1") == "  '=1")
        #expect(CSV.inert("@Яма") == "'@Яма")
        #expect(CSV.inert("Яма") == "Яма")
        #expect(CSV.inert("") == "")
    }

    @Test func whatAParserSplittingOnEitherSeparatorReadsHasNoFormulaStart() {
        let hostile = ["x,=cmd", "y;+1+1", "z, @x", "=a;=b,=c", "ok"]
        let line = CSV.line(hostile.map(CSV.inert), separator: ";")
        for separator: Character in [";", ","] {
            // A naive split, as a spreadsheet told the wrong separator does it (quotes kept as text).
            for cell in line.split(separator: separator, omittingEmptySubsequences: false) {
                let text = cell.trimmingCharacters(in: CharacterSet(charactersIn: " \""))
                #expect(text.first.map { !"=+@".contains($0) } ?? true, "\(line) split on \(separator): \(cell)")
            }
        }
    }
}
