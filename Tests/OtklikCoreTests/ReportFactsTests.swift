import Foundation
@testable import OtklikCore
import Testing

/// A case's report facts (what the roll-up tallies clause 22 from) as `Events/Export` writes them: the
/// hand-written JSON says exactly what the `Encodable` form says, at every step of a case that takes a
/// return, a clarification's pause, two units and a topic whose text needs escaping.
@Suite struct ReportFactsTests {
    /// Both documents parsed and written again with sorted keys: the same objects, keys and values, a
    /// boolean never an integer (key order and spacing aside).
    private func expectSameDocument(_ facts: ReportFacts) throws {
        func canonical(_ data: Data) throws -> String {
            let object = try JSONSerialization.jsonObject(with: data)
            return String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let written = try canonical(Data(facts.json.utf8))
        #expect(written == (try canonical(JSONEncoder().encode(facts))))
        #expect(written.contains("\"withdrawn\":false"), "\(written)")
    }

    @Test func theWrittenFactsAreTheEncodableFactsAtEveryStep() throws {
        var c = CaseHarness(now: "2026-05-14T09:10:00+03:00")
        let odd = "дороги \"Ленина\" \\ 5"
        try c.register(detected: "2026-05-14T09:00:00+03:00", topics: [odd])
        try expectSameDocument(ReportFacts(c.state!, at: c.now, context: context))
        try c.run(.route(executors: ["roads", "housing"], topics: [:], importance: nil))
        try c.run(.submitDraft(assignment: 1, kind: .final, text: "Ответ", measures: ""))
        try c.run(.returnDraft(assignment: 1, reason: .formal, comment: "Доработать"))
        try c.run(.submitDraft(assignment: 1, kind: .clarification, text: "Уточните адрес дома", measures: ""))
        try c.run(.approveDraft(assignment: 1))
        c.set("2026-05-14T12:00:00+03:00")
        try c.run(.publish(assignment: 1, url: "https://vk.com/wall-1_1?reply=1", account: "adm", at: nil))
        let paused = ReportFacts(c.state!, at: c.now, context: context)
        try expectSameDocument(paused)
        #expect(paused.clocks?.contains { $0.clock == "reply" && $0.paused && $0.party == "roads" } == true)
        #expect(paused.keys["topics"] == [odd])
        #expect(paused.assignments.first?.drafts.first?.reason == "formal")
        c.set("2026-05-15T10:00:00+03:00")
        try c.run(.authorAnswered(assignment: 1, at: c.now, text: "Ленина, 5"))
        try c.run(.reject(reason: .threat, comment: ""))
        let rejected = ReportFacts(c.state!, at: c.now, context: context)
        try expectSameDocument(rejected)
        #expect(rejected.closed == c.now.seconds)
        #expect(rejected.keys["rejection_reason"] == ["threat"])
        #expect(rejected.keys["executors"] == ["roads", "housing"])
    }

    /// The facts' writer spells numbers as Swift does, at both ends of Int64.
    @Test func numbersAreWrittenAsTheirDigits() {
        var random = SeededRandom(seed: 7)
        let values: [Int64] =
            [0, 9, 10, -1, -10, .min, .max] + (0..<200).map { _ in Int64.random(in: .min ... .max, using: &random) }
        for value in values {
            var w = JSONObjectWriter()
            w.open()
            w.integer("n", value)
            w.close()
            #expect(w.text == "{\"n\":\(value)}")
        }
    }
}
