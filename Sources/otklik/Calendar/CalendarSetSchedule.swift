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
            abstract: Say.Calendar.createOrReplaceA.text(),
            discussion: Say.Calendar.theFile.text()
                + #"`{"name": "executor", "time_zone": "Europe/Moscow", "week": {"mon": ["09:00-13:00", "14:00-18:00"], ...}, "working_weekend_hours": "mon"}`"#
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Calendar.theScheduleFile.text())) var file: String
        @Option(
            help: ArgumentHelp(
                Say.Calendar.refuseIfTheStored.text())) var expectedVersion = 0

        func run() throws {
            let schedule: Schedule
            let data = try readInputFile(file)
            do {
                schedule = try ScheduleDocument.decode(data)
            } catch {
                throw ValidationError(Say.Calendar.fileRefused(file).text() + error.description)
            }
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.putSchedule,
                    PutScheduleRequest(schedule: ScheduleView(schedule), expectedVersion: Int64(expectedVersion)))
            }
            global.show(
                Said(
                    text: "\(stored.name): " + Say.Calendar.version.text() + " \(stored.version)",
                    json: .object([("name", .string(stored.name)), ("version", .integer(stored.version))])))
        }
    }
}
