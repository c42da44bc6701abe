/// What the regulation says of each clock, in one table (docs/CHANGING.md, recipe 3). The agenda, the
/// scheduler's recipients, the monthly report's lines and parties, the report document's clauses, the
/// export's columns and the profile's schedules and rules are derived from it; a new `ClockKind` does
/// not build until it has its row here.
public struct ClockSpec: Sendable {
    /// What one instance of the clock belongs to.
    public enum Scope: Sendable, Equatable {
        /// One per case (routing, p.7).
        case `case`
        /// One per assignment (the reply, the draft before it, the final draft).
        case assignment
        /// One per draft an executor submits (its review, rework and publication).
        case draft
    }

    /// Whose step the clock waits on: whom its warnings and breach are for, and whom the report
    /// counts it against.
    public enum Party: Sendable, Equatable {
        /// The curator's centre.
        case curator
        /// The executor's unit holding the assignment.
        case executor
        /// Both parties' steps run under it (p.8: the reply covers drafting, review and publication):
        /// the warnings go to whoever holds the assignment's step now; the report counts it against
        /// the executor's unit, whose assignment it is.
        case stepHolder
    }

    public var scope: Scope
    public var party: Party
    /// The regulation's paragraphs the clock comes from, as a report cites them ("8, 9").
    public var clause: String
    /// Its due follows from the case's facts (detection, importance): a correction of them
    /// re-states the due a met clock was met against.
    public var followsFacts: Bool
    /// Its length in the profile.
    public var term: @Sendable (RegulationProfile) -> ClockTerm
}

/// A clock's length as a profile sets it.
public enum ClockTerm: Sendable, Equatable {
    /// Working time from the clock's start, on a schedule (another length for high importance).
    case working(RegulationProfile.Term)
    /// Working time before the reply's due, counted backwards (p.11, p.12).
    case beforeReply(RegulationProfile.Term)
    /// To the end of the n-th working day after the day the clock started (p.16).
    case workingDays(Int, schedule: String)

    /// The schedule the clock counts in.
    public var schedule: String {
        switch self {
        case .working(let term), .beforeReply(let term): term.schedule
        case .workingDays(_, let schedule): schedule
        }
    }
}

extension ClockKind {
    /// The clock's row of the table.
    public var spec: ClockSpec {
        switch self {
        case .route:
            ClockSpec(scope: .case, party: .curator, clause: "7", followsFacts: true) { .working($0.route) }
        case .reply:
            ClockSpec(scope: .assignment, party: .stepHolder, clause: "8, 9", followsFacts: true) {
                .working($0.reply)
            }
        case .draft:
            ClockSpec(scope: .assignment, party: .executor, clause: "11, 12", followsFacts: true) {
                .beforeReply($0.draftBeforeReply)
            }
        case .review:
            ClockSpec(scope: .draft, party: .curator, clause: "13", followsFacts: false) { .working($0.review) }
        case .rework:
            ClockSpec(scope: .draft, party: .executor, clause: "14", followsFacts: false) { .working($0.rework) }
        case .publish:
            ClockSpec(scope: .draft, party: .curator, clause: "15", followsFacts: false) { .working($0.publish) }
        case .finalDraft:
            ClockSpec(scope: .assignment, party: .executor, clause: "16", followsFacts: false) {
                .workingDays($0.finalDraftWorkingDays, schedule: $0.finalDraftSchedule)
            }
        }
    }

    /// The clocks of one scope, in display order (worked out once: every case's clocks read them).
    public static func of(_ scope: ClockSpec.Scope) -> [ClockKind] {
        switch scope {
        case .case: caseClocks
        case .assignment: assignmentClocks
        case .draft: draftClocks
        }
    }

    private static let caseClocks = allCases.filter { $0.spec.scope == .case }
    private static let assignmentClocks = allCases.filter { $0.spec.scope == .assignment }
    private static let draftClocks = allCases.filter { $0.spec.scope == .draft }
}
