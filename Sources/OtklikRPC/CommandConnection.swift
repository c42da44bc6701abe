@preconcurrency import Dispatch
import COtklikSystem
import Foundation
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

/// A command whose standard input and output are a client's connection (`ssh -T HOST otklik
/// dial-stdio`: the daemon on another machine, reached through OpenSSH). Its standard error is kept
/// (the last 4 KiB) to say why the connection failed; it runs in a session of its own and is sent
/// SIGTERM if this process dies. `@unchecked Sendable`: the error text is behind `lock`.
public final class CommandConnection: @unchecked Sendable {
    public let command: [String]
    let pid: pid_t
    private let errFD: Int32
    private let lock = NSLock()
    private var errText = [UInt8]()
    private var status: Int32?

    /// Starts `command`; returns it and our end of its connection.
    static func start(_ command: [String]) throws(RPCError) -> (CommandConnection, Int32) {
        var sock: Int32 = -1
        var err: Int32 = -1
        var arguments = command.map { strdup($0) }
        arguments.append(nil)
        defer { for argument in arguments { free(argument) } }
        let pid = arguments.withUnsafeMutableBufferPointer { buffer in
            // Safe to unwrap: `arguments` holds at least its nil terminator, so it has an address.
            otklik_spawn_on_socket(buffer.baseAddress!, &sock, &err)
        }
        guard pid > 0 else {
            throw RPCError(.unavailable, "cannot start \(command.first ?? ""): \(String(cString: strerror(errno)))")
        }
        _ = fcntl(err, F_SETFL, fcntl(err, F_GETFL) | O_NONBLOCK)
        return (CommandConnection(command: command, pid: pid, errFD: err), sock)
    }

    private init(command: [String], pid: pid_t, errFD: Int32) {
        self.command = command
        self.pid = pid
        self.errFD = errFD
    }

    deinit { Glibc.close(errFD) }

    /// Reads what the command wrote to its standard error so far (never waits for its end: a shared
    /// SSH master may hold it open), keeping the last 4 KiB.
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(errFD, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            errText += buffer[0..<count]
            if errText.count > 4096 { errText.removeFirst(errText.count - 4096) }
        }
    }

    /// The command's exit status, once it has ended (waiting at most `seconds` for it).
    public func exitStatus(waiting seconds: Double = 0) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        let giveUp = Date(timeIntervalSinceNow: seconds)
        repeat {
            var raw: Int32 = 0
            let done = waitpid(pid, &raw, WNOHANG)
            if done == pid {
                // WIFEXITED / WEXITSTATUS, WTERMSIG as 128 + signal.
                let code = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                status = code
                return code
            }
            if done < 0 { return nil }
            usleep(2_000)
        } while Date() < giveUp
        return nil
    }

    /// What the command wrote to its standard error, trimmed.
    public var errorText: String {
        lock.lock()
        defer { lock.unlock() }
        drain()
        return String(decoding: errText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Ends the command: SIGTERM, then SIGKILL after `grace` seconds. Called once the connection is
    /// closed, when every answer has come: nothing of the command's is waited for (an SSH session's
    /// orderly end takes round trips a closing client has no use for).
    func end(grace: Double = 2) {
        guard exitStatus(waiting: 0) == nil else { return }
        kill(pid, SIGTERM)
        if exitStatus(waiting: grace) == nil {
            kill(pid, SIGKILL)
            _ = exitStatus(waiting: 1)
        }
    }
}
