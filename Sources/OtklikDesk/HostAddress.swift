import Foundation

/// Where the daemon is, as people name it: `ssh://[user@]host[:port][/path/to/otklik.sock]` (issue 27):
/// reached through the system's OpenSSH client, which runs `otklik dial-stdio` on the host. Parsed as
/// docker parses `DOCKER_HOST=ssh://...`: no password, no query, no fragment, no host that ssh would
/// take for an option; every part is passed to ssh as an argument of its own, and the socket path is
/// quoted for the remote shell.
public struct HostAddress: Sendable, Equatable {
    public var user: String?
    public var host: String
    public var port: Int?
    /// The socket on the host; nil: the daemon's standard one there.
    public var socketPath: String?

    public enum Refusal: Error, Sendable, Equatable {
        case notSSH, password, query, noHost, badHost, badPort, badUser, badPath
    }

    public init(parsing text: String) throws(Refusal) {
        guard text.hasPrefix("ssh://") else { throw .notSSH }
        var rest = Substring(text.dropFirst("ssh://".count))
        guard !rest.contains("?") else { throw .query }
        guard !rest.contains("#") else { throw .query }
        var path: Substring?
        if let slash = rest.firstIndex(of: "/") {
            path = rest[slash...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let user = rest[..<at]
            guard !user.contains(":") else { throw .password }
            guard !user.isEmpty, user.first != "-",
                user.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) })
            else { throw .badUser }
            self.user = String(user)
            rest = rest[rest.index(after: at)...]
        }
        if let colon = rest.lastIndex(of: ":"), !rest.hasPrefix("[") || rest[..<colon].hasSuffix("]") {
            guard let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port) else {
                throw .badPort
            }
            self.port = port
            rest = rest[..<colon]
        }
        if rest.hasPrefix("["), rest.hasSuffix("]") { rest = rest.dropFirst().dropLast() }
        guard !rest.isEmpty else { throw .noHost }
        // A host is a name or an address: never something ssh would read as an option or a shell would.
        guard rest.first != "-", rest.allSatisfy({ $0.isLetter || $0.isNumber || ".-_:".contains($0) }) else {
            throw .badHost
        }
        host = String(rest)
        if let path, path != "/" {
            guard path.allSatisfy({ !$0.isNewline && $0 != "\0" && $0.asciiValue.map { $0 >= 0x20 } ?? true }) else {
                throw .badPath
            }
            socketPath = String(path)
        }
    }

    /// `ssh://user@host:port/path` as given (for messages).
    public var text: String {
        "ssh://" + (user.map { $0 + "@" } ?? "") + host + (port.map { ":\($0)" } ?? "") + (socketPath ?? "")
    }

    /// `text` quoted for a POSIX shell: the host's shell reads the command ssh sends it.
    public static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
