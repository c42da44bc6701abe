import OtklikAPI
import OtklikBase
import OtklikDesk
import OtklikRPC

/// Units as people read them: by their titles in every table and sentence (JSON keeps the codes, which
/// scripts match on). The directory's units are asked for once per run, only by a command whose
/// output is for people; without them (an old daemon, a refused call) a unit is shown by its code.
enum UnitTitles {
    private static let known = Locked<[String: String]>([:])

    /// The title of the unit `code`, or the code when there is none.
    static func title(_ code: String) -> String {
        guard !code.isEmpty else { return code }
        return known.withLock { $0[code] }.flatMap { $0.isEmpty ? nil : $0 } ?? code
    }

    /// Titles of `codes`, comma-separated.
    static func titles(_ codes: [String]) -> String { codes.map(title).joined(separator: ", ") }

    /// Learns the units' titles before a table is drawn (nothing for JSON or when known already).
    static func learn(_ global: GlobalOptions) {
        guard global.output == .table || global.output == .csv, known.withLock({ $0.isEmpty }) else { return }
        let units = try? global.withClient { client throws(RPCError) in
            try client.call(DirectoryService.listUnits, ListRequest()).units
        }
        known.withLock { titles in
            for unit in units ?? [] { titles[unit.name] = unit.title }
        }
    }
}
