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
                Render.print(global.output) {
                    "\(absence.login): \(absence.from) — \(absence.to), " + Language.text("deputy ", "замещает ")
                        + absence.deputy
                } json: {
                    .object([
                        ("id", .integer(absence.id)), ("login", .string(absence.login)),
                        ("from", .string(absence.from)),
                        ("to", .string(absence.to)), ("deputy", .string(absence.deputy)),
                        ("reason", .string(absence.reason)),
                    ])
                }
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
                Render.print(global.output) {
                    Render.columns(
                        [
                            Language.text("LOGIN", "ЛОГИН"), Language.text("FROM", "С"), Language.text("TO", "ПО"),
                            Language.text("DEPUTY", "ЗАМЕЩАЕТ"),
                            Language.text("REASON", "ПРИЧИНА"),
                        ],
                        absences.map { [$0.login, $0.from, $0.to, $0.deputy, $0.reason] })
                } json: {
                    .object([
                        (
                            "absences",
                            .array(
                                absences.map { a in
                                    .object([
                                        ("id", .integer(a.id)), ("login", .string(a.login)), ("from", .string(a.from)),
                                        ("to", .string(a.to)),
                                        ("deputy", .string(a.deputy)), ("reason", .string(a.reason)),
                                    ])
                                })
                        )
                    ])
                }
            }
        }
    }
}
