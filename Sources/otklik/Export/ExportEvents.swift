import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension ExportCommand {
    /// `otklik export events --from-sequence N`: the event log as JSON lines for a data warehouse, from
    /// after N to the newest event when the export began; the next run resumes where this one ended.
    struct Events: ParsableCommand, PrintsFormats {
        static let configuration = CommandConfiguration(
            abstract: Say.Export.eventsAbstract.text(), discussion: Say.Export.eventsDiscussion.text())
        static let formats: [OutputFormat] = [.table, .json, .jsonl]

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(Say.Export.fromSequenceHelp.text())) var fromSequence: Int64 = 0
        @Option(help: ArgumentHelp(Say.Export.toSequenceHelp.text())) var toSequence: Int64?
        @Option(help: ArgumentHelp(Say.Export.outHelp.text())) var out: String?

        func validate() throws {
            guard fromSequence >= 0, (toSequence ?? 0) >= 0 else {
                throw ValidationError(Say.Export.sequencesAreCounts.text())
            }
        }

        func run() throws {
            let sink = try ExportSink(out)
            var writeFailed = false
            var last = fromSequence
            var written = 0
            do {
                try global.withClient { client throws(RPCError) in
                    var end = toSequence
                    while end.map({ last < $0 }) ?? true {
                        var request = ExportEventsRequest()
                        request.fromSequence = last
                        request.limit = 1000
                        let page = try client.call(EventsService.export, request)
                        // Up to the newest event when the export began: a busy log does not keep it going.
                        let newest = end ?? page.lastSequence
                        end = newest
                        let events = page.events.filter { $0.sequence <= newest }
                        for event in events {
                            do {
                                try sink.line(event.json.rendered)
                            } catch {
                                writeFailed = true
                                throw RPCError(.cancelled, "")
                            }
                            written += 1
                            last = event.sequence
                        }
                        if events.count < page.events.count || page.events.isEmpty { break }
                    }
                }
                try sink.finish()
            } catch {
                sink.abandon()
                // The output, not the daemon, failed: said as an output that cannot be written (73).
                if writeFailed { throw FileFailure.output(out ?? "/dev/stdout") }
                throw error
            }
            Safe.printError(Say.Export.eventsWritten(written, last).text())
        }
    }
}
