import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension GlobalOptions {
    /// The version to send with a mutating call: the one given, or the case's current one.
    func version(of caseID: String, given: Int64?, _ client: RPCClient) throws(RPCError) -> Int64 {
        if let given { return given }
        var ref = CaseRef()
        ref.id = caseID
        return try client.call(CasesService.getCase, ref).version
    }

    /// Runs a step on a case with the version given, or the case's current one, and prints the case.
    @discardableResult
    func step(on caseID: String, expectedVersion: Int64?, _ call: (RPCClient, Int64) throws(RPCError) -> CaseView)
        throws -> CaseView
    {
        let view = try withClient { client throws(RPCError) in
            try call(client, try version(of: caseID, given: expectedVersion, client))
        }
        show(CaseSheet(view: view))
        return view
    }

    /// Sends `request` (its `expected_version` set as `step(on:)` says) and prints the case.
    @discardableResult
    func step<Request: CaseStepRequest>(
        _ method: Method<Request, CaseView>, _ request: Request, on caseID: String, expectedVersion: Int64?
    ) throws -> CaseView {
        var request = request
        return try step(on: caseID, expectedVersion: expectedVersion) { client, version throws(RPCError) in
            request.expectedVersion = version
            return try client.call(method, request)
        }
    }
}

extension GlobalOptions {
    /// Issue 31: after the curator chose a unit for `assignments`, says on stderr which of them the
    /// unit will likely not meet, why, and which units could. A forecast that cannot be read says
    /// nothing: the step is done either way.
    func warnOfRisk(_ assignments: [String]) {
        guard !assignments.isEmpty else { return }
        var request = BoardRequest()
        request.assignmentIds = assignments
        guard
            let answer = try? withClient({ client throws(RPCError) in try client.call(CasesService.board, request) })
        else { return }
        let risky = answer.assignments.filter(\.atRisk)
        guard !risky.isEmpty else { return }
        UnitTitles.learn(self)
        for row in risky {
            Safe.printError(Say.Board.routedAtRisk(row.assignmentID).text())
            Safe.printError("  " + BoardSheet.riskLine(row))
        }
    }
}

/// A request of a step on a case: decided against the case version it names.
protocol CaseStepRequest: ProtoMessage {
    var expectedVersion: Int64 { get set }
}

extension RouteRequest: CaseStepRequest {}
extension RequestPublicationRequest: CaseStepRequest {}
extension RejectRequest: CaseStepRequest {}
extension LinkRepeatRequest: CaseStepRequest {}
extension RerouteRequest: CaseStepRequest {}
extension AddExecutorRequest: CaseStepRequest {}
extension CancelAssignmentRequest: CaseStepRequest {}
extension WithdrawRequest: CaseStepRequest {}
extension CorrectRequest: CaseStepRequest {}
extension ReopenRequest: CaseStepRequest {}
extension AssignmentHolderRequest: CaseStepRequest {}
extension SubmitDraftRequest: CaseStepRequest {}
extension DraftDecisionRequest: CaseStepRequest {}
extension PublishRequest: CaseStepRequest {}
extension AuthorAnswerRequest: CaseStepRequest {}
extension WaiveEvidenceRequest: CaseStepRequest {}
