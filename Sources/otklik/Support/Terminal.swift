import COtklikSystem
import Foundation
import OtklikDesk

/// What the standard output is: a terminal (its size, colours) or a pipe or file.
enum Terminal {
    static let isTerminal = isatty(STDOUT_FILENO) == 1

    /// Whether a status line (an upload's or an import's progress) may be drawn: stdout and stderr are
    /// terminals and the output is for people.
    static func showsStatus(_ format: OutputFormat) -> Bool {
        format == .table && isTerminal && isatty(STDERR_FILENO) == 1
    }

    /// Draws `text` as the status line on stderr, over the one before.
    static func status(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Safe.terminal(text)).utf8))
    }

    /// Clears the status line.
    static func clearStatus() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }

    /// Rows and columns of the terminal on stdout, nil when it is not one.
    static let size: (rows: Int, columns: Int)? = {
        var rows: Int32 = 0
        var columns: Int32 = 0
        return otklik_terminal_size(STDOUT_FILENO, &rows, &columns) == 0 ? (Int(rows), Int(columns)) : nil
    }()

    /// The width to wrap text at: the terminal's, else $COLUMNS, else 100 (files and pipes).
    static var width: Int {
        if let size { return max(40, size.columns) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns >= 40 {
            return columns
        }
        return 100
    }

    /// Colour only on a terminal, and never with NO_COLOR set (no-color.org) or TERM=dumb.
    static let colours: Bool = {
        let environment = ProcessInfo.processInfo.environment
        return isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }()

    /// Marks a line to be shown in red (alerts: a missed deadline), or bold (headings), on a colour
    /// terminal. The mark (a private-use character at the line's start) survives `Safe.terminal`, which
    /// runs over the whole text first; `painted` turns it into the colour or drops it. Data that
    /// begins a line with the same character can at most colour that line.
    static func red(_ line: String) -> String { redMark + line }
    static func bold(_ line: String) -> String { boldMark + line }
    private static let redMark = "\u{E000}", boldMark = "\u{E001}"

    /// Marks words within a line (a search's matches): bold on a colour terminal, else in `[...]`.
    static func emphasised(_ words: String) -> String { emphasisStart + words + emphasisEnd }
    private static let emphasisStart = "\u{E002}", emphasisEnd = "\u{E003}"
    private static let marks: Set<Character> = ["\u{E000}", "\u{E001}", "\u{E002}", "\u{E003}"]

    /// `text` without the characters that mark lines and words, so data cannot mark itself.
    static func unmarked(_ text: String) -> String {
        text.contains(where: marks.contains) ? text.filter { !marks.contains($0) } : text
    }

    /// `text` (already escaped by `Safe.terminal`) with its marked lines coloured, or unmarked.
    static func painted(_ text: String) -> String {
        var text = text
        if text.contains(emphasisStart) {
            text = text.replacingOccurrences(of: emphasisStart, with: colours ? "\u{1B}[1m" : "[")
                .replacingOccurrences(of: emphasisEnd, with: colours ? "\u{1B}[22m" : "]")
        }
        guard text.contains(redMark) || text.contains(boldMark) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = String(line)
            var codes: [String] = []
            while let mark = [redMark, boldMark].first(where: { line.hasPrefix($0) }) {
                line.removeFirst()
                codes.append(mark == redMark ? "31" : "1")
            }
            guard colours, !codes.isEmpty else { return line.replacingOccurrences(of: redMark, with: "") }
            return "\u{1B}[" + codes.joined(separator: ";") + "m" + line + "\u{1B}[0m"
        }.joined(separator: "\n")
    }

    /// Prints text for people: escaped, coloured where marked, through a pager when asked and tall.
    static func show(_ text: String, pager: Bool = false) {
        let text = painted(Safe.terminal(text))
        if pager { page(text) } else { print(text) }
    }

    /// Prints `text` (already made safe for the terminal), through a pager when stdout is a terminal
    /// and the text is taller than it: $PAGER, else `less -R` (colours kept), else straight out.
    static func page(_ text: String) {
        guard isTerminal, let size, text.split(separator: "\n", omittingEmptySubsequences: false).count >= size.rows
        else {
            print(text)
            return
        }
        var environment = ProcessInfo.processInfo.environment
        let pager = environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -R"
        // less: quit when the text fits after all, keep colours, do not clear the screen.
        if environment["LESS"] == nil { environment["LESS"] = "FRX" }
        // What we print is UTF-8 whatever the locale (a locale not generated on the machine leaves
        // less showing Cyrillic as <D0><94>).
        if environment["LESSCHARSET"] == nil { environment["LESSCHARSET"] = "utf-8" }
        // Spawned in our own process group (Foundation's Process gives a child a group of its own,
        // and a pager outside the terminal's foreground group is stopped when it touches the terminal).
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            print(text)
            return
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, ends[0])
        posix_spawn_file_actions_addclose(&actions, ends[1])
        let words: [String] = ["/bin/sh", "-c", pager]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let variables: [UnsafeMutablePointer<CChar>?] =
            environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (arguments + variables).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, "/bin/sh", &actions, nil, arguments, variables)
        close(ends[0])
        guard spawned == 0 else {
            close(ends[1])
            print(text)
            return
        }
        signal(SIGPIPE, SIG_IGN)
        // The pager may quit before reading everything (q): the rest is not wanted.
        let bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            if written <= 0 { break }
            offset += written
        }
        close(ends[1])
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        // The shell could not run $PAGER (127: not found, 126: not executable): the text is not lost.
        if status & 0x7f == 0, [126, 127].contains((status >> 8) & 0xff) { print(text) }
    }
}
