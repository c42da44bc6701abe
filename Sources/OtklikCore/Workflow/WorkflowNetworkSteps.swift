/// The steps a network's connector brings (issue 29): what the author did with the message there, and
/// the publication of an approved reply through the connector.
extension Workflow {
    /// What the author did with the message in its network; nothing when the case already says so, or
    /// has recorded the change of this `id` (a connector reporting again after a restart records it once,
    /// and an earlier edit read again does not undo a later one).
    static func networkChange(_ state: CaseState, _ change: CaseCommand.NetworkChange, id: String, now: Instant)
        throws(WorkflowError) -> [WorkflowEvent]
    {
        guard id.isEmpty || !(state.networkChangeIDs ?? []).contains(id) else { return [] }
        var events: [WorkflowEvent]
        switch change {
        case .edited(let text):
            let text = try requiredText(text, "text")
            guard text != state.text else { return [] }
            var event = WorkflowEvent(kind: .messageEdited, at: now)
            event.changes = [.init(field: .text, old: state.text, new: text)]
            events = [event]
        case .deleted(let deleter):
            var event = WorkflowEvent(kind: .messageDeleted, at: now)
            event.deletedBy = deleter
            events = state.deletedAt == nil ? [event] : []
        case .restored:
            events = state.deletedAt == nil ? [] : [WorkflowEvent(kind: .messageRestored, at: now)]
        }
        if !id.isEmpty { for index in events.indices { events[index].changeID = id } }
        return events
    }

    /// How many of the network's change ids a case remembers.
    public static let rememberedChanges = 20

    /// p.15 through a connector: the curator hands the approved reply to the connector of the message's
    /// network, which answers the very message it registered. The publish clock runs on.
    static func requestPublication(
        _ state: CaseState, _ index: Int, network: String, now: Instant, by logins: Set<String>
    ) throws(WorkflowError) -> WorkflowEvent {
        let assignment = try active(state, index)
        guard let draft = assignment.drafts.last, draft.decidedAt != nil else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.noApprovedDraft(of: state, assignment))
        }
        try requireOtherParty(draft, logins, state.assignmentID(index), "publish")
        if let request = assignment.publication, request.isWaiting {
            throw WorkflowError(
                .failedPrecondition,
                Refusals.Workflow.publicationAlreadyRequested([
                    "assignment": state.assignmentID(index), "network": request.network,
                ]))
        }
        guard network == state.network else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.publicationNetwork([
                    "case": state.id, "case_network": state.network, "network": network,
                ]))
        }
        guard let connector = NetworkConnector(network: network) else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.noConnector(["network": network]))
        }
        guard let external = state.externalID, external.hasPrefix(connector.externalPrefix) else {
            throw WorkflowError(
                .failedPrecondition,
                Refusals.Workflow.notFromConnector([
                    "case": state.id, "network": network, "prefix": connector.externalPrefix,
                ]))
        }
        var event = WorkflowEvent(kind: .publicationRequested, at: now, assignment: index)
        event.network = network
        return event
    }

    /// The connector could not publish the requested reply: the request ends with why, and the curator
    /// asks again or publishes by hand. The network's words are kept to `failureMessageLimit` characters.
    static func publicationFailed(_ state: CaseState, _ index: Int, _ failure: PublicationFailure, now: Instant)
        throws(WorkflowError) -> WorkflowEvent
    {
        let assignment = try active(state, index)
        guard let request = assignment.publication, request.isWaiting else {
            throw WorkflowError(.failedPrecondition, Refusals.Workflow.noPublicationRequested(of: state, assignment))
        }
        var event = WorkflowEvent(kind: .publicationFailed, at: now, assignment: index)
        event.network = request.network
        var failure = failure
        failure.message = String(failure.message.prefix(failureMessageLimit))
        event.failure = failure
        return event
    }

    /// How much of a network's error message a failed publication keeps.
    public static let failureMessageLimit = 500
}
