import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AccountCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Accounts.addAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(Say.Common.networkHelp.text())) var network: String
        @Option(help: ArgumentHelp(Say.Accounts.nameHelp.text())) var name: String
        @Option(help: ArgumentHelp(Say.Accounts.urlHelp.text())) var url: String

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
