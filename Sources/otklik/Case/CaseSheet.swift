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
                c.id + (c.existing ? Say.Cases.alreadyRegistered.text() : "")
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
        if !c.suggestedRepeats.isEmpty {
            rows.append((Say.Cases.mayRepeat.text(), c.suggestedRepeats.joined(separator: ", ")))
        }
        if !c.hints.isEmpty {
            rows.append(
                (
                    Say.Cases.checkFor.text(),
                    c.hints.map(\.spoken).joined(separator: ", ")
                        + Say.Cases.aHintP.text()
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
        if let route = c.route { rows.append((Say.Cases.deadline.text(), Self.clockLine(route))) }
        if !c.clocksError.isEmpty {
            rows.append(
                (
                    Say.Cases.clocks.text(),
                    Say.Cases.cannotBeComputed.text() + c.clocksError
                ))
        }
        rows.append((Say.Common.version.text(), String(c.version)))
        var lines = [Render.keyValues(rows), "", Say.Cases.message.text()]
        lines += TextLayout.wrap(c.text, width: width, indent: "  ")
        lines.append("")
        if c.nextSteps.isEmpty {
            lines.append(Say.Cases.nextStepNoneThe.text())
        } else {
            lines.append(Say.Cases.nextStep.text())
            for step in c.nextSteps { lines.append("  " + Self.stepLine(step)) }
        }
        for a in c.assignments { lines += [""] + assignment(a) }
        return lines.joined(separator: "\n")
    }

    private func assignment(_ a: AssignmentView) -> [String] {
        var head = Say.Cases.assignment.text() + "\(a.id) → \(UnitTitles.title(a.executor)): \(a.state.spoken)"
        if !a.responsible.isEmpty { head += Say.Cases.responsible.text() + a.responsible }
        if !a.previousExecutors.isEmpty {
            head += Say.Cases.before.text() + a.previousExecutors.map(UnitTitles.title).joined(separator: " → ")
        }
        if !a.closedAt.isEmpty { head += Say.Cases.closed.text() + PeopleTime.text(a.closedAt) }
        var lines = [Terminal.bold(head)]
        if !a.topics.isEmpty {
            lines.append("  " + Say.Cases.topicsLead.text() + a.topics.joined(separator: ", "))
        }
        for clock in a.clocks { lines.append("  " + Self.clockLine(clock)) }
        // The draft waiting for review first, then the others, latest first.
        let numbered = a.drafts.enumerated().map { (number: $0.offset + 1, draft: $0.element) }
        let ordered =
            numbered.filter { $0.draft.state == .submitted }
            + numbered.filter { $0.draft.state != .submitted }.reversed()
        for (number, d) in ordered { lines += draft(d, number: number, of: a.id, indent: "  ") }
        for r in a.replies {
            var line =
                "  " + Say.Cases.reply.text() + " (\(r.kind.spoken)) "
                + Say.Cases.published.text() + PeopleTime.text(r.publishedAt) + ": " + r.url
            if !r.account.isEmpty { line += " (\(r.account))" }
            if !r.attachments.isEmpty { line += Say.Cases.files.text() + String(r.attachments.count) }
            lines.append(line)
        }
        for p in a.pauses {
            lines.append(
                "  "
                    + (p.to.isEmpty
                        ? Say.Cases.pausedSince.text() + PeopleTime.text(p.from)
                            + Say.Cases.waitingForTheAuthor.text()
                        : Say.Cases.pausedFrom.text() + PeopleTime.text(p.from) + Say.Cases.to.text()
                            + PeopleTime.text(p.to)))
        }
        for answer in authorAnswers[a.id] ?? [] {
            lines.append("  " + Say.Cases.theAuthorAnswered.text() + PeopleTime.text(answer.at) + ":")
            lines += TextLayout.wrap(answer.text, width: width, indent: "    ")
        }
        return lines
    }

    /// One draft in full: kind, state, when, the return's reason, the text and measures, its files.
    func draft(_ d: DraftView, number: Int, of assignment: String, indent: String) -> [String] {
        var head =
            indent + Say.Cases.draft.text() + "\(number) (\(d.kind.spoken)) — \(d.state.spoken), "
            + Say.Cases.submitted.text() + PeopleTime.text(d.submittedAt)
        if !d.decidedAt.isEmpty { head += Say.Cases.decided.text() + PeopleTime.text(d.decidedAt) }
        var lines = [head]
        let inner = indent + "  "
        if d.returnReason != .unspecified {
            lines.append(
                inner + Say.Cases.returned.text() + d.returnReason.spoken
                    + (d.returnComment.isEmpty ? "" : " — " + d.returnComment))
        }
        lines += TextLayout.wrap(d.text, width: width, indent: inner)
        if !d.measures.isEmpty {
            lines.append(inner + Say.Cases.measuresTaken.text())
            lines += TextLayout.wrap(d.measures, width: width, indent: inner + "  ")
        }
        if d.textTrimmed {
            lines.append(
                inner
                    + Say.Cases.shortenedHereTheWhole(assignment, number).text())
        }
        for file in d.attachments { lines.append(inner + draftFileLine(file)) }
        if d.evidenceMissing {
            lines.append(
                inner
                    + Say.Cases.evidenceNeededPTopics(d.evidenceRule).text())
        }
        if !d.evidenceWaiver.isEmpty {
            lines.append(
                inner + Say.Cases.evidenceRuleWaived.text() + d.evidenceWaiver)
        }
        return lines
    }

    /// "reply: due 2026-12-03T18:00:00+03:00 — running, 1 h 20 min left" (working time).
    static func clockLine(_ v: ClockView) -> String {
        var line = v.kind.spoken + ": " + Say.Cases.due.text() + PeopleTime.text(v.due) + " — " + v.state.spoken
        switch v.state {
        case .open where v.leftMinutes > 0: line += ", " + WorkingTimeText.left(minutes: v.leftMinutes)
        case .breached: line += ", " + WorkingTimeText.late(minutes: v.lateMinutes)
        default: break
        }
        if !v.metAt.isEmpty { line += Say.Cases.met.text() + PeopleTime.text(v.metAt) }
        if v.state == .met && v.lateMinutes > 0 {
            line += Say.Cases.lateBy.text() + WorkingTimeText.duration(minutes: v.lateMinutes)
        }
        return v.state == .breached ? Terminal.red(line) : line
    }

    /// "review the draft: 2026-000012/1 (housing) — the curator's step, due ..., 1 working h 20 min
    /// left" or "overdue by 3 h 10 min" (working time).
    static func stepLine(_ step: NextStep) -> String {
        var line = step.kind.spoken
        if !step.assignmentID.isEmpty {
            line +=
                ": " + step.assignmentID + " ("
                + ([UnitTitles.title(step.unit), step.responsible].filter { !$0.isEmpty }.joined(separator: ", ")) + ")"
        }
        line +=
            " — "
            + (step.role == .curator
                ? Say.Cases.theCuratorSStep.text()
                : Say.Cases.theExecutorSStep.text())
        if !step.due.isEmpty {
            line += ", " + Say.Cases.due.text() + PeopleTime.text(step.due)
            line +=
                ", "
                + (step.isLate
                    ? Terminal.red(step.lateness)
                    : WorkingTimeText.left(minutes: step.leftMinutes))
        }
        return line
    }
}

extension NextStep {
    /// Past its due: a clock of it is breached, or no working time is left.
    var isLate: Bool { overdue || (!due.isEmpty && leftMinutes == 0) }

    /// How late the step is, in working time ("overdue by 3 h 10 min" / "просрочено на 3 ч 10 мин",
    /// the daemon's `late_minutes`); "overdue" alone when no clock is yet past its due by a minute.
    var lateness: String {
        lateMinutes > 0 ? WorkingTimeText.late(minutes: lateMinutes) : Say.Common.overdue.text()
    }
}
