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
            abstract: Language.text(
                "Create or replace a schedule from a JSON file (admin).",
                "Создать или заменить график из файла JSON (администратор)."),
            discussion: Language.text("The file: ", "Файл такой: ")
                + #"`{"name": "executor", "time_zone": "Europe/Moscow", "week": {"mon": ["09:00-13:00", "14:00-18:00"], ...}, "working_weekend_hours": "mon"}`"#
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The schedule file.", "Файл графика."))) var file: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Refuse if the stored schedule is not at this version (0: do not check).",
                    "Отказать, если сохранённый график не этой версии (0 — не проверять)."))) var expectedVersion = 0

        func run() throws {
            let schedule: Schedule
            let data = try readInputFile(file)
            do {
                schedule = try ScheduleDocument.decode(data)
            } catch {
                throw ValidationError(Language.text("\(file): ", "\(file) не принят: ") + error.description)
            }
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.putSchedule,
                    PutScheduleRequest(schedule: ScheduleView(schedule), expectedVersion: Int64(expectedVersion)))
            }
            global.show(
                Said(
                    text: "\(stored.name): " + Language.text("version", "версия") + " \(stored.version)",
                    json: .object([("name", .string(stored.name)), ("version", .integer(stored.version))])))
        }
    }
}
