/// The quality section of clause 22's summary (`MonthlyReport.quality`; counted by `Tally.quality`).
extension MonthlyReport {
    public struct Quality: Sendable, Codable, Equatable {
        public var draftsSubmitted: Int
        public var approvedAtFirstSubmission: Share
        public var returnsByReason: [String: Int]
        /// p.19: replies published with photo or video evidence attached.
        public var repliesWithAttachments: Share
        public var repeats: Int
        /// Repeats counted against the unit that answered the earlier message.
        public var repeatsByUnit: [String: Int]
        public var intermediateToFinalInTime: Share
        /// Assignments closed in the period after the profile's clarification limit passed
        /// without the author's answer.
        public var closedWithoutAnswer: Int = 0
        /// p.19: replies with photo or video, by the unit that answered.
        public var repliesWithAttachmentsByUnit: [String: Share] = [:]
        /// p.19: drafts the curator let through without the evidence the profile asks for.
        public var evidenceWaived: Int = 0
        /// Issue 31: drafts submitted with a finding of the reply-quality check.
        public var draftsFlagged: Int = 0
        /// Issue 31: replies published from a draft with a finding: the curator let it through.
        public var publishedWithFindings: Int = 0
        /// Issue 31: the incidents the period's messages are in (as they stood at its end), and those
        /// messages; p.22's other figures count each message on its own.
        public var incidents: Int = 0
        public var incidentCases: Int = 0

        enum CodingKeys: String, CodingKey {
            case repeats
            case draftsFlagged = "drafts_flagged"
            case publishedWithFindings = "published_with_findings"
            case incidents
            case incidentCases = "incident_cases"
            case repliesWithAttachmentsByUnit = "replies_with_attachments_by_unit"
            case evidenceWaived = "evidence_waived"
            case closedWithoutAnswer = "closed_without_answer"
            case draftsSubmitted = "drafts_submitted"
            case approvedAtFirstSubmission = "approved_at_first_submission"
            case returnsByReason = "returns_by_reason"
            case repliesWithAttachments = "replies_with_attachments"
            case repeatsByUnit = "repeats_by_unit"
            case intermediateToFinalInTime = "intermediate_to_final_in_time"
        }
    }
}
