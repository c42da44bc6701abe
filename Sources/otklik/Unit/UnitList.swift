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
            Render.print(global.output) {
                Render.columns(
                    [
                        Language.text("UNIT", "ПОДРАЗДЕЛЕНИЕ"), Language.text("KIND", "ВИД"),
                        Language.text("SCHEDULE", "ГРАФИК"), Language.text("TITLE", "НАЗВАНИЕ"),
                    ],
                    units.map { [$0.name, $0.kind.spoken, Language.text($0.schedule, "«\($0.schedule)»"), $0.title] })
            } json: {
                .object([
                    (
                        "units",
                        .array(
                            units.map { u in
                                .object([
                                    ("name", .string(u.name)), ("title", .string(u.title)),
                                    ("kind", .string(u.kind.name)),
                                    ("schedule", .string(u.schedule)),
                                ])
                            })
                    )
                ])
            }
        }
    }
}
