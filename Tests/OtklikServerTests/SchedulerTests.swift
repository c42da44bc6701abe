import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
@testable import OtklikServer
@testable import OtklikStore
import Testing

/// A daemon on a test clock with a curator and a roads executor, and the steps tests need.
private final class Desk {
    let daemon: Daemon
    let curator: RPCClient
    let admin: RPCClient

    init(
        clock: String, directory: String = privateDirectory(), configure: (inout DaemonConfiguration) -> Void = { _ in }
    ) throws {
        daemon = try startOffice(
            clock: clock, directory: directory, units: [("curator-centre", .curatorCentre), ("roads", .department)],
            staff: [
                StaffMember(login: "cur", fullName: "К", osUser: "os-cur", unit: "curator-centre", roles: [.curator]),
                StaffMember(login: "roads.ex", fullName: "Д", osUser: "os-roads", unit: "roads", roles: [.executor]),
            ], configure: configure)
        let configuration = daemon.configuration
        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "cur")]
        curator = try RPCClient(socketPath: configuration.socketPath, options: options)
        admin = try RPCClient(socketPath: configuration.socketPath)
    }

    func set(_ instant: String) throws {
        _ = try admin.call(AdminService.setClock, SetClockRequest(nowUnix: Instant(iso: instant)!.seconds))
    }

    func register(_ n: Int, detected: String, text: String? = nil) throws -> CaseView {
        var request = RegisterMessageRequest()
        request.network = "vk"
        request.url = "https://vk.com/wall-1_\(n)"
        request.author = "Автор \(n)"
        request.text = text ?? "Сообщение номер \(n)"
        request.detectedAtUnix = Instant(iso: detected)!.seconds
        request.topics = ["дороги"]
        return try curator.call(CasesService.registerMessage, request)
    }

    func notices(_ caseID: String) throws -> [(kind: String, details: [String: Any], time: Instant)] {
        try daemon.store.caseHistory(caseID).filter { $0.kind.text.hasPrefix("clock.") }.map {
            ($0.kind.text, (try JSONSerialization.jsonObject(with: Data($0.payload)) as? [String: Any]) ?? [:], $0.time)
        }
    }

    func close() {
        curator.close()
        admin.close()
        daemon.stop()
    }
}

@Suite struct SchedulerTests {
    @Test func aBreachIsRecordedExactlyAtTheDueTimeAndOnce() throws {
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00")
        defer { desk.close() }
        let c = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        try desk.set("2026-12-01T09:29:59+03:00")
        #expect(try desk.notices(c.id).filter { $0.kind == "clock.breached" }.isEmpty)
        try desk.set("2026-12-01T09:30:00+03:00")
        let breaches = try desk.notices(c.id).filter { $0.kind == "clock.breached" }
        #expect(breaches.count == 1)
        #expect(breaches.first?.details["clock"] as? String == "route")
        #expect(breaches.first?.details["due"] as? Int64 == Instant(iso: "2026-12-01T09:30:00+03:00")?.seconds)
        #expect(breaches.first?.details["recipients"] as? [String] == ["cur"])
        try desk.set("2026-12-01T12:00:00+03:00")
        #expect(try desk.notices(c.id).filter { $0.kind == "clock.breached" }.count == 1)
    }

    @Test func breachesMissedWhileDownAreRecordedOnceAtStartWithTheirDueTimes() throws {
        let directory = privateDirectory()
        let first = try Desk(clock: "2026-12-01T09:00:00+03:00", directory: directory)
        let c = try first.register(2, detected: "2026-12-01T09:00:00+03:00")
        first.close()
        // Down over the due time; the next start is on a later clock.
        for _ in 0..<2 {
            let again = try Desk(clock: "2026-12-01T12:00:00+03:00", directory: directory)
            let breaches = try again.notices(c.id).filter { $0.kind == "clock.breached" }
            #expect(breaches.count == 1)
            #expect(breaches.first?.details["due_at"] as? String == "2026-12-01T09:30:00+03:00")
            again.close()
        }
    }

    /// `case list --overdue` and `--due-before` read the clock index (`cases.next_due`) and check each
    /// candidate on its running clocks: a met clock or a closed case is never listed.
    @Test func theDueListsComeFromTheClockIndexAndNameOnlyRunningClocks() throws {
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00")
        defer { desk.close() }
        let late = try desk.register(11, detected: "2026-12-01T09:00:00+03:00")  // route due 09:30
        try desk.set("2026-12-01T10:10:00+03:00")
        let soon = try desk.register(12, detected: "2026-12-01T10:00:00+03:00")  // route due 10:30
        let routed = try desk.register(13, detected: "2026-12-01T09:10:00+03:00")  // due 09:40, routed late
        var route = RouteRequest()
        route.caseID = routed.id
        route.expectedVersion = routed.version
        route.executors = ["roads"]
        _ = try desk.curator.call(CasesService.route, route)
        let rejected = try desk.register(14, detected: "2026-12-01T09:05:00+03:00")
        var reject = RejectRequest()
        reject.caseID = rejected.id
        reject.expectedVersion = rejected.version
        reject.reason = .obscene
        _ = try desk.curator.call(CasesService.reject, reject)
        try desk.set("2026-12-01T10:15:00+03:00")
        var overdue = ListCasesRequest()
        overdue.overdue = true
        #expect(try desk.curator.call(CasesService.listCases, overdue).cases.map(\.id) == [late.id])
        var dueBefore = ListCasesRequest()
        dueBefore.dueBeforeUnix = Instant(iso: "2026-12-01T10:31:00+03:00")!.seconds
        #expect(try desk.curator.call(CasesService.listCases, dueBefore).cases.map(\.id) == [soon.id, late.id])
        // The routed case's next due is its reply's draft clock; the rejected one has none.
        let index = try desk.daemon.store.read { connection throws(StoreError) -> [String: Int64] in
            var rows: [String: Int64] = [:]
            try connection.query("SELECT id, coalesce(next_due, -1) FROM cases") { rows[$0.text(0)] = $0.integer(1) }
            return rows
        }
        #expect(index[rejected.id] == -1)
        #expect(index[late.id] == Instant(iso: "2026-12-01T09:30:00+03:00")!.seconds)
        #expect((index[routed.id] ?? 0) > Instant(iso: "2026-12-01T10:15:00+03:00")!.seconds)
    }

    /// The index is computed with the rules in force: a calendar that makes the due day a day off
    /// moves the case's notices, and a database indexed with other rules (or none) is re-indexed at start.
    @Test func aChangeOfRulesReindexesTheOpenCases() throws {
        let directory = privateDirectory()
        let first = try Desk(clock: "2026-05-12T17:50:00+03:00", directory: directory)
        // Route: 30 working minutes from 17:50 — 10 tonight, 20 on 13 May: due 13 May 09:20.
        let c = try first.register(21, detected: "2026-05-12T17:50:00+03:00")
        var corrected = try ShippedCalendar.load().first { $0.year == 2026 }!
        corrected.daysOff.insert(LocalDate(iso: "2026-05-13")!)
        _ = try first.admin.call(
            CalendarService.importProductionCalendar, ImportProductionCalendarRequest(years: [CalendarYear(corrected)]))
        try first.set("2026-05-13T12:00:00+03:00")
        #expect(try first.notices(c.id).filter { $0.kind == "clock.breached" }.isEmpty)
        // A stale index, as one written by a tool without the rules, and no basis.
        try first.daemon.store.write { connection throws(StoreError) in
            try connection.execute("UPDATE cases SET next_due = NULL, next_fire = NULL; DELETE FROM settings;")
        }
        first.close()
        let again = try Desk(clock: "2026-05-14T09:21:00+03:00", directory: directory)
        defer { again.close() }
        let breaches = try again.notices(c.id).filter { $0.kind == "clock.breached" }
        #expect(breaches.map { $0.details["due_at"] as? String } == ["2026-05-14T09:20:00+03:00"])
        var overdue = ListCasesRequest()
        overdue.overdue = true
        #expect(try again.curator.call(CasesService.listCases, overdue).cases.map(\.id) == [c.id])
    }

    @Test func aWarningThatFallsAtNightComesAtTheNextWorkingMorningOnce() throws {
        let desk = try Desk(clock: "2026-12-01T17:50:00+03:00")
        defer { desk.close() }
        // Route: 30 working minutes from 17:50 — 10 tonight, 20 tomorrow; its 50% point is 18:05 → 09:05.
        let c = try desk.register(3, detected: "2026-12-01T17:50:00+03:00")
        try desk.set("2026-12-01T23:00:00+03:00")
        #expect(try desk.notices(c.id).isEmpty)
        try desk.set("2026-12-02T09:06:00+03:00")
        let warnings = try desk.notices(c.id).filter { $0.kind == "clock.warning" }
        #expect(warnings.map { $0.details["point"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") } == ["15m", "50%"])
        #expect(
            warnings.allSatisfy {
                $0.time >= Instant(iso: "2026-12-02T09:05:00+03:00")!
            })
        try desk.set("2026-12-02T09:15:00+03:00")
        #expect(try desk.notices(c.id).filter { $0.kind == "clock.warning" }.count == 3)  // and 80% at 09:14
    }

    /// Issue 26: the reply clock's warnings reached the executor while the draft was with the curator.
    /// A clock's notices go to the party whose step it waits on now.
    @Test func theReplyClocksWarningsGoToWhoeverHoldsTheStep() throws {
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00")
        defer { desk.close() }
        let c = try desk.register(5, detected: "2026-12-01T09:00:00+03:00")
        var route = RouteRequest()
        route.caseID = c.id
        route.expectedVersion = c.version
        route.executors = ["roads"]
        let routed = try desk.curator.call(CasesService.route, route)
        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "roads.ex")]
        let executor = try RPCClient(socketPath: desk.daemon.configuration.socketPath, options: options)
        defer { executor.close() }
        var submit = SubmitDraftRequest()
        submit.assignmentID = "\(c.id)/1"
        submit.expectedVersion = routed.version
        submit.text = "Проект ответа"
        submit.kind = .final
        _ = try executor.call(RepliesService.submitDraft, submit)
        // The draft waits for review all day: the reply clock's 50% and 80% points pass.
        try desk.set("2026-12-01T17:00:00+03:00")
        let reply = try desk.notices(c.id).filter {
            $0.kind == "clock.warning" && ($0.details["clock"] as? String) == "reply"
        }
        #expect(!reply.isEmpty)
        #expect(reply.allSatisfy { $0.details["recipients"] as? [String] == ["cur"] }, "\(reply.map(\.details))")
    }

    /// Issue 26: warnings that fell due while the daemon was down came at a Saturday start; they come
    /// at the next working moment of their schedule.
    @Test func aWarningMissedWhileDownComesAtTheNextWorkingMoment() throws {
        let directory = privateDirectory()
        let first = try Desk(clock: "2026-12-04T10:00:00+03:00", directory: directory)
        // Friday: routed at 10:00, the reply clock (480 working minutes) is due Monday morning; its
        // 50% and 80% points fall on Friday afternoon, while the daemon is down.
        let c = try first.register(6, detected: "2026-12-04T09:55:00+03:00")
        var route = RouteRequest()
        route.caseID = c.id
        route.expectedVersion = c.version
        route.executors = ["roads"]
        _ = try first.curator.call(CasesService.route, route)
        first.close()
        // Down over the evening's points; started again on Saturday.
        let again = try Desk(clock: "2026-12-05T11:00:00+03:00", directory: directory)
        defer { again.close() }
        #expect(try again.notices(c.id).filter { $0.kind == "clock.warning" }.isEmpty)
        try again.set("2026-12-07T09:30:00+03:00")
        let warnings = try again.notices(c.id).filter { $0.kind == "clock.warning" }
        #expect(!warnings.isEmpty)
        let monday = Instant(iso: "2026-12-07T08:00:00+03:00")!
        #expect(warnings.allSatisfy { $0.time >= monday }, "\(warnings.map(\.time))")
    }

    @Test func noWarningForAClockAlreadyMet() throws {
        let desk = try Desk(clock: "2026-12-01T17:50:00+03:00")
        defer { desk.close() }
        let c = try desk.register(4, detected: "2026-12-01T17:50:00+03:00")
        try desk.set("2026-12-02T09:00:00+03:00")
        var route = RouteRequest()
        route.caseID = c.id
        route.expectedVersion = c.version
        route.executors = ["roads"]
        _ = try desk.curator.call(CasesService.route, route)
        try desk.set("2026-12-02T09:40:00+03:00")
        #expect(try desk.notices(c.id).filter { ($0.details["clock"] as? String) == "route" }.isEmpty)
    }

    /// The regulation is silent on an author who never answers; with `clarification_limit` set (3
    /// working days here, as other regions do) the scheduler closes the assignment as `no_answer`,
    /// and the curator can still record the answer later.
    @Test func aClarificationLimitClosesTheAssignmentWithoutAnAnswerAndTheAnswerReopensIt() throws {
        var profile = try RegulationProfileFile.load()
        profile.clarificationLimit = .init(minutes: 3 * 480, schedule: "executor")
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00") { $0.profile = profile }
        defer { desk.close() }
        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "roads.ex")]
        let executor = try RPCClient(socketPath: desk.daemon.configuration.socketPath, options: options)
        defer { executor.close() }
        var c = try desk.register(5, detected: "2026-12-01T09:00:00+03:00")
        var route = RouteRequest()
        route.caseID = c.id
        route.expectedVersion = c.version
        route.executors = ["roads"]
        c = try desk.curator.call(CasesService.route, route)
        var submit = SubmitDraftRequest()
        submit.assignmentID = c.id + "/1"
        submit.expectedVersion = c.version
        submit.kind = .clarification
        submit.text = "Уточните адрес"
        c = try executor.call(RepliesService.submitDraft, submit)
        var approve = DraftDecisionRequest()
        approve.assignmentID = c.id + "/1"
        approve.expectedVersion = c.version
        c = try desk.curator.call(RepliesService.approveDraft, approve)
        try desk.set("2026-12-01T10:00:00+03:00")
        var publish = PublishRequest()
        publish.assignmentID = c.id + "/1"
        publish.expectedVersion = c.version
        publish.url = "https://vk.com/wall-1_5?reply=1"
        c = try desk.curator.call(RepliesService.publish, publish)
        // Three working days from Tuesday 10:00 end on Friday 10:00.
        try desk.set("2026-12-04T09:59:00+03:00")
        #expect(try desk.daemon.store.loadCase(c.id)?.assignments[0].status == .waitingAuthor)
        try desk.set("2026-12-04T10:01:00+03:00")
        let closed = try #require(try desk.daemon.store.loadCase(c.id))
        #expect(closed.assignments[0].status == .noAnswer)
        #expect(closed.assignments[0].closedAt == Instant(iso: "2026-12-04T10:00:00+03:00"))
        #expect(closed.status == .done)
        let event = try #require(try desk.daemon.store.caseHistory(c.id).last)
        #expect(event.kind == .known(.noAnswer))
        #expect(event.actor == "system")
        // The answer comes after all: the assignment opens again.
        var answer = AuthorAnswerRequest()
        answer.assignmentID = c.id + "/1"
        answer.expectedVersion = Int64(closed.version)
        answer.atUnix = Instant(iso: "2026-12-04T10:30:00+03:00")!.seconds
        answer.text = "ул. Ленина, 5"
        try desk.set("2026-12-04T11:00:00+03:00")
        let reopened = try desk.curator.call(RepliesService.recordAuthorAnswer, answer)
        #expect(reopened.assignments[0].state == .drafting)
        #expect(reopened.state == .routed)
        var month = MonthlySummaryRequest()
        month.month = "2026-12"
        let report = try JSONDecoder().decode(
            MonthlyReport.self, from: Data(try desk.curator.call(ReportsService.monthlySummary, month).json.utf8))
        #expect(report.quality.closedWithoutAnswer == 0)  // answered after all, as of now
    }
}

@Suite struct WatchTests {
    private func watch(_ desk: Desk, from: Int64, kinds: [Wire.EventKind] = []) -> ClientResponseStream {
        var request = WatchRequest()
        request.fromSequence = from
        request.kinds = kinds
        return desk.admin.serverStream(
            service: EventsService.service, method: EventsService.watch.name, payload: request.serializedBytes(),
            timeout: .seconds(30))
    }

    @Test func resumingFromASequenceGivesNoGapAndNoDuplicate() throws {
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00")
        defer { desk.close() }
        for n in 1...3 { _ = try desk.register(n, detected: "2026-12-01T09:00:00+03:00") }
        var seen: [Int64] = []
        let first = watch(desk, from: 0)
        for _ in 0..<4 { seen.append(try WatchEvent(serializedBytes: try #require(try first.next())).sequence) }
        first.cancel()
        // More happens while the helper is away: more than one catch-up batch of the log.
        for n in 4...(6 + WatchService.WatchStream.batch) {
            _ = try desk.register(n, detected: "2026-12-01T09:00:00+03:00")
        }
        let last = desk.daemon.store.lastEventID
        let second = watch(desk, from: seen.last!)
        while seen.last! < last {
            seen.append(try WatchEvent(serializedBytes: try #require(try second.next())).sequence)
        }
        second.cancel()
        let all = try desk.daemon.store.events(limit: 10_000).map(\.id)
        #expect(seen == all)
    }

    @Test func liveEventsFollowTheMissedOnes() throws {
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00")
        defer { desk.close() }
        let stream = watch(desk, from: desk.daemon.store.lastEventID, kinds: [.caseRegistered])
        let c = try desk.register(7, detected: "2026-12-01T09:00:00+03:00")
        let event = try WatchEvent(serializedBytes: try #require(try stream.next()))
        #expect(event.kind == .caseRegistered)
        #expect(event.caseID == c.id)
        stream.cancel()
    }

    @Test func aWatcherThatDoesNotReadIsToldItFellBehindAndWhereToResume() throws {
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00") { configuration in
            configuration.watchBuffer = 3
            configuration.limits.maxStreamOutboundBytes = 1000
        }
        defer { desk.close() }
        let start = desk.daemon.store.lastEventID
        // A helper that asks to watch and then stops reading its socket.
        let raw = try RawSocket(path: desk.daemon.configuration.socketPath)
        var request = WatchRequest()
        request.fromSequence = start
        raw.send(
            FrameEncoder.frame(
                type: .request, streamID: 1, flags: [.remoteClosed],
                payload: RequestEnvelope(
                    service: EventsService.service, method: "Watch",
                    payload: request.serializedBytes()
                ).serializedBytes()))
        // Much happens: long texts fill the socket, then the stream's window, then its buffer.
        let text = String(repeating: "Очень длинное сообщение. ", count: 800)
        for n in 1...40 {
            var register = RegisterMessageRequest()
            register.network = "vk"
            register.url = "https://vk.com/wall-2_\(n)"
            register.author = "Автор"
            register.text = text
            register.detectedAtUnix = desk.daemon.clock.now.seconds
            _ = try desk.curator.call(CasesService.registerMessage, register)
        }
        // Now read everything the daemon sent: events, the notice, and the end of the stream.
        var events: [WatchEvent] = []
        var ended = false
        while !ended, let (type, payload) = raw.readFrame() {
            if type == FrameType.data.rawValue { events.append(try WatchEvent(serializedBytes: payload)) }
            if type == FrameType.response.rawValue { ended = true }
        }
        #expect(ended)
        let notice = try #require(events.last)
        #expect(notice.fellBehind)
        #expect(notice.resumeFrom == (events.dropLast().last?.sequence ?? start))
        #expect(events.count < 40)
        // The daemon let go of the watcher.
        let until = Date().addingTimeInterval(5)
        while desk.daemon.hub.watcherCount > 0, Date() < until { usleep(10_000) }
        #expect(desk.daemon.hub.watcherCount == 0)
    }
}

/// Closed sets travel as proto enums (words.proto): a value the daemon does not know (a newer
/// client's) or one that is missing is refused with the field and the values it takes, and the
/// refused call changes nothing.
@Suite struct WireEnumTests {
    @Test func anUnknownOrMissingEnumValueIsRefusedAndChangesNothing() throws {
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00")
        defer { desk.close() }
        let before = desk.daemon.store.lastEventID
        var request = RegisterMessageRequest()
        request.network = "vk"
        request.url = "https://vk.com/wall-1_77"
        request.author = "Автор"
        request.text = "Сообщение"
        request.detectedAtUnix = Instant(iso: "2026-12-01T08:30:00+03:00")!.seconds
        request.topics = ["дороги"]
        request.importance = .unrecognized(9)
        #expect(throws: RPCError(.invalidArgument, "importance: unknown value 9; one of normal, high")) {
            try desk.curator.call(CasesService.registerMessage, request)
        }
        #expect(desk.daemon.store.lastEventID == before)
        // Unspecified is "not given": the default importance.
        request.importance = .unspecified
        let registered = try desk.curator.call(CasesService.registerMessage, request)
        #expect(registered.importance == .normal)
        var reject = RejectRequest()
        reject.caseID = registered.id
        reject.expectedVersion = registered.version
        let version = desk.daemon.store.lastEventID
        #expect(throws: RPCError(.invalidArgument, "reason: missing; one of harm, obscene, insult, threat")) {
            try desk.curator.call(CasesService.reject, reject)
        }
        reject.reason = .unrecognized(42)
        #expect(throws: RPCError(.invalidArgument, "reason: unknown value 42; one of harm, obscene, insult, threat")) {
            try desk.curator.call(CasesService.reject, reject)
        }
        #expect(desk.daemon.store.lastEventID == version)
        // A kind the daemon does not know selects nothing in a watch; a known one still selects.
        #expect(Wire.EventKind(EventKind.routed) == .caseRouted)
        #expect(Wire.EventKind.caseRouted.word == "case.routed")
        #expect(Wire.EventKind.unrecognized(77).word == "77")
    }

    /// Every value of every domain set has its wire value and comes back as itself.
    @Test func everyDomainWordHasItsWireValue() {
        for kind in EventKind.allCases { #expect(Wire.EventKind(kind).domain == kind) }
        for kind in EventKind.allCases { #expect(Wire.EventKind(kind).name == kind.rawValue.replacing(".", with: "_")) }
        for status in CaseStatus.allCases { #expect(Wire.CaseState(status).name == status.rawValue) }
        for status in AssignmentStatus.allCases { #expect(Wire.AssignmentState(status).name == status.rawValue) }
        for kind in ClockKind.allCases { #expect(Wire.ClockKind(kind).name == kind.rawValue) }
        for reason in ReturnReason.allCases { #expect(Wire.ReturnReason(reason).name == reason.rawValue) }
        for reason in RejectionReason.allCases { #expect(Wire.RejectionReason(reason).name == reason.rawValue) }
        for role in Role.allCases { #expect(Wire.Role(role).name == role.rawValue) }
        for kind in OrganisationUnit.Kind.allCases { #expect(Wire.UnitKind(kind).name == kind.rawValue) }
        for kind in DayPlan.Kind.allCases { #expect(Wire.DayKind(kind).name == kind.rawValue) }
        for kind in DraftKind.allCases { #expect(Wire.DraftKind(kind).name == kind.rawValue) }
        for importance in Importance.allCases { #expect(Wire.Importance(importance).name == importance.rawValue) }
        #expect(Wire.EventKind.known.count == EventKind.allCases.count + 1)
    }
}

/// `Cases/SearchCases` (p.18: the earlier message): ranked matches with a snippet; an executor finds
/// only the cases of their unit; a search without a word of three letters is refused.
@Suite struct SearchCasesTests {
    @Test func searchFindsTheEarlierMessageWithinTheCallersRights() throws {
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00")
        defer { desk.close() }
        var first = RegisterMessageRequest()
        first.network = "vk"
        first.url = "https://vk.com/wall-1_101"
        first.author = "Мария Иванова"
        first.text = "Во дворе дома 5 прорвало трубу отопления, вода в подвале"
        first.detectedAtUnix = Instant(iso: "2026-12-01T08:00:00+03:00")!.seconds
        first.topics = ["дороги"]
        let routed = try desk.curator.call(CasesService.registerMessage, first)
        var route = RouteRequest()
        route.caseID = routed.id
        route.expectedVersion = routed.version
        route.executors = ["roads"]
        _ = try desk.curator.call(CasesService.route, route)
        // The curator's screen watches registrations live: each comes with its hints (issue 33).
        var live = WatchRequest()
        live.fromSequence = desk.daemon.store.lastEventID
        live.kinds = [.caseRegistered]
        var plain = live  // one that does not show them leaves them off, and costs the daemon no look
        live.hints = true
        let watcher = desk.curator.serverStream(
            service: EventsService.service, method: EventsService.watch.name, payload: live.serializedBytes(),
            timeout: .seconds(30))
        defer { watcher.cancel() }
        plain.hints = false
        let plainWatcher = desk.curator.serverStream(
            service: EventsService.service, method: EventsService.watch.name, payload: plain.serializedBytes(),
            timeout: .seconds(30))
        defer { plainWatcher.cancel() }
        var second = first
        second.url = "https://vk.com/wall-1_102"
        second.author = "Олег"
        second.text = "Во дворе дома 5 снова прорвало трубу отопления"
        second.detectedAtUnix = Instant(iso: "2026-12-01T08:45:00+03:00")!.seconds
        let unrouted = try desk.curator.call(CasesService.registerMessage, second)
        // The registration answers with the case as stored; its p.18 hints are read with it (issue 33).
        #expect(unrouted.suggestedRepeats.isEmpty)
        func hints(_ id: String) throws -> [String] {
            var ref = CaseRef()
            ref.id = id
            return try desk.curator.call(CasesService.getCase, ref).suggestedRepeats
        }
        // Another author, most of the words: the earlier case is suggested (p.18), from the text index.
        #expect(try hints(unrouted.id) == [routed.id])
        // The same author with another question: the earlier case by author, never the new one itself.
        var third = first
        third.url = "https://vk.com/wall-1_103"
        third.text = "Не горит фонарь у остановки"
        third.detectedAtUnix = Instant(iso: "2026-12-01T08:50:00+03:00")!.seconds
        let own = try desk.curator.call(CasesService.registerMessage, third)
        #expect(try hints(own.id) == [routed.id])
        for registered in [unrouted, own] {
            let event = try WatchEvent(serializedBytes: try #require(try watcher.next()))
            #expect(event.caseID == registered.id)
            #expect(event.suggestedRepeats == [routed.id])
            let plainEvent = try WatchEvent(serializedBytes: try #require(try plainWatcher.next()))
            #expect(plainEvent.caseID == registered.id)
            #expect(plainEvent.suggestedRepeats.isEmpty)
        }
        // Read from the log while catching up, a registration comes without them (GetCase has them).
        var missed = live
        missed.fromSequence = 0
        let catching = desk.curator.serverStream(
            service: EventsService.service, method: EventsService.watch.name, payload: missed.serializedBytes(),
            timeout: .seconds(30))
        defer { catching.cancel() }
        let read = try (0..<3).map { _ in try WatchEvent(serializedBytes: try #require(try catching.next())) }
        #expect(read.map(\.caseID) == [routed.id, unrouted.id, own.id])
        #expect(read.allSatisfy { $0.suggestedRepeats.isEmpty })

        var search = SearchCasesRequest()
        search.text = "отопления дом"
        let all = try desk.curator.call(CasesService.searchCases, search).hits
        #expect(Set(all.compactMap { $0.view?.id }) == [routed.id, unrouted.id])
        // The matched words by place in a plain snippet, any form of the word: "дом" finds "дома".
        #expect(
            all.allSatisfy { hit in
                Set(
                    hit.marks.map { String(hit.snippet.unicodeScalars.dropFirst(Int($0.start)).prefix(Int($0.length))) }
                )
                    == ["дома", "отопления"] && !hit.snippet.contains("«")
            }, "\(all.map(\.snippet))")

        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "roads.ex")]
        let executor = try RPCClient(socketPath: desk.daemon.configuration.socketPath, options: options)
        defer { executor.close() }
        #expect(try executor.call(CasesService.searchCases, search).hits.compactMap { $0.view?.id } == [routed.id])

        search.text = "до"
        #expect(throws: RPCError(.invalidArgument, "give a word of three letters or more to search for")) {
            try desk.curator.call(CasesService.searchCases, search)
        }
        // The period narrows the index range read and the rows kept alike.
        search.text = "отопления"
        search.fromUnix = Instant(iso: "2026-12-01T08:30:00+03:00")!.seconds
        #expect(
            try desk.curator.call(CasesService.searchCases, search).hits.compactMap { $0.view?.id } == [unrouted.id])
        search.fromUnix = 0
        search.toUnix = Instant(iso: "2026-12-01T08:00:00+03:00")!.seconds
        #expect(try desk.curator.call(CasesService.searchCases, search).hits.isEmpty)
    }

    /// Every value of the request is bounded at the boundary, before any search runs.
    @Test func aSearchOutsideItsBoundsIsRefused() throws {
        let desk = try Desk(clock: "2026-12-01T09:00:00+03:00")
        defer { desk.close() }
        func refused(_ change: (inout SearchCasesRequest) -> Void, _ field: String) {
            var request = SearchCasesRequest()
            request.text = "отопления"
            change(&request)
            do {
                _ = try desk.curator.call(CasesService.searchCases, request)
                Issue.record("\(field) accepted")
            } catch {
                #expect(error.code == .invalidArgument && error.message.hasPrefix(field), "\(error.message)")
            }
        }
        refused({ $0.limit = 1001 }, "limit")
        refused({ $0.limit = .max }, "limit")
        refused({ $0.fromUnix = .max }, "from_unix")
        refused({ $0.toUnix = .min }, "to_unix")
        refused({ $0.fromUnix = 1 }, "from_unix")
        refused({ $0.author = "\u{1B}[31m" }, "author")
        refused({ $0.author = String(repeating: "я", count: 300) }, "author")
        refused({ $0.text = String(repeating: "я", count: 40_000) }, "text")
        // A NUL byte cannot pass through protobuf-c's C strings on the way out: sent as raw bytes
        // (text "яма", author "Мария<NUL>").
        let author = Array("Мария".utf8) + [0]
        let bytes: [UInt8] = [0x0A, 6] + Array("яма".utf8) + [0x12, UInt8(author.count)] + author
        #expect(
            throws: RPCError(
                .invalidArgument,
                "author contains the control character NUL; only text, tabs and line breaks are accepted")
        ) {
            try desk.curator.call(
                service: CasesService.searchCases.service, method: CasesService.searchCases.name, payload: bytes)
        }
    }
}

/// `Events/Export` answers what fits one frame: a page of long posts holds fewer events than asked for,
/// never a frame the transport refuses, and paging on from its last event reads the whole log.
@Suite struct ExportPageTests {
    @Test func aPageOfLongPostsFitsOneAnswerAndPagingReadsTheWholeLog() throws {
        let desk = try Desk(clock: "2026-12-01T10:00:00+03:00")
        defer { desk.close() }
        // 40 posts of 30,000 Cyrillic letters (60 KB each): as details and typed, about 4.8 MB of events.
        let long = String(repeating: "Ямы на дороге у школы. ", count: 1_305) + "Когда отремонтируют?"
        for n in 1...40 { _ = try desk.register(n, detected: "2026-12-01T09:00:00+03:00", text: long) }
        var registered = 0
        var pages = 0
        var from: Int64 = 0
        while true {
            let page = try desk.admin.call(EventsService.export, ExportEventsRequest(fromSequence: from, limit: 1000))
            guard let last = page.events.last else { break }
            pages += 1
            #expect(page.events.map(\.sequence) == Array(from + 1...last.sequence))
            registered += page.events.filter { $0.kind == .caseRegistered }.count
            for event in page.events where event.kind == .caseRegistered {
                guard case .step(let step)? = event.payload else {
                    Issue.record("a registration without its typed facts")
                    continue
                }
                let whole = step.text == long  // (a failure would print 60 KB twice)
                #expect(whole, "a registration's text came back \(step.text.count) characters long")
            }
            from = last.sequence
        }
        #expect(registered == 40 && pages >= 2, "\(pages) pages")
    }

    /// `untyped` (`otklik export events`): each event as without it, only its typed payload left out.
    @Test func anUntypedPageIsTheTypedOneWithoutThePayload() throws {
        let desk = try Desk(clock: "2026-12-01T10:00:00+03:00")
        defer { desk.close() }
        let registered = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        var route = RouteRequest()
        route.caseID = registered.id
        route.expectedVersion = registered.version
        route.executors = ["roads"]
        _ = try desk.curator.call(CasesService.route, route)
        // The assignment's clocks run out: notices that name it.
        try desk.set("2026-12-03T10:00:00+03:00")
        let typed = try desk.admin.call(EventsService.export, ExportEventsRequest(fromSequence: 0, limit: 1000))
        var request = ExportEventsRequest(fromSequence: 0, limit: 1000)
        request.untyped = true
        let untyped = try desk.admin.call(EventsService.export, request)
        #expect(typed.events.contains { $0.payload != nil && !$0.assignmentID.isEmpty })
        #expect(untyped.events.allSatisfy { $0.payload == nil })
        let stripped = typed.events.map { event in
            var event = event
            event.payload = nil
            return event
        }
        #expect(untyped.events == stripped)
    }
}
