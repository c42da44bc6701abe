import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension UnitCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Units.listAbstract.text())
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
            .string("name", Say.Common.unit, \.name),
            .string("title", Say.Units.title, \.title),
            Field("kind", Say.Common.kind, json: { .string($0.kind.name) }, text: { $0.kind.spoken }),
            Field(
                "schedule", Say.Common.schedule, json: { .string($0.schedule) },
                text: { Say.Common.scheduleName($0.schedule).text() }),
        ]
    }
}
