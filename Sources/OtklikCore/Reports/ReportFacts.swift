import Foundation
import OtklikBase

/// What clause 22's figures need of one case as it stood at an instant (right after an event of its):
/// the keys it counts under in the dynamics, each clock with the party it counts against, and what its
/// assignments' drafts and replies were. The monthly report tallies the same readings with the same
/// rules (`MonthlyReportBuilder.parties`, `keys(of:_:)`); `Events/Export` with `facts` carries these
/// after each event of a case, so that the roll-up's SQL views (clients/rollup, docs/DEPLOYMENT.md)
/// tally them across regions with nothing but the period's bounds: every instant a figure compares
/// with the period is here, and nothing here changes until the case's next event.
///
/// One reading needs the instant itself: a paused clock's due moves with the pause, but whether it is
/// past due does not (both advance by the same working time), so a paused clock is past due at any later
/// instant exactly when `due <= at`, and by the working time from `due` to `at`. Any other clock past
/// due is late by the working time from `due` to its meeting, its stop or the figures' end, in its
/// `schedule` (the roll-up reads the region's working intervals, `Calendar/ListWorkingIntervals`).
public struct ReportFacts: Sendable, Encodable, Equatable {
    public struct Clock: Sendable, Encodable, Equatable {
        public var clock: String
        public var party: String
        public var started: Int64
        public var due: Int64
        public var met: Int64?
        public var paused: Bool
        /// The schedule its working time counts in: the roll-up's lateness in working minutes.
        public var schedule: String
        /// When it stopped unmet past its due (the case rejected, the assignment closed without an
        /// answer): its lateness runs up to here.
        public var stopped: Int64?
    }

    public struct Draft: Sendable, Encodable, Equatable {
        public var submitted: Int64
        /// The assignment's first submission (p.22's "approved at the first submission").
        public var first: Bool
        public var decided: Int64?
        /// When it was sent back, for a returned draft.
        public var returned: Int64?
        public var reason: String?
        public var flagged: Bool
        public var waived: Int64?
    }

    public struct Reply: Sendable, Encodable, Equatable {
        public var published: Int64
        /// A photo or video among the files of the draft published for it (p.19).
        public var evidence: Bool
        /// Published from a draft the quality check flagged.
        public var findings: Bool
    }

    public struct Assignment: Sendable, Encodable, Equatable {
        /// The unit holding it at the instant (the party its quality figures count against).
        public var party: String
        /// When it was closed without the author's answer (p.10's limit), if it was.
        public var closedWithoutAnswer: Int64?
        public var drafts: [Draft]
        public var replies: [Reply]
        public var intermediate: Int64?
        /// The first final reply's publication, and the final draft clock's due (after an intermediate reply).
        public var final: Int64?
        public var finalDue: Int64?
        /// The reply clock met, and the working minutes from detection to it.
        public var replyMet: Int64?
        public var replyMinutes: Int64?

        enum CodingKeys: String, CodingKey {
            case party, drafts, replies, intermediate, final
            case closedWithoutAnswer = "closed_without_answer"
            case finalDue = "final_due"
            case replyMet = "reply_met"
            case replyMinutes = "reply_minutes"
        }
    }

    public var at: Int64
    public var detected: Int64
    /// When the case left the workflow (`CaseState.closedAt`): the report counts the cases detected
    /// before a period's end and not closed before its start (`Store.casesActive`).
    public var closed: Int64?
    public var withdrawn: Bool
    /// By `MonthlyReportBuilder.countColumns`: the keys the case counts under.
    public var keys: [String: [String]]
    /// Nil when they cannot be computed (the report names such a case in `clocks_not_computed`).
    public var clocks: [Clock]?
    public var assignments: [Assignment]
    public var incident: Int?
    public var repeatOf: String?
    /// Every assignment's unit, in order: whom a later repeat of this message counts against (p.18).
    public var answered: [String]

    enum CodingKeys: String, CodingKey {
        case at, detected, closed, withdrawn, keys, clocks, assignments, incident, answered
        case repeatOf = "repeat_of"
    }

    /// `state`'s facts at `at` (the time of the event that made it).
    public init(_ state: CaseState, at: Instant, context: WorkflowContext, curatorParty: String = "curator-centre") {
        self.at = at.seconds
        detected = state.detectedAt.seconds
        closed = state.closedAt?.seconds
        withdrawn = state.status == .withdrawn
        keys = Dictionary(
            uniqueKeysWithValues: MonthlyReportBuilder.countColumns.map { column in
                (column, MonthlyReportBuilder.keys(of: state, column))
            })
        incident = state.incident
        repeatOf = state.repeatOf
        answered = state.assignments.map(\.executor)
        let read = try? CaseClocks.read(state, now: at, context: context)
        clocks = read.map { read in
            MonthlyReportBuilder.parties(of: state, read, end: at, curatorParty: curatorParty)
                .filter { $0.0.state != .stopped }
                .map { reading, party in
                    Clock(
                        clock: reading.kind.rawValue, party: party, started: reading.startedAt.seconds,
                        due: reading.due.seconds, met: reading.metAt?.seconds, paused: reading.state == .paused,
                        schedule: reading.schedule, stopped: reading.stoppedAt?.seconds)
                }
        }
        let detectedAt = state.detectedAt
        assignments = state.assignments.filter(\.isLive).map { assignment in
            let published = assignment.drafts.filter { $0.status == .published }
            let own = read?.assignments[assignment.index] ?? [:]
            let replyMet = own[.reply]?.metAt
            return Assignment(
                party: assignment.executor(at: at),
                closedWithoutAnswer: assignment.status == .noAnswer ? assignment.closedAt?.seconds : nil,
                drafts: assignment.drafts.enumerated().map { position, draft in
                    Draft(
                        submitted: draft.submittedAt.seconds, first: position == 0, decided: draft.decidedAt?.seconds,
                        returned: draft.returnedAt?.seconds,
                        reason: draft.status == .returned ? draft.returnReason?.rawValue ?? "other" : nil,
                        flagged: draft.findings?.isEmpty == false, waived: draft.evidenceWaiver?.at.seconds)
                },
                // p.19: each reply is the draft published for it (both in order); a clarification is no reply.
                replies: assignment.replies.enumerated().compactMap { position, reply in
                    guard reply.kind != .clarification else { return nil }
                    let draft = position < published.count ? published[position] : nil
                    return Reply(
                        published: reply.publishedAt.seconds, evidence: draft?.hasPhotoOrVideo ?? false,
                        findings: draft?.findings?.isEmpty == false)
                },
                intermediate: assignment.intermediatePublishedAt?.seconds,
                final: assignment.replies.first { $0.kind == .final }?.publishedAt.seconds,
                finalDue: own[.finalDraft]?.due.seconds,
                replyMet: replyMet?.seconds,
                replyMinutes: replyMet.flatMap { met in
                    try? context.calendar(.reply).workingSeconds(from: detectedAt, to: met) / 60
                })
        }
    }

    /// The facts as one JSON object, as `Events/Export` carries them: the `Encodable` form's keys and
    /// values (nil ones left out), written by hand, since the export writes one per event of a case and
    /// JSONEncoder took half the export's time (`ReportFactsTests` holds the two to the same document).
    public var json: String {
        var w = JSONObjectWriter()
        w.open()
        w.array("answered", answered) { w, unit in w.string(unit) }
        w.array("assignments", assignments) { w, a in
            w.open()
            w.optional("closed_without_answer", a.closedWithoutAnswer)
            w.array("drafts", a.drafts) { w, d in
                w.open()
                w.optional("decided", d.decided)
                w.bool("first", d.first)
                w.bool("flagged", d.flagged)
                w.optional("reason", d.reason)
                w.optional("returned", d.returned)
                w.integer("submitted", d.submitted)
                w.optional("waived", d.waived)
                w.close()
            }
            w.optional("final", a.final)
            w.optional("final_due", a.finalDue)
            w.optional("intermediate", a.intermediate)
            w.string("party", a.party)
            w.array("replies", a.replies) { w, r in
                w.open()
                w.bool("evidence", r.evidence)
                w.bool("findings", r.findings)
                w.integer("published", r.published)
                w.close()
            }
            w.optional("reply_met", a.replyMet)
            w.optional("reply_minutes", a.replyMinutes)
            w.close()
        }
        w.integer("at", at)
        if let clocks {
            w.array("clocks", clocks) { w, c in
                w.open()
                w.string("clock", c.clock)
                w.integer("due", c.due)
                w.optional("met", c.met)
                w.string("party", c.party)
                w.bool("paused", c.paused)
                w.string("schedule", c.schedule)
                w.integer("started", c.started)
                w.optional("stopped", c.stopped)
                w.close()
            }
        }
        w.optional("closed", closed)
        w.integer("detected", detected)
        w.optional("incident", incident.map(Int64.init))
        w.key("keys")
        w.open()
        for column in MonthlyReportBuilder.countColumns {
            w.array(spelled: column, keys[column] ?? []) { w, key in w.string(key) }
        }
        w.close()
        w.optional("repeat_of", repeatOf)
        w.bool("withdrawn", withdrawn)
        w.close()
        return w.text
    }
}

/// A JSON document written in one pass, as UTF-8: objects, arrays, strings (escaped as RFC 8259 asks),
/// integers and booleans, each comma placed by the writer.
struct JSONObjectWriter {
    private var bytes: [UInt8] = []
    /// Per open container (and the document itself): nothing written in it yet.
    private var empty = [true]
    /// A key was just written: the value that follows takes no comma.
    private var afterKey = false

    init() { bytes.reserveCapacity(1024) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func comma() {
        if afterKey {
            afterKey = false
        } else if empty[empty.count - 1] {
            empty[empty.count - 1] = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    mutating func open() {
        comma()
        bytes.append(UInt8(ascii: "{"))
        empty.append(true)
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        empty.removeLast()
    }

    /// A key from data (escaped as a string is).
    mutating func key(spelled name: String) {
        comma()
        append(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// A key the writer's caller spells (letters and underscores: nothing to escape), copied as it is.
    mutating func key(_ name: StaticString) {
        comma()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ value: String) {
        comma()
        append(value)
    }

    mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func integer(_ name: StaticString, _ value: Int64) {
        key(name)
        comma()
        // The digits, written backwards into a small buffer (no String made for each number).
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: Int64.min has 20 characters
        var magnitude = value.magnitude
        withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                at -= 1
                buffer[at] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: buffer[at...])
        }
    }

    mutating func bool(_ name: StaticString, _ value: Bool) {
        key(name)
        comma()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func optional(_ name: StaticString, _ value: Int64?) {
        if let value { integer(name, value) }
    }

    mutating func optional(_ name: StaticString, _ value: String?) {
        if let value { string(name, value) }
    }

    mutating func array<Element>(_ name: StaticString, _ elements: [Element], _ write: (inout Self, Element) -> Void) {
        key(name)
        arrayValue(elements, write)
    }

    mutating func array<Element>(spelled name: String, _ elements: [Element], _ write: (inout Self, Element) -> Void) {
        key(spelled: name)
        arrayValue(elements, write)
    }

    private mutating func arrayValue<Element>(_ elements: [Element], _ write: (inout Self, Element) -> Void) {
        comma()
        bytes.append(UInt8(ascii: "["))
        empty.append(true)
        for element in elements { write(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        empty.removeLast()
    }

    /// `string` quoted: `"` and `\` escaped, control characters as \uXXXX; the rest as its UTF-8.
    private mutating func append(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension MonthlyReportBuilder {
    /// The report's dynamics columns: counts by each of them.
    public static let countColumns = ["network", "importance", "topics", "executors", "rejection_reason", "withdrawn"]

    /// The keys a case counts under in the report's dynamics, by column (as the projection columns hold them).
    public static func keys(of state: CaseState, _ column: String) -> [String] {
        let keys: [String]
        switch column {
        case "network": keys = [state.network]
        case "importance": keys = [state.importance.rawValue]
        case "topics": keys = state.routedTopics
        // A case counts once per unit (a reopened case's fresh assignment is the same unit's).
        case "executors": keys = state.assignments.filter(\.isLive).map(\.executor).uniqued()
        case "rejection_reason":
            return state.status == .rejected ? state.rejectionReason.map { [$0.rawValue] } ?? [] : []
        case "withdrawn": return state.status == .withdrawn ? ["withdrawn"] : []
        default: return []  // any other column: no label
        }
        return keys.isEmpty ? ["-"] : keys
    }

    /// Every clock of `state` (`clocks`, read at `end`) with the party it counts against
    /// (`ClockSpec.party`): the curator's centre, or the unit `Tally.holder` names for a live
    /// assignment's own, earlier-draft and per-draft clocks. Stopped clocks are included (the
    /// tally skips them); the order is the clocks' and then the drafts'.
    static func parties(of state: CaseState, _ clocks: CaseClocks, end: Instant, curatorParty: String)
        -> [(ClockReading, String)]
    {
        var result: [(ClockReading, String)] = []
        if let route = clocks.route { result.append((route, curatorParty)) }
        for assignment in state.assignments where assignment.isLive {
            func party(_ reading: ClockReading) -> String {
                switch reading.kind.spec.party {
                case .curator: curatorParty
                case .executor, .stepHolder:
                    Tally.holder(of: reading, assignment, heldFrom: assignment.startedAt ?? state.routedAt, end: end)
                }
            }
            let own = clocks.assignments[assignment.index] ?? [:]
            for kind in ClockKind.of(.assignment) {
                if let reading = own[kind] { result.append((reading, party(reading))) }
            }
            for reading in clocks.earlierDrafts[assignment.index] ?? [] { result.append((reading, party(reading))) }
            for cycle in clocks.drafts[assignment.index] ?? [] {
                for (_, reading) in cycle.sorted(by: { $0.key < $1.key }) { result.append((reading, party(reading))) }
            }
        }
        return result
    }
}
