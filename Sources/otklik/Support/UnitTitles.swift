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
///
/// The titles are kept in one place, `RefusalText.unitTitles`, which the refusals' sentences read too.
enum UnitTitles {
    private static var known: Locked<[String: String]> { RefusalText.unitTitles }

    /// The title of the unit `code`, or the code when there is none.
    static func title(_ code: String) -> String {
        guard !code.isEmpty else { return code }
        return known.withLock { $0[code] }.flatMap { $0.isEmpty ? nil : $0 } ?? code
    }

    /// Titles of `codes`, comma-separated.
    static func titles(_ codes: [String]) -> String { codes.map(title).joined(separator: ", ") }

    /// Learns the units' titles before a table is drawn (nothing for JSON or when known already).
    static func learn(_ global: GlobalOptions) {
        guard global.output == .table || global.output == .csv else { return }
        load(socketPath: global.socketPath, actAs: global.actAs)
    }

    /// Asks the daemon for its units once (nothing when they are known), as `actAs` when given.
    static func load(socketPath: String, actAs: String?, seconds: Int64 = 5) {
        guard known.withLock({ $0.isEmpty }) else { return }
        var options = RPCClient.Options()
        options.defaultTimeout = .seconds(seconds)
        if let actAs { options.defaultMetadata = [MetadataEntry("otklik-as", actAs)] }
        let units = (try? DaemonLink.open(socketPath: socketPath, options: options)).flatMap { client in
            let units = try? client.call(DirectoryService.listUnits, ListRequest()).units
            DaemonLink.done(with: client, healthy: units != nil)
            return units
        }
        guard let units else { return }
        known.withLock { titles in
            for unit in units where titles[unit.name] == nil { titles[unit.name] = unit.title }
        }
    }

    /// The code of the unit an option names: its code, its title (case and `ё` aside), or the first
    /// words of its title in any form (`дорожный` for "Дорожный отдел"); text that names none is sent
    /// as typed, for the daemon to refuse naming the units there are.
    static func code(_ text: String, _ global: GlobalOptions, option: String) throws -> String {
        load(socketPath: global.socketPath, actAs: global.actAs)
        let units = known.withLock { $0 }
        guard units[text] == nil else { return text }
        let sorted = units.sorted { $0.key < $1.key }
        switch SpokenInput.match(text, among: sorted, names: { [$0.key] }, phrases: { [$0.value] }) {
        case .one(let unit): return unit.key
        case .none: return text
        case .several(let found):
            throw ValidationError(
                Say.General.couldMeanSeveral(
                    option, text, found.map { "\($0.value) (\($0.key))" }.joined(separator: ", ")
                ).text())
        }
    }
}
