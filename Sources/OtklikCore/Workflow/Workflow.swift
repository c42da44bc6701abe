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
    case submitDraft(assignment: Int, kind: DraftKind, text: String, measures: String)
    /// p.13.
    case approveDraft(assignment: Int)
    case returnDraft(assignment: Int, reason: ReturnReason, comment: String)
    /// p.15. `at` is when the reply went out (a fact), nil for now.
    case publish(assignment: Int, url: String, account: String, at: Int64?)
    /// p.10: the author answered a clarification at `at` (a fact).
    case authorAnswered(assignment: Int, at: Int64, text: String)
    /// p.21: an executor takes the assignment, or it is given to `login`, who then answers for it.
    case take(assignment: Int, login: String)
    case give(assignment: Int, to: String)

    /// The assignment a command acts on, if any.
    public var assignmentIndex: Int? {
        switch self {
        case .submitDraft(let index, _, _, _), .approveDraft(let index), .returnDraft(let index, _, _), .publish(let index, _, _, _),
             .authorAnswered(let index, _, _), .take(let index, _), .give(let index, _):
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
        public var detectedAt: Int64
        public var postedAt: Int64?
        public var externalID: String?
        public var topics: [String]
        public var importance: Importance

        public init(network: String, url: String, author: String, text: String, detectedAt: Int64, postedAt: Int64? = nil,
                    externalID: String? = nil, topics: [String] = [], importance: Importance = .normal) {
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
    public static func decide(
        _ state: CaseState?, _ command: CaseCommand, now: Int64, context: WorkflowContext
    ) throws(WorkflowError) -> [WorkflowEvent] {
        if case .register(let registration) = command {
            guard state == nil else { throw WorkflowError(.failedPrecondition, "the case is already registered") }
            return [try register(registration, now: now, context: context)]
        }
        guard let state else { throw WorkflowError(.notFound, "no such case") }
        switch command {
        case .register:
            fatalError("handled above")
        case .route(let executors, let topics, let importance):
            return [try route(state, executors: executors, topics: topics, importance: importance, now: now, context: context)]
        case .reject(let reason, let comment):
            try requireStatus(state, [.new], "reject")
            var event = WorkflowEvent(kind: .rejected, at: now, met: [try metRoute(state, now: now, context: context)])
            event.reason = reason.rawValue
            event.comment = try optionalText(comment, "comment")
            return [event]
        case .linkRepeat(let earlier):
            guard state.status != .rejected else { throw WorkflowError(.failedPrecondition, "case \(state.id) is rejected") }
            guard earlier != state.id else { throw WorkflowError(.invalidArgument, "a case cannot repeat itself") }
            guard state.repeatOf == nil else {
                throw WorkflowError(.failedPrecondition, "case \(state.id) is already linked to \(state.repeatOf!)")
            }
            var event = WorkflowEvent(kind: .repeatLinked, at: now)
            event.repeatOf = earlier
            return [event]
        case .changeImportance(let importance):
            guard state.status == .new || state.status == .routed else {
                throw WorkflowError(.failedPrecondition, "case \(state.id) is \(state.status.rawValue); its importance no longer matters")
            }
            guard importance != state.importance else { return [] }
            var event = WorkflowEvent(kind: .importanceChanged, at: now)
            event.importance = importance
            return [event]
        case .submitDraft(let index, let kind, let text, let measures):
            return [try submit(state, index, kind: kind, text: text, measures: measures, now: now, context: context)]
        case .approveDraft(let index), .returnDraft(let index, _, _):
            let assignment = try active(state, index)
            guard assignment.status == .inReview else {
                throw WorkflowError(.failedPrecondition, "assignment \(state.assignmentID(index)) has no draft waiting for review (it is \(assignment.status.rawValue))")
            }
            let clocks = try CaseClocks.read(state, now: now, context: context)
            let review = clocks.drafts[index]?.last?[.review]
            var event = WorkflowEvent(kind: .draftApproved, at: now, assignment: index, met: review.map { [.init(clock: .review, due: $0.due)] })
            if case .returnDraft(_, let reason, let comment) = command {
                event.kind = .draftReturned
                event.reason = reason.rawValue
                event.comment = try requiredText(comment, "comment")
            }
            return [event]
        case .publish(let index, let url, let account, let at):
            return [try publish(state, index, url: url, account: account, at: at, now: now, context: context)]
        case .take(let index, let login), .give(let index, let login):
            let assignment = try active(state, index)
            guard isLogin(login) else { throw WorkflowError(.invalidArgument, "\"\(login)\" is not a login") }
            guard assignment.responsible != login else { return [] }
            var event = WorkflowEvent(kind: command == .take(assignment: index, login: login) ? .assignmentTaken : .assignmentGiven,
                                      at: now, assignment: index)
            event.login = login
            return [event]
        case .authorAnswered(let index, let at, let text):
            let assignment = try active(state, index)
            guard assignment.status == .waitingAuthor, let pause = assignment.openPause else {
                throw WorkflowError(.failedPrecondition, "assignment \(state.assignmentID(index)) is not waiting for the author (it is \(assignment.status.rawValue))")
            }
            try checkFact(at, notBefore: pause.from, "the author's answer", "the clarification's publication", now: now)
            var event = WorkflowEvent(kind: .authorAnswered, at: at, assignment: index)
            event.text = try optionalText(text, "text")
            return [event]
        }
    }

    /// Applies `events` in order to `state` (nil before registration; `id` names the new case).
    public static func apply(_ events: [WorkflowEvent], to state: CaseState?, id: String) -> CaseState? {
        var current = state
        for event in events {
            current = current.map { $0.applying(event) } ?? (event.kind == .registered ? CaseState(id: id, registered: event) : nil)
        }
        return current
    }

    // MARK: Steps

    private static func register(_ r: CaseCommand.Registration, now: Int64, context: WorkflowContext) throws(WorkflowError) -> WorkflowEvent {
        guard context.profile.networks.contains(r.network) else {
            throw WorkflowError(.invalidArgument, "network \"\(r.network)\" is not one of \(context.profile.networks.joined(separator: ", "))")
        }
        guard r.url.hasPrefix("http://") || r.url.hasPrefix("https://"), r.url.count <= 2000 else {
            throw WorkflowError(.invalidArgument, "the post's URL must start with http:// or https://")
        }
        guard r.detectedAt <= now else { throw WorkflowError(.invalidArgument, "the detection time lies in the future") }
        if let posted = r.postedAt, posted > r.detectedAt {
            throw WorkflowError(.invalidArgument, "the post cannot have been written after it was detected")
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
            try context.calendar(context.profile.route).add(r.detectedAt, seconds: Int64(context.profile.route.minutes) * 60)
        }
        return event
    }

    private static func route(
        _ state: CaseState, executors: [String], topics: [String: [String]], importance: Importance?, now: Int64,
        context: WorkflowContext
    ) throws(WorkflowError) -> WorkflowEvent {
        if state.status == .rejected { throw WorkflowError(.failedPrecondition, "case \(state.id) is rejected and cannot be routed") }
        try requireStatus(state, [.new], "route")
        guard !executors.isEmpty else { throw WorkflowError(.invalidArgument, "name at least one executor") }
        guard Set(executors).count == executors.count else { throw WorkflowError(.invalidArgument, "an executor is named twice") }
        for executor in executors where !isName(executor) {
            throw WorkflowError(.invalidArgument, "\"\(executor)\" is not a unit name (letters, digits, '-', '_')")
        }
        for unit in topics.keys where !executors.contains(unit) {
            throw WorkflowError(.invalidArgument, "topics are given for \(unit), which is not among the executors")
        }
        var event = WorkflowEvent(kind: .routed, at: now, met: [try metRoute(state, now: now, context: context)])
        event.importance = importance
        var assignments: [WorkflowEvent.NewAssignment] = []
        for (offset, executor) in executors.enumerated() {
            assignments.append(.init(index: offset + 1, executor: executor, topics: try cleanTopics(topics[executor] ?? state.topics)))
        }
        event.assignments = assignments
        return event
    }

    private static func submit(
        _ state: CaseState, _ index: Int, kind: DraftKind, text: String, measures: String, now: Int64, context: WorkflowContext
    ) throws(WorkflowError) -> WorkflowEvent {
        let assignment = try active(state, index)
        let allowed: [DraftKind]
        switch assignment.status {
        case .drafting: allowed = assignment.intermediatePublishedAt == nil ? DraftKind.allCases : [.intermediate, .final, .clarification]
        case .awaitingFinal: allowed = [.final, .intermediate, .clarification]
        default:
            throw WorkflowError(.failedPrecondition, "assignment \(state.assignmentID(index)) is \(assignment.status.rawValue); no draft can be submitted now")
        }
        guard allowed.contains(kind) else { throw WorkflowError(.failedPrecondition, "a \(kind.rawValue) draft is not allowed now") }
        let measures = measures.trimmingWhitespace
        if state.repeatOf != nil, kind == .final, measures.isEmpty {
            throw WorkflowError(.failedPrecondition,
                                "case \(state.id) repeats \(state.repeatOf!): its final reply must state the measures taken (p.18); give --measures")
        }
        let clocks = try CaseClocks.read(state, now: now, context: context)
        var met: [WorkflowEvent.MetClock] = []
        if assignment.draftMet == nil, let draft = clocks.assignments[index]?[.draft] { met.append(.init(clock: .draft, due: draft.due)) }
        if let rework = clocks.drafts[index]?.last?[.rework], rework.metAt == nil { met.append(.init(clock: .rework, due: rework.due)) }
        if kind == .final, assignment.finalDraftMet == nil, let final = clocks.assignments[index]?[.finalDraft] {
            met.append(.init(clock: .finalDraft, due: final.due))
        }
        var event = WorkflowEvent(kind: .draftSubmitted, at: now, assignment: index, met: met)
        event.draftKind = kind
        event.text = try requiredText(text, "text")
        event.measures = measures.isEmpty ? nil : try requiredText(measures, "measures")
        return event
    }

    private static func publish(
        _ state: CaseState, _ index: Int, url: String, account: String, at: Int64?, now: Int64, context: WorkflowContext
    ) throws(WorkflowError) -> WorkflowEvent {
        let assignment = try active(state, index)
        guard assignment.status == .approved, let draft = assignment.drafts.last, let approvedAt = draft.decidedAt else {
            throw WorkflowError(.failedPrecondition, "assignment \(state.assignmentID(index)) has no approved draft to publish (it is \(assignment.status.rawValue))")
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw WorkflowError(.invalidArgument, "the published reply's URL must start with http:// or https://")
        }
        let at = at ?? now
        try checkFact(at, notBefore: approvedAt, "the publication", "the draft's approval", now: now)
        // Clocks as they stood when the reply went out.
        let clocks = try CaseClocks.read(state, now: at, context: context)
        var met: [WorkflowEvent.MetClock] = []
        if let publish = clocks.drafts[index]?.last?[.publish] { met.append(.init(clock: .publish, due: publish.due)) }
        if draft.kind != .clarification, assignment.replyMet == nil, let reply = clocks.assignments[index]?[.reply] {
            met.append(.init(clock: .reply, due: reply.due))
        }
        var event = WorkflowEvent(kind: .replyPublished, at: at, assignment: index, met: met)
        event.url = url
        event.account = account.isEmpty ? nil : account
        return event
    }

    // MARK: Checks

    private static func metRoute(_ state: CaseState, now: Int64, context: WorkflowContext) throws(WorkflowError) -> WorkflowEvent.MetClock {
        let due = try CaseClocks.read(state, now: now, context: context).route?.due ?? now
        return .init(clock: .route, due: due)
    }

    private static func requireStatus(_ state: CaseState, _ allowed: [CaseStatus], _ action: String) throws(WorkflowError) {
        guard allowed.contains(state.status) else {
            throw WorkflowError(.failedPrecondition, "case \(state.id) is \(state.status.rawValue); it cannot \(action == "reject" ? "be rejected" : "be routed") now")
        }
    }

    private static func active(_ state: CaseState, _ index: Int) throws(WorkflowError) -> AssignmentState {
        guard let assignment = state.assignment(index) else {
            throw WorkflowError(.notFound, "case \(state.id) has no assignment \(index)")
        }
        guard assignment.status != .done else {
            throw WorkflowError(.failedPrecondition, "assignment \(state.assignmentID(index)) is done; nothing more can be done with it")
        }
        return assignment
    }

    /// A time given from outside may not lie in the future or before the step it follows.
    private static func checkFact(_ at: Int64, notBefore: Int64, _ what: String, _ previous: String, now: Int64) throws(WorkflowError) {
        guard at <= now else { throw WorkflowError(.invalidArgument, "\(what) time lies in the future") }
        guard at >= notBefore else { throw WorkflowError(.invalidArgument, "\(what) cannot come before \(previous)") }
    }

    private static func requiredText(_ text: String, _ name: String) throws(WorkflowError) -> String {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { throw WorkflowError(.invalidArgument, "\(name) is empty") }
        return trimmed
    }

    private static func optionalText(_ text: String, _ name: String) throws(WorkflowError) -> String? {
        text.trimmingWhitespace.isEmpty ? nil : try requiredText(text, name)
    }

    private static func cleanTopics(_ topics: [String]) throws(WorkflowError) -> [String] {
        var result: [String] = []
        for topic in topics.map(\.trimmingWhitespace) where !topic.isEmpty && !result.contains(topic) {
            guard topic.count <= 100 else { throw WorkflowError(.invalidArgument, "topic \"\(topic.prefix(20))...\" is too long") }
            result.append(topic)
        }
        return result
    }

    /// A staff login: letters, digits, '.', '-', '_'.
    public static func isLogin(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
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
