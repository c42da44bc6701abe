import ArgumentParser
import COtklikSystem
import Foundation
import OtklikAPI
import OtklikDesk
import OtklikRPC
#if canImport(Glibc)
import Glibc
#endif

/// `otklik dial-stdio`: the server's end of `--host ssh://...` (issue 27). Connects to the daemon's
/// socket and copies bytes both ways between it and stdin/stdout until either side closes; writes
/// nothing else to stdout (what goes wrong goes to stderr). The daemon sees this process's uid (the SSH
/// login's) through SO_PEERCRED, so the rights are exactly a local user's. Meant as the forced command
/// of a key in `authorized_keys` (docs/DEPLOYMENT.md).
struct DialStdio: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dial-stdio", abstract: Say.Remote.dialStdioAbstract.text(),
        discussion: Say.Remote.dialStdioDiscussion.text())

    @OptionGroup var global: GlobalOptions

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        try global.checkTrust()
        // Always this machine's daemon: dial-stdio is the far end of a --host, never a hop further.
        let path = SocketLocation.forClient(flag: global.socket)
        // The client's own connect: what goes wrong is said as any command says it, on stderr.
        let fd: Int32
        do {
            fd = try RPCClient.connectedSocket(path)
        } catch {
            try global.fail(error)
        }
        // Up: stdin to the daemon; at its end the daemon is told no more comes (half-close).
        let up = Thread {
            Self.copy(from: STDIN_FILENO, to: fd)
            shutdown(fd, Int32(SHUT_WR))
        }
        up.start()
        // Down: the daemon to stdout; when the daemon closes, we are done (stdin may never close).
        Self.copy(from: fd, to: STDOUT_FILENO)
        Glibc.close(fd)
    }

    /// Copies until the end of `source` or a failed write.
    static func copy(from source: Int32, to target: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(source, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            var written = 0
            while written < count {
                let n = buffer.withUnsafeBytes { Glibc.write(target, $0.baseAddress! + written, count - written) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return }
                written += n
            }
        }
    }
}
