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
                    var request = ExportEventsRequest()
                    request.fromSequence = last
                    request.limit = 1000
                    // The details are written as stored: the typed payload would not be read.
                    request.untyped = true
                    var pending = try end.map({ last < $0 }) ?? true ? client.begin(EventsService.export, request) : nil
                    while let answer = pending {
                        let page = try answer.wait()
                        // Up to the newest event when the export began: a busy log does not keep it going.
                        let newest = end ?? page.lastSequence
                        end = newest
                        let events = page.events.filter { $0.sequence <= newest }
                        // The next page is asked for before this one is written: the daemon reads it meanwhile.
                        pending = nil
                        if let next = events.last?.sequence, events.count == page.events.count, next < newest {
                            request.fromSequence = next
                            pending = try client.begin(EventsService.export, request)
                        }
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
