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
        abstract: Say.General.otklikAbstract.text(),
        discussion: Say.General.otklikDiscussion(SocketLocation.demo, SocketLocation.system).text() + "\n"
            + ExitCodes.help,
        version: OtklikVersion.describe(commit: String(cString: otklik_build_commit())),
        subcommands: [
            Status.self, VersionCommand.self, WhoAmI.self, DeskCommand.self, WatchCommand.self, MessageCommand.self,
            CaseCommandGroup.self,
            QueueCommand.self, BoardCommand.self, IncidentCommand.self, AssignmentCommand.self, DraftCommand.self,
            ReplyCommand.self,
            StaffCommand.self,
            UnitCommand.self,
            AccountCommand.self, ConnectorCommand.self, AttachmentCommand.self, ProfileCommand.self, ReportCommand.self,
            CalendarCommand.self,
            ExportCommand.self, AdminCommand.self, DialStdio.self,
        ])

    /// ArgumentParser's main, with its messages in the reader's language and escaped for the
    /// terminal (they quote the command line, which may carry escape sequences). An error found
    /// while a command runs prints one sentence and that command's usage, never the root's.
    static func main() {
        // Uploads and downloads move 1 MiB buffers: keep them in the heap rather than fault them in anew.
        _ = otklik_keep_stream_buffers()
        let arguments = leadingHost(Array(CommandLine.arguments.dropFirst()))
        if let socketFlag = DialStdio.direct(arguments) { Foundation.exit(DialStdio.relay(socketFlag: socketFlag)) }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            finish(error, ranAs: nil)
        }
        // A table or JSON, unless the command prints documents (the report) or streams (exports).
        let formats = (type(of: command) as? any PrintsFormats.Type)?.formats ?? [.table, .json]
        if let global = Mirror(reflecting: command).children.lazy.compactMap({
            ($0.value as? OptionGroup<GlobalOptions>)?.wrappedValue
        }).first, !formats.contains(global.output) {
            finish(global.output.notPrinted(by: formats), ranAs: type(of: command))
        }
        do {
            try command.run()
        } catch {
            finish(error, ranAs: type(of: command))
        }
    }

    /// The arguments without a leading `--host ADDRESS` (`otklik --host ssh://... queue`, as docker
    /// takes `-H`), which then stands for every command as `$OTKLIK_HOST` does; a `--host` after the
    /// command is that command's own option.
    static func leadingHost(_ arguments: [String]) -> [String] {
        var rest = arguments[...]
        while let first = rest.first {
            if first == "--host", rest.count >= 2 {
                setenv("OTKLIK_HOST", rest[rest.startIndex + 1], 1)
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--host=") {
                setenv("OTKLIK_HOST", String(first.dropFirst("--host=".count)), 1)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        return Array(rest)
    }

    /// The command path a mistyped subcommand was probably meant as: the words before it as typed,
    /// then the closest subcommand name; nil when the words are commands or nothing is close.
    static func meantCommand(_ arguments: ArraySlice<String>) -> String? {
        var command: any ParsableCommand.Type = Otklik.self
        var path: [String] = []
        for (index, word) in zip(arguments.indices, arguments) {
            let subcommands = command.configuration.subcommands
            guard !word.hasPrefix("-"), !subcommands.isEmpty else { return nil }
            func name(_ type: any ParsableCommand.Type) -> String {
                type.configuration.commandName ?? type._commandName
            }
            if let next = subcommands.first(where: { name($0) == word || $0.configuration.aliases.contains(word) }) {
                command = next
                path.append(word)
                continue
            }
            // The rest as typed after the word meant: "otklik case list --sort due".
            return Suggestion.closest(to: word, among: subcommands.map(name)).map {
                (path + [$0] + arguments[(index + 1)...]).joined(separator: " ")
            }
        }
        return nil
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
        // A mistyped command: the one meant, when one is close ("otklik case lsit": case list).
        if command == nil, code != .success, let meant = meantCommand(CommandLine.arguments.dropFirst()) {
            message += "\n" + Say.General.didYouMean("otklik " + meant).text()
        }
        if !message.isEmpty {
            if code == .success { print(Safe.terminal(message)) } else { Safe.printError(message) }
        }
        Foundation.exit(code.rawValue)
    }
}
