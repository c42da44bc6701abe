import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: Say.Staff.staffAbstract.text(),
        subcommands: [
            List.self, Show.self, Add.self, Update.self, Deactivate.self, Absence.self, Import.self, Export.self,
        ])
}
