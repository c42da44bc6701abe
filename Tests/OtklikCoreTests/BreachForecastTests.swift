import Foundation
import OtklikCore
import Testing

/// Issue 31: the breach forecast under a test clock: who can act before the due (the unit's
/// executors, their absences and deputies, the unit's schedule) and the unit's queue against its pace.
@Suite struct BreachForecastTests {
    /// The roads unit with one executor, the housing unit with one, and a curator.
    static func directory() -> Directory {
        var directory = Directory()
        directory.units["roads"] = OrganisationUnit(
            name: "roads", title: "Дороги", kind: .department, schedule: "executor")
        directory.units["housing"] = OrganisationUnit(
            name: "housing", title: "ЖКХ", kind: .department, schedule: "executor")
        for (login, unit, role) in [
            ("roads.ex", "roads", Role.executor), ("housing.ex", "housing", .executor),
            ("cur", "curator-centre", .curator),
        ] {
            directory.staff[login] = StaffMember(
                login: login, fullName: login, osUser: login, unit: unit, roles: [role])
        }
        return directory
    }

    /// A case detected at `detected`, routed five minutes later to `unit`.
    static func routed(_ number: Int, detected: String, to unit: String = "roads") throws -> CaseState {
        let id = CaseID(year: 2026, number: number).description
        let detectedAt = at(detected)
        var state = try #require(
            try Workflow.apply(
                try Workflow.decide(
                    nil,
                    .register(
                        .init(
                            network: "vk", url: "https://vk.com/wall-1_\(number)", author: "Автор",
                            text: "Яма на дороге", detectedAt: detectedAt, topics: ["дороги"])),
                    now: detectedAt + 60, context: context), to: nil, id: id))
        state = try #require(
            try Workflow.apply(
                try Workflow.decide(
                    state, .route(executors: [unit], topics: [unit: ["дороги"]], importance: nil),
                    now: detectedAt + 300, context: context), to: state, id: id))
        return state
    }

    static func forecast(
        _ states: [CaseState], now: String, directory: Directory, pace: Int? = nil
    ) -> [AssignmentForecast] {
        BreachForecast.forecast(
            states, now: at(now), context: context, staffing: staffing(directory, now: now),
            calendar: { _ in moscow }, pace: { _ in pace })
    }

    static func staffing(_ directory: Directory, now: String) -> Staffing {
        Staffing(directory: directory, from: at(now), until: at(now) + 366 * 86_400)
    }

    @Test func fridayAfternoonToAUnitWhoseOnlyExecutorIsOnLeaveUntilWednesday() throws {
        var directory = Self.directory()
        // Routed on Friday afternoon; the draft is due on Monday morning.
        let state = try Self.routed(1, detected: "2026-12-04T14:00:00+03:00")
        directory.absences = [
            Absence(
                id: 1, login: "roads.ex", from: at("2026-12-01T00:00:00+03:00"), to: at("2026-12-09T09:00:00+03:00"),
                reason: "отпуск", deputy: "")
        ]
        let items = Self.forecast([state], now: "2026-12-04T14:10:00+03:00", directory: directory)
        let item = try #require(items.first)
        #expect(item.clock == .draft)
        #expect(show(item.due) == "2026-12-07T09:00:00+03:00")
        #expect(item.canAct == [])
        #expect(item.risks.map(\.reason) == [.nobodyPresent])
        // Back on Wednesday morning, when the absence ends.
        #expect(item.risks.first?.nextPresent.map { show($0) } == "2026-12-09T09:00:00+03:00")
        // Housing could take it; not once the case is routed there too, nor when housing would fall
        // behind with it, nor once a draft of it was approved (a reroute is refused then).
        let staffing = Self.staffing(directory, now: "2026-12-04T14:10:00+03:00")
        func could(_ item: AssignmentForecast, pace: Int? = nil) -> [String] {
            var items = [item]
            BreachForecast.fillCould(
                &items, candidates: ["housing", "roads"], now: at("2026-12-04T14:10:00+03:00"), staffing: staffing,
                calendar: { _ in moscow }, pace: { _ in pace })
            return items[0].could
        }
        #expect(could(item) == ["housing"])
        var routedToBoth = item
        routedToBoth.caseUnits = ["roads", "housing"]
        #expect(could(routedToBoth) == [])
        #expect(could(item, pace: 600) == [])
        var approved = item
        approved.reroutable = false
        #expect(could(approved) == [])
    }

    @Test func aDeputyOfTheSameSideStandsInAndOneOfTheOtherSideDoesNot() throws {
        var directory = Self.directory()
        let state = try Self.routed(1, detected: "2026-12-04T14:00:00+03:00")
        let leave = (at("2026-12-01T00:00:00+03:00"), at("2026-12-09T09:00:00+03:00"))
        // The curator cannot stand in for an executor (p.5: the control is never bypassed).
        directory.absences = [Absence(id: 1, login: "roads.ex", from: leave.0, to: leave.1, reason: "", deputy: "cur")]
        #expect(Self.forecast([state], now: "2026-12-04T14:10:00+03:00", directory: directory).first?.atRisk == true)
        directory.absences[0].deputy = "housing.ex"
        var item = try #require(Self.forecast([state], now: "2026-12-04T14:10:00+03:00", directory: directory).first)
        #expect(item.canAct == ["housing.ex"])
        #expect(!item.atRisk)
        // The deputy away too: nobody again, back when the first of them is.
        directory.absences.append(
            Absence(
                id: 2, login: "housing.ex", from: leave.0, to: at("2026-12-08T14:00:00+03:00"), reason: "",
                deputy: ""))
        item = try #require(Self.forecast([state], now: "2026-12-04T14:10:00+03:00", directory: directory).first)
        #expect(item.risks.map(\.reason) == [.nobodyPresent])
        #expect(item.risks.first?.nextPresent.map { show($0) } == "2026-12-08T14:00:00+03:00")
        // A head of the unit is not someone who writes its drafts.
        directory.absences = [Absence(id: 1, login: "roads.ex", from: leave.0, to: leave.1, reason: "", deputy: "")]
        directory.staff["roads.head"] = StaffMember(
            login: "roads.head", fullName: "roads.head", osUser: "roads.head", unit: "roads", roles: [.head])
        #expect(Self.forecast([state], now: "2026-12-04T14:10:00+03:00", directory: directory).first?.atRisk == true)
        // An inactive executor is nobody.
        directory.absences = []
        directory.staff["roads.ex"]?.active = false
        #expect(Self.forecast([state], now: "2026-12-04T14:10:00+03:00", directory: directory).first?.atRisk == true)
    }

    @Test func theUnitsScheduleDecidesWhoIsAtWorkBeforeTheDue() throws {
        var directory = Self.directory()
        let state = try Self.routed(1, detected: "2026-12-04T14:00:00+03:00")
        // Away on Friday afternoon only: Monday 09:00 is working time and the draft is due then, so
        // nobody is at work before it.
        directory.absences = [
            Absence(
                id: 1, login: "roads.ex", from: at("2026-12-04T12:00:00+03:00"), to: at("2026-12-05T00:00:00+03:00"),
                reason: "", deputy: "")
        ]
        let item = try #require(Self.forecast([state], now: "2026-12-04T14:10:00+03:00", directory: directory).first)
        #expect(item.atRisk)
        #expect(item.risks.first?.nextPresent.map { show($0) } == "2026-12-07T09:00:00+03:00")
        // Back at 16:00 on Friday: two working hours before the weekend, not at risk.
        directory.absences[0].to = at("2026-12-04T16:00:00+03:00")
        let back = try #require(Self.forecast([state], now: "2026-12-04T14:10:00+03:00", directory: directory).first)
        #expect(!back.atRisk)
        #expect(back.canAct == ["roads.ex"])
    }

    @Test func aQueueLongerThanTheTimeLeftIsBehind() throws {
        let directory = Self.directory()
        // Three cases detected at 09:00 on Monday: each draft is due at 14:00 (four working hours before
        // the reply at 18:00, the lunch hour not counted); the unit usually takes 90 working minutes to
        // a draft, one person.
        let states = try (1...3).map { try Self.routed($0, detected: "2026-12-07T09:00:00+03:00") }
        let items = Self.forecast(states, now: "2026-12-07T09:30:00+03:00", directory: directory, pace: 90)
        #expect(items.map { show($0.due) } == Array(repeating: "2026-12-07T14:00:00+03:00", count: 3))
        // 210 minutes left, and three due at 13:00 wait (270 minutes of work): each of them is behind,
        // the first as much as the last, since all three are due by then.
        #expect(items.map(\.atRisk) == [true, true, true])
        let risk = try #require(items.last?.risks.first)
        #expect(risk.reason == .behind)
        #expect((risk.waiting, risk.paceMinutes, risk.remainingMinutes, risk.present) == (3, 90, 210, 1))
        // Two fit (180 minutes).
        let two = Self.forecast(
            Array(states.prefix(2)), now: "2026-12-07T09:30:00+03:00", directory: directory, pace: 90)
        #expect(two.allSatisfy { !$0.atRisk })
        // Without a known pace there is no such risk.
        #expect(Self.forecast(states, now: "2026-12-07T09:30:00+03:00", directory: directory).allSatisfy { !$0.atRisk })
    }

    @Test func thePaceIsTheLowerQuartileWorkingTimeOfAtLeastFiveDrafts() {
        let start = at("2026-12-07T09:00:00+03:00")
        let samples = [600, 30, 120, 60, 90].map { (started: start, drafted: start + Int64($0) * 60) }
        #expect(BreachForecast.pace(samples, calendar: moscow) == 60)
        #expect(BreachForecast.pace(Array(samples.prefix(4)), calendar: moscow) == nil)
        // Working time: from Friday 17:00 to Monday 10:00 is two working hours.
        let weekend = Array(
            repeating: (started: at("2026-12-04T17:00:00+03:00"), drafted: at("2026-12-07T10:00:00+03:00")), count: 5)
        #expect(BreachForecast.pace(weekend, calendar: moscow) == 120)
    }

    @Test func anOverdueStepIsOverdueNotAtRisk() throws {
        let directory = Self.directory()
        let state = try Self.routed(1, detected: "2026-12-07T09:00:00+03:00")
        let item = try #require(Self.forecast([state], now: "2026-12-07T14:30:00+03:00", directory: directory).first)
        #expect(item.overdue)
        #expect(!item.atRisk)
        // In the lunch hour before a 14:00 due no working time is left, and the unit is back at 14:00:
        // nothing to warn of (the breach, if it comes, says it).
        let lunch = try #require(Self.forecast([state], now: "2026-12-07T13:30:00+03:00", directory: directory).first)
        #expect(!lunch.atRisk)
        // The same hour with the only executor away all afternoon: at risk, back the next morning.
        var away = directory
        away.absences = [
            Absence(
                id: 1, login: "roads.ex", from: at("2026-12-07T13:00:00+03:00"), to: at("2026-12-08T00:00:00+03:00"),
                reason: "", deputy: "")
        ]
        let gone = try #require(Self.forecast([state], now: "2026-12-07T13:30:00+03:00", directory: away).first)
        #expect(gone.risks.map(\.reason) == [.nobodyPresent])
        #expect(gone.risks.first?.nextPresent.map { show($0) } == "2026-12-08T09:00:00+03:00")
    }
}
