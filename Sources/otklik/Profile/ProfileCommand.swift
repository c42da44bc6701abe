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
        abstract: Say.Profile.profileAbstract.text(),
        subcommands: [Show.self])
}
