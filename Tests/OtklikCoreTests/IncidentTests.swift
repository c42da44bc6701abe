import OtklikCore
import Testing

/// Issue 31: an incident's rules as pure functions: joining and leaving, the routing brought to each
/// case, the author each case's reply names, and the draft a joining case gets.
@Suite struct IncidentTests {
    static let incident = Incident(
        id: 7, title: "Нет отопления", topics: ["отопление"], routing: [.init(unit: "housing", topics: ["отопление"])],
        createdAt: at("2026-12-01T09:00:00+03:00"), createdBy: "cur")

    @Test func aCaseJoinsOneIncidentAndLeavesItUntilItsReplyIsPublished() throws {
        var c = CaseHarness(now: "2026-12-01T10:05:00+03:00")
        try c.register(detected: "2026-12-01T10:00:00+03:00")
        try c.run(.joinIncident(7))
        #expect(c.state?.incident == 7)
        // The same incident again records nothing; another one is refused with the way out.
        #expect(try c.run(.joinIncident(7)).isEmpty)
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in try c.run(.joinIncident(8)) }
        try c.run(.route(executors: ["housing"], topics: [:], importance: nil))
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Тепло дадут 3 декабря.", measures: ""), by: ["ex"])
        #expect(c.state?.assignment(1)?.drafts.last?.incident == 7)
        try c.run(.approveDraft(assignment: 1), by: ["cur"])
        try c.run(
            .publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=5", account: "adm", at: nil), by: ["cur"])
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in try c.run(.leaveIncident(reason: "")) }
        #expect(c.state?.incident == 7)
    }

    @Test func aCaseThatLeftKeepsWhatItHasAndAClosedOneJoinsNone() throws {
        var c = CaseHarness(now: "2026-12-01T10:05:00+03:00")
        try c.register(detected: "2026-12-01T10:00:00+03:00")
        try c.run(.joinIncident(7))
        try c.run(.route(executors: ["housing"], topics: [:], importance: nil))
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Тепло дадут 3 декабря.", measures: ""), by: ["ex"])
        let left = try c.run(.leaveIncident(reason: "другой дом"))
        #expect(left.first?.reason == "другой дом" && left.first?.incident == 7)
        #expect(c.state?.incident == nil && c.state?.assignment(1)?.status == .inReview)
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in try c.run(.leaveIncident(reason: "")) }
        try c.run(.reject(reason: .obscene, comment: "брань"))
        expectRefused(.failedPrecondition) { () throws(WorkflowError) in try c.run(.joinIncident(7)) }
    }

    @Test func theRoutingRoutesANewCaseAndMovesARoutedOnesUnits() throws {
        var c = CaseHarness(now: "2026-12-01T10:05:00+03:00")
        try c.register(detected: "2026-12-01T10:00:00+03:00")
        #expect(
            Self.incident.routingSteps(for: c.state!, reason: "")
                == [.route(executors: ["housing"], topics: ["housing": ["отопление"]], importance: nil)])
        try c.run(.route(executors: ["roads", "transport"], topics: [:], importance: nil))
        // roads moves to housing (its term kept), transport is cancelled: the incident names housing only.
        #expect(
            Self.incident.routingSteps(for: c.state!, reason: "ЖКХ")
                == [
                    .reroute(assignment: 1, to: "housing", topics: ["отопление"], reason: "ЖКХ"),
                    .cancelAssignment(2, reason: "ЖКХ"),
                ])
        var two = Self.incident
        two.routing = [.init(unit: "roads", topics: ["дороги"]), .init(unit: "housing", topics: ["отопление"])]
        try c.run(.cancelAssignment(2, reason: "ошибка"))
        #expect(
            two.routingSteps(for: c.state!, reason: "и ЖКХ")
                == [.addExecutor("housing", topics: ["отопление"], reason: "и ЖКХ")])
        // A unit that answered already keeps its assignment: neither joining nor moved.
        var answered = CaseHarness(now: "2026-12-01T10:05:00+03:00")
        try answered.register(detected: "2026-12-01T10:00:00+03:00")
        try answered.run(.route(executors: ["roads", "housing"], topics: [:], importance: nil))
        try answered.run(
            .submitDraft(assignment: 1, kind: .final, text: "Яму заделали 1 декабря.", measures: ""), by: ["ex"])
        try answered.run(.approveDraft(assignment: 1), by: ["cur"])
        try answered.run(
            .publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=5", account: "adm", at: nil), by: ["cur"])
        #expect(answered.state?.assignment(1)?.status == .done)
        #expect(two.routingSteps(for: answered.state!, reason: "снова").isEmpty)
        var three = two
        three.routing.append(.init(unit: "transport", topics: ["транспорт"]))
        #expect(
            three.routingSteps(for: answered.state!, reason: "и транспорт")
                == [.addExecutor("transport", topics: ["транспорт"], reason: "и транспорт")])
        var unrouted = Self.incident
        unrouted.routing = []
        #expect(unrouted.routingSteps(for: c.state!, reason: "").isEmpty)
    }

    @Test func eachReplyNamesItsOwnAuthor() throws {
        var a = CaseHarness(now: "2026-12-01T10:05:00+03:00")
        try a.register(detected: "2026-12-01T10:00:00+03:00")
        var b = a.state!
        b.id = "2026-000002"
        b.author = "Мария Соколова"
        let text = "Иван Петров, здравствуйте! {автор}, тепло дадут 3 декабря."
        #expect(
            Incident.text(text, writtenFor: a.state!, for: b)
                == "Мария Соколова, здравствуйте! Мария Соколова, тепло дадут 3 декабря.")
        #expect(
            Incident.text(text, writtenFor: a.state!, for: a.state!)
                == "Иван Петров, здравствуйте! Иван Петров, тепло дадут 3 декабря.")
        // Whole words only: "Анна" is the author, not a part of "Аннинская".
        var anna = b
        anna.author = "Анна"
        #expect(
            Incident.text("Анна, здравствуйте! На Аннинской улице свет дадут завтра.", writtenFor: anna, for: a.state!)
                == "Иван Петров, здравствуйте! На Аннинской улице свет дадут завтра.")
        #expect(Incident.template("Анна, добрый день", writtenFor: anna) == "{author}, добрый день")
        expectRefused(.invalidArgument) { () throws(WorkflowError) in _ = try Incident.checkedTitle("  ") }
        expectRefused(.invalidArgument) { () throws(WorkflowError) in
            _ = try Incident.checkedTitle(String(repeating: "я", count: 201))
        }
    }

    @Test func aJoiningCaseGetsTheLatestSubmissionNoOpenCaseReturned() throws {
        func submitted(_ c: inout CaseHarness, key: String) throws {
            var events = try Workflow.decide(
                c.state, .submitDraft(assignment: 1, kind: .final, text: "Тепло дадут 3 декабря.", measures: ""),
                now: c.now, context: context, by: ["ex"])
            events[0].incidentDraft = key
            c.state = try Workflow.apply(events, to: c.state, id: c.state!.id)
        }
        var a = CaseHarness(now: "2026-12-01T10:05:00+03:00")
        try a.register(detected: "2026-12-01T10:00:00+03:00")
        try a.run(.joinIncident(7))
        try a.run(.route(executors: ["housing"], topics: [:], importance: nil))
        var b = a
        b.state?.id = "2026-000002"
        #expect(Incident.latestDraft(of: "housing", incident: 7, among: [a.state!, b.state!]) == nil)
        try submitted(&a, key: "2026-000001/1#1")
        try submitted(&b, key: "2026-000001/1#1")
        #expect(
            Incident.latestDraft(of: "housing", incident: 7, among: [a.state!, b.state!])?.draft.status == .submitted)
        #expect(Incident.latestDraft(of: "roads", incident: 7, among: [a.state!]) == nil)
        // Returned on one open case: no case joining gets it, though another still has it in review.
        try b.run(.returnDraft(assignment: 1, reason: .formal, comment: "срок?"), by: ["cur"])
        #expect(Incident.latestDraft(of: "housing", incident: 7, among: [a.state!, b.state!]) == nil)
        // A closed case's copy does not count.
        try b.run(.withdraw(reason: "ошибка"))
        #expect(
            Incident.latestDraft(of: "housing", incident: 7, among: [a.state!, b.state!])?.caseState.id == a.state!.id)
    }

    @Test func aDraftThatCannotMoveStaysAndTheCaseIsNotRefused() throws {
        var c = CaseHarness(now: "2026-12-01T10:05:00+03:00")
        try c.register(detected: "2026-12-01T10:00:00+03:00")
        try c.run(.route(executors: ["roads"], topics: [:], importance: nil))
        try c.run(.submitDraft(assignment: 1, kind: .intermediate, text: "Ремонт 3 декабря.", measures: ""), by: ["ex"])
        try c.run(.approveDraft(assignment: 1), by: ["cur"])
        try c.run(
            .publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=5", account: "adm", at: nil), by: ["cur"])
        // roads' intermediate reply went out: roads stays, housing joins.
        #expect(
            Self.incident.routingSteps(for: c.state!, reason: "ЖКХ")
                == [.addExecutor("housing", topics: ["отопление"], reason: "ЖКХ")])
        #expect(Self.incident.kept(in: c.state!).map(\.executor) == ["roads"])
    }

    @Test func aGreetingNamingTheFirstAuthorOtherwiseIsFound() throws {
        var a = CaseHarness(now: "2026-12-01T10:05:00+03:00")
        try a.register(detected: "2026-12-01T10:00:00+03:00")
        var anna = a.state!
        anna.author = "Анна Петрова"
        #expect(Incident.template("АННА ПЕТРОВА, добрый день!", writtenFor: anna) == "{author}, добрый день!")
        #expect(Incident.greetingNames("Уважаемая Анна Петровна! Тепло дадут завтра.", writtenFor: anna) == ["Анна"])
        #expect(Incident.greetingNames("Анне, здравствуйте", writtenFor: anna) == ["Анне"])
        #expect(Incident.greetingNames("{author}, тепло дадут; Анна из ЖЭКа знает", writtenFor: anna).isEmpty)
        // A placeholder is no name, whatever the author is called.
        var named = anna
        named.author = "Автор 1"
        #expect(Incident.greetingNames("Уважаемый {автор}! Тепло дадут завтра.", writtenFor: named).isEmpty)
    }
}
