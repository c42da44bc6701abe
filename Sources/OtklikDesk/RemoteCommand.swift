public import Foundation
import OtklikBase

/// The command that reaches a daemon on another machine (issue 27): the system's OpenSSH client, so the
/// user's own `~/.ssh/config`, keys and agent apply, running `otklik dial-stdio` on the host. One SSH
/// session carries every call and stream of a client (ttrpc multiplexes them), and sessions share one
/// SSH connection for ten minutes (`ControlMaster=auto`, `ControlPersist`), so a day of commands
/// does not pay a handshake each.
public enum RemoteCommand {
    /// The set-up deadline: seconds from starting ssh to the daemon's first answer through it; 10 by
    /// default, `$OTKLIK_CONNECT_TIMEOUT` (2 to 300) for a slow link.
    public static let connectSeconds: Int = {
        guard let text = ProcessInfo.processInfo.environment["OTKLIK_CONNECT_TIMEOUT"], let seconds = Int(text),
            (2...300).contains(seconds)
        else { return 10 }
        return seconds
    }()

    /// Seconds ssh itself may take to connect and complete the handshake: less than the set-up
    /// deadline, so a host that never answers is said in ssh's words (timed out), not as a stalled stream.
    public static var sshConnectSeconds: Int { connectSeconds - 1 }

    /// The longest directory a shared connection's socket can go in: a Unix socket's path holds at most
    /// 107 bytes, and the socket's path is the directory, "/", the name (16) and the 17 characters ssh
    /// adds to it while it makes the socket.
    public static let longestControlDirectory = 107 - 1 - 16 - 17

    /// The name of the shared connection's socket for `address`: the first 16 hex digits of SHA-256 over
    /// `user@host:port` as given (empty where not given). Not ssh's own `%C` (40 digits): with it a home
    /// directory of more than 32 bytes left no room. The Python client names it the same, so a script and
    /// the CLI share one connection.
    public static func controlName(_ address: HostAddress) -> String {
        let key = (address.user ?? "") + "@" + address.host + ":" + (address.port.map { String($0) } ?? "")
        return String(SHA256Digest.hex(of: Array(key.utf8)).prefix(16))
    }

    /// The argv of the ssh command reaching `address`'s daemon. `program`: the ssh client
    /// (`$OTKLIK_SSH`, else `ssh`); `remote`: the otklik program on the host (`$OTKLIK_REMOTE_OTKLIK`,
    /// else `otklik` on the host's PATH); `controlDirectory`: where the shared connection's socket goes
    /// (nil: no sharing).
    public static func ssh(
        _ address: HostAddress, program: String = "ssh", remote: String = "otklik", controlDirectory: String?
    ) -> [String] {
        var argv = [
            program, "-T",
            // No prompt can be answered on a binary stream: keys and the agent only.
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=\(sshConnectSeconds)",
            // The link's liveness: ttrpc has no pings of its own.
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3",
        ]
        if let controlDirectory {
            argv += [
                "-o", "ControlMaster=auto", "-o", "ControlPersist=10m",
                // `%` starts ssh's tokens: one in the directory is written `%%`.
                "-o",
                "ControlPath=\(controlDirectory.replacingOccurrences(of: "%", with: "%%"))/\(controlName(address))",
            ]
        }
        if let user = address.user { argv += ["-l", user] }
        if let port = address.port { argv += ["-p", String(port)] }
        var command = HostAddress.shellQuoted(remote) + " dial-stdio"
        if let socket = address.socketPath { command += " --socket " + HostAddress.shellQuoted(socket) }
        return argv + ["--", address.host, command]
    }

    /// A directory for the shared connections' sockets only this user may enter: under
    /// `$XDG_RUNTIME_DIR`, else `~/.ssh`; nil when none can be made (then every command connects anew).
    public static func controlDirectory(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        let base: String
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            base = runtime + "/otklik-ssh"
        } else {
            base = NSHomeDirectory() + "/.ssh/otklik"
        }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if !manager.fileExists(atPath: base, isDirectory: &isDirectory) {
            guard
                (try? manager.createDirectory(
                    atPath: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
            else { return nil }
        } else if !isDirectory.boolValue {
            return nil
        }
        guard base.utf8.count <= longestControlDirectory else { return nil }
        guard let attributes = try? manager.attributesOfItem(atPath: base),
            (attributes[.posixPermissions] as? Int).map({ $0 & 0o077 == 0 }) == true,
            (attributes[.ownerAccountID] as? NSNumber)?.uint32Value == getuid()
        else { return nil }
        return base
    }
}
