import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk

/// A case as a curator reads it before deciding: the whole post, the next step and whose it is,
/// every clock with what is left in working time, every draft with its text and measures (the one
/// under review first), files, replies, pauses and the author's answers. Text wraps to `width`.
/// Scripts read the case's JSON (README "Cases").
struct CaseSheet: Output {
    var view: CaseView
    /// After a registration: whether the message was there already (`existing` in the JSON too).
    var includeExisting = false
    /// The author's answers to clarification requests, by assignment id (from the case's history).
    var authorAnswers: [String: [(at: String, text: String)]] = [:]
    var width: Int = Terminal.width

    var json: JSON { caseJSON(view, includeExisting: includeExisting) }

    var text: String {
        let c = view
        var rows: [(String, String)] = [
            (
                Say.Common.caseLabel.text(),
                c.existing ? Say.Cases.registeredAlready(c.id).text() : c.id
            ),
            (Say.Cases.state.text(), c.state.spoken),
            (Say.Cases.importance.text(), c.importance.spoken),
            (Say.Cases.detected.text(), PeopleTime.text(c.detectedAt)),
        ]
        if !c.postedAt.isEmpty { rows.append((Say.Cases.posted.text(), PeopleTime.text(c.postedAt))) }
        rows.append((Say.Common.network.text(), NetworkNames.spoken(c.network) + " " + c.url))
        rows.append((Say.Common.author.text(), c.author))
        if !c.topics.isEmpty { rows.append((Say.Cases.topics.text(), c.topics.joined(separator: ", "))) }
        if !c.repeatOf.isEmpty { rows.append((Say.Cases.repeats.text(), c.repeatOf)) }
        if c.incident != 0 { rows.append((Say.Incidents.inIncident.text(), String(c.incident))) }
        if !c.suggestedRepeats.isEmpty {
            rows.append((Say.Cases.mayRepeat.text(), c.suggestedRepeats.joined(separator: ", ")))
        }
        if !c.hints.isEmpty {
            rows.append(
                (
                    Say.Cases.hintsLabel.text(),
                    Say.Cases.hintsToCheck(c.hints.map(\.spoken).joined(separator: ", ")).text()
                ))
        }
        if c.rejectionReason != .unspecified {
            rows.append(
                (
                    Say.Cases.rejected.text(),
                    c.rejectionReason.spoken + (c.rejectionComment.isEmpty ? "" : ": \(c.rejectionComment)")
                ))
        }
        if !c.withdrawalReason.isEmpty { rows.append((Say.Cases.withdrawn.text(), c.withdrawalReason)) }
        if !c.deletedAt.isEmpty {
            rows.append(
                (
                    Say.Cases.inTheNetwork.text(),
                    Terminal.red(Self.deleted(c).text())
                ))
        } else if !c.editedAt.isEmpty {
            rows.append((Say.Cases.inTheNetwork.text(), Say.Cases.editedThere(PeopleTime.text(c.editedAt)).text()))
        }
        if let route = c.route { rows.append((Say.Cases.deadline.text(), Self.clockLine(route))) }
        if !c.clocksError.isEmpty {
            rows.append(
                (
                    Say.Cases.clocks.text(),
                    Say.Cases.clocksNotComputed(c.clocksError).text()
                ))
        }
        rows.append((Say.Common.version.text(), String(c.version)))
        var lines = [Render.keyValues(rows), "", Say.Cases.message.text()]
        lines += TextLayout.wrap(c.text, width: width, indent: "  ")
        lines.append("")
        if c.nextSteps.isEmpty {
            lines.append(Say.Cases.noNextStep.text())
        } else {
            lines.append(Say.Cases.nextStepHeading.text())
            for step in c.nextSteps { lines.append("  " + Self.stepLine(step)) }
        }
        for a in c.assignments { lines += [""] + assignment(a) }
        return lines.joined(separator: "\n")
    }

    private func assignment(_ a: AssignmentView) -> [String] {
        let head = Say.Cases.assignmentHeading(
            a.id, UnitTitles.title(a.executor), a.state.spoken, responsible: a.responsible,
            before: a.previousExecutors.map(UnitTitles.title).joined(separator: " → "),
            closed: a.closedAt.isEmpty ? "" : PeopleTime.text(a.closedAt))
        var lines = [Terminal.bold(head.text())]
        if !a.topics.isEmpty {
            lines.append("  " + Say.Cases.assignmentTopics(a.topics.joined(separator: ", ")).text())
        }
        for clock in a.clocks { lines.append("  " + Self.clockLine(clock)) }
        // The draft waiting for review first, then the others, latest first.
        let numbered = a.drafts.enumerated().map { (number: $0.offset + 1, draft: $0.element) }
        let ordered =
            numbered.filter { $0.draft.state == .submitted }
            + numbered.filter { $0.draft.state != .submitted }.reversed()
        for (number, d) in ordered { lines += draft(d, number: number, of: a.id, indent: "  ") }
        for r in a.replies {
            let reply = Say.Cases.publishedReply(
                r.kind.spoken, PeopleTime.text(r.publishedAt), r.url, account: r.account, files: r.attachments.count)
            lines.append("  " + reply.text())
            if r.filesLeftOut { lines.append("    " + Say.Cases.filesLeftOut.text()) }
        }
        if let publication = a.publication { lines.append("  " + publicationLine(publication, of: a.id)) }
        for p in a.pauses {
            let pause =
                p.to.isEmpty
                ? Say.Cases.pausedSince(PeopleTime.text(p.from))
                : Say.Cases.paused(from: PeopleTime.text(p.from), to: PeopleTime.text(p.to))
            lines.append("  " + pause.text())
        }
        for answer in authorAnswers[a.id] ?? [] {
            lines.append("  " + Say.Cases.authorAnswered(PeopleTime.text(answer.at)).text())
            lines += TextLayout.wrap(answer.text, width: width, indent: "    ")
        }
        return lines
    }

    /// The publication handed to a connector: waiting, or why it failed and what the curator can do.
    private func publicationLine(_ p: PublicationView, of assignment: String) -> String {
        let network = NetworkNames.spoken(p.network)
        guard p.failure != .unspecified else {
            return Say.Cases.handedToConnector(network, PeopleTime.text(p.requestedAt)).text()
        }
        let said = [p.networkCode == 0 ? "" : String(p.networkCode), p.networkMessage].filter { !$0.isEmpty }
        return Terminal.red(
            Say.Cases.connectorCouldNotPublish(
                network, PeopleTime.text(p.failedAt), why: p.failure.spoken, network: said.joined(separator: " "),
                assignment: assignment, via: p.network
            ).text())
    }

    /// One draft in full: kind, state, when, the return's reason, the text and measures, its files.
    func draft(_ d: DraftView, number: Int, of assignment: String, indent: String) -> [String] {
        let head = Say.Cases.draftHeading(
            number, d.kind.spoken, d.state.spoken, submitted: PeopleTime.text(d.submittedAt),
            decided: d.decidedAt.isEmpty ? "" : PeopleTime.text(d.decidedAt))
        var lines = [indent + head.text()]
        let inner = indent + "  "
        if d.returnReason != .unspecified {
            lines.append(inner + Say.Cases.draftReturned(d.returnReason.spoken, comment: d.returnComment).text())
        }
        lines += TextLayout.wrap(d.text, width: width, indent: inner)
        if !d.measures.isEmpty {
            lines.append(inner + Say.Cases.measuresTaken.text())
            lines += TextLayout.wrap(d.measures, width: width, indent: inner + "  ")
        }
        if d.textTrimmed {
            lines.append(
                inner
                    + Say.Cases.textShortened(assignment, number).text())
        }
        for finding in d.findings { lines.append(inner + "! " + Self.findingLine(finding)) }
        for file in d.attachments { lines.append(inner + draftFileLine(file)) }
        if d.evidenceMissing {
            lines.append(
                inner
                    + Say.Cases.evidenceNeeded(d.evidenceRule).text())
        }
        if !d.evidenceWaiver.isEmpty {
            lines.append(inner + Say.Cases.evidenceRuleWaived(d.evidenceWaiver).text())
        }
        return lines
    }

    /// A finding of the reply-quality check (issue 31): the rule, and the words that made it.
    static func findingLine(_ finding: ReplyFindingView) -> String {
        Say.Cases.finding(
            finding.rule.spoken, words: finding.words, copy: finding.rule == .copy && !finding.words.isEmpty
        ).text()
    }

    /// "reply: due 2026-12-03T18:00:00+03:00 — running, 1 h 20 min left" (working time).
    /// The message deleted in its network, and by whom where the network says.
    static func deleted(_ c: CaseView) -> Phrase {
        let at = PeopleTime.text(c.deletedAt)
        switch c.deletedBy {
        case .author: return Say.Cases.deletedByAuthor(at)
        case .community: return Say.Cases.removedByModerators(at)
        case .unspecified, .unrecognized: return Say.Cases.deletedThere(at)
        }
    }

    static func clockLine(_ v: ClockView) -> String {
        let standing =
            switch v.state {
            case .open where v.leftMinutes > 0: WorkingTimeText.left(minutes: v.leftMinutes)
            case .breached: WorkingTimeText.late(minutes: v.lateMinutes)
            case .open, .met, .paused, .stopped, .unspecified, .unrecognized: ""
            }
        let line = Say.Cases.clockLine(
            v.kind.spoken, due: PeopleTime.text(v.due), state: v.state.spoken, standing: standing,
            met: v.metAt.isEmpty ? "" : PeopleTime.text(v.metAt),
            lateBy: v.state == .met && v.lateMinutes > 0 ? WorkingTimeText.duration(minutes: v.lateMinutes) : ""
        ).text()
        return v.state == .breached ? Terminal.red(line) : line
    }

    /// "review the draft: 2026-000012/1 (housing) — the curator's step, due ..., 1 working h 20 min
    /// left" or "overdue by 3 h 10 min" (working time).
    static func stepLine(_ step: NextStep) -> String {
        Say.Cases.nextStepLine(
            step.what, assignment: step.assignmentID,
            holders: [UnitTitles.title(step.unit), step.responsible].filter { !$0.isEmpty }.joined(separator: ", "),
            byCurator: step.role == .curator, due: step.due.isEmpty ? "" : PeopleTime.text(step.due),
            standing: step.isLate ? Terminal.red(step.lateness) : WorkingTimeText.left(minutes: step.leftMinutes)
        ).text()
    }
}

extension NextStep {
    /// The step in words; a publication with a connector says so, and so does one it could not make.
    var what: String {
        if !publishingVia.isEmpty { return Say.Cases.withTheConnector(NetworkNames.spoken(publishingVia)).text() }
        if publicationFailed { return Say.Cases.connectorFailedPublishByHand.text() }
        return kind.spoken
    }

    /// Past its due: a clock of it is breached, or no working time is left.
    var isLate: Bool { overdue || (!due.isEmpty && leftMinutes == 0) }

    /// How late the step is, in working time ("overdue by 3 h 10 min" / "просрочено на 3 ч 10 мин",
    /// the daemon's `late_minutes`); "overdue" alone when no clock is yet past its due by a minute.
    var lateness: String {
        lateMinutes > 0 ? WorkingTimeText.late(minutes: lateMinutes) : Say.Common.overdue.text()
    }
}
