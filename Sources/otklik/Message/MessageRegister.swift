import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension MessageCommand {
    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Messages.registerAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Say.Common.networkHelp.text()))
        var network: String
        @Option(help: ArgumentHelp(Say.Common.urlHelp.text())) var url: String
        @Option(help: ArgumentHelp(Say.Common.authorHelp.text())) var author: String
        @Option(help: ArgumentHelp(Say.Messages.textHelp.text())) var text: String?
        @Option(help: ArgumentHelp(Say.Messages.textFileHelp.text()))
        var textFile: String?
        @Option(
            help: ArgumentHelp(
                Say.Common.detectedAtHelp.text()
            )) var detectedAt: String
        @Option(
            help: ArgumentHelp(
                Say.Common.postedAtHelp.text())) var postedAt: String?
        @Option(
            help: ArgumentHelp(
                Say.Messages.externalIDHelp.text()))
        var externalID: String?
        @Option(help: ArgumentHelp(Say.Messages.topicHelp.text())) var topic: [String] = []
        @Option(help: ArgumentHelp(Say.Common.importanceHelp.text()))
        var importance = "normal"
        @Flag(
            help: ArgumentHelp(
                Say.Messages.allowOldHelp.text())
        ) var allowOld = false

        func run() throws {
            var request = RegisterMessageRequest()
            request.allowOld = allowOld
            request.network = networkOption(network) ?? network
            request.url = url
            request.author = author
            request.text = try messageText(text, textFile)
            request.detectedAtUnix = try global.instant(detectedAt, "--detected-at").seconds
            request.postedAtUnix = try postedAt.map { try global.instant($0, "--posted-at").seconds } ?? 0
            request.externalID = externalID ?? ""
            request.topics = topic
            request.importance = try wordOption(importance, "--importance")
            let view = try global.withClient { client throws(RPCError) in
                var view = try client.call(CasesService.registerMessage, request)
                // The answer is the case as stored; its p.18 hints (likely repeats) are read with the case,
                // for the person who registered it. A case they may not read further goes without them.
                var ref = CaseRef()
                ref.id = view.id
                if let read = try? client.call(CasesService.getCase, ref) {
                    view.suggestedRepeats = read.suggestedRepeats
                }
                return view
            }
            global.show(CaseSheet(view: view, includeExisting: true))
        }
    }
}
