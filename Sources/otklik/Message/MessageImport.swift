import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension MessageCommand {
    /// `otklik message import FILE`: posts from a monitoring system's table or a network's export,
    /// each registered as `message register` would, a dry run unless --apply.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Messages.importAbstract.text(), discussion: Say.Messages.importDiscussion.text())

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Messages.importFileHelp.text())) var file: String
        @Option(help: ArgumentHelp(Say.Messages.importFormatHelp.text())) var format: String?
        @Flag(help: ArgumentHelp(Say.Messages.importApplyHelp.text())) var apply = false
        @Option(help: ArgumentHelp(Say.Messages.importChannelHelp.text())) var channel: String?
        @Option(help: ArgumentHelp(Say.Messages.importDetectedAtHelp.text())) var detectedAt: String?
        @Flag(help: ArgumentHelp(Say.Messages.allowOldHelp.text())) var allowOld = false

        /// The largest file taken (a month of a monitoring system's table is a few MiB).
        static let fileBytes = 256 << 20
        /// Messages a request carries at most, and its bytes (a frame holds 4 MiB).
        static let batchMessages = 500
        static let batchBytes = 2 << 20

        func run() throws {
            let chosen: MessageImport.Format?
            if let format {
                guard let known = MessageImport.Format(rawValue: format.lowercased()) else {
                    throw ValidationError(Say.Messages.notAFormat(format).text())
                }
                chosen = known
            } else {
                chosen = nil
            }
            let data = [UInt8](try readInputFile(file, atMost: Self.fileBytes))
            guard let kind = chosen ?? MessageImport.detect(path: file, data: data) else {
                throw ValidationError(Say.Messages.unknownFormat(file).text())
            }
            let clock = try global.daemonClock()
            let own = try ownAccounts()
            let detected = try detectedAt.map { try global.instant($0, "--detected-at") } ?? clock.now
            let parsed: MessageImport.Parsed
            do {
                parsed = try MessageImport.parse(
                    data, as: kind,
                    options: MessageImport.Options(
                        detectedAt: detected, now: clock.now, offset: clock.offset, channel: channel,
                        allowOld: allowOld, ownAccounts: own))
            } catch {
                throw ValidationError(Say.Messages.fileUnreadable(file, error.phrase.text()).text())
            }
            var report = ImportReport(applied: apply, format: kind)
            for refusal in parsed.refused {
                report.entries.append(.init(position: refusal.position, outcome: .unreadable(refusal.phrase)))
            }
            report.skipped = parsed.skipped
            report.own = parsed.own
            let items = Self.sendable(parsed.items, into: &report)
            let progress = ImportProgress.shown(global.output, total: items.count)
            try self.send(items, into: &report, progress: progress)
            progress?.end()
            report.entries.sort { $0.position < $1.position }
            global.show(report)
            if report.count(of: "refused") > 0 { throw ExitCode(65) }
        }

        /// The administration's own accounts by network (their names and the last part of their URLs):
        /// their replies in an exported thread are passed over.
        private func ownAccounts() throws -> [String: Set<String>] {
            let accounts = try global.withClient { client throws(RPCError) in
                try client.call(DirectoryService.listAccounts, ListRequest())
            }.accounts
            var own: [String: Set<String>] = [:]
            for account in accounts {
                own[account.network, default: []].insert(account.name)
                if let last = account.url.split(separator: "/").last {
                    own[account.network, default: []].insert(String(last))
                }
            }
            return own
        }

        /// The items to send: what the daemon would refuse of a whole request (a control character, an
        /// oversize text) refuses only its line, and the same post twice in one file (an export's
        /// overlap) is sent once, the rest said to repeat it.
        private static func sendable(_ items: [MessageImport.Item], into report: inout ImportReport)
            -> [MessageImport.Item]
        {
            var first: [String: Int] = [:]
            var send: [MessageImport.Item] = []
            for item in items {
                do throws(RPCError) {
                    try item.request.checkSendable()
                    try WireBounds.check(item.request.serializedBytes(), as: RegisterMessageRequest.self)
                } catch {
                    report.entries.append(.init(position: item.position, outcome: .refused(error)))
                    continue
                }
                let key =
                    item.request.network + " "
                    + (item.request.externalID.isEmpty ? item.request.url : "#" + item.request.externalID)
                if let earlier = first[key] {
                    report.entries.append(.init(position: item.position, outcome: .repeats(earlier)))
                } else {
                    first[key] = item.position
                    send.append(item)
                }
            }
            return send
        }

        /// The items sent in batches that fit a request (`batchMessages`, `batchBytes`), each outcome
        /// reported by its line.
        private func send(
            _ send: [MessageImport.Item], into report: inout ImportReport, progress: ImportProgress?
        ) throws {
            try global.withClient { client throws(RPCError) in
                var start = 0
                while start < send.count {
                    var request = ImportMessagesRequest()
                    request.apply = apply
                    var bytes = 0
                    var end = start
                    while end < send.count, end - start < Self.batchMessages {
                        let size = send[end].request.serializedBytes().count + 16
                        if end > start, bytes + size > Self.batchBytes { break }
                        bytes += size
                        request.messages.append(send[end].request)
                        end += 1
                    }
                    let answer = try client.call(CasesService.importMessages, request)
                    for (item, outcome) in zip(send[start..<end], answer.outcomes) {
                        report.entries.append(.init(position: item.position, outcome: .init(outcome)))
                    }
                    start = end
                    progress?.show(done: start)
                }
            }
        }
    }
}

/// What an import did (or, a dry run, would do) with each message of the file.
struct ImportReport: Output {
    enum Outcome {
        case new(String), existing(String), refused(RPCError), unreadable(Phrase), repeats(Int)

        init(_ outcome: ImportOutcome) {
            switch outcome.kind {
            case .new: self = .new(outcome.caseID)
            case .existing: self = .existing(outcome.caseID)
            case .refused, .unspecified, .unrecognized:
                var details: [AnyMessage] = []
                if let refusal = outcome.refusal, !refusal.reason.isEmpty {
                    details.append(RPCError.detail(reason: refusal.reason, arguments: refusal.argumentValues))
                }
                self = .refused(RPCError(.invalidArgument, outcome.message, details: details))
            }
        }

        /// The outcome's word for scripts: new, existing, repeated, refused.
        var word: String {
            switch self {
            case .new: "new"
            case .existing, .repeats: "existing"
            case .refused, .unreadable: "refused"
            }
        }
    }

    struct Entry {
        let position: Int
        let outcome: Outcome
    }

    let applied: Bool
    let format: MessageImport.Format
    var entries: [Entry] = []
    var skipped = 0
    var own = 0

    func count(of word: String) -> Int { entries.filter { $0.outcome.word == word }.count }

    /// Cases listed by number at most; the rest are counted (all of them are in `-o json`).
    static let listed = 20

    var newCases: [(position: Int, id: String)] {
        entries.compactMap { entry in
            if case .new(let id) = entry.outcome { return (entry.position, id) }
            return nil
        }
    }

    var existingCases: [(position: Int, id: String)] {
        entries.compactMap { entry in
            if case .existing(let id) = entry.outcome { return (entry.position, id) }
            return nil
        }
    }

    func reason(_ entry: Entry) -> String {
        switch entry.outcome {
        case .refused(let error): RefusalText.sentence(error)
        case .unreadable(let phrase): phrase.text()
        case .repeats(let earlier): Say.Messages.repeatsPosition(earlier).text()
        case .new, .existing: ""
        }
    }

    var text: String {
        var lines = [applied ? Say.Messages.imported.text() : Say.Messages.importDryRun.text()]
        lines.append(Say.Messages.importCounts(count(of: "new"), count(of: "existing"), count(of: "refused")).text())
        if skipped > 0 { lines.append(Say.Messages.importSkipped(skipped).text()) }
        if own > 0 { lines.append(Say.Messages.importOwn(own).text()) }
        // The cases made (or already there), by where they were in the file: the numbers people open next.
        // A dry run has no numbers yet for the new ones.
        for (heading, listed) in [
            (Say.Messages.importNewCases, applied ? newCases : []),
            (Say.Messages.importExistingCases, existingCases),
        ] where !listed.isEmpty {
            lines.append(heading.text())
            for entry in listed.prefix(Self.listed) {
                lines.append(
                    "  " + Say.Messages.entry(countsLines: format.countsLines, entry.position, entry.id).text())
            }
            if listed.count > Self.listed {
                lines.append("  " + Say.Messages.importMore(listed.count - Self.listed).text())
            }
        }
        let refused = entries.filter { $0.outcome.word == "refused" }
        if !refused.isEmpty {
            lines.append(Say.Messages.importRefusedHeading.text())
            for entry in refused {
                lines.append(
                    "  " + Say.Messages.entry(countsLines: format.countsLines, entry.position, reason(entry)).text())
            }
        }
        return lines.joined(separator: "\n")
    }

    var json: JSON {
        .object([
            ("applied", .bool(applied)), ("format", .string(format.rawValue)),
            ("positions", .string(format.countsLines ? "line" : "item")),
            ("new", .integer(Int64(count(of: "new")))), ("existing", .integer(Int64(count(of: "existing")))),
            ("refused", .integer(Int64(count(of: "refused")))), ("skipped", .integer(Int64(skipped))),
            ("own", .integer(Int64(own))),
            (
                "items",
                .array(
                    entries.map { entry in
                        var pairs: [(String, JSON)] = [
                            ("position", .integer(Int64(entry.position))), ("outcome", .string(entry.outcome.word)),
                        ]
                        switch entry.outcome {
                        case .new(let id), .existing(let id):
                            if !id.isEmpty { pairs.append(("case", .string(id))) }
                        case .repeats(let earlier): pairs.append(("repeats", .integer(Int64(earlier))))
                        case .refused(let error):
                            pairs.append(("reason", .string(error.info?.reason ?? "refused")))
                            pairs.append(("message", .string(error.message)))
                        case .unreadable(let phrase):
                            pairs.append(("reason", .string("unreadable")))
                            pairs.append(("message", .string(phrase.english)))
                        }
                        return .object(pairs)
                    })
            ),
        ])
    }
}

/// "Import: 1500 of 10000" on the terminal (stderr), when stdout is one and the output is for people.
struct ImportProgress {
    let total: Int

    static func shown(_ format: OutputFormat, total: Int) -> ImportProgress? {
        total >= 100 && Terminal.showsStatus(format) ? ImportProgress(total: total) : nil
    }

    func show(done: Int) { Terminal.status(Say.Messages.importProgress(done, total).text()) }

    func end() { Terminal.clearStatus() }
}
