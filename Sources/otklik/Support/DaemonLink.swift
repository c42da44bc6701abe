import ArgumentParser
import Foundation
import OtklikAPI
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
        // A session that could not be set up is not tried again in the same run (the command's
        // lookups and the command itself would each wait the deadline); `watch` forgets it to retry.
        if let failed = failedSetUp.withLock({ $0 }) { throw failed }
        let environment = ProcessInfo.processInfo.environment
        let command = RemoteCommand.ssh(
            address, program: environment["OTKLIK_SSH"].flatMap { $0.isEmpty ? nil : $0 } ?? "ssh",
            remote: environment["OTKLIK_REMOTE_OTKLIK"].flatMap { $0.isEmpty ? nil : $0 } ?? "otklik",
            controlDirectory: RemoteCommand.controlDirectory())
        do throws(RPCError) {
            let client = try RPCClient(command: command, label: address.text, options: options)
            try checkSetUp(client)
            return client
        } catch  where RPCClient.isLinkLoss(error) || error.message == setUpExpired {
            failedSetUp.withLock { $0 = error }
            throw error
        }
    }

    /// The set-up failure of this run, if a session could not be opened.
    private static let failedSetUp = Locked<RPCError?>(nil)

    /// Lets the next `open` try a new session again (a `watch` waiting for the link to come back).
    static func forgetFailedSetUp() { failedSetUp.withLock { $0 = nil } }

    /// Set by `checkSetUp` when a new SSH session did not answer within the set-up deadline.
    static let setUpExpired = "otklik: no answer within the set-up deadline"

    /// The set-up deadline (issue 27, item 5): a new session must carry one answer of the daemon within
    /// `RemoteCommand.connectSeconds` of starting ssh, whatever stalls (a host that accepts and says
    /// nothing: ssh's own ConnectTimeout; a login script or a forced command that never starts the
    /// stream; a daemon there that hangs). Without it a `watch`, which has no deadline, would wait for
    /// ever. Health is every login's, so its refusal is the daemon refusing this login altogether.
    private static func checkSetUp(_ client: RPCClient) throws(RPCError) {
        do throws(RPCError) {
            _ = try client.call(AdminService.health, HealthRequest(), timeout: .seconds(RemoteCommand.connectSeconds))
        } catch  where error.code == .deadlineExceeded {
            // ssh's own ConnectTimeout ends at the same moment for a host that never completes the
            // handshake: then its words say what happened, not ours.
            if let command = client.command, let status = command.exitStatus(waiting: 0.5) {
                RPCClient.commandFailure.withLock { $0 = (status, command.errorText) }
                client.close()
                throw RPCError(.unavailable, "connection to the daemon lost")
            }
            client.close()
            throw RPCError(.unavailable, setUpExpired)
        } catch {
            // The link's loss, or the daemon's refusal of this login (a stranger's connection is refused
            // whatever it asks): the command's own call would meet the same.
            client.close()
            throw error
        }
    }

    /// The program a shell on the server could not find, in its words: dash's "sh: 1: PATH: not found",
    /// bash's "bash: line 1: PATH: No such file or directory" or "PATH: command not found".
    static func triedPath(_ text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            for ending in [": not found", ": No such file or directory", ": command not found"] {
                guard let end = line.range(of: ending, options: .backwards) else { continue }
                let path = line[..<end.lowerBound].split(separator: ":").last.map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                if let path, !path.isEmpty, !path.contains(" ") { return path }
            }
        }
        return nil
    }

    /// Why a call through ssh failed, in the reader's language, and its exit status (sysexits); nil
    /// when the failure was not the link's (the daemon answered).
    /// `lasting`: trying again will not help until someone acts (a name, a key, a login, a program
    /// missing), so a `watch` stops instead of waiting.
    static func explain(_ error: RPCError) -> (sentence: String, code: Int32, lasting: Bool)? {
        guard let address = current else { return nil }
        if error.message == setUpExpired {
            return (Say.Remote.setUpExpired(address.host, RemoteCommand.connectSeconds).text(), 69, false)
        }
        guard RPCClient.isLinkLoss(error), let failure = RPCClient.commandFailure.withLock({ $0 }) else { return nil }
        let host = address.host
        let text = failure.text
        // The last line the command wrote, without the server's program name (dial-stdio's own words).
        // (ssh ends its lines with CR LF, one Character in Swift: split on every kind of line end.)
        var said = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        if said.hasPrefix("otklik: ") { said.removeFirst("otklik: ".count) }
        if error.message.hasPrefix("text came instead of the protocol") {
            let shown = String(error.message.dropFirst("text came instead of the protocol: ".count))
            return (Say.Remote.noise(host, shown).text(), 76, true)
        }
        switch failure.status {
        case 127 where text.hasPrefix("exec "):
            return (Say.Remote.sshMissing.text(), 69, true)
        case 127:
            // The path the server's shell tried, from its own words ("sh: 1: /opt/otklik/bin/otklik: not
            // found"): a forced command's, which the client cannot know; else the name asked for.
            let asked =
                ProcessInfo.processInfo.environment["OTKLIK_REMOTE_OTKLIK"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "otklik"
            return (Say.Remote.noOtklik(host, triedPath(text) ?? asked).text(), 69, true)
        case 255:
            if text.contains("Could not resolve hostname") || text.contains("Name or service not known") {
                // "Temporary failure in name resolution": the resolver is away (a laptop waking up, the
                // network not up yet), not a wrong name: worth waiting for.
                return (Say.Remote.unknownHost(host).text(), 68, !text.contains("Temporary failure"))
            }
            if text.contains("Host key verification failed") || text.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                || text.contains("No ED25519 host key is known") || text.contains("host key")
            {
                return (Say.Remote.hostKey(host).text(), 77, true)
            }
            if text.contains("Permission denied") || text.contains("Too many authentication failures") {
                return (Say.Remote.authentication(host).text(), 77, true)
            }
            if text.contains("Connection refused") || text.contains("timed out") || text.contains("No route to host")
                || text.contains("Network is unreachable") || text.contains("Connection closed by")
            {
                return (Say.Remote.unreachable(host, said).text(), 69, false)
            }
            if text.contains("Broken pipe") || text.contains("Connection reset") || text.contains("Timeout, server") {
                return (Say.Remote.lost(host, said).text(), 69, false)
            }
            return (Say.Remote.sshFailed(host, said.isEmpty ? "exit 255" : said).text(), 69, false)
        case let status? where status == 69 || status == 77 || status == 64:
            // dial-stdio's own refusal on the server: the daemon down, the socket closed to this login.
            return (Say.Remote.onTheServer(host, said).text(), status, status != 69)
        default:  // any other exit status
            return (Say.Remote.lost(host, said.isEmpty ? error.message : said).text(), 69, false)
        }
    }
}
