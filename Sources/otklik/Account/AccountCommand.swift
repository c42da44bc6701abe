import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: Language.text(
            "The administration's accounts in social networks (p.4).",
            "Аккаунты администрации в социальных сетях (п. 4)."),
        subcommands: [List.self, Add.self])
}
