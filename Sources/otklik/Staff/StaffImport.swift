import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension StaffCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Staff.importAbstract.text(),
            discussion: Say.Staff.importDiscussion.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Staff.importFileHelp.text())) var file: String
        @Flag(
            help: ArgumentHelp(
                Say.Staff.applyHelp.text())) var apply = false

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
                "applied", Say.Staff.written, json: { .bool($0.applied) },
                text: {
                    $0.applied
                        ? Say.Staff.yes.text()
                        : Say.Staff.dryRun.text()
                }),
            Field("added", Say.Staff.added, json: { strings($0.added) }, text: { logins($0.added) }),
            Field(
                "updated", Say.Staff.updated, json: { strings($0.updated) }, text: { logins($0.updated) }),
            Field(
                "unchanged", Say.Staff.unchanged, json: { strings($0.unchanged) },
                text: { String($0.unchanged.count) }),
        ]
    }
}
