import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension UnitCommand {
    struct List: ParsableCommand {
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let units = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.listUnits, ListRequest())
            }.units
            global.show(Rows(key: "units", fields: UnitView.fields, rows: units))
        }
    }
}

extension UnitView {
    /// A unit as the directory commands print it.
    static var fields: [Field<UnitView>] {
        [
            .string("name", Phrase("Unit", "Подразделение"), \.name),
            .string("title", Phrase("Title", "Название"), \.title),
            Field("kind", Phrase("Kind", "Вид"), json: { .string($0.kind.name) }, text: { $0.kind.spoken }),
            Field(
                "schedule", Phrase("Schedule", "График"), json: { .string($0.schedule) },
                text: { Language.text($0.schedule, "«\($0.schedule)»") }),
        ]
    }
}
