import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AccountCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Accounts.listAbstract.text())
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let accounts = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.listAccounts, ListRequest())
            }.accounts
            global.show(Rows(key: "accounts", fields: AccountView.fields, rows: accounts))
        }
    }
}

extension AccountView {
    /// An account as the directory commands print it.
    static var fields: [Field<AccountView>] {
        [
            Field(
                "network", Say.Common.network, json: { .string($0.network) },
                text: { Say.Accounts.network($0.network, NetworkNames.spoken($0.network)).text() }),
            .string("name", Say.Accounts.name, \.name),
            .string("url", Say.Accounts.url, \.url),
        ]
    }
}
