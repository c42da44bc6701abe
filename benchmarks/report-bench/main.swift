// Generates a database of many cases spread over three years for the report benchmark: each case goes
// through the real workflow (decide + apply, with its clocks) with random but plausible timing, and
// its events (logged at the time of each step) and projection are written in batches, as the daemon
// writes them: the report reads the projections of cases unchanged since the period's end and folds
// the others from their events. Not a test; it prints how long generating took.
//
// Usage: report-bench DATA_DIR CALENDAR_JSON PROFILE_JSON [CASES]
//        report-bench DATA_DIR CALENDAR_JSON PROFILE_JSON varied CASES (Varied.swift: every road, June to November 2026,
//        and a tenth as many June to November 2025)
import Foundation
import OtklikCore
import OtklikStore

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: report-bench DATA_DIR CALENDAR_JSON PROFILE_JSON [CASES]\n".utf8))
    exit(64)
}
let total = arguments.count > 4 ? Int(arguments[4]) ?? 1_000_000 : 1_000_000
/// `report-bench DATA CAL PROFILE profile MONTH-START MONTH-END`: time the report's two halves on an existing database.
let profiling = arguments.count > 6 && arguments[4] == "profile"
/// `report-bench DATA CAL PROFILE list`: time `case list`'s pages and counts with each kind of filter.
let listing = arguments.count > 4 && arguments[4] == "list"
/// `report-bench DATA CAL PROFILE search`: time `case search`'s reads with each kind of query.
let searching = arguments.count > 4 && arguments[4] == "search"

do {
    let production = ProductionCalendar(
        years: try ProductionCalendarFile.decode(try Data(contentsOf: URL(fileURLWithPath: arguments[2]))))
    let profile = try RegulationProfile.decode(try Data(contentsOf: URL(fileURLWithPath: arguments[3])))
    let curator = try WorkingCalendar(schedule: Schedule(name: "curator"), calendar: production)
    let executor = try WorkingCalendar(schedule: Schedule(name: "executor"), calendar: production)
    let context = try WorkflowContext(profile: profile, calendars: ["curator": curator, "executor": executor])
    let opened = Date()
    let store = try Store(directory: arguments[1], check: .quick)
    defer { store.close() }
    if listing {
        // An older file is migrated here, once (the topic index of schema 15 is filled from the cases).
        print(String(format: "open (and migrate once): %.2f s", Date().timeIntervalSince(opened)))
        var author = Store.ListFilters(authorKey: "нет такого автора")
        author.networks = profile.networks
        let filters: [(String, Store.ListFilters)] = [
            ("no filter", Store.ListFilters()),
            ("--network vk", Store.ListFilters(network: "vk")),
            ("--importance high", Store.ListFilters(importance: "high")),
            ("--topic ЖКХ", Store.ListFilters(topic: "ЖКХ")),
            ("--topic (none has it)", Store.ListFilters(topic: "нет такой темы")),
            (
                "--topic (none) --from/--to a month",
                Store.ListFilters(
                    topic: "нет такой темы", from: Instant(iso: "2026-11-01T00:00:00+03:00")!,
                    to: Instant(iso: "2026-12-01T00:00:00+03:00")!)
            ),
            ("--author (none has it)", author),
            ("--sort due --network vk", Store.ListFilters(network: "vk", byDue: true)),
        ]
        for (name, filter) in filters {
            var page: [Double] = [], count: [Double] = []
            var listed = 0, counted = 0
            for _ in 0..<5 {
                var began = Date()
                listed = try store.listEntries(status: nil, executor: nil, limit: 51, filters: filter).count
                page.append(Date().timeIntervalSince(began))
                began = Date()
                counted = try store.countCases(status: nil, executor: nil, filters: filter, cap: 10_001)
                count.append(Date().timeIntervalSince(began))
            }
            let label = name + String(repeating: " ", count: max(0, 36 - name.count))
            print(
                label
                    + String(
                        format: "page of 51: %7.1f ms (%d)   count to 10,001: %7.1f ms (%d)", page.sorted()[2] * 1000,
                        listed, count.sorted()[2] * 1000, counted))
        }
        // What a topic filter that found nothing names: the topics of the last year.
        var known: [Double] = []
        var topics = 0
        for _ in 0..<5 {
            let began = Date()
            topics = try store.topics(detectedSince: Instant(iso: "2025-12-01T00:00:00+03:00")!).count
            known.append(Date().timeIntervalSince(began))
        }
        print(String(format: "topics of the last year                 %7.1f ms (%d)", known.sorted()[2] * 1000, topics))
        exit(0)
    }
    if searching {
        // An older file is migrated here, once (the word-form index of schema 17 is filled from the cases).
        print(String(format: "open (and migrate once): %.2f s", Date().timeIntervalSince(opened)))
        // Every synthetic text is "Сообщение N": the first word is in every case, the worst case of a
        // word index; its other forms reach it through the stem, its beginning through a prefix query.
        let queries: [(String, String, [String]?)] = [
            ("a word every case holds", "сообщение", nil),
            ("another form of it", "сообщениями", nil),
            ("its beginning", "сооб", nil),
            ("in quotes, that form", "\"сообщение\"", nil),
            ("with a rare word", "сообщение 4242", nil),
            ("a word no case holds", "трамвай", nil),
            ("an executor's (units: roads)", "сообщение", ["roads"]),
        ]
        for (name, text, units) in queries {
            var times: [Double] = []
            var found = 0
            for _ in 0..<5 {
                let began = Date()
                found = try store.searchCases(
                    SearchQuery(text), author: nil, from: nil, to: nil, units: units, limit: 20
                ).count
                times.append(Date().timeIntervalSince(began))
            }
            let label = "\(name) (\(text))"
            print(
                label + String(repeating: " ", count: max(0, 48 - label.count))
                    + String(format: "%7.1f ms (%d hits)", times.sorted()[2] * 1000, found))
        }
        exit(0)
    }
    if profiling {
        let from = Instant(iso: arguments[5])!, to = Instant(iso: arguments[6])!
        var began = Date()
        let cases = try store.casesActive(from: from, to: to, unit: nil, asOf: to)
        print(String(format: "read and decode %d active cases: %.2f s", cases.count, Date().timeIntervalSince(began)))
        began = Date()
        _ = try MonthlyReportBuilder.build(
            period: "p", from: from, to: to, now: to, unit: nil, cases: cases,
            clocks: MonthlyReportBuilder.clocks(of: cases[...], asOf: to, context: context), earlier: { _ in nil },
            counts: .init(this: [:], previousMonth: [:], yearBefore: [:], series: []), context: context)
        print(String(format: "clocks and figures: %.2f s", Date().timeIntervalSince(began)))
        began = Date()
        let changed = try store.casesChanged(after: to, detectedFrom: from - 400 * 86_400, to: to)
        print(
            String(
                format: "the %d cases of the compared ranges changed since, folded from their events: %.2f s",
                changed.count,
                Date().timeIntervalSince(began)))
        exit(0)
    }

    if arguments.count > 5 && arguments[4] == "varied" {
        let total = Int(arguments[5]) ?? 1000
        // A year before first (the log in time order), so the report's year-before columns have figures.
        try Varied.generate(
            store: store, context: context, total: max(1, total / 10), from: Instant(iso: "2025-06-01T00:00:00+03:00")!,
            to: Instant(iso: "2025-12-01T00:00:00+03:00")!, seed: 25, year: 2025)
        try Varied.generate(
            store: store, context: context, total: total, from: Instant(iso: "2026-06-01T00:00:00+03:00")!,
            to: Instant(iso: "2026-12-01T00:00:00+03:00")!)
        print(String(format: "generated %@ varied cases in %.1f s", arguments[5], Date().timeIntervalSince(opened)))
        exit(0)
    }
    let units = ["roads", "housing", "transport", "education", "health"]
    let topics = ["дороги", "ЖКХ", "транспорт", "образование", "здравоохранение", "благоустройство"]
    let networks = ["vk", "ok", "tg", "fb", "ig"]
    let start = Instant(iso: "2023-12-01T00:00:00+03:00")!, end = Instant(iso: "2026-12-01T00:00:00+03:00")!
    var random = SeededRandom(seed: 2026)
    let began = Date()
    var batch: [(state: CaseState, events: [(WorkflowEvent, Instant)])] = []
    var perYear: [Int: Int] = [:]
    for n in 0..<total {
        let detected = try executor.add(
            Instant(seconds: Int64.random(in: start.seconds..<end.seconds, using: &random)), seconds: 0)
        guard detected < end else { continue }
        let year = try executor.localDate(of: detected).year
        perYear[year, default: 0] += 1
        let id = String(format: "%04d-%06d", year, perYear[year]!)
        var t = detected
        func step(_ minutes: Int64, _ calendar: WorkingCalendar = curator) throws -> Instant {
            t = try calendar.add(t, seconds: minutes * 60)
            return t
        }
        var state: CaseState? = nil
        var logged: [(WorkflowEvent, Instant)] = []
        func run(_ command: CaseCommand, at: Instant) throws {
            let events = try Workflow.decide(state, command, now: at, context: context)
            state = try Workflow.apply(events, to: state, id: id)
            logged += events.map { ($0, at) }
        }
        let importance: Importance = Int.random(in: 0..<10, using: &random) == 0 ? .high : .normal
        let network = networks.randomElement(using: &random)!
        try run(
            .register(
                .init(
                    network: network, url: "https://\(profile.hosts(of: network).first ?? "example.org")/\(n)",
                    author: "Автор \(n % 50_000)",
                    text: "Сообщение \(n)", detectedAt: detected, topics: [topics.randomElement(using: &random)!],
                    importance: importance,
                    allowOld: true)),
            at: detected)
        let outcome = Int.random(in: 0..<100, using: &random)
        if outcome < 3 {
            try run(
                .reject(reason: RejectionReason.allCases.randomElement(using: &random)!, comment: ""),
                at: try step(Int64.random(in: 5...40, using: &random)))
        } else {
            let unit = units.randomElement(using: &random)!
            try run(
                .route(executors: [unit], topics: [:], importance: nil),
                at: try step(Int64.random(in: 5...40, using: &random)))
            if outcome >= 5 {
                let slow = outcome >= 90
                try run(
                    .submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""),
                    at: try step(Int64.random(in: 30...(slow ? 600 : 200), using: &random), executor))
                if Int.random(in: 0..<6, using: &random) == 0 {
                    try run(
                        .returnDraft(
                            assignment: 1, reason: ReturnReason.allCases.randomElement(using: &random)!,
                            comment: "Доработать"),
                        at: try step(Int64.random(in: 5...45, using: &random)))
                    try run(
                        .submitDraft(assignment: 1, kind: .final, text: "Ответ 2", measures: ""),
                        at: try step(Int64.random(in: 20...90, using: &random), executor))
                }
                try run(.approveDraft(assignment: 1), at: try step(Int64.random(in: 5...45, using: &random)))
                try run(
                    .publish(
                        assignment: 1, url: "https://\(profile.hosts(of: network).first ?? "example.org")/r/\(n)",
                        account: "adm", at: nil),
                    at: try step(Int64.random(in: 5...45, using: &random)))
            }
        }
        batch.append((state!, logged))
        if batch.count == 20_000 {
            try store.insertGenerated(batch)
            batch.removeAll(keepingCapacity: true)
            print("\(n + 1) cases, \(Int(Date().timeIntervalSince(began))) s")
            fflush(nil)
        }
    }
    try store.insertGenerated(batch)
    print(String(format: "generated %d cases in %.0f s", total, Date().timeIntervalSince(began)))
} catch {
    FileHandle.standardError.write(Data("report-bench: \(error)\n".utf8))
    exit(1)
}
