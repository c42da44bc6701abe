import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Staff.addAPersonAdmin.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Staff.theLogin.text())) var login: String
        @Option(help: ArgumentHelp(Say.Staff.fullName.text())) var name: String
        @Option(
            help: ArgumentHelp(
                Say.Staff.theOsUserName.text())) var osUser: String
        @Option(
            help: ArgumentHelp(
                Say.Staff.theirUnitCuratorsAnd.text())) var unit = ""
        @Option(
            help: ArgumentHelp(
                Say.Staff.curatorExecutorResponsibleHead.text())) var role: [String] = []

        func run() throws {
            var view = StaffView()
            view.login = login
            view.fullName = name
            view.osUser = osUser
            view.unit = unit
            view.roles = try role.map { try wordOption($0, "--role") }
            view.active = true
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.putStaff, view)
            }
            global.show(stored.output)
        }
    }
}
