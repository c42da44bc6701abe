import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffView {
    /// A person as the directory commands print them.
    static var fields: [Field<StaffView>] {
        [
            .string("login", Say.Common.login, \.login),
            .string("full_name", Say.Staff.name, \.fullName),
            .string("os_user", Say.Common.osUser, \.osUser),
            Field("unit", Say.Common.unit, json: { .string($0.unit) }, text: { UnitTitles.title($0.unit) }),
            Field(
                "roles", Say.Common.roles, json: { .array($0.roles.map { .string($0.name) }) },
                text: { $0.roles.map(\.spoken).joined(separator: ", ") }),
            Field(
                "active", Say.Staff.active, json: { .bool($0.active) },
                text: { $0.active ? Say.Staff.yes.text() : Say.Staff.no.text() }),
        ]
    }

    /// One person: labelled lines for people, the object for scripts.
    var output: Record<StaffView> { Record(fields: Self.fields, value: self) }
}
