import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: Say.Drafts.draftAbstract.text(),
        subcommands: [Show.self, Submit.self, Approve.self, Return.self, WaiveEvidence.self])
}
