import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct UnitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit",
        abstract: Language.text(
            "Units: the curator centre, the administration, departments, institutions.",
            "Подразделения: центр управления регионом, администрация, отделы, учреждения."),
        subcommands: [List.self, Add.self])
}
