import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Staff.deactivateAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Staff.loginHelp.text())) var login: String

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
