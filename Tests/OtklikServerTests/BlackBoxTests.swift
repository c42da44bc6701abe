import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The executables as a person and a script use them.
@Suite struct BlackBoxTests {
    @Test func statusAndWhoAmIPrintStableJSON() throws {
        let daemon = try DaemonProcess()
        let status = try run(binDirectory + "/otklik", ["status", "--socket", daemon.socketPath, "-o", "json"])
        #expect(status.status == 0)
        let health = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(
            Set(health.keys) == [
                "state", "version", "uptime_seconds", "started_at", "schema_version", "open_connections", "event_count",
                "clock_simulated", "now", "socket", "replication", "database_check", "connectors",
            ])
        #expect(health["state"] as? String == "serving")
        // Not replicated: null (otklikd --replicated says how the replica stands).
        #expect(health["replication"] is NSNull)
        // A new database is owed no check (after a crash: its state, full or quick, and seconds).
        #expect(health["database_check"] is NSNull)
        // No connector has reported to a fresh daemon.
        #expect((health["connectors"] as? [Any])?.isEmpty == true)
        #expect(health["socket"] as? String == daemon.socketPath)
        let whoami = try run(binDirectory + "/otklik", ["whoami", "--socket", daemon.socketPath, "-o", "json"])
        #expect(whoami.status == 0)
        let me = try #require(try JSONSerialization.jsonObject(with: Data(whoami.stdout.utf8)) as? [String: Any])
        #expect(me["uid"] as? Int == Int(getuid()))
        #expect(me["roles"] as? [String] == ["admin"])
    }

    @Test func tablesSpeakRussianUnderARussianLocale() throws {
        let daemon = try DaemonProcess()
        let english = try run(binDirectory + "/otklik", ["status", "--socket", daemon.socketPath])
        #expect(english.stdout.contains("Daemon"))
        #expect(english.stdout.contains("serving"))
        let russian = try run(
            binDirectory + "/otklik", ["status", "--socket", daemon.socketPath], environment: ["LANG": "ru_RU.UTF-8"])
        #expect(russian.stdout.contains("Демон"))
        #expect(russian.stdout.contains("работает"))
    }

    @Test func aMissingDaemonIsOnePlainSentenceAndExit69() throws {
        let path = privateDirectory() + "/none.sock"
        let result = try run(binDirectory + "/otklik", ["status", "--socket", path])
        #expect(result.status == 69)
        #expect(
            result.stderr
                == "otklik: no daemon answers on \(path). Start it with `otklikd --demo` in this directory (demo) or `systemctl start otklikd` (service), or pass --socket.\n"
        )
        let russian = try run(
            binDirectory + "/otklik", ["status", "--socket", path], environment: ["LANG": "ru_RU.UTF-8"])
        #expect(russian.status == 69)
        #expect(russian.stderr.hasPrefix("otklik: по адресу \(path) демон не отвечает."))
    }

    @Test func usageErrorsExit64() throws {
        let result = try run(binDirectory + "/otklik", ["status", "-o", "yaml"])
        #expect(result.status == 64)
    }

    @Test func environmentVariableFindsTheSocket() throws {
        let daemon = try DaemonProcess()
        let result = try run(
            binDirectory + "/otklik", ["status", "-o", "json"], environment: ["OTKLIK_SOCKET": daemon.socketPath])
        #expect(result.status == 0)
    }

    @Test func sigtermLetsRunningCallsFinishThenClosesCleanly() throws {
        let daemon = try DaemonProcess()
        let client = try daemon.client()
        defer { client.close() }
        let stream = client.serverStream(
            service: DiagnosticsService.service, method: DiagnosticsService.count.name,
            payload: CountRequest(count: 3, intervalMs: 300).serializedBytes())
        // The first message proves the call is running before the signal.
        #expect(try stream.next().map { try CountResponse(serializedBytes: $0).index } == 0)
        daemon.signal(SIGTERM)
        var rest: [UInt32] = []
        while let bytes = try stream.next() { rest.append(try CountResponse(serializedBytes: bytes).index) }
        #expect(rest == [1, 2])
        #expect(daemon.wait() == 0)
        #expect(access(daemon.socketPath, F_OK) != 0)
        let store = try Store(directory: daemon.dataDirectory)
        defer { store.close() }
        #expect(try store.count(kind: .daemonStopped) == 1)
        // A clean close checkpoints the WAL away.
        let wal = (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
    }

    @Test func sigintStopsTheDaemonToo() throws {
        let daemon = try DaemonProcess()
        daemon.signal(SIGINT)
        #expect(daemon.wait() == 0)
        #expect(access(daemon.socketPath, F_OK) != 0)
    }

    @Test func aDamagedDatabaseStopsTheDaemonWithAClearMessage() throws {
        let directory = privateDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: directory + "/data/" + Store.fileName))
        chmod(directory + "/data/" + Store.fileName, 0o600)
        let result = try run(
            binDirectory + "/otklikd", ["--socket", directory + "/s.sock", "--data", directory + "/data"])
        #expect(result.status == 70)
        #expect(result.stderr.contains("is damaged"))
        #expect(access(directory + "/s.sock", F_OK) != 0)
    }

    @Test func badClientsLeakNoDescriptorsAndDoNotCrashTheDaemon() throws {
        let daemon = try DaemonProcess()
        let probe = try daemon.client()
        defer { probe.close() }
        // Start from a quiet daemon: only the probe connected (the start-up check has gone).
        func settle() throws -> HealthResponse {
            let until = Date().addingTimeInterval(10)
            var health = try probe.call(AdminService.health, HealthRequest())
            while health.openConnections > 1, Date() < until {
                usleep(20_000)
                health = try probe.call(AdminService.health, HealthRequest())
            }
            return health
        }
        #expect(try settle().openConnections == 1)
        // A closed connection's descriptor goes in its source's cancel handler, just after the count.
        func steadyDescriptors() -> Int {
            var last = daemon.openDescriptors()
            let until = Date().addingTimeInterval(5)
            while Date() < until {
                usleep(100_000)
                let now = daemon.openDescriptors()
                if now == last { return now }
                last = now
            }
            return last
        }
        let before = steadyDescriptors()
        #expect(before > 0)

        for round in 0..<20 {
            let raw = try RawSocket(path: daemon.socketPath)
            switch round % 5 {
            case 0: raw.send([0x50, 0x4F, 0x53, 0x54, 0, 0, 0, 1, 1, 0])  // not our protocol
            case 1: raw.send([0, 0, 0, 50, 0, 0, 0, 1, 1, 1, 0x0A])  // truncated, then gone
            case 2: raw.send(FrameEncoder.frame(type: .request, streamID: 2, payload: []))  // even stream id
            case 3:  // a call, then vanish mid-stream
                let request = RequestEnvelope(
                    service: DiagnosticsService.service, method: "Count",
                    payload: CountRequest(count: 1000, intervalMs: 1, bodySize: 1000).serializedBytes())
                raw.send(
                    FrameEncoder.frame(
                        type: .request, streamID: 1, flags: [.remoteClosed], payload: request.serializedBytes()))
            default:  // oversize payload
                var header: [UInt8] = []
                FrameHeader(length: 5 << 20, streamID: 1, type: .request).encode(into: &header)
                raw.send(header + [UInt8](repeating: 0, count: 4096))
            }
        }
        // Every bad connection is gone once Health counts only the probe.
        let health = try settle()
        #expect(health.openConnections == 1)
        let until = Date().addingTimeInterval(10)
        // Stream threads of vanished callers end too; give them a moment to let go.
        var after = daemon.openDescriptors()
        while after != before, Date() < until {
            usleep(20_000)
            after = daemon.openDescriptors()
        }
        #expect(after == before)
        #expect(health.state == .serving)
    }
}

/// A socket that sends bytes and is closed when it goes out of scope.
final class RawSocket {
    let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: Array(path.utf8) + [0])
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw RPCError(.unavailable, "connect failed")
        }
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// The next frame's type and payload, or nil at the end of the connection (or after 10 s).
    func readFrame() -> (UInt8, [UInt8])? {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func exactly(_ count: Int) -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: count)
            var offset = 0
            while offset < count {
                let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
                if got <= 0 { return nil }
                offset += got
            }
            return buffer
        }
        guard let head = exactly(10) else { return nil }
        let length = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
        guard let payload = exactly(length) else { return nil }
        return (head[8], payload)
    }

    deinit { close(fd) }
}

/// What people typed reaches a terminal, a script and a spreadsheet as text, never as commands.
@Suite struct OutputSafetyTests {
    private func otklik(_ daemon: DaemonProcess, _ arguments: [String]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try run(binDirectory + "/otklik", arguments + ["--socket", daemon.socketPath])
    }

    @Test func bidiOverridesAndEscapesAreShownNotObeyedAndFormulasAreNotRunInCSV() throws {
        let daemon = try DaemonProcess(arguments: ["--demo", "--test-clock", "2026-12-01T11:00:00+03:00"])
        let registered = try otklik(
            daemon,
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_777",
                "--author", "Иван\u{202E}тедоП", "--text", "=HYPERLINK(\"http://evil\")",
                "--topic", "=cmd|' /C calc'!A0", "--detected-at", "2026-12-01T10:00:00+03:00",
                "--as", "curator.petrova", "-o", "json",
            ])
        #expect(registered.status == 0, "\(registered.stderr)")
        let id = try #require(registered.stdout.firstMatch(of: /"id":"(\d{4}-\d{6})"/)?.1).description
        let table = try otklik(daemon, ["case", "show", id, "--as", "curator.petrova"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Иван\\u{202e}тедоП"))
        #expect(!table.stdout.unicodeScalars.contains("\u{202E}"))
        let json = try otklik(daemon, ["case", "show", id, "--as", "curator.petrova", "-o", "json"])
        #expect(json.stdout.contains(#"Иван\u202eтедоП"#))
        #expect(!json.stdout.unicodeScalars.contains("\u{202E}"))
        let csv = try otklik(daemon, ["report", "monthly", "2026-12", "-o", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("'=cmd|' /C calc'!A0"))
        // An argument quoted back in an error cannot clear the screen.
        let error = try otklik(daemon, ["case", "show", id, "-o", "\u{1B}[2J"])
        #expect(error.status == 64)
        #expect(error.stderr.contains("\\x1b[2J"))
        #expect(!error.stderr.unicodeScalars.contains("\u{1B}"))
        let refused = try otklik(daemon, ["case", "show", "\u{1B}[2J", "--as", "curator.petrova"])
        #expect(refused.status == 65)
        #expect(!refused.stderr.unicodeScalars.contains("\u{1B}"))
    }

    @Test func aSocketInTheCurrentDirectoryOwnedBySomeoneElseIsNotUsed() throws {
        let directory = privateDirectory()
        chmod(directory, 0o755)
        let daemon = try DaemonProcess(directory: directory, socketDirectory: directory + "/.otklik")
        // Root's own socket is trusted; once its folder belongs to nobody, it is not.
        #expect(chown(directory + "/.otklik", 65534, 65534) == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binDirectory + "/otklik")
        process.arguments = ["status"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["OTKLIK_SOCKET"] = nil
        environment["LANG"] = "C.UTF-8"
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 77)
        #expect(stderr.contains("belongs to uid 65534, not to you or root"))
        _ = daemon
    }
}
