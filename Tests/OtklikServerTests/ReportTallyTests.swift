import Foundation
import OtklikCore
@testable import OtklikServer
import Testing

/// `ReportService.tally` gives each core a slice of the period's active cases and adds the slices' parts
/// up: with slices of one case the report is the one a single slice gives.
@Suite struct ReportTallyTests {
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/OtklikServer/Resources")

    @Test func slicesOnEveryCoreGiveTheReportOfOneSlice() throws {
        let production = ProductionCalendar(
            years: try ProductionCalendarFile.decode(
                Data(contentsOf: Self.resources.appendingPathComponent("production-calendar-ru.json"))))
        let context = try WorkflowContext(
            profile: try RegulationProfile.decode(
                Data(contentsOf: Self.resources.appendingPathComponent("profile-borovichi-34-rg.json"))),
            calendars: [
                "curator": try WorkingCalendar(schedule: Schedule(name: "curator"), calendar: production),
                "executor": try WorkingCalendar(schedule: Schedule(name: "executor"), calendar: production),
            ])
        let from = Instant(iso: "2026-12-01T00:00:00+03:00")!, to = Instant(iso: "2027-01-01T00:00:00+03:00")!
        let end = Instant(iso: "2026-12-20T12:00:00+03:00")!
        // Forty cases a few hours apart: routed, some answered on time, some late, some left open.
        var cases: [CaseState] = []
        for n in 0..<40 {
            var now = from + Int64(n) * 5 * 3_600 + 9 * 3_600
            var state: CaseState?
            var steps: [CaseCommand] = [
                .register(
                    .init(
                        network: "vk", url: "https://vk.com/wall-1_\(n)", author: "Житель \(n)", text: "Яма \(n)",
                        detectedAt: now, topics: ["транспорт"])),
                .route(executors: [n % 3 == 0 ? "roads" : "housing"], topics: [:], importance: nil),
            ]
            if n % 4 != 3 {
                steps += [
                    .submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: "Сделано"),
                    .approveDraft(assignment: 1),
                ]
            }
            for (position, command) in steps.enumerated() {
                let events = try Workflow.decide(state, command, now: now, context: context)
                state = try Workflow.apply(events, to: state, id: "2026-\(String(format: "%06d", n + 1))")
                // Each step half an hour after the last, or a day and a half for every fifth case's draft.
                now = now + (position == 1 && n % 5 == 0 ? 36 * 3_600 : 1_800)
            }
            cases.append(try #require(state))
        }
        func report(minimumSlice: Int) throws -> MonthlyReport {
            let part = try ReportService.tally(
                cases, minimumSlice: minimumSlice,
                newPart: { .init(from: from, to: to, now: end, unit: nil, context: context) }, earlier: { _ in nil })
            return MonthlyReportBuilder.build(
                period: "2026-12", part: part,
                counts: .init(this: [:], previousMonth: [:], yearBefore: [:], series: []))
        }
        let one = try report(minimumSlice: 1_000)
        #expect(one.timeliness.clocks.contains { $0.onTime > 0 } && one.timeliness.clocks.contains { $0.late > 0 })
        #expect(one.quality.draftsSubmitted == 30)
        #expect(try report(minimumSlice: 1) == one)
    }
}
