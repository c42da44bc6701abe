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
            .string("login", Phrase("Login", "Логин"), \.login),
            .string("full_name", Phrase("Name", "ФИО"), \.fullName),
            .string("os_user", Phrase("OS user", "Пользователь ОС"), \.osUser),
            .string("unit", Phrase("Unit", "Подразделение"), \.unit),
            Field(
                "roles", Phrase("Roles", "Роли"), json: { .array($0.roles.map { .string($0.name) }) },
                text: { $0.roles.map(\.spoken).joined(separator: ", ") }),
            Field(
                "active", Phrase("Active", "Активен"), json: { .bool($0.active) },
                text: { $0.active ? Language.text("yes", "да") : Language.text("no", "нет") }),
        ]
    }

    /// One person: labelled lines for people, the object for scripts.
    var output: Record<StaffView> { Record(fields: Self.fields, value: self) }
}
