import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
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
            global.show(stored.output)
        }
    }
}
