/// A numbered step of the schema. Steps are only ever appended: a released step never changes.
struct Migration: Sendable {
    let version: Int
    let name: String
    let sql: String
}

enum Migrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "event log",
            sql: """
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time TEXT NOT NULL,          -- ISO 8601 UTC with milliseconds
                    actor TEXT NOT NULL,         -- staff login, or 'system'
                    kind TEXT NOT NULL,          -- e.g. 'daemon.started', 'case.registered'
                    subject TEXT NOT NULL,       -- what the event is about: a case number, '' for the system
                    payload BLOB NOT NULL        -- the event's data (protobuf or JSON, by kind)
                );
                CREATE INDEX events_subject ON events (subject, id);
                CREATE INDEX events_kind ON events (kind, id);
                CREATE TRIGGER events_no_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER events_no_delete BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                """),
        Migration(
            version: 2, name: "schedules and production calendar",
            sql: """
                CREATE TABLE schedules (
                    name TEXT PRIMARY KEY,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    definition TEXT NOT NULL,    -- ScheduleDocument JSON
                    updated_at TEXT NOT NULL
                );
                CREATE TABLE calendar_years (
                    year INTEGER PRIMARY KEY,
                    origin TEXT NOT NULL CHECK (origin IN ('shipped', 'imported')),
                    definition TEXT NOT NULL,    -- ProductionCalendarFile JSON holding this one year
                    updated_at TEXT NOT NULL
                );
                """),
        Migration(
            version: 3, name: "cases and assignments",
            sql: """
                ALTER TABLE events ADD COLUMN on_behalf TEXT NOT NULL DEFAULT '';
                ALTER TABLE events ADD COLUMN case_version INTEGER;
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY,          -- 2026-000123
                    year INTEGER NOT NULL,
                    number INTEGER NOT NULL,
                    network TEXT NOT NULL,
                    url TEXT NOT NULL,
                    external_id TEXT,
                    status TEXT NOT NULL,
                    importance TEXT NOT NULL,
                    detected_at INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    repeat_of TEXT,
                    state TEXT NOT NULL,          -- CaseState JSON, the projection of the case's events
                    UNIQUE (year, number)
                );
                CREATE INDEX cases_external ON cases (network, external_id);
                CREATE INDEX cases_url ON cases (network, url);
                CREATE INDEX cases_status ON cases (status, detected_at);
                CREATE TABLE assignments (
                    id TEXT PRIMARY KEY,          -- 2026-000123/1
                    case_id TEXT NOT NULL REFERENCES cases (id),
                    executor TEXT NOT NULL,
                    status TEXT NOT NULL
                );
                CREATE INDEX assignments_executor ON assignments (executor, status);
                CREATE INDEX assignments_case ON assignments (case_id);
                """),
        Migration(
            version: 4, name: "staff directory",
            sql: """
                CREATE TABLE units (
                    name TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    schedule TEXT NOT NULL
                );
                CREATE TABLE staff (
                    login TEXT PRIMARY KEY,
                    full_name TEXT NOT NULL,
                    os_user TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    roles TEXT NOT NULL,          -- comma-separated
                    active INTEGER NOT NULL
                );
                CREATE INDEX staff_os_user ON staff (os_user);
                CREATE TABLE absences (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    login TEXT NOT NULL REFERENCES staff (login),
                    from_unix INTEGER NOT NULL,
                    to_unix INTEGER NOT NULL CHECK (to_unix > from_unix),
                    reason TEXT NOT NULL,
                    deputy TEXT NOT NULL REFERENCES staff (login)
                );
                CREATE TABLE accounts (
                    network TEXT NOT NULL,
                    name TEXT NOT NULL,
                    url TEXT NOT NULL,
                    PRIMARY KEY (network, name)
                );
                """),
        Migration(
            version: 5, name: "clock notices",
            sql: """
                CREATE TABLE clock_notices (
                    case_id TEXT NOT NULL,
                    clock_key TEXT NOT NULL,      -- reply/1, review/1/2, ...
                    notice TEXT NOT NULL,         -- breach, warning:50%, ...
                    event_id INTEGER NOT NULL REFERENCES events (id),
                    PRIMARY KEY (case_id, clock_key, notice)
                );
                CREATE INDEX events_subject_all ON events (subject);
                """),
        Migration(
            version: 6, name: "report columns",
            sql: """
                ALTER TABLE cases ADD COLUMN topics TEXT NOT NULL DEFAULT '';
                ALTER TABLE cases ADD COLUMN executors TEXT NOT NULL DEFAULT '';
                ALTER TABLE cases ADD COLUMN rejection_reason TEXT;
                ALTER TABLE cases ADD COLUMN closed_at INTEGER;   -- when it became done or rejected
                CREATE INDEX cases_detected ON cases (detected_at);
                CREATE INDEX cases_activity ON cases (closed_at, detected_at);
                """),
        Migration(
            version: 7, name: "covering index for report counts",
            sql: """
                CREATE INDEX cases_report ON cases (detected_at, network, importance, topics, executors, rejection_reason);
                """),
        Migration(
            version: 8, name: "binary projection beside the JSON",
            sql: """
                ALTER TABLE cases ADD COLUMN state_bin BLOB;   -- CaseState.binary(), read by reports; NULL: read the JSON
                """),
        Migration(
            version: 9, name: "post URL keys and last change",
            sql: """
                ALTER TABLE cases ADD COLUMN url_key TEXT;        -- PostURL.key: the same post however its URL is written
                ALTER TABLE cases ADD COLUMN changed_at INTEGER;  -- log time (Unix s) of the case's newest event
                CREATE INDEX cases_url_key ON cases (network, url_key);
                -- The report's counts as of a period's end: rows unchanged since then are counted from
                -- this covering index, the few changed after it are folded from their events.
                DROP INDEX cases_report;
                CREATE INDEX cases_report_asof ON cases (detected_at, changed_at, status, network, importance, topics, executors, rejection_reason);
                """),
        Migration(
            version: 10, name: "text search and author index",
            sql: """
                -- p.18 hints and `case search` read these instead of every case: the author as the hint
                -- compares it (Hints.authorKey, filled in Swift), and the texts in a trigram index
                -- (rowid: the case's year * 1000000 + number).
                ALTER TABLE cases ADD COLUMN author_key TEXT NOT NULL DEFAULT '';
                CREATE INDEX cases_author ON cases (network, author_key, detected_at);
                CREATE VIRTUAL TABLE case_text USING fts5 (author, text, tokenize = 'trigram');
                INSERT INTO case_text (rowid, author, text)
                    SELECT year * 1000000 + number, json_extract(state, '$.author'), json_extract(state, '$.text') FROM cases;
                INSERT INTO case_text (case_text) VALUES ('optimize');
                """),
        Migration(
            version: 11, name: "clock index",
            sql: """
                -- Per case, the earliest due instant of its running clocks and the next moment the
                -- scheduler acts on (ClockIndex, computed in Swift with the profile and schedules that
                -- `settings.clock_basis` names; NULL: nothing to wait for). Until the daemon indexes them
                -- with its rules, open cases are candidates of every due list and due for a look at once.
                ALTER TABLE cases ADD COLUMN next_due INTEGER;
                ALTER TABLE cases ADD COLUMN next_fire INTEGER;
                UPDATE cases SET next_due = detected_at, next_fire = detected_at WHERE status IN ('new', 'routed');
                CREATE INDEX cases_next_due ON cases (next_due, detected_at, id) WHERE next_due IS NOT NULL;
                CREATE INDEX cases_next_fire ON cases (next_fire) WHERE next_fire IS NOT NULL;
                CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                """),
        Migration(
            version: 12, name: "word index for the p.18 hints",
            sql: """
                -- The hints' candidates by word (a word-level index: a handful of words costs a handful of
                -- lookups, where the trigram index opens one per trigram). Contentless: the texts are
                -- in case_text; `ё` folded to `е` as the hints compare words. Rowid as case_text's.
                CREATE VIRTUAL TABLE case_words USING fts5 (text, tokenize = 'unicode61', content = '', detail = none);
                -- A bulk fill leaves segments that the first ordinary write would merge (1.4 s at a
                -- million cases): merged here, once, for both text indexes.
                INSERT INTO case_text (case_text) VALUES ('optimize');
                INSERT INTO case_words (rowid, text)
                    SELECT year * 1000000 + number, replace(replace(json_extract(state, '$.text'), 'ё', 'е'), 'Ё', 'Е') FROM cases;
                INSERT INTO case_words (case_words) VALUES ('optimize');
                """),
        Migration(
            version: 13, name: "word keys for the p.18 hints",
            sql: """
                -- The hints' candidates by word, as a b-tree: the newest cases holding a word are a seek
                -- and a short walk back (case_words, an FTS5 index, read a word's whole doclist to walk it
                -- newest first: its cost grew with every case that ever used the word). One row per
                -- distinct significant word of a text (Hints.significantWords: three letters or more,
                -- lower case, `ё` as `е`); key as case_text's rowid. Filled in Swift (Connection.fillWordKeys).
                CREATE TABLE case_word_keys (word TEXT NOT NULL, key INTEGER NOT NULL, PRIMARY KEY (word, key)) WITHOUT ROWID;
                DROP TABLE case_words;
                """),
        Migration(
            version: 14, name: "attachments",
            sql: """
                -- p.19: photos, videos and documents, one row per stored content (the file itself is
                -- attachments/ab/cdef... in the data directory). The name is the first uploader's,
                -- shown, never a path; captured_at and the position come from a photo's EXIF.
                CREATE TABLE attachments (
                    sha256 TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    captured_at INTEGER,
                    latitude REAL,
                    longitude REAL,
                    uploaded_at INTEGER NOT NULL,
                    uploaded_by TEXT NOT NULL
                );
                CREATE INDEX attachments_uploaded ON attachments (uploaded_at);
                -- Which cases' drafts carry each file (a projection, written with the case's): a file
                -- referenced here is never removed, and an executor who reads one of these cases may
                -- fetch it.
                CREATE TABLE attachment_refs (sha256 TEXT NOT NULL, case_id TEXT NOT NULL, UNIQUE (sha256, case_id));
                -- Everyone who uploaded each content (the same photo uploaded by two executors is stored
                -- once, and both may attach and fetch it).
                CREATE TABLE attachment_uploaders (sha256 TEXT NOT NULL, login TEXT NOT NULL, UNIQUE (sha256, login));
                CREATE INDEX attachment_refs_case ON attachment_refs (case_id);
                """),
        Migration(
            version: 15, name: "topic index",
            sql: """
                -- `case list --topic`: a topic's cases newest first are a seek and a walk of that topic's
                -- rows (read off the report index, a topic few cases have cost a walk of every case's
                -- entry: 0.5 s at a million). One row per routed topic of a case, written with the case.
                CREATE TABLE case_topics (
                    topic TEXT NOT NULL,
                    detected_at INTEGER NOT NULL,
                    case_id TEXT NOT NULL,
                    PRIMARY KEY (topic, detected_at, case_id)
                ) WITHOUT ROWID;
                """ + topicFill + ";"),
        Migration(
            version: 16, name: "who answers for each assignment",
            sql: """
                -- The queue's rows and its count read one filter: an executor's steps are those of their
                -- units' assignments and of the assignments held by someone they stand in for (p.6,
                -- Rights.canAct), so the holder is kept beside the unit. Handed-over rows keep NULL.
                ALTER TABLE assignments ADD COLUMN responsible TEXT;
                UPDATE assignments SET responsible = (
                    SELECT json_extract(a.value, '$.responsible')
                    FROM cases c, json_each(c.state, '$.assignments') a
                    WHERE c.id = assignments.case_id
                        AND json_extract(a.value, '$.index') = CAST(substr(assignments.id, length(assignments.case_id) + 2) AS INTEGER))
                WHERE status != 'handed_over';
                """),
        Migration(
            version: 17, name: "word forms in the text index",
            sql: """
                -- `case search` finds a word in any of its forms ("ямы" finds "яма"): the texts' words
                -- (unicode61: whole words, a prefix query for a word's beginning, a prefix index of
                -- three letters for the shortest) beside their Snowball stems (WordForms.stemText,
                -- `otklik_stems` in SQL). Replaces the trigram index, whose substrings found "ямы" only
                -- as "ямы". Rowid: the case's year * 1000000 + number, as before.
                DROP TABLE case_text;
                CREATE VIRTUAL TABLE case_text USING fts5 (
                    author, text, author_stems, text_stems, tokenize = 'unicode61 remove_diacritics 0', prefix = '3');
                """ + derivedFills["case_text"]! + ";"),
        Migration(
            version: 18, name: "publications waiting for a connector",
            sql: """
                -- Issue 29: an approved reply handed to a network's connector names the network here until
                -- it is published or fails (then publish_failed names it until the curator acts), so the
                -- connector's question ("what waits for me?") and `connector list`'s counts read the few
                -- rows concerned, never the history. No reply was handed to a connector before.
                ALTER TABLE assignments ADD COLUMN publish_via TEXT;
                ALTER TABLE assignments ADD COLUMN publish_failed TEXT;
                CREATE INDEX assignments_publishing ON assignments (publish_via, id) WHERE publish_via IS NOT NULL;
                CREATE INDEX assignments_publish_failed ON assignments (publish_failed) WHERE publish_failed IS NOT NULL;
                """),
        Migration(
            version: 19, name: "published replies by text",
            sql: """
                -- Issue 31: the reply-quality check's `copy` asks whether a draft's text was already
                -- published to another post: one seek by the text's key (ReplyQuality.copyKey), written
                -- with the case's projection for each published draft (Store.derivedRows); filled in
                -- Swift (Connection.fillCaseRows).
                CREATE TABLE reply_texts (
                    key TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    PRIMARY KEY (key, case_id)
                ) WITHOUT ROWID;
                """),
        Migration(
            version: 20, name: "each unit's time to a first draft",
            sql: """
                -- Issue 31: the breach forecast measures a unit's usual time from an assignment's start
                -- (routing, or a reopening) to its first draft from the unit's own history: the newest
                -- rows of one unit are a seek, however long the history. One row per assignment with a
                -- draft, written with the case's projection (Store.derivedRows, the unit that held it
                -- then); filled in Swift (Connection.fillCaseRows).
                CREATE TABLE draft_pace (
                    unit TEXT NOT NULL,
                    drafted_at INTEGER NOT NULL,
                    assignment TEXT NOT NULL,
                    started_at INTEGER NOT NULL,
                    PRIMARY KEY (unit, drafted_at, assignment)
                ) WITHOUT ROWID;
                """),
        Migration(
            version: 21, name: "incidents",
            sql: """
                -- Issue 31: an incident groups cases about one problem. Its own facts (title, topics, its
                -- routing as JSON) are written with an `incident.put` event in the same transaction; which
                -- cases are in it is each case's projection (`cases.incident`, from its incident events),
                -- so a rebuild of the projections finds the members again.
                CREATE TABLE incidents (
                    id INTEGER PRIMARY KEY,
                    title TEXT NOT NULL,
                    topics TEXT NOT NULL,
                    routing TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    changed_at INTEGER NOT NULL,
                    version INTEGER NOT NULL DEFAULT 1   -- every step of the incident moves it on (Incident.version)
                );
                ALTER TABLE cases ADD COLUMN incident INTEGER;
                CREATE INDEX cases_incident ON cases (incident, id) WHERE incident IS NOT NULL;
                """),
        Migration(
            version: 22, name: "cases in a list's order",
            sql: """
                -- A list's and an export's order is the newest detection first, then the case id (their
                -- cursor is DETECTED/ID). With the id in the index a page begins at its cursor by one
                -- seek, however many cases share a second (an import registers hundreds at once);
                -- before, each page read and sorted every case of its cursor's second again.
                CREATE INDEX cases_detected_id ON cases (detected_at, id);
                DROP INDEX IF EXISTS cases_detected;
                """),
        Migration(
            version: 23, name: "one index of events by subject",
            sql: """
                -- events.id is the rowid, which every index entry carries: `events_subject_all (subject)`
                -- (migration 5) held exactly what `events_subject (subject, id)` holds, in the same order,
                -- and every event wrote both (issue 33: a registration's pages).
                DROP INDEX IF EXISTS events_subject_all;
                """),
    ]

    /// Fills `case_topics` from the cases' topics (kept joined by U+001F): by its migration, and when
    /// a damaged file is rebuilt or salvaged.
    static let topicFill = """
        WITH RECURSIVE split (case_id, detected_at, topic, rest) AS (
            SELECT id, detected_at, '', topics || char(31) FROM cases WHERE topics != ''
            UNION ALL
            SELECT case_id, detected_at, substr(rest, 1, instr(rest, char(31)) - 1), substr(rest, instr(rest, char(31)) + 1)
            FROM split WHERE rest != ''
        )
        INSERT OR IGNORE INTO case_topics (topic, detected_at, case_id)
            SELECT topic, detected_at, case_id FROM split WHERE topic != ''
        """

    /// How each virtual table's derived rows are made from the tables: by its migration, and again when
    /// a damaged file is rebuilt or salvaged (its shadow tables are not copied). Each ends merging the
    /// index into one segment, so the first ordinary write does not pay for the bulk fill's merges.
    static let derivedFills: [String: String] = [
        "case_text": """
        INSERT INTO case_text (rowid, author, text, author_stems, text_stems)
            SELECT year * 1000000 + number, author, text, otklik_stems(author), otklik_stems(text)
            FROM (SELECT year, number, json_extract(state, '$.author') AS author, json_extract(state, '$.text') AS text FROM cases);
        INSERT INTO case_text (case_text) VALUES ('optimize')
        """
    ]

    /// Ordinary tables that hold only derived rows, made in Swift from the text index once it is filled:
    /// by their migration, and instead of a copy when a damaged file is rebuilt or salvaged.
    static let derivedTables: [String: @Sendable (OpaquePointer?) throws(StoreError) -> Void] = [
        "case_word_keys": Connection.fillWordKeys,
        "case_topics": Connection.fillTopics,
        "reply_texts": { db throws(StoreError) in try Connection.fillCaseRows(db, replies: true) },
        "draft_pace": { db throws(StoreError) in try Connection.fillCaseRows(db, replies: false) },
    ]

    static var latestVersion: Int { all.last?.version ?? 0 }
}
