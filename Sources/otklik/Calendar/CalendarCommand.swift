import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: Language.text(
            "Working time: due times, working time between instants, the production calendar, schedules.",
            "Рабочее время: сроки, рабочее время между моментами, производственный календарь, графики."),
        subcommands: [Due.self, Between.self, Month.self, Year.self, Show.self, Import.self, SetSchedule.self])
}
