import ArgumentParser
import Foundation
import OtklikBase
import OtklikDesk
import OtklikRPC

/// How this run reaches the daemon: its local socket, or another machine's through OpenSSH
/// (`--host ssh://...` or `$OTKLIK_HOST`, issue 27). Every client the CLI opens comes from here, so a
/// command, its follow-up lookups (unit titles, a login meant) and its error hints reach the same daemon.
enum DaemonLink {
    /// The remote address in force for this run, once read.
    private static let remote = Locked<HostAddress??>(nil)

    /// The address `--host` (else `$OTKLIK_HOST`) names; nil for the local socket. A text that is no
    /// address is a usage error.
    static func address(flag: String?) throws -> HostAddress? {
        if let known = remote.withLock({ $0 }) { return known }
        let text = flag ?? ProcessInfo.processInfo.environment["OTKLIK_HOST"].flatMap { $0.isEmpty ? nil : $0 }
        var address: HostAddress?
        if let text {
            do throws(HostAddress.Refusal) {
                address = try HostAddress(parsing: text)
            } catch {
                throw ValidationError(Say.Remote.notAnAddress(text).text())
            }
        }
        remote.withLock { $0 = .some(address) }
        return address
    }

    /// The address in force, when one was read.
    static var current: HostAddress? { remote.withLock { $0 ?? nil } }

    /// Through ssh, one session serves the whole run (the command, then its lookups: unit titles, a
    /// login meant): a client done with is parked here, not closed, and taken again by the next that
    /// asks with the same metadata. Opening an SSH session costs more than the call (benchmarks/remote).
    private static let parked = Locked<RPCClient?>(nil)

    /// Keeps a remote client for the next use in this run; a local one is closed.
    static func done(with client: RPCClient, healthy: Bool) {
        guard client.command != nil, healthy else {
            client.close()
            return
        }
        let previous = parked.withLock { slot -> RPCClient? in
            defer { slot = client }
            return slot === client ? nil : slot
        }
        previous?.close()
    }

    /// The parked remote client, when its metadata is `metadata`.
    static func take(metadata: [MetadataEntry]) -> RPCClient? {
        parked.withLock { slot -> RPCClient? in
            guard let client = slot, client.options.defaultMetadata == metadata else { return nil }
            slot = nil
            return client
        }
    }

    /// A client of the daemon: through ssh when an address is in force, else on `socketPath`.
    static func open(socketPath: String, options: RPCClient.Options) throws(RPCError) -> RPCClient {
        guard let address = current else { return try RPCClient(socketPath: socketPath, options: options) }
        if let session = take(metadata: options.defaultMetadata) { return session }
        let environment = ProcessInfo.processInfo.environment
        let command = RemoteCommand.ssh(
            address, program: environment["OTKLIK_SSH"].flatMap { $0.isEmpty ? nil : $0 } ?? "ssh",
            remote: environment["OTKLIK_REMOTE_OTKLIK"].flatMap { $0.isEmpty ? nil : $0 } ?? "otklik",
            controlDirectory: RemoteCommand.controlDirectory())
        return try RPCClient(command: command, label: address.text, options: options)
    }

    /// Why a call through ssh failed, in the reader's language, and its exit status (sysexits); nil
    /// when the failure was not the link's (the daemon answered).
    static func explain(_ error: RPCError) -> (sentence: String, code: Int32)? {
        guard let address = current, RPCClient.isLinkLoss(error),
            let failure = RPCClient.commandFailure.withLock({ $0 })
        else { return nil }
        let host = address.host
        let text = failure.text
        // The last line the command wrote, without the server's program name (dial-stdio's own words).
        var said = text.split(separator: "\n").last.map(String.init) ?? ""
        if said.hasPrefix("otklik: ") { said.removeFirst("otklik: ".count) }
        if error.message.hasPrefix("text came instead of the protocol") {
            let shown = String(error.message.dropFirst("text came instead of the protocol: ".count))
            return (Say.Remote.noise(host, shown).text(), 76)
        }
        switch failure.status {
        case 127 where text.hasPrefix("exec "):
            return (Say.Remote.sshMissing.text(), 69)
        case 127:
            let program =
                ProcessInfo.processInfo.environment["OTKLIK_REMOTE_OTKLIK"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "otklik"
            return (Say.Remote.noOtklik(host, program).text(), 69)
        case 255:
            if text.contains("Could not resolve hostname") || text.contains("Name or service not known") {
                return (Say.Remote.unknownHost(host).text(), 68)
            }
            if text.contains("Host key verification failed") || text.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                || text.contains("No ED25519 host key is known") || text.contains("host key")
            {
                return (Say.Remote.hostKey(host).text(), 77)
            }
            if text.contains("Permission denied") || text.contains("Too many authentication failures") {
                return (Say.Remote.authentication(host).text(), 77)
            }
            if text.contains("Connection refused") || text.contains("timed out") || text.contains("No route to host")
                || text.contains("Network is unreachable") || text.contains("Connection closed by")
            {
                return (Say.Remote.unreachable(host, said).text(), 69)
            }
            if text.contains("Broken pipe") || text.contains("Connection reset") || text.contains("Timeout, server") {
                return (Say.Remote.lost(host, said).text(), 69)
            }
            return (Say.Remote.sshFailed(host, said.isEmpty ? "exit 255" : said).text(), 69)
        case let status? where status == 69 || status == 77 || status == 64:
            // dial-stdio's own refusal on the server: the daemon down, the socket closed to this login.
            return (Say.Remote.onTheServer(host, said).text(), status)
        default:  // any other exit status
            return (Say.Remote.lost(host, said.isEmpty ? error.message : said).text(), 69)
        }
    }
}
