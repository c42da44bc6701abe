/// Every refusal people may read from the daemon, one file per area (WorkflowRefusals,
/// AccessRefusals, ...), each with its stable reason and its sentence in English and Russian.
public enum Refusals {
    /// All of them (the CLI finds a reason's sentence here; docs/PROTOCOL.md lists them).
    public static let all: [Refusal] =
        Workflow.all + Callers.all + Requests.all + Cases.all + Attachments.all + Directory.all + Admin.all
        + Incidents.all

    /// The refusal of a reason, nil for one this build does not know (a newer daemon's).
    public static func named(_ reason: String) -> Refusal? { byReason[reason] }

    static let byReason: [String: Refusal] = Dictionary(
        all.map { ($0.reason, $0) }, uniquingKeysWith: { first, _ in first })

    /// The English words of arguments that name a field or a fact by its code (`{field}`,
    /// `{previous_field}`, `{action}`): the status message reads as a sentence. The Russian ones are
    /// the reader's side's (OtklikDesk).
    public static let englishWords: [String: String] = [
        "detected_at": "the detection time", "posted_at": "the posting time", "author": "the author",
        "text": "the text", "reason": "the reason", "comment": "the comment", "measures": "the measures",
        "author_answer": "the author's answer", "clarification_published": "the clarification's publication",
        "publication": "the publication", "approval": "the draft's approval",
        "approve": "approve", "return": "return", "publish": "publish", "waive": "waive the evidence rule for",
    ]
}

extension Refused {
    /// Fields and actions spoken in English (`Refusals.englishWords`), everything else as given.
    static func englishArgument(_ name: String, _ value: String) -> String {
        ["field", "previous_field", "action"].contains(name) ? Refusals.englishWords[value] ?? value : value
    }
}
