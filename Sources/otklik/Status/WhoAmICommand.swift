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
        abstract: Say.Status.whoamiAbstract.text())

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
            .string("login", Say.Common.login, \.login),
            Field(
                "roles", Say.Common.roles, json: { .array($0.roles.map { .string($0.name) }) },
                text: {
                    $0.roles.isEmpty ? Say.Status.noRoles.text() : $0.roles.map(\.spoken).joined(separator: ", ")
                }),
            Field(
                "os_user", Say.Common.osUser, json: { .string($0.osUser) },
                text: { $0.osUser.isEmpty ? "-" : $0.osUser }),
            Field("uid", Say.Status.uid, json: { .integer(Int64($0.uid)) }, text: { String($0.uid) }),
            Field("gid", Say.Status.gid, json: { .integer(Int64($0.gid)) }, text: { String($0.gid) }),
            Field("pid", Say.Status.pid, json: { .integer(Int64($0.pid)) }, text: { String($0.pid) }),
        ]
    }
}
