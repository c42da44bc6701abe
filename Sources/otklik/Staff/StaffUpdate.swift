import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Staff.updateAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Staff.loginHelp.text())) var login: String
        @Option(help: ArgumentHelp(Say.Staff.updateNameHelp.text())) var name: String?
        @Option(help: ArgumentHelp(Say.Staff.updateOsUserHelp.text())) var osUser: String?
        @Option(help: ArgumentHelp(Say.Staff.updateUnitHelp.text())) var unit: String?
        @Option(
            help: ArgumentHelp(
                Say.Staff.updateRoleHelp.text()
            )) var role: [String] = []

        func run() throws {
            var ref = StaffRef()
            ref.login = login
            let roles: [Wire.Role] = try role.map { try wordOption($0, "--role") }
            let stored = try global.withClient { client throws(RPCError) in
                var view = try client.call(DirectoryService.getStaff, ref)
                if let name { view.fullName = name }
                if let osUser { view.osUser = osUser }
                if let unit { view.unit = unit }
                if !roles.isEmpty { view.roles = roles }
                return try client.call(DirectoryService.putStaff, view)
            }
            global.show(stored.output)
        }
    }
}
