import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Add or replace production calendar years from a JSON file (admin).",
                "Добавить или заменить годы производственного календаря из файла JSON (администратор)."),
            discussion: Language.text(
                "The file has the shape of the shipped Resources/production-calendar-ru.json. Every schedule's version is bumped.",
                "Файл устроен как встроенный Resources/production-calendar-ru.json. Версия каждого графика увеличивается."
            )
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The calendar file.", "Файл календаря."))) var file: String

        func run() throws {
            let years: [ProductionCalendarYear]
            let data = try readInputFile(file)
            do {
                years = try ProductionCalendarFile.decode(data)
            } catch {
                throw ValidationError(Language.text("\(file): ", "\(file) не принят: ") + error.description)
            }
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.importProductionCalendar,
                    ImportProductionCalendarRequest(years: years.map(CalendarYear.init)))
            }
            global.show(answer)
        }
    }
}

/// The years taken and the version each schedule is at now.
extension ImportProductionCalendarResponse: Output {
    var text: String {
        Language.text("Imported years: ", "Загружены годы: ") + years.map(String.init).joined(separator: ", ") + "\n"
            + schedules.map { "\($0.name): " + Language.text("version", "версия") + " \($0.version)" }
            .joined(separator: "\n")
    }
    var json: JSON {
        .object([
            ("years", .array(years.map { .integer(Int64($0)) })),
            (
                "schedules",
                .array(schedules.map { .object([("name", .string($0.name)), ("version", .integer($0.version))]) })
            ),
        ])
    }
}
