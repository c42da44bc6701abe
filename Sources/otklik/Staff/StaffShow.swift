import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Staff.showAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Staff.loginHelp.text())) var login: String

        func run() throws {
            var ref = StaffRef()
            ref.login = login
            let member = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.getStaff, ref)
            }
            global.show(member.output)
        }
    }
}
