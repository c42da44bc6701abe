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
        let code = Self.relay(socketFlag: global.socket)
        if code != 0 { throw ExitCode(code) }
    }

    /// The socket flag when `arguments` (after the program's name) are exactly `dial-stdio` with at
    /// most `--socket PATH`: then `main` relays at once, without building the command tree. ssh starts
    /// this before every remote command, and the tree costs most of a start (issue 27, item 6:
    /// benchmarks/remote). Any other form (help, other options) goes through the parser.
    static func direct(_ arguments: [String]) -> String?? {
        guard arguments.first == "dial-stdio" else { return nil }
        switch arguments.count {
        case 1: return .some(nil)
        case 2 where arguments[1].hasPrefix("--socket=") && arguments[1].count > "--socket=".count:
            return .some(String(arguments[1].dropFirst("--socket=".count)))
        case 3 where arguments[1] == "--socket" && !arguments[2].isEmpty && !arguments[2].hasPrefix("-"):
            return .some(arguments[2])
        // More arguments: not dial-stdio's.
        default: return nil
        }
    }

    /// Connects to this machine's daemon and copies both ways until the daemon closes; the exit code.
    static func relay(socketFlag: String?) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        // Always this machine's daemon: dial-stdio is the far end of a --host, never a hop further, so
        // what it says names the socket here even where OTKLIK_HOST is set.
        let path = SocketLocation.forClient(flag: socketFlag)
        do {
            try GlobalOptions.checkTrust(socketFlag: socketFlag, path: path)
        } catch {
            return (error as? ExitCode)?.rawValue ?? 77
        }
        // The client's own connect: what goes wrong is said as any command says it, on stderr.
        let fd: Int32
        do {
            fd = try RPCClient.connectedSocket(path)
        } catch {
            let failure = GlobalOptions.local(error, socketPath: path)
            Safe.printError(failure.sentence)
            return failure.code
        }
        // Up: stdin to the daemon; at its end the daemon is told no more comes (half-close).
        let up = Thread {
            copy(from: STDIN_FILENO, to: fd)
            shutdown(fd, Int32(SHUT_WR))
        }
        up.start()
        // Down: the daemon to stdout; when the daemon closes, we are done (stdin may never close).
        copy(from: fd, to: STDOUT_FILENO)
        Glibc.close(fd)
        return 0
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
                // Safe to unwrap: `count > 0`, so the buffer is not empty and has a base address.
                let n = buffer.withUnsafeBytes { Glibc.write(target, $0.baseAddress! + written, count - written) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return }
                written += n
            }
        }
    }
}
