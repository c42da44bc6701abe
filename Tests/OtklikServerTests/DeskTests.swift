import Foundation
import OtklikDesk
import OtklikCore
import Testing

/// The desk as people use it: the work queue, a case and a draft read in full, Russian throughout,
/// errors that say what to do, times written as people write them.
@Suite struct DeskTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    /// Runs the CLI as `login` (nil: the daemon's own user, an admin) in `language`.
    static func otklik(
        _ desk: Desk, _ arguments: [String], as login: String? = nil, russian: Bool = false
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        try run(
            binDirectory + "/otklik",
            arguments + (login.map { ["--as", $0] } ?? []) + ["--socket", desk.daemon.socketPath],
            environment: russian ? ["LANG": "ru_RU.UTF-8"] : [:])
    }

    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    /// Three messages: one new, one routed to roads, one with a draft waiting for review.
    static func office() throws -> (desk: Desk, new: String, drafting: String, inReview: String) {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let drafting = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        let inReview = try desk.register(2, detected: "2026-12-01T09:01:00+03:00", importance: "high")
        let new = try desk.register(3, detected: "2026-12-01T09:02:00+03:00")
        try desk.json(["case", "route", drafting, "--executor", "roads", "--topic", "roads=дороги"])
        try desk.json(["case", "route", inReview, "--executor", "housing", "--topic", "housing=ЖКХ"])
        try desk.json([
            "draft", "submit", inReview + "/1", "--kind", "final", "--text",
            String(repeating: "Бригада выехала на место и устранила течь. ", count: 8),
        ])
        return (desk, new, drafting, inReview)
    }

    @Test func theQueueListsWhatWaitsForEachPersonsStepEarliestDueFirst() throws {
        let (desk, new, drafting, inReview) = try Self.office()
        func queue(_ login: String?, _ extra: [String] = []) throws -> [String: Any] {
            let result = try Self.otklik(desk, ["queue", "-o", "json"] + extra, as: login)
            #expect(result.status == 0, "\(result.stderr)")
            return Self.object(result.stdout)
        }
        func steps(_ answer: [String: Any]) -> [String] {
            (answer["items"] as? [[String: Any]] ?? []).map {
                let step = $0["step"] as? [String: Any] ?? [:]
                return
                    "\((step["assignment"] as? String) ?? ((($0["case"] as? [String: Any])?["id"] as? String) ?? "")) \(step["kind"] as? String ?? "")"
            }
        }
        // The curator: the draft to review (its review is due first) and the message to route.
        let curator = try queue("cur")
        #expect(Set(steps(curator)) == ["\(inReview)/1 review", "\(new) route"])
        #expect(curator["total"] as? Int == 2)
        let dues = (curator["items"] as? [[String: Any]] ?? []).compactMap {
            ($0["step"] as? [String: Any])?["due"] as? String
        }
        #expect(dues == dues.sorted())
        // Each executor: their unit's assignments only.
        #expect(steps(try queue("roads.ex")) == ["\(drafting)/1 draft"])
        #expect(steps(try queue("housing.ex")).isEmpty)
        // Someone with no step of the regulation has an empty queue.
        #expect(steps(try queue(nil)).isEmpty)
        // Paged: every item once, in order.
        let first = try queue("cur", ["--limit", "1"])
        let cursor = try #require(first["next_cursor"] as? String)
        let second = try queue("cur", ["--limit", "1", "--after", cursor])
        #expect(steps(first) + steps(second) == steps(curator))
        #expect(second["next_cursor"] == nil)
        // case list --mine: the same work, for a curator too.
        let mine = Self.object(try Self.otklik(desk, ["case", "list", "--mine", "-o", "json"], as: "cur").stdout)
        #expect(Set((mine["cases"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == [new, inReview])
        // The table: the step in words, time left in working time, a count.
        let table = try Self.otklik(desk, ["queue"], as: "cur", russian: true)
        #expect(table.stdout.contains("проверить проект ответа") && table.stdout.contains("Показано дел: 2 из 2."))
        #expect(!table.stdout.contains("\u{1B}["), "no colour when piped")
    }

    /// A command's table and its JSON are two forms of one output model: what the JSON names, the
    /// table shows, in either language, with Russian headings under a Russian locale.
    @Test func tablesShowWhatTheJSONSays() throws {
        let (desk, _, _, inReview) = try Self.office()
        // Values people read as they are (wire words are spoken, so they are left out).
        let literal: Set<String> = ["login", "full_name", "os_user", "unit", "name", "title", "url", "time", "actor"]
        func strings(_ value: Any) -> [String] {
            if let object = value as? [String: Any] {
                return object.flatMap { key, value in
                    key == "details" ? [] : literal.contains(key) ? [value as? String ?? ""] : strings(value)
                }
            }
            return (value as? [Any])?.flatMap(strings) ?? []
        }
        // A reason typed with a line break stays on its row of the table.
        let absence = try Self.otklik(
            desk,
            [
                "staff", "absence", "add", "housing.ex", "--from", "2026-12-10 09:00", "--to", "2026-12-11 09:00",
                "--deputy", "roads.ex", "--reason", "отпуск\nпо графику",
            ])
        #expect(absence.status == 0, "\(absence.stderr)")
        let absences = try Self.otklik(desk, ["staff", "absence", "list"], russian: true)
        #expect(absences.stdout.split(separator: "\n").count == 2, "\(absences.stdout)")
        #expect(absences.stdout.contains("отпуск по графику"), "\(absences.stdout)")
        let commands = [
            ["staff", "list"], ["staff", "show", "cur"], ["staff", "absence", "list"], ["unit", "list"],
            ["account", "list"], ["whoami"], ["case", "history", inReview],
        ]
        for arguments in commands {
            let json = try Self.otklik(desk, arguments + ["-o", "json"])
            #expect(json.status == 0, "\(arguments): \(json.stderr)")
            let values = strings(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8))).filter { !$0.isEmpty }
            #expect(!values.isEmpty, "\(arguments): \(json.stdout)")
            for russian in [false, true] {
                let table = try Self.otklik(desk, arguments, russian: russian)
                #expect(table.status == 0, "\(arguments): \(table.stderr)")
                for value in values {
                    // An instant people read as they write it (ISO 8601 stays in the JSON).
                    let flat =
                        Instant(iso: value) != nil
                        ? PeopleTime.text(value, in: russian ? .russian : .english)
                        : value.split(whereSeparator: \.isNewline).joined(separator: " ")
                    #expect(table.stdout.contains(flat), "\(arguments) \(russian ? "ru" : "en"): no \(value)")
                    #expect(Instant(iso: value) == nil || !table.stdout.contains(value), "\(arguments): ISO \(value)")
                }
                guard russian else { continue }
                for line in table.stdout.split(separator: "\n") {
                    #expect(RussianLines.wireWords(in: String(line)).isEmpty, "\(arguments): \(line)")
                }
                let heading = table.stdout.split(separator: "\n").first.map(String.init) ?? ""
                #expect(heading.contains { ("А"..."я").contains($0) }, "\(arguments): \(heading)")
            }
        }
    }

    /// Issue 26, item 6: times as people write them, working time said to be working time, overdue by
    /// how much; a correction's history shows times as times, a give names whom, a publication where.
    @Test func timesAndTermsReadAsPeopleWriteThem() throws {
        let (desk, new, drafting, _) = try Self.office()
        var queue = try Self.otklik(desk, ["queue"], as: "cur", russian: true)
        #expect(queue.stdout.contains("вт 01.12 09:32"), "\(queue.stdout)")
        #expect(queue.stdout.contains("раб. мин"), "\(queue.stdout)")
        #expect(!queue.stdout.contains("2026-12-01T"), "\(queue.stdout)")
        queue = try Self.otklik(desk, ["queue"], as: "cur")
        #expect(queue.stdout.contains("Tue 01 Dec 09:32") && queue.stdout.contains("working min"), "\(queue.stdout)")
        // Past due: by how much, in working time.
        try desk.json(["admin", "clock", "set", "2026-12-01T10:02:00+03:00"])
        queue = try Self.otklik(desk, ["queue"], as: "cur", russian: true)
        #expect(queue.stdout.contains("просрочено на 30 мин"), "\(queue.stdout)")
        let show = try Self.otklik(desk, ["case", "show", new], as: "cur", russian: true)
        #expect(show.stdout.contains("просрочено на 30 мин"), "\(show.stdout)")
        // The JSON keeps ISO 8601, and says how late in working minutes, as the table does.
        let json = try Self.otklik(desk, ["queue", "-o", "json"], as: "cur")
        #expect(json.stdout.contains("\"2026-12-01T09:32:00+03:00\""), "\(json.stdout)")
        let items = Self.object(json.stdout)["items"] as? [[String: Any]] ?? []
        let routing = items.first { ($0["case"] as? [String: Any])?["id"] as? String == new }
        #expect((routing?["step"] as? [String: Any])?["late_minutes"] as? Int == 30, "\(json.stdout)")
        try desk.json([
            "case", "correct", new, "--detected-at", "2026-12-01T08:45:00+03:00", "--reason", "время по карточке",
        ])
        try desk.json(["assignment", "give", drafting + "/1", "--to", "roads.ex", "--as", "cur"])
        let history = try Self.otklik(desk, ["case", "history", new], russian: true)
        #expect(history.stdout.contains("вт 01.12 09:02 → вт 01.12 08:45"), "\(history.stdout)")
        let given = try Self.otklik(desk, ["case", "history", drafting], russian: true)
        #expect(given.stdout.contains("→ roads.ex"), "\(given.stdout)")
    }

    @Test func aCaseAndItsDraftReadInFullAndInRussian() throws {
        let (desk, new, _, inReview) = try Self.office()
        let show = try Self.otklik(desk, ["case", "show", inReview], as: "cur", russian: true)
        #expect(show.status == 0)
        // The whole draft (336 characters), wrapped; the next step with whose it is and time left.
        let draft = String(repeating: "Бригада выехала на место и устранила течь. ", count: 8)
        let flowing = show.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(
            separator: " ")
        #expect(flowing.contains(draft.trimmingCharacters(in: .whitespaces)))
        #expect(show.stdout.contains("Следующий шаг:") && show.stdout.contains("шаг куратора"))
        #expect(show.stdout.contains("осталось"))
        #expect(show.stdout.contains("Проект 1 (окончательный ответ) — ждёт проверки"))
        // Every line a person reads under a Russian locale is free of the contract's words.
        for arguments in [
            ["case", "show", inReview], ["case", "show", new], ["case", "list"], ["case", "history", inReview],
            ["queue"], ["draft", "show", inReview + "/1"], ["calendar", "show"], ["calendar", "month", "2026-12"],
            ["whoami"], ["status"], ["staff", "list"], ["unit", "list"], ["account", "list"], ["profile", "show"],
            ["calendar", "year", "2026"], ["case", "search", "Сообщение"],
        ] {
            let result = try Self.otklik(desk, arguments, as: "cur", russian: true)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            for line in result.stdout.split(separator: "\n") {
                #expect(
                    RussianLines.wireWords(in: String(line)).isEmpty, "\(arguments.joined(separator: " ")): \(line)")
            }
        }
        // draft show: one draft, the latest by default; a number that does not exist is refused.
        let one = try Self.otklik(desk, ["draft", "show", inReview + "/1", "-o", "json"], as: "cur")
        #expect((Self.object(one.stdout)["draft"] as? [String: Any])?["state"] as? String == "submitted")
        let missing = try Self.otklik(desk, ["draft", "show", inReview + "/1/4"], as: "cur", russian: true)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("проекты с 1 по 1, а не 4"))
        #expect(missing.stderr.contains("otklik draft show") && !missing.stderr.contains("<subcommand>"))
    }

    @Test func errorsSayWhatToDoAndExitAsSysexitsSays() throws {
        let (desk, new, _, _) = try Self.office()
        // A refusal of the daemon's: one sentence in the reader's language, no status code name.
        let refused = try Self.otklik(desk, ["case", "route", new, "--executor", "nosuch"], as: "cur", russian: true)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("подразделения «nosuch» нет; направляйте одному из:"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("INVALID_ARGUMENT"))
        // An admin refused a step is told to act as someone who may.
        let admin = try Self.otklik(desk, ["case", "reject", new, "--reason", "harm"])
        #expect(admin.status == 77)
        #expect(admin.stderr.contains("add `--as cur`"), "\(admin.stderr)")
        // Files: an input that cannot be read 66, an output that cannot be created 73.
        let input = try Self.otklik(
            desk,
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_99", "--author", "A",
                "--text-file", "/nonexistent/post.txt", "--detected-at", "now",
            ], as: "cur")
        #expect(input.status == 66)
        #expect(input.stderr.contains("cannot read /nonexistent/post.txt: no such file or directory"))
        let output = try Self.otklik(desk, ["report", "monthly", "2026-11", "--out", "/nonexistent/r.txt"], as: "cur")
        #expect(output.status == 73, "\(output.stderr)")
        // A usage error of a subcommand shows that subcommand's usage, in Russian too.
        let usage = try Self.otklik(desk, ["case", "show"], russian: true)
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("Ошибка: не хватает аргумента <id>"))
        #expect(usage.stderr.contains("Использование: otklik case show"))
    }

    @Test func aPDFIsRenderedFromFilesNoOtherUserMayRead() throws {
        // Issue 25, Low: the report's HTML (citizens' and staff's names) was written world-readable to /tmp.
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let directory = desk.daemon.directory
        let bin = directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        // A stand-in for WeasyPrint that records the modes of what it was given, then writes a PDF.
        let fake = bin + "/weasyprint"
        try """
        #!/bin/sh
        stat -c '%a' "$(dirname "$2")" "$2" > \(directory)/modes
        printf '%%PDF-1.4 fake' > "$3"
        """.write(toFile: fake, atomically: true, encoding: .utf8)
        chmod(fake, 0o755)
        let result = try run(
            binDirectory + "/otklik",
            [
                "report", "monthly", "2026-12", "-o", "pdf", "--out", directory + "/r.pdf", "--as", "cur", "--socket",
                desk.daemon.socketPath,
            ],
            environment: ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
        #expect(result.status == 0, "\(result.stderr)")
        let modes = try String(contentsOfFile: directory + "/modes", encoding: .utf8).split(separator: "\n")
        #expect(modes == ["700", "600"], "\(modes)")
    }

    @Test func timesAreTakenAsPeopleWriteThemAndEchoed() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let result = try Self.otklik(
            desk,
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_5", "--author", "A", "--text",
                "Т",
                "--detected-at", "вчера 15:40", "-o", "json",
            ], as: "cur")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.object(result.stdout)["detected_at"] as? String == "2026-11-30T15:40:00+03:00")
        #expect(result.stderr.contains("--detected-at вчера 15:40 = 2026-11-30T15:40:00+03:00"))
        let now = try Self.otklik(
            desk,
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_6", "--author", "A", "--text",
                "Т",
                "--detected-at", "now", "-o", "json",
            ], as: "cur")
        #expect(Self.object(now.stdout)["detected_at"] as? String == "2026-12-01T09:05:00+03:00")
        let wrong = try Self.otklik(desk, ["case", "list", "--due-before", "25:00"], as: "cur")
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("--due-before 25:00 is not a time"))
    }
}

/// Every help screen under a Russian locale is Russian: each command's description and each
/// option's, argument's and subcommand's help has Russian words (option names and values aside).
@Suite struct RussianHelpTests {
    @Test func everyHelpScreenIsRussian() throws {
        var pending: [[String]] = [[]]
        var seen = 0
        while let path = pending.popLast() {
            let result = try run(binDirectory + "/otklik", path + ["--help"], environment: ["LANG": "ru_RU.UTF-8"])
            #expect(result.status == 0, "\(path)")
            // What the command is for, said first (and the NAME line of its manual page).
            #expect(
                result.stdout.contains("ОПИСАНИЕ: "), "otklik \(path.joined(separator: " ")) --help has no overview")
            seen += 1
            var section = ""
            var entry = ""
            func check() {
                // An entry: "  --name <value>   Its help" (perhaps wrapped onto indented lines).
                let help = entry.split(separator: " ", omittingEmptySubsequences: true).drop {
                    $0.hasPrefix("-") || $0.hasPrefix("<") || $0.hasSuffix(">") || $0.hasSuffix(",")
                        || (section == "КОМАНДЫ:" && $0 == $0.lowercased() && $0.allSatisfy { $0.isASCII })
                }.joined(separator: " ")
                if !entry.isEmpty, help.isEmpty {
                    Issue.record("otklik \(path.joined(separator: " ")) --help says nothing of: \(entry)")
                }
                if !entry.isEmpty, !help.isEmpty,
                    !help.unicodeScalars.contains(where: { (0x0400...0x04FF).contains($0.value) })
                {
                    Issue.record("otklik \(path.joined(separator: " ")) --help: \(entry)")
                }
                // Values to type are quoted as code (`high`); the words around them are Russian.
                if !RussianLines.wireWords(in: help).isEmpty {
                    Issue.record(
                        "otklik \(path.joined(separator: " ")) --help: \(RussianLines.wireWords(in: help)) in \(help)")
                }
                entry = ""
            }
            for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if line.hasPrefix("ОПИСАНИЕ: ") {
                    #expect(line.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "\(path): \(line)")
                }
                for english in [
                    "USAGE:", "OPTIONS:", "ARGUMENTS:", "SUBCOMMANDS:", "OVERVIEW:", "Show help information",
                ] {
                    #expect(!line.contains(english), "\(path): \(line)")
                }
                if line.isEmpty {
                    check()
                    section = ""
                    continue
                }
                if line.hasSuffix(":"), !line.hasPrefix(" ") {
                    check()
                    section = line
                    continue
                }
                guard ["ПАРАМЕТРЫ:", "АРГУМЕНТЫ:", "КОМАНДЫ:"].contains(section) else { continue }
                if line.hasPrefix("  "), !line.hasPrefix("   ") || entry.isEmpty {
                    check()
                    entry = line
                    if section == "КОМАНДЫ:", let name = line.split(separator: " ").first,
                        name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0 == "-") }), !path.contains(String(name))
                    {
                        pending.append(path + [String(name)])
                    }
                } else if line.hasPrefix("   ") {
                    entry += " " + line.trimmingCharacters(in: .whitespaces)
                } else {
                    check()
                }
            }
            check()
        }
        #expect(seen > 60, "\(seen) help screens")
    }
}

/// `watch` outlives a daemon restart: it says so on stderr, goes on from the last event it printed,
/// and when stopped says how to resume.
@Suite struct WatchRestartTests {
    static func waitFor(_ path: String, _ text: String, timeout: TimeInterval = 20) -> Bool {
        let until = Date().addingTimeInterval(timeout)
        while Date() < until {
            if let contents = try? String(contentsOfFile: path, encoding: .utf8), contents.contains(text) {
                return true
            }
            usleep(50_000)
        }
        return false
    }

    @Test func watchFollowsTheDaemonAcrossARestart() throws {
        let desk = try WorkflowBlackBoxTests.Desk(clock: "2026-12-01T09:05:00+03:00")
        let out = desk.daemon.directory + "/watch.out", err = desk.daemon.directory + "/watch.err"
        #expect(FileManager.default.createFile(atPath: out, contents: nil))
        #expect(FileManager.default.createFile(atPath: err, contents: nil))
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: binDirectory + "/otklik")
        watch.arguments = ["watch", "--socket", desk.daemon.socketPath]
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = nil
        watch.environment = environment
        watch.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        watch.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try watch.run()
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
        #expect(Self.waitFor(err, "watching events after"))
        let first = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        #expect(Self.waitFor(out, first))
        // The daemon stops and comes back on the same data and socket.
        desk.daemon.signal(SIGTERM)
        #expect(desk.daemon.wait() == 0)
        #expect(Self.waitFor(err, "the daemon is unavailable"))
        let again = try DaemonProcess(
            arguments: ["--test-clock", "2026-12-01T09:10:00+03:00"], directory: desk.daemon.directory)
        #expect(Self.waitFor(err, "the daemon is back"))
        // A message registered after the restart reaches the same watcher.
        let second = try run(
            binDirectory + "/otklik",
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_2", "--author", "Б", "--text",
                "Т",
                "--detected-at", "2026-12-01T09:09:00+03:00", "--as", "cur", "--socket", again.socketPath, "-o", "json",
            ])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(Self.waitFor(out, "2026-000002"))
        // The same author again: the CLI that registers it says it may repeat the last one (read with the
        // case: the registration's answer has no hints), and so does the watcher that sees it (issue 33).
        let third = try run(
            binDirectory + "/otklik",
            [
                "message", "register", "--network", "vk", "--url", "https://vk.com/wall-1_3", "--author", "Б", "--text",
                "Т снова", "--detected-at", "2026-12-01T09:09:30+03:00", "--as", "cur", "--socket", again.socketPath,
                "-o", "json",
            ])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(DeskTests.object(third.stdout)["suggested_repeats"] as? [String] == ["2026-000002"])
        #expect(Self.waitFor(out, "2026-000003  new message; may repeat 2026-000002"))
        // Stopped, it says where to resume; the events printed have no gap and no repeat.
        kill(watch.processIdentifier, SIGINT)
        watch.waitUntilExit()
        let printed = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").compactMap {
            Int64($0.split(separator: " ").first ?? "")
        }
        #expect(printed == printed.sorted() && Set(printed).count == printed.count)
        let said = try String(contentsOfFile: err, encoding: .utf8)
        #expect(said.contains("otklik watch --from \(printed.last ?? -1)"), "\(said)")
    }
}

/// The monthly summary as a document a head signs, and as a PDF made by a real renderer.
@Suite struct ReportDocumentTests {
    @Test func theSummaryReadsAsADocumentAndPrintsToPDF() throws {
        let (desk, _, _, _) = try DeskTests.office()
        _ = try DeskTests.otklik(
            desk, ["unit", "add", "roads", "--title", "Отдел дорожного хозяйства", "--kind", "department"])
        _ = try DeskTests.otklik(
            desk,
            [
                "staff", "add", "deputy", "--name", "Орлов Николай Андреевич", "--os-user", "os-deputy", "--unit",
                "housing",
                "--role", "responsible",
            ])
        let table = try DeskTests.otklik(desk, ["report", "monthly", "2026-12"], as: "cur", russian: true)
        #expect(table.status == 0, "\(table.stderr)")
        for expected in [
            "Сводка за декабрь 2026 г.", "с 1 по 31 декабря 2026 г.", "По состоянию на 1 декабря 2026 г., 09:05",
            "Отдел дорожного хозяйства", "Регламент № 34-рг, п. 22.", "Ответственное лицо", "/Орлов Н. А./",
        ] {
            #expect(table.stdout.contains(expected), "\(expected)")
        }
        for line in table.stdout.split(separator: "\n") where !line.hasPrefix("тема:") {
            #expect(RussianLines.wireWords(in: String(line)).isEmpty, "\(line)")
        }
        // CSV: the document's tables for a spreadsheet: a BOM, ';', Russian headings, a table's rows as
        // wide as its heading row, numbers in columns of their own.
        let csv = try DeskTests.otklik(desk, ["report", "monthly", "2026-12", "-o", "csv"], as: "cur", russian: true)
        #expect(csv.stdout.hasPrefix("\u{FEFF}Сводка за декабрь 2026 г.\r\n"), "\(csv.stdout.prefix(80))")
        let csvLines = csv.stdout.components(separatedBy: "\r\n")
        let heading = try #require(
            csvLines.firstIndex { $0.hasPrefix("Срок;Сторона;Всего;Вовремя;Из;\"Вовремя, %\";") })
        let block = csvLines[heading...].prefix { !$0.isEmpty }
        #expect(
            block.count > 1
                && block.allSatisfy { $0.split(separator: ";", omittingEmptySubsequences: false).count == 10 })
        #expect(!csv.stdout.contains("timeliness") && !csv.stdout.contains("on_time"), "no machine keys for people")
        // PDF through WeasyPrint; page 1 rendered to PNG is an A4 page with the title's text on it.
        let directory = desk.daemon.directory
        let pdf = try DeskTests.otklik(
            desk, ["report", "monthly", "2026-12", "-o", "pdf", "--out", directory + "/r.pdf"], as: "cur", russian: true
        )
        #expect(pdf.status == 0, "\(pdf.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: directory + "/r.pdf"))
        #expect(bytes.starts(with: Array("%PDF".utf8)))
        let png = try run(
            "/usr/bin/pdftoppm",
            ["-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", directory + "/r.pdf", directory + "/page"])
        #expect(png.status == 0, "\(png.stderr)")
        let image = try #require(FileManager.default.contents(atPath: directory + "/page.png"))
        // IHDR: width and height, big-endian, at bytes 16-23. A4 at 50 dpi: 413 x 585.
        let width = image[16..<20].reduce(0) { $0 << 8 | Int($1) },
            height = image[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect((400...430).contains(width) && (570...600).contains(height), "\(width)x\(height)")
        let text = try run("/usr/bin/pdftotext", ["-f", "1", "-l", "1", directory + "/r.pdf", "-"])
        #expect(text.stdout.contains("Сводка за декабрь 2026 г.") && text.stdout.contains("Своевременность"))
        // Other commands refuse document formats.
        let refused = try DeskTests.otklik(desk, ["case", "list", "-o", "csv"], as: "cur")
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("-o csv is not printed by this command; it prints table, json"))
    }
}

/// `case list` as a work list: filters, the due order, "N of M" and cursor paging through all.
@Suite struct CaseListTests {
    @Test func filtersSortingCountsAndPagesThroughEverything() throws {
        let (desk, new, drafting, inReview) = try DeskTests.office()
        func list(_ arguments: [String]) throws -> [String: Any] {
            let result = try DeskTests.otklik(desk, ["case", "list", "-o", "json"] + arguments, as: "cur")
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return DeskTests.object(result.stdout)
        }
        func ids(_ answer: [String: Any]) -> [String] {
            (answer["cases"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(ids(try list([])) == [new, inReview, drafting])
        #expect(try list([])["total"] as? Int == 3)
        #expect(ids(try list(["--importance", "high"])) == [inReview])
        #expect(ids(try list(["--topic", "ЖКХ"])) == [inReview])
        #expect(ids(try list(["--network", "vk", "--author", "автор 2"])) == [inReview])
        #expect(ids(try list(["--author", "АВТОР 3"])) == [new])
        #expect(ids(try list(["--from", "2026-12-01 09:01", "--to", "2026-12-01 09:02"])) == [inReview])
        // By due: the review (30 min) and the routing come before the draft (a working day).
        let due = ids(try list(["--sort", "due"]))
        #expect(Set(due) == [new, inReview, drafting] && due.last == drafting, "\(due)")
        // Pages of one: every case once, by cursor, in both orders.
        for order in ["detected", "due"] {
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try list(["--sort", order, "--limit", "1"] + (cursor.map { ["--after", $0] } ?? []))
                seen += ids(page)
                cursor = page["next_cursor"] as? String
                #expect(page["next_after"] as? String == cursor)
            } while cursor != nil
            #expect(seen == (order == "due" ? due : [new, inReview, drafting]))
        }
        // The topic index follows the case: a corrected detection time moves it, a topic added with
        // an executor lists it, and its pages are every case once.
        try desk.json([
            "case", "correct", drafting, "--detected-at", "2026-12-01T08:58:00+03:00", "--reason", "найден раньше",
        ])
        #expect(
            ids(try list(["--topic", "дороги", "--from", "2026-12-01 08:58", "--to", "2026-12-01 08:59"])) == [drafting]
        )
        // (the new message keeps the topic it was registered with until it is routed)
        #expect(ids(try list(["--topic", "дороги", "--from", "2026-12-01 09:00"])) == [new])
        try desk.json(["case", "add-executor", inReview, "--executor", "roads", "--topic", "дороги", "--reason", "яма"])
        #expect(ids(try list(["--topic", "дороги"])) == [new, inReview, drafting])
        var pages: [String] = []
        var cursor: String?
        repeat {
            let page = try list(["--topic", "дороги", "--limit", "1"] + (cursor.map { ["--after", $0] } ?? []))
            #expect(page["total"] as? Int == 3)
            pages += ids(page)
            cursor = page["next_cursor"] as? String
        } while cursor != nil && pages.count < 5
        #expect(pages == [new, inReview, drafting])
        // Unknown names are refused naming what exists.
        let unit = try DeskTests.otklik(desk, ["case", "list", "--executor", "nosuch"], as: "cur")
        #expect(unit.status == 65 && unit.stderr.contains("there is no unit \"nosuch\"; there are:"))
        let topic = try DeskTests.otklik(desk, ["case", "list", "--topic", "дорог"], as: "cur")
        #expect(
            topic.status == 65
                && topic.stderr.contains("no case of the last year has the topic \"дорог\"; their topics: ЖКХ, дороги"),
            "\(topic.stderr)")
        let network = try DeskTests.otklik(desk, ["case", "list", "--network", "myspace"], as: "cur")
        #expect(network.status == 65 && network.stderr.contains("is not one of"))
        // The table says how many of how many, and the author and the start of the text.
        let table = try DeskTests.otklik(desk, ["case", "list", "--limit", "2"], as: "cur", russian: true)
        #expect(table.stdout.contains("Показано дел: 2 из 3.") && table.stdout.contains("Автор 3"))
    }
}

/// The README's JSON examples say what the commands print: each "`otklik CMD -o json` prints `{...}`"
/// is run against a daemon and its keys compared.
@Suite struct ReadmeExampleTests {
    @Test func theReadmesJSONExamplesHaveTheKeysTheCommandsPrint() throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"`otklik ([a-z ]+) -o json` prints\s+`(\{[^`]*\})`"#)
        let matches = pattern.matches(in: readme, range: NSRange(readme.startIndex..., in: readme))
        #expect(matches.count >= 2, "the README's examples were not found")
        let daemon = try DaemonProcess()
        for match in matches {
            let command = String(readme[Range(match.range(at: 1), in: readme)!]).split(separator: " ").map(String.init)
            let example = String(readme[Range(match.range(at: 2), in: readme)!])
            let result = try run(binDirectory + "/otklik", command + ["-o", "json", "--socket", daemon.socketPath])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            let printed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
            let documented = try JSONSerialization.jsonObject(with: Data(example.utf8)) as? [String: Any] ?? [:]
            #expect(
                Set(printed.keys) == Set(documented.keys),
                "otklik \(command.joined(separator: " ")): \(printed.keys.sorted()) vs README \(documented.keys.sorted())"
            )
        }
    }
}
