import ArgumentParser
import COtklikSystem
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

@main
struct Otklik: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otklik",
        abstract: Language.text(
            "Otklik: answer citizens' posts on time, as the regulation demands.",
            "Отклик: ответы на сообщения граждан в срок, как требует регламент."),
        discussion: Language.text(
            """
            The daemon's socket: --socket, else $OTKLIK_SOCKET, else \(SocketLocation.demo) if it exists, else \(SocketLocation.system).
            Messages are in Russian when the locale (LC_ALL, LC_MESSAGES or LANG) starts with "ru".
            Times: now, 15:40 (today), yesterday 15:40, 2026-12-01 15:40 (in the schedule's zone) or ISO 8601.
            Start the day with `otklik queue`: what waits for your step.

            """,
            """
            Сокет демона: --socket, иначе $OTKLIK_SOCKET, иначе \(SocketLocation.demo), если он есть, иначе \(SocketLocation.system).
            Сообщения по-русски, когда локаль (LC_ALL, LC_MESSAGES или LANG) начинается с «ru».
            Время: now (сейчас), 15:40 (сегодня), вчера 15:40, 2026-12-01 15:40 (в поясе графика) или ISO 8601.
            Начинайте день с `otklik queue`: что ждёт вашего шага.

            """) + "\n" + ExitCodes.help,
        version: OtklikVersion.describe(commit: String(cString: otklik_build_commit())),
        subcommands: [
            Status.self, WhoAmI.self, WatchCommand.self, MessageCommand.self, CaseCommandGroup.self,
            QueueCommand.self, AssignmentCommand.self, DraftCommand.self, ReplyCommand.self, StaffCommand.self,
            UnitCommand.self,
            AccountCommand.self, AttachmentCommand.self, ProfileCommand.self, ReportCommand.self, CalendarCommand.self,
            AdminCommand.self,
        ])

    /// ArgumentParser's main, with its messages in the reader's language and escaped for the
    /// terminal (they quote the command line, which may carry escape sequences). An error found
    /// while a command runs prints one sentence and that command's usage, never the root's.
    static func main() {
        // Uploads and downloads move 1 MiB buffers: keep them in the heap rather than fault them in anew.
        _ = otklik_keep_stream_buffers()
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            finish(error, ranAs: nil)
        }
        do {
            try command.run()
        } catch {
            finish(error, ranAs: type(of: command))
        }
    }

    private static func finish(_ error: any Error, ranAs command: (any ParsableCommand.Type)?) -> Never {
        if let failure = error as? FileFailure {
            Safe.printError("otklik: " + failure.message)
            Foundation.exit(failure.code)
        }
        let code = exitCode(for: error)
        var message: String
        if let command, let validation = error as? ValidationError {
            let usage = usageString(for: command)
            let path = usage.split(separator: " ").prefix { !"[<-".contains($0.first ?? "[") }
            message =
                "otklik: \(validation.message)\nUsage: \(usage)\n"
                + "  See '\(path.joined(separator: " ")) --help' for more information."
        } else {
            message = fullMessage(for: error)
        }
        message = ParserMessages.localized(message)
        if !message.isEmpty {
            if code == .success { print(Safe.terminal(message)) } else { Safe.printError(message) }
        }
        Foundation.exit(code.rawValue)
    }
}

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

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Language.text(
            "Show whether the daemon is up, its version and load.",
            "Показать, работает ли демон, его версию и нагрузку."))

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let health = try global.withClient { client throws(RPCError) in
            try client.call(AdminService.health, HealthRequest())
        }
        // Instants in the schedule's offset, as the daemon formats them (an older daemon sends only
        // the Unix seconds: then UTC).
        let started =
            health.startedAt.isEmpty ? Instant(seconds: health.startedAtUnix).iso(offset: 0) : health.startedAt
        let now = health.now.isEmpty ? Instant(seconds: health.nowUnix).iso(offset: 0) : health.now
        Render.print(global.output) {
            Render.keyValues([
                (Language.text("Daemon", "Демон"), stateText(health.state)),
                (Language.text("Version", "Версия"), health.version),
                (Language.text("Up for", "Работает"), Self.duration(health.uptimeSeconds)),
                (Language.text("Started", "Запущен"), started),
                (Language.text("Schema version", "Версия схемы БД"), String(health.schemaVersion)),
                (Language.text("Connections", "Подключений"), String(health.openConnections)),
                (Language.text("Events", "Событий в журнале"), String(health.eventCount)),
                (
                    Language.text("Clock", "Часы"),
                    (health.clockSimulated ? Language.text("simulated, ", "имитация, ") : "")
                        + now
                ),
                (Language.text("Socket", "Сокет"), global.socketPath),
            ])
        } json: {
            .object([
                ("state", .string(health.state.name)),
                ("version", .string(health.version)),
                ("uptime_seconds", .integer(health.uptimeSeconds)),
                ("started_at", .string(started)),
                ("schema_version", .integer(Int64(health.schemaVersion))),
                ("open_connections", .integer(Int64(health.openConnections))),
                ("event_count", .integer(health.eventCount)),
                ("clock_simulated", .bool(health.clockSimulated)),
                ("now", .string(now)),
                ("socket", .string(global.socketPath)),
            ])
        }
    }

    private func stateText(_ state: HealthResponse.State) -> String {
        switch state {
        case .serving: Language.text("serving", "работает")
        case .draining: Language.text("stopping", "останавливается")
        case .unspecified, .unrecognized: Language.text("unknown", "неизвестно")
        }
    }

    static func duration(_ seconds: Int64) -> String {
        let days = seconds / 86_400, hours = seconds % 86_400 / 3600, minutes = seconds % 3600 / 60, rest = seconds % 60
        let clock = String(format: "%02lld:%02lld:%02lld", hours, minutes, rest)
        return days > 0 ? Language.text("\(days) d ", "\(days) дн ") + clock : clock
    }
}

struct WhoAmI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: Language.text(
            "Show who the daemon takes you for: your login and roles.", "Показать, кем вас считает демон: логин и роли."
        ))

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let me = try global.withClient { client throws(RPCError) in
            try client.call(AdminService.whoAmI, WhoAmIRequest())
        }
        Render.print(global.output) {
            Render.keyValues([
                (Language.text("Login", "Логин"), me.login),
                (
                    Language.text("Roles", "Роли"),
                    me.roles.isEmpty ? Language.text("none", "нет") : me.roles.map(\.spoken).joined(separator: ", ")
                ),
                (Language.text("OS user", "Пользователь ОС"), me.osUser.isEmpty ? "-" : me.osUser),
                ("uid", String(me.uid)),
                ("gid", String(me.gid)),
                ("pid", String(me.pid)),
            ])
        } json: {
            .object([
                ("uid", .integer(Int64(me.uid))),
                ("gid", .integer(Int64(me.gid))),
                ("pid", .integer(Int64(me.pid))),
                ("login", .string(me.login)),
                ("roles", .array(me.roles.map { .string($0.name) })),
                ("os_user", .string(me.osUser)),
            ])
        }
    }
}
