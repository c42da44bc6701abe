import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
@testable import OtklikServer
import Testing

/// `Cases/ExportCases` (`otklik export cases`): the rows are what the case views say, page by page, in
/// the list's order, within the caller's reach; only how they are built differs.
@Suite struct ExportCasesTests {
    /// The demo's cases (new, routed, drafted, returned, published, rejected) on a clock that stands still.
    final class Demo {
        let daemon: Daemon

        init() throws {
            let directory = privateDirectory()
            var configuration = DaemonConfiguration(
                socketPath: directory + "/s.sock", dataDirectory: directory + "/data")
            configuration.logger = .silent
            configuration.demo = true
            configuration.testClockStart = Instant(iso: "2026-12-03T15:00:00+03:00")
            daemon = try Daemon(configuration)
            try daemon.start()
        }

        deinit { daemon.stop() }

        func client(as login: String) throws -> RPCClient {
            var options = RPCClient.Options()
            options.defaultMetadata = [MetadataEntry("otklik-as", login)]
            return try RPCClient(socketPath: daemon.configuration.socketPath, options: options)
        }
    }

    /// Every page of a list, then every page of the export, `limit` at a time.
    static func both(_ client: RPCClient, from: Int64 = 0, to: Int64 = 0, limit: UInt32) throws -> (
        views: [CaseView], rows: [CaseRow]
    ) {
        var list = ListCasesRequest()
        (list.fromUnix, list.toUnix, list.limit) = (from, to, limit)
        var views: [CaseView] = []
        while true {
            let page = try client.call(CasesService.listCases, list)
            views += page.cases
            guard !page.nextAfter.isEmpty else { break }
            list.after = page.nextAfter
        }
        var export = ExportCasesRequest()
        (export.fromUnix, export.toUnix, export.limit) = (from, to, limit)
        var rows: [CaseRow] = []
        while true {
            let page = try client.call(CasesService.exportCases, export)
            #expect(page.cases.count <= Int(limit))
            rows += page.cases
            guard !page.nextAfter.isEmpty else { break }
            export.after = page.nextAfter
        }
        return (views, rows)
    }

    /// A row says of its case exactly what the case's view says, field by field: the row the CLI makes
    /// of a view for a daemon older than ExportCases (`CaseRow(view:)`) is the daemon's own.
    static func expectSame(_ row: CaseRow, _ view: CaseView) {
        #expect(row == CaseRow(view: view), "\(view.id)")
        // The mapping itself leaves nothing out that the export shows.
        #expect(row.assignments.map(\.clocks) == view.assignments.map(\.clocks) && row.route == view.route)
    }

    @Test func eachRowIsItsCaseViewInTheListsOrder() throws {
        let demo = try Demo()
        let curator = try demo.client(as: "curator.petrova")
        defer { curator.close() }
        // Pages of two: the cursor is the list's.
        var (views, rows) = try Self.both(curator, limit: 2)
        #expect(views.count == 7)
        #expect(rows.map(\.id) == views.map(\.id))
        for (row, view) in zip(rows, views) { Self.expectSame(row, view) }
        // Three days on, the open clocks are past due: late minutes counted up to now, as the view counts them.
        let root = try RPCClient(socketPath: demo.daemon.configuration.socketPath)
        defer { root.close() }
        _ = try root.call(AdminService.advanceClock, AdvanceClockRequest(seconds: 3 * 86_400))
        (views, rows) = try Self.both(curator, limit: 2)
        #expect(rows.map(\.id) == views.map(\.id))
        for (row, view) in zip(rows, views) { Self.expectSame(row, view) }
        // What the demo's cases cover, so that the comparison is not of empty fields.
        #expect(Set(rows.map(\.state)).isSuperset(of: [.new, .routed, .rejected]), "\(rows.map(\.state))")
        #expect(rows.contains { $0.assignments.contains { $0.replies > 0 && !$0.publishedAt.isEmpty } })
        #expect(rows.contains { $0.assignments.contains { $0.clocks.contains { $0.state == .breached } } })
        #expect(rows.contains { $0.assignments.count > 1 })
        // A period: the same cases as the list with that period, the bounds read the same way.
        let detected = rows.map { Instant(iso: $0.detectedAt)!.seconds }.sorted()
        let (from, to) = (detected[2], detected[5])
        let period = try Self.both(curator, from: from, to: to, limit: 1000)
        #expect(period.rows.map(\.id) == period.views.map(\.id) && !period.rows.isEmpty)
        #expect(period.rows.allSatisfy { (from..<to).contains(Instant(iso: $0.detectedAt)!.seconds) })
    }

    @Test func anExecutorExportsTheCasesTheirListShows() throws {
        let demo = try Demo()
        let roads = try demo.client(as: "roads.smirnov")
        defer { roads.close() }
        let (views, rows) = try Self.both(roads, limit: 1)
        #expect(!rows.isEmpty && rows.map(\.id) == views.map(\.id))
        #expect(rows.allSatisfy { $0.assignments.contains { $0.executor == "roads" } })
        for (row, view) in zip(rows, views) { Self.expectSame(row, view) }
        // A cursor that is not the list's is refused, as by the list.
        var bad = ExportCasesRequest()
        bad.after = "yesterday"
        #expect(throws: RPCError.self) { try roads.call(CasesService.exportCases, bad) }
    }

    /// The pager keeps an answer within its budget by `sizeBound`: it is never less than the encoding,
    /// for the demo's rows and for a row with every field at its longest.
    @Test func sizeBoundHoldsForAFullRow() throws {
        let demo = try Demo()
        let curator = try demo.client(as: "curator.petrova")
        defer { curator.close() }
        let rows = try Self.both(curator, limit: 1000).rows
        for row in rows { #expect(row.sizeBound >= row.serializedBytes().count, "\(row.id)") }
        var clock = ClockView()
        clock.kind = .publish
        (clock.dueUnix, clock.metAtUnix, clock.lateMinutes, clock.leftMinutes) = (.max, .min, .min, .max)
        (clock.due, clock.metAt, clock.schedule) = (
            "2026-12-03T15:00:00+03:00", "-99999-01-01T00:00:00Z", "я" + String(repeating: "ш", count: 300)
        )
        clock.state = .breached
        var assignment = AssignmentRow()
        (assignment.id, assignment.executor, assignment.responsible) = (
            "2026-999999/99", String(repeating: "u", count: 100), "р"
        )
        (assignment.closedAt, assignment.publishedAt) = (clock.due, clock.due)
        assignment.topics = Array(repeating: String(repeating: "т", count: 50), count: 20)
        (assignment.state, assignment.replies) = (.done, .max)
        assignment.clocks = Array(repeating: clock, count: 6)
        var row = CaseRow()
        (row.id, row.detectedAt, row.postedAt, row.network) = ("2026-999999", clock.due, clock.due, "telegram")
        (row.url, row.author) = (String(repeating: "x", count: 2048), String(repeating: "а", count: 256))
        (row.repeatOf, row.withdrawalReason, row.clocksError) = (
            "2026-000001", String(repeating: "w", count: 4096), "e"
        )
        row.topics = assignment.topics
        (row.importance, row.state, row.rejectionReason) = (.high, .rejected, .obscene)
        row.route = clock
        row.assignments = Array(repeating: assignment, count: 30)
        #expect(row.sizeBound >= row.serializedBytes().count)
    }
}
