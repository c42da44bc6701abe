import Foundation
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// The demo's starting data (`otklikd --demo`), written once through the real workflow so every
/// event, projection and clock is as staff would have made them: the curator centre, the
/// administration's executor units `roads`, `housing` and `transport`, a login for each role, and
/// cases in different states, all relative to the daemon's clock.
enum DemoData {
    static let units = [
        OrganisationUnit(
            name: "curator-centre", title: "ГОКУ «Общественно-аналитический центр»", kind: .curatorCentre,
            schedule: Schedule.curatorName),
        OrganisationUnit(
            name: "administration", title: "Администрация Боровичского муниципального района", kind: .administration,
            schedule: Schedule.executorName),
        OrganisationUnit(
            name: "roads", title: "Отдел дорожного хозяйства", kind: .department, schedule: Schedule.executorName),
        OrganisationUnit(name: "housing", title: "Комитет ЖКХ", kind: .department, schedule: Schedule.executorName),
        OrganisationUnit(
            name: "transport", title: "Отдел транспорта и связи", kind: .department, schedule: Schedule.executorName),
    ]

    /// One login for each role; their OS users are placeholders until an admin maps them
    /// (`otklik staff update LOGIN --os-user NAME`); meanwhile act as them with `--as LOGIN`.
    static let staff = [
        StaffMember(
            login: "curator.petrova", fullName: "Петрова Анна Викторовна", osUser: "demo-petrova",
            unit: "curator-centre", roles: [.curator]),
        StaffMember(
            login: "roads.smirnov", fullName: "Смирнов Олег Петрович", osUser: "demo-smirnov", unit: "roads",
            roles: [.executor]),
        StaffMember(
            login: "housing.kuznetsova", fullName: "Кузнецова Мария Ивановна", osUser: "demo-kuznetsova",
            unit: "housing", roles: [.executor]),
        StaffMember(
            login: "transport.volkov", fullName: "Волков Игорь Сергеевич", osUser: "demo-volkov", unit: "transport",
            roles: [.executor]),
        StaffMember(
            login: "deputy.orlov", fullName: "Орлов Николай Андреевич", osUser: "demo-orlov", unit: "administration",
            roles: [.responsible]),
        StaffMember(
            login: "head.sokolov", fullName: "Соколов Виктор Павлович", osUser: "demo-sokolov", unit: "administration",
            roles: [.head]),
    ]

    static func seed(
        _ store: Store, calendars: CalendarState, profile: RegulationProfile, clock: DaemonClock, logger: Logger
    ) throws {
        guard try store.count(kind: .demoSeeded) == 0 else { return }
        let seededAt = clock.now
        try seedDirectory(store, at: seededAt)
        let cases = DemoCases(
            store: store, context: try WorkflowContext(profile: profile, calendars: calendars.byName),
            curator: try calendars.calendar(profile.route.schedule), now: clock.now)
        try cases.fresh()
        try cases.settled()
        try store.append([
            Event(
                time: seededAt, actor: "system", kind: EventKind.demoSeeded,
                payload: Array(JSONText.encode(DemoSeeded(profile: profile.name, cases: 7))))
        ])
        logger.info(
            "demo data seeded: 7 cases; units \(units.map(\.name).joined(separator: ", ")); logins \(staff.map(\.login).joined(separator: ", "))"
        )
    }

    /// The units, the staff and the administration's accounts.
    private static func seedDirectory(_ store: Store, at seededAt: Instant) throws {
        for unit in units { try store.putUnit(unit, actor: "system", now: seededAt) }
        try store.putStaff(staff, actor: "system", now: seededAt)
        for (network, url) in [
            ("vk", "https://vk.com/borovichi_adm"), ("ok", "https://ok.ru/borovichi_adm"),
            ("tg", "https://t.me/borovichi_adm"),
        ] {
            try store.putAccount(
                SocialAccount(network: network, name: "borovichi_adm", url: url), actor: "system", now: seededAt)
        }
    }
}

/// The demo's seven cases, each taken through the workflow as people would have taken it.
private struct DemoCases {
    let store: Store
    let context: WorkflowContext
    let curator: WorkingCalendar
    let now: Instant
    let c = "curator.petrova"

    struct Step {
        var at: Instant
        var login: String
        var command: CaseCommand
    }

    /// Working time before now, so each case reads as fresh as its state suggests.
    func ago(_ minutes: Int64) throws -> Instant { try curator.subtract(now, seconds: minutes * 60) }

    func run(_ registration: CaseCommand.Registration, by login: String, _ steps: [Step]) throws -> String {
        let first = try Workflow.decide(
            nil, .register(registration), now: registration.detectedAt, context: context, by: [login])
        let year = try curator.localDate(of: registration.detectedAt).year
        var (state, _) = try store.registerCase(
            year: year, event: first[0], actor: "system", onBehalf: login,
            now: registration.detectedAt)
        for step in steps {
            let events = try Workflow.decide(state, step.command, now: step.at, context: context, by: [step.login])
            state = try store.commit(
                caseID: state.id, expectedVersion: state.version, events: events, actor: "system",
                onBehalf: step.login, now: step.at)
        }
        return state.id
    }

    func message(
        _ n: Int, _ network: String, _ author: String, _ text: String, detected: Instant,
        importance: Importance = .normal,
        topics: [String]
    ) -> CaseCommand.Registration {
        .init(
            network: network,
            url:
                "https://\(network == "vk" ? "vk.com/wall-100_\(n)" : network == "ok" ? "ok.ru/group/1/topic/\(n)" : "t.me/borovichi/\(n)")",
            author: author, text: text, detectedAt: detected, externalID: "demo-\(n)", topics: topics,
            importance: importance)
    }

    /// Cases 1-3: just found, being drafted, waiting for review.
    func fresh() throws {
        // 1. Just found: the route clock runs.
        _ = try run(
            message(
                1, "vk", "Анна Соколова", "На улице Гагарина не горят фонари уже неделю.", detected: try ago(10),
                topics: ["благоустройство"]), by: c, [])

        // 2. Routed to roads; the executor is drafting.
        let t2 = try ago(150)
        _ = try run(
            message(
                2, "vk", "Сергей Иванов", "Яма на перекрёстке Ленина и Коммунарной, машины бьют колёса.", detected: t2,
                topics: ["дороги"]), by: c,
            [
                Step(at: t2 + 600, login: c, command: .route(executors: ["roads"], topics: [:], importance: nil)),
                Step(at: t2 + 900, login: "roads.smirnov", command: .take(assignment: 1, login: "roads.smirnov")),
            ])

        // 3. High importance, a draft waits for the curator's review.
        let t3 = try ago(100)
        _ = try run(
            message(
                3, "ok", "Елена Миронова", "В доме на Кооперативной, 12 нет отопления, дети мёрзнут.", detected: t3,
                importance: .high, topics: ["ЖКХ"]), by: c,
            [
                Step(at: t3 + 900, login: c, command: .route(executors: ["housing"], topics: [:], importance: nil)),
                Step(
                    at: now - 600, login: "housing.kuznetsova",
                    command: .submitDraft(
                        assignment: 1, kind: .final,
                        text: "Аварийная бригада направлена, отопление восстановят сегодня до 18:00.",
                        measures: "")),
            ])
    }

    /// Cases 4-7: done, rejected, split and waiting for the author, a repeat.
    func settled() throws {
        // 4. Answered and done.
        let t4 = try ago(8 * 60 + 120)
        let done = try run(
            message(
                4, "tg", "Павел Орлов", "Автобус №3 не приходит по расписанию по утрам.", detected: t4,
                topics: ["транспорт"]), by: c,
            [
                Step(at: t4 + 1200, login: c, command: .route(executors: ["transport"], topics: [:], importance: nil)),
                Step(
                    at: t4 + 3 * 3600, login: "transport.volkov",
                    command: .submitDraft(
                        assignment: 1, kind: .final, text: "Перевозчику выдано предписание, расписание восстановлено.",
                        measures: "")),
                Step(at: t4 + 3 * 3600 + 900, login: c, command: .approveDraft(assignment: 1)),
                Step(
                    at: t4 + 3 * 3600 + 1500, login: c,
                    command: .publish(
                        assignment: 1, url: "https://t.me/borovichi/4?comment=1", account: "borovichi_adm", at: nil)),
            ])

        // 5. Rejected (p.20).
        let t5 = try ago(60)
        _ = try run(
            message(5, "vk", "Аноним", "(оскорбления в адрес главы района)", detected: t5, topics: []), by: c,
            [Step(at: t5 + 300, login: c, command: .reject(reason: .insult, comment: "оскорбления"))])

        // 6. Split between roads and housing; housing asked the author a clarification and waits.
        let t6 = try ago(200)
        _ = try run(
            message(
                6, "ok", "Ольга Белова", "Во дворе дома 7 по Садовой разбит асфальт и течёт крыша.", detected: t6,
                topics: []), by: c,
            [
                Step(
                    at: t6 + 600, login: c,
                    command: .route(
                        executors: ["roads", "housing"], topics: ["roads": ["дороги"], "housing": ["ЖКХ"]],
                        importance: nil)),
                Step(
                    at: t6 + 3600, login: "housing.kuznetsova",
                    command: .submitDraft(
                        assignment: 2, kind: .clarification, text: "Уточните, пожалуйста, номер подъезда.", measures: ""
                    )),
                Step(at: t6 + 4200, login: c, command: .approveDraft(assignment: 2)),
                Step(
                    at: t6 + 4500, login: c,
                    command: .publish(
                        assignment: 2, url: "https://ok.ru/group/1/topic/6?commentId=1", account: "borovichi_adm",
                        at: nil)),
            ])

        // 7. A repeat of case 4 (p.18): its final reply must state the measures taken.
        let t7 = try ago(40)
        _ = try run(
            message(7, "tg", "Павел Орлов", "Снова автобус №3 не пришёл утром!", detected: t7, topics: ["транспорт"]),
            by: c,
            [
                Step(at: t7 + 300, login: c, command: .linkRepeat(of: done)),
                Step(at: t7 + 600, login: c, command: .route(executors: ["transport"], topics: [:], importance: .high)),
            ])
    }
}
