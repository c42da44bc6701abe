import OtklikBase
import OtklikCore
@testable import OtklikStore
import Testing

/// A case is read from its binary projection; from its JSON where that is missing (a row written
/// before it existed) or of a newer form than this build reads; rebuilt from its events where neither
/// reads (where the report, which writes nothing, folds them as of its end instead).
@Suite struct ProjectionReadTests {
    @Test func aCaseReadsFromItsBinaryFormThenItsJSONThenItsEvents() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        var registered = WorkflowEvent(kind: .registered, at: 1_796_000_000)
        registered.network = "vk"
        registered.url = "https://vk.com/wall-1_9"
        registered.author = "Анна"
        registered.text = "Яма у школы"
        let stored = try store.registerCase(
            year: 2026, event: registered, actor: "cur", onBehalf: "", now: Instant(seconds: 1_796_000_100)
        ).state
        func change(_ assignments: String) throws {
            try store.write { connection throws(StoreError) in
                try connection.execute("UPDATE cases SET \(assignments) WHERE id = '\(stored.id)'")
            }
        }
        func column(_ name: String) throws -> String {
            try store.read { connection throws(StoreError) in
                var value = ""
                try connection.query("SELECT quote(\(name)) FROM cases WHERE id = ?", [.text(stored.id)]) {
                    value = $0.text(0)
                }
                return value
            }
        }
        // The JSON damaged, the binary form whole: the case reads from the binary form (no rebuild
        // from the log was needed, so the row is as it was).
        try change("state = '{broken'")
        #expect(try store.loadCase(stored.id) == stored)
        #expect(try store.casesToFire(atOrBefore: 1_796_000_000, limit: 5) == [stored])
        #expect(try store.listCases(status: nil, executor: nil, limit: 5) == [stored])
        #expect(try column("state") == "'{broken'")
        #expect(store.repairedProjections.current == 0)
        // Neither reads: rebuilt from the events, both forms written again.
        try change("state_bin = NULL")
        #expect(try store.loadCase(stored.id) == stored)
        #expect(try column("state") != "'{broken'" && column("state_bin") != "NULL")
        #expect(store.repairedProjections.current == 1)
        // No binary form (a row from before it), or one of a newer form: the JSON.
        try change("state_bin = NULL")
        #expect(try store.loadCase(stored.id) == stored)
        try change("state_bin = x'6301'")
        #expect(try store.loadCase(stored.id) == stored)
        #expect(try store.casesToFire(atOrBefore: 1_796_000_000, limit: 5) == [stored])
        #expect(store.repairedProjections.current == 1)
        // The report's read of a period's cases takes such a row too (folded from its events as the
        // report stood then), and writes nothing: not the newer build's row, nor a damaged one.
        let month = (from: Instant(seconds: 1_795_000_000), to: Instant(seconds: 1_797_000_000))
        #expect(try store.casesActive(from: month.from, to: month.to, unit: nil, asOf: month.to) == [stored])
        try change("state = '{broken'")
        #expect(try store.casesActive(from: month.from, to: month.to, unit: nil, asOf: month.to) == [stored])
        #expect(try column("state_bin") == "X'6301'" && column("state") == "'{broken'")
        #expect(store.repairedProjections.current == 1)
    }
}
