import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct AssignmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assignment",
        abstract: Say.Assignments.assignmentAbstract.text(),
        subcommands: [Take.self, Give.self, Cancel.self])
}
