import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik profile show`: the regulation profile the daemon works by, every term and rule.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: Language.text(
            "The regulation profile in force: its terms and rules.", "Профиль регламента в силе: его сроки и правила."),
        subcommands: [Show.self])
}
