import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
import OtklikStore

/// `Cases/ExportCases`, `otklik export cases`'s pages: each case as the export's rows need it, built
/// from its binary projection and its clocks, without the texts, drafts, hints and steps of a case view.
extension CaseServiceHandlers {
    func exportCases(_ context: ServerContext, _ request: ExportCasesRequest) throws(RPCError) -> ExportCasesResponse {
        // limit is bounded (at most 1000) by WireBounds before this runs.
        let limit = request.limit == 0 ? 1000 : Int(request.limit)
        let caller = try context.caller
        let start = try ListPosition(request.after, byDue: false)
        let from = request.fromUnix == 0 ? nil : Instant(seconds: request.fromUnix)
        let to = request.toUnix == 0 ? nil : Instant(seconds: request.toUnix)
        let now = clock.now
        let views = CaseViews(context: try workflowContext(), access: caller.access)
        var response = ExportCasesResponse()
        // The same pages as ListCases with the same period: its order, its cursor, the caller's reach.
        let pager = CasePager<ListPosition>(
            limit: limit,
            read: { position, count throws(RPCError) in
                var after: (detectedAt: Instant, id: String)?
                if case .detected(let at, let id) = position { after = (at, id) }
                do {
                    return try store.exportCases(from: from, to: to, after: after, limit: count).map {
                        ($0, ListPosition($0, nextDue: nil, byDue: false))
                    }
                } catch {
                    logger.error("ExportCases: \(error)")
                    throw RPCError(.internal, Refusals.Requests.failed(["detail": "cases could not be read"]))
                }
            }, readsOn: caller.scope != .all)
        let next = try pager.fill(
            after: start, admits: { Rights.canRead($0, caller.access, scope: caller.scope) },
            take: { state in
                let row = views.row(state, now: now)
                response.cases.append(row)
                assert(row.sizeBound >= row.serializedBytes().count, "CaseRow.sizeBound misses a field")
                return row.sizeBound
            })
        response.nextAfter = next?.text ?? ""
        return response
    }
}

extension CaseViews {
    /// A case as the export writes it: what its columns need, the clocks as a case view shows them.
    func row(_ state: CaseState, now: Instant) -> CaseRow {
        let (clocks, clocksError) = self.clocks(state, now: now)
        var row = CaseRow()
        row.id = state.id
        row.detectedAt = text(state.detectedAt)
        row.postedAt = text(state.postedAt)
        row.network = state.network
        row.url = state.url
        row.author = state.author
        row.importance = Wire.Importance(state.importance)
        row.state = Wire.CaseState(state.status)
        row.topics = state.routedTopics
        row.repeatOf = state.repeatOf ?? ""
        row.rejectionReason = state.rejectionReason.map(Wire.RejectionReason.init) ?? .unspecified
        row.withdrawalReason = state.withdrawalReason ?? ""
        row.route = clocks.route.map { clock($0, now: now) }
        row.clocksError = clocksError
        row.assignments = state.assignments.map { assignment in
            var a = AssignmentRow()
            a.id = state.assignmentID(assignment.index)
            a.executor = assignment.executor
            a.state = Wire.AssignmentState(assignment.status)
            a.topics = assignment.topics
            a.responsible = assignment.responsible ?? ""
            a.closedAt = text(assignment.closedAt)
            a.clocks = assignmentClocks(assignment, clocks: clocks, now: now)
            a.replies = UInt32(clamping: assignment.replies.count)
            a.publishedAt = text(assignment.replies.last?.publishedAt)
            return a
        }
        return row
    }
}

extension CaseRow {
    /// At least the bytes the row takes in an answer, without encoding it (the pager keeps an answer
    /// within its budget by it): each string's bytes and 8 more (its tag and length take at most 5),
    /// each number and enum 11, each message 8; `sizeBoundHoldsForAFullRow` holds it to the encoding.
    var sizeBound: Int {
        func strings(_ values: [String]) -> Int { values.reduce(0) { $0 + $1.utf8.count + 8 } }
        func clock(_ c: ClockView) -> Int { 8 + strings([c.due, c.metAt, c.schedule]) + 6 * 11 }
        let head =
            strings([id, detectedAt, postedAt, network, url, author, repeatOf, withdrawalReason, clocksError])
            + strings(topics) + 3 * 11 + (route.map(clock) ?? 0)
        return assignments.reduce(head) { size, a in
            size + 8 + strings([a.id, a.executor, a.responsible, a.closedAt, a.publishedAt]) + strings(a.topics)
                + 2 * 11 + a.clocks.reduce(0) { $0 + clock($1) }
        }
    }
}
