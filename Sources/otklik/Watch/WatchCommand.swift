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
        abstract: Say.Watch.watchAbstract.text(),
        discussion: Say.Watch.watchDiscussion.text())

    @OptionGroup var global: GlobalOptions
    @Flag(help: ArgumentHelp(Say.Watch.mineHelp.text())) var mine = false
    @Option(
        help: ArgumentHelp(
            Say.Common.unitFilterHelp.text()))
    var unit: String?
    @Option(name: .customLong("case"), help: ArgumentHelp(Say.Watch.caseHelp.text()))
    var caseID: String?
    @Option(
        help: ArgumentHelp(
            Say.Watch.kindHelp.text()))
    var kind: [String] = []
    @Option(
        help: ArgumentHelp(
            Say.Watch.fromHelp.text())
    ) var from: Int64?

    @Flag(
        help: ArgumentHelp(
            Say.Watch.noReconnectHelp.text()))
    var noReconnect = false

    func run() throws {
        UnitTitles.learn(global)
        var request = WatchRequest()
        request.mine = mine
        request.hints = true  // a new message says which earlier ones it likely repeats (p.18)
        request.unit = try unit.map { try UnitTitles.code($0, global, option: "--unit") } ?? ""
        request.caseID = caseID ?? ""
        request.kinds = try kind.map { word in
            guard let kind = EventKind(rawValue: word) else {
                let words = EventKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError(
                    Say.Watch.isNotAKind(word, words).text())
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
                        ? Say.Watch.daemonBack(start).text()
                        : Say.Watch.watching(start).text())
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
                // Through ssh: what the link said, and whether waiting can help (a refused key cannot).
                let remote = DaemonLink.explain(error)
                let lost =
                    error.code == .unavailable && !error.message.hasPrefix("no permission") && remote?.lasting != true
                guard lost, !noReconnect else {
                    if lost, let last { Safe.printError(WatchResume.sentence(last)) }
                    try global.fail(error)
                }
                Safe.printError(
                    remote.map { Say.Watch.linkUnavailable($0.sentence, Self.seconds(delay)).text() }
                        ?? Say.Watch.daemonUnavailable(error.message, Self.seconds(delay)).text())
                usleep(UInt32(delay * 1_000_000))
                delay = min(delay * 2, 30)
                DaemonLink.forgetFailedSetUp()
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
        let who = event.onBehalf.isEmpty ? event.actor : event.onBehalf
        guard let kind = event.kind.domain else { return event.kind.spoken }
        let details = EventDetails(kind: kind, json: event.details)
        let step = details.step
        let reason = step?.reason ?? ""
        let notice = details.clock
        let due = PeopleTime.text(notice?.dueAt ?? "")
        let clock = notice.map { Wire.ClockKind($0.clock).spoken } ?? ""
        switch kind {
        case .registered:
            return event.suggestedRepeats.isEmpty
                ? Say.Watch.newMessage.text()
                : Say.Watch.newMessageMayRepeat(event.suggestedRepeats.joined(separator: ", ")).text()
        case .routed:
            return Say.Watch.routedTo(UnitTitles.titles((step?.assignments ?? []).map(\.executor))).text()
        case .rejected: return Say.Common.rejected.text()
        case .draftSubmitted: return Say.Watch.draftSubmittedBy(who).text()
        case .draftApproved: return Say.Watch.draftApproved.text()
        case .draftReturned:
            return Say.Watch.draftReturned(step?.comment ?? "").text()
        case .replyPublished: return Say.Watch.replyPublished.text()
        case .authorAnswered: return Say.Watch.authorAnswered.text()
        case .assignmentTaken, .assignmentGiven:
            return Say.Watch.nowAnsweredForBy(step?.login ?? "").text()
        case .rerouted:
            return Say.Watch.reroutedTo(UnitTitles.title(step?.executor ?? ""), reason).text()
        case .executorAdded:
            return Say.Watch.executorAdded(UnitTitles.titles((step?.assignments ?? []).map(\.executor)), reason).text()
        case .assignmentCancelled: return Say.Watch.assignmentCancelled(reason).text()
        case .withdrawn:
            return Say.Watch.withdrawn(reason).text()
        case .corrected:
            let fields = (step?.changes ?? []).map(\.field.rawValue).joined(separator: ", ")
            return Say.Watch.corrected(fields, reason).text()
        case .reopened: return Say.Watch.reopened(reason).text()
        case .draftSentBack:
            return Say.Watch.draftSentBack.text()
        case .noAnswer: return Say.Watch.closedWithoutAnswer.text()
        case .evidenceWaived:
            return Say.Watch.evidenceRuleWaived(reason).text()
        case .attachmentUploaded:
            return Say.Watch.fileUploaded(details.attachment?.name ?? "").text()
        case .attachmentRemoved:
            return Say.Watch.unusedUploadRemoved(details.attachment?.name ?? "").text()
        case .clockWarning:
            return Say.Watch.warning(clock, WarningPoint.said(notice?.point ?? ""), due).text()
        case .clockBreached:
            return Say.Watch.breached(clock, due).text()
        case .clockAtRisk:
            let why = (notice?.risks ?? []).map { Wire.RiskReason($0).spoken }.joined(separator: "; ")
            return Say.Watch.atRisk(clock, due, why).text()
        // Said by the kind's own words (what changed is in `case history`).
        case .connectorTrouble, .connectorRecovered:
            guard case .connector(let notice) = details else { return event.kind.spoken }
            let who = Say.Watch.connectorNamed(NetworkNames.spoken(notice.network), notice.community).text()
            guard kind == .connectorTrouble else { return Say.Watch.connectorRecovered(who).text() }
            let state = (Wire.ConnectorState(name: notice.state) ?? .unspecified).spoken
            return Say.Watch.connectorTrouble(who, state, notice.error).text()
        case .publicationRequested:
            return Say.Watch.handedToConnector(NetworkNames.spoken(step?.network ?? "")).text()
        case .publicationFailed:
            let why = step?.failure.map { Wire.PublicationFailureKind($0.kind).spoken } ?? ""
            return Say.Watch.publicationFailed(why, NetworkNames.spoken(step?.network ?? "")).text()
        case .incidentJoined: return Say.Watch.incidentJoined(step?.incident ?? 0).text()
        case .incidentLeft: return Say.Watch.incidentLeft(step?.incident ?? 0, reason).text()
        case .repeatLinked, .importanceChanged, .messageEdited, .messageDeleted, .messageRestored, .unitPut, .staffPut,
            .absenceAdded, .absenceRemoved, .accountPut,
            .scheduleChanged, .calendarShipped, .calendarImported, .daemonStarted, .daemonStopped, .demoSeeded,
            .incidentPut:
            return event.kind.spoken
        }
    }
}

/// What `watch` says when it is stopped (Ctrl-C, SIGTERM): how to go on from the last event it
/// printed. The sentence is kept ready in a buffer, so the signal handler only writes it.
enum WatchResume {
    nonisolated(unsafe) private static var buffer = [UInt8](repeating: 0, count: 512)
    nonisolated(unsafe) private static var length = 0

    static func sentence(_ last: Int64) -> String {
        Say.Watch.stopped(last).text()
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
            return Say.Watch.fellBehind(resumeFrom).text()
        }
        let on = caseID.isEmpty ? "-" : (assignmentID.isEmpty ? caseID : assignmentID)
        return "\(sequence)  \(PeopleTime.text(time))  \(on)  \(WatchCommand.describe(self))"
    }

    var json: JSON {
        guard !fellBehind else {
            return .object([("fell_behind", .bool(true)), ("resume_from", .integer(resumeFrom))])
        }
        return .object(
            [
                ("sequence", .integer(sequence)), ("time", .string(time)), ("kind", .string(kind.word)),
                ("case", caseID.isEmpty ? .null : .string(caseID)),
                ("assignment", assignmentID.isEmpty ? .null : .string(assignmentID)), ("actor", .string(actor)),
                ("on_behalf", onBehalf.isEmpty ? .null : .string(onBehalf)), ("details", .raw(details)),
            ] + (suggestedRepeats.isEmpty ? [] : [("suggested_repeats", .array(suggestedRepeats.map { .string($0) }))]))
    }
}
