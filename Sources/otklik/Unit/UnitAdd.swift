import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension UnitCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Units.addOrChangeA.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Units.theCode.text())) var name: String
        @Option(help: ArgumentHelp(Say.Units.theTitle.text())) var title: String
        @Option(
            help: ArgumentHelp(
                Say.Units.curatorCentreAdministrationDepartment.text())) var kind = "department"
        @Option(
            help: ArgumentHelp(
                Say.Units.theScheduleItWorks.text()))
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
