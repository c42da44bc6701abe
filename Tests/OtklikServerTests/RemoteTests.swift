import Foundation
import OtklikBase
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real OpenSSH server on 127.0.0.1 (Debian's sshd, unpacked by scripts/setup into .build-tools and
/// never installed), its own host key, configuration and keys in a temporary directory, and OS users
/// made for the test and removed after it; the machine's own sshd, port 22 and /etc/ssh are never
/// touched. The daemon's socket group admits the test users, as docs/DEPLOYMENT.md tells an
/// administrator to do.
final class SSHServer {
    static let sshd = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build-tools/openssh/usr/sbin/sshd").path
    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: sshd)
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd")
    }

    let base: String
    let group: String
    let port: Int
    let daemon: DaemonProcess
    /// The ssh client the CLI runs (`$OTKLIK_SSH`): the system's, with this test's configuration.
    let sshWrapper: String
    private(set) var users: [String] = []
    private var madeRunDirectory = false
    private var madePrivilegeUser = false

    init() throws {
        base = Scratch.directory("ssh")
        chmod(base, 0o711)
        let tag = String(base.suffix(6)).lowercased().filter { $0.isLetter || $0.isNumber }
        group = "otkg\(tag)"
        try Self.must(["/usr/sbin/groupadd", group])
        try FileManager.default.createDirectory(atPath: base + "/daemon", withIntermediateDirectories: false)
        chmod(base + "/daemon", 0o700)
        daemon = try DaemonProcess(
            arguments: ["--group", group], directory: base + "/daemon", socketDirectory: base + "/run")
        port = Self.freePort()
        sshWrapper = base + "/ssh"
        for directory in ["/sshd", "/keys", "/client"] {
            try FileManager.default.createDirectory(atPath: base + directory, withIntermediateDirectories: true)
        }
        chmod(base + "/keys", 0o755)
        chmod(base + "/sshd", 0o700)
        chmod(base + "/client", 0o700)
        try Self.must(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", base + "/sshd/host_key"])
        try Self.must(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", base + "/client/key"])
        // StrictModes off: the test's keys live under /tmp, which it refuses (world-writable); on a
        // server they are in each user's ~/.ssh (docs/DEPLOYMENT.md).
        try """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(base)/sshd/host_key
        PidFile \(base)/sshd/pid
        AuthorizedKeysFile \(base)/keys/%u
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PubkeyAuthentication yes
        PermitRootLogin no
        StrictModes no
        AcceptEnv LANG LC_*
        LogLevel VERBOSE

        """.write(toFile: base + "/sshd/config", atomically: true, encoding: .utf8)
        let hostKey = try String(contentsOfFile: base + "/sshd/host_key.pub", encoding: .utf8)
        try "[127.0.0.1]:\(port) \(hostKey)".write(
            toFile: base + "/client/known_hosts", atomically: true, encoding: .utf8)
        try """
        Host *
            IdentityFile \(base)/client/key
            IdentitiesOnly yes
            UserKnownHostsFile \(base)/client/known_hosts
            StrictHostKeyChecking yes
            SendEnv LANG LC_*

        """.write(toFile: base + "/client/config", atomically: true, encoding: .utf8)
        try "#!/bin/sh\nexec /usr/bin/ssh -F \(base)/client/config \"$@\"\n".write(
            toFile: sshWrapper, atomically: true, encoding: .utf8)
        chmod(sshWrapper, 0o755)
        // sshd's privilege separation user and directory, made only if the machine has none (as
        // Debian's openssh-server would) and removed after.
        if getpwnam("sshd") == nil {
            try Self.must(["/usr/sbin/useradd", "-r", "-M", "-d", "/run/sshd", "-s", "/usr/sbin/nologin", "sshd"])
            madePrivilegeUser = true
        }
        if !FileManager.default.fileExists(atPath: "/run/sshd") {
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: false)
            chmod("/run/sshd", 0o755)
            madeRunDirectory = true
        }
        // sshd in its own daemon mode (it forks away and writes its pid file), so this process has no
        // long-lived child that forks per connection.
        try Self.must([Self.sshd, "-f", base + "/sshd/config", "-E", base + "/sshd/log"])
        // Ready when it accepts on its port.
        let until = Date().addingTimeInterval(10)
        while Date() < until, !Self.accepts(port) { usleep(20_000) }
    }

    /// An OS user for a person, in the socket's group when `member`, its key forced to `otklik
    /// dial-stdio` on this daemon's socket (or to `command`), with `shell` and what its `.bashrc` says.
    /// `forced: false`: a plain key, so the command the client asks for runs through the login shell.
    func addUser(
        _ name: String, member: Bool = true, command: String? = nil, shell: String = "/bin/sh", bashrc: String? = nil,
        forced: Bool = true
    )
        throws -> String
    {
        let login = "\(name)\(String(base.suffix(6)).lowercased().filter { $0.isLetter || $0.isNumber })"
        let home = base + "/home-" + login
        try Self.must(
            ["/usr/sbin/useradd", "-M", "-d", home, "-s", shell] + (member ? ["-G", group] : []) + [login])
        users.append(login)
        // An account without a password is locked; '*' opens it to keys only.
        try Self.must(["/usr/sbin/usermod", "-p", "*", login])
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false)
        if let bashrc { try bashrc.write(toFile: home + "/.bashrc", atomically: true, encoding: .utf8) }
        try Self.must(["/bin/chown", "-R", "\(login):\(login)", home])
        let key = try String(contentsOfFile: base + "/client/key.pub", encoding: .utf8)
        let command = command ?? "\(binDirectory)/otklik dial-stdio --socket \(daemon.socketPath)"
        try (forced ? "restrict,command=\"\(command)\" \(key)" : key).write(
            toFile: base + "/keys/" + login, atomically: true, encoding: .utf8)
        chmod(base + "/keys/" + login, 0o644)
        return login
    }

    /// Runs the CLI as root here, reaching the daemon through ssh as `login`.
    func otklik(
        _ login: String, _ arguments: [String], russian: Bool = false, environment extra: [String: String] = [:]
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        // The shared connections' sockets in this test's directory, not the user's.
        var environment = [
            "OTKLIK_SSH": sshWrapper, "OTKLIK_HOST": "ssh://\(login)@127.0.0.1:\(port)",
            "XDG_RUNTIME_DIR": base + "/client",
        ]
        if russian { environment["LANG"] = "ru_RU.UTF-8" }
        environment.merge(extra) { _, new in new }
        return try run(binDirectory + "/otklik", arguments, environment: environment)
    }

    /// Runs the CLI here on the daemon's own socket (as root, an admin).
    func local(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try run(binDirectory + "/otklik", arguments + ["--socket", daemon.socketPath])
    }

    /// The environment of a CLI process started here that reaches the daemon through ssh as `login`.
    func environment(for login: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = nil
        environment["OTKLIK_SOCKET"] = nil
        environment["OTKLIK_SSH"] = sshWrapper
        environment["OTKLIK_HOST"] = "ssh://\(login)@127.0.0.1:\(port)"
        environment["XDG_RUNTIME_DIR"] = base + "/client"
        return environment
    }

    /// The curator centre and its curator `cur`, whose OS user is `login`.
    func makeCurator(_ login: String) throws {
        #expect(
            try local(["unit", "add", "curator-centre", "--title", "Центр", "--kind", "curator_centre"]).status == 0)
        #expect(
            try local([
                "staff", "add", "cur", "--name", "Куратор", "--os-user", login, "--unit", "curator-centre", "--role",
                "curator",
            ]).status == 0)
    }

    func close() {
        if let pid = try? String(contentsOfFile: base + "/sshd/pid", encoding: .utf8),
            let number = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(number, SIGTERM)
        }
        // The shared SSH connections this test's clients left (their command line names its config).
        _ = try? run("/usr/bin/pkill", ["-f", "--", "-F \(base)/client/config"])
        daemon.signal(SIGTERM)
        _ = daemon.wait()
        // A user's sessions end with them; then the user goes (-f: even while sshd still reaps them).
        for user in users {
            _ = try? run("/usr/bin/pkill", ["-KILL", "-u", user])
            _ = try? run("/usr/sbin/userdel", ["-f", user])
        }
        _ = try? run("/usr/sbin/groupdel", [group])
        if madeRunDirectory { rmdir("/run/sshd") }
        if madePrivilegeUser { _ = try? run("/usr/sbin/userdel", ["sshd"]) }
        // The test's directory, the server's log in it, goes with the test process; OTKLIK_KEEP_TEST_FILES=1
        // keeps it for a failure to be read.
    }

    static func must(_ command: [String]) throws {
        let result = try run(command[0], Array(command.dropFirst()))
        guard result.status == 0 else {
            throw NSError(
                domain: "SSHServer", code: Int(result.status),
                userInfo: [NSLocalizedDescriptionKey: "\(command): \(result.stderr)"])
        }
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// Issue 27: people at other sites reach the daemon through OpenSSH (`--host ssh://...`), as
/// themselves: the daemon sees the SSH login's uid and gives it exactly a local user's rights.
@Suite(.serialized, .enabled(if: SSHServer.available)) struct RemoteTests {
    @Test func theCuratorAndAnExecutorWorkFromTheirOwnMachines() throws {
        let server = try SSHServer()
        defer { server.close() }
        let curator = try server.addUser("cur")
        let executor = try server.addUser("exe")
        for (unit, kind) in [("curator-centre", "curator_centre"), ("roads", "department")] {
            #expect(try server.local(["unit", "add", unit, "--title", unit, "--kind", kind]).status == 0)
        }
        #expect(
            try server.local([
                "staff", "add", "cur", "--name", "Куратор", "--os-user", curator, "--unit", "curator-centre", "--role",
                "curator",
            ]).status == 0)
        #expect(
            try server.local([
                "staff", "add", "roads.ex", "--name", "Исполнитель", "--os-user", executor, "--unit", "roads", "--role",
                "executor",
            ]).status == 0)
        #expect(
            try server.local(["account", "add", "--network", "vk", "--name", "adm", "--url", "https://vk.com/adm"])
                .status
                == 0)
        // Each is who the daemon's directory says their SSH login is.
        let who = try server.otklik(curator, ["whoami", "-o", "json"])
        #expect(who.status == 0 && who.stdout.contains(#""login":"cur""#), "\(who.stderr)")
        // The regulation walked, each on their own login: register, route, a draft with a photo,
        // approve, publish.
        let registered = try server.otklik(
            curator,
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_1", "--author", "Анна",
                "--text", "Яма у школы", "--detected-at", "now", "--topic", "дороги", "-o", "json",
            ])
        #expect(registered.status == 0, "\(registered.stderr)")
        let id = try #require(DeskTests.object(registered.stdout)["id"] as? String)
        #expect(
            try server.otklik(curator, ["case", "route", id, "--executor", "roads", "--topic", "roads=дороги"]).status
                == 0)
        let photo = server.base + "/client/яма.jpg"
        #expect(FileManager.default.createFile(atPath: photo, contents: Data(AttachmentFixtures.tinyJPEG)))
        let draft = try server.otklik(
            executor,
            [
                "draft", "submit", id + "/1", "--kind", "final", "--text", "Яму заделали, фото прилагаем.", "--attach",
                photo,
            ])
        #expect(draft.status == 0, "\(draft.stderr)")
        #expect(try server.otklik(curator, ["draft", "approve", id + "/1"]).status == 0)
        let published = try server.otklik(
            curator, ["reply", "publish", id + "/1", "--url", "https://vk.com/wall-1_1?reply=2", "--account", "adm"])
        #expect(published.status == 0, "\(published.stderr)")
        // The history read over SSH says who did what.
        let history = try server.otklik(curator, ["case", "history", id, "-o", "json"])
        #expect(history.status == 0 && history.stdout.contains("roads.ex"), "\(history.stderr)")
        // The file came back whole over the same link.
        let sha = SHA256Digest.hex(of: AttachmentFixtures.tinyJPEG)
        let back = server.base + "/client/back.jpg"
        let get = try server.otklik(curator, ["attachment", "get", String(sha.prefix(12)), "--out", back])
        #expect(
            get.status == 0 && FileManager.default.contents(atPath: back) == Data(AttachmentFixtures.tinyJPEG),
            "\(get.stderr)")
    }

    @Test func aLoginTheDaemonDoesNotKnowAndAKeyThatCanDoNothingElseAreRefused() throws {
        let server = try SSHServer()
        defer { server.close() }
        // In the socket's group but not in the staff directory: refused as a local stranger would be.
        let stranger = try server.addUser("str")
        let refused = try server.otklik(stranger, ["whoami"], russian: true)
        #expect(refused.status == 77, "\(refused.stderr)")
        // The forced command runs whatever the client asks for: here the remote command is ignored,
        // and what ran is dial-stdio (the session opened, nothing on stdout, a clean end at stdin's).
        let member = try server.addUser("mem")
        let forced = try run(
            "/bin/sh",
            [
                "-c", "\"$0\" -T -l \"$1\" -p \"$2\" 127.0.0.1 'echo escaped; touch /tmp/otklik-escaped' < /dev/null",
                server.sshWrapper, member, String(server.port),
            ])
        #expect(forced.status == 0 && forced.stdout.isEmpty, "\(forced)")
        #expect(access("/tmp/otklik-escaped", F_OK) != 0)
        // `restrict`: no forwarding through the key either (stdio forwarding to the server's own sshd).
        let tunnel = try run(
            "/bin/sh",
            [
                "-c", "\"$0\" -T -l \"$1\" -p \"$2\" -W 127.0.0.1:\"$2\" 127.0.0.1 < /dev/null", server.sshWrapper,
                member, String(server.port),
            ])
        #expect(tunnel.status == 255 && !tunnel.stdout.contains("SSH-2.0"), "\(tunnel)")
    }

    @Test func everyFailureOfTheLinkSaysWhatHappenedAndWhatToDo() throws {
        let server = try SSHServer()
        defer { server.close() }
        let user = try server.addUser("fail")
        // No otklik on the server where the key's command points.
        let missing = try server.addUser("nob", command: "/nonexistent/otklik dial-stdio")
        let noOtklik = try server.otklik(missing, ["status"], russian: true)
        #expect(
            noOtklik.status == 69 && noOtklik.stderr.contains("нет программы `/nonexistent/otklik`")
                && noOtklik.stderr.contains("command=\"...\" вашего ключа в authorized_keys"), "\(noOtklik.stderr)")
        // A name no resolver knows.
        let nameless = try server.otklik(
            user, ["status"], russian: true, environment: ["OTKLIK_HOST": "ssh://\(user)@no-such-host.invalid"])
        #expect(
            nameless.status == 68 && nameless.stderr.contains("имя хоста no-such-host.invalid не найдено"),
            "\(nameless.stderr)")
        // Nothing serves SSH there.
        let closed = try server.otklik(
            user, ["status"], russian: true,
            environment: ["OTKLIK_HOST": "ssh://\(user)@127.0.0.1:\(SSHServer.freePort())"])
        #expect(closed.status == 69 && closed.stderr.contains("недоступен"), "\(closed.stderr)")
        // A host key this machine does not know.
        let strange = try server.otklik(
            user, ["status"], russian: true,
            environment: ["OTKLIK_SSH": "/usr/bin/ssh", "XDG_RUNTIME_DIR": server.base + "/client-plain"])
        #expect(
            strange.status == 77 && strange.stderr.contains("ключ хоста 127.0.0.1 здесь неизвестен")
                && strange.stderr.contains("ssh-keygen -lf"), "\(strange.stderr)")
        // A host key that changed since this machine accepted it (another key recorded for the address).
        try SSHServer.must([
            "/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", server.base + "/client/other",
        ])
        let other = try String(contentsOfFile: server.base + "/client/other.pub", encoding: .utf8)
        try "[127.0.0.1]:\(server.port) \(other)".write(
            toFile: server.base + "/client/changed_hosts", atomically: true, encoding: .utf8)
        let changedSSH = server.base + "/ssh-changed"
        try
            "#!/bin/sh\nexec /usr/bin/ssh -F \(server.base)/client/config -o UserKnownHostsFile=\(server.base)/client/changed_hosts \"$@\"\n"
            .write(toFile: changedSSH, atomically: true, encoding: .utf8)
        chmod(changedSSH, 0o755)
        let changed = try server.otklik(
            user, ["status"], russian: true,
            environment: ["OTKLIK_SSH": changedSSH, "XDG_RUNTIME_DIR": server.base + "/client-changed"])
        #expect(
            changed.status == 77 && changed.stderr.contains("изменился") && changed.stderr.contains("ssh-keygen -R"),
            "\(changed.stderr)")
        // A key the server does not take for this login.
        try "".write(toFile: server.base + "/keys/" + user, atomically: true, encoding: .utf8)
        let denied = try server.otklik(user, ["status"], russian: true)
        #expect(
            denied.status == 77 && denied.stderr.contains("не принял ваш вход")
                && denied.stderr.contains("~/.ssh/id_ed25519.pub"), "\(denied.stderr)")
        // A login shell that prints before the stream.
        let chatty = try server.addUser(
            "cha",
            command: "echo Добро пожаловать; \(binDirectory)/otklik dial-stdio --socket \(server.daemon.socketPath)")
        let noise = try server.otklik(chatty, ["status"], russian: true)
        #expect(noise.status == 76 && noise.stderr.contains("Добро пожаловать"), "\(noise.stderr)")
        // The same from a real login script: a plain key (no forced command), bash reading ~/.bashrc
        // as it does for a command sshd runs.
        let bashUser = try server.addUser(
            "bsh", shell: "/bin/bash", bashrc: "echo Последний вход: вчера\n", forced: false)
        let fromBashrc = try server.otklik(
            bashUser, ["status"], russian: true,
            environment: [
                "OTKLIK_HOST": "ssh://\(bashUser)@127.0.0.1:\(server.port)\(server.daemon.socketPath)",
                "OTKLIK_REMOTE_OTKLIK": binDirectory + "/otklik",
            ])
        #expect(
            fromBashrc.status == 76 && fromBashrc.stderr.contains("Последний вход")
                && fromBashrc.stderr.contains("restrict,command=\"otklik dial-stdio\""), "\(fromBashrc.stderr)")
        // The daemon down on the server.
        let down = try server.addUser(
            "dwn", command: "\(binDirectory)/otklik dial-stdio --socket /nonexistent/otklik.sock")
        let away = try server.otklik(down, ["status"], russian: true)
        #expect(away.status == 69 && away.stderr.contains("демон не отвечает"), "\(away.stderr)")
        // No ssh client at all.
        let noSSH = try server.otklik(user, ["status"], russian: true, environment: ["OTKLIK_SSH": "/nonexistent/ssh"])
        #expect(noSSH.status == 69 && noSSH.stderr.contains("нет клиента ssh"), "\(noSSH.stderr)")
    }

    /// `watch` over SSH outlives the SSH link: killed, the link is made again and the watch goes on from
    /// the last event it printed, as after a daemon restart.
    @Test func watchGoesOnAcrossAKilledSSHProcess() throws {
        let server = try SSHServer()
        defer { server.close() }
        let curator = try server.addUser("wat")
        try server.makeCurator(curator)
        let out = server.base + "/client/watch.out", err = server.base + "/client/watch.err"
        #expect(FileManager.default.createFile(atPath: out, contents: nil))
        #expect(FileManager.default.createFile(atPath: err, contents: nil))
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: binDirectory + "/otklik")
        watch.arguments = ["watch"]
        watch.environment = server.environment(for: curator)
        watch.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        watch.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try watch.run()
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
        #expect(WatchRestartTests.waitFor(err, "watching events after"))
        func register(_ n: Int) throws -> String {
            let result = try server.local([
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_\(n)", "--author", "Анна",
                "--text", "Сообщение \(n)", "--detected-at", "now", "--as", "cur", "-o", "json",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            return DeskTests.object(result.stdout)["id"] as? String ?? ""
        }
        let first = try register(1)
        #expect(WatchRestartTests.waitFor(out, first))
        // The ssh process carrying the watch is killed (a dropped link).
        let children =
            (try? String(
                contentsOfFile: "/proc/\(watch.processIdentifier)/task/\(watch.processIdentifier)/children",
                encoding: .utf8))?
            .split(separator: " ").compactMap { Int32($0) } ?? []
        #expect(!children.isEmpty, "the watch runs ssh")
        for child in children { kill(child, SIGKILL) }
        #expect(
            WatchRestartTests.waitFor(err, "the SSH connection to 127.0.0.1 was lost"),
            "\((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
        #expect(WatchRestartTests.waitFor(err, "the daemon is back"))
        let second = try register(2)
        #expect(WatchRestartTests.waitFor(out, second))
        kill(watch.processIdentifier, SIGINT)
        watch.waitUntilExit()
    }
}

extension RemoteTests {
    /// The SSH session lost in the middle of an import over it (its ssh process killed; the shared
    /// connection's master lives on): the CLI says the link was lost (69) and that what
    /// the daemon acknowledged stays done; the batches acknowledged before are registered, and the same
    /// import run again registers the rest, none twice.
    @Test func aConnectionLostMidImportLeavesWhatWasAcknowledgedAndIsSafeToRetry() throws {
        let server = try SSHServer()
        defer { server.close() }
        let curator = try server.addUser("imp")
        try server.makeCurator(curator)
        let rows = 2_000
        let file = server.base + "/client/posts.csv"
        // Texts of words of their own (digits spelt as letters): posts that look alike would each be
        // compared with every earlier one for the p.18 hints, which is not what this test is about.
        func word(_ n: Int) -> String { String(String(n).map { Array("абвгдежзик")[Int(String($0))!] }) }
        var table = "network;url;author;text;detected_at\n"
        for n in 1...rows {
            table +=
                "vk;https://vk.com/wall-1_\(n);Автор \(n);\(word(n)) \(word(n * 31 + 7)) \(word(n * 97 + 3));01.12.2026 09:00\n"
        }
        try table.write(toFile: file, atomically: true, encoding: .utf8)
        func registered() throws -> Int {
            DeskTests.object(try server.local(["case", "list", "-o", "json", "--as", "cur"]).stdout)["total"] as? Int
                ?? -1
        }
        let importing = Process()
        importing.executableURL = URL(fileURLWithPath: binDirectory + "/otklik")
        // A debug build on a busy machine: this test is about the link, not about time.
        importing.arguments = ["message", "import", file, "--apply", "-o", "json", "--timeout", "120"]
        importing.environment = server.environment(for: curator).merging(["LANG": "ru_RU.UTF-8"]) { _, new in new }
        importing.standardInput = FileHandle.nullDevice
        let err = Pipe()
        importing.standardError = err
        importing.standardOutput = FileHandle.nullDevice
        try importing.run()
        defer { if importing.isRunning { kill(importing.processIdentifier, SIGKILL) } }
        // The first batches are in: then the link goes.
        let until = Date().addingTimeInterval(60)
        while Date() < until, try registered() == 0, importing.isRunning { usleep(20_000) }
        // The ssh process carrying the import (`-F .../client/config`); the shared connection's master
        // ("ssh: .../otklik-ssh/... [mux]") lives on, and the retry's session goes through it.
        _ = try run("/usr/bin/pkill", ["-KILL", "-f", "--", "-F \(server.base)/client/config"])
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        importing.waitUntilExit()
        #expect(importing.terminationStatus == 69, "\(said)")
        #expect(
            said.contains("соединение SSH с 127.0.0.1 прервалось")
                && said.contains("то, что демон подтвердил, сделано"),
            "\(said)")
        let before = try registered()
        #expect(before > 0 && before < rows, "\(before) of \(rows) registered when the link went")
        // Again, over a new connection: the rest is registered, what was in is found, none twice.
        let again = try server.otklik(
            curator, ["message", "import", file, "--apply", "-o", "json", "--timeout", "120"])
        #expect(again.status == 0, "\(again.stderr)")
        let report = DeskTests.object(again.stdout)
        #expect((report["new"] as? Int ?? 0) + (report["existing"] as? Int ?? 0) == rows, "\(report)")
        #expect((report["existing"] as? Int ?? 0) >= before)
        #expect(try registered() == rows)
    }
}

/// `otklik dial-stdio` on its own (issue 27, item 1): the server's end of `--host ssh://...`, with no
/// SSH in between.
@Suite struct DialStdioTests {
    /// Bytes go both ways (a call answered through it), a clean close ends it with 0 and nothing on
    /// stdout, in the quick form ssh starts and in the form the parser reads.
    @Test(arguments: [[], ["--timeout", "5"]]) func itCarriesCallsAndEndsCleanly(extra: [String]) throws {
        let daemon = try DaemonProcess()
        let command = [binDirectory + "/otklik", "dial-stdio", "--socket", daemon.socketPath] + extra
        let client = try RPCClient(command: command, label: "dial-stdio")
        let health = try client.call(AdminService.health, HealthRequest())
        #expect(health.eventCount > 0)
        client.close()
        // stdin closed at once: connected, the daemon told no more comes, it closes, dial-stdio ends.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(stdout.isEmpty && stderr.isEmpty, "\(stdout.count) bytes on stdout; \(stderr)")
    }

    /// No daemon: the usual exit code and sentence on stderr, naming this machine's socket even where
    /// OTKLIK_HOST names another, and nothing on stdout (the client reads stdout as the protocol).
    @Test func noDaemonIsSaidOnStderrWithTheUsualCode() throws {
        let missing = privateDirectory() + "/otklik.sock"
        for arguments in [["dial-stdio", "--socket", missing], ["dial-stdio", "--socket=" + missing]] {
            let result = try run(
                binDirectory + "/otklik", arguments, environment: ["OTKLIK_HOST": "ssh://someone@elsewhere"])
            #expect(result.status == 69, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(missing) && !result.stderr.contains("elsewhere"), "\(result.stderr)")
        }
    }
}
