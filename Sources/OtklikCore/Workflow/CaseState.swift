import OtklikBase

/// A case: one message and what has been done with it, as its events add up.
public struct CaseState: Sendable, Codable, Equatable {
    public var id: String
    public var status: CaseStatus
    /// How many events the case has; a mutating call names the version it was made against.
    public var version: Int
    public var network: String
    public var url: String
    public var author: String
    public var text: String
    public var detectedAt: Instant
    public var postedAt: Instant?
    public var externalID: String?
    public var topics: [String]
    public var importance: Importance
    public var repeatOf: String?
    public var routedAt: Instant?
    public var rejectionReason: RejectionReason?
    public var rejectionComment: String?
    public var rejectedAt: Instant?
    public var routeMet: MetRecord?
    public var assignments: [AssignmentState]
    /// Withdrawn as registered by mistake: when and why.
    public var withdrawnAt: Instant?
    public var withdrawalReason: String?
    /// A case reopened before it was ever routed: its route clock starts here, not at detection.
    public var routeStartedAt: Instant?
    /// The network (issue 29): when the author last edited the message, and when it was deleted there
    /// (nil while it stands; a restored message is standing again).
    public var editedAt: Instant?
    public var deletedAt: Instant?
    /// Who deleted it, where the network says.
    public var deletedBy: MessageDeleter?
    /// The network's names of the latest changes recorded (`Workflow.rememberedChanges` of them).
    public var networkChangeIDs: [String]?
    /// Issue 31: the incident the case is in, and since when (its reply published after then cannot
    /// be taken out of it).
    public var incident: Int?
    public var incidentSince: Instant?

    /// The publication a connector has to make now on assignment `index`: its reply approved and handed
    /// over, not failed, the case still open.
    public func waitingPublication(_ index: Int) -> PublicationRequest? {
        guard Transitions.openCase.contains(status) else { return nil }
        return assignment(index)?.waitingPublication
    }

    /// A publication the connector could not make on assignment `index`, waiting for the curator.
    public func failedPublication(_ index: Int) -> PublicationRequest? {
        guard Transitions.openCase.contains(status) else { return nil }
        return assignment(index)?.failedPublication
    }

    /// When its clocks stopped: the rejection or the withdrawal.
    public var stoppedAt: Instant? {
        switch status {
        case .rejected: rejectedAt
        case .withdrawn: withdrawnAt
        case .new, .routed, .done: nil
        }
    }

    /// The units whose assignments ended (answered, or closed without an answer), each once: a done
    /// case reopened without naming units gets a fresh assignment for each.
    public var answeredUnits: [String] {
        assignments.filter { $0.status == .done || $0.status == .noAnswer }.map(\.executor).uniqued()
    }

    /// The topics of the case: those the curator set at routing, else those given at registration.
    public var routedTopics: [String] {
        let routed = assignments.filter(\.isLive).flatMap(\.topics).uniqued()
        return routed.isEmpty ? topics : routed
    }

    /// The case its first event creates.
    public init(id: String, registered event: WorkflowEvent) {
        self.id = id
        status = .new
        version = 1
        network = event.network ?? ""
        url = event.url ?? ""
        author = event.author ?? ""
        text = event.text ?? ""
        detectedAt = event.at
        postedAt = event.postedAt
        externalID = event.externalID
        topics = event.topics ?? []
        importance = event.importance ?? .normal
        assignments = []
    }

    public func assignmentID(_ index: Int) -> String { AssignmentID(caseID: id, index: index).description }

    /// The latest instant any of its steps names (a stand-in for the log time of its newest event
    /// where there is no log, as in generated benchmark data).
    public var lastActivity: Instant {
        var latest = detectedAt
        func note(_ instant: Instant?) { if let instant, instant > latest { latest = instant } }
        for instant in [routedAt, rejectedAt, withdrawnAt, routeStartedAt] { note(instant) }
        for a in assignments {
            for instant in [a.closedAt, a.startedAt, a.handovers?.last?.until] { note(instant) }
            for d in a.drafts { for instant in [d.submittedAt, d.decidedAt, d.sentBackAt] { note(instant) } }
            for r in a.replies { note(r.publishedAt) }
            for p in a.pauses { note(p.to ?? p.from) }
        }
        return latest
    }

    /// When the case left the workflow: rejected, withdrawn, or its last assignment closed.
    public var closedAt: Instant? {
        switch status {
        case .rejected: rejectedAt
        case .withdrawn: withdrawnAt
        case .done:
            assignments.filter { $0.status != .cancelled }
                .compactMap {
                    $0.status == .noAnswer ? $0.closedAt : $0.replies.last(where: { $0.kind == .final })?.publishedAt
                }.max()
        case .new, .routed: nil
        }
    }

    public func assignment(_ index: Int) -> AssignmentState? {
        assignments.first { $0.index == index }
    }

    private func met(_ event: WorkflowEvent, _ clock: ClockKind) -> MetRecord? {
        event.met?.first { $0.clock == clock }.map { MetRecord(due: $0.due, at: event.at) }
    }

    /// Why `event` cannot be applied to this case (a log that does not add up, or a step the state
    /// machine does not take here), or nil when it can.
    public func refusal(of event: WorkflowEvent) -> String? {
        // The steps that add assignments: none may add one the case has.
        if event.kind == .routed || event.kind == .executorAdded || event.kind == .reopened {
            let known = Set(event.kind == .routed ? [] : assignments.map(\.index))
            for added in event.assignments ?? [] where known.contains(added.index) {
                return "it adds assignment \(added.index), which the case has already"
            }
        }
        // The state machine: the step must be one the case (and its assignment) can take now.
        if let refusal = Transitions.refusal(of: event.kind, on: self, assignment: event.assignment) {
            return refusal.message
        }
        return nil
    }

    /// The case after `event`, or why the case cannot take it (`refusal(of:)`): an event is never
    /// ignored. Pure: the same events always give the same case.
    public func applying(_ event: WorkflowEvent) throws(WorkflowError) -> CaseState {
        if let why = refusal(of: event) { throw WorkflowError(.failedPrecondition, why) }
        return applied(event)
    }

    /// The case after `event`, which `refusal(of:)` has let through.
    private func applied(_ event: WorkflowEvent) -> CaseState {
        guard event.kind.isCaseStep else { return self }
        var next = self
        next.version += 1
        switch event.kind {
        case .registered:
            return CaseState(id: id, registered: event)
        case .routed:
            next.status = .routed
            next.routedAt = event.at
            next.routeMet = met(event, .route)
            if let importance = event.importance { next.importance = importance }
            next.assignments = (event.assignments ?? []).map(AssignmentState.init(given:))
            next.topics = next.routedTopics
        case .rejected:
            next.endPublications()
            next.status = .rejected
            next.rejectedAt = event.at
            next.rejectionReason = event.reason.flatMap(RejectionReason.init(rawValue:))
            next.rejectionComment = event.comment
            if next.routeMet == nil { next.routeMet = met(event, .route) }
        case .withdrawn:
            next.status = .withdrawn
            next.withdrawnAt = event.at
            next.withdrawalReason = event.reason
            next.endPublications()
        case .repeatLinked:
            next.repeatOf = event.repeatOf
        case .importanceChanged:
            if let importance = event.importance { next.importance = importance }
        case .corrected:
            next.correct(event)
        case .executorAdded:
            next.assignments += (event.assignments ?? []).map(AssignmentState.init(given:))
            next.topics = next.routedTopics
            next.status = next.statusFromAssignments
        case .reopened:
            next.reopen(event)
        case .messageEdited:
            next.correct(event)
            next.editedAt = event.at
            next.remember(event.changeID)
        case .messageDeleted:
            next.deletedAt = event.at
            next.deletedBy = event.deletedBy
            next.remember(event.changeID)
        case .messageRestored:
            next.deletedAt = nil
            next.deletedBy = nil
            next.remember(event.changeID)
        case .incidentJoined:
            next.incident = event.incident
            next.incidentSince = event.at
        case .incidentLeft:
            next.incident = nil
            next.incidentSince = nil
        case .draftSubmitted, .draftApproved, .draftReturned, .replyPublished, .authorAnswered, .assignmentTaken,
            .assignmentGiven,
            .rerouted, .assignmentCancelled, .draftSentBack, .noAnswer, .evidenceWaived, .publicationRequested,
            .publicationFailed:
            guard let index = event.assignment, let position = next.assignments.firstIndex(where: { $0.index == index })
            else {
                return next
            }
            next.assignments[position] = applying(event, to: next.assignments[position])
            if event.kind == .rerouted || event.kind == .assignmentCancelled { next.topics = next.routedTopics }
            if next.status == .routed || next.status == .done { next.status = next.statusFromAssignments }
        case .clockWarning, .clockBreached, .clockAtRisk, .unitPut, .staffPut, .absenceAdded, .absenceRemoved,
            .accountPut,
            .scheduleChanged,
            .calendarShipped,
            .calendarImported, .daemonStarted, .daemonStopped, .demoSeeded, .attachmentUploaded, .attachmentRemoved,
            .connectorTrouble, .connectorRecovered, .incidentPut:
            break
        }
        return next
    }

    /// `case.corrected`: the facts changed, and the met clocks whose due follows from them re-stated.
    private mutating func correct(_ event: WorkflowEvent) {
        for change in event.changes ?? [] {
            switch change.field {
            case .detectedAt: detectedAt = change.new.flatMap { Int64($0) }.map(Instant.init(seconds:)) ?? detectedAt
            case .postedAt: postedAt = change.new.flatMap { Int64($0) }.map(Instant.init(seconds:))
            case .url: url = change.new ?? url
            case .author: author = change.new ?? author
            case .network: network = change.new ?? network
            case .importance: importance = change.new.flatMap(Importance.init(rawValue:)) ?? importance
            case .text: text = change.new ?? text
            }
        }
        // Met clocks whose due time follows from the facts, re-stated against the corrected ones.
        for restated in event.met ?? [] {
            guard let index = restated.assignment else {
                routeMet?.due = restated.due
                continue
            }
            guard let position = assignments.firstIndex(where: { $0.index == index }) else { continue }
            assignments[position][met: restated.clock]?.due = restated.due
        }
    }

    /// A case leaving the workflow takes its replies back from the connectors: none is posted for it,
    /// and reopening it does not hand one over again by itself.
    private mutating func endPublications() {
        for index in assignments.indices { assignments[index].publication = nil }
    }

    /// Keeps the network's name of a change recorded (the latest `Workflow.rememberedChanges`).
    private mutating func remember(_ id: String?) {
        guard let id, !id.isEmpty else { return }
        networkChangeIDs = Array(((networkChangeIDs ?? []) + [id]).suffix(Workflow.rememberedChanges))
    }

    /// `case.reopened`: a rejection or withdrawal taken back, and a fresh assignment cycle for the units
    /// it names; with none, back to where the case was (routed, or new with a fresh route clock).
    private mutating func reopen(_ event: WorkflowEvent) {
        rejectedAt = nil
        rejectionReason = nil
        rejectionComment = nil
        withdrawnAt = nil
        withdrawalReason = nil
        if let fresh = event.assignments, !fresh.isEmpty {
            assignments += fresh.map(AssignmentState.init(given:))
            status = .routed
        } else if assignments.contains(where: { !$0.isClosed }) {
            status = .routed
        } else {
            // Never routed: a fresh route clock.
            status = .new
            routeMet = nil
            routeStartedAt = event.at
        }
    }

    /// Routed while any live assignment still waits for something; done when all are closed.
    var statusFromAssignments: CaseStatus {
        let live = assignments.filter(\.isLive)
        return !live.isEmpty && live.allSatisfy(\.isClosed) ? .done : .routed
    }

    /// `draft.submitted`: the draft in review, and the draft, final draft or rework clock it meets.
    private func submit(_ event: WorkflowEvent, to a: inout AssignmentState) {
        if let met = met(event, .draft) { a.draftMet = met }
        if let met = met(event, .finalDraft) { a.finalDraftMet = met }
        if let met = met(event, .rework), let returned = a.drafts.lastIndex(where: { $0.status == .returned }) {
            a.drafts[returned].reworkMet = met
        }
        var draft = Draft(
            kind: event.draftKind ?? .final, text: event.text ?? "", measures: event.measures,
            submittedAt: event.at, status: .submitted)
        draft.submittedBy = event.by
        draft.attachments = event.attachments
        draft.findings = event.findings
        draft.incident = event.incident
        draft.incidentDraft = event.incidentDraft
        draft.draftTemplate = event.draftTemplate
        a.drafts.append(draft)
        a.status = .inReview
    }

    /// `reply.published`: the approved draft went out; by its kind the assignment waits for the author
    /// (a pause), for the final reply, or is done.
    private func publish(_ event: WorkflowEvent, on a: inout AssignmentState) {
        guard let last = a.drafts.indices.last else { return }
        a.drafts[last].status = .published
        a.drafts[last].publishMet = met(event, .publish)
        if let met = met(event, .reply) { a.replyMet = met }
        let kind = a.drafts[last].kind
        var reply = Reply(kind: kind, url: event.url ?? "", account: event.account, publishedAt: event.at)
        // p.19: the files that went out are the approved draft's, but for those a connector left out.
        if event.filesLeftOut == true, let files = a.drafts[last].attachments, !files.isEmpty {
            let sent = Set(event.filesSent ?? [])
            reply.attachments = files.map(\.sha256).filter { sent.contains($0) }
            if reply.attachments?.count != files.count { reply.filesLeftOut = true }
        } else {
            reply.attachments = a.drafts[last].attachments?.map(\.sha256)
        }
        a.replies.append(reply)
        a.publication = nil
        switch kind {
        case .clarification:
            a.pauses.append(Pause(from: event.at, to: nil))
            a.status = .waitingAuthor
        case .intermediate:
            a.status = .awaitingFinal
        case .final:
            a.status = .done
        }
    }

    private func applying(_ event: WorkflowEvent, to assignment: AssignmentState) -> AssignmentState {
        var a = assignment
        switch event.kind {
        case .draftSubmitted:
            submit(event, to: &a)
        case .draftApproved, .draftReturned:
            guard let last = a.drafts.indices.last else { return a }
            a.drafts[last].status = event.kind == .draftApproved ? .approved : .returned
            a.drafts[last].decidedAt = event.at
            a.drafts[last].reviewMet = met(event, .review)
            if event.kind == .draftReturned {
                a.drafts[last].returnReason = event.reason.flatMap(ReturnReason.init(rawValue:))
                a.drafts[last].returnComment = event.comment
            }
            a.status = event.kind == .draftApproved ? .approved : .drafting
        case .evidenceWaived:
            guard let last = a.drafts.indices.last else { return a }
            a.drafts[last].evidenceWaiver = EvidenceWaiver(reason: event.reason ?? "", at: event.at)
        case .draftSentBack:
            guard let last = a.drafts.indices.last else { return a }
            a.drafts[last].status = .returned
            a.drafts[last].sentBackAt = event.at
            a.drafts[last].publishMet = met(event, .publish)
            a.drafts[last].returnReason = .measures
            a.drafts[last].returnComment = event.comment
            a.status = .drafting
            a.publication = nil
        case .replyPublished:
            publish(event, on: &a)
        case .authorAnswered:
            if let last = a.pauses.indices.last, a.pauses[last].to == nil { a.pauses[last].to = event.at }
            // p.10, p.11: the draft term runs again from the answer; a draft clock met by the
            // clarification request is kept apart.
            // (After an intermediate reply the reply clock is met and the final draft's term is the one that runs.)
            if a.replyMet == nil, let met = a.draftMet {
                a.earlierDraftMets = (a.earlierDraftMets ?? []) + [met]
                a.draftMet = nil
            }
            a.closedAt = nil
            a.status = .drafting
        case .assignmentTaken, .assignmentGiven:
            a.responsible = event.login
        case .rerouted:
            a.handovers = (a.handovers ?? []) + [Handover(executor: a.executor, until: event.at)]
            a.executor = event.executor ?? a.executor
            if let topics = event.topics, !topics.isEmpty { a.topics = topics }
            a.responsible = nil
        case .assignmentCancelled:
            a.status = .cancelled
            a.closedAt = event.at
        case .noAnswer:
            a.status = .noAnswer
            a.closedAt = event.at
        case .publicationRequested:
            a.publication = PublicationRequest(network: event.network ?? "", requestedAt: event.at)
        case .publicationFailed:
            a.publication?.failure = event.failure
            a.publication?.failedAt = event.at
        // Steps on the case as a whole and events that are not steps never reach here.
        case .registered, .routed, .rejected, .repeatLinked, .importanceChanged, .executorAdded, .withdrawn, .corrected,
            .reopened, .clockWarning, .clockBreached, .clockAtRisk, .unitPut, .staffPut, .absenceAdded, .absenceRemoved,
            .accountPut,
            .scheduleChanged, .calendarShipped, .calendarImported, .daemonStarted, .daemonStopped, .demoSeeded,
            .attachmentUploaded, .attachmentRemoved, .connectorTrouble, .connectorRecovered, .messageEdited,
            .messageDeleted, .messageRestored, .incidentJoined, .incidentLeft, .incidentPut:
            break
        }
        return a
    }
}
