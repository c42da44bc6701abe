import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
import OtklikStore

/// `otklik.v1.Connectors` (issue 29): a network's connector reports what authors did with the
/// messages it registered, takes the replies the curator handed to it, and records their publication
/// or why it failed. It names messages by their external ids and assignments by the ids it was given,
/// never a case's version: each step is taken on the case as it stands.
extension CaseServiceHandlers {
    func registerConnectors(in registry: inout ServiceRegistry) {
        registry.unary(ConnectorsService.recordNetworkChange, placement: .pool) { context, request in
            try recordNetworkChange(context, request)
        }
        registry.unary(ConnectorsService.pendingPublications, placement: .pool) { _, request in
            try pendingPublications(request)
        }
        registry.unary(ConnectorsService.claimPublication, placement: .pool) { _, request in
            let (caseID, index) = try assignment(request.assignmentID)
            let claimed = AssignmentID(caseID: caseID, index: index).description
            // Claimed first, then checked: a publishing by hand that claims meanwhile is seen either way.
            guard !request.holder.isEmpty, claims.claim(claimed, by: request.holder, at: clock.now) else {
                throw RPCError(
                    .failedPrecondition, Refusals.Cases.publicationClaimed(["assignment": request.assignmentID]))
            }
            do throws(RPCError) {
                let (_, _, network, _) = try waitingPublication(request.assignmentID)
                // Nothing is posted that could not be recorded: the account it goes out from is the directory's.
                _ = try publishingAccount(network: network, named: request.account)
            } catch {
                claims.release(claimed)
                throw error
            }
            var answer = RecordPublicationResponse()
            answer.caseID = caseID
            return answer
        }
        registry.unary(ConnectorsService.recordPublication, placement: .pool) { context, request in
            let (caseID, index, network, requestedAt) = try waitingPublication(request.assignmentID)
            let account = try publishingAccount(network: network, named: request.account)
            // When it went out, as the connector says it, but never before the curator handed it over
            // nor after now: a connector's clock does not move the publish clock.
            let now = clock.now
            let at = request.atUnix == 0 ? now : min(max(Instant(seconds: request.atUnix), requestedAt), now)
            try stepAsItStands(
                context, caseID,
                .publish(
                    assignment: index, url: request.url, account: account, at: at, filesLeftOut: request.filesLeftOut,
                    filesSent: request.filesSent))
            claims.release(AssignmentID(caseID: caseID, index: index).description)
            var answer = RecordPublicationResponse()
            answer.caseID = caseID
            return answer
        }
        registry.unary(ConnectorsService.reportHealth, placement: .pool) { context, request in
            try reportHealth(context, request)
        }
        registry.unary(ConnectorsService.listConnectors, placement: .pool) { _, _ in try listConnectors() }
        registry.unary(ConnectorsService.recordPublicationFailure, placement: .pool) { context, request in
            let (caseID, index, _, _) = try waitingPublication(request.assignmentID)
            let failure = PublicationFailure(
                kind: try request.kind.required("kind"), code: Int(request.networkCode),
                message: request.networkMessage)
            try stepAsItStands(context, caseID, .publicationFailed(assignment: index, failure: failure))
            claims.release(AssignmentID(caseID: caseID, index: index).description)
            var answer = RecordPublicationResponse()
            answer.caseID = caseID
            return answer
        }
    }

    private func recordNetworkChange(_ context: ServerContext, _ request: NetworkChangeRequest) throws(RPCError)
        -> NetworkChangeResponse
    {
        guard let change = request.kind.change(text: request.text, deletedBy: request.deletedBy) else {
            throw request.kind.notAWord("kind")
        }
        // A connector speaks of the messages connectors register: its network's, with their external ids.
        guard let connector = NetworkConnector(network: request.network),
            request.externalID.hasPrefix(connector.externalPrefix)
        else {
            throw RPCError(
                .notFound,
                Refusals.Cases.messageNotRegistered(["network": request.network, "external_id": request.externalID]))
        }
        let found: CaseState?
        do {
            found = try store.findCase(network: request.network, externalID: request.externalID)
        } catch {
            throw error.rpc("the message could not be looked up", dataDirectory: store.directory)
        }
        guard let state = found else {
            throw RPCError(
                .notFound,
                Refusals.Cases.messageNotRegistered(["network": request.network, "external_id": request.externalID]))
        }
        let version = try stepAsItStands(context, state.id, .networkChange(change, id: request.changeID))
        var answer = NetworkChangeResponse()
        answer.caseID = state.id
        answer.recorded = version != state.version
        return answer
    }

    /// A connector's report: kept, and a change into trouble or out of it logged once.
    private func reportHealth(_ context: ServerContext, _ request: ConnectorReport) throws(RPCError)
        -> ReportHealthResponse
    {
        guard let connector = NetworkConnector(network: request.network) else {
            throw RPCError(
                .invalidArgument,
                Refusals.Cases.notAConnectorNetwork([
                    "network": request.network,
                    "networks": NetworkConnector.allCases.map(\.network).joined(separator: ", "),
                ]))
        }
        // What it reads is one community's messages: a bare network prefix would stand for every one.
        guard request.externalPrefix.hasPrefix(connector.externalPrefix),
            request.externalPrefix.count > connector.externalPrefix.count
        else {
            throw RPCError(
                .invalidArgument, Refusals.Cases.externalPrefixRequired(["prefix": connector.externalPrefix]))
        }
        // Silence is the daemon's finding, never a connector's report (it would never be announced).
        guard request.state != .silent else {
            throw RPCError(.invalidArgument, Refusals.Cases.notAConnectorsState(["state": request.state.name]))
        }
        var report = request
        report.community = String(report.community.prefix(200))
        report.externalPrefix = String(report.externalPrefix.prefix(200))
        report.lastError = String(report.lastError.prefix(500))
        let caller = try context.caller
        guard let (kind, notice) = connectors.take(report, from: caller.login, at: clock.now) else {
            return ReportHealthResponse()
        }
        do {
            try store.append([
                Event(
                    time: clock.now, actor: caller.actor, kind: kind, subject: Event.connectorsSubject,
                    payload: Array(JSONText.string(notice).utf8), onBehalf: caller.onBehalf)
            ])
        } catch {
            logger.error("a connector's \(kind.rawValue) could not be logged: \(error)")
        }
        logger.info("connector \(caller.login) (\(report.network) \(report.community)): \(report.state.name)")
        return ReportHealthResponse()
    }

    /// Every connector that ever reported, with its publications' counts.
    private func listConnectors() throws(RPCError) -> ListConnectorsResponse {
        let now = clock.now
        let views = try CaseViews(context: try workflowContext())
        var answer = ListConnectorsResponse()
        for entry in connectors.all {
            var view = ConnectorView()
            view.login = entry.login
            view.report = entry.report
            view.reportedAtUnix = entry.receivedAt
            view.reportedAt = views.text(Instant(seconds: entry.receivedAt))
            view.silent = connectors.isSilent(entry, at: now)
            if entry.errorAt > 0 { view.errorAt = views.text(Instant(seconds: entry.errorAt)) }
            if let missed = entry.missedSince, missed > 0 { view.missedSince = views.text(Instant(seconds: missed)) }
            if entry.lastPoll > 0 {
                view.lagSeconds = max(0, now.seconds - entry.lastPoll)
                view.lastPoll = views.text(Instant(seconds: entry.lastPoll))
            }
            if !entry.externalPrefix.isEmpty {
                do {
                    let counts = try store.connectorPublications(
                        network: entry.network, externalPrefix: entry.externalPrefix)
                    view.publicationsWaiting = UInt32(clamping: counts.waiting)
                    view.publicationsFailed = UInt32(clamping: counts.failed)
                } catch {
                    throw error.rpc("the connectors' publications could not be counted", dataDirectory: store.directory)
                }
            }
            answer.connectors.append(view)
        }
        return answer
    }

    private func pendingPublications(_ request: PendingPublicationsRequest) throws(RPCError)
        -> PendingPublicationsResponse
    {
        guard let connector = NetworkConnector(network: request.network) else {
            throw RPCError(
                .invalidArgument,
                Refusals.Cases.notAConnectorNetwork([
                    "network": request.network,
                    "networks": NetworkConnector.allCases.map(\.network).joined(separator: ", "),
                ]))
        }
        guard request.externalPrefix.hasPrefix(connector.externalPrefix),
            request.externalPrefix.count > connector.externalPrefix.count
        else {
            throw RPCError(
                .invalidArgument, Refusals.Cases.externalPrefixRequired(["prefix": connector.externalPrefix]))
        }
        let limit = request.limit == 0 ? 50 : min(Int(request.limit), 500)
        let cases: [CaseState]
        do {
            cases = try store.casesWaitingForConnector(
                network: connector.network, externalPrefix: request.externalPrefix, limit: limit)
        } catch {
            throw error.rpc("the waiting publications could not be read", dataDirectory: store.directory)
        }
        let workflow = try workflowContext()
        let now = clock.now
        var answer = PendingPublicationsResponse()
        var size = 0
        for state in cases {
            let clocks = try? CaseClocks.read(state, now: now, context: workflow)
            for assignment in state.assignments {
                guard let request = state.waitingPublication(assignment.index), request.network == connector.network,
                    let draft = assignment.drafts.last, let external = state.externalID
                else { continue }
                var item = PendingPublication()
                item.assignmentID = state.assignmentID(assignment.index)
                // The same draft's publication keeps its key across retries and restarts (VK's guid).
                item.key = "\(item.assignmentID)#\(assignment.drafts.count)"
                item.externalID = external
                item.url = state.url
                item.text = draft.publishedText
                item.requestedAtUnix = request.requestedAt.seconds
                item.dueUnix = clocks?.drafts[assignment.index]?.last?[.publish]?.due.seconds ?? 0
                item.files = UInt32(draft.attachments?.count ?? 0)
                item.attachments = try pendingFiles(draft.attachments ?? [])
                // An answer stays well within a frame (3 MiB): the rest comes on the next look.
                size += item.text.utf8.count + 512 + item.attachments.count * 384
                guard answer.publications.isEmpty || size <= CaseViews.viewBudget else { break }
                answer.publications.append(item)
            }
        }
        answer.publications.sort { ($0.requestedAtUnix, $0.assignmentID) < ($1.requestedAtUnix, $1.assignmentID) }
        return answer
    }

    /// The files of a draft as a connector needs them: the content type is the stored file's.
    private func pendingFiles(_ files: [DraftAttachment]) throws(RPCError) -> [PendingFile] {
        var answer: [PendingFile] = []
        for file in files {
            let record: AttachmentRecord?
            do {
                record = try store.attachment(file.sha256)
            } catch {
                throw error.rpc("the reply's files could not be read", dataDirectory: store.directory)
            }
            var pending = PendingFile()
            pending.sha256 = file.sha256
            pending.name = file.name
            pending.kind = file.kind.rawValue
            pending.contentType = record?.contentType.mime ?? ""
            pending.size = file.size
            answer.append(pending)
        }
        return answer
    }

    /// The case, assignment, network and request time of a publication waiting for a connector; refused
    /// when none waits (published by hand meanwhile, sent back, failed before, the case closed).
    private func waitingPublication(_ assignmentID: String) throws(RPCError) -> (String, Int, String, Instant) {
        let (caseID, index) = try assignment(assignmentID)
        let state = try load(caseID)
        guard let waiting = state.waitingPublication(index) else {
            throw RPCError(
                .failedPrecondition,
                Refusals.Cases.publicationNotWaiting(["assignment": assignmentID, "network": state.network]))
        }
        return (caseID, index, waiting.network, waiting.requestedAt)
    }

    /// `command` on the case as it stands (a connector names no version), taken again when another
    /// step moved the case on between the read and the write. Returns the case's version after it.
    @discardableResult
    private func stepAsItStands(_ context: ServerContext, _ caseID: String, _ command: CaseCommand) throws(RPCError)
        -> Int
    {
        var attempt = 0
        while true {
            attempt += 1
            let state = try load(caseID)
            do {
                return Int(try mutate(context, caseID, Int64(state.version), command).version)
            } catch  where error.code == .aborted && attempt < 3 {
                continue
            }
        }
    }
}
