/// The workflow as a pure function: `decide` turns a command into events or refuses it; the case
/// is the events applied (`CaseState.applying`). No I/O: `now` and the schedules come in.
public enum Workflow {
    /// Decides `command` on `state` for the caller whose logins are `by` (the OS user's login and
    /// whom they act as; empty for the system): p.5 and p.13 separate who writes a draft from who
    /// approves and publishes it, so the same person never does both.
    public static func decide(
        _ state: CaseState?, _ command: CaseCommand, now: Instant, context: WorkflowContext, by logins: Set<String> = []
    ) throws(WorkflowError) -> [WorkflowEvent] {
        guard let state else {
            guard case .register(let registration) = command else {
                throw WorkflowError(.notFound, Refusals.Workflow.noSuchCase())
            }
            return [try register(registration, now: now, context: context)]
        }
        if case .register = command {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.alreadyRegistered())
        }
        // The state machine first: whether this step may happen in the case's (and the assignment's) state.
        if let refusal = Transitions.refusal(
            of: Transitions.step(of: command), on: state, assignment: command.assignmentIndex)
        {
            throw refusal
        }
        return try step(state, command, now: now, context: context, by: logins)
    }

    /// The step's own rules, one function each, once the state machine has let it through.
    private static func step(
        _ state: CaseState, _ command: CaseCommand, now: Instant, context: WorkflowContext, by logins: Set<String>
    ) throws(WorkflowError) -> [WorkflowEvent] {
        switch command {
        case .register:
            // `decide` registers only where there is no case: one that exists is registered already.
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.alreadyRegistered())
        case .route(let executors, let topics, let importance):
            return [
                try route(
                    state, executors: executors, topics: topics, importance: importance, now: now, context: context)
            ]
        case .reject(let reason, let comment):
            return [try reject(state, reason: reason, comment: comment, now: now, context: context)]
        case .linkRepeat(let earlier):
            return try linkRepeat(state, to: earlier, now: now, context: context)
        case .changeImportance(let importance):
            return changeImportance(state, to: importance, now: now)
        case .submitDraft(let index, let kind, let text, let measures, let attachments, let copyOf):
            var event = try submit(
                state, index, kind: kind, text: text, measures: measures, copyOf: copyOf, now: now, context: context)
            event.attachments = try files(of: state, index, attachments)
            event.by = logins.sorted()
            return [event]
        case .waiveEvidence(let index, let reason):
            return try waiveEvidence(state, index, reason: reason, now: now, context: context, by: logins)
        case .approveDraft(let index):
            return [try review(state, index, returning: nil, now: now, context: context, by: logins)]
        case .returnDraft(let index, let reason, let comment):
            return [try review(state, index, returning: (reason, comment), now: now, context: context, by: logins)]
        case .publish(let index, let url, let account, let at, let filesLeftOut, let filesSent):
            var event = try publish(
                state, index, url: url, account: account, at: at, now: now, context: context, by: logins)
            if filesLeftOut {
                event.filesLeftOut = true
                // Only the draft's own files are named: the event never carries a stranger's digest.
                let carried = Set(state.assignment(index)?.drafts.last?.attachments?.map(\.sha256) ?? [])
                let sent = filesSent.filter { carried.contains($0) }
                if !sent.isEmpty { event.filesSent = sent }
            }
            return [event]
        case .take(let index, let login):
            return try responsible(state, index, login: login, taking: true, now: now)
        case .give(let index, let login):
            return try responsible(state, index, login: login, taking: false, now: now)
        case .authorAnswered(let index, let at, let text):
            return [try authorAnswered(state, index, at: at, text: text, now: now)]
        case .reroute(let index, let unit, let topics, let reason):
            return [try reroute(state, index, to: unit, topics: topics, reason: reason, now: now)]
        case .addExecutor(let unit, let topics, let reason):
            return [try addExecutor(state, unit: unit, topics: topics, reason: reason, now: now)]
        case .cancelAssignment(let index, let reason):
            return [try cancelAssignment(state, index, reason: reason, now: now)]
        case .withdraw(let reason):
            var event = WorkflowEvent(kind: .withdrawn, at: now)
            event.reason = try requiredText(reason, "reason")
            return [event]
        case .correct(let correction, let reason):
            return [try correct(state, correction, reason: reason, now: now, context: context)]
        case .reopen(let executors, let reason):
            return [try reopen(state, executors: executors, reason: reason, now: now)]
        case .closeWithoutAnswer(let index):
            return [WorkflowEvent(kind: .noAnswer, at: now, assignment: index)]
        case .networkChange(let change, let id):
            return try networkChange(state, change, id: id, now: now)
        case .requestPublication(let index, let network):
            return [try requestPublication(state, index, network: network, now: now, by: logins)]
        case .publicationFailed(let index, let failure):
            return [try publicationFailed(state, index, failure, now: now)]
        case .joinIncident(let incident):
            return try joinIncident(state, incident, now: now)
        case .leaveIncident(let reason):
            return [try leaveIncident(state, reason: reason, now: now)]
        }
    }

    /// Applies `events` in order to `state` (nil before registration; `id` names the new case);
    /// throws for an event the case cannot take.
    public static func apply(_ events: [WorkflowEvent], to state: CaseState?, id: String) throws(WorkflowError)
        -> CaseState?
    {
        var current = state
        for event in events {
            if let state = current {
                current = try state.applying(event)
            } else if event.kind == .registered {
                current = CaseState(id: id, registered: event)
            }
        }
        return current
    }

    // MARK: Steps

    static func register(_ r: CaseCommand.Registration, now: Instant, context: WorkflowContext)
        throws(WorkflowError) -> WorkflowEvent
    {
        guard context.profile.networks.contains(r.network) else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.unknownNetwork([
                    "network": r.network, "networks": context.profile.networks.joined(separator: ", "),
                ]))
        }
        guard r.url.hasPrefix("http://") || r.url.hasPrefix("https://"), r.url.count <= 2000 else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.postURLScheme())
        }
        try checkPostURL(r.url, network: r.network, context: context)
        try checkEnteredTime(r.detectedAt, "detected_at", allowOld: r.allowOld, now: now, context: context)
        if let posted = r.postedAt {
            try checkEnteredTime(posted, "posted_at", allowOld: r.allowOld, now: now, context: context)
            if posted > r.detectedAt {
                throw WorkflowError(.invalidArgument, Refusals.Workflow.postedAfterDetected())
            }
        }
        var event = WorkflowEvent(kind: .registered, at: r.detectedAt)
        event.network = r.network
        event.url = r.url
        event.author = try requiredText(r.author, "author")
        event.text = try requiredText(r.text, "text")
        event.postedAt = r.postedAt
        event.externalID = r.externalID.flatMap { $0.isEmpty ? nil : $0 }
        event.topics = try cleanTopics(r.topics)
        event.importance = r.importance
        // The clocks must be computable from the start.
        _ = try CaseClocks.wrap { () throws(CalendarError) in
            try CaseClocks.termDue(.route, from: r.detectedAt, importance: r.importance, context: context)
        }
        return event
    }

    static func route(
        _ state: CaseState, executors: [String], topics: [String: [String]], importance: Importance?, now: Instant,
        context: WorkflowContext
    ) throws(WorkflowError) -> WorkflowEvent {
        guard !executors.isEmpty else { throw WorkflowError(.invalidArgument, Refusals.Workflow.noExecutor()) }
        guard Set(executors).count == executors.count else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.executorTwice())
        }
        for executor in executors { try checkUnitName(executor) }
        for unit in topics.keys where !executors.contains(unit) {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.topicsForOtherUnit(["unit": unit]))
        }
        var event = WorkflowEvent(kind: .routed, at: now, met: [try metRoute(state, now: now, context: context)])
        event.importance = importance
        var assignments: [WorkflowEvent.NewAssignment] = []
        for (offset, executor) in executors.enumerated() {
            let own = try cleanTopics(topics[executor] ?? state.topics)
            // p.7: the curator sets the topic(s) when routing.
            guard !own.isEmpty else {
                throw WorkflowError(.invalidArgument, Refusals.Workflow.assignmentTopicsRequired(["unit": executor]))
            }
            assignments.append(.init(index: offset + 1, executor: executor, topics: own))
        }
        event.assignments = assignments
        return event
    }

    static func metRoute(_ state: CaseState, now: Instant, context: WorkflowContext) throws(WorkflowError)
        -> WorkflowEvent.MetClock
    {
        let due = try CaseClocks.read(state, now: now, context: context).route?.due ?? now
        return .init(clock: .route, due: due)
    }
}
