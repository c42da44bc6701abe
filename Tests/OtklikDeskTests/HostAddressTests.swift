import OtklikDesk
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
        #expect(argv.contains("ConnectTimeout=\(RemoteCommand.connectSeconds)"))
        #expect(argv.contains("ControlPath=/run/user/1000/otklik-ssh/%C") && argv.contains("ControlMaster=auto"))
        let remote = #"'otklik' dial-stdio --socket '/run/it'\''s/otklik.sock'"#
        #expect(Array(argv.suffix(3)) == ["--", "server", remote])
        #expect(argv.firstIndex(of: "-l").map { argv[$0 + 1] } == "petrova")
        #expect(argv.firstIndex(of: "-p").map { argv[$0 + 1] } == "2222")
        // Without a directory for the shared connection, no sharing options at all.
        let plain = RemoteCommand.ssh(address, controlDirectory: nil)
        #expect(!plain.contains { $0.hasPrefix("Control") })
    }
}
