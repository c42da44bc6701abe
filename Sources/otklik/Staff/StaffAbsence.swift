import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Absence: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text("Absences and who stands in (p.6).", "Отсутствия и кто замещает (п. 6)."),
            subcommands: [Add.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: Language.text(
                    "Record an absence [from, to) and the deputy (admin).",
                    "Записать отсутствие [с, по) и замещающего (администратор)."))
            @OptionGroup var global: GlobalOptions
            @Argument var login: String
            @Option(
                help: ArgumentHelp(
                    Language.text(
                        "From (now, 2026-12-01 09:00, ISO 8601, ...).", "С (now, 2026-12-01 09:00, ISO 8601, ...).")))
            var from: String
            @Option(
                help: ArgumentHelp(
                    Language.text("Until, exclusive (the same forms).", "По, не включая (в тех же формах)."))) var to:
                String
            @Option(help: ArgumentHelp(Language.text("Who stands in.", "Кто замещает."))) var deputy: String
            @Option(help: ArgumentHelp(Language.text("Leave, illness, trip...", "Отпуск, болезнь, командировка...")))
            var reason = ""

            func run() throws {
                var request = AddAbsenceRequest()
                request.login = login
                request.fromUnix = try global.instant(from, "--from").seconds
                request.toUnix = try global.instant(to, "--to").seconds
                request.deputy = deputy
                request.reason = reason
                let absence = try global.withClient { client throws(RPCError) in
                    try client.call(DirectoryService.addAbsence, request)
                }
                global.show(Record(fields: AbsenceView.fields, value: absence))
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: Language.text("Every recorded absence.", "Все записанные отсутствия."))
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
            .string("login", Phrase("Login", "Логин"), \.login),
            .string("from", Phrase("From", "С"), \.from),
            .string("to", Phrase("To", "По"), \.to),
            .string("deputy", Phrase("Deputy", "Замещает"), \.deputy),
            .string("reason", Phrase("Reason", "Причина"), \.reason),
        ]
    }
}
