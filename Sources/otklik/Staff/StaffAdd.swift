import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Staff.addAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Staff.loginHelp.text())) var login: String
        @Option(help: ArgumentHelp(Say.Staff.nameHelp.text())) var name: String
        @Option(
            help: ArgumentHelp(
                Say.Staff.osUserHelp.text())) var osUser: String
        @Option(
            help: ArgumentHelp(
                Say.Staff.unitHelp.text())) var unit = ""
        @Option(
            help: ArgumentHelp(
                Say.Staff.roleHelp.text())) var role: [String] = []

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
