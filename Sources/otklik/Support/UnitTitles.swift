import ArgumentParser
import OtklikAPI
import OtklikBase
import OtklikDesk
import OtklikRPC

/// Units as people read them: by their titles in every table and sentence (JSON keeps the codes, which
/// scripts match on), and by their titles in options too (`--executor "Дорожный отдел"`, `--unit
/// дорожный`). The directory's units are asked for once per run, only by a command whose output is
/// for people or that was given a unit; without them (an old daemon, a refused call) a unit is shown by
/// its code and an option is sent as typed.
enum UnitTitles {
    private static let known = Locked<[String: String]?>(nil)

    /// The title of the unit `code`, or the code when there is none.
    static func title(_ code: String) -> String {
        guard !code.isEmpty else { return code }
        return known.withLock { $0?[code] }.flatMap { $0.isEmpty ? nil : $0 } ?? code
    }

    /// Titles of `codes`, comma-separated.
    static func titles(_ codes: [String]) -> String { codes.map(title).joined(separator: ", ") }

    /// Learns the units' titles before a table is drawn (nothing for JSON or when known already).
    static func learn(_ global: GlobalOptions) {
        guard global.output == .table || global.output == .csv else { return }
        load(global)
    }

    private static func load(_ global: GlobalOptions) {
        guard known.withLock({ $0 == nil }) else { return }
        var options = RPCClient.Options()
        options.defaultTimeout = .seconds(5)
        if let actAs = global.actAs { options.defaultMetadata = [MetadataEntry("otklik-as", actAs)] }
        let units = (try? DaemonLink.open(socketPath: global.socketPath, options: options)).flatMap { client in
            let units = try? client.call(DirectoryService.listUnits, ListRequest()).units
            DaemonLink.done(with: client, healthy: units != nil)
            return units
        }
        guard let units else { return }
        known.withLock { titles in
            titles = Dictionary(units.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The code of the unit an option names: its code, its title (case and `ё` aside), or the first
    /// words of its title in any form (`дорожный` for "Дорожный отдел"); text that names none is sent
    /// as typed, for the daemon to refuse naming the units there are.
    static func code(_ text: String, _ global: GlobalOptions, option: String) throws -> String {
        load(global)
        guard let units = known.withLock({ $0 }), units[text] == nil else { return text }
        let typed = SpokenInput.words(text)
        guard !typed.isEmpty else { return text }
        if let exact = units.first(where: { SpokenInput.words($0.value) == typed }) { return exact.key }
        let stems = Stemmer.russian(typed)
        let found = units.filter { _, title in
            let said = SpokenInput.words(title)
            guard said.count >= typed.count else { return false }
            let saidStems = Stemmer.russian(said)
            return typed.indices.allSatisfy {
                saidStems[$0] == stems[$0] || (typed[$0].count >= 3 && said[$0].hasPrefix(typed[$0]))
            }
        }.sorted { $0.key < $1.key }
        switch found.count {
        case 1: return found[0].key
        case 0: return text
        default:
            throw ValidationError(
                Say.General.couldMeanSeveral(
                    option, text, found.map { "\($0.value) (\($0.key))" }.joined(separator: ", ")
                ).text())
        }
    }
}
