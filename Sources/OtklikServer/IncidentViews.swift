import OtklikAPI
import OtklikCore
import OtklikRPC

/// An incident as the curator works through it: each case with its post to answer, its assignments'
/// states, the replies published and those waiting to be.
extension CaseServiceHandlers {
    func incidentView(_ incident: Incident, caller: Caller) throws(RPCError) -> IncidentView {
        let views = try views(for: caller)
        let now = clock.now
        var view = IncidentView()
        view.id = UInt32(clamping: incident.id)
        view.title = incident.title
        view.topics = incident.topics
        view.routing = incident.routing.map { route in
            var r = IncidentRoute()
            r.unit = route.unit
            r.topics = route.topics
            return r
        }
        view.createdAt = views.text(incident.createdAt)
        view.createdBy = incident.createdBy
        for state in try incidentStates(incident.id) {
            view.cases += 1
            if state.status == .new || state.status == .routed { view.open += 1 }
            // Cases the caller may not read are counted, not shown.
            guard Rights.canRead(state, caller.access, scope: caller.scope) else { continue }
            let caseView = try views.view(state, now: now)
            var member = IncidentMember()
            member.caseID = state.id
            member.state = caseView.state
            member.network = state.network
            member.url = state.url
            member.author = state.author
            member.detectedAt = caseView.detectedAt
            member.assignments = state.assignments.filter(\.isLive).map { assignment in
                var a = IncidentAssignment()
                a.assignmentID = state.assignmentID(assignment.index)
                a.unit = assignment.executor
                a.state = Wire.AssignmentState(assignment.status)
                a.replyUrl = assignment.replies.last?.url ?? ""
                // Approved and not with a connector now (none asked, or it could not publish): a person's to do.
                let waiting = assignment.publication?.isWaiting == true
                a.toPublish = assignment.status == .approved && !waiting
                a.publishingVia = waiting ? assignment.publication?.network ?? "" : ""
                a.due = caseView.nextSteps.first { $0.assignmentID == a.assignmentID }?.due ?? ""
                return a
            }
            view.members.append(member)
        }
        return view
    }
}
