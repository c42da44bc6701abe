import ArgumentParser
import COtklikSystem
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Language.text("Path of the daemon's Unix socket.", "Путь к Unix-сокету демона.")))
    var socket: String?

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            Language.text(
                "Output format: table or json (reports also csv and html).",
                "Формат вывода: `table` (таблица) или `json` (для сводки также `csv` и `html`).")))
    var output: OutputFormat = .table

    @Option(
        help: ArgumentHelp(
            Language.text("Seconds to wait for the daemon's answer.", "Сколько секунд ждать ответа демона.")))
    var timeout: Double = 30

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            Language.text(
                "Act as this login (admins only; recorded as \"you as LOGIN\").",
                "Действовать от имени этого логина (только администратор; записывается как «вы от имени ЛОГИНА»).")))
    var actAs: String?

    var socketPath: String { SocketLocation.forClient(flag: socket) }

    /// Connects, runs `body`, and turns any RPC error into one plain sentence and an exit code.
    func withClient<T>(streaming: Bool = false, _ body: (RPCClient) throws(RPCError) -> T) throws -> T {
        try checkTrust()
        do {
            let client = try connect(streaming: streaming)
            defer { client.close() }
            return try body(client)
        } catch {
            try fail(error)
        }
    }

    /// The demo socket found by default is used only when nobody else could have put it there.
    func checkTrust() throws {
        let path = socketPath
        if socket?.isEmpty ?? true,
            ProcessInfo.processInfo.environment[SocketLocation.environmentVariable]?.isEmpty ?? true,
            path == SocketLocation.demo, let why = SocketLocation.distrust(path)
        {
            switch why {
            case .foreignOwner(let file, let directory, let uid):
                Safe.printError(
                    Language.text(
                        "otklik: not using \(path): \(directory ? "its directory " : "")\(file) belongs to uid \(uid), not to you or root, so it may not be the daemon. Pass --socket or set OTKLIK_SOCKET to use it anyway.",
                        "otklik: \(path) не используется: \(directory ? "каталог " : "")\(file) принадлежит uid \(uid), а не вам или root, и может оказаться не демоном. Чтобы всё же подключиться, укажите --socket или OTKLIK_SOCKET."
                    ))
            case .worldWritable(let directory):
                Safe.printError(
                    Language.text(
                        "otklik: not using \(path): \(directory) is writable by every user, so anyone could have put the socket there. Pass --socket or set OTKLIK_SOCKET to use it anyway.",
                        "otklik: \(path) не используется: в каталог \(directory) может писать любой пользователь, и сокет мог подложить кто угодно. Чтобы всё же подключиться, укажите --socket или OTKLIK_SOCKET."
                    ))
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
        return try RPCClient(socketPath: socketPath, options: options)
    }

    /// Says what `error` means for the reader and exits with its code.
    func fail(_ error: RPCError) throws -> Never {
        if error.code == .unavailable, error.message.hasPrefix("no permission to connect") {
            // sysexits EX_NOPERM: the socket's group is the one to join.
            Safe.printError(Self.socketRefused(socketPath))
            throw ExitCode(77)
        }
        var sentence = Self.explain(error, socketPath: socketPath)
        if let hint = actAsHint(error) { sentence += "\n" + hint }
        Safe.printError(sentence)
        throw ExitCode(ExitCodes.code(for: error.code))
    }

    /// Said when the socket's permissions keep the user out: the group to join and how.
    static func socketRefused(_ path: String) -> String {
        // The socket's group, or its directory's when the directory already keeps the user out.
        var info = stat()
        let directory = (path as NSString).deletingLastPathComponent
        let group =
            stat(path, &info) == 0 || stat(directory.isEmpty ? "." : directory, &info) == 0
            ? (getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "\(info.st_gid)") : "otklik"
        return Language.text(
            "otklik: you may not open \(path): it is for the group \(group). Ask the administrator to add you (`sudo usermod -aG \(group) $USER`), then log in again.",
            "otklik: нет доступа к \(path): он открыт группе \(group). Попросите администратора добавить вас (`sudo usermod -aG \(group) $USER`) и войдите в систему заново."
        )
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
            (try? RPCClient(socketPath: socketPath, options: options)).flatMap { client -> [String]? in
                defer { client.close() }
                return try? client.call(DirectoryService.listStaff, ListRequest()).staff.filter {
                    $0.active && $0.roles.contains { allowed.contains($0.name) }
                }.map(\.login).sorted()
            } ?? []
        let example = logins.first ?? "LOGIN"
        let who =
            logins.isEmpty ? "" : Language.text(" (may: ", " (может: ") + logins.prefix(5).joined(separator: ", ") + ")"
        return Language.text(
            "An administrator takes this step for someone who may: add `--as \(example)`\(who).",
            "Администратор делает этот шаг от имени сотрудника, которому он разрешён: добавьте `--as \(example)`\(who)."
        )
    }

    static func explain(_ error: RPCError, socketPath: String) -> String {
        switch error.code {
        case .unavailable where error.message.hasPrefix("no daemon answers"):
            Language.text(
                "otklik: no daemon answers on \(socketPath). Start it with `otklikd --demo` in this directory (demo) or `systemctl start otklikd` (service), or pass --socket.",
                "otklik: по адресу \(socketPath) демон не отвечает. Запустите его: `otklikd --demo` в этом каталоге (демо) или `systemctl start otklikd` (служба), либо укажите --socket."
            )
        case .unavailable:
            Language.text(
                "otklik: the daemon is unavailable: \(error.message)", "otklik: демон недоступен: \(error.message)")
        case .deadlineExceeded:
            Language.text(
                "otklik: the daemon did not answer in time (--timeout).",
                "otklik: демон не ответил вовремя (--timeout).")
        default:
            "otklik: " + RefusalText.sentence(error)
        }
    }
}
