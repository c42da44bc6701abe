import OtklikAPI
import OtklikCore
import OtklikRPC

/// Turns a case and its clocks into the API's views, times in each schedule's UTC offset.
struct CaseViews {
    let context: WorkflowContext

    private var main: WorkingCalendar { context.calendars[context.profile.reply.schedule]! }

    func text(_ instant: Int64?, in calendar: WorkingCalendar? = nil) -> String {
        guard let instant else { return "" }
        let calendar = calendar ?? main
        return Instant.format(instant, offset: calendar.utcOffset(at: instant))
    }

    func clock(_ reading: ClockReading) -> ClockView {
        let calendar = context.calendars[reading.schedule] ?? main
        var view = ClockView()
        view.kind = reading.kind.rawValue
        view.dueUnix = reading.due
        view.due = text(reading.due, in: calendar)
        view.state = reading.state.rawValue
        view.metAtUnix = reading.metAt ?? 0
        view.metAt = text(reading.metAt, in: calendar)
        view.lateMinutes = reading.lateMinutes
        view.schedule = reading.schedule
        return view
    }

    func view(_ state: CaseState, now: Int64, existing: Bool = false, suggestedRepeats: [String] = []) throws(RPCError) -> CaseView {
        let clocks: CaseClocks
        do {
            clocks = try CaseClocks.read(state, now: now, context: context)
        } catch {
            throw RPCError(.internal, "the clocks of case \(state.id) cannot be computed: \(error.message)")
        }
        var view = CaseView()
        view.id = state.id
        view.state = state.status.rawValue
        view.importance = state.importance.rawValue
        view.detectedAt = text(state.detectedAt)
        view.version = Int64(state.version)
        view.repeatOf = state.repeatOf ?? ""
        view.route = clocks.route.map(clock)
        view.network = state.network
        view.url = state.url
        view.author = state.author
        view.text = state.text
        view.topics = state.topics
        view.postedAt = text(state.postedAt)
        view.externalID = state.externalID ?? ""
        view.rejectionReason = state.rejectionReason?.rawValue ?? ""
        view.rejectionComment = state.rejectionComment ?? ""
        view.existing = existing
        view.suggestedRepeats = suggestedRepeats
        view.hints = Hints.rejectionHints(state.text, markers: context.profile.rejectionMarkers).map(\.rawValue)
        view.assignments = state.assignments.map { assignment in
            var a = AssignmentView()
            a.id = state.assignmentID(assignment.index)
            a.executor = assignment.executor
            a.state = assignment.status.rawValue
            a.topics = assignment.topics
            a.responsible = assignment.responsible ?? ""
            a.clocks = (clocks.assignments[assignment.index] ?? [:]).sorted { $0.key < $1.key }.map { clock($0.value) }
            let cycles = clocks.drafts[assignment.index] ?? []
            a.drafts = assignment.drafts.enumerated().map { position, draft in
                var d = DraftView()
                d.kind = draft.kind.rawValue
                d.state = draft.status.rawValue
                d.submittedAt = text(draft.submittedAt)
                d.decidedAt = text(draft.decidedAt)
                d.returnReason = draft.returnReason?.rawValue ?? ""
                d.returnComment = draft.returnComment ?? ""
                d.text = draft.text
                d.measures = draft.measures ?? ""
                d.clocks = position < cycles.count ? cycles[position].sorted { $0.key < $1.key }.map { clock($0.value) } : []
                return d
            }
            a.replies = assignment.replies.map { reply in
                var r = ReplyView()
                r.kind = reply.kind.rawValue
                r.url = reply.url
                r.account = reply.account ?? ""
                r.publishedAt = text(reply.publishedAt)
                return r
            }
            a.pauses = assignment.pauses.map { pause in
                var p = PauseView()
                p.from = text(pause.from)
                p.to = text(pause.to)
                return p
            }
            return a
        }
        return view
    }
}

extension WorkflowError {
    var rpc: RPCError {
        switch code {
        case .invalidArgument: RPCError(.invalidArgument, message)
        case .failedPrecondition: RPCError(.failedPrecondition, message)
        case .notFound: RPCError(.notFound, message)
        }
    }
}
