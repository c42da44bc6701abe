import Foundation
public import OtklikCore
import OtklikBase

/// Schedules and production calendar years, with their change events in the same transaction.
extension Store {
    /// Every stored schedule and the whole production calendar.
    public func loadCalendar() throws(StoreError) -> (
        schedules: [Schedule], calendar: ProductionCalendar, origins: [Int: String]
    ) {
        try read { connection throws(StoreError) in
            var schedules: [Schedule] = []
            var broken: String?
            try connection.query("SELECT name, version, definition FROM schedules ORDER BY name") { row in
                do {
                    schedules.append(try ScheduleDocument.decode(Data(row.text(2).utf8), version: Int(row.integer(1))))
                } catch {
                    broken = "schedule \(row.text(0)): \(error)"
                }
            }
            var years: [ProductionCalendarYear] = []
            var origins: [Int: String] = [:]
            try connection.query("SELECT year, origin, definition FROM calendar_years ORDER BY year") { row in
                do {
                    years += try ProductionCalendarFile.decode(Data(row.text(2).utf8))
                    origins[Int(row.integer(0))] = row.text(1)
                } catch {
                    broken = "calendar year \(row.integer(0)): \(error)"
                }
            }
            if let broken { throw .corrupt(path: path, findings: [broken]) }
            return (schedules, ProductionCalendar(years: years), origins)
        }
    }

    /// First start: the default schedules, and the shipped calendar years. A shipped year replaces
    /// a stored shipped one that differs (a corrected release) but never an imported one. Any change
    /// bumps every schedule's version. Returns whether anything changed.
    @discardableResult
    public func seedCalendar(defaults: [Schedule], shipped: [ProductionCalendarYear], now: Instant)
        throws(StoreError) -> Bool
    {
        try write { connection throws(StoreError) in
            var written: [Int] = []
            for year in shipped {
                let definition = String(decoding: ProductionCalendarFile.encode([year]), as: UTF8.self)
                var stored: (origin: String, definition: String)?
                try connection.query(
                    "SELECT origin, definition FROM calendar_years WHERE year = ?", [.integer(Int64(year.year))]
                ) { row in
                    stored = (row.text(0), row.text(1))
                }
                if let stored, stored.origin == "imported" || stored.definition == definition { continue }
                try connection.query(
                    "INSERT OR REPLACE INTO calendar_years (year, origin, definition, updated_at) VALUES (?, 'shipped', ?, ?)",
                    [.integer(Int64(year.year)), .text(definition), .text(EventTime.text(now))])
                written.append(year.year)
            }
            if !written.isEmpty {
                try connection.execute("UPDATE schedules SET version = version + 1")
                try insert(
                    [
                        Event(
                            time: now, actor: "system", kind: EventKind.calendarShipped,
                            payload: Array(JSONText.encode(CalendarYears(years: written))))
                    ], connection)
            }
            var created = false
            for schedule in defaults
            where try connection.scalar("SELECT count(*) FROM schedules WHERE name = ?", [.text(schedule.name)]) == 0 {
                try connection.query(
                    "INSERT INTO schedules (name, version, definition, updated_at) VALUES (?, 1, ?, ?)",
                    [
                        .text(schedule.name), .text(String(decoding: ScheduleDocument.encode(schedule), as: UTF8.self)),
                        .text(EventTime.text(now)),
                    ])
                created = true
            }
            return created || !written.isEmpty
        }
    }

    /// Creates or replaces a schedule. With `expectedVersion` > 0 a stale version is refused.
    /// Returns the stored schedule with its new version.
    public func putSchedule(_ schedule: Schedule, expectedVersion: Int, actor: String, now: Instant)
        throws(ScheduleWriteError) -> Schedule
    {
        do {
            return try write { connection throws(StoreError) -> Result<Schedule, ScheduleWriteError> in
                var current: Int64?
                try connection.query("SELECT version FROM schedules WHERE name = ?", [.text(schedule.name)]) {
                    current = $0.integer(0)
                }
                if expectedVersion > 0, current.map(Int.init) != expectedVersion {
                    return .failure(.stale(current: current.map(Int.init)))
                }
                var stored = schedule
                stored.version = Int(current ?? 0) + 1
                try connection.query(
                    "INSERT OR REPLACE INTO schedules (name, version, definition, updated_at) VALUES (?, ?, ?, ?)",
                    [
                        .text(stored.name), .integer(Int64(stored.version)),
                        .text(String(decoding: ScheduleDocument.encode(stored), as: UTF8.self)),
                        .text(EventTime.text(now)),
                    ])
                try insert(
                    [
                        Event(
                            time: now, actor: actor, kind: EventKind.scheduleChanged, subject: stored.name,
                            payload: ScheduleDocument.encode(stored).map { $0 })
                    ], connection)
                return .success(stored)
            }.get()
        } catch let error as StoreError {
            throw .store(error)
        } catch let error as ScheduleWriteError {
            throw error
        } catch {
            throw .store(.sqlite(code: 0, message: "\(error)"))
        }
    }

    /// Adds or replaces production calendar years (origin `imported`) and bumps every schedule's
    /// version, in one transaction with its event.
    public func importCalendar(_ years: [ProductionCalendarYear], actor: String, now: Instant) throws(StoreError) {
        try write { connection throws(StoreError) in
            for year in years {
                try connection.query(
                    "INSERT OR REPLACE INTO calendar_years (year, origin, definition, updated_at) VALUES (?, 'imported', ?, ?)",
                    [
                        .integer(Int64(year.year)),
                        .text(String(decoding: ProductionCalendarFile.encode([year]), as: UTF8.self)),
                        .text(EventTime.text(now)),
                    ])
            }
            try connection.execute("UPDATE schedules SET version = version + 1")
            try insert(
                [
                    Event(
                        time: now, actor: actor, kind: EventKind.calendarImported,
                        payload: Array(JSONText.encode(CalendarYears(years: years.map(\.year).sorted()))))
                ], connection)
        }
    }
}

public enum ScheduleWriteError: Error, Sendable, Equatable {
    /// The schedule changed since the caller read it (nil: it does not exist).
    case stale(current: Int?)
    case store(StoreError)
}
