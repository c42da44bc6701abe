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
        global.show(Record(fields: WhoAmIResponse.fields, value: me))
    }
}

extension WhoAmIResponse {
    /// Who the daemon takes the caller for.
    static var fields: [Field<WhoAmIResponse>] {
        [
            .string("login", Phrase("Login", "Логин"), \.login),
            Field(
                "roles", Phrase("Roles", "Роли"), json: { .array($0.roles.map { .string($0.name) }) },
                text: {
                    $0.roles.isEmpty ? Language.text("none", "нет") : $0.roles.map(\.spoken).joined(separator: ", ")
                }),
            Field(
                "os_user", Phrase("OS user", "Пользователь ОС"), json: { .string($0.osUser) },
                text: { $0.osUser.isEmpty ? "-" : $0.osUser }),
            Field("uid", Phrase("uid", "uid"), json: { .integer(Int64($0.uid)) }, text: { String($0.uid) }),
            Field("gid", Phrase("gid", "gid"), json: { .integer(Int64($0.gid)) }, text: { String($0.gid) }),
            Field("pid", Phrase("pid", "pid"), json: { .integer(Int64($0.pid)) }, text: { String($0.pid) }),
        ]
    }
}
