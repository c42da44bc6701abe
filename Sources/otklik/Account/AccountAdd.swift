import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AccountCommand {
    struct Add: ParsableCommand {
        @OptionGroup var global: GlobalOptions
        @Option var network: String
        @Option var name: String
        @Option var url: String

        func run() throws {
            var view = AccountView()
            view.network = networkOption(network) ?? network
            view.name = name
            view.url = url
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.putAccount, view)
            }
            global.show(Record(fields: AccountView.fields, value: stored))
        }
    }
}
