import Foundation
import OtklikBase
import OtklikTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 27, items 4, 5 and 7, against the real sshd of `SSHServer`: every client of the repository
/// (the CLI's streams and exports, the Python client, the notifier) over a real SSH login, and a link
/// that stalls after the login.
extension RemoteTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The unit `roads` and its executor `roads.ex` (an OS user of no login: nobody signs in as them here).
    static func roadsWithAnExecutor(_ server: SSHServer) throws {
        #expect(try server.local(["unit", "add", "roads", "--title", "Дороги", "--kind", "department"]).status == 0)
        #expect(
            try server.local([
                "staff", "add", "roads.ex", "--name", "Исполнитель", "--os-user", "nobody", "--unit", "roads", "--role",
                "executor",
            ]).status == 0)
    }

    /// A Python program of the repository's, run here as root and reaching the daemon through ssh as
    /// `login` (the system's python3 with Debian's protobuf, as the desktop helpers run).
    private func python(_ server: SSHServer, _ login: String, _ arguments: [String]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        var environment = server.environment(for: login)
        environment["PYTHONPATH"] = Self.repository + "/clients/python"
        environment["OTKLIK_HOST"] = nil
        return try run("/usr/bin/python3", arguments, environment: environment)
    }

    /// The Python client as a script uses it: `Client("ssh://...")`: a call, a watch stream seeing a
    /// routing, an upload in chunks and the file back, all over one real SSH login.
    @Test func thePythonClientWorksOverARealSSHLogin() throws {
        let server = try SSHServer()
        defer { server.close() }
        let curator = try server.addUser("pyc")
        try server.makeCurator(curator)
        try Self.roadsWithAnExecutor(server)
        let photo = server.base + "/client/фото.jpg"
        // 3 MiB and a bit: the upload goes in several chunks.
        var bytes = AttachmentFixtures.tinyJPEG
        bytes += [UInt8](repeating: 0x5A, count: 3 << 20)
        #expect(FileManager.default.createFile(atPath: photo, contents: Data(bytes)))
        let script = server.base + "/client/client.py"
        try """
        import datetime, json, sys
        from otklik_client import Client
        address, photo, back = sys.argv[1:4]
        with Client(address) as curator:
            out = {"login": curator.whoami().login}
            events = curator.watch(kinds=["case.routed"])
            case = curator.register_message(network="vk", url="https://vk.com/wall-3_1", author="Анна",
                                            text="Яма у школы", topics=["дороги"],
                                            detected_at=datetime.datetime.now(datetime.timezone.utc))
            curator.route(case.id, expected_version=case.version, executors=["roads"])
            event = next(events)
            events.close()
            out["case"], out["routed"] = case.id, event.case_id
            uploaded = curator.upload(photo)
            out["sha256"], out["size"] = uploaded.attachment.sha256, uploaded.attachment.size
            curator.download(uploaded.attachment.sha256, back)
        print(json.dumps(out))

        """.write(toFile: script, atomically: true, encoding: .utf8)
        let back = server.base + "/client/back.jpg"
        let result = try python(server, curator, [script, "ssh://\(curator)@127.0.0.1:\(server.port)", photo, back])
        #expect(result.status == 0, "\(result.stderr)")
        let out = DeskTests.object(result.stdout)
        #expect(out["login"] as? String == "cur")
        #expect(out["routed"] as? String == out["case"] as? String && out["case"] != nil, "\(out)")
        #expect(out["sha256"] as? String == SHA256Digest.hex(of: bytes) && out["size"] as? Int == bytes.count)
        #expect(FileManager.default.contents(atPath: back) == Data(bytes))
    }

    /// The desktop notifier of an executor at another site (`--host ssh://...`): a case routed to the
    /// unit pops up, over the real SSH login.
    @Test func theNotifierPopsUpOverARealSSHLogin() throws {
        let server = try SSHServer()
        defer { server.close() }
        let curator = try server.addUser("ncu")
        let executor = try server.addUser("nex")
        try server.makeCurator(curator)
        #expect(try server.local(["unit", "add", "roads", "--title", "Дороги", "--kind", "department"]).status == 0)
        #expect(
            try server.local([
                "staff", "add", "roads.ex", "--name", "Исполнитель", "--os-user", executor, "--unit", "roads", "--role",
                "executor",
            ]).status == 0)
        let log = server.base + "/client/notifications", notifySend = server.base + "/client/notify-send"
        try
            "#!/bin/sh\n[ \"$1\" = --help ] && { echo '  -u, --urgency=LEVEL'; exit 0; }\nprintf '%s|' \"$@\" >> \(log)\necho >> \(log)\n"
            .write(toFile: notifySend, atomically: true, encoding: .utf8)
        chmod(notifySend, 0o755)
        let state = server.base + "/client/notify-state.json"
        let helper = Process()
        helper.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        helper.arguments = [
            Self.repository + "/clients/notify/otklik_notify.py", "--host",
            "ssh://\(executor)@127.0.0.1:\(server.port)", "--state", state, "--notify-send", notifySend,
            "--exit-after", "1", "--retry-seconds", "0.2",
        ]
        var environment = server.environment(for: executor)
        environment["OTKLIK_HOST"] = nil
        environment["PYTHONPATH"] = Self.repository + "/clients/python"
        helper.environment = environment
        let err = server.base + "/client/notify.err"
        #expect(FileManager.default.createFile(atPath: err, contents: nil))
        helper.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        helper.standardOutput = FileHandle.nullDevice
        try helper.run()
        defer { if helper.isRunning { kill(helper.processIdentifier, SIGKILL) } }
        // It wrote where it starts from: anything after is news to it.
        let until = Date().addingTimeInterval(20)
        while Date() < until, access(state, F_OK) != 0, helper.isRunning { usleep(50_000) }
        usleep(300_000)
        let registered = try server.local([
            "message", "register", "--network", "vk", "--url", "https://vk.com/wall-4_1", "--author", "Анна",
            "--text", "Яма у остановки", "--detected-at", "now", "--topic", "дороги", "--as", "cur", "-o", "json",
        ])
        let id = try #require(DeskTests.object(registered.stdout)["id"] as? String)
        #expect(
            try server.local(["case", "route", id, "--executor", "roads", "--topic", "roads=дороги", "--as", "cur"])
                .status == 0)
        let end = Date().addingTimeInterval(30)
        while Date() < end, helper.isRunning { usleep(50_000) }
        #expect(
            !helper.isRunning && helper.terminationStatus == 0,
            "\((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
        let shown = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(shown.contains("New assignment") && shown.contains(id), "\(shown)")
    }

    /// A login that never starts the daemon's stream (its command hangs): a watch, which has no
    /// deadline of its own, says so within the set-up deadline instead of waiting for ever (every other
    /// command opens its session the same way; the Python client's test covers the same in Python).
    @Test func aLinkThatStallsAfterTheLoginEndsWithinTheSetUpDeadline() throws {
        let server = try SSHServer()
        defer { server.close() }
        let stalled = try server.addUser("stl", command: "sleep 120")
        for arguments in [["watch", "--no-reconnect"]] {
            let started = Date()
            // A deadline of 3 s ($OTKLIK_CONNECT_TIMEOUT; 10 by default), so the test does not wait 10.
            let said = try server.otklik(
                stalled, arguments, russian: true, environment: ["OTKLIK_CONNECT_TIMEOUT": "3"])
            #expect(said.status == 69, "\(said)")
            #expect(said.stderr.contains("поток демона не начался за 3 с"), "\(said.stderr)")
            // Not a timing assertion: a bound far above the deadline, to show it did not hang.
            #expect(Date().timeIntervalSince(started) < 60)
        }
    }

    /// An administrator at another site: the leading `--host` (no $OTKLIK_HOST), a watch over SSH
    /// seeing the walk's steps, an export and a backup written on the client's machine.
    @Test func anAdministratorExportsAndBacksUpOverSSHAndAWatchSeesTheSteps() throws {
        let server = try SSHServer()
        defer { server.close() }
        let curator = try server.addUser("wcu")
        let admin = try server.addUser("adm")
        try server.makeCurator(curator)
        #expect(
            try server.local([
                "staff", "add", "it.admin", "--name", "Администратор", "--os-user", admin, "--unit", "curator-centre",
                "--role", "admin",
            ]).status == 0)
        try Self.roadsWithAnExecutor(server)
        let out = server.base + "/client/walk.out", err = server.base + "/client/walk.err"
        #expect(FileManager.default.createFile(atPath: out, contents: nil))
        #expect(FileManager.default.createFile(atPath: err, contents: nil))
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: binDirectory + "/otklik")
        watch.arguments = ["--host", "ssh://\(curator)@127.0.0.1:\(server.port)", "watch", "-o", "json"]
        var environment = server.environment(for: curator)
        environment["OTKLIK_HOST"] = nil
        watch.environment = environment
        watch.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        watch.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try watch.run()
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
        #expect(WatchRestartTests.waitFor(err, "watching events after"))
        let registered = try server.otklik(
            curator,
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-6_1", "--author", "Анна",
                "--text", "Нет света во дворе", "--detected-at", "now", "--topic", "дороги", "-o", "json",
            ])
        let id = try #require(DeskTests.object(registered.stdout)["id"] as? String)
        #expect(
            try server.otklik(curator, ["case", "route", id, "--executor", "roads", "--topic", "roads=дороги"]).status
                == 0)
        #expect(
            WatchRestartTests.waitFor(out, "case.routed"),
            "\((try? String(contentsOfFile: out, encoding: .utf8)) ?? "")")
        let watched = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        #expect(watched.contains(id) && watched.contains("case.registered"), "\(watched)")
        kill(watch.processIdentifier, SIGINT)
        watch.waitUntilExit()
        // The export and the backup land on the administrator's machine, not the server's.
        let export = server.base + "/client/cases.csv"
        let exported = try server.otklik(
            admin, ["export", "cases", "--from", "2026-01-01", "--to", "2100-01-01", "-o", "csv", "--out", export])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(((try? String(contentsOfFile: export, encoding: .utf8)) ?? "").contains(id))
        let backup = server.base + "/client/backup.sqlite3"
        let backedUp = try server.otklik(admin, ["admin", "backup", backup])
        #expect(backedUp.status == 0, "\(backedUp.stderr)")
        let check = try run("/usr/bin/sqlite3", [backup, "SELECT count(*) FROM cases WHERE id = '\(id)'"])
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(check)")
    }
}
