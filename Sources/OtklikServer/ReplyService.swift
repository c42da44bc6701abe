import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore

/// `otklik.v1.Replies`: the draft's way from the executor to the curator and out to the network.
extension CaseServiceHandlers {
    func registerReplies(in registry: inout ServiceRegistry) {
        registry.unary(RepliesService.submitDraft, placement: .pool) { context, request in
            try submitDraft(context, request)
        }
        registry.unary(RepliesService.waiveEvidence, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            if let view = try incidentDraftStep(
                context, caseID, index, request.expectedVersion, .waive(reason: request.reason))
            {
                return view
            }
            return try mutate(
                context, caseID, request.expectedVersion, .waiveEvidence(assignment: index, reason: request.reason))
        }
        registry.unary(RepliesService.approveDraft, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            if let view = try incidentDraftStep(context, caseID, index, request.expectedVersion, .approve) {
                return view
            }
            return try mutate(context, caseID, request.expectedVersion, .approveDraft(assignment: index))
        }
        registry.unary(RepliesService.returnDraft, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            let reason = try request.reason.required("reason")
            if let view = try incidentDraftStep(
                context, caseID, index, request.expectedVersion, .giveBack(reason, comment: request.comment))
            {
                return view
            }
            return try mutate(
                context, caseID, request.expectedVersion,
                .returnDraft(assignment: index, reason: reason, comment: request.comment)
            )
        }
        registry.unary(RepliesService.publish, placement: .pool) { context, request in try publish(context, request) }
        registry.unary(RepliesService.requestPublication, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            try requireConnector(request.network, for: try load(caseID))
            return try mutate(
                context, caseID, request.expectedVersion,
                .requestPublication(assignment: index, network: request.network))
        }
        registry.unary(RepliesService.recordAuthorAnswer, placement: .pool) { context, request in
            let (caseID, index) = try assignment(request.assignmentID)
            guard request.atUnix != 0 else { throw RPCError(.invalidArgument, Refusals.Cases.answerTimeRequired()) }
            return try mutate(
                context, caseID, request.expectedVersion,
                .authorAnswered(assignment: index, at: Instant(seconds: request.atUnix), text: request.text))
        }
    }

    /// p.19: the draft with its files, which together stay within the draft's limit.
    private func submitDraft(_ context: ServerContext, _ request: SubmitDraftRequest) throws(RPCError) -> CaseView {
        let (caseID, index) = try assignment(request.assignmentID)
        let files = try draftFiles(context, caseID, attach: request.attachments, detach: request.detach)
        // Issue 31: the quality check's `copy` is a read of the published replies' index, made here
        // so that the workflow stays a pure function of what it is given. The replies to the cases of
        // the case's incident are the same answer, not copies.
        let kind = try request.kind.required("kind")
        let copyOf: String?
        do {
            var own: Set<String> = [caseID]
            if profile.replyQuality != nil, let incident = try store.loadCase(caseID)?.incident {
                own.formUnion(try store.incidentMembers(incident))
            }
            copyOf = profile.replyQuality == nil ? nil : try store.publishedCopy(of: request.text, excluding: own)
        } catch {
            throw error.rpc("the published replies could not be read", dataDirectory: store.directory)
        }
        let vet = { (events: [WorkflowEvent]) throws(RPCError) in
            let total = events.flatMap { $0.attachments ?? [] }.reduce(Int64(0)) { $0 + $1.size }
            guard total <= attachmentLimits.draft else {
                throw RPCError(
                    .resourceExhausted,
                    Refusals.Cases.draftFilesTooLarge([
                        "limit": AttachmentServiceHandlers.megabytes(attachmentLimits.draft),
                        "total": AttachmentServiceHandlers.megabytes(total),
                    ])
                )
            }
        }
        if let view = try incidentDraftStep(
            context, caseID, index, request.expectedVersion,
            .submit(kind: kind, text: request.text, measures: request.measures, files: files, copyOf: copyOf), vet: vet)
        {
            return view
        }
        return try mutate(
            context, caseID, request.expectedVersion,
            .submitDraft(
                assignment: index, kind: kind, text: request.text, measures: request.measures, attachments: files,
                copyOf: copyOf),
            vet: vet)
    }

    /// p.15: the reply published, recorded with its URL and the account it went out from. Without a
    /// URL, where the profile hands the network's replies to its connector, the reply goes to the
    /// connector (issue 29), which publishes it and records the URL itself.
    private func publish(_ context: ServerContext, _ request: PublishRequest) throws(RPCError) -> CaseView {
        let (caseID, index) = try assignment(request.assignmentID)
        let state = try load(caseID)
        let network = state.network
        if request.url.isEmpty, request.account.isEmpty, request.atUnix == 0,
            profile.publishedByConnector.contains(network)
        {
            try requireConnector(network, for: state)
            return try mutate(
                context, caseID, request.expectedVersion, .requestPublication(assignment: index, network: network))
        }
        // Never two replies: one a connector is posting is not published by hand meanwhile. Publishing by
        // hand claims the assignment itself for the step's while, so a connector does not start then.
        let claimed = AssignmentID(caseID: caseID, index: index).description
        let hand = "hand/" + (try context.caller.login)
        guard claims.claim(claimed, by: hand, at: clock.now) else {
            throw RPCError(
                .failedPrecondition,
                Refusals.Cases.publicationInFlight(["assignment": request.assignmentID, "network": network]))
        }
        defer { claims.release(claimed, by: hand) }
        let account = try publishingAccount(network: network, named: request.account)
        return try mutate(
            context, caseID, request.expectedVersion,
            .publish(assignment: index, url: request.url, account: account, at: Instant(unix: request.atUnix)))
    }

    /// A reply is handed only to a connector that reads the message's community now: one that has not
    /// reported (stopped, its token refused, cut off) would leave it waiting while the publish clock runs.
    /// The workflow's own checks (the network, a connector's message) speak first.
    private func requireConnector(_ network: String, for state: CaseState) throws(RPCError) {
        guard network == state.network, connectorReads(state, now: clock.now) == false else { return }
        throw RPCError(.failedPrecondition, Refusals.Cases.noConnectorRunning(["network": network]))
    }

    /// Whether the connector that registered the case's message (its external id has the connector's
    /// form) reads the message's community now; nil for a message no connector registered.
    func connectorReads(_ state: CaseState, now: Instant) -> Bool? {
        guard let connector = NetworkConnector(network: state.network), let external = state.externalID,
            external.hasPrefix(connector.externalPrefix)
        else { return nil }
        return connectors.live(network: state.network, externalID: external, now: now) != nil
    }

    /// p.4: replies go out from the administration's own accounts in the message's network: the one
    /// named, or the only one there is.
    func publishingAccount(network: String, named: String) throws(RPCError) -> String {
        let accounts = authorizer.directory.directory.accounts.filter { $0.network == network }.map(\.name).sorted()
        var account = named
        if account.isEmpty {
            guard accounts.count == 1 else {
                throw RPCError(
                    .invalidArgument,
                    accounts.isEmpty
                        ? Refusals.Cases.noAccountToPublishFrom(["network": network])
                        : Refusals.Cases.nameTheAccount([
                            "network": network, "accounts": accounts.joined(separator: " | "),
                        ]))
            }
            account = accounts[0]
        }
        guard accounts.contains(account) else {
            throw RPCError(
                .invalidArgument,
                Refusals.Cases.unknownAccount([
                    "account": account, "network": network,
                    "accounts": accounts.isEmpty ? "-" : accounts.joined(separator: ", "),
                ]))
        }
        return account
    }
}
