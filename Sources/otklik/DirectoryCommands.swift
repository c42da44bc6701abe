import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

private func staffJSON(_ s: StaffView) -> JSON {
    .object([
        ("login", .string(s.login)), ("full_name", .string(s.fullName)), ("os_user", .string(s.osUser)),
        ("unit", .string(s.unit)),
        ("roles", .array(s.roles.map { .string($0.name) })), ("active", .bool(s.active)),
    ])
}

private func staffRows(_ staff: [StaffView]) -> String {
    Render.columns(
        [
            Language.text("LOGIN", "ЛОГИН"), Language.text("NAME", "ФИО"), Language.text("OS USER", "ПОЛЬЗОВАТЕЛЬ ОС"),
            Language.text("UNIT", "ПОДРАЗДЕЛЕНИЕ"),
            Language.text("ROLES", "РОЛИ"), Language.text("ACTIVE", "АКТИВЕН"),
        ],
        staff.map {
            [
                $0.login, $0.fullName, $0.osUser, $0.unit, $0.roles.map(\.name).joined(separator: ","),
                $0.active ? Language.text("yes", "да") : Language.text("no", "нет"),
            ]
        })
}

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: Language.text(
            "The staff directory: people, their OS users, units and roles; absences.",
            "Справочник сотрудников: люди, их пользователи ОС, подразделения и роли; отсутствия."),
        subcommands: [
            List.self, Show.self, Add.self, Update.self, Deactivate.self, Absence.self, Import.self, Export.self,
        ])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text("Everyone in the directory.", "Все сотрудники справочника."))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let staff = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.listStaff, ListRequest())
            }.staff
            Render.print(global.output) {
                staffRows(staff)
            } json: {
                .object([("staff", .array(staff.map(staffJSON)))])
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Language.text("One person.", "Один сотрудник."))
        @OptionGroup var global: GlobalOptions
        @Argument var login: String

        func run() throws {
            var ref = StaffRef()
            ref.login = login
            let member = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.getStaff, ref)
            }
            Render.print(global.output) {
                staffRows([member])
            } json: {
                staffJSON(member)
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text("Add a person (admin).", "Добавить сотрудника (администратор)."))
        @OptionGroup var global: GlobalOptions
        @Argument var login: String
        @Option(help: ArgumentHelp(Language.text("Full name.", "ФИО."))) var name: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "The OS user name the person logs in with.",
                    "Пользователь ОС, под которым сотрудник входит в систему."))) var osUser: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Their unit (curators and executors need one).",
                    "Его подразделение (у кураторов и исполнителей обязательно)."))) var unit = ""
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "curator, executor, responsible, head or admin (repeatable).",
                    "`curator` (куратор), `executor` (исполнитель), `responsible` (ответственное лицо), `head` (руководитель) или `admin` (администратор); можно несколько раз."
                ))) var role: [String] = []

        func run() throws {
            var view = StaffView()
            view.login = login
            view.fullName = name
            view.osUser = osUser
            view.unit = unit
            view.roles = try role.map { try wordOption($0, "--role") }
            view.active = true
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.putStaff, view)
            }
            Render.print(global.output) {
                staffRows([stored])
            } json: {
                staffJSON(stored)
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Change a person's name, OS user, unit or roles (admin).",
                "Изменить ФИО, пользователя ОС, подразделение или роли сотрудника (администратор)."))
        @OptionGroup var global: GlobalOptions
        @Argument var login: String
        @Option var name: String?
        @Option var osUser: String?
        @Option var unit: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Replaces the roles when given (repeatable).", "Заменяет роли, если указаны (можно несколько раз).")
            )) var role: [String] = []

        func run() throws {
            var ref = StaffRef()
            ref.login = login
            let roles: [Wire.Role] = try role.map { try wordOption($0, "--role") }
            let stored = try global.withClient { client throws(RPCError) in
                var view = try client.call(DirectoryService.getStaff, ref)
                if let name { view.fullName = name }
                if let osUser { view.osUser = osUser }
                if let unit { view.unit = unit }
                if !roles.isEmpty { view.roles = roles }
                return try client.call(DirectoryService.putStaff, view)
            }
            Render.print(global.output) {
                staffRows([stored])
            } json: {
                staffJSON(stored)
            }
        }
    }

    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Deactivate a person: they can no longer connect (admin).",
                "Отключить сотрудника: он больше не сможет подключиться (администратор)."))
        @OptionGroup var global: GlobalOptions
        @Argument var login: String

        func run() throws {
            var ref = StaffRef()
            ref.login = login
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.deactivateStaff, ref)
            }
            Render.print(global.output) {
                staffRows([stored])
            } json: {
                staffJSON(stored)
            }
        }
    }

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

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Import staff from CSV (admin); a dry run unless --apply.",
                "Импорт сотрудников из CSV (администратор); без --apply только проверка."),
            discussion: Language.text(
                "Header: login;full_name;os_user;unit;roles;active (',' also separates; roles then with '|'). Idempotent.",
                "Заголовок: login;full_name;os_user;unit;roles;active (разделитель также ','; роли тогда через '|'). Повторный импорт ничего не меняет."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument var file: String
        @Flag(
            help: ArgumentHelp(
                Language.text(
                    "Write the changes (without it, only say what would change).",
                    "Записать изменения (без флага — только сказать, что изменится)."))) var apply = false

        func run() throws {
            let data = try readInputFile(file)
            var request = ImportStaffRequest()
            request.csv = String(decoding: data, as: UTF8.self)
            request.apply = apply
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.importStaff, request)
            }
            Render.print(global.output) {
                [
                    (answer.applied
                        ? Language.text("Imported.", "Загружено.")
                        : Language.text(
                            "Dry run, nothing written (add --apply):",
                            "Пробный прогон, ничего не записано (добавьте --apply):")),
                    Language.text("added: ", "добавлено: ")
                        + "\(answer.added.count) \(answer.added.joined(separator: ", "))",
                    Language.text("updated: ", "изменено: ")
                        + "\(answer.updated.count) \(answer.updated.joined(separator: ", "))",
                    Language.text("unchanged: ", "без изменений: ") + "\(answer.unchanged.count)",
                ].joined(separator: "\n")
            } json: {
                .object([
                    ("applied", .bool(answer.applied)), ("added", .array(answer.added.map { .string($0) })),
                    ("updated", .array(answer.updated.map { .string($0) })),
                    ("unchanged", .array(answer.unchanged.map { .string($0) })),
                ])
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "The directory's staff as CSV (UTF-8 with BOM, ';'), for import elsewhere.",
                "Сотрудники справочника в CSV (UTF-8 с BOM, ';') для импорта в другом месте."))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let staff = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.listStaff, ListRequest())
            }.staff
            var lines = [
                "\u{FEFF}" + CSV.line(["login", "full_name", "os_user", "unit", "roles", "active"], separator: ";")
            ]
            for s in staff {
                let cells = [
                    s.login, s.fullName, s.osUser, s.unit, s.roles.map(\.name).joined(separator: ","),
                    s.active ? "1" : "0",
                ]
                lines.append(CSV.line(cells.map { Safe.spreadsheetCell(Safe.terminal($0)) }, separator: ";"))
            }
            print(lines.joined(separator: "\n"))
        }
    }
}

struct UnitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit",
        abstract: Language.text(
            "Units: the curator centre, the administration, departments, institutions.",
            "Подразделения: центр управления регионом, администрация, отделы, учреждения."),
        subcommands: [List.self, Add.self])

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
                    units.map { [$0.name, $0.kind.name, $0.schedule, $0.title] })
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
            Render.print(global.output) {
                "\(stored.name): \(stored.title) (\(stored.kind), \(stored.schedule))"
            } json: {
                .object([
                    ("name", .string(stored.name)), ("title", .string(stored.title)),
                    ("kind", .string(stored.kind.name)),
                    ("schedule", .string(stored.schedule)),
                ])
            }
        }
    }
}

struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: Language.text(
            "The administration's accounts in social networks (p.4).",
            "Аккаунты администрации в социальных сетях (п. 4)."),
        subcommands: [List.self, Add.self])

    struct List: ParsableCommand {
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let accounts = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.listAccounts, ListRequest())
            }.accounts
            Render.print(global.output) {
                Render.columns(
                    [Language.text("NETWORK", "СЕТЬ"), Language.text("NAME", "НАЗВАНИЕ"), "URL"],
                    accounts.map { [$0.network, $0.name, $0.url] })
            } json: {
                .object([
                    (
                        "accounts",
                        .array(
                            accounts.map {
                                .object([
                                    ("network", .string($0.network)), ("name", .string($0.name)),
                                    ("url", .string($0.url)),
                                ])
                            })
                    )
                ])
            }
        }
    }

    struct Add: ParsableCommand {
        @OptionGroup var global: GlobalOptions
        @Option var network: String
        @Option var name: String
        @Option var url: String

        func run() throws {
            var view = AccountView()
            view.network = network
            view.name = name
            view.url = url
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.putAccount, view)
            }
            Render.print(global.output) {
                "\(stored.network): \(stored.name) \(stored.url)"
            } json: {
                .object([
                    ("network", .string(stored.network)), ("name", .string(stored.name)), ("url", .string(stored.url)),
                ])
            }
        }
    }
}

struct AssignmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assignment",
        abstract: Language.text(
            "Who answers for an assignment (p.21); cancel one made by mistake.",
            "Кто отвечает за поручение (п. 21); отмена ошибочного поручения."),
        subcommands: [Take.self, Give.self, Cancel.self])

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Cancel an assignment of a split made wrong; its clocks stop, never late (curator).",
                "Отменить поручение ошибочного разделения; его сроки останавливаются и не нарушаются (куратор)."),
            discussion: Language.text(
                "The case must keep another assignment: to move the only one, use `otklik case reroute`; for a message registered by mistake, `otklik case withdraw`.",
                "В деле должно остаться другое поручение: единственное переносят `otklik case reroute`, а сообщение, зарегистрированное по ошибке, снимают `otklik case withdraw`."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Language.text("The assignment, e.g. 2026-000123/2.", "Поручение, например 2026-000123/2.")))
        var assignment: String
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = CancelAssignmentRequest()
            request.assignmentID = assignment
            request.reason = why.reason
            try global.step(
                CasesService.cancelAssignment, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }

    struct Take: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Take an assignment of your unit: you answer for it.",
                "Взять поручение своего подразделения: отвечать за него будете вы."))
        @OptionGroup var global: GlobalOptions
        @Argument var assignment: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = AssignmentHolderRequest()
            request.assignmentID = assignment
            try global.step(
                CasesService.takeAssignment, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }

    struct Give: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Give an assignment to an executor, who then answers for it.",
                "Передать поручение исполнителю, который будет за него отвечать."))
        @OptionGroup var global: GlobalOptions
        @Argument var assignment: String
        @Option(help: ArgumentHelp(Language.text("The executor's login.", "Логин исполнителя."))) var to: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = AssignmentHolderRequest()
            request.assignmentID = assignment
            request.login = to
            try global.step(
                CasesService.giveAssignment, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}
