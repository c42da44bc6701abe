import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct AssignmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assignment",
        abstract: Language.text(
            "Who answers for an assignment (p.21); cancel one made by mistake.",
            "Кто отвечает за поручение (п. 21); отмена ошибочного поручения."),
        subcommands: [Take.self, Give.self, Cancel.self])
}
