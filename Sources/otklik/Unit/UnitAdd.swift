import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension UnitCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Add or change a unit (admin).", "Добавить или изменить подразделение (администратор)."))
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        @Option var title: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "curator_centre, administration, department or institution.",
                    "`curator_centre` (центр управления регионом), `administration` (администрация), `department` (отдел) или `institution` (учреждение)."
                ))) var kind = "department"
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "The schedule it works by (default: curator for the centre, executor otherwise).",
                    "График, по которому оно работает (по умолчанию «curator» для центра, «executor» для остальных).")))
        var schedule =
            ""

        func run() throws {
            var view = UnitView()
            view.name = name
            view.title = title
            view.kind = try wordOption(kind, "--kind")
            view.schedule = schedule
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.putUnit, view)
            }
            global.show(Record(fields: UnitView.fields, value: stored))
        }
    }
}
