import OtklikAPI
import OtklikCore
import OtklikRPC

/// Turns a case and its clocks into the API's views, times in each schedule's UTC offset.
struct CaseViews {
    let context: WorkflowContext
    /// The caller's rights, for `NextStep.yours`; nil: no step is marked (no caller to wait for).
    var access: Access? = nil

    private var main: WorkingCalendar { context.calendar(.reply) }

    func text(_ instant: Instant?, in calendar: WorkingCalendar? = nil) -> String {
        guard let instant else { return "" }
        let calendar = calendar ?? main
        return calendar.text(instant)
    }

    func clock(_ reading: ClockReading, now: Instant) -> ClockView {
        let calendar = context.calendars[reading.schedule] ?? main
        var view = ClockView()
        view.kind = Wire.ClockKind(reading.kind)
        view.dueUnix = reading.due.seconds
        view.due = text(reading.due, in: calendar)
        view.state = Wire.ClockState(reading.state)
        view.metAtUnix = reading.metAt?.seconds ?? 0
        view.metAt = text(reading.metAt, in: calendar)
        view.lateMinutes = reading.lateMinutes
        view.schedule = reading.schedule
        view.leftMinutes = Self.leftMinutes(until: reading.due, of: reading, now: now, in: calendar)
        return view
    }

    /// Working minutes from `now` to `due` while the clock runs and is not yet due, else 0 (a paused
    /// clock's due moves on with the pause: nothing is counted down).
    static func leftMinutes(until due: Instant, of reading: ClockReading, now: Instant, in calendar: WorkingCalendar)
        -> Int64
    {
        guard reading.isRunning, reading.state == .open, now < due else { return 0 }
        return ((try? calendar.workingSeconds(from: now, to: due)) ?? 0) / 60
    }

    /// What the case waits for now, each step with the clock it is held to.
    func nextSteps(_ state: CaseState, clocks: CaseClocks, now: Instant) -> [NextStep] {
        WorkQueue.pending(state).map { step in nextStep(step, in: state, clocks: clocks, now: now) }
    }

    func nextStep(_ step: PendingStep, in state: CaseState, clocks: CaseClocks, now: Instant) -> NextStep {
        var view = NextStep()
        view.kind = Wire.StepKind(step.kind)
        view.assignmentID = step.assignment.map { state.assignmentID($0) } ?? ""
        view.role = Wire.Role(step.role)
        view.unit = step.unit ?? ""
        view.responsible = step.responsible ?? ""
        if let reading = WorkQueue.clock(of: step, in: clocks) {
            let calendar = context.calendars[reading.schedule] ?? main
            view.dueUnix = reading.due.seconds
            view.due = text(reading.due, in: calendar)
            view.leftMinutes = Self.leftMinutes(until: reading.due, of: reading, now: now, in: calendar)
        }
        let running =
            step.assignment.map { (clocks.assignments[$0] ?? [:]).values.map(\.self) }
            ?? [clocks.route].compactMap { $0 }
        let breached = running.filter { $0.isRunning && $0.state == .breached }
        view.overdue = !breached.isEmpty
        view.lateMinutes = breached.map(\.lateMinutes).max() ?? 0
        view.yours = access.map { WorkQueue.waits(step, in: state, for: $0) } ?? false
        if step.kind == .publish, let index = step.assignment, let publication = state.assignment(index)?.publication {
            view.publishingVia = publication.isWaiting ? publication.network : ""
            view.publicationFailed = !publication.isWaiting
        }
        return view
    }

    func view(_ state: CaseState, now: Instant, existing: Bool = false, suggestedRepeats: [String] = [])
        throws(RPCError)
        -> CaseView
    {
        let (clocks, clocksError) = self.clocks(state, now: now)
        var view = CaseView()
        view.clocksError = clocksError
        view.id = state.id
        view.state = Wire.CaseState(state.status)
        view.importance = Wire.Importance(state.importance)
        view.detectedAt = text(state.detectedAt)
        view.version = Int64(state.version)
        view.repeatOf = state.repeatOf ?? ""
        view.route = clocks.route.map { clock($0, now: now) }
        view.network = state.network
        view.url = state.url
        view.author = state.author
        view.text = state.text
        view.topics = state.routedTopics
        view.withdrawalReason = state.withdrawalReason ?? ""
        view.postedAt = text(state.postedAt)
        view.externalID = state.externalID ?? ""
        view.rejectionReason = state.rejectionReason.map(Wire.RejectionReason.init) ?? .unspecified
        view.rejectionComment = state.rejectionComment ?? ""
        view.existing = existing
        view.suggestedRepeats = suggestedRepeats
        view.hints = Hints.rejectionHints(state.text, markers: context.profile.rejectionMarkers).map(
            Wire.RejectionReason.init)
        view.assignments = state.assignments.map { assignmentView($0, of: state, clocks: clocks, now: now) }
        view.nextSteps = nextSteps(state, clocks: clocks, now: now)
        view.editedAt = text(state.editedAt)
        view.deletedAt = text(state.deletedAt)
        view.deletedBy = state.deletedBy.map(Wire.MessageDeleter.init) ?? .unspecified
        view.incident = UInt32(clamping: state.incident ?? 0)
        return view
    }

    /// A case's clocks now, or none and why when they cannot be computed (a due time past the years
    /// the calendar covers): the case is still shown, since nothing stored may make a read fail.
    func clocks(_ state: CaseState, now: Instant) -> (clocks: CaseClocks, error: String) {
        do {
            return (try CaseClocks.read(state, now: now, context: context), "")
        } catch {
            return (.none, error.message)
        }
    }

    /// An assignment's clocks as a case shows them: the latest of each kind that exists, in kind order.
    func assignmentClocks(_ assignment: AssignmentState, clocks: CaseClocks, now: Instant) -> [ClockView] {
        (clocks.assignments[assignment.index] ?? [:]).sorted { $0.key < $1.key }.map { clock($0.value, now: now) }
    }

    /// An assignment as the case shows it: its state, clocks, drafts with their review cycles' clocks,
    /// replies and pauses.
    private func assignmentView(_ assignment: AssignmentState, of state: CaseState, clocks: CaseClocks, now: Instant)
        -> AssignmentView
    {
        var a = AssignmentView()
        a.id = state.assignmentID(assignment.index)
        a.executor = assignment.executor
        a.state = Wire.AssignmentState(assignment.status)
        a.topics = assignment.topics
        a.responsible = assignment.responsible ?? ""
        a.previousExecutors = (assignment.handovers ?? []).map(\.executor)
        a.closedAt = text(assignment.closedAt)
        a.startedAtUnix = assignment.startedAt?.seconds ?? 0
        a.clocks = assignmentClocks(assignment, clocks: clocks, now: now)
        let cycles = clocks.drafts[assignment.index] ?? []
        a.drafts = assignment.drafts.enumerated().map { position, draft in
            var d = draftView(draft, of: assignment, in: state)
            d.clocks =
                position < cycles.count
                ? cycles[position].sorted { $0.key < $1.key }.map { clock($0.value, now: now) } : []
            return d
        }
        a.replies = assignment.replies.map { reply in
            var r = ReplyView()
            r.kind = Wire.DraftKind(reply.kind)
            r.url = reply.url
            r.account = reply.account ?? ""
            r.publishedAt = text(reply.publishedAt)
            r.attachments = reply.attachments ?? []
            r.filesLeftOut = reply.filesLeftOut ?? false
            return r
        }
        if let publication = assignment.publication {
            var p = PublicationView()
            p.network = publication.network
            p.requestedAt = text(publication.requestedAt)
            p.failure = publication.failure.map { Wire.PublicationFailureKind($0.kind) } ?? .unspecified
            p.networkCode = Int32(clamping: publication.failure?.code ?? 0)
            p.networkMessage = publication.failure?.message ?? ""
            p.failedAt = text(publication.failedAt)
            a.publication = p
        }
        a.pauses = assignment.pauses.map { pause in
            var p = PauseView()
            p.from = text(pause.from)
            p.to = text(pause.to)
            return p
        }
        return a
    }

    /// A draft with its files (a photo taken before the message was detected marked) and the evidence
    /// its topics require (p.19); its clocks are the caller's to set.
    private func draftView(_ draft: Draft, of assignment: AssignmentState, in state: CaseState) -> DraftView {
        var d = DraftView()
        d.kind = Wire.DraftKind(draft.kind)
        d.state = Wire.DraftState(draft.status)
        d.submittedAt = text(draft.submittedAt)
        d.decidedAt = text(draft.decidedAt)
        d.returnReason = draft.returnReason.map(Wire.ReturnReason.init) ?? .unspecified
        d.returnComment = draft.returnComment ?? ""
        d.text = draft.text
        d.measures = draft.measures ?? ""
        d.attachments = (draft.attachments ?? []).map { file in
            var f = DraftFileView()
            f.sha256 = file.sha256
            f.name = file.name
            f.kind = file.kind.rawValue
            f.size = file.size
            f.capturedAt = text(file.capturedAt)
            f.takenBeforeMessage = file.takenBefore(state.detectedAt)
            return f
        }
        if let evidence = context.profile.evidence(of: draft, on: assignment, in: state) {
            d.evidenceRule = evidence.rule.topics.joined(separator: ", ")
            d.evidenceMissing = evidence.missing
        }
        d.evidenceWaiver = draft.evidenceWaiver?.reason ?? ""
        d.evidenceWaivedAt = text(draft.evidenceWaiver?.at)
        d.incident = UInt32(clamping: draft.incident ?? 0)
        // A copy names the case whose reply it repeats: only to those who read every case (an executor
        // is told that it is a copy, not of which case, as with a file of another's case).
        let readsEvery = access.map { Rights.Rule(roles: Rights.readers).scope(for: $0) == .all } ?? true
        d.findings = (draft.findings ?? []).map { finding in
            var f = ReplyFindingView()
            f.rule = Wire.QualityRule(finding.rule)
            f.words = finding.rule == .copy && !readsEvery ? [] : finding.words
            return f
        }
        return d
    }

    /// Bytes a case view may take in an answer: well under the 4 MiB frame, so that what is stored
    /// can always be read and a committed step is always answered as committed.
    static let viewBudget = 3 << 20
    /// What a trimmed draft keeps of its text and of its measures.
    static let trimmedBytes = 2048

    /// `view` made to fit `budget`: first the texts of drafts that are not the latest of their
    /// assignment are cut to their first 2 KiB, then every draft's; each cut draft says so
    /// (`text_trimmed`), and GetHistory keeps the whole texts.
    static func fit(_ view: CaseView, budget: Int = viewBudget, trimAll: Bool = false) -> CaseView {
        var view = view
        if trimAll {
            trimDrafts(&view) { _, _ in true }
            return view
        }
        guard view.serializedBytes().count > budget else { return view }
        trimDrafts(&view) { position, count in position < count - 1 }
        guard view.serializedBytes().count > budget else { return view }
        trimDrafts(&view) { _, _ in true }
        return view
    }

    private static func trimDrafts(_ view: inout CaseView, where cut: (Int, Int) -> Bool) {
        for a in view.assignments.indices {
            let count = view.assignments[a].drafts.count
            for d in view.assignments[a].drafts.indices where cut(d, count) {
                var draft = view.assignments[a].drafts[d]
                let text = prefix(draft.text, bytes: trimmedBytes),
                    measures = prefix(draft.measures, bytes: trimmedBytes)
                if text != draft.text || measures != draft.measures {
                    draft.text = text
                    draft.measures = measures
                    draft.textTrimmed = true
                    view.assignments[a].drafts[d] = draft
                }
            }
        }
    }

    /// The longest prefix of `text` within `bytes` of UTF-8, never cutting a character.
    static func prefix(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var end = text.startIndex
        var used = 0
        for index in text.indices {
            let size = text[index].utf8.count
            guard used + size <= bytes else { break }
            used += size
            end = text.index(after: index)
        }
        return String(text[..<end])
    }
}

extension WorkflowError {
    var rpc: RPCError {
        let status: StatusCode =
            switch code {
            case .invalidArgument: .invalidArgument
            case .failedPrecondition: .failedPrecondition
            case .notFound: .notFound
            case .permissionDenied: .permissionDenied
            }
        guard !reason.isEmpty else { return RPCError(status, message) }
        return RPCError(status, message, details: [RPCError.detail(reason: reason, arguments: arguments)])
    }
}
