import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct SetSchedule: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-schedule",
            abstract: Say.Calendar.setScheduleAbstract.text(),
            discussion: Say.Calendar.setScheduleDiscussion.text())

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Calendar.scheduleFileHelp.text())) var file: String
        @Option(
            help: ArgumentHelp(
                Say.Calendar.expectedVersionHelp.text())) var expectedVersion = 0

        func run() throws {
            let schedule: Schedule
            let data = try readInputFile(file)
            do {
                schedule = try ScheduleDocument.decode(data)
            } catch {
                throw ValidationError(Say.Calendar.fileRefused(file, error.description).text())
            }
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.putSchedule,
                    PutScheduleRequest(schedule: ScheduleView(schedule), expectedVersion: Int64(expectedVersion)))
            }
            global.show(
                Said(
                    text: Say.Calendar.scheduleVersion(stored.name, stored.version).text(),
                    json: .object([("name", .string(stored.name)), ("version", .integer(stored.version))])))
        }
    }
}
