import ArgumentParser
import Foundation
import OtklikAPI
import OtklikDesk
#if canImport(Glibc)
import Glibc
#endif

/// `otklik desk`: the desk in the browser (issue 30). The helper is Python (clients/desk/otklik_desk.py,
/// installed in PREFIX/lib/otklik/desk): this command finds it and becomes it (execv), so its signals,
/// its output and its exit code are the helper's. It is told this program's path (`--otklik`, for what
/// the pages hand to the CLI) and only what the user chose: `--socket`, `--host` (or their variables)
/// and `--as`, else it takes its own defaults.
struct DeskCommand: ParsableCommand, PrintsFormats {
    static let configuration = CommandConfiguration(
        commandName: "desk", abstract: Say.Desk.deskAbstract.text(), discussion: Say.Desk.deskDiscussion.text())

    /// The helper prints its address, never a table or JSON of its own.
    static let formats: [OutputFormat] = [.table]

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp(Say.Desk.portHelp.text())) var port: Int?
    @Flag(help: ArgumentHelp(Say.Desk.noBrowserHelp.text())) var noBrowser = false
    @Flag(help: ArgumentHelp(Say.Desk.stopHelp.text())) var stop = false

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError(Say.Desk.portOutOfRange(port).text()) }
    }

    func run() throws {
        let program = Self.ownPath()
        let script = try Self.helper(program: program)
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        let arguments = [python, script, "--otklik", program] + passedOn()
        // What this process printed goes out before it becomes the helper; nothing of it is held back.
        fflush(nil)
        // A blocked signal would stay blocked across execv: the helper starts with none.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        pthread_sigmask(SIG_SETMASK, &unblocked, nil)
        let argv = arguments.map { strdup($0) } + [nil]
        // Only comes back when the helper could not start.
        if python.hasPrefix("/") { execv(python, argv) } else { execvp(python, argv) }
        let why = String(cString: strerror(errno))
        Safe.printError(Say.Desk.pythonFailed(python, why).text())
        throw ExitCode(69)
    }

    /// The user's own choices for the helper: the daemon's address as the rest of the CLI reads it
    /// (`--host`, else `$OTKLIK_HOST`, which a leading `otklik --host` sets; over `--socket`, else
    /// `$OTKLIK_SOCKET`), `--as`, and the desk's options. What the user left unsaid stays unsaid.
    func passedOn() -> [String] {
        let environment = ProcessInfo.processInfo.environment
        func given(_ flag: String?, _ variable: String) -> String? {
            if let flag, !flag.isEmpty { return flag }
            return environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        var arguments: [String] = []
        if let host = given(global.host, "OTKLIK_HOST") {
            arguments += ["--host", host]
        } else if let socket = given(global.socket, SocketLocation.environmentVariable) {
            arguments += ["--socket", socket]
        }
        if let actAs = global.actAs { arguments += ["--as", actAs] }
        if let port { arguments += ["--port", String(port)] }
        if noBrowser { arguments.append("--no-browser") }
        if stop { arguments.append("--stop") }
        return arguments
    }

    /// This program's real path (links resolved), absolute.
    static func ownPath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            path.hasPrefix("/")
        {
            return path
        }
        let named = CommandLine.arguments.first ?? "otklik"
        guard let resolved = realpath(named, nil) else { return named }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The helper's script: `$OTKLIK_DESK`, else the installed one (PREFIX/lib/otklik/desk beside
    /// PREFIX/bin/otklik), else the repository's (the program built in .build/debug, .build/release or
    /// .build/TRIPLE/debug: clients/desk a few directories up); or one sentence and exit code 69.
    static func helper(program: String) throws -> String {
        let files = FileManager.default
        func isFile(_ path: String) -> Bool {
            var directory: ObjCBool = false
            return files.fileExists(atPath: path, isDirectory: &directory) && !directory.boolValue
        }
        if let named = ProcessInfo.processInfo.environment["OTKLIK_DESK"], !named.isEmpty {
            guard isFile(named) else {
                Safe.printError(Say.Desk.namedHelperMissing(named).text())
                throw ExitCode(69)
            }
            return named.hasPrefix("/") ? named : files.currentDirectoryPath + "/" + named
        }
        let bin = (program as NSString).deletingLastPathComponent
        let installed = ((bin as NSString).appendingPathComponent("../lib/otklik/desk") as NSString).standardizingPath
        let installedScript = installed + "/otklik_desk.py"
        if isFile(installedScript) { return installedScript }
        var directory = bin
        for _ in 1...5 {
            directory = (directory as NSString).deletingLastPathComponent
            let script = directory + (directory.hasSuffix("/") ? "" : "/") + "clients/desk/otklik_desk.py"
            if isFile(script) { return script }
            if directory == "/" { break }
        }
        Safe.printError(Say.Desk.helperMissing(installed, bin).text())
        throw ExitCode(69)
    }
}
