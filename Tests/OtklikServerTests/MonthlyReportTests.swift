import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
@testable import OtklikServer
import OtklikStore
import Testing

/// A month of cases with known outcomes, driven through the real workflow on a test clock, and the
/// figures the monthly summary must give for it (p.22).
@Suite struct MonthlyReportTests {
    final class Month {
        let daemon: Daemon
        let clients: [String: RPCClient]

        init() throws {
            daemon = try startOffice(
                clock: "2026-11-02T08:00:00+03:00",
                units: [("curator-centre", .curatorCentre), ("roads", .department), ("housing", .department)],
                staff: [
                    StaffMember(
                        login: "cur", fullName: "К", osUser: "os-cur", unit: "curator-centre", roles: [.curator]),
                    StaffMember(
                        login: "roads.ex", fullName: "Д", osUser: "os-roads", unit: "roads", roles: [.executor]),
                    StaffMember(
                        login: "housing.ex", fullName: "Ж", osUser: "os-housing", unit: "housing", roles: [.executor]),
                ])
            let configuration = daemon.configuration
            var clients: [String: RPCClient] = [:]
            for login in ["cur", "roads.ex", "housing.ex", ""] {
                var options = RPCClient.Options()
                if !login.isEmpty { options.defaultMetadata = [MetadataEntry("otklik-as", login)] }
                clients[login] = try RPCClient(socketPath: configuration.socketPath, options: options)
            }
            self.clients = clients
        }

        func at(_ time: String) throws {
            _ = try clients[""]!.call(AdminService.setClock, SetClockRequest(nowUnix: Instant(iso: time)!.seconds))
        }

        func version(_ id: String) throws -> Int64 {
            var ref = CaseRef()
            ref.id = id
            return try clients["cur"]!.call(CasesService.getCase, ref).version
        }

        func register(_ n: Int, _ detected: String, high: Bool = false) throws -> String {
            try at(detected)
            var request = RegisterMessageRequest()
            request.network = "vk"
            request.url = "https://vk.com/wall-3_\(n)"
            request.author = "Автор \(n)"
            request.text = "Сообщение \(n) о проблеме номер \(n * 7919)"
            request.detectedAtUnix = Instant(iso: detected)!.seconds
            request.importance = high ? .high : .normal
            request.topics = ["дороги"]
            return try clients["cur"]!.call(CasesService.registerMessage, request).id
        }

        func route(_ id: String, _ unit: String, _ time: String) throws {
            try at(time)
            var request = RouteRequest()
            request.caseID = id
            request.expectedVersion = try version(id)
            request.executors = [unit]
            _ = try clients["cur"]!.call(CasesService.route, request)
        }

        func submit(_ id: String, _ unit: String, _ time: String, kind: Wire.DraftKind = .final, measures: String = "")
            throws
        {
            try at(time)
            var request = SubmitDraftRequest()
            request.assignmentID = id + "/1"
            request.expectedVersion = try version(id)
            request.kind = kind
            request.text = "Ответ"
            request.measures = measures
            _ = try clients["\(unit).ex"]!.call(RepliesService.submitDraft, request)
        }

        func decide(_ id: String, _ time: String, returning reason: Wire.ReturnReason? = nil) throws {
            try at(time)
            var request = DraftDecisionRequest()
            request.assignmentID = id + "/1"
            request.expectedVersion = try version(id)
            if let reason {
                request.reason = reason
                request.comment = "Доработать"
                _ = try clients["cur"]!.call(RepliesService.returnDraft, request)
            } else {
                _ = try clients["cur"]!.call(RepliesService.approveDraft, request)
            }
        }

        func publish(_ id: String, _ time: String) throws {
            try at(time)
            var request = PublishRequest()
            request.assignmentID = id + "/1"
            request.expectedVersion = try version(id)
            request.url = "https://vk.com/reply/\(id)/\(time)"
            _ = try clients["cur"]!.call(RepliesService.publish, request)
        }

        /// The report's JSON exactly as the daemon sends it.
        func reportJSON(_ month: String, unit: String = "") throws -> String {
            var request = MonthlySummaryRequest()
            request.month = month
            request.unit = unit
            return try clients["cur"]!.call(ReportsService.monthlySummary, request).json
        }

        /// A mutating call as the curator against the case's current version.
        func curator<Request: ProtoMessage>(
            _ method: Method<Request, CaseView>, _ id: String, _ make: (Int64) -> Request
        ) throws -> CaseView {
            try clients["cur"]!.call(method, make(try version(id)))
        }

        func report(_ month: String, unit: String = "") throws -> MonthlyReport {
            try JSONDecoder().decode(MonthlyReport.self, from: Data(try reportJSON(month, unit: unit).utf8))
        }

        deinit {
            for client in clients.values { client.close() }
            daemon.stop()
        }
    }

    private func line(_ r: MonthlyReport, _ clock: String, _ party: String) -> MonthlyReport.ClockLine? {
        r.timeliness.clocks.first { $0.clock == clock && $0.party == party }
    }

    @Test func p22_aMonthOfKnownCasesGivesEveryFigureAndTheSameOnesLater() throws {
        let m = try Month()
        // A: roads, everything on time.
        let a = try m.register(1, "2026-11-02T09:00:00+03:00")
        try m.route(a, "roads", "2026-11-02T09:10:00+03:00")
        try m.submit(a, "roads", "2026-11-02T10:00:00+03:00")
        try m.decide(a, "2026-11-02T10:20:00+03:00")
        try m.publish(a, "2026-11-02T10:40:00+03:00")
        // B: routed 10 min late, returned once, reworked 10 min late, published 10 min late.
        let b = try m.register(2, "2026-11-03T09:00:00+03:00")
        try m.route(b, "roads", "2026-11-03T09:40:00+03:00")
        try m.submit(b, "roads", "2026-11-03T10:00:00+03:00")
        try m.decide(b, "2026-11-03T10:20:00+03:00", returning: .noEvidence)
        try m.submit(b, "roads", "2026-11-03T11:30:00+03:00")
        try m.decide(b, "2026-11-03T11:40:00+03:00")
        try m.publish(b, "2026-11-03T12:20:00+03:00")
        // C: housing, high importance: draft 30 min late, published 80 working minutes late, reply 30 late.
        let c = try m.register(3, "2026-11-05T09:00:00+03:00", high: true)
        try m.route(c, "housing", "2026-11-05T09:05:00+03:00")
        try m.submit(c, "housing", "2026-11-05T11:30:00+03:00")
        try m.decide(c, "2026-11-05T11:40:00+03:00")
        try m.publish(c, "2026-11-05T14:30:00+03:00")
        // D: rejected.
        let d = try m.register(4, "2026-11-06T09:00:00+03:00")
        try m.at("2026-11-06T09:10:00+03:00")
        var reject = RejectRequest()
        reject.caseID = d
        reject.expectedVersion = try m.version(d)
        reject.reason = .obscene
        _ = try m.clients["cur"]!.call(CasesService.reject, reject)
        // E: repeats A, routed to roads, left unanswered: overdue at the month's end.
        let e = try m.register(5, "2026-11-10T09:00:00+03:00")
        try m.at("2026-11-10T09:05:00+03:00")
        var link = LinkRepeatRequest()
        link.caseID = e
        link.expectedVersion = try m.version(e)
        link.of = a
        _ = try m.clients["cur"]!.call(CasesService.linkRepeat, link)
        try m.route(e, "roads", "2026-11-10T09:10:00+03:00")
        // G: roads, an intermediate reply, then the final one within 7 working days.
        let g = try m.register(7, "2026-11-16T09:00:00+03:00")
        try m.route(g, "roads", "2026-11-16T09:05:00+03:00")
        try m.submit(g, "roads", "2026-11-16T10:00:00+03:00", kind: .intermediate)
        try m.decide(g, "2026-11-16T10:10:00+03:00")
        try m.publish(g, "2026-11-16T10:20:00+03:00")
        try m.submit(g, "roads", "2026-11-24T10:00:00+03:00")
        try m.decide(g, "2026-11-24T10:10:00+03:00")
        try m.publish(g, "2026-11-24T10:20:00+03:00")
        // F: housing, detected on the last evening: its clocks run into December.
        let f = try m.register(6, "2026-11-30T17:00:00+03:00")
        try m.route(f, "housing", "2026-11-30T17:10:00+03:00")
        try m.at("2026-12-01T08:00:00+03:00")

        let r = try m.report("2026-11")
        #expect(r.period == "2026-11")
        #expect(r.from == "2026-11-01T00:00:00+03:00")
        #expect(r.to == "2026-12-01T00:00:00+03:00")
        // Timeliness, clock by clock and party by party.
        let route = try #require(line(r, "route", "curator-centre"))
        #expect((route.ran, route.onTime, route.late, route.openOverdue, route.open) == (7, 6, 1, 0, 0))
        #expect(route.shareOnTime == .init(count: 6, of: 7))
        #expect((route.medianLateMinutes, route.worstLateMinutes) == (10, 10))
        let roadsReply = try #require(line(r, "reply", "roads"))
        #expect((roadsReply.ran, roadsReply.onTime, roadsReply.late, roadsReply.openOverdue) == (4, 3, 0, 1))
        #expect(roadsReply.worstLateMinutes == 6720)  // E: due 10 Nov 18:00; 14 working days to the month end
        let housingReply = try #require(line(r, "reply", "housing"))
        #expect((housingReply.ran, housingReply.onTime, housingReply.late, housingReply.open) == (2, 0, 1, 1))
        #expect(housingReply.medianLateMinutes == 30)
        let roadsDraft = try #require(line(r, "draft", "roads"))
        #expect(roadsDraft.shareOnTime == .init(count: 3, of: 4))
        #expect(roadsDraft.worstLateMinutes == 6960)
        #expect(line(r, "draft", "housing")?.shareOnTime == .init(count: 0, of: 1))
        #expect(line(r, "review", "curator-centre")?.shareOnTime == .init(count: 6, of: 6))
        let rework = try #require(line(r, "rework", "roads"))
        #expect((rework.ran, rework.late, rework.worstLateMinutes) == (1, 1, 10))
        let publish = try #require(line(r, "publish", "curator-centre"))
        #expect(publish.shareOnTime == .init(count: 3, of: 5))
        #expect((publish.medianLateMinutes, publish.worstLateMinutes) == (45, 80))
        #expect(line(r, "final_draft", "roads")?.shareOnTime == .init(count: 1, of: 1))
        #expect(
            r.timeliness.units == [
                .init(unit: "curator-centre", onTime: .init(count: 15, of: 18), rank: 1),
                .init(unit: "housing", onTime: .init(count: 0, of: 2), rank: nil),
                .init(unit: "roads", onTime: .init(count: 7, of: 10), rank: 2),
            ])
        #expect(r.timeliness.firstReplies == 4)
        #expect(r.timeliness.averageMinutesToFirstReply == 162)  // (100 + 200 + 270 + 80) / 4
        // Quality.
        #expect(r.quality.draftsSubmitted == 6)
        #expect(r.quality.approvedAtFirstSubmission == .init(count: 3, of: 4))
        #expect(r.quality.returnsByReason == ["no_evidence": 1])
        #expect(r.quality.repliesWithAttachments == .init(count: 0, of: 5))
        #expect(r.quality.repeats == 1)
        #expect(r.quality.repeatsByUnit == ["roads": 1])
        #expect(r.quality.intermediateToFinalInTime == .init(count: 1, of: 1))
        // Dynamics.
        #expect(r.dynamics.messages == .init(key: "messages", this: 7, previousMonth: 0, yearBefore: 0))
        #expect(r.dynamics.byImportance.map { "\($0.key) \($0.this)" } == ["high 1", "normal 6"])
        #expect(r.dynamics.byExecutor.map { "\($0.key) \($0.this)" } == ["-" + " 1", "housing 2", "roads 4"])
        #expect(r.dynamics.rejectedByReason.map { "\($0.key) \($0.this)" } == ["obscene 1"])
        #expect(r.dynamics.series.count == 12)
        #expect(r.dynamics.series.last?.month == "2026-11")
        #expect(r.dynamics.series.last?.messages == 7)
        #expect(r.dynamics.series.first?.month == "2025-12")

        // December goes on: F is answered, E too. November's figures do not change.
        try m.submit(f, "housing", "2026-12-01T10:00:00+03:00")
        try m.decide(f, "2026-12-01T10:10:00+03:00")
        try m.publish(f, "2026-12-01T10:20:00+03:00")
        try m.submit(e, "roads", "2026-12-01T11:00:00+03:00", measures: "Яма заделана")
        try m.at("2026-12-02T09:00:00+03:00")
        #expect(try m.report("2026-11") == r)
        let december = try m.report("2026-12")
        #expect(december.dynamics.messages.previousMonth == 7)
        #expect(line(december, "review", "curator-centre")?.ran == 2)
    }

    /// A detection time corrected after the month, across its end, leaves the closed month's report as it
    /// was: the case is read as it stood then, whichever month it says it belongs to now (it was missed).
    @Test func p22_aDetectionCorrectedAcrossTheMonthsEndLeavesItsReportAsItWas() throws {
        let m = try Month()
        let moved = try m.register(21, "2026-11-30T16:00:00+03:00")
        _ = try m.register(22, "2026-11-30T16:30:00+03:00")
        try m.at("2026-12-01T00:00:00+03:00")
        let atTheEnd = try m.reportJSON("2026-11")
        func correct(_ id: String, detected: String) throws {
            _ = try m.curator(CasesService.correct, id) { v in
                var r = CorrectRequest()
                r.caseID = id; r.expectedVersion = v; r.detectedAtUnix = Instant(iso: detected)!.seconds
                r.reason = "время обнаружения по журналу"
                return r
            }
        }
        try m.at("2026-12-02T09:00:00+03:00")
        try correct(moved, detected: "2026-12-01T00:30:00+03:00")
        // And a December message said since to have been found in November: it was not there then.
        let into = try m.register(23, "2026-12-02T09:05:00+03:00")
        try m.at("2026-12-02T10:00:00+03:00")
        try correct(into, detected: "2026-11-30T17:00:00+03:00")
        #expect(try m.reportJSON("2026-11") == atTheEnd)
        let november = try m.report("2026-11")
        #expect(november.dynamics.messages.this == 2)
        #expect(line(november, "route", "curator-centre")?.ran == 2)
        // December as of now counts the moved one and the one said to be November's, in November.
        let december = try m.report("2026-12")
        #expect(december.dynamics.messages.this == 1)
        #expect(december.dynamics.messages.previousMonth == 2)
    }

    @Test func p22_aClosedMonthsReportIsHistoryByteForByte() throws {
        let m = try Month()
        // November: four messages in different states at the month's end.
        let answered = try m.register(11, "2026-11-02T09:00:00+03:00")
        try m.route(answered, "roads", "2026-11-02T09:10:00+03:00")
        try m.submit(answered, "roads", "2026-11-02T10:00:00+03:00")
        try m.decide(answered, "2026-11-02T10:20:00+03:00")
        try m.publish(answered, "2026-11-02T10:40:00+03:00")
        // Answered on time, later found wrong.
        let wrong = try m.register(14, "2026-11-20T09:00:00+03:00")
        try m.route(wrong, "roads", "2026-11-20T09:10:00+03:00")
        try m.submit(wrong, "roads", "2026-11-20T10:00:00+03:00")
        try m.decide(wrong, "2026-11-20T10:10:00+03:00")
        try m.publish(wrong, "2026-11-20T10:20:00+03:00")
        // Overdue at the month's end: 480 working minutes and more past its reply term.
        let overdue = try m.register(12, "2026-11-25T09:00:00+03:00")
        try m.route(overdue, "housing", "2026-11-25T09:10:00+03:00")
        // Never routed in November.
        let unrouted = try m.register(13, "2026-11-30T16:00:00+03:00")
        try m.at("2026-12-01T00:00:00+03:00")
        let atTheEnd = try m.reportJSON("2026-11")

        // December: routing, a clarification, a publication and corrections of November's cases.
        try m.route(unrouted, "roads", "2026-12-01T09:00:00+03:00")
        try m.at("2026-12-01T09:30:00+03:00")
        _ = try m.curator(CasesService.reroute, overdue) { v in
            var r = RerouteRequest()
            r.assignmentID = overdue + "/1"; r.expectedVersion = v; r.to = "roads"; r.reason = "не тот отдел"
            return r
        }
        try m.submit(overdue, "roads", "2026-12-01T10:00:00+03:00", kind: .clarification)
        try m.decide(overdue, "2026-12-01T10:10:00+03:00")
        try m.publish(overdue, "2026-12-01T10:20:00+03:00")
        try m.at("2026-12-02T09:00:00+03:00")
        _ = try m.curator(CasesService.correct, answered) { v in
            var r = CorrectRequest()
            r.caseID = answered; r.expectedVersion = v; r.importance = .high; r.author = "Другой автор";
            r.reason = "по карточке"
            return r
        }
        _ = try m.curator(CasesService.reopen, wrong) { v in
            var r = ReopenRequest()
            r.caseID = wrong; r.expectedVersion = v; r.reason = "ответ удалён"
            return r
        }
        _ = try m.curator(CasesService.addExecutor, wrong) { v in
            var r = AddExecutorRequest()
            r.caseID = wrong; r.expectedVersion = v; r.executor = "housing"; r.topics = ["ЖКХ"]; r.reason = "и ЖКХ"
            return r
        }
        // A December message routed to housing, past its reply term, then rerouted to roads.
        let late = try m.register(15, "2026-12-02T09:05:00+03:00")
        try m.route(late, "housing", "2026-12-02T09:10:00+03:00")
        try m.at("2026-12-03T10:00:00+03:00")
        _ = try m.curator(CasesService.reroute, late) { v in
            var r = RerouteRequest()
            r.assignmentID = late + "/1"; r.expectedVersion = v; r.to = "roads"; r.reason = "не тот отдел"
            return r
        }
        try m.at("2026-12-20T09:00:00+03:00")
        // Today's view of November's cases has moved on...
        let now = try #require(try m.daemon.store.loadCase(overdue))
        #expect(now.assignments[0].executor == "roads")
        #expect(now.assignments[0].status == .waitingAuthor)
        // ...and November's report is the same document, byte for byte.
        let later = try m.reportJSON("2026-11")
        #expect(later == atTheEnd)
        let report = try JSONDecoder().decode(MonthlyReport.self, from: Data(later.utf8))
        #expect(line(report, "reply", "housing")?.openOverdue == 1)
        #expect(line(report, "reply", "roads")?.ran == 2)
        #expect(report.dynamics.byExecutor.map { "\($0.key) \($0.this)" } == ["-" + " 1", "housing 1", "roads 2"])
        #expect(report.dynamics.byImportance.map { "\($0.key) \($0.this)" } == ["normal 4"])
        // December's report compares with November as it stood at November's end. The rerouted
        // assignment's reply clock, still open and overdue, counts against the unit holding it now
        // (roads, whose queue shows it overdue), not the one that let it run out (issue 26).
        let december = try m.report("2026-12")
        #expect(december.dynamics.messages.previousMonth == 4)
        #expect(december.dynamics.messages.this == 1)
        #expect(line(december, "reply", "housing") == nil)
        // Roads' December reply clocks: the rerouted one, and the reopened case's fresh cycle started on
        // 2 December.
        #expect(line(december, "reply", "roads")?.ran == 2)
        #expect(line(december, "reply", "roads")?.openOverdue == 2)
        // Housing's own report does not hold it against housing; roads' does.
        #expect(line(try m.report("2026-12", unit: "housing"), "reply", "housing") == nil)
        #expect(line(try m.report("2026-12", unit: "roads"), "reply", "roads")?.openOverdue == 2)
    }

    /// Issue 26: a reopened case counted twice for the unit that answered it again.
    @Test func aReopenedCaseCountsOncePerUnit() throws {
        let m = try Month()
        let id = try m.register(1, "2026-11-03T09:00:00+03:00")
        try m.route(id, "roads", "2026-11-03T09:10:00+03:00")
        try m.submit(id, "roads", "2026-11-03T10:00:00+03:00")
        try m.decide(id, "2026-11-03T10:10:00+03:00")
        try m.publish(id, "2026-11-03T10:20:00+03:00")
        try m.at("2026-11-05T10:00:00+03:00")
        _ = try m.curator(CasesService.reopen, id) { v in
            var r = ReopenRequest()
            r.caseID = id; r.expectedVersion = v; r.reason = "яму не заделали"
            return r
        }
        let november = try m.report("2026-11")
        #expect(november.dynamics.byExecutor.map { "\($0.key) \($0.this)" } == ["roads 1"])
        #expect(november.dynamics.messages.this == 1)
    }

    @Test func p22_aReportAskedAtTheVeryInstantOfAStepCountsThatStep() throws {
        let m = try Month()
        let a = try m.register(21, "2026-11-02T09:00:00+03:00")
        try m.route(a, "roads", "2026-11-02T09:10:00+03:00")
        try m.submit(a, "roads", "2026-11-02T10:00:00+03:00")
        try m.decide(a, "2026-11-02T10:20:00+03:00")
        // The clock stands at the approval's instant.
        let r = try m.report("2026-11")
        #expect(line(r, "review", "curator-centre")?.onTime == 1)
        #expect(line(r, "review", "curator-centre")?.open == 0)
        #expect(line(r, "publish", "curator-centre")?.open == 1)
        #expect(r.quality.approvedAtFirstSubmission == .init(count: 1, of: 1))
    }
}
