import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

func staffJSON(_ s: StaffView) -> JSON {
    .object([
        ("login", .string(s.login)), ("full_name", .string(s.fullName)), ("os_user", .string(s.osUser)),
        ("unit", .string(s.unit)),
        ("roles", .array(s.roles.map { .string($0.name) })), ("active", .bool(s.active)),
    ])
}

func staffRows(_ staff: [StaffView]) -> String {
    Render.columns(
        [
            Language.text("LOGIN", "ЛОГИН"), Language.text("NAME", "ФИО"), Language.text("OS USER", "ПОЛЬЗОВАТЕЛЬ ОС"),
            Language.text("UNIT", "ПОДРАЗДЕЛЕНИЕ"),
            Language.text("ROLES", "РОЛИ"), Language.text("ACTIVE", "АКТИВЕН"),
        ],
        staff.map {
            [
                $0.login, $0.fullName, $0.osUser, $0.unit, $0.roles.map(\.spoken).joined(separator: ", "),
                $0.active ? Language.text("yes", "да") : Language.text("no", "нет"),
            ]
        })
}
