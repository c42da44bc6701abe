import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Staff.exportAbstract.text())
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let staff = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.listStaff, ListRequest())
            }.staff
            var lines = [
                "\u{FEFF}" + CSV.line(["login", "full_name", "os_user", "unit", "roles", "active"], separator: ";")
            ]
            for s in staff {
                let cells = [
                    s.login, s.fullName, s.osUser, s.unit, s.roles.map(\.name).joined(separator: ","),
                    s.active ? "1" : "0",
                ]
                lines.append(CSV.line(cells.map { CSV.inert(Safe.terminal($0)) }, separator: ";"))
            }
            print(lines.joined(separator: "\n"))
        }
    }
}
