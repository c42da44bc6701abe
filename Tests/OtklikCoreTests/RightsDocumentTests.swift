import Foundation
import OtklikCore
import Testing

@Suite struct RightsDocumentTests {
    /// docs/RIGHTS.md prints the rights table exactly as the code has it.
    @Test func theDocumentPrintsTheTableInForce() throws {
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/RIGHTS.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        #expect(
            text.contains(Rights.markdown()), "docs/RIGHTS.md is out of date; its table must be:\n\(Rights.markdown())")
    }

    @Test func executorsAreScopedAndAdminsDoNotDoTheWorkflow() throws {
        let executor = Access(login: "e", roles: [.executor], units: ["roads"], actingFor: ["e"])
        let admin = Access(login: "a", roles: [.admin], units: [], actingFor: ["a"])
        #expect(
            Rights.rule(service: "otklik.v1.Replies", method: "SubmitDraft")?.scope(for: executor) == .ownAssignment)
        #expect(Rights.rule(service: "otklik.v1.Cases", method: "GetCase")?.scope(for: executor) == .ownCases)
        #expect(Rights.rule(service: "otklik.v1.Cases", method: "Route")?.scope(for: executor) == nil)
        #expect(Rights.rule(service: "otklik.v1.Replies", method: "SubmitDraft")?.scope(for: admin) == nil)
        #expect(Rights.rule(service: "otklik.v1.Cases", method: "GetCase")?.scope(for: admin) == .all)
    }
}
