/// Every kind of event in the log, spelled once: the workflow's steps on a case, the clocks'
/// notices, the directory's and the calendar's changes, and the daemon's own.
public enum EventKind: String, Sendable, Codable, CaseIterable {
    case registered = "case.registered"
    case routed = "case.routed"
    case rejected = "case.rejected"
    case repeatLinked = "case.repeat_linked"
    case importanceChanged = "case.importance_changed"
    case draftSubmitted = "draft.submitted"
    case draftApproved = "draft.approved"
    case draftReturned = "draft.returned"
    case replyPublished = "reply.published"
    case authorAnswered = "author.answered"
    case assignmentTaken = "assignment.taken"
    case assignmentGiven = "assignment.given"
    // Corrections: each names who (the log row), when, and why (`reason`); none rewrites an
    // earlier event.
    /// An assignment moves to another unit (`executor`); its clocks keep the message's term.
    case rerouted = "assignment.rerouted"
    /// Another executor joins a routed case (`assignments` holds the new one).
    case executorAdded = "case.executor_added"
    /// An assignment made by mistake is cancelled; its clocks stop, never late.
    case assignmentCancelled = "assignment.cancelled"
    /// A message registered by mistake leaves the workflow (not a p.20 rejection).
    case withdrawn = "case.withdrawn"
    /// Registration facts corrected: `changes` holds each field's old and new value; `met`
    /// re-states met clocks whose due time follows from the corrected facts.
    case corrected = "case.corrected"
    /// A closed case (done, rejected or withdrawn) opens again; a done case gets fresh
    /// assignments (`assignments`), whose clocks start now.
    case reopened = "case.reopened"
    /// p.18: an approved draft without measures goes back to the executor when the case is found
    /// to repeat an earlier one; the rework clock runs.
    case draftSentBack = "draft.sent_back"
    /// The profile's clarification limit passed without the author's answer.
    case noAnswer = "assignment.no_answer"
    /// p.19: the curator waived the profile's evidence rule for the draft in review (`reason`).
    case evidenceWaived = "draft.evidence_waived"
    // What happened to the message in its network, as a connector saw it (issue 29): recorded on the
    // case, never rewriting an earlier event.
    /// The author edited the message: `changes` holds the text before and after.
    case messageEdited = "message.edited"
    /// The message was deleted in the network; the case stays as it was.
    case messageDeleted = "message.deleted"
    /// A deleted message is back.
    case messageRestored = "message.restored"
    // Publication through a network's connector (p.15, issue 29).
    /// The curator asked the connector of `network` to publish the approved reply; the publish clock
    /// runs until the connector records the publication (`reply.published`) or its failure.
    case publicationRequested = "reply.publication_requested"
    /// The connector could not publish the reply (`failure`); the curator decides what next.
    case publicationFailed = "reply.publication_failed"
    // The connectors (issue 29): one that cannot read its network (or stopped), said once, and its
    // recovery (`ConnectorNotice`).
    case connectorTrouble = "connector.trouble"
    case connectorRecovered = "connector.recovered"
    // Incidents (issue 31): many messages about one problem, answered once.
    /// The curator grouped the case into incident `incident`; its clocks stay its own (p.8 is per message).
    case incidentJoined = "case.incident_joined"
    /// The case left its incident (`reason`, optional) before its reply went out; what it has stays its own.
    case incidentLeft = "case.incident_left"
    /// An incident created or changed (its title, topics, routing): an `Incident`, subject `incident/N`.
    case incidentPut = "incident.put"
    // Clock notices (the scheduler), on a case.
    case clockWarning = "clock.warning"
    case clockBreached = "clock.breached"
    /// Issue 31: an executor's step will likely breach (the breach forecast: nobody at work before the
    /// due, or more work waiting than time left), said once per clock instance to the curators.
    case clockAtRisk = "clock.at_risk"
    // The directory.
    case unitPut = "directory.unit_put"
    case staffPut = "directory.staff_put"
    case absenceAdded = "directory.absence_added"
    /// An absence taken back (`AbsenceRemoval`: the absence and why).
    case absenceRemoved = "directory.absence_removed"
    case accountPut = "directory.account_put"
    // Working time.
    case scheduleChanged = "schedule.changed"
    case calendarShipped = "calendar.shipped"
    case calendarImported = "calendar.imported"
    // The daemon.
    case daemonStarted = "daemon.started"
    case daemonStopped = "daemon.stopped"
    case demoSeeded = "demo.seeded"
    // Attachments (p.19): a file stored, and one never used removed.
    case attachmentUploaded = "attachment.uploaded"
    case attachmentRemoved = "attachment.removed"

    /// A step of the workflow on a case: it changes the case (and its version).
    public var isCaseStep: Bool {
        switch self {
        case .clockWarning, .clockBreached, .clockAtRisk, .unitPut, .staffPut, .absenceAdded, .absenceRemoved,
            .accountPut,
            .scheduleChanged,
            .calendarShipped,
            .calendarImported, .daemonStarted, .daemonStopped, .demoSeeded, .attachmentUploaded, .attachmentRemoved,
            .connectorTrouble, .connectorRecovered, .incidentPut:
            false
        case .registered, .routed, .rejected, .repeatLinked, .importanceChanged, .draftSubmitted, .draftApproved,
            .draftReturned, .replyPublished, .authorAnswered, .assignmentTaken, .assignmentGiven, .rerouted,
            .executorAdded, .assignmentCancelled, .withdrawn, .corrected, .reopened, .draftSentBack, .noAnswer,
            .evidenceWaived, .messageEdited, .messageDeleted, .messageRestored, .publicationRequested,
            .publicationFailed, .incidentJoined, .incidentLeft:
            true
        }
    }
}
