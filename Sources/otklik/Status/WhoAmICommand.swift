import ArgumentParser
import COtklikSystem
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct WhoAmI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: Language.text(
            "Show who the daemon takes you for: your login and roles.", "Показать, кем вас считает демон: логин и роли."
        ))

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let me = try global.withClient { client throws(RPCError) in
            try client.call(AdminService.whoAmI, WhoAmIRequest())
        }
        Render.print(global.output) {
            Render.keyValues([
                (Language.text("Login", "Логин"), me.login),
                (
                    Language.text("Roles", "Роли"),
                    me.roles.isEmpty ? Language.text("none", "нет") : me.roles.map(\.spoken).joined(separator: ", ")
                ),
                (Language.text("OS user", "Пользователь ОС"), me.osUser.isEmpty ? "-" : me.osUser),
                ("uid", String(me.uid)),
                ("gid", String(me.gid)),
                ("pid", String(me.pid)),
            ])
        } json: {
            .object([
                ("uid", .integer(Int64(me.uid))),
                ("gid", .integer(Int64(me.gid))),
                ("pid", .integer(Int64(me.pid))),
                ("login", .string(me.login)),
                ("roles", .array(me.roles.map { .string($0.name) })),
                ("os_user", .string(me.osUser)),
            ])
        }
    }
}
