/// A numbered step of the schema. Steps are only ever appended: a released step never changes.
struct Migration: Sendable {
    let version: Int
    let name: String
    let sql: String
}

enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "event log", sql: """
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
        Migration(version: 2, name: "schedules and production calendar", sql: """
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
    ]

    static var latestVersion: Int { all.last?.version ?? 0 }
}
