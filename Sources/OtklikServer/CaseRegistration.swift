import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// Registering messages (p.5), one or an imported file's worth: the facts checked at the boundary, each
/// message stored with its first event, an existing post answered as the case it already is.
extension CaseServiceHandlers {
    func register(_ context: ServerContext, _ request: RegisterMessageRequest) throws(RPCError) -> CaseView {
        let caller = try context.caller
        let (actor, onBehalf) = (caller.actor, caller.onBehalf)
        let now = clock.now
        let workflow = try workflowContext()
        let (year, event) = try registration(request, now: now, workflow: workflow, byConnector: caller.isConnector)
        let stored: (state: CaseState, existing: Bool)
        do {
            stored = try store.registerCase(year: year, event: event, actor: actor, onBehalf: onBehalf, now: clock.now)
        } catch {
            logger.error("RegisterMessage: \(error)")
            throw error.rpc("the message could not be stored", dataDirectory: store.directory)
        }
        if !stored.existing { logger.info("case \(stored.state.id) registered by \(describe(actor, onBehalf))") }
        // The case as stored and its clocks, without the p.18 hints (issue 33): those are read with the
        // case (GetCase) and come with the registration's event to whoever watches it live.
        return CaseViews.fit(
            try CaseViews(context: workflow, access: caller.access).view(
                stored.state, now: now, existing: stored.existing))
    }

    /// How far ahead of the daemon's clock a connector's times may be and still be taken (as now): its
    /// machine's clock, or the network's, running ahead. A person's time in the future is refused.
    static let connectorClockSkew: Int64 = 600

    /// The registration event of a message as the workflow decides it, and the year its case number
    /// counts in (of detection, in the routing schedule's zone). `byConnector`: times up to
    /// `connectorClockSkew` ahead of now are taken as now (another machine's clock, not a typo).
    func registration(
        _ request: RegisterMessageRequest, now: Instant, workflow: WorkflowContext, byConnector: Bool = false
    )
        throws(RPCError) -> (year: Int, event: WorkflowEvent)
    {
        func taken(_ seconds: Int64) -> Int64 {
            byConnector && seconds > now.seconds && seconds - now.seconds <= Self.connectorClockSkew
                ? now.seconds : seconds
        }
        let registration = CaseCommand.Registration(
            network: request.network, url: request.url, author: request.author, text: request.text,
            detectedAt: Instant(seconds: taken(request.detectedAtUnix)),
            postedAt: Instant(unix: taken(request.postedAtUnix)),
            externalID: request.externalID.isEmpty ? nil : request.externalID,
            topics: request.topics,
            importance: try request.importance.ifGiven("importance") ?? .normal,
            allowOld: request.allowOld)
        let events: [WorkflowEvent]
        do {
            events = try Workflow.decide(nil, .register(registration), now: now, context: workflow)
        } catch {
            throw error.rpc
        }
        do {
            return (
                try workflow.calendar(.route).localDate(of: registration.detectedAt).year, events[0]
            )
        } catch {
            throw RPCError(.invalidArgument, Refusals.Workflow.clocksNotComputed(["detail": error.description]))
        }
    }

    /// `otklik message import`: every message decided as RegisterMessage decides it; the accepted ones
    /// registered (with `apply`) a hundred per transaction, or looked up (a dry run). A refusal
    /// refuses only its message.
    func importMessages(_ context: ServerContext, _ request: ImportMessagesRequest) throws(RPCError)
        -> ImportMessagesResponse
    {
        let caller = try context.caller
        let now = clock.now
        let workflow = try workflowContext()
        var outcomes = [ImportOutcome](repeating: ImportOutcome(), count: request.messages.count)
        var accepted: [(index: Int, year: Int, event: WorkflowEvent)] = []
        for (index, message) in request.messages.enumerated() {
            do throws(RPCError) {
                let (year, event) = try registration(
                    message, now: now, workflow: workflow, byConnector: caller.isConnector)
                accepted.append((index, year, event))
            } catch {
                outcomes[index].kind = .refused
                outcomes[index].refusal = error.info ?? ErrorInfo()
                outcomes[index].message = error.message
            }
        }
        var response = ImportMessagesResponse()
        response.applied = request.apply
        do throws(StoreError) {
            if request.apply {
                // A transaction per `importTransaction` messages (tens of milliseconds), so a
                // registration or a step of someone else waits for one of them, never for the whole
                // import (issue 25, M7: one transaction of 500 kept a registration waiting 2.4 s).
                var added = 0
                var start = 0
                while start < accepted.count {
                    let part = accepted[start..<min(accepted.count, start + Self.importTransaction)]
                    let stored: [(state: CaseState, existing: Bool)]
                    do throws(StoreError) {
                        stored = try store.registerCases(
                            part.map { ($0.year, $0.event) }, actor: caller.actor, onBehalf: caller.onBehalf,
                            now: clock.now)
                    } catch {
                        // Nothing stored yet: the call is refused and changed nothing. Else what was
                        // stored is answered, and the rest refused with the reason.
                        guard start > 0 else { throw error }
                        logger.error("ImportMessages: \(error) after \(start) messages")
                        let refusal = error.rpc("the messages could not be stored", dataDirectory: store.directory)
                        for entry in accepted[start...] {
                            outcomes[entry.index].kind = .refused
                            outcomes[entry.index].refusal = refusal.info ?? ErrorInfo()
                            outcomes[entry.index].message = refusal.message
                        }
                        break
                    }
                    for (entry, result) in zip(part, stored) {
                        outcomes[entry.index].kind = result.existing ? .existing : .new
                        outcomes[entry.index].caseID = result.state.id
                    }
                    added += stored.filter { !$0.existing }.count
                    start += part.count
                }
                if added > 0 {
                    logger.info("\(added) cases imported by \(describe(caller.actor, caller.onBehalf))")
                }
            } else {
                try dryRun(accepted, into: &outcomes)
            }
        } catch {
            logger.error("ImportMessages: \(error)")
            throw error.rpc("the messages could not be stored", dataDirectory: store.directory)
        }
        response.outcomes = outcomes
        return response
    }

    /// A dry run of an import: what is registered already, and what an earlier message of this request
    /// would register first.
    private func dryRun(
        _ accepted: [(index: Int, year: Int, event: WorkflowEvent)], into outcomes: inout [ImportOutcome]
    ) throws(StoreError) {
        var earlier = Set<String>()
        for entry in accepted {
            let event = entry.event
            let network = event.network ?? "", url = event.url ?? ""
            if let found = try store.findCase(network: network, externalID: event.externalID, url: url) {
                outcomes[entry.index].kind = .existing
                outcomes[entry.index].caseID = found.id
                continue
            }
            let keys = [
                event.externalID.map { "\(network) \($0)" }, "\(network) \(store.urlKey(network, url))",
            ]
            .compactMap { $0 }
            outcomes[entry.index].kind = keys.contains(where: earlier.contains) ? .existing : .new
            earlier.formUnion(keys)
        }
    }
}
