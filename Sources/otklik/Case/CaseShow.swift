import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Cases.showAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.showIDHelp.text()))
        var id: String

        func run() throws {
            var ref = CaseRef()
            ref.id = CaseNumber.expand(id)
            let (view, answers) = try global.withClient { client throws(RPCError) in
                let view = try client.call(CasesService.getCase, ref)
                // The author's answers are in the history only: read it when a pause has ended.
                guard global.output == .table,
                    view.assignments.contains(where: { $0.pauses.contains { !$0.to.isEmpty } })
                else { return (view, [String: [(at: String, text: String)]]()) }
                return (view, try authorAnswers(of: view, client))
            }
            global.show(CaseSheet(view: view, authorAnswers: answers), pager: true)
        }

        /// The author's answers to clarification requests, by assignment id, from the case's history.
        private func authorAnswers(of view: CaseView, _ client: RPCClient) throws(RPCError)
            -> [String: [(at: String, text: String)]]
        {
            var answers: [String: [(at: String, text: String)]] = [:]
            var ref = CaseRef()
            ref.id = view.id
            while true {
                let page = try client.call(CasesService.getHistory, ref)
                for entry in page.entries where entry.kind == .authorAnswered {
                    guard let answer = EventDetails(kind: .authorAnswered, json: entry.details).step,
                        let index = answer.assignment
                    else { continue }
                    let text = answer.text ?? ""
                    answers[AssignmentID(caseID: view.id, index: index).description, default: []].append(
                        (entry.time, text.isEmpty ? "-" : text))
                }
                guard page.nextAfter != 0 else { return answers }
                ref.after = page.nextAfter
            }
        }
    }
}
