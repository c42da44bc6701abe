@testable import OtklikCore
import Testing

/// `ClockKind.spec` is the one table of the clocks (docs/CHANGING.md, recipe 3): what it says of a clock
/// is what the clocks as read, the agenda and the profile do.
@Suite struct ClockSpecTests {
    /// A case that has run every clock: routed, an intermediate draft returned, reworked, approved and
    /// published, then the final draft under review.
    static func everyClock() throws -> CaseHarness {
        var c = CaseHarness(now: "2026-05-07T09:05:00+03:00")
        try c.register(detected: "2026-05-07T09:00:00+03:00")
        try c.run(.route(executors: ["transport"], topics: [:], importance: nil))
        c.set("2026-05-07T10:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .intermediate, text: "Обращение передано", measures: ""))
        try c.run(.returnDraft(assignment: 1, reason: .incomplete, comment: "Укажите перевозчика"))
        c.set("2026-05-07T10:30:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .intermediate, text: "Передано перевозчику", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "borovichi_adm", at: nil))
        c.set("2026-05-08T10:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Расписание изменено", measures: ""))
        return c
    }

    @Test func theClocksAsReadAreWhereTheirScopeSays() throws {
        let c = try Self.everyClock()
        let clocks = try c.clocks()
        let route = try #require(clocks.route)
        #expect(route.kind.spec.scope == .case)
        let cycles = try #require(clocks.drafts[1])
        let cycleKinds = Set(cycles.flatMap(\.keys))
        #expect(cycleKinds.allSatisfy { $0.spec.scope == .draft })
        let own = try #require(clocks.assignments[1])
        #expect(Set(own.keys).subtracting(cycleKinds).allSatisfy { $0.spec.scope == .assignment })
        // The case ran them all: the assertions above covered every row of the table.
        #expect(Set(own.keys).union([route.kind]) == Set(ClockKind.allCases))
        #expect(ClockKind.of(.case) + ClockKind.of(.assignment) + ClockKind.of(.draft) != [])
        #expect(Set(ClockKind.of(.case) + ClockKind.of(.assignment) + ClockKind.of(.draft)) == Set(ClockKind.allCases))
    }

    @Test func eachClockCountsInItsTermsSchedule() throws {
        let c = try Self.everyClock()
        let clocks = try c.clocks()
        var readings = [try #require(clocks.route)]
        readings += (clocks.assignments[1] ?? [:]).values
        for reading in readings {
            #expect(reading.schedule == profile.term(reading.kind).schedule, "\(reading.kind)")
            #expect(profile.scheduleNames.contains(reading.schedule))
        }
    }

    /// The agenda's warnings go to the clock's party; the reply's, a clock of both parties' steps, to
    /// whoever holds the step now: the curator while the draft is under review, the executor after a return.
    @Test func theAgendaWarnsTheClocksParty() throws {
        var c = CaseHarness(now: "2026-05-14T10:05:00+03:00")
        try c.register(detected: "2026-05-14T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        c.set("2026-05-14T11:00:00+03:00")
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Яму заделают до пятницы.", measures: ""))
        func parties() throws -> [ClockKind: Set<Role>] {
            let items = try ClockAgenda.items(c.state!, now: c.now, context: context)
            return Dictionary(grouping: items, by: \.kind).mapValues { Set($0.map { $0.party(in: c.state!) }) }
        }
        #expect(try parties() == [.reply: [.curator], .review: [.curator]])
        c.set("2026-05-14T11:20:00+03:00")
        try c.run(.returnDraft(assignment: 1, reason: .incomplete, comment: "Укажите срок"))
        #expect(try parties() == [.reply: [.executor], .rework: [.executor]])
        for kind in ClockKind.allCases where kind.spec.party != .stepHolder {
            let item = ClockAgenda.Item(
                clockKey: ClockKey(kind, assignment: 1), kind: kind, assignment: 1, due: c.now, schedule: "executor",
                notice: .breach, fireAt: c.now)
            #expect(item.party(in: c.state!) == (kind.spec.party == .curator ? .curator : .executor), "\(kind)")
        }
    }

    /// The clock index stores this text and re-indexes every open case when it changes: deriving it from
    /// the table must not change it for the shipped profile.
    @Test func theShippedProfilesClockRulesStayAsStored() {
        #expect(
            profile.clockRules
                == "30/-@curator;480/240@executor;240/120@executor;30/-@curator;60/-@executor;30/-@curator;7@executor;0.5,0.8;15;-"
        )
    }
}
