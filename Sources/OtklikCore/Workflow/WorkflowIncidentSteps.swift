/// Issue 31: a case joining and leaving an incident.
extension Workflow {
    /// The case joins incident `incident`; joining the one it is in records nothing.
    static func joinIncident(_ state: CaseState, _ incident: Int, now: Instant) throws(WorkflowError)
        -> [WorkflowEvent]
    {
        if let other = state.incident {
            guard other != incident else { return [] }
            throw WorkflowError(
                .failedPrecondition,
                Refusals.Incidents.caseInAnotherIncident(["case": state.id, "other": String(other)]))
        }
        var event = WorkflowEvent(kind: .incidentJoined, at: now)
        event.incident = incident
        return [event]
    }

    /// The case leaves its incident, until its reply (any reply since it joined) went out: what went
    /// out went out as the incident's. Its assignments and drafts stay its own.
    static func leaveIncident(_ state: CaseState, reason: String, now: Instant) throws(WorkflowError) -> WorkflowEvent {
        guard let incident = state.incident else {
            throw WorkflowError(
                .failedPrecondition, Refusals.Incidents.caseNotInIncident(["case": state.id, "incident": "-"]))
        }
        let since = state.incidentSince ?? state.detectedAt
        for assignment in state.assignments {
            for (draft, reply) in zip(assignment.drafts.filter { $0.status == .published }, assignment.replies)
            where draft.incident == incident && reply.publishedAt >= since {
                throw WorkflowError(
                    .failedPrecondition,
                    Refusals.Incidents.incidentReplyPublished(["case": state.id, "url": reply.url]))
            }
        }
        var event = WorkflowEvent(kind: .incidentLeft, at: now)
        event.incident = incident
        event.reason = try optionalText(reason, "reason")
        return event
    }
}
