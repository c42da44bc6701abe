import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
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
}
