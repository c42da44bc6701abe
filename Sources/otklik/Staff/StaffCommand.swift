import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: Language.text(
            "The staff directory: people, their OS users, units and roles; absences.",
            "Справочник сотрудников: люди, их пользователи ОС, подразделения и роли; отсутствия."),
        subcommands: [
            List.self, Show.self, Add.self, Update.self, Deactivate.self, Absence.self, Import.self, Export.self,
        ])
}
