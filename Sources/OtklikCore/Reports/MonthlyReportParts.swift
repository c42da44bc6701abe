/// The report's figures gathered in parts: the daemon tallies slices of the period's active cases on
/// every core, each into its own `Part`, and adds the parts up (`adding`) before `build(period:part:counts:)`.
/// Every figure is a count, a sum, a set or a list sorted when the report is built, so the parts add up
/// to what one pass over all the cases gives, in any order and however the cases are sliced.
extension MonthlyReportBuilder {
    public struct Part: Sendable {
        var tally: Tally
        /// Cases whose clocks could not be computed (`MonthlyReport.clocksNotComputed`).
        var notComputed: [String] = []

        /// No cases yet, for the report of `[from, to)` as of `now` (its end, or now for a period not
        /// over yet), for `unit` or the whole district.
        public init(
            from: Instant, to: Instant, now: Instant, unit: String?, context: WorkflowContext,
            curatorParty: String = "curator-centre"
        ) {
            tally = Tally(
                from: from, to: to, end: min(to, now), unit: unit, curatorParty: curatorParty, context: context)
        }

        /// The instant the figures are as of: what a case's clocks are read at.
        public var end: Instant { tally.end }

        /// Adds one active case, as it stood at `end`, with its clocks as of then (nil where they cannot be
        /// computed: the case is named in `clocks_not_computed`, its other figures still count). `earlier`
        /// gives the first message of a repeat as it stood then.
        public mutating func tally(_ state: CaseState, _ clocks: CaseClocks?, earlier: (String) -> CaseState?)
            throws(WorkflowError)
        {
            if clocks == nil { notComputed.append(state.id) }
            guard state.status != .withdrawn else { return }
            try tally.timeliness(state, clocks ?? .none)
            try tally.quality(state, clocks ?? .none)
            tally.repeats(state, earlier: earlier)
            tally.incident(state)
        }

        /// Adds one active case, its clocks read as of `end`.
        public mutating func tally(_ state: CaseState, earlier: (String) -> CaseState?) throws(WorkflowError) {
            try tally(state, try? CaseClocks.read(state, now: end, context: tally.context), earlier: earlier)
        }

        /// This part's figures and `other`'s (the same period, unit and context), as one part.
        public func adding(_ other: Part) -> Part {
            var sum = self
            sum.tally.add(other.tally)
            sum.notComputed += other.notComputed
            return sum
        }
    }
}

extension MonthlyReportBuilder.Tally {
    /// Adds `other`'s figures to these. A field added to `Tally`, `ClockLine` or `Quality` is added
    /// here too (`ReportPartsTests` fails for a `Quality` field left out).
    mutating func add(_ other: Self) {
        for (key, line) in other.lines {
            guard var sum = lines[key] else {
                lines[key] = line
                continue
            }
            sum.ran += line.ran
            sum.onTime += line.onTime
            sum.late += line.late
            sum.openOverdue += line.openOverdue
            sum.open += line.open
            lines[key] = sum
        }
        for (key, minutes) in other.lateness { lateness[key, default: []] += minutes }
        firstReplyMinutes += other.firstReplyMinutes
        incidentIDs.formUnion(other.incidentIDs)
        qualityFigures.add(other.qualityFigures)
    }
}

extension MonthlyReport.Share {
    mutating func add(_ other: Self) {
        count += other.count
        of += other.of
    }
}

extension MonthlyReport.Quality {
    /// Adds `other`'s counts to these (`incidents` too, though the report sets it from the distinct
    /// incidents once the parts are added up).
    public mutating func add(_ other: Self) {
        draftsSubmitted += other.draftsSubmitted
        approvedAtFirstSubmission.add(other.approvedAtFirstSubmission)
        returnsByReason.merge(other.returnsByReason, uniquingKeysWith: +)
        repliesWithAttachments.add(other.repliesWithAttachments)
        repeats += other.repeats
        repeatsByUnit.merge(other.repeatsByUnit, uniquingKeysWith: +)
        intermediateToFinalInTime.add(other.intermediateToFinalInTime)
        closedWithoutAnswer += other.closedWithoutAnswer
        for (unit, share) in other.repliesWithAttachmentsByUnit {
            repliesWithAttachmentsByUnit[unit, default: .init(count: 0, of: 0)].add(share)
        }
        evidenceWaived += other.evidenceWaived
        draftsFlagged += other.draftsFlagged
        publishedWithFindings += other.publishedWithFindings
        incidents += other.incidents
        incidentCases += other.incidentCases
    }
}
