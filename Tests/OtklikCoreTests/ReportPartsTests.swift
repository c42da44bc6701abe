import Foundation
import OtklikCore
import Testing

/// The daemon tallies the report's cases in slices on every core and adds the slices' figures up
/// (`MonthlyReportBuilder.Part`): whatever the slicing, the report is the one a single pass makes.
@Suite struct ReportPartsTests {
    static let from = at("2026-12-01T00:00:00+03:00"), to = at("2027-01-01T00:00:00+03:00")
    static let end = at("2026-12-28T12:00:00+03:00")
    /// The message of last year some cases repeat (`part`'s `earlier` gives it).
    static let earlier = "2025-000777"

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
                cases.append(Self.numbered(c.state!, n))
                continue
            }
            let executors = n % 4 == 0 ? Array(units.shuffled(using: &random).prefix(2)) : [units[n % 3]]
            _ = try? c.run(.route(executors: executors, topics: [:], importance: n % 5 == 0 ? .high : nil))
            if n % 13 == 7 { _ = try? c.run(.withdraw(reason: "по ошибке")) }
            // Incidents of several cases each, across any slicing; repeats of a message of last year.
            if n % 5 == 3 { _ = try? c.run(.joinIncident(1 + n % 4)) }
            if n % 9 == 4 { _ = try? c.run(.linkRepeat(of: Self.earlier)) }
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
            cases.append(Self.numbered(c.state!, n))
        }
        return cases
    }

    /// The case under a number of its own (the harness numbers every case 2026-000001).
    static func numbered(_ state: CaseState, _ n: Int) -> CaseState {
        var state = state
        state.id = String(format: "2026-%06d", n + 1)
        return state
    }

    /// The cases' figures as of `end`, for `unit` or the whole district. Every 17th case (by its place
    /// in `cases`) has clocks that could not be computed; `first` stands for the message repeated.
    static func part(_ cases: some Sequence<(Int, CaseState)>, first: CaseState?, unit: String? = nil) throws
        -> MonthlyReportBuilder.Part
    {
        var part = MonthlyReportBuilder.Part(from: from, to: to, now: end, unit: unit, context: context)
        for (index, state) in cases {
            let clocks = index % 17 == 0 ? nil : try? CaseClocks.read(state, now: end, context: context)
            try part.tally(state, clocks, earlier: { $0 == Self.earlier ? first : nil })
        }
        return part
    }

    static let counts = MonthlyReportBuilder.Counts(this: [:], previousMonth: [:], yearBefore: [:], series: [])

    @Test func slicesAddUpToOnePass() throws {
        let cases = Array(Self.cases(160, seed: 22).enumerated())
        for unit in [nil, "roads"] {
            func report(_ part: MonthlyReportBuilder.Part) -> MonthlyReport {
                MonthlyReportBuilder.build(period: "2026-12", part: part, counts: Self.counts)
            }
            func part(_ slice: ArraySlice<(offset: Int, element: CaseState)>) throws -> MonthlyReportBuilder.Part {
                try Self.part(slice.map { ($0.offset, $0.element) }, first: cases[0].element, unit: unit)
            }
            let whole = report(try part(cases[...]))
            // The walk reaches every kind of figure the sum must carry.
            let lines = whole.timeliness.clocks
            #expect(lines.contains { $0.onTime > 0 } && lines.contains { $0.late > 0 })
            #expect(lines.contains { $0.openOverdue > 0 } && lines.contains { $0.open > 0 })
            #expect(lines.contains { $0.medianLateMinutes != nil })
            #expect(whole.quality.draftsSubmitted > 0 && !whole.quality.returnsByReason.isEmpty)
            #expect(whole.quality.repliesWithAttachments.of > 0 && whole.timeliness.firstReplies > 0)
            #expect(whole.quality.incidents > 1 && whole.quality.incidentCases > whole.quality.incidents)
            #expect(whole.quality.repeats > 0 && whole.clocksNotComputed?.isEmpty == false)
            #expect(Set(lines.map(\.party)).count >= (unit == nil ? 3 : 2))
            if unit == nil {
                // As one pass over the cases and their clocks (the builder's other entry).
                let states = cases.map(\.element)
                var clocks = MonthlyReportBuilder.clocks(of: states[...], asOf: Self.end, context: context)
                for index in clocks.indices where index % 17 == 0 { clocks[index] = nil }
                let direct = try MonthlyReportBuilder.build(
                    period: "2026-12", from: Self.from, to: Self.to, now: Self.end, unit: nil, cases: states,
                    clocks: clocks, earlier: { $0 == Self.earlier ? states[0] : nil }, counts: Self.counts,
                    context: context)
                #expect(direct == whole)
            }
            // Three slices, added in reverse order; every case alone.
            let n = cases.count
            let thirds = try [0..<n / 3, n / 3..<n * 2 / 3, n * 2 / 3..<n].map { try part(cases[$0]) }
            let sliced = thirds.reversed().dropFirst().reduce(thirds.last!) { $0.adding($1) }
            #expect(report(sliced) == whole)
            let single = try cases.indices.map { try part(cases[$0...$0]) }.reduce(try part([])) { $0.adding($1) }
            #expect(report(single) == whole)
        }
    }

    /// Every field of the quality section is added: a field left out of `Quality.add` keeps one
    /// part's value, and its figure would count only the first slice's cases.
    @Test func everyQualityFigureIsAdded() throws {
        // A quality section as the report writes it (every field present), each number set to 1 and each
        // empty map given one entry (a count or a share, whichever decodes), so that one plus one is 2
        // in every place.
        let quality = try Self.report().quality
        let written = try JSONSerialization.jsonObject(with: JSONEncoder().encode(quality))
        // Every field is in the JSON (an optional one that is nil would be left out, and so never tested:
        // give it a value in the walk), and none is a list (this test adds up numbers only: extend it).
        #expect((written as? [String: Any])?.count == Mirror(reflecting: quality).children.count)
        func ones(_ value: Any) -> Any {
            switch value {
            case let map as [String: Any]: return map.mapValues(ones)
            case is NSNumber: return 1
            case is [Any]:
                Issue.record("a list in the quality section: teach this test to add it up")
                return value
            default: return value
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
        let cases = Self.cases(40, seed: 7)
        return MonthlyReportBuilder.build(
            period: "2026-12", part: try part(cases.enumerated().map { ($0, $1) }, first: cases.first), counts: counts)
    }
}
