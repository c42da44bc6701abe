/// The steps on an assignment besides its drafts: rerouting, who answers for it, the author's answer
/// to a clarification, cancelling it.
extension Workflow {
    static func reroute(
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

    /// Who answers for an assignment (p.21): taken by a person of the unit or given by its head; the
    /// same person again records nothing.
    static func responsible(_ state: CaseState, _ index: Int, login: String, taking: Bool, now: Instant)
        throws(WorkflowError) -> [WorkflowEvent]
    {
        let assignment = try active(state, index)
        guard isLogin(login) else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.notALogin(["login": login]))
        }
        guard assignment.responsible != login else { return [] }
        var event = WorkflowEvent(kind: taking ? .assignmentTaken : .assignmentGiven, at: now, assignment: index)
        event.login = login
        return [event]
    }

    /// The author answered a clarification: the assignment's clocks run again (an assignment closed
    /// without an answer opens again when the answer comes after all).
    static func authorAnswered(_ state: CaseState, _ index: Int, at: Instant, text: String, now: Instant)
        throws(WorkflowError) -> WorkflowEvent
    {
        let assignment = try active(state, index)
        guard let pause = assignment.pauses.last, pause.to == nil else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.notWaitingForAuthor(of: state, assignment))
        }
        try checkFact(at, notBefore: pause.from, "author_answer", "clarification_published", now: now)
        var event = WorkflowEvent(kind: .authorAnswered, at: at, assignment: index)
        event.text = try optionalText(text, "text")
        return event
    }

    /// An assignment made by mistake is cancelled, never one with a published reply nor the case's last.
    static func cancelAssignment(_ state: CaseState, _ index: Int, reason: String, now: Instant)
        throws(WorkflowError) -> WorkflowEvent
    {
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
        return event
    }

    /// The assignment a step acts on; `Transitions` has already refused a missing or finished one.
    static func active(_ state: CaseState, _ index: Int) throws(WorkflowError) -> AssignmentState {
        guard let assignment = state.assignment(index) else {
            throw WorkflowError(
                .notFound,
                Refusals.Workflow.assignmentNotFound(["case": state.id, "assignment": state.assignmentID(index)]))
        }
        return assignment
    }
}
