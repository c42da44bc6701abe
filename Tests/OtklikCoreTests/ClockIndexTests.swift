import Foundation
import OtklikCore
import Testing

/// What the store indexes of a case's clocks: the earliest running due and the next moment to act on.
@Suite struct ClockIndexTests {
    @Test func theIndexIsTheEarliestRunningDueAndTheNextUnrecordedMoment() throws {
        var c = CaseHarness(now: "2026-05-14T17:50:00+03:00")
        try c.register(detected: "2026-05-14T17:45:00+03:00")
        let state = try #require(c.state)
        let fresh = ClockIndex.of(state, recorded: [], now: c.now, context: context)
        #expect(fresh.nextDue == at("2026-05-15T09:15:00+03:00"))
        // The first moment is the route's earliest warning point, never after its due.
        let items = try ClockAgenda.items(state, now: c.now, context: context)
        #expect(fresh.nextFire == items.map(\.fireAt).min())
        #expect(try #require(fresh.nextFire) < at("2026-05-15T09:15:00+03:00"))
        // Recorded notices are left out; past due, the warnings say nothing more: the breach is next.
        let pastDue = at("2026-05-15T09:20:00+03:00")
        let late = ClockIndex.of(state, recorded: [], now: pastDue, context: context)
        #expect(late.nextFire == at("2026-05-15T09:15:00+03:00"))
        let breached = ClockIndex.of(
            state, recorded: [RecordedNotice(clock: ClockKey(.route), notice: .breach)], now: pastDue, context: context)
        #expect(breached.nextFire == nil)
        #expect(breached.nextDue == at("2026-05-15T09:15:00+03:00"))
        // Routed: the route clock is met; the reply's draft clock is the earliest due.
        c.set("2026-05-15T09:10:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        let routed = ClockIndex.of(try #require(c.state), recorded: [], now: c.now, context: context)
        #expect(try routed.nextDue == c.clocks().running.map(\.due).min())
        #expect(try routed.nextDue == c.clock(.draft).due)
        // A closed case has nothing to wait for.
        try c.run(.reject(reason: .obscene, comment: ""))
        #expect(ClockIndex.of(try #require(c.state), recorded: [], now: c.now, context: context) == .none)
    }
}

/// What the scheduler records of a notice reads back as the same notice; a row a newer version wrote
/// (a clock or notice this build does not know) is left out, not misread.
@Suite struct RecordedNoticeTests {
    @Test func aRecordedNoticeReadsBackAsItself() {
        let notices: [RecordedNotice] = [
            .init(clock: ClockKey(.route), notice: .breach),
            .init(clock: ClockKey(.reply, assignment: 2), notice: .warning("50%")),
            .init(clock: ClockKey(.review, assignment: 1, cycle: 3), notice: .warning("15m")),
            .init(clock: .noAnswer(assignment: 1, pause: 2), notice: .closeWithoutAnswer),
        ]
        for notice in notices {
            #expect(RecordedNotice(clockKey: notice.clock.description, notice: notice.noticeText) == notice)
        }
        #expect(RecordedNotice(clockKey: "take/1", notice: "breach") == nil)
        #expect(RecordedNotice(clockKey: "route", notice: "escalation") == nil)
    }
}
