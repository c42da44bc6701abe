import Foundation
import OtklikCore
import Testing

/// The daemon tallies the report's cases in slices on every core and adds the slices' figures up
/// (`MonthlyReportBuilder.Part`): whatever the slicing, the report is the one a single pass makes.
@Suite struct ReportPartsTests {
    static let from = at("2026-12-01T00:00:00+03:00"), to = at("2027-01-01T00:00:00+03:00")
    static let end = at("2026-12-28T12:00:00+03:00")

    /// Cases driven through the workflow by a seeded random walk over December: routed to one or two
    /// units, drafts submitted, returned for a reason or approved and published, some rejected,
    /// withdrawn, rerouted or left open; late and on time. Refused steps are skipped.
    static func cases(_ count: Int, seed: UInt64) -> [CaseState] {
        var random = SeededRandom(seed: seed)
        let units = ["roads", "housing", "transport"]
        var cases: [CaseState] = []
        for n in 0..<count {
            let day = Int.random(in: 1...26, using: &random), hour = Int.random(in: 8...17, using: &random)
            let detected = String(format: "2026-12-%02dT%02d:00:00+03:00", day, hour)
            var c = CaseHarness(now: detected)
            guard (try? c.register(detected: detected)) != nil else { continue }
            func later(_ minutes: ClosedRange<Int64>) {
                c.now = Instant(
                    seconds: min(c.now.seconds + Int64.random(in: minutes, using: &random) * 60, end.seconds))
            }
            later(1...300)
            if n % 11 == 5 {
                _ = try? c.run(.reject(reason: RejectionReason.allCases[n % 4], comment: "p.20"))
                cases.append(c.state!)
                continue
            }
            let executors = n % 4 == 0 ? Array(units.shuffled(using: &random).prefix(2)) : [units[n % 3]]
            _ = try? c.run(.route(executors: executors, topics: [:], importance: n % 5 == 0 ? .high : nil))
            if n % 13 == 7 { _ = try? c.run(.withdraw(reason: "по ошибке")) }
            // Each assignment's drafts in order, stopping anywhere: an intermediate reply sometimes, a
            // reroute before any draft sometimes, returns for a reason, approval and publication.
            for assignment in 1...executors.count {
                var script: [CaseCommand] = []
                if n % 7 == 3 {
                    script.append(
                        .reroute(assignment: assignment, to: units[(n + 1) % 3], topics: [], reason: "не наш"))
                }
                if n % 3 == 1 {
                    script += [
                        .submitDraft(assignment: assignment, kind: .intermediate, text: "Проверяем", measures: "Выезд"),
                        .approveDraft(assignment: assignment),
                        .publish(assignment: assignment, url: "https://vk.com/wall-1_1?r=\(n)", account: "a", at: nil),
                    ]
                }
                script.append(.submitDraft(assignment: assignment, kind: .final, text: "Ответ", measures: "Сделано"))
                if n % 5 == 2 {
                    let reason = ReturnReason.allCases[n % ReturnReason.allCases.count]
                    script += [
                        .returnDraft(assignment: assignment, reason: reason, comment: "Доработать"),
                        .submitDraft(assignment: assignment, kind: .final, text: "Ответ 2", measures: "Сделано"),
                    ]
                }
                script += [
                    .approveDraft(assignment: assignment),
                    .publish(assignment: assignment, url: "https://vk.com/wall-1_1?f=\(n)", account: "a", at: nil),
                ]
                for command in script {
                    guard Int.random(in: 0..<8, using: &random) > 0 else { break }
                    later(5...1_500)
                    _ = try? c.run(command)
                }
            }
            cases.append(c.state!)
        }
        return cases
    }

    static func part(_ cases: some Sequence<CaseState>) throws -> MonthlyReportBuilder.Part {
        var part = MonthlyReportBuilder.Part(from: from, to: to, now: end, unit: nil, context: context)
        for state in cases { try part.tally(state, earlier: { _ in nil }) }
        return part
    }

    static let counts = MonthlyReportBuilder.Counts(this: [:], previousMonth: [:], yearBefore: [:], series: [])

    @Test func slicesAddUpToOnePass() throws {
        let cases = Self.cases(160, seed: 22)
        let whole = MonthlyReportBuilder.build(period: "2026-12", part: try Self.part(cases), counts: Self.counts)
        // The walk reaches every kind of figure the sum must carry.
        let lines = whole.timeliness.clocks
        #expect(lines.contains { $0.onTime > 0 } && lines.contains { $0.late > 0 })
        #expect(lines.contains { $0.openOverdue > 0 } && lines.contains { $0.open > 0 })
        #expect(lines.contains { $0.medianLateMinutes != nil })
        #expect(whole.quality.draftsSubmitted > 0 && !whole.quality.returnsByReason.isEmpty)
        #expect(whole.quality.repliesWithAttachments.of > 0 && whole.timeliness.firstReplies > 0)
        #expect(Set(lines.map(\.party)).count >= 3)
        // As one pass over the cases and their clocks (the builder's other entry).
        let clocks = MonthlyReportBuilder.clocks(of: cases[...], asOf: Self.end, context: context)
        let direct = try MonthlyReportBuilder.build(
            period: "2026-12", from: Self.from, to: Self.to, now: Self.end, unit: nil, cases: cases, clocks: clocks,
            earlier: { _ in nil }, counts: Self.counts, context: context)
        #expect(direct == whole)
        // Three slices, added in reverse order; every case alone.
        let thirds = try [0..<50, 50..<111, 111..<160].map { try Self.part(cases[$0]) }
        let sliced = thirds.reversed().dropFirst().reduce(thirds.last!) { $0.adding($1) }
        #expect(MonthlyReportBuilder.build(period: "2026-12", part: sliced, counts: Self.counts) == whole)
        let single = try cases.map { try Self.part([$0]) }.reduce(try Self.part([])) { $0.adding($1) }
        #expect(MonthlyReportBuilder.build(period: "2026-12", part: single, counts: Self.counts) == whole)
    }

    /// Every field of the quality section is added: a field left out of `Quality.add` keeps one
    /// part's value, and its figure would count only the first slice's cases.
    @Test func everyQualityFigureIsAdded() throws {
        // A quality section as the report writes it (every field present), each number set to 1 and each
        // empty map given one entry (a count or a share, whichever decodes), so that one plus one is 2
        // in every place.
        let written = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.report().quality))
        func ones(_ value: Any) -> Any {
            switch value {
            case let map as [String: Any]: map.mapValues(ones)
            case is NSNumber: 1
            default: value
            }
        }
        guard var template = ones(written) as? [String: Any] else { throw CocoaError(.coderInvalidValue) }
        for (key, value) in template {
            guard let map = value as? [String: Any], map.isEmpty else { continue }
            template[key] = ["x": 1]
            if (try? JSONDecoder().decode(
                MonthlyReport.Quality.self, from: JSONSerialization.data(withJSONObject: template))) == nil
            {
                template[key] = ["x": ["count": 1, "of": 1]]
            }
        }
        let one = try JSONDecoder().decode(
            MonthlyReport.Quality.self, from: JSONSerialization.data(withJSONObject: template))
        var two = one
        two.add(one)
        func numbers(_ value: Any, _ path: String, _ found: inout [String: Int]) {
            switch value {
            case let map as [String: Any]: for (key, inner) in map { numbers(inner, path + "." + key, &found) }
            case let number as NSNumber: found[path] = number.intValue
            default: break
            }
        }
        var sums: [String: Int] = [:]
        numbers(try JSONSerialization.jsonObject(with: JSONEncoder().encode(two)), "quality", &sums)
        #expect(sums.count >= 20)
        for (path, sum) in sums { #expect(sum == 2, "\(path) is not added in Quality.add") }
    }

    static func report() throws -> MonthlyReport {
        MonthlyReportBuilder.build(period: "2026-12", part: try part(cases(40, seed: 7)), counts: counts)
    }
}
