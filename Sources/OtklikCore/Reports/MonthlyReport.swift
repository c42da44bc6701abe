public import Foundation
import OtklikBase

/// Clause 22's monthly summary for the head of the district: timeliness, quality and dynamics of the
/// work with messages over a period, as of the period's end (events after it do not change it).
public struct MonthlyReport: Sendable, Codable, Equatable {
    public static let schema = "otklik.report.monthly/1"

    /// A share shown with its counts ("3 of 4"), never a bare percentage.
    public struct Share: Sendable, Codable, Equatable {
        public var count: Int
        public var of: Int

        public init(count: Int, of: Int) {
            self.count = count
            self.of = of
        }

        /// The share in whole percent as people are told it, rounded half up (2 of 3: 67 %); nil for
        /// none of none. Places are given by it, so two units shown with the same percent share a place.
        public var percent: Int? { of > 0 ? (count * 200 + of) / (of * 2) : nil }
    }

    public struct ClockLine: Sendable, Codable, Equatable {
        public var clock: String
        /// `curator-centre` for the curator's clocks, the executor unit otherwise.
        public var party: String
        /// Clocks that started in the period.
        public var ran: Int
        public var onTime: Int
        public var late: Int
        /// Still open at the period's end and already past due: counted as late.
        public var openOverdue: Int
        /// Still open at the period's end, not yet due.
        public var open: Int
        public var shareOnTime: Share
        public var medianLateMinutes: Int64?
        public var worstLateMinutes: Int64?

        enum CodingKeys: String, CodingKey {
            case clock, party, ran, late, open
            case onTime = "on_time"
            case openOverdue = "open_overdue"
            case shareOnTime = "share_on_time"
            case medianLateMinutes = "median_late_minutes"
            case worstLateMinutes = "worst_late_minutes"
        }
    }

    public struct UnitLine: Sendable, Codable, Equatable {
        public var unit: String
        public var onTime: Share
        /// 1 = best share on time; nil for units with fewer than five clocks (too few to rank honestly).
        public var rank: Int?

        public init(unit: String, onTime: Share, rank: Int?) {
            self.unit = unit
            self.onTime = onTime
            self.rank = rank
        }

        enum CodingKeys: String, CodingKey {
            case unit, rank
            case onTime = "on_time"
        }
    }

    public struct Timeliness: Sendable, Codable, Equatable {
        public var clocks: [ClockLine]
        public var units: [UnitLine]
        public var firstReplies: Int
        public var averageMinutesToFirstReply: Int64?

        enum CodingKeys: String, CodingKey {
            case clocks, units
            case firstReplies = "first_replies"
            case averageMinutesToFirstReply = "average_minutes_to_first_reply"
        }
    }

    /// A count this period, the month before and the same month a year before.
    public struct Compared: Sendable, Codable, Equatable {
        public var key: String
        public var this: Int
        public var previousMonth: Int
        public var yearBefore: Int

        public init(key: String, this: Int, previousMonth: Int, yearBefore: Int) {
            self.key = key
            self.this = this
            self.previousMonth = previousMonth
            self.yearBefore = yearBefore
        }

        enum CodingKeys: String, CodingKey {
            case key, this
            case previousMonth = "previous_month"
            case yearBefore = "year_before"
        }
    }

    public struct MonthCount: Sendable, Codable, Equatable {
        public var month: String
        public var messages: Int
    }

    public struct Dynamics: Sendable, Codable, Equatable {
        public var messages: Compared
        public var byTopic: [Compared]
        public var byNetwork: [Compared]
        public var byImportance: [Compared]
        public var byExecutor: [Compared]
        public var rejectedByReason: [Compared]
        /// Messages registered by mistake and withdrawn: not counted among the messages above.
        public var withdrawn: Compared
        public var series: [MonthCount]

        enum CodingKeys: String, CodingKey {
            case messages, series, withdrawn
            case byTopic = "by_topic"
            case byNetwork = "by_network"
            case byImportance = "by_importance"
            case byExecutor = "by_executor"
            case rejectedByReason = "rejected_by_reason"
        }
    }

    public var schema = MonthlyReport.schema
    /// `2026-11`, or `FROM..TO` for another range.
    public var period: String
    public var from: String
    public var to: String
    public var unit: String?
    public var timeliness: Timeliness
    public var quality: Quality
    public var dynamics: Dynamics
    /// Cases whose clocks could not be computed (a due time past the calendar's years): left out of
    /// the timeliness figures and named here, so the report is never refused for one case. Absent
    /// when there are none.
    public var clocksNotComputed: [String]? = nil
    /// The instant the figures are as of: the period's end, or when the report was made for a
    /// period not over yet (in the schedule's offset).
    public var asOf: String? = nil

    enum CodingKeys: String, CodingKey {
        case schema, period, from, to, unit, timeliness, quality, dynamics
        case clocksNotComputed = "clocks_not_computed"
        case asOf = "as_of"
    }

    public func json() -> Data { JSONText.encode(self) }
}

/// Builds the report from the cases active in the period, as they stood at its end.
public enum MonthlyReportBuilder {
    public struct Counts: Sendable {
        public var this: [String: [String: Int]]
        public var previousMonth: [String: [String: Int]]
        public var yearBefore: [String: [String: Int]]
        public var series: [(String, Int)]

        public init(
            this: [String: [String: Int]], previousMonth: [String: [String: Int]], yearBefore: [String: [String: Int]],
            series: [(String, Int)]
        ) {
            self.this = this
            self.previousMonth = previousMonth
            self.yearBefore = yearBefore
            self.series = series
        }
    }

    /// Each case's clocks as of `end` (what happened later does not count); nil where they cannot be
    /// computed. Pure and single-threaded: for `build(period:from:to:now:unit:cases:clocks:...)`; the
    /// daemon reads each case's clocks in its `Part.tally`, on every core.
    public static func clocks(of cases: ArraySlice<CaseState>, asOf end: Instant, context: WorkflowContext)
        -> [CaseClocks?]
    {
        cases.map { try? CaseClocks.read($0, now: end, context: context) }
    }

    /// The report over `cases` (the period's active cases as they stood at its end) and their
    /// `clocks` (`clocks(of:asOf:context:)`, in the same order), with `counts` from the store: the cases
    /// tallied as one `Part`, then `build(period:part:counts:)`.
    public static func build(
        period: String, from: Instant, to: Instant, now: Instant, unit: String?, cases: [CaseState],
        clocks: [CaseClocks?],
        earlier: (String) -> CaseState?, counts: Counts,
        context: WorkflowContext, curatorParty: String = "curator-centre"
    ) throws(WorkflowError) -> MonthlyReport {
        var part = Part(from: from, to: to, now: now, unit: unit, context: context, curatorParty: curatorParty)
        for (state, clocks) in zip(cases, clocks) { try part.tally(state, clocks, earlier: earlier) }
        return build(period: period, part: part, counts: counts)
    }

    /// The report from the figures of all the period's active cases (`Part`, the parts added up) and
    /// `counts` from the store: timeliness (`Tally.timeliness`, then `clockLines` and `rankedUnits`),
    /// quality (`Tally.quality`, `Tally.repeats`, `Tally.incident`) and dynamics (`dynamics`).
    public static func build(period: String, part: Part, counts: Counts) -> MonthlyReport {
        var tally = part.tally
        tally.qualityFigures.incidents = tally.incidentIDs.count
        let lines = tally.clockLines()
        let calendar = tally.context.calendar(.reply)
        let average =
            tally.firstReplyMinutes.isEmpty
            ? nil : tally.firstReplyMinutes.reduce(0, +) / Int64(tally.firstReplyMinutes.count)
        return MonthlyReport(
            period: period, from: calendar.text(tally.from), to: calendar.text(tally.to),
            unit: tally.unit,
            timeliness: .init(
                clocks: lines, units: rankedUnits(lines), firstReplies: tally.firstReplyMinutes.count,
                averageMinutesToFirstReply: average),
            quality: tally.qualityFigures,
            dynamics: dynamics(counts),
            clocksNotComputed: part.notComputed.isEmpty ? nil : part.notComputed.sorted())
    }

    /// The figures gathered case by case.
    struct Tally {
        let from: Instant, to: Instant, end: Instant
        let unit: String?
        let curatorParty: String
        let context: WorkflowContext
        /// A clock line's identity: the clock and the party it ran for.
        struct LineKey: Hashable {
            var clock: ClockKind
            var party: String
        }

        /// Clock lines, and the working minutes late of each late or overdue clock, by clock and party.
        var lines: [LineKey: MonthlyReport.ClockLine] = [:]
        var lateness: [LineKey: [Int64]] = [:]
        var firstReplyMinutes: [Int64] = []
        /// Issue 31: the incidents of the messages counted.
        var incidentIDs: Set<Int> = []
        var qualityFigures = MonthlyReport.Quality(
            draftsSubmitted: 0, approvedAtFirstSubmission: .init(count: 0, of: 0), returnsByReason: [:],
            repliesWithAttachments: .init(count: 0, of: 0),
            repeats: 0, repeatsByUnit: [:], intermediateToFinalInTime: .init(count: 0, of: 0))

        init(from: Instant, to: Instant, end: Instant, unit: String?, curatorParty: String, context: WorkflowContext) {
            self.from = from
            self.to = to
            self.end = end
            self.unit = unit
            self.curatorParty = curatorParty
            self.context = context
        }

        /// Whether `instant` lies in the period and by the instant the report is as of.
        func inPeriod(_ instant: Instant) -> Bool { instant >= from && instant < to && instant <= end }

        /// Timeliness: every clock of the case that started in the period, against the party it ran for.
        mutating func timeliness(_ state: CaseState, _ clocks: CaseClocks) throws(WorkflowError) {
            for (reading, party) in MonthlyReportBuilder.parties(
                of: state, clocks, end: end, curatorParty: curatorParty)
            {
                try tally(reading, party: party)
            }
        }

        /// The unit an assignment's clock counts against (docs/REPORTS.md): a clock still open at `end`
        /// against the unit holding the assignment then (the one whose queue shows it, overdue or not);
        /// a met clock against the unit that held the assignment when its term ran out (or was met),
        /// since a reroute hands over the message's term, not a fresh one; a term that ran out before
        /// the assignment was made (the message was routed after it) against the unit that met it.
        static func holder(of reading: ClockReading, _ assignment: AssignmentState, heldFrom: Instant?, end: Instant)
            -> String
        {
            guard let met = reading.metAt, met <= end else { return assignment.executor(at: end) }
            let ranOut = min(reading.due, met)
            if let heldFrom, ranOut < heldFrom { return assignment.executor(at: met) }
            return assignment.executor(at: ranOut)
        }

        /// One clock: on time, late, overdue and still open, or open; a stopped clock (rejection,
        /// cancellation) ran no term to meet or miss.
        private mutating func tally(_ reading: ClockReading, party: String) throws(WorkflowError) {
            guard inPeriod(reading.startedAt), reading.state != .stopped else { return }
            if let unit, party != unit, party != curatorParty { return }
            let key = LineKey(clock: reading.kind, party: party)
            var line =
                lines[key]
                ?? MonthlyReport.ClockLine(
                    clock: reading.kind.rawValue, party: party, ran: 0, onTime: 0, late: 0, openOverdue: 0, open: 0,
                    shareOnTime: .init(count: 0, of: 0), medianLateMinutes: nil, worstLateMinutes: nil)
            line.ran += 1
            // A step at the very instant the report is as of counts as taken.
            if let met = reading.metAt, met <= end {
                if met <= reading.due {
                    line.onTime += 1
                } else {
                    line.late += 1
                    lateness[key, default: []].append(reading.lateMinutes)
                }
            } else if reading.due <= end {
                line.openOverdue += 1
                let calendar = context.calendar(reading.kind)
                let until = min(end, reading.stoppedAt ?? end)
                let late =
                    try CaseClocks.wrap { () throws(CalendarError) in
                        try calendar.workingSeconds(from: reading.due, to: until)
                    } / 60
                lateness[key, default: []].append(late)
            } else {
                line.open += 1
            }
            lines[key] = line
        }

        /// Quality: drafts and how the curator decided them, returns by reason, replies, intermediate
        /// replies followed by the final in time, assignments closed without the author's answer, and
        /// the working time to the first reply.
        mutating func quality(_ state: CaseState, _ clocks: CaseClocks) throws(WorkflowError) {
            for assignment in state.assignments where assignment.isLive {
                let party = assignment.executor(at: end)
                if assignment.status == .noAnswer, let closed = assignment.closedAt, inPeriod(closed),
                    unit == nil || unit == party
                {
                    qualityFigures.closedWithoutAnswer += 1
                }
                guard unit == nil || unit == party else { continue }
                for (position, draft) in assignment.drafts.enumerated() where inPeriod(draft.submittedAt) {
                    qualityFigures.draftsSubmitted += 1
                    if draft.findings?.isEmpty == false { qualityFigures.draftsFlagged += 1 }
                    if position == 0, let decided = draft.decidedAt, decided <= end {
                        qualityFigures.approvedAtFirstSubmission.of += 1
                        if draft.status != .returned { qualityFigures.approvedAtFirstSubmission.count += 1 }
                    }
                }
                for draft in assignment.drafts where draft.status == .returned {
                    if let decided = draft.sentBackAt ?? draft.decidedAt, inPeriod(decided) {
                        qualityFigures.returnsByReason[draft.returnReason?.rawValue ?? "other", default: 0] += 1
                    }
                }
                // p.19: each reply is the draft published for it (both in order).
                let published = assignment.drafts.filter { $0.status == .published }
                for (position, reply) in assignment.replies.enumerated()
                where inPeriod(reply.publishedAt) && reply.kind != .clarification {
                    let evidence = position < published.count && published[position].hasPhotoOrVideo
                    if position < published.count, published[position].findings?.isEmpty == false {
                        qualityFigures.publishedWithFindings += 1
                    }
                    qualityFigures.repliesWithAttachments.of += 1
                    qualityFigures.repliesWithAttachmentsByUnit[party, default: .init(count: 0, of: 0)].of += 1
                    if evidence {
                        qualityFigures.repliesWithAttachments.count += 1
                        qualityFigures.repliesWithAttachmentsByUnit[party, default: .init(count: 0, of: 0)].count += 1
                    }
                }
                for draft in assignment.drafts {
                    if let waiver = draft.evidenceWaiver, inPeriod(waiver.at) { qualityFigures.evidenceWaived += 1 }
                }
                if let published = assignment.intermediatePublishedAt, inPeriod(published),
                    let finalClock = clocks.assignments[assignment.index]?[.finalDraft]
                {
                    qualityFigures.intermediateToFinalInTime.of += 1
                    let final = assignment.replies.first { $0.kind == .final }?.publishedAt
                    if let final, final <= end, final <= finalClock.due {
                        qualityFigures.intermediateToFinalInTime.count += 1
                    }
                }
                if let reply = clocks.assignments[assignment.index]?[.reply], let met = reply.metAt, inPeriod(met) {
                    let calendar = context.calendar(.reply)
                    firstReplyMinutes.append(
                        try CaseClocks.wrap { () throws(CalendarError) in
                            try calendar.workingSeconds(from: state.detectedAt, to: met)
                        } / 60)
                }
            }
        }

        /// p.18: a repeat detected in the period is a quality signal against the unit(s) that
        /// answered the first message.
        /// Issue 31: a message received in the period that is in an incident (with a unit: one the unit
        /// held an assignment of).
        mutating func incident(_ state: CaseState) {
            guard let incident = state.incident, inPeriod(state.detectedAt),
                unit == nil || state.assignments.contains(where: { $0.isLive && $0.executor(at: end) == unit })
            else { return }
            incidentIDs.insert(incident)
            qualityFigures.incidentCases += 1
        }

        mutating func repeats(_ state: CaseState, earlier: (String) -> CaseState?) {
            guard let first = state.repeatOf, inPeriod(state.detectedAt) else { return }
            let answered = earlier(first)?.assignments.map(\.executor) ?? []
            if let unit, !answered.contains(unit) { return }
            qualityFigures.repeats += 1
            for executor in answered.isEmpty ? ["-"] : answered {
                qualityFigures.repeatsByUnit[executor, default: 0] += 1
            }
        }

        /// The clock lines with their shares, median and worst lateness, in clock order then party.
        func clockLines() -> [MonthlyReport.ClockLine] {
            // `ClockKind` is Comparable in its declaration (display) order.
            lines.sorted { ($0.key.clock, $0.key.party) < ($1.key.clock, $1.key.party) }.map { key, line in
                var line = line
                let late = (lateness[key] ?? []).sorted()
                line.shareOnTime = .init(count: line.onTime, of: line.onTime + line.late + line.openOverdue)
                line.medianLateMinutes =
                    late.isEmpty
                    ? nil
                    : late.count % 2 == 1 ? late[late.count / 2] : (late[late.count / 2 - 1] + late[late.count / 2]) / 2
                line.worstLateMinutes = late.last
                return line
            }
        }
    }

    /// Units ranked by share on time as the report shows it (whole percent, rounded), equal shares
    /// sharing a place (1, 2, 2, 4); fewer than five clocks are too few to rank.
    public static func rankedUnits(_ clockLines: [MonthlyReport.ClockLine]) -> [MonthlyReport.UnitLine] {
        var byParty: [String: MonthlyReport.Share] = [:]
        for line in clockLines {
            byParty[line.party, default: .init(count: 0, of: 0)].count += line.shareOnTime.count
            byParty[line.party, default: .init(count: 0, of: 0)].of += line.shareOnTime.of
        }
        var units = byParty.map { MonthlyReport.UnitLine(unit: $0.key, onTime: $0.value, rank: nil) }.sorted {
            $0.unit < $1.unit
        }
        let rankable = units.indices.filter { units[$0].onTime.of >= 5 }
        for index in rankable {
            let percent = units[index].onTime.percent ?? 0
            // One more than the units with a strictly better share as shown.
            units[index].rank = 1 + rankable.filter { (units[$0].onTime.percent ?? 0) > percent }.count
        }
        return units
    }

    /// Dynamics: this period against the previous one and the same period a year before, by column.
    static func dynamics(_ counts: Counts) -> MonthlyReport.Dynamics {
        func compared(_ column: String) -> [MonthlyReport.Compared] {
            let keys = Set(counts.this[column, default: [:]].keys).union(
                counts.previousMonth[column, default: [:]].keys
            )
            .union(counts.yearBefore[column, default: [:]].keys)
            return keys.sorted().map {
                .init(
                    key: $0, this: counts.this[column]?[$0] ?? 0, previousMonth: counts.previousMonth[column]?[$0] ?? 0,
                    yearBefore: counts.yearBefore[column]?[$0] ?? 0)
            }
        }
        func total(_ map: [String: [String: Int]]) -> Int { map["network", default: [:]].values.reduce(0, +) }
        return .init(
            messages: .init(
                key: "messages", this: total(counts.this), previousMonth: total(counts.previousMonth),
                yearBefore: total(counts.yearBefore)),
            byTopic: compared("topics"), byNetwork: compared("network"), byImportance: compared("importance"),
            byExecutor: compared("executors"),
            rejectedByReason: compared("rejection_reason"),
            withdrawn: .init(
                key: "withdrawn", this: counts.this["withdrawn"]?["withdrawn"] ?? 0,
                previousMonth: counts.previousMonth["withdrawn"]?["withdrawn"] ?? 0,
                yearBefore: counts.yearBefore["withdrawn"]?["withdrawn"] ?? 0),
            series: counts.series.map { .init(month: $0.0, messages: $0.1) })
    }
}
