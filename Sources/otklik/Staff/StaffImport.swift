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
            global.show(Record(fields: ImportStaffResponse.fields, value: answer))
        }
    }
}

extension ImportStaffResponse {
    /// What an import did, or would do without --apply.
    static var fields: [Field<ImportStaffResponse>] {
        func logins(_ list: [String]) -> String {
            list.isEmpty ? "0" : "\(list.count): " + list.joined(separator: ", ")
        }
        func strings(_ list: [String]) -> JSON { .array(list.map { .string($0) }) }
        return [
            Field(
                "applied", Phrase("Written", "Записано"), json: { .bool($0.applied) },
                text: {
                    $0.applied
                        ? Language.text("yes", "да")
                        : Language.text(
                            "no, a dry run (add --apply to write)", "нет, пробный прогон (добавьте --apply для записи)")
                }),
            Field("added", Phrase("Added", "Добавлено"), json: { strings($0.added) }, text: { logins($0.added) }),
            Field(
                "updated", Phrase("Updated", "Изменено"), json: { strings($0.updated) }, text: { logins($0.updated) }),
            Field(
                "unchanged", Phrase("Unchanged", "Без изменений"), json: { strings($0.unchanged) },
                text: { String($0.unchanged.count) }),
        ]
    }
}
