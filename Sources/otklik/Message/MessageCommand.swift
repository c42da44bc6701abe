import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

struct MessageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "message",
        abstract: Language.text("Messages found in social networks.", "Сообщения, найденные в социальных сетях."),
        subcommands: [Register.self])
}
