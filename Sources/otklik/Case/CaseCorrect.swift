import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension CaseCommandGroup {
    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Cases.correctAbstract.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Cases.idHelp.text())) var id: String
        @Option(
            help: ArgumentHelp(
                Say.Common.detectedAtHelp.text()
            )) var detectedAt: String?
        @Option(
            help: ArgumentHelp(
                Say.Common.postedAtHelp.text())) var postedAt: String?
        @Option(help: ArgumentHelp(Say.Common.urlHelp.text())) var url: String?
        @Option(help: ArgumentHelp(Say.Common.authorHelp.text())) var author: String?
        @Option(help: ArgumentHelp(Say.Cases.correctNetworkHelp.text())) var network: String?
        @Option(help: ArgumentHelp(Say.Common.importanceHelp.text()))
        var importance: String?
        @OptionGroup var why: StepReason
        @Flag(
            help: ArgumentHelp(
                Say.Cases.allowOldHelp.text())) var allowOld = false
        @OptionGroup var version: ExpectedVersion

        func validate() throws {
            guard
                detectedAt != nil || postedAt != nil || url != nil || author != nil || network != nil
                    || importance != nil
            else {
                throw ValidationError(
                    Say.Cases.nothingToCorrect.text())
            }
        }

        func run() throws {
            var request = CorrectRequest()
            request.caseID = id
            request.detectedAtUnix = try detectedAt.map { try global.instant($0, "--detected-at").seconds } ?? 0
            request.postedAtUnix = try postedAt.map { try global.instant($0, "--posted-at").seconds } ?? 0
            request.url = url ?? ""
            request.author = author ?? ""
            request.network = networkOption(network) ?? ""
            request.importance = try wordOption(importance, "--importance")
            request.reason = why.reason
            request.allowOld = allowOld
            try global.step(CasesService.correct, request, on: id, expectedVersion: version.expectedVersion)
        }
    }
}
