import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension UnitCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Units.addAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Units.codeHelp.text())) var name: String
        @Option(help: ArgumentHelp(Say.Units.titleHelp.text())) var title: String
        @Option(
            help: ArgumentHelp(
                Say.Units.kindHelp.text())) var kind = "department"
        @Option(
            help: ArgumentHelp(
                Say.Units.scheduleHelp.text()))
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
