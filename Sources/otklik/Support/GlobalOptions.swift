import ArgumentParser
import COtklikSystem
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Say.General.socketHelp.text()))
    var socket: String?

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            Say.General.outputHelp.text()))
    var output: OutputFormat = .table

    @Option(
        help: ArgumentHelp(
            Say.General.timeoutHelp.text()))
    var timeout: Double = 30

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            Say.General.asHelp.text()))
    var actAs: String?

    @Option(help: ArgumentHelp(Say.Remote.hostHelp.text())) var host: String?

    /// The daemon's socket here, or for a daemon on another machine its address (`ssh://host`), which
    /// is what messages name.
    var socketPath: String { DaemonLink.current?.text ?? SocketLocation.forClient(flag: socket) }

    func validate() throws { _ = try DaemonLink.address(flag: host) }

    /// Connects, runs `body`, and turns any RPC error into one plain sentence and an exit code.
    func withClient<T>(streaming: Bool = false, _ body: (RPCClient) throws(RPCError) -> T) throws -> T {
        try checkTrust()
        do {
            let client = try connect(streaming: streaming)
            var healthy = false
            defer { DaemonLink.done(with: client, healthy: healthy && !streaming) }
            let result = try body(client)
            healthy = true
            return result
        } catch {
            try fail(error)
        }
    }

    /// The demo socket found by default is used only when nobody else could have put it there.
    func checkTrust() throws { try Self.checkTrust(socketFlag: socket, path: socketPath) }

    /// The same check for `path`, found from `socketFlag` (nil: from the environment or the default).
    static func checkTrust(socketFlag: String?, path: String) throws {
        if socketFlag?.isEmpty ?? true,
            ProcessInfo.processInfo.environment[SocketLocation.environmentVariable]?.isEmpty ?? true,
            path == SocketLocation.demo, let why = SocketLocation.distrust(path)
        {
            switch why {
            case .foreignOwner(let file, let directory, let uid):
                Safe.printError(
                    Say.General.socketOwnedByOther(path, file, uid: uid, directory: directory).text())
            case .worldWritable(let directory):
                Safe.printError(
                    Say.General.socketInWorldWritableDirectory(path, directory).text())
            }
            throw ExitCode(77)
        }
    }

    /// A client of the daemon on the socket this run uses (no deadline for a stream that follows
    /// events as they come).
    func connect(streaming: Bool) throws(RPCError) -> RPCClient {
        var options = RPCClient.Options()
        options.defaultTimeout = streaming ? nil : .milliseconds(Int64(timeout * 1000))
        if let actAs { options.defaultMetadata = [MetadataEntry("otklik-as", actAs)] }
        return try DaemonLink.open(socketPath: socketPath, options: options)
    }

    /// Says what `error` means for the reader and exits with its code.
    func fail(_ error: RPCError) throws -> Never {
        // Through ssh: what the link said, not a local socket's story.
        if let remote = DaemonLink.explain(error) {
            Safe.printError("otklik: " + remote.sentence)
            throw ExitCode(remote.code)
        }
        var (sentence, code) = Self.local(error, socketPath: socketPath)
        if let hint = actAsHint(error) { sentence += "\n" + hint }
        Safe.printError(sentence)
        throw ExitCode(code)
    }

    /// What `error` from the daemon's socket at `socketPath` means for the reader, and its exit code.
    static func local(_ error: RPCError, socketPath: String) -> (sentence: String, code: Int32) {
        if error.code == .unavailable, error.message.hasPrefix("no permission to connect") {
            // sysexits EX_NOPERM: the socket's group is the one to join.
            return (socketRefused(socketPath), 77)
        }
        return (explain(error, socketPath: socketPath), ExitCodes.code(for: error.code))
    }

    /// Said when permissions keep the user from the socket (issue 26): that the socket is there, what
    /// keeps them out (the socket itself, or the first directory on its way they may not pass) with
    /// its owner, group and mode, and the group to join; never the root group.
    static func socketRefused(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        // The first directory on the way this user may not search, else the socket itself.
        var blocker = absolute
        var prefix = ""
        for component in absolute.split(separator: "/").dropLast() {
            prefix += "/" + component
            if access(prefix, X_OK) != 0 {
                blocker = prefix
                break
            }
        }
        // Its owner, group and mode, read as root does not need to be: stat works on a directory
        // whose parent may be searched, which the walk above ensures.
        var info = stat()
        guard stat(blocker, &info) == 0 else {
            return Say.General.socketDenied(path).text() + "\n" + Say.General.askWhichGroup.text()
        }
        let owner = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "\(info.st_uid)"
        let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "\(info.st_gid)"
        let mode = "0" + String(info.st_mode & 0o777, radix: 8)
        let what = blocker == absolute ? path : (blocker as NSString).lastPathComponent + "/"
        var sentence = Say.General.socketBlocked(path, what, owner, group, mode).text()
        // Joining the group helps only if the group may pass (r/w on the socket, x on a directory).
        let groupMay = blocker == absolute ? info.st_mode & 0o060 == 0o060 : info.st_mode & 0o010 != 0
        sentence +=
            "\n"
            + (info.st_gid != 0 && groupMay ? Say.General.askToJoin(group).text() : Say.General.askWhichGroup.text())
        return sentence
    }

    /// An administrator refused a workflow step is told to act as someone who may take it, with
    /// the logins that may (one more call, made only then).
    func actAsHint(_ error: RPCError) -> String? {
        guard actAs == nil, error.code == .permissionDenied, let info = error.info, info.reason == "not_permitted"
        else { return nil }
        let arguments = info.argumentValues
        guard
            (arguments["roles"] ?? "").split(separator: ",").contains(where: {
                $0.trimmingCharacters(in: .whitespaces) == "admin"
            })
        else { return nil }
        let allowed = Set(
            (arguments["allowed_roles"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard !allowed.isEmpty else { return nil }
        var options = RPCClient.Options()
        options.defaultTimeout = .milliseconds(Int64(timeout * 1000))
        let logins =
            (try? DaemonLink.open(socketPath: socketPath, options: options)).flatMap { client -> [String]? in
                defer { client.close() }
                return try? client.call(DirectoryService.listStaff, ListRequest()).staff.filter {
                    $0.active && $0.roles.contains { allowed.contains($0.name) }
                }.map(\.login).sorted()
            } ?? []
        let example = logins.first ?? "LOGIN"
        return Say.General.actAsHint(example, may: logins.prefix(5).joined(separator: ", ")).text()
    }

    static func explain(_ error: RPCError, socketPath: String) -> String {
        switch error.code {
        case .unavailable where error.message.hasPrefix("no daemon answers"):
            Say.General.noDaemon(socketPath).text()
        case .unavailable:
            Say.General.daemonUnavailable(error.message).text()
        case .deadlineExceeded:
            Say.General.daemonTimedOut.text()
        case .ok, .cancelled, .unknown, .invalidArgument, .notFound, .alreadyExists, .permissionDenied,
            .resourceExhausted, .failedPrecondition, .aborted, .outOfRange, .unimplemented, .internal, .dataLoss,
            .unauthenticated:
            "otklik: " + RefusalText.sentence(learningUnits(error, socketPath: socketPath))
                + (meantLogin(error, socketPath: socketPath).map { "\n" + Say.General.didYouMean($0).text() } ?? "")
        }
    }

    /// Refusals naming a login the directory does not have.
    static let unknownLoginReasons: Set<String> = [
        "no_staff_member", "no_active_staff_member", "no_staff_to_act_as", "no_login_named",
    ]

    /// The login a refused one was probably meant as ("petrva": curator.petrova), from the directory's
    /// active staff; nil when none is close or the directory cannot be read.
    private static func meantLogin(_ error: RPCError, socketPath: String) -> String? {
        guard let info = error.info, unknownLoginReasons.contains(info.reason),
            let login = info.argumentValues["login"], !login.isEmpty
        else { return nil }
        var options = RPCClient.Options()
        options.defaultTimeout = .seconds(2)
        guard let client = try? DaemonLink.open(socketPath: socketPath, options: options) else { return nil }
        defer { client.close() }
        let logins =
            (try? client.call(DirectoryService.listStaff, ListRequest()).staff.filter(\.active).map(\.login)) ?? []
        return Suggestion.closest(to: login, among: logins)
    }

    /// `error`, after the units' titles are learnt when its Russian sentence names units: a refusal says
    /// "«Дорожный отдел» (roads)", the title people know and the code an option takes.
    private static func learningUnits(_ error: RPCError, socketPath: String) -> RPCError {
        guard Language.current == .russian, let arguments = error.info?.argumentValues,
            arguments["unit"] != nil || arguments["units"] != nil,
            RefusalText.unitTitles.withLock({ $0.isEmpty })
        else { return error }
        UnitTitles.load(socketPath: socketPath, actAs: nil, seconds: 2)
        return error
    }
}
