/// A step the workflow waits for, and whose it is: what `case show` names as the next step and the
/// work queue lists for each person.
public enum StepKind: String, Sendable, Codable, CaseIterable {
    /// Curator: route the message to executors or reject it (p.20).
    case route
    /// Executor: write the draft (first, or again after the author's answer).
    case draft
    /// Executor: rework a returned draft.
    case rework
    /// Executor: the final reply after an intermediate one.
    case finalDraft = "final_draft"
    /// Curator: approve or return the draft.
    case review
    /// Curator: publish the approved reply.
    case publish
    /// Curator: record the author's answer to the clarification request when it comes.
    case authorAnswer = "author_answer"
}

public struct PendingStep: Sendable, Equatable {
    public var kind: StepKind
    /// The assignment's index; nil for routing.
    public var assignment: Int?
    /// Whose step it is: the curator's or the executor's.
    public var role: Role
    /// The executor's unit (every step on an assignment).
    public var unit: String?
    /// Who answers for the assignment (p.21), when taken or given.
    public var responsible: String?
}

public enum WorkQueue {
    /// Assignment statuses whose next step is the curator's, and the executor's (the store reads the
    /// queue's candidates by them).
    public static let curatorStatuses: [AssignmentStatus] = [.inReview, .approved, .waitingAuthor]
    public static let executorStatuses: [AssignmentStatus] = [.drafting, .awaitingFinal]

    /// Every step the case waits for now, routing first, then by assignment.
    public static func pending(_ state: CaseState) -> [PendingStep] {
        switch state.status {
        case .new: return [PendingStep(kind: .route, assignment: nil, role: .curator)]
        case .rejected, .done, .withdrawn: return []
        case .routed: break
        }
        return state.assignments.compactMap { assignment in
            let kind: StepKind
            let role: Role
            switch assignment.status {
            case .drafting:
                kind = assignment.drafts.last?.status == .returned ? .rework : .draft
                role = .executor
            case .awaitingFinal: (kind, role) = (.finalDraft, .executor)
            case .inReview: (kind, role) = (.review, .curator)
            case .approved: (kind, role) = (.publish, .curator)
            case .waitingAuthor: (kind, role) = (.authorAnswer, .curator)
            case .done, .cancelled, .noAnswer: return nil
            }
            return PendingStep(
                kind: kind, assignment: assignment.index, role: role, unit: assignment.executor,
                responsible: assignment.responsible)
        }
    }

    /// Whether `step` waits for the person with `access`: a curator's steps for curators, an
    /// executor's for the assignment's unit and whoever acts for its responsible person.
    public static func waits(_ step: PendingStep, in state: CaseState, for access: Access) -> Bool {
        switch step.role {
        case .curator: return access.holds(.curator)
        // A step is the curator's or its assignment's unit's (`pending` names no other role).
        case .executor, .responsible, .head, .admin, .connector:
            guard access.holds(.executor), let index = step.assignment,
                let assignment = state.assignments.first(where: { $0.index == index })
            else { return false }
            return Rights.canAct(on: assignment, access)
        }
    }

    /// The clock a step is held to: the route clock for routing, else the earliest-due running clock
    /// of its assignment (a paused one does not count); nil when none runs.
    public static func clock(of step: PendingStep, in clocks: CaseClocks) -> ClockReading? {
        guard let index = step.assignment else { return clocks.route.flatMap { $0.isRunning ? $0 : nil } }
        return (clocks.assignments[index] ?? [:]).values.filter { $0.isRunning && $0.state != .paused }
            .min { ($0.due, $0.kind) < ($1.due, $1.kind) }
    }
}
