import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

struct ReplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: Language.text(
            "Replies: publish, record the author's answer.", "Ответы: опубликовать, записать ответ автора."),
        subcommands: [Publish.self, AuthorAnswered.self])
}
