/// The regulation's vocabulary as closed sets of values.

/// p.7, p.9: `high` means socially significant or needing prompt action.
public enum Importance: String, Sendable, Codable, CaseIterable {
    case normal, high
}

/// p.20: why a message is not processed.
public enum RejectionReason: String, Sendable, Codable, CaseIterable {
    case harm, obscene, insult, threat
}

/// p.10, p.16: what a draft is for.
public enum DraftKind: String, Sendable, Codable, CaseIterable {
    case clarification, intermediate, final
}

/// p.13, p.14: why the curator returned a draft.
public enum ReturnReason: String, Sendable, Codable, CaseIterable {
    case formal
    case noEvidence = "no_evidence"
    case contradictory, incomplete, other
    /// p.18: the case turned out to repeat an earlier one and the reply must state the measures taken
    /// (the system sends an approved draft back with this reason when a repeat is linked).
    case measures
}

/// Facts of a registration a curator may correct (`case correct`), each with its old and new value.
public enum CorrectableField: String, Sendable, Codable, CaseIterable {
    case detectedAt = "detected_at"
    case postedAt = "posted_at"
    case url, author, network, importance
    /// The message's text: only its author changes it, by editing it in the network (`message.edited`).
    case text
}

/// Why a network's connector could not publish a reply (issue 29): the network's answer sorted into
/// what the curator can do about it.
public enum PublicationFailureKind: String, Sendable, Codable, CaseIterable {
    /// The connector's token was refused: the administrator gives it a new one.
    case tokenRefused = "token_refused"
    /// The network does not let this kind of token publish.
    case methodUnavailable = "method_unavailable"
    /// Comments are closed under the post, or the account may not comment there.
    case commentsClosed = "comments_closed"
    /// The message answered is gone (deleted in the network).
    case messageGone = "message_gone"
    /// The network refused the reply itself (too long, not allowed).
    case refused
    /// The network could not be reached before the publish clock's due.
    case unreachable
    /// The connector sent the reply and heard no answer, on a network that would post a repeated call
    /// twice (Telegram): whether it went out is for a person to see.
    case uncertain
}

/// Who deleted a message in its network, as its connector can tell (issue 29; VK's `deleter_id`).
public enum MessageDeleter: String, Sendable, Codable, CaseIterable {
    /// Its author took it back.
    case author
    /// The community's moderators removed it (an administrator of the community, or the community itself).
    case community
}

/// The deadlines of DESIGN section 4.
public enum ClockKind: String, Sendable, Codable, CaseIterable, Comparable {
    case route, reply, draft, review, rework, publish
    case finalDraft = "final_draft"

    /// Declaration order.
    public static func < (lhs: ClockKind, rhs: ClockKind) -> Bool {
        // Safe to unwrap: `allCases` holds every case.
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    /// Registered, not yet routed (the route clock runs).
    case new
    /// Routed to one or more executors.
    case routed
    /// Not processed (p.20); terminal, no clocks.
    case rejected
    /// Every assignment has its final reply published (or was closed without the author's answer).
    case done
    /// Registered by mistake and taken out of the workflow (not a p.20 rejection); its clocks stopped,
    /// never late, counted apart in the report.
    case withdrawn
}

public enum AssignmentStatus: String, Sendable, Codable, CaseIterable {
    /// The executor prepares a draft (first, reworked, or final after an intermediate reply).
    case drafting
    /// A draft waits for the curator.
    case inReview = "in_review"
    /// Approved, waits for publication.
    case approved
    /// A clarification request is published; the clocks are paused until the author answers.
    case waitingAuthor = "waiting_author"
    /// An intermediate reply is published; the final draft is due within the final-draft term.
    case awaitingFinal = "awaiting_final"
    /// The final reply is published.
    case done
    /// Cancelled: the split was made wrong; its clocks stopped, never late.
    case cancelled
    /// Closed after the profile's `clarification_limit` passed without the author's answer; the
    /// answer may still be recorded, which opens it again.
    case noAnswer = "no_answer"
}

/// The state a clock reads as.
public enum ClockState: String, Sendable, Codable {
    case open, met, breached, paused
    /// The case was rejected or withdrawn, or the assignment cancelled or closed without an
    /// answer, before the clock was met or due: it no longer runs and is never late.
    case stopped
}
