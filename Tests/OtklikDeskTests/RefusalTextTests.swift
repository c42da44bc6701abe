import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC
import Testing

/// The daemon's refusals as a reader gets them: Russian under a Russian locale, with no wire word in
/// the sentence, and never a gRPC code name.
@Suite struct RefusalTextTests {
    /// A value for each kind of argument, as the daemon sends it (wire words where it sends them).
    static func sample(_ name: String) -> String {
        switch name {
        case "state": "rejected"
        case "assignment_state": "in_review"
        case "draft_kind": "final"
        case "roles": "admin, executor"
        case "allowed_roles": "curator"
        case "field": "detected_at"
        case "previous_field": "approval"
        case "action": "approve"
        case "kind": "photo"
        case "party", "deputy_party": "administration"
        case "network": "vk"
        case "networks": "vk, ok"
        case "method": "otklik.v1.Cases/Route"
        default: "X1"
        }
    }

    @Test func everyRefusalReadsAsRussianWithoutWireWords() {
        for refusal in Refusals.all {
            var arguments: [String: String] = [:]
            for name in Refusal.placeholders(refusal.english) { arguments[name] = Self.sample(name) }
            let error = RPCError(.failedPrecondition, Refused(refusal, arguments))
            let russian = RefusalText.sentence(error, in: .russian)
            #expect(RussianLines.wireWords(in: russian).isEmpty, "\(refusal.reason): \(russian)")
            #expect(!russian.contains("{") && !russian.contains("FAILED_PRECONDITION"), "\(russian)")
            #expect(RefusalText.sentence(error, in: .english) == error.message)
        }
    }

    @Test func argumentsAreSpokenAndCallsAreCommands() {
        let refused = Refusals.Callers.notPermitted([
            "login": "root", "roles": "admin", "method": "otklik.v1.Cases/RegisterMessage", "allowed_roles": "curator",
        ])
        #expect(
            RefusalText.sentence(RPCError(.permissionDenied, refused), in: .russian)
                == "у root (роли: администратор) нет права на `otklik message register`; это делает: куратор")
        let rejected = RPCError(
            .failedPrecondition, Refusals.Workflow.cannotBeRouted(["case": "2026-000001", "state": "done"]))
        #expect(
            RefusalText.sentence(rejected, in: .russian) == "дело 2026-000001: завершено; направить его сейчас нельзя")
        // A refusal found at a line of an imported file says which.
        let line = RPCError(.invalidArgument, Refusals.Directory.roleRequired()).atLine(7)
        #expect(line.message == "line 7: give at least one role")
        #expect(RefusalText.sentence(line, in: .russian) == "строка 7: укажите хотя бы одну роль")
    }

    @Test func withoutAReasonTheCodeIsSaidInWords() {
        let transport = RPCError(.unavailable, "the daemon is shutting down")
        #expect(RefusalText.sentence(transport, in: .russian) == "демон недоступен (`the daemon is shutting down`)")
        #expect(
            RefusalText.sentence(transport, in: .english) == "the daemon is unavailable: the daemon is shutting down")
        for code in StatusCode.allCases {
            let text = RefusalText.byCode(code, in: .russian)
            #expect(!text.contains(code.description) && !text.isEmpty)
        }
    }
}
