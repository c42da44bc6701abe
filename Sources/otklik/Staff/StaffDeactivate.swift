import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Deactivate a person: they can no longer connect (admin).",
                "Отключить сотрудника: он больше не сможет подключиться (администратор)."))
        @OptionGroup var global: GlobalOptions
        @Argument var login: String

        func run() throws {
            var ref = StaffRef()
            ref.login = login
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.deactivateStaff, ref)
            }
            global.show(stored.output)
        }
    }
}
