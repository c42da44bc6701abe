import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Staff.listAbstract.text())
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let staff = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.listStaff, ListRequest())
            }.staff
            global.show(Rows(key: "staff", fields: StaffView.fields, rows: staff))
        }
    }
}
