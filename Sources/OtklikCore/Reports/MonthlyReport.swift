import Foundation
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

    public struct Quality: Sendable, Codable, Equatable {
        public var draftsSubmitted: Int
        public var approvedAtFirstSubmission: Share
        public var returnsByReason: [String: Int]
        /// p.19: replies published with photo or video evidence attached.
        public var repliesWithAttachments: Share
        public var repeats: Int
        /// Repeats counted against the unit that answered the earlier message.
        public var repeatsByUnit: [String: Int]
        public var intermediateToFinalInTime: Share
        /// Assignments closed in the period after the profile's clarification limit passed
        /// without the author's answer.
        public var closedWithoutAnswer: Int = 0

        enum CodingKeys: String, CodingKey {
            case repeats
            case closedWithoutAnswer = "closed_without_answer"
            case draftsSubmitted = "drafts_submitted"
            case approvedAtFirstSubmission = "approved_at_first_submission"
            case returnsByReason = "returns_by_reason"
            case repliesWithAttachments = "replies_with_attachments"
            case repeatsByUnit = "repeats_by_unit"
            case intermediateToFinalInTime = "intermediate_to_final_in_time"
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

    enum CodingKeys: String, CodingKey {
        case schema, period, from, to, unit, timeliness, quality, dynamics
        case clocksNotComputed = "clocks_not_computed"
    }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
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

    public static func build(
        period: String, from: Int64, to: Int64, now: Int64, unit: String?, cases: [CaseState],
        earlier: (String) -> CaseState?, counts: Counts,
        context: WorkflowContext, curatorParty: String = "curator-centre"
    ) throws(WorkflowError) -> MonthlyReport {
        var lines: [String: MonthlyReport.ClockLine] = [:]
        var lateness: [String: [Int64]] = [:]
        var firstReplyMinutes: [Int64] = []
        var quality = MonthlyReport.Quality(
            draftsSubmitted: 0, approvedAtFirstSubmission: .init(count: 0, of: 0), returnsByReason: [:],
            repliesWithAttachments: .init(count: 0, of: 0),
            repeats: 0, repeatsByUnit: [:], intermediateToFinalInTime: .init(count: 0, of: 0))
        // As of the period's end, or of now for a period not over yet.
        let end = min(to, now)

        // The cases' clocks as of the period's end (what happened later does not count), on all cores.
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, cases.count / 1000))
        let computed = Locked([[CaseClocks?]](repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let slice = cases[(cases.count * part / parts)..<(cases.count * (part + 1) / parts)]
            let result = slice.map { state in try? CaseClocks.read(state, now: end, context: context) }
            computed.withLock { $0[part] = result }
        }
        var allClocks: [CaseClocks] = []
        allClocks.reserveCapacity(cases.count)
        var notComputed: [String] = []
        for (state, clocks) in zip(cases, computed.current.joined()) {
            if clocks == nil { notComputed.append(state.id) }
            allClocks.append(clocks ?? .none)
        }

        for (state, clocks) in zip(cases, allClocks) where state.status != .withdrawn {
            func tally(_ reading: ClockReading, party: String) throws(WorkflowError) {
                // Started in the period (and by the instant the report is as of); a stopped clock
                // (rejection, cancellation) ran no term to meet or miss.
                guard reading.startedAt >= from, reading.startedAt < to, reading.startedAt <= end,
                    reading.state != .stopped
                else { return }
                if let unit, party != unit, party != curatorParty { return }
                let key = "\(reading.kind.rawValue)|\(party)"
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
                    let calendar = context.calendars[reading.schedule]!
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
            if let route = clocks.route { try tally(route, party: curatorParty) }
            for assignment in state.assignments where assignment.isLive {
                // Lateness counts against the unit that held the assignment when the term ran out
                // (or was met): a reroute hands over the message's term, not a fresh one.
                func holder(_ reading: ClockReading) -> String {
                    assignment.executor(at: min(reading.due, reading.metAt ?? end, end))
                }
                let party = assignment.executor(at: end)
                for (kind, reading) in clocks.assignments[assignment.index] ?? [:]
                where kind == .reply || kind == .draft || kind == .finalDraft {
                    try tally(reading, party: holder(reading))
                }
                for reading in clocks.earlierDrafts[assignment.index] ?? [] {
                    try tally(reading, party: holder(reading))
                }
                for cycle in clocks.drafts[assignment.index] ?? [] {
                    for (kind, reading) in cycle {
                        try tally(reading, party: kind == .rework ? holder(reading) : curatorParty)
                    }
                }
                if assignment.status == .noAnswer, let closed = assignment.closedAt, closed >= from, closed < to,
                    closed <= end,
                    unit == nil || unit == party
                {
                    quality.closedWithoutAnswer += 1
                }
                guard unit == nil || unit == party else { continue }
                // Quality: drafts submitted in the period and how the curator decided them by its end.
                for (position, draft) in assignment.drafts.enumerated()
                where draft.submittedAt >= from && draft.submittedAt < to && draft.submittedAt <= end {
                    quality.draftsSubmitted += 1
                    if position == 0, let decided = draft.decidedAt, decided <= end {
                        quality.approvedAtFirstSubmission.of += 1
                        if draft.status != .returned { quality.approvedAtFirstSubmission.count += 1 }
                    }
                }
                for draft in assignment.drafts where draft.status == .returned {
                    if let decided = draft.sentBackAt ?? draft.decidedAt, decided >= from, decided < to, decided <= end
                    {
                        quality.returnsByReason[draft.returnReason?.rawValue ?? "other", default: 0] += 1
                    }
                }
                for reply in assignment.replies
                where reply.publishedAt >= from && reply.publishedAt < to && reply.publishedAt <= end
                    && reply.kind != .clarification
                {
                    quality.repliesWithAttachments.of += 1
                }
                if let published = assignment.intermediatePublishedAt, published >= from, published < to,
                    published <= end,
                    let finalClock = clocks.assignments[assignment.index]?[.finalDraft]
                {
                    quality.intermediateToFinalInTime.of += 1
                    let final = assignment.replies.first { $0.kind == .final }?.publishedAt
                    if let final, final <= end, final <= finalClock.due { quality.intermediateToFinalInTime.count += 1 }
                }
                if let reply = clocks.assignments[assignment.index]?[.reply], let met = reply.metAt, met >= from,
                    met < to, met <= end
                {
                    let calendar = context.calendars[reply.schedule]!
                    firstReplyMinutes.append(
                        try CaseClocks.wrap { () throws(CalendarError) in
                            try calendar.workingSeconds(from: state.detectedAt, to: met)
                        } / 60)
                }
            }
            // p.18: a repeat is a quality signal against the unit that answered the first message.
            if let first = state.repeatOf, state.detectedAt >= from, state.detectedAt < to, state.detectedAt <= end {
                let answered = earlier(first)?.assignments.map(\.executor) ?? []
                if unit == nil || answered.contains(unit!) {
                    quality.repeats += 1
                    for executor in answered.isEmpty ? ["-"] : answered {
                        quality.repeatsByUnit[executor, default: 0] += 1
                    }
                }
            }
        }

        var clockLines = Array(lines.values)
        for index in clockLines.indices {
            let key = "\(clockLines[index].clock)|\(clockLines[index].party)"
            let late = (lateness[key] ?? []).sorted()
            clockLines[index].shareOnTime = .init(
                count: clockLines[index].onTime,
                of: clockLines[index].onTime + clockLines[index].late + clockLines[index].openOverdue)
            clockLines[index].medianLateMinutes =
                late.isEmpty
                ? nil
                : late.count % 2 == 1 ? late[late.count / 2] : (late[late.count / 2 - 1] + late[late.count / 2]) / 2
            clockLines[index].worstLateMinutes = late.last
        }
        let order = ClockKind.allCases.map(\.rawValue)
        clockLines.sort { (order.firstIndex(of: $0.clock)!, $0.party) < (order.firstIndex(of: $1.clock)!, $1.party) }

        // Units ranked by share on time; fewer than five clocks are too few to rank.
        var byParty: [String: MonthlyReport.Share] = [:]
        for line in clockLines {
            byParty[line.party, default: .init(count: 0, of: 0)].count += line.shareOnTime.count
            byParty[line.party, default: .init(count: 0, of: 0)].of += line.shareOnTime.of
        }
        var units = byParty.map { MonthlyReport.UnitLine(unit: $0.key, onTime: $0.value, rank: nil) }.sorted {
            $0.unit < $1.unit
        }
        let rankable = units.indices.filter { units[$0].onTime.of >= 5 }.sorted {
            let a = units[$0].onTime, b = units[$1].onTime
            return (a.count * b.of, units[$1].unit) > (b.count * a.of, units[$0].unit)
        }
        for (rank, index) in rankable.enumerated() { units[index].rank = rank + 1 }

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

        let average = firstReplyMinutes.isEmpty ? nil : firstReplyMinutes.reduce(0, +) / Int64(firstReplyMinutes.count)
        let calendar = context.calendars[context.profile.reply.schedule]!
        return MonthlyReport(
            period: period, from: Instant.format(from, offset: calendar.utcOffset(at: from)),
            to: Instant.format(to, offset: calendar.utcOffset(at: to)),
            unit: unit,
            timeliness: .init(
                clocks: clockLines, units: units, firstReplies: firstReplyMinutes.count,
                averageMinutesToFirstReply: average),
            quality: quality,
            dynamics: .init(
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
                series: counts.series.map { .init(month: $0.0, messages: $0.1) }),
            clocksNotComputed: notComputed.isEmpty ? nil : notComputed.sorted())
    }
}
