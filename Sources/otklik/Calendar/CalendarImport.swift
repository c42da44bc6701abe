import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CalendarCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Calendar.importAbstract.text(),
            discussion: Say.Calendar.importDiscussion.text()
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Calendar.calendarFileHelp.text())) var file: String

        func run() throws {
            let years: [ProductionCalendarYear]
            let data = try readInputFile(file)
            do {
                years = try ProductionCalendarFile.decode(data)
            } catch {
                throw ValidationError(Say.Calendar.fileRefused(file, error.description).text())
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
        ([Say.Calendar.importedYears(years.map(String.init).joined(separator: ", "))]
            + schedules.map { Say.Calendar.scheduleVersion($0.name, $0.version) })
            .map { $0.text() }.joined(separator: "\n")
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
