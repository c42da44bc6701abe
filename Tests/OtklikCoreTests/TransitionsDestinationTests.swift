@testable import OtklikCore
import Testing

/// `Transitions` names where each step leads; what applying its event does agrees with it, on every
/// step of many seeded random walks through the workflow.
@Suite struct TransitionsDestinationTests {
    /// A small seeded generator: the walks are the same on every run.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func commands(_ n: Int, now: Instant) -> [CaseCommand] {
        var all: [CaseCommand] = [
            .route(executors: ["roads"], topics: [:], importance: nil),
            .addExecutor("transport", topics: ["транспорт"], reason: "Вторая часть"),
            .reopen(executors: ["roads"], reason: "Автор пишет снова"),
            .reopen(executors: [], reason: "Снято по ошибке"),
            .changeImportance(.high),
            .correct(.init(importance: .normal), reason: "Не срочно"),
        ]
        for a in 1...2 {
            all += [
                .submitDraft(assignment: a, kind: .final, text: "Яму заделают до пятницы.", measures: ""),
                .submitDraft(assignment: a, kind: .intermediate, text: "Передано подрядчику.", measures: ""),
                .submitDraft(assignment: a, kind: .clarification, text: "Уточните адрес?", measures: ""),
                .approveDraft(assignment: a),
                .returnDraft(assignment: a, reason: .incomplete, comment: "Укажите срок"),
                .publish(
                    assignment: a, url: "https://vk.com/wall-1_1?reply=\(n)", account: "borovichi_adm", at: nil),
                .authorAnswered(assignment: a, at: now, text: "Улица Ленина, 5"),
                .closeWithoutAnswer(assignment: a),
                .reroute(assignment: a, to: "transport", topics: [], reason: "Не наш участок"),
                .cancelAssignment(a, reason: "Разделено по ошибке"),
            ]
        }
        return all
    }

    /// An incident's steps on the case (issue 31): joining and leaving, once in 40 steps.
    static let incidentSteps: [CaseCommand] = [.joinIncident(1), .leaveIncident(reason: "")]

    /// Steps that end a walk early: taken once in 40 steps, so the walks get far.
    static let endings: [CaseCommand] = [
        .reject(reason: .obscene, comment: "Нецензурная брань"), .withdraw(reason: "Зарегистрировано по ошибке"),
    ]

    @Test func everyAppliedStepLandsWhereTheTableSays() throws {
        var generator = SplitMix(state: 2026)
        var taken: [EventKind: Int] = [:]
        for walk in 0..<100 {
            var now = at("2026-05-14T10:05:00+03:00")
            var state: CaseState? = nil
            let registration = CaseCommand.register(
                .init(
                    network: "vk", url: "https://vk.com/wall-1_\(walk)", author: "Иван Петров", text: "Яма на дороге",
                    detectedAt: at("2026-05-14T10:00:00+03:00"), topics: ["дороги"], importance: .normal))
            var next: CaseCommand? = registration
            for n in 0..<60 {
                let draw = Int.random(in: 0..<40, using: &generator)
                let pool = draw == 0 ? Self.endings : draw == 1 ? Self.incidentSteps : Self.commands(n, now: now)
                let command = next ?? pool.randomElement(using: &generator)!
                next = nil
                guard let events = try? Workflow.decide(state, command, now: now, context: context) else { continue }
                for event in events {
                    let after = try #require(try Workflow.apply([event], to: state, id: "2026-000001"))
                    #expect(
                        Transitions.admits(event, from: state, to: after),
                        "walk \(walk), step \(n): \(event.kind) took the case from \(state?.status.rawValue ?? "-") to \(after.status.rawValue), assignment \(event.assignment.map(String.init) ?? "-") from \(event.assignment.flatMap { state?.assignment($0)?.status.rawValue } ?? "-") to \(event.assignment.flatMap { after.assignment($0)?.status.rawValue } ?? "-")"
                    )
                    taken[event.kind, default: 0] += 1
                    state = after
                }
                now = Instant(seconds: now.seconds + 600)
            }
        }
        // The walks went through every step that moves a state (else the test proves nothing of it).
        let moving: [EventKind] = [
            .registered, .routed, .rejected, .withdrawn, .reopened, .executorAdded, .draftSubmitted, .draftApproved,
            .draftReturned, .replyPublished, .authorAnswered, .noAnswer, .rerouted, .assignmentCancelled,
            .incidentJoined, .incidentLeft,
        ]
        for kind in moving {
            #expect(taken[kind, default: 0] > 0, "no walk took \(kind)")
        }
    }
}

extension Transitions {
    /// Whether the table's destinations admit `event` taking `before` to `after`: the case's state, and
    /// the stepped assignment's. Events that are not steps on a case admit anything.
    static func admits(_ event: WorkflowEvent, from before: CaseState?, to after: CaseState) -> Bool {
        guard let row = row(event.kind) else { return true }
        guard let before else { return row.caseLeads.admits(after.status, from: .new) }
        guard row.caseLeads.admits(after.status, from: before.status) else { return false }
        guard row.assignments != nil, let index = event.assignment,
            let was = before.assignment(index), let now = after.assignment(index)
        else { return true }
        return row.assignmentLeads.admits(now.status, from: was.status)
    }
}
