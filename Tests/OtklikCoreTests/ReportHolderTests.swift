import Foundation
import OtklikCore
import Testing

/// Whom the monthly report blames for a clock (docs/REPORTS.md, issue 26 item 2): an open clock its
/// holder at the report's end, the one whose queue shows it; a term that ran out before anyone held
/// the assignment, the unit that met it.
@Suite struct ReportHolderTests {
    func report(_ c: CaseHarness) throws -> MonthlyReport {
        let state = try #require(c.state)
        let from = at("2026-12-01T00:00:00+03:00"), to = at("2027-01-01T00:00:00+03:00")
        return try MonthlyReportBuilder.build(
            period: "2026-12", from: from, to: to, now: c.now, unit: nil, cases: [state],
            clocks: MonthlyReportBuilder.clocks(of: [state][...], asOf: c.now, context: context),
            earlier: { _ in nil },
            counts: .init(this: [:], previousMonth: [:], yearBefore: [:], series: []), context: context)
    }

    func line(_ report: MonthlyReport, _ clock: String, _ party: String) -> MonthlyReport.ClockLine? {
        report.timeliness.clocks.first { $0.clock == clock && $0.party == party }
    }

    /// Detected Friday morning, routed Saturday after the draft's term ran out, rerouted three
    /// seconds later: the open overdue draft is the second unit's, as its queue shows.
    @Test func anOpenClockCountsAgainstItsHolderAtTheEnd() throws {
        var c = CaseHarness(now: "2026-12-04T09:00:00+03:00")
        try c.register(detected: "2026-12-04T09:00:00+03:00")
        c.set("2026-12-05T16:37:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        c.set("2026-12-05T16:37:03+03:00")
        try c.run(.reroute(assignment: 1, to: "housing", topics: [], reason: "не наш участок"))
        c.set("2026-12-05T17:00:00+03:00")
        let open = try report(c)
        #expect(line(open, "draft", "housing")?.openOverdue == 1)
        #expect(line(open, "draft", "roads") == nil)
        #expect(line(open, "reply", "housing")?.openOverdue == 1)
        // Met late by the unit holding it: still that unit's, not the first one's.
        c.set("2026-12-07T10:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Проект", measures: "Меры"))
        let met = try report(c)
        #expect(line(met, "draft", "housing")?.late == 1)
        #expect(line(met, "draft", "roads") == nil)
    }

    /// A term that ran out while a unit held it stays that unit's after a reroute, once met.
    @Test func aMetClockCountsAgainstTheUnitHoldingItWhenItsTermRanOut() throws {
        var c = CaseHarness(now: "2026-12-01T09:00:00+03:00")
        try c.register(detected: "2026-12-01T09:00:00+03:00")
        c.set("2026-12-01T09:10:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        // The draft was due at 13:00; roads let it run out and handed it over at 15:00.
        c.set("2026-12-01T15:00:00+03:00")
        try c.run(.reroute(assignment: 1, to: "housing", topics: [], reason: "не наш участок"))
        c.set("2026-12-01T15:30:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Проект", measures: "Меры"))
        let report = try report(c)
        #expect(line(report, "draft", "roads")?.late == 1)
        #expect(line(report, "draft", "housing") == nil)
    }
}
