import Foundation
public import OtklikCore

/// The staff directory, each change with its event (subject `directory`) in the same transaction.
extension Store {
    public func loadDirectory() throws(StoreError) -> Directory {
        try read { connection throws(StoreError) in
            var directory = Directory()
            try connection.query("SELECT name, title, kind, schedule FROM units") { row in
                directory.units[row.text(0)] = OrganisationUnit(
                    name: row.text(0), title: row.text(1),
                    kind: OrganisationUnit.Kind(rawValue: row.text(2)) ?? .department,
                    schedule: row.text(3))
            }
            try connection.query("SELECT login, full_name, os_user, unit, roles, active FROM staff") { row in
                let roles = Set(row.text(4).split(separator: ",").compactMap { Role(rawValue: String($0)) })
                directory.staff[row.text(0)] = StaffMember(
                    login: row.text(0), fullName: row.text(1), osUser: row.text(2), unit: row.text(3),
                    roles: roles, active: row.integer(5) != 0)
            }
            try connection.query("SELECT id, login, from_unix, to_unix, reason, deputy FROM absences ORDER BY id") {
                row in directory.absences.append(Self.absence(row))
            }
            try connection.query("SELECT network, name, url FROM accounts ORDER BY network, name") { row in
                directory.accounts.append(SocialAccount(network: row.text(0), name: row.text(1), url: row.text(2)))
            }
            return directory
        }
    }

    public func putUnit(_ unit: OrganisationUnit, actor: String, onBehalf: String = "", now: Instant) throws(StoreError)
    {
        try write { connection throws(StoreError) in
            try connection.query(
                "INSERT OR REPLACE INTO units (name, title, kind, schedule) VALUES (?, ?, ?, ?)",
                [.text(unit.name), .text(unit.title), .text(unit.kind.rawValue), .text(unit.schedule)])
            try directoryEvent(.unitPut, unit, actor, onBehalf, now, connection)
        }
    }

    /// Adds or replaces staff members in one transaction (one event each).
    public func putStaff(_ members: [StaffMember], actor: String, onBehalf: String = "", now: Instant)
        throws(StoreError)
    {
        try write { connection throws(StoreError) in
            for member in members {
                try connection.query(
                    "INSERT OR REPLACE INTO staff (login, full_name, os_user, unit, roles, active) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        .text(member.login), .text(member.fullName), .text(member.osUser), .text(member.unit),
                        .text(member.roles.sorted().map(\.rawValue).joined(separator: ",")),
                        .integer(member.active ? 1 : 0),
                    ])
                try directoryEvent(.staffPut, member, actor, onBehalf, now, connection)
            }
        }
    }

    /// Records `absence`, unless the person is already away for part of it: then nothing is written
    /// and the absence in the way is returned (`.overlaps`). One deputy at a time (docs/RIGHTS.md).
    public func addAbsence(_ absence: Absence, actor: String, onBehalf: String = "", now: Instant) throws(StoreError)
        -> AbsenceRecording
    {
        try write { connection throws(StoreError) in
            var existing: Absence?
            try connection.query(
                "SELECT id, login, from_unix, to_unix, reason, deputy FROM absences WHERE login = ? AND from_unix < ? AND to_unix > ? ORDER BY from_unix LIMIT 1",
                [.text(absence.login), .instant(absence.to), .instant(absence.from)]
            ) { row in existing = Self.absence(row) }
            if let existing { return .overlaps(existing) }
            try connection.query(
                "INSERT INTO absences (login, from_unix, to_unix, reason, deputy) VALUES (?, ?, ?, ?, ?)",
                [
                    .text(absence.login), .instant(absence.from), .instant(absence.to), .text(absence.reason),
                    .text(absence.deputy),
                ])
            var stored = absence
            stored.id = Int(connection.lastInsertRowID)
            try directoryEvent(.absenceAdded, stored, actor, onBehalf, now, connection)
            return .added(stored)
        }
    }

    public enum AbsenceRecording: Sendable, Equatable {
        case added(Absence)
        case overlaps(Absence)
    }

    /// Takes absence `id` back with `reason` (a `directory.absence_removed` event); nil when there is none.
    public func removeAbsence(id: Int, reason: String, actor: String, onBehalf: String = "", now: Instant)
        throws(StoreError) -> Absence?
    {
        try write { connection throws(StoreError) in
            var existing: Absence?
            try connection.query(
                "SELECT id, login, from_unix, to_unix, reason, deputy FROM absences WHERE id = ?", [.integer(Int64(id))]
            ) { row in existing = Self.absence(row) }
            guard let existing else { return nil }
            try connection.query("DELETE FROM absences WHERE id = ?", [.integer(Int64(id))])
            try directoryEvent(
                .absenceRemoved, AbsenceRemoval(absence: existing, reason: reason), actor, onBehalf, now, connection)
            return existing
        }
    }

    private static func absence(_ row: Row) -> Absence {
        Absence(
            id: Int(row.integer(0)), login: row.text(1), from: Instant(seconds: row.integer(2)),
            to: Instant(seconds: row.integer(3)), reason: row.text(4), deputy: row.text(5))
    }

    public func putAccount(_ account: SocialAccount, actor: String, onBehalf: String = "", now: Instant)
        throws(StoreError)
    {
        try write { connection throws(StoreError) in
            try connection.query(
                "INSERT OR REPLACE INTO accounts (network, name, url) VALUES (?, ?, ?)",
                [.text(account.network), .text(account.name), .text(account.url)])
            try directoryEvent(.accountPut, account, actor, onBehalf, now, connection)
        }
    }

    private func directoryEvent<T: Encodable>(
        _ kind: EventKind, _ value: T, _ actor: String, _ onBehalf: String, _ now: Instant,
        _ connection: Connection
    ) throws(StoreError) {
        try insert(
            [
                Event(
                    time: now, actor: actor, kind: kind, subject: Event.directorySubject,
                    payload: Array(Self.encode(value).utf8),
                    onBehalf: onBehalf)
            ], connection)
    }
}
