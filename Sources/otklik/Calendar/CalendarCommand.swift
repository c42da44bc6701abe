import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: Say.Calendar.calendarAbstract.text(),
        subcommands: [Due.self, Between.self, Month.self, Year.self, Show.self, Import.self, SetSchedule.self])
}
