import Foundation
import OtklikCore
import Testing

let profile: RegulationProfile = {
    let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/OtklikServer/Resources/profile-borovichi-34-rg.json")
    return try! RegulationProfile.decode(Data(contentsOf: path))
}()

let context: WorkflowContext = try! WorkflowContext(
    profile: profile,
    calendars: [
        "curator": try! WorkingCalendar(schedule: Schedule(name: "curator"), calendar: shippedCalendar),
        "executor": moscow,
    ])

/// Drives one case through the pure workflow with a clock the test moves.
struct CaseHarness {
    var state: CaseState?
    var now: Instant
    var events: [WorkflowEvent] = []

    init(now: String) {
        self.now = at(now)
    }

    mutating func set(_ time: String) { now = at(time) }

    @discardableResult
    mutating func run(_ command: CaseCommand, by logins: Set<String> = []) throws(WorkflowError) -> [WorkflowEvent] {
        let new = try Workflow.decide(state, command, now: now, context: context, by: logins)
        state = try Workflow.apply(new, to: state, id: "2026-000001")
        events += new
        // Every state the workflow reaches survives the binary projection unchanged.
        #expect(CaseState(binary: state!.binary()) == state)
        return new
    }

    mutating func register(detected: String, importance: Importance = .normal, topics: [String] = ["дороги"])
        throws(WorkflowError)
    {
        try run(
            .register(
                .init(
                    network: "vk", url: "https://vk.com/wall-1_1", author: "Иван Петров", text: "Яма на дороге",
                    detectedAt: at(detected), topics: topics, importance: importance)))
    }

    func clocks() throws(WorkflowError) -> CaseClocks { try CaseClocks.read(state!, now: now, context: context) }

    func clock(_ kind: ClockKind, assignment: Int = 1) throws -> ClockReading {
        let clocks = try clocks()
        if kind == .route { return try #require(clocks.route) }
        return try #require(clocks.assignments[assignment]?[kind])
    }

    func due(_ kind: ClockKind, assignment: Int = 1) throws -> String {
        show(try clock(kind, assignment: assignment).due)
    }
}

func expectRefused(
    _ code: WorkflowError.Code, _ message: String? = nil, _ body: () throws(WorkflowError) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        try body()
        Issue.record("the workflow accepted it", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, sourceLocation: sourceLocation)
        if let message { #expect(error.message == message, sourceLocation: sourceLocation) }
    }
}
