import Foundation
import OtklikDesk
import OtklikTestSupport
import Testing

/// `--host ssh://...` (issue 27): the address read as docker reads `DOCKER_HOST`, and the ssh command
/// built from it with every part an argument of its own and the remote command quoted for the shell.
@Suite struct HostAddressTests {
    @Test func anAddressIsReadIntoItsParts() throws {
        let full = try HostAddress(parsing: "ssh://petrova@otklik.example.ru:2222/run/otklik/otklik.sock")
        #expect(full.user == "petrova" && full.host == "otklik.example.ru" && full.port == 2222)
        #expect(full.socketPath == "/run/otklik/otklik.sock")
        let bare = try HostAddress(parsing: "ssh://server")
        #expect(bare.user == nil && bare.port == nil && bare.socketPath == nil && bare.host == "server")
        #expect(try HostAddress(parsing: "ssh://u@[::1]:22").host == "::1")
        #expect(try HostAddress(parsing: "ssh://u@h/").socketPath == nil)
    }

    @Test func whatSSHOrAShellWouldReadAsMoreIsRefused() {
        let refused: [(String, HostAddress.Refusal)] = [
            ("tcp://host", .notSSH), ("ssh://u:secret@host", .password), ("ssh://host?x=1", .query),
            ("ssh://host#f", .query), ("ssh://", .noHost), ("ssh://u@", .noHost), ("ssh://-oProxyCommand=x", .badHost),
            ("ssh://host;rm", .badHost), ("ssh://ho st", .badHost), ("ssh://host:0", .badPort),
            ("ssh://host:70000", .badPort), ("ssh://host:x", .badPort), ("ssh://-u@host", .badUser),
            ("ssh://u$(id)@host", .badUser), ("ssh://u@host/a\nb", .badPath),
        ]
        for (text, refusal) in refused {
            #expect(throws: refusal, "\(text)") { try HostAddress(parsing: text) }
        }
    }

    @Test func theSSHCommandQuotesTheRemotePartsAndEndsItsOptionsBeforeTheHost() throws {
        let address = try HostAddress(parsing: "ssh://petrova@server:2222/run/it's/otklik.sock")
        let argv = RemoteCommand.ssh(
            address, program: "ssh", remote: "otklik", controlDirectory: "/run/user/1000/otklik-ssh")
        #expect(argv.first == "ssh" && argv.contains("-T") && argv.contains("BatchMode=yes"))
        #expect(argv.contains("ConnectTimeout=\(RemoteCommand.sshConnectSeconds)"))
        // The socket's name is the Python client's too (clients/python/tests/test_remote.py holds the same).
        #expect(RemoteCommand.controlName(address) == "442b50cc6b352138")
        #expect(
            argv.contains("ControlPath=/run/user/1000/otklik-ssh/442b50cc6b352138")
                && argv.contains("ControlMaster=auto"))
        let percent = RemoteCommand.ssh(address, controlDirectory: "/home/a%b/.ssh/otklik")
        #expect(percent.contains("ControlPath=/home/a%%b/.ssh/otklik/442b50cc6b352138"))
        let remote = #"'otklik' dial-stdio --socket '/run/it'\''s/otklik.sock'"#
        #expect(Array(argv.suffix(3)) == ["--", "server", remote])
        #expect(argv.firstIndex(of: "-l").map { argv[$0 + 1] } == "petrova")
        #expect(argv.firstIndex(of: "-p").map { argv[$0 + 1] } == "2222")
        // Without a directory for the shared connection, no sharing options at all.
        let plain = RemoteCommand.ssh(address, controlDirectory: nil)
        #expect(!plain.contains { $0.hasPrefix("Control") })
    }

    /// The shared connection's socket fits a Unix socket's path (107 bytes, with the 17 characters ssh adds
    /// while it makes it) from the longest directory used; a longer one is not used at all.
    @Test func theSharedConnectionsSocketFitsFromTheLongestDirectoryUsed() throws {
        let base = Scratch.directory("control")
        defer { try? FileManager.default.removeItem(atPath: base) }
        func runtime(_ length: Int) throws -> String {
            let path =
                base + "/" + String(repeating: "r", count: length - base.utf8.count - "/otklik-ssh".utf8.count - 1)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }
        let longest = try runtime(RemoteCommand.longestControlDirectory)
        let used = try #require(RemoteCommand.controlDirectory(environment: ["XDG_RUNTIME_DIR": longest]))
        #expect(used.utf8.count == RemoteCommand.longestControlDirectory)
        let address = try HostAddress(parsing: "ssh://petrova@server:2222")
        let path = try #require(
            RemoteCommand.ssh(address, controlDirectory: used).first { $0.hasPrefix("ControlPath=") }?
                .dropFirst("ControlPath=".count))
        #expect(path.utf8.count + 17 == 107)
        let tooLong = try runtime(RemoteCommand.longestControlDirectory + 1)
        #expect(RemoteCommand.controlDirectory(environment: ["XDG_RUNTIME_DIR": tooLong]) == nil)
    }
}
