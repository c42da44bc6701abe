/// The steps on a whole case: rejecting it, linking a repeat, its importance, another executor,
/// reopening it and correcting what was recorded.
extension Workflow {
    /// p.20: a message with a threat (or another reason of the list) gets no answer; whenever it is
    /// noticed, before routing or after.
    static func reject(
        _ state: CaseState, reason: RejectionReason, comment: String, now: Instant, context: WorkflowContext
    ) throws(WorkflowError) -> WorkflowEvent {
        var event = WorkflowEvent(
            kind: .rejected, at: now,
            met: state.status == .new ? [try metRoute(state, now: now, context: context)] : nil)
        event.reason = reason.rawValue
        event.comment = try optionalText(comment, "comment")
        return event
    }

    /// p.18: the case repeats an earlier one; an approved reply that states no measures goes back to
    /// the executor for them.
    static func linkRepeat(_ state: CaseState, to earlier: String, now: Instant, context: WorkflowContext)
        throws(WorkflowError) -> [WorkflowEvent]
    {
        guard earlier != state.id else { throw WorkflowError(.invalidArgument, Refusals.Workflow.repeatOfItself()) }
        if let linked = state.repeatOf {
            throw WorkflowError(
                .failedPrecondition, Refusals.Workflow.alreadyLinked(["case": state.id, "repeat_of": linked]))
        }
        var event = WorkflowEvent(kind: .repeatLinked, at: now)
        event.repeatOf = earlier
        var events = [event]
        let clocks = try CaseClocks.read(state, now: now, context: context)
        for assignment in state.assignments where assignment.status == .approved {
            guard let draft = assignment.drafts.last, draft.kind != .clarification, (draft.measures ?? "").isEmpty
            else { continue }
            let publish = clocks.drafts[assignment.index]?.last?[.publish]
            var back = WorkflowEvent(
                kind: .draftSentBack, at: now, assignment: assignment.index,
                met: publish.map { [.init(clock: .publish, due: $0.due)] })
            back.comment = "case \(state.id) repeats \(earlier): the reply must state the measures taken (p.18)"
            events.append(back)
        }
        return events
    }

    /// The curator's importance; the same again records nothing.
    static func changeImportance(_ state: CaseState, to importance: Importance, now: Instant) -> [WorkflowEvent] {
        guard importance != state.importance else { return [] }
        var event = WorkflowEvent(kind: .importanceChanged, at: now)
        event.importance = importance
        return [event]
    }

    /// Another unit joins the case with its own assignment (its topics required, p.7).
    static func addExecutor(_ state: CaseState, unit: String, topics: [String], reason: String, now: Instant)
        throws(WorkflowError) -> WorkflowEvent
    {
        try checkUnitName(unit)
        guard !state.assignments.contains(where: { $0.isLive && $0.executor == unit }) else {
            throw WorkflowError(
                .failedPrecondition, Refusals.Workflow.unitAlreadyAssigned(["unit": unit, "case": state.id]))
        }
        let cleaned = try cleanTopics(topics)
        guard !cleaned.isEmpty else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.unitTopicsRequired(["unit": unit]))
        }
        var event = WorkflowEvent(kind: .executorAdded, at: now)
        event.assignments = [
            .init(index: (state.assignments.map(\.index).max() ?? 0) + 1, executor: unit, topics: cleaned)
        ]
        event.reason = try requiredText(reason, "reason")
        return event
    }

    static func reopen(_ state: CaseState, executors: [String], reason: String, now: Instant)
        throws(WorkflowError) -> WorkflowEvent
    {
        var event = WorkflowEvent(kind: .reopened, at: now)
        event.reason = try requiredText(reason, "reason")
        if state.status == .done {
            // A fresh cycle: the units named, or those whose reply is being redone; clocks from now.
            let units = executors.isEmpty ? state.answeredUnits : executors
            guard Set(units).count == units.count else {
                throw WorkflowError(.invalidArgument, Refusals.Workflow.executorTwice())
            }
            var next = (state.assignments.map(\.index).max() ?? 0) + 1
            var fresh: [WorkflowEvent.NewAssignment] = []
            for unit in units {
                try checkUnitName(unit)
                let topics = state.assignments.last { $0.executor == unit }?.topics ?? state.routedTopics
                guard !topics.isEmpty else {
                    throw WorkflowError(.invalidArgument, Refusals.Workflow.assignmentTopicsRequired(["unit": unit]))
                }
                fresh.append(.init(index: next, executor: unit, topics: topics, startedAt: now))
                next += 1
            }
            guard !fresh.isEmpty else {
                throw WorkflowError(.invalidArgument, Refusals.Workflow.freshCycleExecutors())
            }
            event.assignments = fresh
        } else if !executors.isEmpty {
            throw WorkflowError(
                .invalidArgument, Refusals.Workflow.reopenReturnsWhereItWas(["state": state.status.rawValue]))
        }
        return event
    }

    static func correct(
        _ state: CaseState, _ c: CaseCommand.Correction, reason: String, now: Instant, context: WorkflowContext
    ) throws(WorkflowError) -> WorkflowEvent {
        var changes: [WorkflowEvent.Change] = []
        var corrected = state
        if let detected = c.detectedAt, detected != state.detectedAt {
            try checkEnteredTime(detected, "detected_at", allowOld: c.allowOld, now: now, context: context)
            if let routed = state.routedAt, detected > routed {
                throw WorkflowError(.invalidArgument, Refusals.Workflow.detectedAfterRouted())
            }
            changes.append(
                .init(field: .detectedAt, old: String(state.detectedAt.seconds), new: String(detected.seconds)))
            corrected.detectedAt = detected
        }
        if let posted = c.postedAt, posted != state.postedAt {
            try checkEnteredTime(posted, "posted_at", allowOld: c.allowOld, now: now, context: context)
            changes.append(
                .init(field: .postedAt, old: state.postedAt.map { String($0.seconds) }, new: String(posted.seconds)))
            corrected.postedAt = posted
        }
        if let posted = corrected.postedAt, posted > corrected.detectedAt {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.postedAfterDetected())
        }
        if let network = c.network, network != state.network {
            guard context.profile.networks.contains(network) else {
                throw WorkflowError(
                    .invalidArgument,
                    Refusals.Workflow.unknownNetwork([
                        "network": network, "networks": context.profile.networks.joined(separator: ", "),
                    ]))
            }
            changes.append(.init(field: .network, old: state.network, new: network))
            corrected.network = network
        }
        if let url = c.url, url != state.url {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw WorkflowError(.invalidArgument, Refusals.Workflow.postURLScheme())
            }
            changes.append(.init(field: .url, old: state.url, new: url))
            corrected.url = url
        }
        if c.url != nil || c.network != nil {
            try checkPostURL(corrected.url, network: corrected.network, context: context)
        }
        if let author = c.author {
            let cleaned = try requiredText(author, "author")
            if cleaned != state.author {
                changes.append(.init(field: .author, old: state.author, new: cleaned))
                corrected.author = cleaned
            }
        }
        if let importance = c.importance, importance != state.importance {
            changes.append(.init(field: .importance, old: state.importance.rawValue, new: importance.rawValue))
            corrected.importance = importance
        }
        guard !changes.isEmpty else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.nothingToCorrect())
        }
        var event = WorkflowEvent(kind: .corrected, at: now)
        event.changes = changes
        event.reason = try requiredText(reason, "reason")
        // Met clocks that follow from detection and importance are re-stated against the corrected
        // facts: each as it would have been due when it was met.
        if corrected.detectedAt != state.detectedAt || corrected.importance != state.importance {
            let met = try restated(state, corrected: corrected, context: context)
            event.met = met.isEmpty ? nil : met
        }
        return event
    }

    /// The met clocks of `state` whose due follows from the facts (`ClockSpec.followsFacts`), each
    /// as it would have been due when it was met under the `corrected` facts.
    static func restated(_ state: CaseState, corrected: CaseState, context: WorkflowContext) throws(WorkflowError)
        -> [WorkflowEvent.MetClock]
    {
        var met: [WorkflowEvent.MetClock] = []
        if let route = state.routeMet {
            var open = corrected
            open.routeMet = nil
            if let due = try CaseClocks.read(open, now: route.at, context: context).route?.due {
                met.append(.init(clock: .route, due: due))
            }
        }
        let restated = ClockKind.of(.assignment).filter(\.spec.followsFacts)
        for assignment in state.assignments {
            for kind in restated {
                guard let record = assignment[met: kind] else { continue }
                var open = corrected
                if let position = open.assignments.firstIndex(where: { $0.index == assignment.index }) {
                    for clock in restated { open.assignments[position][met: clock] = nil }
                }
                if let due = try CaseClocks.read(open, now: record.at, context: context).assignments[
                    assignment.index]?[kind]?.due
                {
                    met.append(.init(clock: kind, due: due, assignment: assignment.index))
                }
            }
        }
        return met
    }
}
