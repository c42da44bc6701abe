import COtklikSystem
import Foundation
import OtklikTestSupport
import OtklikAPI
import OtklikCore
@testable import OtklikServer
import OtklikRPC
import Testing
#if canImport(Glibc)
import Glibc
import OtklikStore
import OtklikBase
#endif

/// Where the built executables are: $OTKLIK_BIN, else beside the test bundle.
let binDirectory: String = {
    if let bin = ProcessInfo.processInfo.environment["OTKLIK_BIN"], !bin.isEmpty { return bin }
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("otklikd").path) {
        url.deleteLastPathComponent()
    }
    return url.path
}()

func privateDirectory() -> String {
    Scratch.directory("daemon")
}

/// Runs a command to its end and returns its exit status and output.
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (
    status: Int32, stdout: String, stderr: String
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["LANG"] = "C.UTF-8"
    env["LC_ALL"] = nil
    env["OTKLIK_SOCKET"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// An `otklikd` child process on a private socket and data directory.
final class DaemonProcess {
    let directory: String
    let socketPath: String
    let dataDirectory: String
    let process = Process()
    /// Where the daemon's standard error goes: a file, never a pipe nobody reads while the test runs
    /// (a daemon that logs 64 KiB into a full pipe blocks in the middle of a call).
    let logPath: String

    init(
        arguments: [String] = ["--diagnostics"], directory: String = privateDirectory(), socketDirectory: String? = nil
    ) throws {
        self.directory = directory
        socketPath = (socketDirectory ?? directory) + "/otklik.sock"
        dataDirectory = directory + "/data"
        process.executableURL = URL(fileURLWithPath: binDirectory + "/otklikd")
        process.arguments = ["--socket", socketPath, "--data", dataDirectory] + arguments
        logPath = directory + "/otklikd.log"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let until = Date().addingTimeInterval(10)
        while Date() < until {
            if let client = try? RPCClient(socketPath: socketPath) {
                client.close()
                return
            }
            guard process.isRunning else { break }
            usleep(10_000)
        }
        throw RPCError(.unavailable, "otklikd did not start: \(log())")
    }

    var pid: Int32 { process.processIdentifier }

    func client(options: RPCClient.Options = RPCClient.Options()) throws -> RPCClient {
        try RPCClient(socketPath: socketPath, options: options)
    }

    /// Open descriptors of the daemon process.
    func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for the process to end and returns its exit status.
    func wait(timeout: TimeInterval = 15) -> Int32? {
        let until = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < until { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// What the daemon logged so far (call after it ended).
    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// An in-process daemon on a test clock whose directory holds `units` and `staff` (written once: a
/// restart on the same directory keeps them), started.
func startOffice(
    clock: String, directory: String = privateDirectory(), units: [(String, OrganisationUnit.Kind)],
    staff: [StaffMember],
    configure: (inout DaemonConfiguration) -> Void = { _ in }
) throws -> Daemon {
    var configuration = DaemonConfiguration(socketPath: directory + "/s.sock", dataDirectory: directory + "/data")
    configuration.logger = .silent
    configuration.testClockStart = Instant(iso: clock)!
    configure(&configuration)
    let daemon = try Daemon(configuration)
    if daemon.directory.directory.staff.isEmpty {
        let now = daemon.clock.now
        for (name, kind) in units {
            try daemon.store.putUnit(
                OrganisationUnit(
                    name: name, title: name, kind: kind, schedule: kind == .curatorCentre ? "curator" : "executor"),
                actor: "test", now: now)
        }
        try daemon.store.putStaff(staff, actor: "test", now: now)
        try daemon.store.putAccount(
            SocialAccount(network: "vk", name: "admin-borovichi", url: "https://vk.com/borovichi_adm"), actor: "test",
            now: now)
        daemon.directory.replace(try daemon.store.loadDirectory())
    }
    try daemon.start()
    return daemon
}
