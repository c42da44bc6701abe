// The export's row of a case as a full case view says it: what `otklik export cases` writes from a
// daemon older than `Cases/ExportCases`. ExportCasesTests hold it to the daemon's own rows.

extension CaseRow {
    public init(view: CaseView) {
        self.init()
        id = view.id
        detectedAt = view.detectedAt
        postedAt = view.postedAt
        network = view.network
        url = view.url
        author = view.author
        importance = view.importance
        state = view.state
        topics = view.topics
        repeatOf = view.repeatOf
        rejectionReason = view.rejectionReason
        withdrawalReason = view.withdrawalReason
        route = view.route
        clocksError = view.clocksError
        assignments = view.assignments.map { v in
            var a = AssignmentRow()
            a.id = v.id
            a.executor = v.executor
            a.state = v.state
            a.topics = v.topics
            a.responsible = v.responsible
            a.closedAt = v.closedAt
            a.clocks = v.clocks
            a.replies = UInt32(clamping: v.replies.count)
            a.publishedAt = v.replies.last?.publishedAt ?? ""
            return a
        }
    }
}
