import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OtklikCore
import OtklikDesk
import OtklikServer
import OtklikStore

/// Where the database lives (`--data`, else `$OTKLIK_DATA`, else `.otklik`): served and offline alike.
struct DataOption: ParsableArguments {
    @Option(help: ArgumentHelp(DaemonSay.Help.data.text()))
    var data: String?

    var directory: String {
        data ?? ProcessInfo.processInfo.environment["OTKLIK_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? ".otklik"
    }
}

/// The regulation profile (`--profile`): its terms and networks when serving, its URL rules (which
/// key the cases) when rebuilding them.
struct ProfileOption: ParsableArguments {
    @Option(help: ArgumentHelp(DaemonSay.Help.profile.text()))
    var profile: String?

    /// The profile named, nil for the shipped one; one that cannot be read exits 64, saying why.
    func read() throws -> RegulationProfile? {
        guard let profile else { return nil }
        do {
            return try RegulationProfile.decode(try Data(contentsOf: URL(fileURLWithPath: profile)))
        } catch {
            OtklikDaemonCommand.say(DaemonSay.profileUnusable(profile, "\(error)").text())
            throw ExitCode(64)
        }
    }
}

/// The OS group staff connect through (`--group`): the socket's group, which also sets the mode the
/// data directory's files are made with.
struct GroupOption: ParsableArguments {
    @Option(help: ArgumentHelp(DaemonSay.Help.group.text()))
    var group: String?

    /// The group's id, nil for none; a group that does not exist exits 64, saying why.
    func id() throws -> gid_t? {
        guard let group else { return nil }
        guard let entry = getgrnam(group) else {
            OtklikDaemonCommand.say(DaemonSay.noGroup(group).text())
            throw ExitCode(64)
        }
        return entry.pointee.gr_gid
    }

    /// Files made from here on are closed to others, group-readable only with a group (as the daemon's).
    func setFileMode() throws -> gid_t? {
        let id = try id()
        umask(id == nil ? 0o077 : 0o027)
        return id
    }
}

/// `otklikd check`: the full check of the database on demand.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: DaemonSay.Help.check.text())

    @OptionGroup var data: DataOption

    func run() throws { try Self.run(data) }

    static func run(_ data: DataOption) throws {
        do {
            let findings = try Store.verify(directory: data.directory)
            guard findings == ["ok"] else {
                OtklikDaemonCommand.say(DaemonSay.damaged(findings.map { "  " + $0 }.joined(separator: "\n")).text())
                throw ExitCode(70)
            }
            print("otklikd: " + DaemonSay.passedCheck.text())
        } catch let error as StoreError {
            OtklikDaemonCommand.say(DaemonSay.error(error))
            throw ExitCode(70)
        }
    }
}

/// `otklikd recover`: what SQLite can read of a damaged database, copied into a new file beside it.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover", abstract: DaemonSay.Help.recover.text())

    @OptionGroup var data: DataOption
    @OptionGroup var group: GroupOption

    func run() throws { try Self.run(data, group) }

    static func run(_ data: DataOption, _ group: GroupOption) throws {
        let socketGroup = try group.setFileMode()
        try offline {
            let lock = try DataDirectoryLock(directory: data.directory, socketGroup: socketGroup)
            defer { lock.release() }
            print(try Recovery.run(directory: data.directory))
        }
    }
}

/// `otklikd rebuild-projections`: the cases rebuilt from the event log, the daemon stopped.
struct RebuildProjectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild-projections", abstract: DaemonSay.Help.rebuildProjections.text())

    @OptionGroup var data: DataOption
    @OptionGroup var profile: ProfileOption
    @OptionGroup var group: GroupOption

    func run() throws { try Self.run(data, profile, group) }

    static func run(_ data: DataOption, _ profile: ProfileOption, _ group: GroupOption) throws {
        let regulation = try profile.read()
        let socketGroup = try group.setFileMode()
        try offline {
            // The lock refuses a rebuild under a running daemon.
            let lock = try DataDirectoryLock(directory: data.directory, socketGroup: socketGroup)
            try lock.checkDatabasePresent()
            let urlKey = try (regulation ?? RegulationProfileFile.load()).urlKey
            let store = try Store(directory: data.directory, urlKey: urlKey)
            lock.markDatabaseCreated()
            defer { store.close() }
            let cases = try store.rebuildProjections()
            print("otklikd: " + DaemonSay.rebuilt(cases).text())
        }
    }
}

/// An offline mode's work; what stops it is said in the reader's language and exits 70.
private func offline(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        OtklikDaemonCommand.say(DaemonSay.error(error))
        throw ExitCode(70)
    }
}
