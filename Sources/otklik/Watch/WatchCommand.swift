import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik watch`: one line per event as it happens; `-o json` one JSON object per line.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: Language.text(
            "Follow events as they happen (assignments, returns, warnings, breaches).",
            "Следить за событиями по мере их появления (поручения, возвраты, предупреждения, нарушения сроков)."),
        discussion: Language.text(
            "Resume after a disconnect with --from N, N being the last sequence number seen.",
            "После обрыва продолжайте с --from N, где N — последний увиденный номер."))

    @OptionGroup var global: GlobalOptions
    @Flag(help: ArgumentHelp(Language.text("Only what concerns me.", "Только то, что касается меня."))) var mine = false
    @Option(
        help: ArgumentHelp(
            Language.text(
                "Only cases with an assignment of this unit.", "Только дела с поручением этого подразделения.")))
    var unit: String?
    @Option(name: .customLong("case"), help: ArgumentHelp(Language.text("Only this case.", "Только это дело.")))
    var caseID: String?
    @Option(
        help: ArgumentHelp(
            Language.text("Only these event kinds (repeatable).", "Только эти виды событий (можно несколько раз).")))
    var kind: [String] = []
    @Option(
        help: ArgumentHelp(
            Language.text(
                "Start after this sequence number (0: the whole log).", "Начать после этого номера (0 — весь журнал)."))
    ) var from: Int64?

    @Flag(
        help: ArgumentHelp(
            Language.text(
                "Exit when the daemon goes away instead of reconnecting.",
                "Завершиться, когда демон пропадает, а не переподключаться.")))
    var noReconnect = false

    func run() throws {
        var request = WatchRequest()
        request.mine = mine
        request.unit = unit ?? ""
        request.caseID = caseID ?? ""
        request.kinds = try kind.map { word in
            guard let kind = EventKind(rawValue: word) else {
                let words = EventKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError(
                    Language.text("--kind \(word) is not one of \(words)", "--kind \(word) — не одно из: \(words)"))
            }
            return Wire.EventKind(kind)
        }
        try global.checkTrust()
        let output = global.output
        // The last sequence printed: where a reconnection, or the next run (--from), resumes.
        var last = from
        var delay = 0.5
        var connected = false
        WatchResume.install()
        while true {
            do throws(RPCError) {
                let client = try global.connect(streaming: true)
                defer { client.close() }
                // Without --from, only what happens from now on.
                let start: Int64
                if let last {
                    start = last
                } else {
                    start = try client.call(AdminService.health, HealthRequest()).lastSequence
                }
                last = start
                WatchResume.remember(start)
                request.fromSequence = start
                if !connected { try Self.checkFilters(request, client) }
                let stream = client.serverStream(EventsService.watch, request, timeout: nil)
                Safe.printError(
                    connected
                        ? Language.text(
                            "otklik: the daemon is back; going on after event \(start).",
                            "otklik: демон снова на связи; продолжаю после события \(start).")
                        : Language.text(
                            "otklik: watching events after \(start); Ctrl-C ends.",
                            "otklik: слежу за событиями после \(start); Ctrl-C — выход."))
                connected = true
                delay = 0.5
                while let event = try stream.next() {
                    Self.print(event, output)
                    // Fell behind: the daemon ended the stream; go on from where it says.
                    last = event.fellBehind ? event.resumeFrom : event.sequence
                    WatchResume.remember(last ?? start)
                }
            } catch {
                // The daemon went away (a restart, a stop): wait and go on from the last event seen.
                let lost = error.code == .unavailable && !error.message.hasPrefix("no permission")
                guard lost, !noReconnect else {
                    if lost, let last { Safe.printError(WatchResume.sentence(last)) }
                    try global.fail(error)
                }
                Safe.printError(
                    Language.text(
                        "otklik: the daemon is unavailable (\(error.message)); trying again in \(Self.seconds(delay)) s.",
                        "otklik: демон недоступен; новая попытка через \(Self.seconds(delay)) с."))
                usleep(UInt32(delay * 1_000_000))
                delay = min(delay * 2, 30)
            }
        }
    }

    /// A case or unit that does not exist is an error before the start line, not a wait for ever
    /// (the daemon refuses it too; asked first so the first thing said is right).
    static func checkFilters(_ request: WatchRequest, _ client: RPCClient) throws(RPCError) {
        if !request.caseID.isEmpty {
            var ref = CaseRef()
            ref.id = request.caseID
            _ = try client.call(CasesService.getCase, ref)
        }
        if !request.unit.isEmpty {
            let units = try client.call(DirectoryService.listUnits, ListRequest()).units.map(\.name)
            guard units.contains(request.unit) else {
                throw RPCError(
                    .notFound,
                    Refusals.Cases.noUnitNamed(["unit": request.unit, "units": units.sorted().joined(separator: ", ")]))
            }
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func print(_ event: WatchEvent, _ output: OutputFormat) {
        Render.print(event, output)
        fflush(nil)
    }

    /// What happened, in the reader's language.
    static func describe(_ event: WatchEvent) -> String {
        let details = (try? JSONSerialization.jsonObject(with: Data(event.details.utf8)) as? [String: Any]) ?? [:]
        let who = event.onBehalf.isEmpty ? event.actor : event.onBehalf
        let due = details["due_at"] as? String ?? ""
        let reason = details["reason"] as? String ?? ""
        let clock = (details["clock"] as? String).map { Wire.ClockKind(name: $0)?.spoken ?? $0 } ?? ""
        guard let kind = event.kind.domain else { return event.kind.spoken }
        switch kind {
        case .registered: return Language.text("new message", "новое сообщение")
        case .routed:
            return Language.text("routed to ", "направлено: ")
                + ((details["assignments"] as? [[String: Any]])?.compactMap { $0["executor"] as? String }.joined(
                    separator: ", ") ?? "")
        case .rejected: return Language.text("rejected", "отклонено")
        case .draftSubmitted: return Language.text("draft submitted by \(who)", "проект представлен: \(who)")
        case .draftApproved: return Language.text("draft approved", "проект согласован")
        case .draftReturned:
            return Language.text("draft returned: ", "проект возвращён: ") + ((details["comment"] as? String) ?? "")
        case .replyPublished: return Language.text("reply published", "ответ опубликован")
        case .authorAnswered: return Language.text("the author answered", "автор ответил")
        case .assignmentTaken, .assignmentGiven:
            return Language.text("now answered for by ", "ответственный: ") + ((details["login"] as? String) ?? "")
        case .rerouted:
            return Language.text(
                "rerouted to \(details["executor"] ?? ""): ", "передано: \(details["executor"] ?? ""): ") + reason
        case .executorAdded:
            return Language.text("executor added: ", "добавлен исполнитель: ")
                + ((details["assignments"] as? [[String: Any]])?.compactMap { $0["executor"] as? String }.joined(
                    separator: ", ") ?? "") + ": " + reason
        case .assignmentCancelled: return Language.text("assignment cancelled: ", "поручение отменено: ") + reason
        case .withdrawn:
            return Language.text("withdrawn (registered by mistake): ", "снято (зарегистрировано ошибочно): ") + reason
        case .corrected:
            let fields =
                (details["changes"] as? [[String: Any]])?.compactMap { $0["field"] as? String }.joined(separator: ", ")
                ?? ""
            return Language.text("corrected \(fields): ", "исправлено (\(fields)): ") + reason
        case .reopened: return Language.text("reopened: ", "открыто снова: ") + reason
        case .draftSentBack:
            return Language.text(
                "draft sent back for measures (p.18)", "проект возвращён: укажите принятые меры (п.18)")
        case .noAnswer: return Language.text("closed: the author did not answer", "закрыто: автор не ответил")
        case .evidenceWaived:
            return Language.text("evidence rule waived (p.19): ", "требование фото/видео снято (п.19): ") + reason
        case .attachmentUploaded:
            return Language.text("file uploaded: ", "загружен файл: ") + ((details["name"] as? String) ?? "")
        case .attachmentRemoved:
            return Language.text("unused upload removed: ", "удалён неиспользованный файл: ")
                + ((details["name"] as? String) ?? "")
        case .clockWarning:
            return Language.text(
                "warning: \(clock) at \(details["point"] ?? ""), due \(due)",
                "предупреждение: \(clock) — \(details["point"] ?? ""), срок \(due)")
        case .clockBreached:
            return Language.text("BREACHED: \(clock) was due \(due)", "НАРУШЕН срок: \(clock), был \(due)")
        default: return event.kind.spoken
        }
    }
}

/// What `watch` says when it is stopped (Ctrl-C, SIGTERM): how to go on from the last event it
/// printed. The sentence is kept ready in a buffer, so the signal handler only writes it.
enum WatchResume {
    nonisolated(unsafe) private static var buffer = [UInt8](repeating: 0, count: 512)
    nonisolated(unsafe) private static var length = 0

    static func sentence(_ last: Int64) -> String {
        Language.text(
            "otklik: stopped; to go on from here: otklik watch --from \(last)",
            "otklik: остановлено; продолжить с этого места: otklik watch --from \(last)")
    }

    static func remember(_ last: Int64) {
        let bytes = Array((sentence(last) + "\n").utf8.prefix(buffer.count))
        length = 0
        for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        length = bytes.count
    }

    static func install() {
        // A parent may have left them blocked (a test runner, a service manager): this thread takes them.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in
                WatchResume.buffer.withUnsafeBufferPointer {
                    _ = write(STDERR_FILENO, $0.baseAddress, WatchResume.length)
                }
                _exit(130)
            }
        }
    }
}

/// An event as it is followed: one line for people, one JSON object per line for scripts; a stream
/// that fell behind says where to resume.
extension WatchEvent: Output {
    var text: String {
        guard !fellBehind else {
            return Language.text(
                "fell behind; resume with --from \(resumeFrom)", "отстал от событий; продолжите с --from \(resumeFrom)")
        }
        let on = caseID.isEmpty ? "-" : (assignmentID.isEmpty ? caseID : assignmentID)
        return "\(sequence)  \(time)  \(on)  \(WatchCommand.describe(self))"
    }

    var json: JSON {
        guard !fellBehind else {
            return .object([("fell_behind", .bool(true)), ("resume_from", .integer(resumeFrom))])
        }
        return .object([
            ("sequence", .integer(sequence)), ("time", .string(time)), ("kind", .string(kind.word)),
            ("case", caseID.isEmpty ? .null : .string(caseID)),
            ("assignment", assignmentID.isEmpty ? .null : .string(assignmentID)), ("actor", .string(actor)),
            ("on_behalf", onBehalf.isEmpty ? .null : .string(onBehalf)), ("details", .raw(details)),
        ])
    }
}
