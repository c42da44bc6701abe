import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

// MARK: Rendering

/// The JSON of a case, with the keys scripts rely on (README, "Cases").
func caseJSON(_ c: CaseView, includeExisting: Bool = false) -> JSON {
    func clock(_ v: ClockView) -> JSON {
        .object([
            ("due", .string(v.due)), ("state", .string(v.state.name)),
            ("met_at", v.metAt.isEmpty ? .null : .string(v.metAt)),
            ("late_minutes", .integer(v.lateMinutes)), ("schedule", .string(v.schedule)),
        ])
    }
    func optional(_ text: String) -> JSON { text.isEmpty ? .null : .string(text) }
    var pairs: [(String, JSON)] = [
        ("id", .string(c.id)), ("state", .string(c.state.name)), ("importance", .string(c.importance.name)),
        ("detected_at", .string(c.detectedAt)), ("version", .integer(c.version)), ("repeat_of", optional(c.repeatOf)),
        ("network", .string(c.network)), ("url", .string(c.url)), ("author", .string(c.author)),
        ("text", .string(c.text)),
        ("topics", .array(c.topics.map { .string($0) })), ("posted_at", optional(c.postedAt)),
        ("external_id", optional(c.externalID)),
        (
            "rejection",
            c.rejectionReason == .unspecified
                ? .null
                : .object([("reason", .string(c.rejectionReason.name)), ("comment", optional(c.rejectionComment))])
        ),
        ("withdrawal", c.withdrawalReason.isEmpty ? .null : .object([("reason", .string(c.withdrawalReason))])),
        ("clocks", .object(c.route.map { [("route", clock($0))] } ?? [])),
        (
            "assignments",
            .array(
                c.assignments.map { a in
                    .object([
                        ("id", .string(a.id)), ("executor", .string(a.executor)), ("state", .string(a.state.name)),
                        ("responsible", optional(a.responsible)),
                        ("previous_executors", .array(a.previousExecutors.map { .string($0) })),
                        ("closed_at", optional(a.closedAt)),
                        ("topics", .array(a.topics.map { .string($0) })),
                        ("clocks", .object(a.clocks.map { ($0.kind.name, clock($0)) })),
                        (
                            "drafts",
                            .array(
                                a.drafts.map { d in
                                    .object(
                                        [
                                            ("kind", .string(d.kind.name)), ("state", .string(d.state.name)),
                                            ("submitted_at", .string(d.submittedAt)),
                                            ("decided_at", optional(d.decidedAt)),
                                            (
                                                "return_reason",
                                                d.returnReason == .unspecified ? .null : .string(d.returnReason.name)
                                            ),
                                            ("return_comment", optional(d.returnComment)),
                                            ("measures", optional(d.measures)), ("text", .string(d.text)),
                                        ]
                                            // Only when the daemon cut the text (lists, long histories): `case history` has it whole.
                                            + (d.textTrimmed ? [("text_trimmed", .bool(true))] : [])
                                            + [("clocks", .object(d.clocks.map { ($0.kind.name, clock($0)) }))]
                                            // p.19, only where there is something to say: older scripts see the same keys.
                                            + (d.attachments.isEmpty
                                                ? [] : [("attachments", .array(d.attachments.map(draftFileJSON)))])
                                            + (d.evidenceRule.isEmpty
                                                ? []
                                                : [
                                                    ("evidence_rule", .string(d.evidenceRule)),
                                                    ("evidence_missing", .bool(d.evidenceMissing)),
                                                    ("evidence_waiver", optional(d.evidenceWaiver)),
                                                ]))
                                })
                        ),
                        (
                            "replies",
                            .array(
                                a.replies.map { r in
                                    .object(
                                        [
                                            ("kind", .string(r.kind.name)), ("url", .string(r.url)),
                                            ("account", optional(r.account)), ("published_at", .string(r.publishedAt)),
                                        ]
                                            + (r.attachments.isEmpty
                                                ? [] : [("attachments", .array(r.attachments.map { .string($0) }))]))
                                })
                        ),
                        (
                            "pauses",
                            .array(a.pauses.map { p in .object([("from", .string(p.from)), ("to", optional(p.to))]) })
                        ),
                    ])
                })
        ),
    ]
    pairs.append(("suggested_repeats", .array(c.suggestedRepeats.map { .string($0) })))
    pairs.append(("hints", .array(c.hints.map { .string($0.name) })))
    if !c.clocksError.isEmpty { pairs.append(("clocks_error", .string(c.clocksError))) }
    if includeExisting { pairs.append(("existing", .bool(c.existing))) }
    return .object(pairs)
}

/// One file of a draft as `case show` prints it: name, kind, size, when taken, and the hint when a
/// photo was taken before the message came (p.19).
func draftFileLine(_ file: DraftFileView) -> String {
    let kind: String
    switch file.kind {
    case "photo": kind = Language.text("photo", "фото")
    case "video": kind = Language.text("video", "видео")
    default: kind = Language.text("document", "документ")
    }
    var line = "\(file.name) (\(kind), \(AttachmentRows.size(file.size))"
    if !file.capturedAt.isEmpty { line += Language.text(", taken ", ", снято ") + file.capturedAt }
    line += ") " + String(file.sha256.prefix(12))
    if file.takenBeforeMessage { line += Language.text(" — taken before the message", " — снято до сообщения") }
    return line
}

func draftFileJSON(_ file: DraftFileView) -> JSON {
    .object([
        ("sha256", .string(file.sha256)), ("name", .string(file.name)), ("kind", .string(file.kind)),
        ("size", .integer(file.size)), ("captured_at", file.capturedAt.isEmpty ? .null : .string(file.capturedAt)),
        ("taken_before_message", .bool(file.takenBeforeMessage)),
    ])
}

extension GlobalOptions {
    /// The version to send with a mutating call: the one given, or the case's current one.
    func version(of caseID: String, given: Int64?, _ client: RPCClient) throws(RPCError) -> Int64 {
        if let given { return given }
        var ref = CaseRef()
        ref.id = caseID
        return try client.call(CasesService.getCase, ref).version
    }

    /// Runs a step on a case with the version given, or the case's current one, and prints the case.
    func step(on caseID: String, expectedVersion: Int64?, _ call: (RPCClient, Int64) throws(RPCError) -> CaseView)
        throws
    {
        let view = try withClient { client throws(RPCError) in
            try call(client, try version(of: caseID, given: expectedVersion, client))
        }
        printCase(view)
    }

    /// Sends `request` (its `expected_version` set as `step(on:)` says) and prints the case.
    func step<Request: CaseStepRequest>(
        _ method: Method<Request, CaseView>, _ request: Request, on caseID: String, expectedVersion: Int64?
    ) throws {
        var request = request
        try step(on: caseID, expectedVersion: expectedVersion) { client, version throws(RPCError) in
            request.expectedVersion = version
            return try client.call(method, request)
        }
    }

    func printCase(
        _ view: CaseView, includeExisting: Bool = false, authorAnswers: [String: [(at: String, text: String)]] = [:],
        pager: Bool = false
    ) {
        Render.print(output, pager: pager) {
            CaseSheet(view: view, authorAnswers: authorAnswers).render()
        } json: {
            caseJSON(view, includeExisting: includeExisting)
        }
    }
}

/// A request of a step on a case: decided against the case version it names.
protocol CaseStepRequest: ProtoMessage {
    var expectedVersion: Int64 { get set }
}

extension RouteRequest: CaseStepRequest {}
extension RejectRequest: CaseStepRequest {}
extension LinkRepeatRequest: CaseStepRequest {}
extension RerouteRequest: CaseStepRequest {}
extension AddExecutorRequest: CaseStepRequest {}
extension CancelAssignmentRequest: CaseStepRequest {}
extension WithdrawRequest: CaseStepRequest {}
extension CorrectRequest: CaseStepRequest {}
extension ReopenRequest: CaseStepRequest {}
extension AssignmentHolderRequest: CaseStepRequest {}
extension SubmitDraftRequest: CaseStepRequest {}
extension DraftDecisionRequest: CaseStepRequest {}
extension PublishRequest: CaseStepRequest {}
extension AuthorAnswerRequest: CaseStepRequest {}
extension WaiveEvidenceRequest: CaseStepRequest {}

/// Text from `--text` or `--text-file` (exactly one).
func messageText(_ text: String?, _ file: String?) throws -> String {
    switch (text, file) {
    case (let text?, nil): return text
    case (nil, let file?):
        let data = try readInputFile(file)
        // Files written on Windows end lines with CR LF; the daemon takes line breaks as LF only.
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    default:
        throw ValidationError(
            Language.text("give exactly one of --text and --text-file", "укажите ровно одно: --text или --text-file"))
    }
}

/// The value of a closed-set option (`--importance high`): nil text is `unspecified` (not given); a
/// word the contract does not know is refused here, naming the words it takes.
func wordOption<Word: WireEnum>(_ text: String?, _ option: String) throws -> Word {
    guard let text else { return Word(rawValue: 0) }
    guard let value = Word(name: text), value.rawValue != 0 else {
        let words = Word.known.filter { $0.rawValue != 0 }.map(\.name).joined(separator: ", ")
        throw ValidationError(
            Language.text("\(option) \(text) is not one of \(words)", "\(option) \(text) — не одно из: \(words)"))
    }
    return value
}

func caseID(ofAssignment id: String) throws -> String {
    guard let parsed = AssignmentID(id) else {
        throw ValidationError(
            Language.text("\(id) is not an assignment like 2026-000123/1", "\(id) — не поручение вида 2026-000123/1"))
    }
    return parsed.caseID
}

// MARK: message

struct MessageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "message",
        abstract: Language.text("Messages found in social networks.", "Сообщения, найденные в социальных сетях."),
        subcommands: [Register.self])

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Register a message (idempotent on network and external id or URL).",
                "Зарегистрировать сообщение (повторная регистрация того же поста вернёт прежнее дело)."))
        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Language.text("Сеть: `vk`, `ok`, `fb`, `ig`, `tg`, ...", "Сеть: `vk`, `ok`, `fb`, `ig`, `tg`, ...")))
        var network: String
        @Option(help: ArgumentHelp(Language.text("The post's URL.", "Ссылка на пост."))) var url: String
        @Option(help: ArgumentHelp(Language.text("The author's name.", "Имя автора."))) var author: String
        @Option(help: ArgumentHelp(Language.text("The message text.", "Текст сообщения."))) var text: String?
        @Option(help: ArgumentHelp(Language.text("A file holding the message text.", "Файл с текстом сообщения.")))
        var textFile: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the post was found: now, 15:40, yesterday 15:40, 2026-12-01 15:40 or ISO 8601 with an offset.",
                    "Когда пост выявлен: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 или ISO 8601 со смещением.")
            )) var detectedAt: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the post was written (the same forms as --detected-at).",
                    "Когда пост написан (в тех же формах, что --detected-at)."))) var postedAt: String?
        @Option(
            help: ArgumentHelp(
                Language.text("The monitoring system's card id.", "Номер карточки в системе мониторинга.")))
        var externalID: String?
        @Option(help: ArgumentHelp(Language.text("A topic (repeatable).", "Тема (можно несколько раз)."))) var topic:
            [String] = []
        @Option(help: ArgumentHelp(Language.text("normal or high.", "`normal` (обычная) или `high` (высокая).")))
        var importance = "normal"
        @Flag(
            help: ArgumentHelp(
                Language.text(
                    "Take a detection or posting time more than 30 days ago (the profile's max_fact_age_days): it is not a typo.",
                    "Принять время выявления или публикации старше 30 дней (max_fact_age_days профиля): это не опечатка."
                ))
        ) var allowOld = false

        func run() throws {
            var request = RegisterMessageRequest()
            request.allowOld = allowOld
            request.network = network
            request.url = url
            request.author = author
            request.text = try messageText(text, textFile)
            request.detectedAtUnix = try global.instant(detectedAt, "--detected-at").seconds
            request.postedAtUnix = try postedAt.map { try global.instant($0, "--posted-at").seconds } ?? 0
            request.externalID = externalID ?? ""
            request.topics = topic
            request.importance = try wordOption(importance, "--importance")
            let view = try global.withClient { client throws(RPCError) in
                try client.call(CasesService.registerMessage, request)
            }
            global.printCase(view, includeExisting: true)
        }
    }
}

// MARK: case

struct CaseCommandGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: Language.text(
            "Cases: route, reject, link repeats, show, list, search, history.",
            "Дела: направить, отклонить, отметить повтор, показать, список, поиск, история."),
        subcommands: [
            Show.self, List.self, Search.self, History.self, Route.self, Reject.self, LinkRepeat.self,
            Reroute.self, AddExecutor.self, Withdraw.self, Correct.self, Reopen.self,
        ])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "A case with its assignments, drafts, replies and clocks.",
                "Дело целиком: пост, следующий шаг, сроки с остатком рабочего времени, поручения, проекты, ответы."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case, e.g. 2026-000123.", "Дело, например 2026-000123.")))
        var id: String

        func run() throws {
            var ref = CaseRef()
            ref.id = id
            let (view, answers) = try global.withClient { client throws(RPCError) in
                let view = try client.call(CasesService.getCase, ref)
                // The author's answers are in the history only: read it when a pause has ended.
                guard global.output == .table,
                    view.assignments.contains(where: { $0.pauses.contains { !$0.to.isEmpty } })
                else { return (view, [String: [(at: String, text: String)]]()) }
                return (view, try authorAnswers(of: view, client))
            }
            global.printCase(view, authorAnswers: answers, pager: true)
        }

        /// The author's answers to clarification requests, by assignment id, from the case's history.
        private func authorAnswers(of view: CaseView, _ client: RPCClient) throws(RPCError)
            -> [String: [(at: String, text: String)]]
        {
            var answers: [String: [(at: String, text: String)]] = [:]
            var ref = CaseRef()
            ref.id = view.id
            while true {
                let page = try client.call(CasesService.getHistory, ref)
                for entry in page.entries where entry.kind == .authorAnswered {
                    guard
                        let object = try? JSONSerialization.jsonObject(with: Data(entry.details.utf8))
                            as? [String: Any],
                        let index = object["assignment"] as? Int
                    else { continue }
                    let text = object["text"] as? String ?? ""
                    answers[AssignmentID(caseID: view.id, index: index).description, default: []].append(
                        (entry.time, text.isEmpty ? "-" : text))
                }
                guard page.nextAfter != 0 else { return answers }
                ref.after = page.nextAfter
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Cases, newest first (or by the next deadline: --sort due), with filters.",
                "Дела, сначала новые (или по ближайшему сроку: --sort due), с отбором."))
        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "`detected` (newest first) or `due` (open cases, the earliest deadline first).",
                    "`detected` (сначала новые) или `due` (открытые дела, сначала с ближайшим сроком).")))
        var sort: String = "detected"
        @Option(
            help: ArgumentHelp(
                Language.text("Only this network (vk, ok, tg, ...).", "Только эта сеть (vk, ok, tg, ...).")))
        var network: String?
        @Option(help: ArgumentHelp(Language.text("Only cases with this topic.", "Только дела с этой темой.")))
        var topic: String?
        @Option(
            help: ArgumentHelp(Language.text("`normal` or `high`.", "`normal` (обычная) или `high` (высокая).")))
        var importance: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Detected at or after this time (2026-11-01, yesterday 09:00, ...).",
                    "Выявлены не раньше этого времени (2026-11-01, вчера 09:00, ...).")))
        var from: String?
        @Option(help: ArgumentHelp(Language.text("Detected before this time.", "Выявлены раньше этого времени.")))
        var to: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Only this author (the same words, any case).", "Только этот автор (те же слова, регистр любой).")))
        var author: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "new, routed, rejected or done.",
                    "`new` (новые), `routed` (направленные), `rejected` (отклонённые) или `done` (завершённые).")))
        var state: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Only cases with an assignment of this unit.", "Только дела с поручением этого подразделения.")))
        var executor: String?
        @Flag(
            help: ArgumentHelp(Language.text("Only cases with a clock past due.", "Только дела с просроченным сроком."))
        ) var overdue = false
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Only cases with an open clock due before this time (now, 15:40, tomorrow 18:00, ...).",
                    "Только дела со сроком раньше этого времени (now, 15:40, завтра 18:00, ...)."))) var dueBefore:
            String?
        @Flag(
            help: ArgumentHelp(
                Language.text(
                    "Only assignments I answer for (or an absent colleague I stand in for does) and what waits for my step (see `otklik queue`).",
                    "Только поручения, за которые отвечаю я (или замещаемый мной коллега), и то, что ждёт моего шага (см. `otklik queue`)."
                ))
        ) var mine = false
        @Option(help: ArgumentHelp(Language.text("At most this many.", "Не больше стольких."))) var limit: UInt32 = 50
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "The next page: the cursor the previous page ended with.",
                    "Следующая страница: курсор, которым закончилась предыдущая."))) var after: String?

        func run() throws {
            var request = ListCasesRequest()
            request.after = after ?? ""
            request.state = try wordOption(state, "--state")
            request.executor = executor ?? ""
            request.overdue = overdue
            request.dueBeforeUnix = try dueBefore.map { try global.instant($0, "--due-before").seconds } ?? 0
            request.mine = mine
            request.limit = limit
            switch sort {
            case "detected": request.byDue = false
            case "due": request.byDue = true
            default:
                throw ValidationError(
                    Language.text(
                        "--sort is `detected` or `due`, not \(sort)", "--sort — `detected` или `due`, а не \(sort)"))
            }
            request.network = network ?? ""
            request.topic = topic ?? ""
            request.importance = try wordOption(importance, "--importance")
            request.fromUnix = try from.map { try global.instant($0, "--from").seconds } ?? 0
            request.toUnix = try to.map { try global.instant($0, "--to").seconds } ?? 0
            request.author = author ?? ""
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(CasesService.listCases, request)
            }
            let cases = answer.cases
            let of =
                answer.totalUnknown
                ? ""
                : answer.totalCapped
                    ? Language.text(" of more than 10,000", " из более чем 10 000")
                    : Language.text(" of \(answer.total)", " из \(answer.total)")
            let shown = Language.text("Cases shown: \(cases.count)\(of).", "Показано дел: \(cases.count)\(of).")
            let more =
                "\n\n"
                + (answer.nextAfter.isEmpty
                    ? shown
                    : shown
                        + Language.text(
                            " More follow: `otklik case list --after \(answer.nextAfter)` (with the same filters), or a larger --limit.",
                            " Есть ещё: `otklik case list --after \(answer.nextAfter)` (с теми же отборами) или --limit побольше."
                        ))
            Render.print(global.output) {
                guard !cases.isEmpty else { return Language.text("No cases.", "Дел нет.") }
                let header = [
                    Language.text("CASE", "ДЕЛО"), Language.text("STATE", "СОСТОЯНИЕ"), Language.text("IMP.", "ВАЖН."),
                    Language.text("DETECTED", "ВЫЯВЛЕНО"), Language.text("AUTHOR", "АВТОР"),
                    Language.text("TEXT", "ТЕКСТ"), Language.text("EXECUTORS", "ИСПОЛНИТЕЛИ"),
                    Language.text("NEXT DUE", "БЛИЖАЙШИЙ СРОК"),
                ]
                let rows = cases.map { c -> [String] in
                    let open = ([c.route].compactMap { $0 } + c.assignments.flatMap(\.clocks)).filter {
                        $0.metAtUnix == 0 && $0.state != .paused
                    }
                    let next = open.min { $0.dueUnix < $1.dueUnix }
                    let nextText =
                        next.map {
                            "\($0.due) (\($0.kind.spoken))"
                                + ($0.state == .breached ? " — " + Language.text("overdue", "просрочено") : "")
                        } ?? "-"
                    return [
                        c.id, c.state.spoken, c.importance == .high ? c.importance.spoken : "",
                        c.detectedAt, TextLayout.snippet(c.author, characters: 24),
                        TextLayout.snippet(c.text, characters: 32),
                        c.assignments.map(\.executor).joined(separator: ","), nextText,
                    ]
                }
                return Render.columns(header, rows) + more
            } json: {
                .object(
                    [("cases", .array(cases.map { caseJSON($0) }))]
                        + (answer.nextAfter.isEmpty
                            ? []
                            : [("next_after", .string(answer.nextAfter)), ("next_cursor", .string(answer.nextAfter))])
                        + (answer.totalUnknown
                            ? []
                            : [("total", .integer(Int64(answer.total))), ("total_capped", .bool(answer.totalCapped))]))
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Find earlier messages by their words (p.18: is this a repeat?), best match first.",
                "Найти прежние сообщения по словам (п. 18: не повтор ли?), сначала лучшие совпадения."),
            discussion: Language.text(
                "Every word of three letters or more must occur in the text or the author's name.",
                "Каждое слово из трёх и более букв должно быть в тексте или в имени автора."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("Words to find.", "Слова для поиска."))) var text: String
        @Option(help: ArgumentHelp(Language.text("Only messages of this author.", "Только сообщения этого автора.")))
        var author: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Detected at or after this time (now, 15:40, 2026-12-01, ...).",
                    "Выявлены не раньше этого времени (now, 15:40, 2026-12-01, ...)."))) var from: String?
        @Option(help: ArgumentHelp(Language.text("Detected before this time.", "Выявлены раньше этого времени.")))
        var to: String?
        @Option(help: ArgumentHelp(Language.text("At most this many.", "Не больше стольких."))) var limit: UInt32 = 20

        func run() throws {
            var request = SearchCasesRequest()
            request.text = text
            request.author = author ?? ""
            request.fromUnix = try from.map { try global.instant($0, "--from").seconds } ?? 0
            request.toUnix = try to.map { try global.instant($0, "--to").seconds } ?? 0
            request.limit = limit
            let hits = try global.withClient { client throws(RPCError) in
                try client.call(CasesService.searchCases, request)
            }.hits
            Render.print(global.output) {
                guard !hits.isEmpty else { return Language.text("Nothing found.", "Ничего не найдено.") }
                return Render.columns(
                    [
                        Language.text("CASE", "ДЕЛО"), Language.text("STATE", "СОСТОЯНИЕ"),
                        Language.text("DETECTED", "ВЫЯВЛЕНО"), Language.text("AUTHOR", "АВТОР"),
                        Language.text("MATCH", "СОВПАДЕНИЕ"),
                    ],
                    hits.map { hit in
                        let c = hit.view ?? CaseView()
                        return [c.id, c.state.name, c.detectedAt, c.author, hit.snippet]
                    })
            } json: {
                .object([
                    (
                        "hits",
                        .array(
                            hits.map { hit in
                                .object([
                                    ("snippet", .string(hit.snippet)), ("score", .number(hit.score)),
                                    ("case", caseJSON(hit.view ?? CaseView())),
                                ])
                            })
                    )
                ])
            }
        }
    }

    struct History: ParsableCommand {
        /// What a person needs from an event in one short line: a correction's changes and reason,
        /// the unit it went to, a return's comment.
        static func summary(_ details: String, kind: Wire.EventKind) -> String {
            guard let object = try? JSONSerialization.jsonObject(with: Data(details.utf8)) as? [String: Any] else {
                return ""
            }
            var parts: [String] = []
            if let executor = object["executor"] as? String { parts.append("→ \(executor)") }
            if let added = object["assignments"] as? [[String: Any]] {
                parts.append(added.compactMap { $0["executor"] as? String }.joined(separator: ", "))
            }
            for change in object["changes"] as? [[String: Any]] ?? [] {
                let field = change["field"] as? String ?? ""
                func value(_ key: String) -> String {
                    guard let text = change[key] as? String else { return "-" }
                    return field == "importance" ? Wire.Importance(name: text)?.spoken ?? text : text
                }
                parts.append(
                    (CorrectableField(rawValue: field).map(\.spoken) ?? field) + ": \(value("old")) → \(value("new"))")
            }
            if let reason = object["reason"] as? String {
                // A return's and a rejection's reasons are words of the contract; a correction's is free text.
                switch kind {
                case .draftReturned: parts.append(Wire.ReturnReason(name: reason)?.spoken ?? reason)
                case .caseRejected: parts.append(Wire.RejectionReason(name: reason)?.spoken ?? reason)
                default: parts.append(reason)
                }
            }
            if let comment = object["comment"] as? String { parts.append(comment) }
            let line = parts.filter { !$0.isEmpty }.joined(separator: "; ")
            return line.count > 100 ? String(line.prefix(97)) + "..." : line
        }

        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Everything that happened to a case: who, when, on whose behalf, what.",
                "Всё, что было с делом: кто, когда, от чьего имени, что."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String

        func run() throws {
            var ref = CaseRef()
            ref.id = id
            // Every page: a long history comes in several answers.
            let entries = try global.withClient { client throws(RPCError) in
                var entries: [HistoryEntry] = []
                while true {
                    let page = try client.call(CasesService.getHistory, ref)
                    entries += page.entries
                    guard page.nextAfter != 0 else { return entries }
                    ref.after = page.nextAfter
                }
            }
            Render.print(global.output) {
                Render.columns(
                    [
                        Language.text("TIME", "ВРЕМЯ"), Language.text("WHO", "КТО"), Language.text("WHAT", "ЧТО"),
                        Language.text("VERSION", "ВЕРСИЯ"),
                        Language.text("DETAILS", "ПОДРОБНОСТИ"),
                    ],
                    entries.map {
                        [
                            $0.time,
                            $0.onBehalf.isEmpty
                                ? $0.actor : $0.actor + Language.text(" as ", " от имени ") + $0.onBehalf,
                            $0.kind.spoken, String($0.caseVersion), Self.summary($0.details, kind: $0.kind),
                        ]
                    })
            } json: {
                .object([
                    (
                        "events",
                        .array(
                            entries.map { e in
                                .object([
                                    ("id", .integer(e.id)), ("time", .string(e.time)), ("actor", .string(e.actor)),
                                    ("on_behalf", e.onBehalf.isEmpty ? .null : .string(e.onBehalf)),
                                    ("kind", .string(e.kind.word)),
                                    ("case_version", .integer(e.caseVersion)), ("details", .raw(e.details)),
                                ])
                            })
                    )
                ])
            }
        }
    }

    struct Route: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Route a case to one or more executors with their topics (p.7, p.17).",
                "Направить дело одному или нескольким исполнителям с их темами (п. 7, 17)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "An executor unit (repeatable: one assignment each).",
                    "Подразделение-исполнитель (можно несколько раз: по поручению на каждое)."))) var executor:
            [String] = []
        @Option(
            help: ArgumentHelp(Language.text("UNIT=TOPIC (repeatable).", "ПОДРАЗДЕЛЕНИЕ=ТЕМА (можно несколько раз).")))
        var topic: [String] = []
        @Option(help: ArgumentHelp(Language.text("normal or high.", "`normal` (обычная) или `high` (высокая).")))
        var importance: String?
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = RouteRequest()
            request.caseID = id
            request.executors = executor
            request.topics = try topic.map { pair in
                guard let eq = pair.firstIndex(of: "=") else {
                    throw ValidationError(
                        Language.text("--topic takes UNIT=TOPIC", "--topic принимает ПОДРАЗДЕЛЕНИЕ=ТЕМА"))
                }
                var t = TopicAssignment()
                t.unit = String(pair[..<eq])
                t.topic = String(pair[pair.index(after: eq)...])
                return t
            }
            request.importance = try wordOption(importance, "--importance")
            try global.step(CasesService.route, request, on: id, expectedVersion: version.expectedVersion)
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Reject a message that is not processed (p.20), before or after routing; every clock stops.",
                "Отклонить сообщение, которое не рассматривается (п. 20), до или после направления; все сроки останавливаются."
            ))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "harm, obscene, insult or threat.",
                    "`harm` (призывы к вреду), `obscene` (брань), `insult` (оскорбления) или `threat` (угрозы).")))
        var reason: String
        @Option(help: ArgumentHelp(Language.text("A comment.", "Комментарий."))) var comment = ""
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = RejectRequest()
            request.caseID = id
            request.reason = try wordOption(reason, "--reason")
            request.comment = comment
            try global.step(CasesService.reject, request, on: id, expectedVersion: version.expectedVersion)
        }
    }

    struct Reroute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Move an assignment to another unit while none of its drafts is approved (curator).",
                "Передать поручение другому подразделению, пока ни один проект не согласован (куратор)."),
            discussion: Language.text(
                "The term stays the message's: the new unit's clocks keep the detection time. Lateness counts against the unit that held the assignment when its term ran out.",
                "Срок остаётся сроком сообщения: сроки нового подразделения идут от времени выявления. Опоздание записывается тому подразделению, у которого было поручение, когда срок истёк."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Language.text("The assignment, e.g. 2026-000123/1.", "Поручение, например 2026-000123/1.")))
        var assignment: String
        @Option(help: ArgumentHelp(Language.text("The unit it moves to.", "Подразделение, которому оно переходит.")))
        var to: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Its topics there (repeatable; default: as they are).",
                    "Его темы там (можно несколько раз; по умолчанию прежние)."))) var topic: [String] = []
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = RerouteRequest()
            request.assignmentID = assignment
            request.to = to
            request.topics = topic
            request.reason = why.reason
            try global.step(
                CasesService.reroute, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }

    struct AddExecutor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-executor",
            abstract: Language.text(
                "Add an executor to a routed case, with the topics it answers for (curator, p.17).",
                "Добавить исполнителя к направленному делу с темами, за которые он отвечает (куратор, п. 17)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(help: ArgumentHelp(Language.text("The unit.", "Подразделение."))) var executor: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "A topic it answers for (repeatable, at least one).",
                    "Тема, за которую оно отвечает (можно несколько раз, хотя бы одна)."))) var topic: [String] = []
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = AddExecutorRequest()
            request.caseID = id
            request.executor = executor
            request.topics = topic
            request.reason = why.reason
            try global.step(CasesService.addExecutor, request, on: id, expectedVersion: version.expectedVersion)
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Withdraw a message registered by mistake (not a p.20 rejection): its clocks stop, never late (curator).",
                "Снять сообщение, зарегистрированное по ошибке (не отклонение по п. 20): сроки останавливаются и не нарушаются (куратор)."
            ),
            discussion: Language.text(
                "Counted apart in the monthly report. `otklik case reopen` undoes it.",
                "В месячной сводке считается отдельно. Отменяет снятие `otklik case reopen`."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = WithdrawRequest()
            request.caseID = id
            request.reason = why.reason
            try global.step(CasesService.withdraw, request, on: id, expectedVersion: version.expectedVersion)
        }
    }

    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Correct registration facts; the old and new values are recorded and the clocks follow the corrected facts (curator).",
                "Исправить данные регистрации; старые и новые значения записываются, сроки следуют исправленным данным (куратор)."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the post was found: now, 15:40, yesterday 15:40, 2026-12-01 15:40 or ISO 8601 with an offset.",
                    "Когда пост выявлен: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 или ISO 8601 со смещением.")
            )) var detectedAt: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the post was written (the same forms as --detected-at).",
                    "Когда пост написан (в тех же формах, что --detected-at)."))) var postedAt: String?
        @Option(help: ArgumentHelp(Language.text("The post's URL.", "Ссылка на пост."))) var url: String?
        @Option(help: ArgumentHelp(Language.text("The author's name.", "Имя автора."))) var author: String?
        @Option(help: ArgumentHelp(Language.text("The network.", "Сеть."))) var network: String?
        @Option(help: ArgumentHelp(Language.text("normal or high.", "`normal` (обычная) или `high` (высокая).")))
        var importance: String?
        @OptionGroup var why: StepReason
        @Flag(
            help: ArgumentHelp(
                Language.text(
                    "Take a time more than 30 days ago: it is not a typo.",
                    "Принять время старше 30 дней: это не опечатка."))) var allowOld = false
        @OptionGroup var version: ExpectedVersion

        func validate() throws {
            guard
                detectedAt != nil || postedAt != nil || url != nil || author != nil || network != nil
                    || importance != nil
            else {
                throw ValidationError(
                    Language.text(
                        "name what to correct: --detected-at, --posted-at, --url, --author, --network or --importance",
                        "укажите, что исправить: --detected-at, --posted-at, --url, --author, --network или --importance"
                    ))
            }
        }

        func run() throws {
            var request = CorrectRequest()
            request.caseID = id
            request.detectedAtUnix = try detectedAt.map { try global.instant($0, "--detected-at").seconds } ?? 0
            request.postedAtUnix = try postedAt.map { try global.instant($0, "--posted-at").seconds } ?? 0
            request.url = url ?? ""
            request.author = author ?? ""
            request.network = network ?? ""
            request.importance = try wordOption(importance, "--importance")
            request.reason = why.reason
            request.allowOld = allowOld
            try global.step(CasesService.correct, request, on: id, expectedVersion: version.expectedVersion)
        }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Reopen a done, rejected or withdrawn case (curator).",
                "Возобновить завершённое, отклонённое или снятое дело (куратор)."),
            discussion: Language.text(
                "A done case whose reply was removed or proved wrong gets a fresh assignment cycle (its clocks start now) for the units named, or those that answered. A rejected or withdrawn case returns to where it was.",
                "Завершённое дело, ответ по которому удалён или оказался неверным, получает новый цикл поручений (сроки идут с этого момента) для указанных подразделений или тех, что отвечали. Отклонённое или снятое дело возвращается туда, где было."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "A unit of the fresh cycle (repeatable; default: those that answered).",
                    "Подразделение нового цикла (можно несколько раз; по умолчанию те, что отвечали)."))) var executor:
            [String] =
                []
        @OptionGroup var why: StepReason
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = ReopenRequest()
            request.caseID = id
            request.executors = executor
            request.reason = why.reason
            try global.step(CasesService.reopen, request, on: id, expectedVersion: version.expectedVersion)
        }
    }

    struct LinkRepeat: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link-repeat",
            abstract: Language.text(
                "Mark a case as repeating an earlier one (p.18).", "Отметить дело как повтор прежнего (п. 18)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The case.", "Дело."))) var id: String
        @Option(help: ArgumentHelp(Language.text("The earlier case.", "Прежнее дело."))) var of: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = LinkRepeatRequest()
            request.caseID = id
            request.of = of
            try global.step(CasesService.linkRepeat, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}

// MARK: draft

struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: Language.text(
            "Drafts: submit, approve, return, waive the evidence rule.",
            "Проекты ответов: показать, направить, согласовать, вернуть, снять требование фото или видео."),
        subcommands: [Show.self, Submit.self, Approve.self, Return.self, WaiveEvidence.self])

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Submit a draft to the curator (p.10, p.11, p.14, p.16).",
                "Направить проект ответа куратору (п. 10, 11, 14, 16)."))
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Language.text("The assignment, e.g. 2026-000123/1.", "Поручение, например 2026-000123/1.")))
        var assignment: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "final, intermediate or clarification.",
                    "`final` (окончательный), `intermediate` (промежуточный) или `clarification` (запрос уточнения).")))
        var kind: String
        @Option(help: ArgumentHelp(Language.text("The draft text.", "Текст проекта."))) var text: String?
        @Option(help: ArgumentHelp(Language.text("A file holding the draft text.", "Файл с текстом проекта.")))
        var textFile: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Measures taken (required in a final reply to a repeat message, p.18).",
                    "Принятые меры (обязательны в окончательном ответе на повторное сообщение, п. 18).")))
        var measures = ""
        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp(
                Language.text(
                    "Photos, videos or PDFs to attach (p.19): uploaded first, with a progress line on a terminal.",
                    "Фото, видео или PDF для приложения (п. 19): сначала загружаются, на терминале видна строка хода."))
        )
        var attach: [String] = []
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "The SHA-256 of a file of the returned draft to leave out (its files stay otherwise).",
                    "SHA-256 файла возвращённого проекта, который нужно убрать (иначе файлы остаются).")))
        var detach: [String] = []
        @OptionGroup var version: ExpectedVersion

        func validate() throws {
            for sha256 in detach { try AttachmentUpload.checkDigest(sha256) }
        }

        func run() throws {
            // Here, not in validate: a file that cannot be read exits 66 (EX_NOINPUT), not 64.
            try AttachmentUpload.checkReadable(attach)
            var request = SubmitDraftRequest()
            request.assignmentID = assignment
            request.kind = try wordOption(kind, "--kind")
            request.text = try messageText(text, textFile)
            request.measures = measures
            request.detach = detach
            let caseID = try caseID(ofAssignment: assignment)
            let progress = Progress.shown(global.output)
            // One step for the user: the files go up, then the draft names them.
            try global.step(on: caseID, expectedVersion: version.expectedVersion) { client, version throws(RPCError) in
                for file in attach {
                    let uploaded = try AttachmentUpload.send(file, client, progress: progress)
                    request.attachments.append(uploaded.attachment?.sha256 ?? "")
                }
                request.expectedVersion = version
                return try client.call(RepliesService.submitDraft, request)
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Approve the draft under review (p.13).", "Согласовать проект, ожидающий проверки (п. 13)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The assignment.", "Поручение."))) var assignment: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = DraftDecisionRequest()
            request.assignmentID = assignment
            try global.step(
                RepliesService.approveDraft, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }

    struct WaiveEvidence: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "waive-evidence",
            abstract: Language.text(
                "Let the draft under review be approved without the photo or video the profile asks for (p.19).",
                "Разрешить согласовать проект без фото или видео, которых требует профиль (п. 19)."),
            discussion: Language.text(
                "The reason is recorded with the draft and counted in the monthly report.",
                "Причина записывается с проектом и учитывается в месячной сводке."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The assignment.", "Поручение."))) var assignment: String
        @Option(
            help: ArgumentHelp(
                Language.text("Why no photo or video can be had.", "Почему фото или видео получить нельзя.")))
        var reason: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = WaiveEvidenceRequest()
            request.assignmentID = assignment
            request.reason = reason
            try global.step(
                RepliesService.waiveEvidence, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }

    struct Return: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Return the draft under review for rework (p.13, p.14).", "Вернуть проект на доработку (п. 13, 14)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The assignment.", "Поручение."))) var assignment: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "formal, no_evidence, contradictory, incomplete, measures (p.18) or other.",
                    "`formal` (формальный), `no_evidence` (нет фото/видео), `contradictory` (противоречивый), `incomplete` (неполный), `measures` (нет мер, п. 18) или `other` (другое)."
                ))) var reason: String
        @Option(help: ArgumentHelp(Language.text("What to change.", "Что изменить."))) var comment: String
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = DraftDecisionRequest()
            request.assignmentID = assignment
            request.reason = try wordOption(reason, "--reason")
            request.comment = comment
            try global.step(
                RepliesService.returnDraft, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}

// MARK: reply

struct ReplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: Language.text(
            "Replies: publish, record the author's answer.", "Ответы: опубликовать, записать ответ автора."),
        subcommands: [Publish.self, AuthorAnswered.self])

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Record the approved reply's publication (p.15).", "Записать публикацию согласованного ответа (п. 15).")
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The assignment.", "Поручение."))) var assignment: String
        @Option(help: ArgumentHelp(Language.text("The published reply's URL.", "Ссылка на опубликованный ответ.")))
        var url: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "The administration's account in the message's network that posted it (default: the only one there is, p.4).",
                    "Аккаунт администрации в сети сообщения, с которого вышел ответ (по умолчанию — единственный, п. 4)."
                ))
        ) var account = ""
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When it went out (default: now; 15:40, yesterday 15:40, ... are taken).",
                    "Когда он вышел (по умолчанию сейчас; можно 15:40, вчера 15:40, ...)."))) var at: String?
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = PublishRequest()
            request.assignmentID = assignment
            request.url = url
            request.account = account
            request.atUnix = try at.map { try global.instant($0, "--at").seconds } ?? 0
            try global.step(
                RepliesService.publish, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }

    struct AuthorAnswered: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "author-answered",
            abstract: Language.text(
                "Record the author's answer to a clarification; the clocks run again (p.10).",
                "Записать ответ автора на запрос уточнения; сроки снова идут (п. 10)."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The assignment.", "Поручение."))) var assignment: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "When the author answered (now, 15:40, yesterday 15:40, ...).",
                    "Когда ответил автор (now, 15:40, вчера 15:40, ...)."))) var at: String
        @Option(help: ArgumentHelp(Language.text("What the author said.", "Что сказал автор."))) var text = ""
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            var request = AuthorAnswerRequest()
            request.assignmentID = assignment
            request.atUnix = try global.instant(at, "--at").seconds
            request.text = text
            try global.step(
                RepliesService.recordAuthorAnswer, request, on: try caseID(ofAssignment: assignment),
                expectedVersion: version.expectedVersion)
        }
    }
}

// MARK: admin

struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: Language.text("Administration.", "Администрирование."),
        subcommands: [Clock.self, Backup.self])

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Write a consistent copy of the database to FILE, and its attachments to FILE.attachments/ (admin).",
                "Записать согласованную копию базы в ФАЙЛ, а вложения — в ФАЙЛ.attachments/ (администратор)."),
            discussion: Language.text(
                "Restore: stop the daemon, move the old otklik.sqlite3* files and attachments/ aside (the WAL too), put FILE as otklik.sqlite3 and FILE.attachments as attachments, start it (README, docs/ARCHITECTURE.md: Backups).",
                "Восстановление: остановите демон, уберите старые файлы otklik.sqlite3* и каталог attachments/ (WAL тоже), положите ФАЙЛ как otklik.sqlite3 и ФАЙЛ.attachments как attachments, запустите (README, docs/ARCHITECTURE.md: Backups)."
            )
        )
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Language.text("The file to write; it must not exist yet.", "Файл для записи; его ещё не должно быть.")))
        var file: String

        func run() throws {
            let folder = file + ".attachments"
            for path in [file, folder] where FileManager.default.fileExists(atPath: path) {
                throw ValidationError(
                    Language.text("\(path) exists; name a new file", "\(path) уже существует; укажите новый файл"))
            }
            // Written beside FILE under other names, synced, then renamed: FILE is whole or absent.
            let partial = file + ".partial"
            let partialFolder = folder + ".partial"
            guard
                FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: partial)
            else {
                throw FileFailure.output(partial)
            }
            var total: Int64 = 0, written: Int64 = 0, newest: Int64 = 0, expected: Int64 = 0
            var files = BackupFiles(folder: partialFolder)
            do {
                try global.withClient(streaming: true) { client throws(RPCError) in
                    let stream = client.serverStream(MaintenanceService.backup, BackupRequest(), timeout: nil)
                    var first = true
                    while let chunk = try stream.next() {
                        if first {
                            total = chunk.totalBytes
                            newest = chunk.lastSequence
                            expected = chunk.attachments
                            first = false
                        }
                        do {
                            if !chunk.attachment.isEmpty {
                                try files.begin(chunk.attachment, size: chunk.attachmentSize)
                            }
                            if files.isOpen {
                                try files.write(chunk.data)
                            } else {
                                try handle.write(contentsOf: chunk.data)
                                written += Int64(chunk.data.count)
                            }
                        } catch {
                            throw RPCError(
                                .dataLoss,
                                Language.text(
                                    "cannot write the backup: \(error.localizedDescription)",
                                    "не удаётся записать копию: \(error.localizedDescription)"))
                        }
                    }
                }
                try files.finish()
                guard written == total else {
                    throw ValidationError(
                        Language.text(
                            "the backup ended after \(written) of \(total) bytes",
                            "копия оборвалась: \(written) из \(total) байт"))
                }
                try handle.synchronize()
                try handle.close()
                if files.count > 0, rename(partialFolder, folder) != 0 {
                    throw ValidationError(
                        Language.text(
                            "cannot rename \(partialFolder) to \(folder)",
                            "не удаётся переименовать \(partialFolder) в \(folder)"))
                }
                guard rename(partial, file) == 0 else {
                    throw ValidationError(
                        Language.text(
                            "cannot rename \(partial) to \(file)", "не удаётся переименовать \(partial) в \(file)"))
                }
            } catch {
                try? handle.close()
                unlink(partial)
                try? FileManager.default.removeItem(atPath: partialFolder)
                throw error
            }
            Render.print(global.output) {
                Language.text(
                    "\(file): \(written) bytes, events up to \(newest); \(files.count) of \(expected) attachments in \(folder)",
                    "\(file): \(written) байт, события по \(newest); вложений \(files.count) из \(expected) в \(folder)"
                )
            } json: {
                .object([
                    ("file", .string(file)), ("bytes", .integer(written)), ("last_sequence", .integer(newest)),
                    ("attachments", .integer(Int64(files.count))), ("attachments_folder", .string(folder)),
                ])
            }
        }
    }

    /// The attachment files of a backup: `ab/cdef…` under `folder`, each checked against its SHA-256.
    struct BackupFiles {
        let folder: String
        private var handle: FileHandle?
        private var digest = SHA256Digest()
        private var current = ""
        private var size: Int64 = 0
        private var received: Int64 = 0
        private(set) var count = 0

        init(folder: String) { self.folder = folder }

        var isOpen: Bool { handle != nil }

        mutating func begin(_ sha256: String, size: Int64) throws {
            try finish()
            guard SHA256Text.normalized(sha256) == sha256 else {
                throw ValidationError(Language.text("the daemon named a file \(sha256)", "демон назвал файл \(sha256)"))
            }
            let directory = (folder as NSString).appendingPathComponent(String(sha256.prefix(2)))
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let path = (directory as NSString).appendingPathComponent(String(sha256.dropFirst(2)))
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                let opened = FileHandle(forWritingAtPath: path)
            else {
                throw FileFailure.output(path)
            }
            handle = opened
            digest = SHA256Digest()
            current = sha256
            self.size = size
            received = 0
        }

        mutating func write(_ bytes: [UInt8]) throws {
            try handle?.write(contentsOf: bytes)
            digest.update(bytes)
            received += Int64(bytes.count)
        }

        /// Closes the file being written after checking it is whole.
        mutating func finish() throws {
            guard let handle else { return }
            try handle.synchronize()
            try handle.close()
            self.handle = nil
            guard received == size, digest.hex() == current else {
                throw ValidationError(
                    Language.text(
                        "attachment \(current) arrived damaged (\(received) of \(size) bytes)",
                        "вложение \(current) пришло повреждённым (\(received) из \(size) байт)"))
            }
            count += 1
        }
    }

    struct Clock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Move the simulated clock of a daemon started with --test-clock.",
                "Перевести имитируемые часы демона, запущенного с --test-clock."),
            subcommands: [Set.self, Advance.self])

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: Language.text(
                    "Set the clock to an instant (never back).", "Поставить часы на момент (только вперёд)."))
            @OptionGroup var global: GlobalOptions
            @Argument(
                help: ArgumentHelp(
                    Language.text(
                        "The time: ISO 8601 with an offset, or 2026-12-01 15:40 (the schedule's zone).",
                        "Время: ISO 8601 со смещением или 2026-12-01 15:40 (в поясе графика)."))) var instant: String

            func run() throws {
                let request = SetClockRequest(nowUnix: try global.instant(instant, "instant").seconds)
                let answer = try global.withClient { client throws(RPCError) in
                    try client.call(AdminService.setClock, request)
                }
                Render.print(global.output) {
                    answer.now
                } json: {
                    .object([("now", .string(answer.now)), ("simulated", .bool(true))])
                }
            }
        }

        struct Advance: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: Language.text(
                    "Move the clock forward by wall-clock time: 90s, 30m, 2h30m, 3d.",
                    "Передвинуть часы вперёд на календарное время: 90s, 30m, 2h30m, 3d."))
            @OptionGroup var global: GlobalOptions
            @Argument(help: ArgumentHelp(Language.text("How far.", "На сколько."))) var by: String

            func run() throws {
                guard let seconds = Self.seconds(by) else {
                    throw ValidationError(
                        Language.text(
                            "\(by) is not a duration like 90s, 30m, 2h30m or 3d",
                            "\(by) — не длительность вида 90s, 30m, 2h30m или 3d"))
                }
                let answer = try global.withClient { client throws(RPCError) in
                    try client.call(AdminService.advanceClock, AdvanceClockRequest(seconds: seconds))
                }
                Render.print(global.output) {
                    answer.now
                } json: {
                    .object([("now", .string(answer.now)), ("simulated", .bool(true))])
                }
            }

            static func seconds(_ text: String) -> Int64? { DurationText(text)?.totalSeconds }
        }
    }
}
