import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AccountCommand {
    struct List: ParsableCommand {
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let accounts = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.listAccounts, ListRequest())
            }.accounts
            Render.print(global.output) {
                Render.columns(
                    [Language.text("NETWORK", "СЕТЬ"), Language.text("NAME", "НАЗВАНИЕ"), "URL"],
                    accounts.map {
                        [
                            Language.text($0.network, NetworkNames.spoken($0.network) + " (\($0.network))"), $0.name,
                            $0.url,
                        ]
                    })
            } json: {
                .object([
                    (
                        "accounts",
                        .array(
                            accounts.map {
                                .object([
                                    ("network", .string($0.network)), ("name", .string($0.name)),
                                    ("url", .string($0.url)),
                                ])
                            })
                    )
                ])
            }
        }
    }
}
