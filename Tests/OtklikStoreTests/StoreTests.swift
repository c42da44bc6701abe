import CSQLite
import Foundation
import OtklikTestSupport
import OtklikCore
@testable import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

func freshDirectory() -> String {
    Scratch.directory("store")
}

@Suite struct StoreTests {
    @Test func aNewDatabaseIsMigratedAndRecordsItsMigrations() throws {
        let directory = freshDirectory()
        let store = try Store(directory: directory)
        defer { store.close() }
        #expect(store.schemaVersion == Migrations.latestVersion)
        let applied = try store.read { connection throws(StoreError) in
            var rows: [String] = []
            try connection.query("SELECT version, name FROM schema_migrations ORDER BY version") { row in
                rows.append("\(row.integer(0)) \(row.text(1))")
            }
            return rows
        }
        #expect(applied == Migrations.all.map { "\($0.version) \($0.name)" })
    }

    @Test func pragmasAreWALFullSyncAndForeignKeys() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        var journal = ""
        var synchronous: Int64 = 0
        var foreignKeys: Int64 = 0
        try store.write { connection throws(StoreError) in
            try connection.query("PRAGMA journal_mode") { row in journal = row.text(0) }
            synchronous = try connection.scalar("PRAGMA synchronous")
            foreignKeys = try connection.scalar("PRAGMA foreign_keys")
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(foreignKeys == 1)
        // A write's journal up to 16 MiB stays in memory (not a file made and removed at each commit).
        #expect(Connection.journalInMemory == SQLITE_OK)
    }

    /// A kind this build does not know (a newer version wrote it) reads back as written, never as one of ours.
    @Test func aKindFromANewerVersionReadsBackAsUnknown() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        try store.append([
            Event(time: 1_796_000_000, actor: "system", logged: .unknown("case.escalated"), subject: "2026-000001"),
            Event(time: 1_796_000_000, actor: "system", kind: .registered, subject: "2026-000002"),
        ])
        let kinds = try store.events().map(\.kind)
        #expect(kinds == [.unknown("case.escalated"), .known(.registered)])
        #expect(kinds.map(\.known) == [nil, .registered])
        #expect(LoggedKind("case.registered") == .known(.registered))
    }

    @Test func appendedEventsSurviveReopeningInOrder() throws {
        let directory = freshDirectory()
        let time = Instant(seconds: 1_764_400_000)
        do {
            let store = try Store(directory: directory)
            let stored = try store.append([
                Event(time: time, actor: "ivanova", kind: .registered, subject: "2026-000001", payload: [1, 2]),
                Event(time: time, actor: "system", kind: .clockBreached, subject: "2026-000001/1"),
            ])
            #expect(stored.map(\.id) == [1, 2])
            #expect(store.eventCount == 2)
            store.close()
        }
        let store = try Store(directory: directory)
        defer { store.close() }
        #expect(store.eventCount == 2)
        let events = try store.events()
        #expect(events.map(\.kind) == [.known(.registered), .known(.clockBreached)])
        #expect(events[0].payload == [1, 2])
        #expect(events[0].actor == "ivanova")
        #expect(events.map(\.time) == [time, time])
        #expect(try store.events(after: 1).map(\.id) == [2])
        #expect(try store.count(kind: .clockBreached) == 1)
    }

    /// The log's time column keeps its text form (ISO 8601 UTC with milliseconds, ordered as text); a row an
    /// older version wrote with a fraction of a second reads back as its whole second.
    @Test func anEventsTimeIsStoredAsTextAndReadBackAsAnInstant() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        try store.append([Event(time: 1_764_400_000, actor: "a", logged: .unknown("k"))])
        try store.write { connection throws(StoreError) in
            try connection.execute(
                "INSERT INTO events (time, actor, kind, subject, payload) VALUES ('2025-11-29T07:06:41.987Z', 'a', 'k', '', x'')"
            )
        }
        let texts = try store.read { connection throws(StoreError) in
            var texts: [String] = []
            try connection.query("SELECT time FROM events ORDER BY id") { texts.append($0.text(0)) }
            return texts
        }
        #expect(texts == ["2025-11-29T07:06:40.000Z", "2025-11-29T07:06:41.987Z"])
        #expect(try store.events().map(\.time) == [1_764_400_000, 1_764_400_001])
        #expect(try store.newestEventTime() == 1_764_400_001)
    }

    @Test func eventsAreAppendOnly() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        try store.append([Event(time: 1_796_000_000, actor: "a", logged: .unknown("k"))])
        #expect(throws: StoreError.self) {
            try store.write { connection throws(StoreError) in try connection.execute("UPDATE events SET actor = 'b'") }
        }
        #expect(throws: StoreError.self) {
            try store.write { connection throws(StoreError) in try connection.execute("DELETE FROM events") }
        }
        #expect(try store.events().map(\.actor) == ["a"])
    }

    @Test func aFailedWriteChangesNothing() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        #expect(throws: StoreError.self) {
            try store.write { connection throws(StoreError) in
                try connection.execute(
                    "INSERT INTO events (time, actor, kind, subject, payload) VALUES ('t', 'a', 'k', '', x'')")
                try connection.execute("INSERT INTO no_such_table VALUES (1)")
            }
        }
        #expect(try store.events().isEmpty)
    }

    @Test func aFileThatIsNotADatabaseIsRefusedWithAClearMessage() throws {
        let directory = freshDirectory()
        let path = directory + "/" + Store.fileName
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Store(directory: directory)
            Issue.record("opened a garbage file")
        } catch {
            guard case .corrupt(let reported, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reported == path)
            #expect(error.description.contains("otklikd recover"))
            #expect(error.description.contains("Nothing was changed"))
        }
    }

    @Test func aDatabaseFromANewerBuildIsRefused() throws {
        let directory = freshDirectory()
        do {
            let store = try Store(directory: directory)
            try store.write { connection throws(StoreError) in
                try connection.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
            }
            store.close()
        }
        #expect(throws: StoreError.newerSchema(found: 999, known: Migrations.latestVersion)) {
            try Store(directory: directory)
        }
    }

    /// Issue 31: migration 19 indexes the replies a database already published, so a draft copying one
    /// is found (a reply still in review is not indexed), and migration 20 each unit's drafting times.
    @Test func aDatabaseOfSchemaEighteenGetsItsPublishedRepliesIndexed() throws {
        let directory = freshDirectory()
        let reply = "Уважаемая Мария! Трубу во дворе дома 5 заменили 2 декабря."
        do {
            let store = try Store(directory: directory)
            var steps: [WorkflowEvent] = []
            for n in 1...2 {
                var registered = WorkflowEvent(kind: .registered, at: 1_796_000_000)
                registered.network = "vk"
                registered.url = "https://vk.com/wall-1_\(n)"
                registered.author = "Мария"
                registered.text = "Во дворе дома 5 прорвало трубу"
                let (state, _) = try store.registerCase(
                    year: 2026, event: registered, actor: "cur", onBehalf: "", now: Instant(seconds: 1_796_000_100))
                var routed = WorkflowEvent(kind: .routed, at: 1_796_000_200)
                routed.assignments = [.init(index: 1, executor: "housing", topics: ["ЖКХ"])]
                var submitted = WorkflowEvent(kind: .draftSubmitted, at: 1_796_000_300, assignment: 1)
                submitted.draftKind = .final
                submitted.text = reply
                steps = [routed, submitted]
                if n == 1 {
                    var published = WorkflowEvent(kind: .replyPublished, at: 1_796_000_500, assignment: 1)
                    published.url = "https://vk.com/wall-1_1?reply=2"
                    steps += [WorkflowEvent(kind: .draftApproved, at: 1_796_000_400, assignment: 1), published]
                }
                _ = try store.commit(
                    caseID: state.id, expectedVersion: state.version, events: steps, actor: "cur", onBehalf: "",
                    now: Instant(seconds: 1_796_000_600))
            }
            #expect(try store.publishedCopy(of: reply, excluding: ["2026-000009"]) == "2026-000001")
            try store.write { connection throws(StoreError) in
                try connection.execute(
                    "DROP TABLE reply_texts; DROP TABLE draft_pace; DROP INDEX cases_incident; ALTER TABLE cases DROP COLUMN incident;"
                        + " DROP TABLE incidents; DROP INDEX cases_detected_id; CREATE INDEX cases_detected ON cases (detected_at);"
                        + " DELETE FROM schema_migrations WHERE version >= 19;")
            }
            store.close()
        }
        let store = try Store(directory: directory)
        defer { store.close() }
        #expect(store.schemaVersion == Migrations.latestVersion)
        #expect(
            try store.publishedCopy(
                of: "Добрый день! Трубу во дворе дома 5 заменили 2 декабря.", excluding: ["2026-000002"])
                == "2026-000001"
        )
        #expect(try store.publishedCopy(of: reply, excluding: ["2026-000001"]) == nil)
        // Migration 20: each assignment's start and first draft, for its unit's pace.
        let pace = try store.draftPace(of: "housing")
        #expect(pace.map(\.drafted.seconds) == [1_796_000_300, 1_796_000_300])
        #expect(pace.map(\.started.seconds) == [1_796_000_200, 1_796_000_200])
    }

    @Test func aDatabaseOfSchemaEightGetsItsURLKeysLastChangesAuthorsAndTextIndex() throws {
        let directory = freshDirectory()
        var registered = WorkflowEvent(kind: .registered, at: 1_796_000_000)
        registered.network = "vk"
        registered.url = "https://m.vk.com/wall-1_7/"
        registered.author = "Мария  ИВАНОВА"
        registered.text = "Во дворе дома 5 прорвало трубу отопления"
        registered.topics = ["ЖКХ", "отопление"]
        do {
            let store = try Store(directory: directory)
            _ = try store.registerCase(
                year: 2026, event: registered, actor: "cur", onBehalf: "",
                now: Instant(seconds: 1_796_000_100))
            // Back to schema 8: without the columns, as a database written before them.
            try store.write { connection throws(StoreError) in
                try connection.execute(
                    """
                    DROP INDEX cases_url_key; DROP INDEX cases_report_asof;
                    CREATE INDEX cases_report ON cases (detected_at, network, importance, topics, executors, rejection_reason);
                    ALTER TABLE cases DROP COLUMN url_key; ALTER TABLE cases DROP COLUMN changed_at;
                    DROP INDEX cases_author; ALTER TABLE cases DROP COLUMN author_key; DROP TABLE case_text;
                    DROP INDEX cases_next_due; DROP INDEX cases_next_fire; DROP TABLE settings; DROP TABLE case_word_keys;
                    DROP TABLE attachments; DROP TABLE attachment_refs; DROP TABLE attachment_uploaders;
                    DROP TABLE case_topics;
                    ALTER TABLE assignments DROP COLUMN responsible;
                    DROP INDEX assignments_publishing; ALTER TABLE assignments DROP COLUMN publish_via;
                    DROP INDEX assignments_publish_failed; ALTER TABLE assignments DROP COLUMN publish_failed;
                    ALTER TABLE cases DROP COLUMN next_due; ALTER TABLE cases DROP COLUMN next_fire;
                    DROP TABLE reply_texts; DROP TABLE draft_pace;
                    DROP INDEX cases_incident; ALTER TABLE cases DROP COLUMN incident; DROP TABLE incidents;
                    DROP INDEX cases_detected_id; CREATE INDEX cases_detected ON cases (detected_at);
                    DELETE FROM schema_migrations WHERE version >= 9;
                    """)
            }
            store.close()
        }
        let store = try Store(directory: directory)
        defer { store.close() }
        #expect(store.schemaVersion == Migrations.latestVersion)
        #expect(try store.findCase(network: "vk", externalID: nil, url: "https://vk.com/wall-1_7")?.id == "2026-000001")
        let changed = try store.read { connection throws(StoreError) in
            try connection.scalar("SELECT changed_at FROM cases")
        }
        #expect(changed == 1_796_000_100)
        // Migration 10: the author as the repeat hint compares it, and the text in the trigram index.
        let author = try store.read { connection throws(StoreError) -> String in
            var key = ""
            try connection.query("SELECT author_key FROM cases") { key = $0.text(0) }
            return key
        }
        #expect(author == "мария иванова")
        let hits = try store.searchCases(SearchQuery("трубу отопления"), author: nil, from: nil, to: nil, limit: 5)
        #expect(hits.map(\.id) == ["2026-000001"])
        #expect(hits.first.map { $0.snippet.marked } == "Во дворе дома 5 прорвало [трубу] [отопления]")
        // Migration 13: the text's significant words as the hints' word keys.
        let words = try store.read { connection throws(StoreError) -> [String] in
            var words: [String] = []
            try connection.query("SELECT word FROM case_word_keys WHERE key = 2026000001 ORDER BY word") {
                words.append($0.text(0))
            }
            return words
        }
        #expect(words == ["дворе", "дома", "отопления", "прорвало", "трубу"])
        // Migration 15: each topic of the case in the topic index, at its detection time.
        let topics = try store.read { connection throws(StoreError) -> [String] in
            var rows: [String] = []
            try connection.query("SELECT topic, detected_at, case_id FROM case_topics ORDER BY topic") {
                rows.append("\($0.text(0)) \($0.integer(1)) \($0.text(2))")
            }
            return rows
        }
        #expect(topics == ["ЖКХ 1796000000 2026-000001", "отопление 1796000000 2026-000001"])
        #expect(try store.topics(detectedSince: Instant(seconds: 1_795_000_000)) == ["ЖКХ", "отопление"])
        #expect(try store.topics(detectedSince: Instant(seconds: 1_796_000_001)).isEmpty)
    }

    /// `--version` says the schema a fresh database gets.
    @Test func theVersionNamesTheSchemaTheStoreWrites() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        #expect(store.schemaVersion == OtklikVersion.schema)
    }

    /// `case list`'s filters read through indexes: network, importance and topic off the report
    /// index's entries in detection order (a date range bounds the walk), the author by its own index
    /// in every network, the due order by the clock index; never the table in full, never a full sort.
    @Test func theCaseListsFiltersReadThroughIndexes() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        func plan(_ filters: Store.ListFilters, status: String? = nil) throws -> String {
            let (sql, values) = Store.listQuery(
                status: status, executor: nil, limit: 51, after: nil, dueBefore: nil, filters: filters)
            return try store.read { connection throws(StoreError) -> String in
                var lines: [String] = []
                try connection.query("EXPLAIN QUERY PLAN " + sql, values) { lines.append($0.text(3)) }
                return lines.joined(separator: "; ")
            }
        }
        var author = Store.ListFilters(authorKey: "анна соколова")
        author.networks = ["vk", "ok", "tg"]
        let expected: [(Store.ListFilters, String)] = [
            (Store.ListFilters(network: "vk"), "SCAN c USING INDEX cases_report_asof"),
            (Store.ListFilters(topic: "дороги"), "SEARCH t USING PRIMARY KEY (topic=?)"),
            (
                Store.ListFilters(topic: "дороги", from: 1_796_000_000, to: 1_797_000_000),
                "SEARCH t USING PRIMARY KEY (topic=? AND detected_at>? AND detected_at<?)"
            ),
            (
                Store.ListFilters(importance: "high", from: 1_796_000_000, to: 1_797_000_000),
                "SEARCH c USING INDEX cases_report_asof (detected_at>? AND detected_at<?)"
            ),
            (author, "SEARCH c USING INDEX cases_author (network=? AND author_key=?)"),
            (Store.ListFilters(network: "vk", byDue: true), "SEARCH c USING INDEX cases_next_due (next_due>?)"),
        ]
        for (filters, index) in expected {
            let text = try plan(filters)
            #expect(text.contains(index), "\(filters): \(text)")
            #expect(!text.contains("USE TEMP B-TREE FOR ORDER BY") || filters.authorKey != nil, "\(text)")
        }
        // The topics named on an unknown one: a seek per topic, never a scan of the index.
        let topics = try store.read { connection throws(StoreError) -> String in
            var lines: [String] = []
            try connection.query("EXPLAIN QUERY PLAN " + Store.topicsQuery(), [.integer(1)]) {
                lines.append($0.text(3))
            }
            return lines.joined(separator: "; ")
        }
        #expect(topics.contains("SEARCH case_topics USING PRIMARY KEY (topic>?)"), "\(topics)")
        #expect(topics.contains("SEARCH t USING PRIMARY KEY (topic=? AND detected_at>?)"), "\(topics)")
        #expect(!topics.contains("SCAN case_topics") && !topics.contains("SCAN t"), "\(topics)")
        // A topic's cases are each fetched by id after the seek, never scanned.
        let topic = try plan(Store.ListFilters(network: "vk", topic: "дороги"))
        #expect(
            topic.contains("SEARCH c USING INDEX sqlite_autoindex_cases_1 (id=?)") && !topic.contains("SCAN"),
            "\(topic)")
        // An open state keeps its own index (the day's work); a closed one walks the topic's rows.
        #expect(
            try plan(Store.ListFilters(topic: "дороги"), status: "routed").contains("INDEX cases_status (status=?)"))
        #expect(try plan(Store.ListFilters(topic: "дороги"), status: "done").contains("SEARCH t USING PRIMARY KEY"))
        // A state keeps its own index (status, detected_at) whatever else is asked.
        #expect(try plan(Store.ListFilters(network: "vk"), status: "routed").contains("INDEX cases_status (status=?)"))
    }

    /// Due lists and the scheduler read through the clock index, never the whole table; a writer with
    /// the rules indexes each case, one without them keeps open cases in every due list.
    @Test func theClockIndexIsWrittenWithTheProjectionAndReadThroughItsIndexes() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        func plan(_ sql: String, _ values: [Value]) throws -> String {
            try store.read { connection throws(StoreError) -> String in
                var lines: [String] = []
                try connection.query("EXPLAIN QUERY PLAN " + sql, values) { lines.append($0.text(3)) }
                return lines.joined(separator: "; ")
            }
        }
        for status in [nil, "routed"] {
            let (sql, values) = Store.listQuery(
                status: status, executor: nil, limit: 10, after: nil, dueBefore: 1_796_000_000)
            #expect(try plan(sql, values).contains("USING COVERING INDEX cases_next_due") == (status == nil))
            #expect(try plan(sql, values).contains("INDEX cases_next_due"))
        }
        #expect(try plan(Store.fireQuery, [.integer(1), .integer(5)]).contains("INDEX cases_next_fire"))
        // The hints' word keys: a seek on the word and a walk back in key order, no sort.
        let words = try plan(
            Store.wordKeysQuery, [.text("яма"), .integer(1), .integer(2), .integer(3), .integer(4), .integer(5)])
        #expect(words.contains("SEARCH k USING PRIMARY KEY (word=? AND key>? AND key<?)"), "\(words)")
        #expect(words.contains("sqlite_autoindex_cases_2 (year=? AND number=?)") && !words.contains("TEMP B-TREE"))
        // The attachments' reads (p.19): each a seek on an index, never a scan or a sort.
        let carrying = try plan(Store.casesCarryingQuery, [.text("a")])
        #expect(carrying.contains("USING COVERING INDEX sqlite_autoindex_attachment_refs_1 (sha256=?)"), "\(carrying)")
        let uploader = try plan(Store.uploaderQuery, [.text("a"), .text("b")])
        #expect(uploader.contains("USING COVERING INDEX sqlite_autoindex_attachment_uploaders_1"), "\(uploader)")
        let unreferenced = try plan(Store.unreferencedQuery, [.integer(1), .integer(5)])
        #expect(unreferenced.contains("SEARCH a USING INDEX attachments_uploaded (uploaded_at<?)"), "\(unreferenced)")
        #expect(unreferenced.contains("sqlite_autoindex_attachment_refs_1 (sha256=?)"), "\(unreferenced)")
        #expect(!unreferenced.contains("TEMP B-TREE") && !unreferenced.contains("SCAN"), "\(unreferenced)")
        #expect(try plan(Store.nextFireQuery, []).contains("COVERING INDEX cases_next_fire"))
        // The work queue walks the open cases in due order (`cases_next_due`, no sort), each checked
        // on its assignments through `assignments_case`; the history is never scanned.
        for scope in [
            Store.QueueScope(curator: true, executor: false, units: [], holders: []),
            Store.QueueScope(
                curator: false, executor: true, units: ["roads", "housing"], holders: ["ivanov", "petrov"]),
            Store.QueueScope(curator: true, executor: true, units: ["roads"], holders: ["ivanov"]),
        ] {
            for after in [nil, Store.QueueCursor(nextDue: 1_796_000_000, detectedAt: 1_795_000_000, id: "2026-000001")]
            {
                let (sql, values) = Store.queueQuery(scope, after: after, limit: 50)
                let queue = try plan(sql, values)
                #expect(
                    queue.contains("USING INDEX cases_next_due")
                        || queue.contains("USING COVERING INDEX cases_next_due"), "\(queue)")
                #expect(queue.contains("assignments_case (case_id=?)"), "\(queue)")
                #expect(!queue.contains("TEMP B-TREE") && !queue.contains("SCAN c"), "\(queue)")
            }
        }

        var registered = WorkflowEvent(kind: .registered, at: 1_796_000_000)
        registered.network = "vk"
        registered.url = "https://vk.com/wall-1_9"
        registered.author = "А"
        registered.text = "Т"
        _ = try store.registerCase(
            year: 2026, event: registered, actor: "cur", onBehalf: "", now: Instant(seconds: 1_796_000_100))
        // Without the rules: conservative, due for a look at once.
        #expect(try store.casesToFire(atOrBefore: 1_796_000_000, limit: 5).map(\.id) == ["2026-000001"])
        store.clockIndexer = { state, recorded, now in
            ClockIndex(nextDue: state.detectedAt + 600, nextFire: recorded.isEmpty ? now + 60 : nil)
        }
        registered.url = "https://vk.com/wall-1_10"
        _ = try store.registerCase(
            year: 2026, event: registered, actor: "cur", onBehalf: "", now: Instant(seconds: 1_796_000_100))
        #expect(try store.casesToFire(atOrBefore: 1_796_000_159, limit: 5).map(\.id) == ["2026-000001"])
        #expect(try store.casesToFire(atOrBefore: 1_796_000_160, limit: 5).map(\.id) == ["2026-000001", "2026-000002"])
        #expect(try store.reindexClocks(basis: "test", now: 1_796_000_200) == 2)
        #expect(try store.clockBasis() == "test")
        #expect(try store.nextClockFire() == 1_796_000_260)
        #expect(
            try store.listCases(status: nil, executor: nil, limit: 5, dueBefore: 1_796_000_601).map(\.id) == [
                "2026-000002", "2026-000001",
            ])
        #expect(try store.listCases(status: nil, executor: nil, limit: 5, dueBefore: 1_796_000_600).isEmpty)
        // A moment the scheduler could not act on comes back at the retry, not at once.
        store.clockIndexer = { state, _, _ in ClockIndex(nextDue: state.detectedAt, nextFire: 1) }
        try store.refreshClockIndex([("2026-000001", 1)], now: 1_796_000_300, retry: 1_796_000_360)
        #expect(try store.casesToFire(atOrBefore: 1_796_000_300, limit: 5).map(\.id) == ["2026-000002"])
        #expect(try store.nextClockFire() == 1_796_000_260)
        // A case that changed while the look ran (routed between its read and this re-index: the look
        // saw version 0) keeps its moment for the look its change asked for, not the retry a minute
        // later (issue 26: a routing's due notices came a minute late, stamped apart from it).
        try store.refreshClockIndex([("2026-000002", 0)], now: 1_796_000_300, retry: 1_796_000_360)
        #expect(try store.casesToFire(atOrBefore: 1_796_000_300, limit: 5).map(\.id) == ["2026-000002"])
        #expect(try store.nextClockFire() == 1)
    }

    /// p.18 hints and search read the indexes: the same author (however spelled) and like texts in the
    /// window before the message, never the message itself, never a case outside the window.
    @Test func repeatCandidatesAndSearchComeFromTheIndexes() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        func register(_ n: Int, at: Int64, author: String, text: String) throws -> CaseState {
            var event = WorkflowEvent(kind: .registered, at: Instant(seconds: at))
            event.network = "vk"
            event.url = "https://vk.com/wall-1_\(n)"
            event.author = author
            event.text = text
            return try store.registerCase(
                year: 2026, event: event, actor: "cur", onBehalf: "", now: Instant(seconds: at)
            ).state
        }
        let day: Int64 = 86_400
        let start: Int64 = 1_780_000_000
        let old = try register(1, at: start, author: "Пётр Сидоров", text: "Яма на дороге у школы номер 3")
        let sameAuthor = try register(2, at: start + 200 * day, author: "пётр  СИДОРОВ", text: "Не вывезли мусор")
        let likeText = try register(3, at: start + 210 * day, author: "Анна", text: "Огромная яма на дороге у школы")
        _ = try register(4, at: start + 215 * day, author: "Олег", text: "Сломан светофор на перекрёстке")
        let message = try register(
            5, at: start + 220 * day, author: "Пётр Сидоров", text: "Яма на дороге у школы не заделана")
        let found = try store.repeatCandidates(of: message, window: 180 * day).map(\.id)
        #expect(Set(found) == [sameAuthor.id, likeText.id], "\(found)")
        #expect(!found.contains(old.id) && !found.contains(message.id))
        let hits = try store.searchCases(SearchQuery("ЯМА дороге"), author: nil, from: nil, to: nil, limit: 10)
        #expect(Set(hits.map(\.id)) == [old.id, likeText.id, message.id])
        #expect(
            try store.searchCases(SearchQuery("яма"), author: SearchQuery("Анна"), from: nil, to: nil, limit: 10).map(
                \.id) == [likeText.id]
        )
        #expect(
            try store.searchCases(
                SearchQuery("яма"), author: nil, from: Instant(seconds: start + 100 * day),
                to: Instant(seconds: start + 215 * day),
                limit: 10
            ).map(\.id) == [likeText.id])
        #expect(try store.searchCases(SearchQuery("ям"), author: nil, from: nil, to: nil, limit: 10).isEmpty)
        // Words meet whatever their case and ё: "ёлки", "Елки".
        let trees = try register(6, at: start + 300 * day, author: "Ира", text: "Во дворе лежат ёлки после праздников")
        let again = try register(7, at: start + 305 * day, author: "Гена", text: "Елки до сих пор во дворе")
        #expect(try store.repeatCandidates(of: again, window: 180 * day).map(\.id) == [trees.id])
        // A corrected text leaves the word index: the old words find it no more, the new ones do.
        var corrected = trees
        corrected.text = "Не работает светофор"
        try store.write { connection throws(StoreError) in
            try store.writeProjection(corrected, changedAt: start + 306 * day, connection)
        }
        #expect(try store.repeatCandidates(of: again, window: 180 * day).isEmpty)
        let light = try register(8, at: start + 307 * day, author: "Оля", text: "Светофор опять не работает")
        // Case 4's "светофор" shares a word too (92 days before, within the window).
        #expect(try store.repeatCandidates(of: light, window: 180 * day).map(\.id) == [trees.id, "2026-000004"])
    }

    /// The word keys and the topic index are derived rows: a rebuilt or salvaged file gets them made
    /// afresh from the texts and the cases, the same rows as before.
    @Test func theWordKeysAndTopicsAreRemadeWhenAFileIsRebuiltOrSalvaged() throws {
        let directory = freshDirectory()
        let path = (directory as NSString).appendingPathComponent(Store.fileName)
        do {
            let store = try Store(directory: directory)
            for (n, text) in ["Яма на дороге у школы", "Ёлки во дворе лежат", "Не работает светофор"].enumerated() {
                var event = WorkflowEvent(kind: .registered, at: Instant(seconds: 1_796_000_000 + Int64(n)))
                event.network = "vk"
                event.url = "https://vk.com/wall-1_\(n)"
                event.author = "Автор \(n)"
                event.text = text
                event.topics = n == 1 ? ["благоустройство", "дворы"] : ["дороги"]
                _ = try store.registerCase(
                    year: 2026, event: event, actor: "cur", onBehalf: "",
                    now: Instant(seconds: 1_796_000_100))
            }
            store.close()
        }
        func wordKeys(_ file: String) -> [String] {
            var db: OpaquePointer?
            defer { sqlite3_close_v2(db) }
            _ = Connection.open(file, SQLITE_OPEN_READONLY, &db)
            var keys: [String] = []
            _ = Repair.each(db, "SELECT word || '/' || key FROM case_word_keys ORDER BY 1") {
                keys.append(Repair.text($0, 0))
            }
            _ = Repair.each(db, "SELECT topic || '/' || detected_at || '/' || case_id FROM case_topics ORDER BY 1") {
                keys.append(Repair.text($0, 0))
            }
            return keys
        }
        let before = wordKeys(path)
        #expect(before.contains("дороге/2026000001") && before.contains("елки/2026000002"), "\(before)")
        #expect(!before.contains { $0.hasPrefix("на/") || $0.hasPrefix("у/") })
        #expect(before.contains("дворы/1796000001/2026-000002") && before.contains("дороги/1796000002/2026-000003"))
        let salvaged = try Salvage.run(directory: directory)
        #expect(wordKeys(salvaged.file) == before)
        let index = rootPage(path, "cases_author")
        try scribble(path, pages: index...index)
        let store = try Store(directory: directory)
        defer { store.close() }
        #expect(store.repairNote?.contains("rebuilt it from its tables") == true)
        #expect(wordKeys(path) == before)
    }

    @Test func aRebuildNamesAnEventItsCaseCannotTakeInsteadOfSkippingIt() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        var registered = WorkflowEvent(kind: .registered, at: 1_796_000_000)
        registered.network = "vk"
        registered.url = "https://vk.com/wall-1_9"
        registered.author = "А"
        registered.text = "Т"
        let (state, _) = try store.registerCase(
            year: 2026, event: registered, actor: "cur", onBehalf: "", now: Instant(seconds: 1_796_000_100))
        #expect(try store.rebuildProjections() == 1)
        // A draft on an assignment the case never had: the log does not add up.
        var stray = WorkflowEvent(kind: .draftSubmitted, at: 1_796_000_200, assignment: 9)
        stray.text = "Ответ"
        let appended = try store.append([
            Event(
                time: Instant(seconds: 1_796_000_200), actor: "x", kind: stray.kind,
                subject: state.id,
                payload: Array(Store.encode(stray).utf8), caseVersion: 2)
        ])
        do {
            _ = try store.rebuildProjections()
            Issue.record("the rebuild took a stray event")
        } catch {
            guard case .corrupt(_, let findings) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(
                findings == [
                    "event \(appended[0].id) of case 2026-000001 (draft.submitted) cannot be applied: case 2026-000001 has no assignment 2026-000001/9"
                ])
        }
    }

    @Test func aClosedStoreRefusesWork() throws {
        let store = try Store(directory: freshDirectory())
        store.close()
        #expect(throws: StoreError.closed) {
            try store.append([Event(time: 1_796_000_000, actor: "a", logged: .unknown("k"))])
        }
    }
}

@Suite struct CalendarStoreTests {
    private func year(_ number: Int, holiday: String) -> ProductionCalendarYear {
        ProductionCalendarYear(year: number, source: "test", holidays: [LocalDate(iso: holiday)!])
    }

    @Test func seedingCreatesTheDefaultsOnceAtVersionOne() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        #expect(
            try store.seedCalendar(
                defaults: Schedule.defaults, shipped: [year(2026, holiday: "2026-01-01")], now: 1_796_000_000))
        #expect(
            try !store.seedCalendar(
                defaults: Schedule.defaults, shipped: [year(2026, holiday: "2026-01-01")], now: 1_796_000_000))
        let loaded = try store.loadCalendar()
        #expect(loaded.schedules.map(\.name) == ["curator", "executor"])
        #expect(loaded.schedules.map(\.version) == [1, 1])
        #expect(loaded.calendar.coveredYears == [2026])
        #expect(loaded.origins == [2026: "shipped"])
    }

    @Test func aCorrectedShippedYearReplacesTheOldOneButNeverAnImportedOne() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        try store.seedCalendar(
            defaults: Schedule.defaults,
            shipped: [year(2026, holiday: "2026-01-01"), year(2027, holiday: "2027-01-01")], now: 1_796_000_000)
        try store.importCalendar([year(2027, holiday: "2027-01-02")], actor: "admin", now: 1_796_000_000)
        try store.seedCalendar(
            defaults: Schedule.defaults,
            shipped: [year(2026, holiday: "2026-01-05"), year(2027, holiday: "2027-01-01")], now: 1_796_000_000)
        let loaded = try store.loadCalendar()
        #expect(loaded.calendar.years[2026]?.holidays == [LocalDate(iso: "2026-01-05")!])
        #expect(loaded.calendar.years[2027]?.holidays == [LocalDate(iso: "2027-01-02")!])
        #expect(loaded.origins == [2026: "shipped", 2027: "imported"])
        // Two calendar changes after creation: every schedule is at version 3.
        #expect(loaded.schedules.map(\.version) == [3, 3])
        #expect(try store.count(kind: .calendarImported) == 1)
        #expect(try store.count(kind: .calendarShipped) == 2)
    }

    @Test func puttingAScheduleBumpsItsVersionAndRefusesAStaleOne() throws {
        let store = try Store(directory: freshDirectory())
        defer { store.close() }
        try store.seedCalendar(defaults: Schedule.defaults, shipped: [], now: 1_796_000_000)
        var curator = Schedule(name: "curator", timeZoneID: "Asia/Yekaterinburg")
        let stored = try store.putSchedule(curator, expectedVersion: 1, actor: "admin", now: 1_796_000_000)
        #expect(stored.version == 2)
        curator.timeZoneID = "Europe/Samara"
        #expect(throws: ScheduleWriteError.stale(current: 2)) {
            try store.putSchedule(curator, expectedVersion: 1, actor: "admin", now: 1_796_000_000)
        }
        #expect(throws: ScheduleWriteError.stale(current: nil)) {
            try store.putSchedule(Schedule(name: "night"), expectedVersion: 3, actor: "admin", now: 1_796_000_000)
        }
        let loaded = try store.loadCalendar()
        #expect(loaded.schedules.first { $0.name == "curator" }?.timeZoneID == "Asia/Yekaterinburg")
        #expect(try store.count(kind: .scheduleChanged) == 1)
        #expect(store.eventCount == 1)
    }
}
