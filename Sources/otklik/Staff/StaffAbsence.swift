import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Absence: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Staff.absenceAbstract.text(),
            subcommands: [Add.self, Remove.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: Say.Staff.absenceAddAbstract.text())
            @OptionGroup var global: GlobalOptions
            @Argument(help: ArgumentHelp(Say.Staff.loginHelp.text())) var login: String
            @Option(
                help: ArgumentHelp(
                    Say.Staff.absenceFromHelp.text()))
            var from: String
            @Option(
                help: ArgumentHelp(
                    Say.Staff.absenceToHelp.text())) var to: String
            @Option(help: ArgumentHelp(Say.Staff.deputyHelp.text())) var deputy: String
            @Option(help: ArgumentHelp(Say.Staff.absenceReasonHelp.text()))
            var reason = ""

            func run() throws {
                var request = AddAbsenceRequest()
                request.login = login
                request.fromUnix = try global.instant(from, "--from").seconds
                request.toUnix = try global.instant(to, "--to", bound: .end).seconds
                request.deputy = deputy
                request.reason = reason
                let absence = try global.withClient { client throws(RPCError) in
                    try client.call(DirectoryService.addAbsence, request)
                }
                global.show(Record(fields: AbsenceView.fields, value: absence))
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: Say.Staff.absenceRemoveAbstract.text())
            @OptionGroup var global: GlobalOptions
            @Argument(help: ArgumentHelp(Say.Staff.absenceIDHelp.text())) var id: Int64
            @Option(help: ArgumentHelp(Say.Staff.removeReasonHelp.text())) var reason: String

            func run() throws {
                var request = RemoveAbsenceRequest()
                request.id = id
                request.reason = reason
                let absence = try global.withClient { client throws(RPCError) in
                    try client.call(DirectoryService.removeAbsence, request)
                }
                global.show(Record(fields: AbsenceView.fields, value: absence))
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: Say.Staff.absenceListAbstract.text())
            @OptionGroup var global: GlobalOptions

            func run() throws {
                let absences = try global.withClient { client throws(RPCError) in
                    try client.call(DirectoryService.listAbsences, ListRequest())
                }.absences
                global.show(Rows(key: "absences", fields: AbsenceView.fields, rows: absences))
            }
        }
    }
}

extension AbsenceView {
    /// An absence as the directory commands print it.
    static var fields: [Field<AbsenceView>] {
        [
            .script("id") { .integer($0.id) },
            .string("login", Say.Common.login, \.login),
            Field("from", Say.Staff.from, json: { .string($0.from) }, text: { PeopleTime.text($0.from) }),
            Field("to", Say.Staff.to, json: { .string($0.to) }, text: { PeopleTime.text($0.to) }),
            .string("deputy", Say.Staff.deputy, \.deputy),
            .string("reason", Say.Staff.reason, \.reason),
        ]
    }
}
