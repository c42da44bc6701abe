/// What staff ask the workflow to do with a case.
public enum CaseCommand: Sendable, Equatable {
    /// A message found in a network (p.5). `detectedAt` is a fact from outside.
    case register(Registration)
    /// p.7, p.17: set topics and importance and route to one or more executors.
    case route(executors: [String], topics: [String: [String]], importance: Importance?)
    /// p.20.
    case reject(reason: RejectionReason, comment: String)
    /// p.18: this message repeats an earlier case.
    case linkRepeat(of: String)
    case changeImportance(Importance)
    /// p.10, p.11, p.14, p.16.
    case submitDraft(
        assignment: Int, kind: DraftKind, text: String, measures: String,
        attachments: DraftAttachmentChange = DraftAttachmentChange())
    /// p.19: the curator waives the profile's evidence rule for the draft in review, with a reason.
    case waiveEvidence(assignment: Int, reason: String)
    /// p.13.
    case approveDraft(assignment: Int)
    case returnDraft(assignment: Int, reason: ReturnReason, comment: String)
    /// p.15. `at` is when the reply went out (a fact), nil for now.
    case publish(assignment: Int, url: String, account: String, at: Instant?)
    /// p.10: the author answered a clarification at `at` (a fact).
    case authorAnswered(assignment: Int, at: Instant, text: String)
    /// p.21: an executor takes the assignment, or it is given to `login`, who then answers for it.
    case take(assignment: Int, login: String)
    case give(assignment: Int, to: String)
    // Corrections (each with a required reason).
    /// Moves an assignment none of whose drafts is approved to another unit.
    case reroute(assignment: Int, to: String, topics: [String], reason: String)
    /// Adds an executor to a routed case (a split made wrong).
    case addExecutor(String, topics: [String], reason: String)
    case cancelAssignment(Int, reason: String)
    /// A message registered by mistake.
    case withdraw(reason: String)
    /// Corrects registration facts; clocks follow the corrected facts.
    case correct(Correction, reason: String)
    /// Opens a closed case again: a done case gets fresh assignments (`executors`, or the units
    /// that answered), a rejected or withdrawn one returns to where it was.
    case reopen(executors: [String], reason: String)
    /// The profile's clarification limit passed without the author's answer (the scheduler).
    case closeWithoutAnswer(assignment: Int)

    /// Registration facts to correct; nil leaves a fact as it is.
    public struct Correction: Sendable, Equatable {
        public var detectedAt: Instant?
        public var postedAt: Instant?
        public var url: String?
        public var author: String?
        public var network: String?
        public var importance: Importance?
        /// Times more than the profile's `max_fact_age_days` before now are taken only with this.
        public var allowOld: Bool

        public init(
            detectedAt: Instant? = nil, postedAt: Instant? = nil, url: String? = nil, author: String? = nil,
            network: String? = nil,
            importance: Importance? = nil, allowOld: Bool = false
        ) {
            self.detectedAt = detectedAt
            self.postedAt = postedAt
            self.url = url
            self.author = author
            self.network = network
            self.importance = importance
            self.allowOld = allowOld
        }
    }

    /// The assignment a command acts on, if any.
    public var assignmentIndex: Int? {
        switch self {
        case .submitDraft(let index, _, _, _, _), .approveDraft(let index), .returnDraft(let index, _, _),
            .waiveEvidence(let index, _),
            .publish(let index, _, _, _),
            .authorAnswered(let index, _, _), .take(let index, _), .give(let index, _), .reroute(let index, _, _, _),
            .cancelAssignment(let index, _), .closeWithoutAnswer(let index):
            index
        default:
            nil
        }
    }

    public struct Registration: Sendable, Equatable {
        public var network: String
        public var url: String
        public var author: String
        public var text: String
        public var detectedAt: Instant
        public var postedAt: Instant?
        public var externalID: String?
        public var topics: [String]
        public var importance: Importance
        /// Times more than the profile's `max_fact_age_days` before now are taken only with this.
        public var allowOld: Bool = false

        public init(
            network: String, url: String, author: String, text: String, detectedAt: Instant, postedAt: Instant? = nil,
            externalID: String? = nil, topics: [String] = [], importance: Importance = .normal, allowOld: Bool = false
        ) {
            self.allowOld = allowOld
            self.network = network
            self.url = url
            self.author = author
            self.text = text
            self.detectedAt = detectedAt
            self.postedAt = postedAt
            self.externalID = externalID
            self.topics = topics
            self.importance = importance
        }
    }
}

/// The workflow as a pure function: `decide` turns a command into events or refuses it; the case
/// is the events applied (`CaseState.applying`). No I/O: `now` and the schedules come in.
public enum Workflow {
    /// Decides `command` on `state` for the caller whose logins are `by` (the OS user's login and
    /// whom they act as; empty for the system): p.5 and p.13 separate who writes a draft from who
    /// approves and publishes it, so the same person never does both.
    public static func decide(
        _ state: CaseState?, _ command: CaseCommand, now: Instant, context: WorkflowContext, by logins: Set<String> = []
    ) throws(WorkflowError) -> [WorkflowEvent] {
        if case .register(let registration) = command {
            guard state == nil else { throw WorkflowError(.failedPrecondition, Refusals.Workflow.alreadyRegistered()) }
            return [try register(registration, now: now, context: context)]
        }
        guard let state else { throw WorkflowError(.notFound, Refusals.Workflow.noSuchCase()) }
        // The state machine first: whether this step may happen in the case's (and the assignment's) state.
        if let refusal = Transitions.refusal(
            of: Transitions.step(of: command), on: state, assignment: command.assignmentIndex)
        {
            throw refusal
        }
        switch command {
        case .register:
            fatalError("handled above")
        case .route(let executors, let topics, let importance):
            return [
                try route(
                    state, executors: executors, topics: topics, importance: importance, now: now, context: context)
            ]
        case .reject(let reason, let comment):
            // p.20 applies whenever the threat is noticed: before routing or after.
            var event = WorkflowEvent(
                kind: .rejected, at: now,
                met: state.status == .new ? [try metRoute(state, now: now, context: context)] : nil)
            event.reason = reason.rawValue
            event.comment = try optionalText(comment, "comment")
            return [event]
        case .linkRepeat(let earlier):
            guard earlier != state.id else { throw WorkflowError(.invalidArgument, Refusals.Workflow.repeatOfItself()) }
            guard state.repeatOf == nil else {
                throw WorkflowError(
                    .failedPrecondition,
                    Refusals.Workflow.alreadyLinked(["case": state.id, "repeat_of": state.repeatOf!]))
            }
            var event = WorkflowEvent(kind: .repeatLinked, at: now)
            event.repeatOf = earlier
            var events = [event]
            // p.18: an approved reply that states no measures goes back to the executor for them.
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
        case .changeImportance(let importance):
            guard importance != state.importance else { return [] }
            var event = WorkflowEvent(kind: .importanceChanged, at: now)
            event.importance = importance
            return [event]
        case .submitDraft(let index, let kind, let text, let measures, let attachments):
            var event = try submit(state, index, kind: kind, text: text, measures: measures, now: now, context: context)
            event.attachments = try files(of: state, index, attachments)
            event.by = logins.sorted()
            return [event]
        case .waiveEvidence(let index, let reason):
            let assignment = try active(state, index)
            guard let draft = assignment.drafts.last, draft.status == .submitted else {
                throw WorkflowError(.failedPrecondition, Refusals.Workflow.noDraftInReview(of: state, assignment))
            }
            guard context.profile.evidence(of: draft, on: assignment, in: state) != nil, !draft.hasPhotoOrVideo else {
                throw WorkflowError(
                    .failedPrecondition, Refusals.Workflow.nothingToWaive(["assignment": state.assignmentID(index)]))
            }
            try requireOtherParty(draft, logins, state.assignmentID(index), "waive")
            guard draft.evidenceWaiver == nil else { return [] }
            var event = WorkflowEvent(kind: .evidenceWaived, at: now, assignment: index)
            event.reason = try requiredText(reason, "reason")
            return [event]
        case .approveDraft(let index), .returnDraft(let index, _, _):
            let assignment = try active(state, index)
            guard let draft = assignment.drafts.last else {
                throw WorkflowError(.failedPrecondition, Refusals.Workflow.noDraftInReview(of: state, assignment))
            }
            try requireOtherParty(
                draft, logins, state.assignmentID(index),
                command == .approveDraft(assignment: index) ? "approve" : "return")
            if case .approveDraft = command, state.repeatOf != nil, draft.kind != .clarification,
                (draft.measures ?? "").isEmpty
            {
                throw WorkflowError(
                    .failedPrecondition,
                    Refusals.Workflow.repeatNeedsMeasuresToApprove(["case": state.id, "repeat_of": state.repeatOf!]))
            }
            // p.19: the profile's evidence rule; the curator may waive it with a reason, never skip it.
            if case .approveDraft = command,
                let evidence = context.profile.evidence(of: draft, on: assignment, in: state),
                evidence.missing
            {
                throw WorkflowError(
                    .failedPrecondition,
                    Refusals.Workflow.evidenceMissing(["topics": evidence.rule.topics.joined(separator: ", ")]))
            }
            let clocks = try CaseClocks.read(state, now: now, context: context)
            let review = clocks.drafts[index]?.last?[.review]
            var event = WorkflowEvent(
                kind: .draftApproved, at: now, assignment: index,
                met: review.map { [.init(clock: .review, due: $0.due)] })
            if case .returnDraft(_, let reason, let comment) = command {
                event.kind = .draftReturned
                event.reason = reason.rawValue
                event.comment = try requiredText(comment, "comment")
            }
            return [event]
        case .publish(let index, let url, let account, let at):
            return [
                try publish(state, index, url: url, account: account, at: at, now: now, context: context, by: logins)
            ]
        case .take(let index, let login), .give(let index, let login):
            let assignment = try active(state, index)
            guard isLogin(login) else {
                throw WorkflowError(.invalidArgument, Refusals.Workflow.notALogin(["login": login]))
            }
            guard assignment.responsible != login else { return [] }
            var event = WorkflowEvent(
                kind: command == .take(assignment: index, login: login) ? .assignmentTaken : .assignmentGiven,
                at: now, assignment: index)
            event.login = login
            return [event]
        case .authorAnswered(let index, let at, let text):
            let assignment = try active(state, index)
            // An assignment closed without an answer opens again when the answer comes after all.
            guard let pause = assignment.pauses.last, pause.to == nil else {
                throw WorkflowError(.failedPrecondition, Refusals.Workflow.notWaitingForAuthor(of: state, assignment))
            }
            try checkFact(at, notBefore: pause.from, "author_answer", "clarification_published", now: now)
            var event = WorkflowEvent(kind: .authorAnswered, at: at, assignment: index)
            event.text = try optionalText(text, "text")
            return [event]
        case .reroute(let index, let unit, let topics, let reason):
            return [try reroute(state, index, to: unit, topics: topics, reason: reason, now: now)]
        case .addExecutor(let unit, let topics, let reason):
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
            return [event]
        case .cancelAssignment(let index, let reason):
            let assignment = try active(state, index)
            guard assignment.replies.isEmpty else {
                throw WorkflowError(
                    .failedPrecondition,
                    Refusals.Workflow.publishedCannotBeCancelled(["assignment": state.assignmentID(index)]))
            }
            guard state.assignments.contains(where: { $0.index != index && $0.isLive }) else {
                throw WorkflowError(
                    .failedPrecondition, Refusals.Workflow.onlyAssignment(["assignment": state.assignmentID(index)]))
            }
            var event = WorkflowEvent(kind: .assignmentCancelled, at: now, assignment: index)
            event.reason = try requiredText(reason, "reason")
            return [event]
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

    private static func register(_ r: CaseCommand.Registration, now: Instant, context: WorkflowContext)
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
            try context.calendar(context.profile.route).add(
                r.detectedAt, seconds: Int64(context.profile.route.minutes) * 60)
        }
        return event
    }

    private static func route(
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

    private static func reroute(
        _ state: CaseState, _ index: Int, to unit: String, topics: [String], reason: String, now: Instant
    ) throws(WorkflowError) -> WorkflowEvent {
        let assignment = try active(state, index)
        try checkUnitName(unit)
        guard !assignment.drafts.contains(where: { $0.status == .approved || $0.status == .published }) else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.rerouteNotNow(of: state, assignment))
        }
        guard unit != assignment.executor else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.alreadyTheUnits(["assignment": state.assignmentID(index), "unit": unit]))
        }
        guard !state.assignments.contains(where: { $0.isLive && $0.executor == unit }) else {
            throw WorkflowError(
                .failedPrecondition, Refusals.Workflow.unitAlreadyAssigned(["unit": unit, "case": state.id]))
        }
        var event = WorkflowEvent(kind: .rerouted, at: now, assignment: index)
        event.executor = unit
        let cleaned = try cleanTopics(topics)
        event.topics = cleaned.isEmpty ? nil : cleaned
        event.reason = try requiredText(reason, "reason")
        return event
    }

    private static func correct(
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
            var met: [WorkflowEvent.MetClock] = []
            if let route = state.routeMet {
                var open = corrected
                open.routeMet = nil
                if let due = try CaseClocks.read(open, now: route.at, context: context).route?.due {
                    met.append(.init(clock: .route, due: due))
                }
            }
            for assignment in state.assignments {
                for (kind, record) in [(ClockKind.reply, assignment.replyMet), (.draft, assignment.draftMet)] {
                    guard let record else { continue }
                    var open = corrected
                    if let position = open.assignments.firstIndex(where: { $0.index == assignment.index }) {
                        open.assignments[position].replyMet = nil
                        open.assignments[position].draftMet = nil
                    }
                    if let due = try CaseClocks.read(open, now: record.at, context: context).assignments[
                        assignment.index]?[kind]?.due
                    {
                        met.append(.init(clock: kind, due: due, assignment: assignment.index))
                    }
                }
            }
            event.met = met.isEmpty ? nil : met
        }
        return event
    }

    private static func reopen(_ state: CaseState, executors: [String], reason: String, now: Instant)
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

    private static func submit(
        _ state: CaseState, _ index: Int, kind: DraftKind, text: String, measures: String, now: Instant,
        context: WorkflowContext
    ) throws(WorkflowError) -> WorkflowEvent {
        let assignment = try active(state, index)
        let allowed: [DraftKind] =
            assignment.status == .drafting && assignment.intermediatePublishedAt == nil
            ? DraftKind.allCases : [.intermediate, .final, .clarification]
        guard allowed.contains(kind) else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.draftKindNotNow(["draft_kind": kind.rawValue]))
        }
        let measures = measures.trimmingWhitespace
        // p.18: a reply on a repeat message, whatever its kind, states the measures taken or the progress.
        if state.repeatOf != nil, kind != .clarification, measures.isEmpty {
            throw WorkflowError(
                .failedPrecondition,
                Refusals.Workflow.repeatNeedsMeasures(["case": state.id, "repeat_of": state.repeatOf!]))
        }
        let clocks = try CaseClocks.read(state, now: now, context: context)
        var met: [WorkflowEvent.MetClock] = []
        if assignment.draftMet == nil, let draft = clocks.assignments[index]?[.draft], draft.metAt == nil,
            assignment.replyMet == nil
        {
            met.append(.init(clock: .draft, due: draft.due))
        }
        if let rework = clocks.drafts[index]?.last?[.rework], rework.metAt == nil {
            met.append(.init(clock: .rework, due: rework.due))
        }
        if kind == .final, assignment.finalDraftMet == nil, let final = clocks.assignments[index]?[.finalDraft] {
            met.append(.init(clock: .finalDraft, due: final.due))
        }
        var event = WorkflowEvent(kind: .draftSubmitted, at: now, assignment: index, met: met)
        event.draftKind = kind
        event.text = try requiredText(text, "text")
        event.measures = measures.isEmpty ? nil : try requiredText(measures, "measures")
        return event
    }

    /// p.19: the files of a new submission: the returned draft's (a resubmission keeps them) less
    /// `change.detach`, plus `change.attach`; at most 20.
    private static func files(of state: CaseState, _ index: Int, _ change: DraftAttachmentChange)
        throws(WorkflowError) -> [DraftAttachment]?
    {
        let assignment = try active(state, index)
        var files: [DraftAttachment] = []
        if let previous = assignment.drafts.last, previous.status == .returned { files = previous.attachments ?? [] }
        for sha256 in change.detach {
            guard files.contains(where: { $0.sha256 == sha256 }) else {
                throw WorkflowError(
                    .invalidArgument,
                    Refusals.Workflow.notAReturnedFile(["sha256": sha256, "assignment": state.assignmentID(index)]))
            }
            files.removeAll { $0.sha256 == sha256 }
        }
        for file in change.attach where !files.contains(where: { $0.sha256 == file.sha256 }) { files.append(file) }
        guard files.count <= maxDraftFiles else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.tooManyFiles(["max": String(maxDraftFiles), "count": String(files.count)]))
        }
        return files.isEmpty ? nil : files
    }

    /// Files one draft may carry.
    public static let maxDraftFiles = 20

    private static func publish(
        _ state: CaseState, _ index: Int, url: String, account: String, at: Instant?, now: Instant,
        context: WorkflowContext, by logins: Set<String>
    ) throws(WorkflowError) -> WorkflowEvent {
        let assignment = try active(state, index)
        guard let draft = assignment.drafts.last, let approvedAt = draft.decidedAt else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.noApprovedDraft(of: state, assignment))
        }
        try requireOtherParty(draft, logins, state.assignmentID(index), "publish")
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.replyURLScheme())
        }
        // p.15: the reply goes out in the network where the message was, from one of the
        // administration's accounts there (p.4).
        let hosts = context.profile.hosts(of: state.network)
        guard hosts.isEmpty || PostURL.isOn(url, hosts: hosts) else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.replyURLHost([
                    "network": state.network, "hosts": hosts.joined(separator: ", "), "host": PostURL.host(url) ?? url,
                ]))
        }
        guard !account.trimmingWhitespace.isEmpty else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.accountRequired(["network": state.network]))
        }
        let at = at ?? now
        try checkFact(at, notBefore: approvedAt, "publication", "approval", now: now)
        // Clocks as they stood when the reply went out.
        let clocks = try CaseClocks.read(state, now: at, context: context)
        var met: [WorkflowEvent.MetClock] = []
        if let publish = clocks.drafts[index]?.last?[.publish] { met.append(.init(clock: .publish, due: publish.due)) }
        if draft.kind != .clarification, assignment.replyMet == nil, let reply = clocks.assignments[index]?[.reply] {
            met.append(.init(clock: .reply, due: reply.due))
        }
        var event = WorkflowEvent(kind: .replyPublished, at: at, assignment: index, met: met)
        event.url = url
        event.account = account
        return event
    }

    // MARK: Checks

    private static func metRoute(_ state: CaseState, now: Instant, context: WorkflowContext) throws(WorkflowError)
        -> WorkflowEvent.MetClock
    {
        let due = try CaseClocks.read(state, now: now, context: context).route?.due ?? now
        return .init(clock: .route, due: due)
    }

    /// The assignment a step acts on; `Transitions` has already refused a missing or finished one.
    private static func active(_ state: CaseState, _ index: Int) throws(WorkflowError) -> AssignmentState {
        guard let assignment = state.assignment(index) else {
            throw WorkflowError(
                .notFound,
                Refusals.Workflow.assignmentNotFound(["case": state.id, "assignment": state.assignmentID(index)]))
        }
        return assignment
    }

    /// p.5, p.13: whoever submitted a draft (in their own name or standing in) does not decide or publish it.
    private static func requireOtherParty(_ draft: Draft, _ logins: Set<String>, _ assignment: String, _ action: String)
        throws(WorkflowError)
    {
        let writers = Set(draft.submittedBy ?? [])
        if let same = writers.intersection(logins).sorted().first {
            throw WorkflowError(
                .permissionDenied,
                Refusals.Workflow.separationOfDuties(["login": same, "assignment": assignment, "action": action]))
        }
    }

    private static func checkUnitName(_ unit: String) throws(WorkflowError) {
        guard isName(unit) else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.notAUnitName(["unit": unit]))
        }
    }

    /// A post's URL must be on its network's hosts (p.3; `network_hosts` in the profile).
    private static func checkPostURL(_ url: String, network: String, context: WorkflowContext) throws(WorkflowError) {
        let hosts = context.profile.hosts(of: network)
        guard hosts.isEmpty || PostURL.isOn(url, hosts: hosts) else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.postURLHost([
                    "network": network, "hosts": hosts.joined(separator: ", "), "host": PostURL.host(url) ?? url,
                ]))
        }
    }

    /// A time a person typed: not in the future, within the years the production calendar covers,
    /// and not more than the profile's `max_fact_age_days` ago unless confirmed (`allowOld`).
    static func checkEnteredTime(
        _ instant: Instant, _ what: String, allowOld: Bool, now: Instant, context: WorkflowContext
    )
        throws(WorkflowError)
    {
        guard instant <= now else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.timeInFuture(["field": what]))
        }
        let calendar = context.calendar(context.profile.route)
        let covered = calendar.calendar.coveredYears
        let year = (try? calendar.localDate(of: instant).year) ?? 0
        guard covered.contains(year) else {
            let span = covered.isEmpty ? "none" : "\(covered.first!)-\(covered.last!)"
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.yearNotCovered(["field": what, "year": String(year), "covered": span]))
        }
        let days = Int64(context.profile.maxFactAgeDays)
        guard allowOld || now.seconds(since: instant) <= days * 86_400 else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.tooOld([
                    "field": what, "days": String(now.seconds(since: instant) / 86_400), "max_days": String(days),
                ]))
        }
    }

    /// A time given from outside may not lie in the future or before the step it follows.
    private static func checkFact(_ at: Instant, notBefore: Instant, _ what: String, _ previous: String, now: Instant)
        throws(WorkflowError)
    {
        guard at <= now else { throw WorkflowError(.invalidArgument, Refusals.Workflow.timeInFuture(["field": what])) }
        guard at >= notBefore else {
            throw WorkflowError(
                .invalidArgument, Refusals.Workflow.beforePrevious(["field": what, "previous_field": previous]))
        }
    }

    private static func requiredText(_ text: String, _ name: String) throws(WorkflowError) -> String {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.emptyText(["field": name]))
        }
        return trimmed
    }

    private static func optionalText(_ text: String, _ name: String) throws(WorkflowError) -> String? {
        text.trimmingWhitespace.isEmpty ? nil : try requiredText(text, name)
    }

    private static func cleanTopics(_ topics: [String]) throws(WorkflowError) -> [String] {
        var result: [String] = []
        for topic in topics.map(\.trimmingWhitespace) where !topic.isEmpty && !result.contains(topic) {
            guard topic.count <= 100 else {
                throw WorkflowError(
                    .invalidArgument, Refusals.Workflow.topicTooLong(["topic": String(topic.prefix(20))]))
            }
            result.append(topic)
        }
        return result
    }

    /// A staff login: letters, digits, '.', '-', '_'.
    public static func isLogin(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}

extension String {
    var trimmingWhitespace: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
