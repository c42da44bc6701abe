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
                Language.text("Case", "Дело"),
                c.id + (c.existing ? Language.text(" (already registered)", " (уже зарегистрировано)") : "")
            ),
            (Language.text("State", "Состояние"), c.state.spoken),
            (Language.text("Importance", "Важность"), c.importance.spoken),
            (Language.text("Detected", "Выявлено"), c.detectedAt),
        ]
        if !c.postedAt.isEmpty { rows.append((Language.text("Posted", "Опубликовано"), c.postedAt)) }
        rows.append((Language.text("Network", "Сеть"), NetworkNames.spoken(c.network) + " " + c.url))
        rows.append((Language.text("Author", "Автор"), c.author))
        if !c.topics.isEmpty { rows.append((Language.text("Topics", "Темы"), c.topics.joined(separator: ", "))) }
        if !c.repeatOf.isEmpty { rows.append((Language.text("Repeats", "Повтор дела"), c.repeatOf)) }
        if !c.suggestedRepeats.isEmpty {
            rows.append((Language.text("May repeat", "Возможный повтор"), c.suggestedRepeats.joined(separator: ", ")))
        }
        if !c.hints.isEmpty {
            rows.append(
                (
                    Language.text("Check for", "Проверьте"),
                    c.hints.map(\.spoken).joined(separator: ", ")
                        + Language.text(" (a hint, p.20)", " (подсказка, п. 20)")
                ))
        }
        if c.rejectionReason != .unspecified {
            rows.append(
                (
                    Language.text("Rejected", "Отклонено"),
                    c.rejectionReason.spoken + (c.rejectionComment.isEmpty ? "" : ": \(c.rejectionComment)")
                ))
        }
        if !c.withdrawalReason.isEmpty { rows.append((Language.text("Withdrawn", "Снято"), c.withdrawalReason)) }
        if let route = c.route { rows.append((Language.text("Deadline", "Срок"), Self.clockLine(route))) }
        if !c.clocksError.isEmpty {
            rows.append(
                (
                    Language.text("Clocks", "Сроки"),
                    Language.text("cannot be computed: ", "не вычисляются: ") + c.clocksError
                ))
        }
        rows.append((Language.text("Version", "Версия"), String(c.version)))
        var lines = [Render.keyValues(rows), "", Language.text("Message:", "Сообщение:")]
        lines += TextLayout.wrap(c.text, width: width, indent: "  ")
        lines.append("")
        if c.nextSteps.isEmpty {
            lines.append(Language.text("Next step: none, the case is closed.", "Следующий шаг: нет, дело закрыто."))
        } else {
            lines.append(Language.text("Next step:", "Следующий шаг:"))
            for step in c.nextSteps { lines.append("  " + Self.stepLine(step)) }
        }
        for a in c.assignments { lines += [""] + assignment(a) }
        return lines.joined(separator: "\n")
    }

    private func assignment(_ a: AssignmentView) -> [String] {
        var head = Language.text("Assignment ", "Поручение ") + "\(a.id) → \(a.executor): \(a.state.spoken)"
        if !a.responsible.isEmpty { head += Language.text("; responsible: ", "; ответственный: ") + a.responsible }
        if !a.previousExecutors.isEmpty {
            head += Language.text("; before: ", "; ранее: ") + a.previousExecutors.joined(separator: " → ")
        }
        if !a.closedAt.isEmpty { head += Language.text("; closed ", "; закрыто ") + a.closedAt }
        var lines = [Terminal.bold(head)]
        if !a.topics.isEmpty {
            lines.append("  " + Language.text("Topics: ", "Темы: ") + a.topics.joined(separator: ", "))
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
                "  " + Language.text("Reply", "Ответ") + " (\(r.kind.spoken)) "
                + Language.text("published ", "опубликован ") + r.publishedAt + ": " + r.url
            if !r.account.isEmpty { line += " (\(r.account))" }
            if !r.attachments.isEmpty { line += Language.text(", files: ", ", файлов: ") + String(r.attachments.count) }
            lines.append(line)
        }
        for p in a.pauses {
            lines.append(
                "  "
                    + (p.to.isEmpty
                        ? Language.text("Paused since ", "Пауза с ") + p.from
                            + Language.text(", waiting for the author's answer", ", ждём ответа автора")
                        : Language.text("Paused from ", "Пауза с ") + p.from + Language.text(" to ", " по ") + p.to))
        }
        for answer in authorAnswers[a.id] ?? [] {
            lines.append("  " + Language.text("The author answered ", "Ответ автора ") + answer.at + ":")
            lines += TextLayout.wrap(answer.text, width: width, indent: "    ")
        }
        return lines
    }

    /// One draft in full: kind, state, when, the return's reason, the text and measures, its files.
    func draft(_ d: DraftView, number: Int, of assignment: String, indent: String) -> [String] {
        var head =
            indent + Language.text("Draft ", "Проект ") + "\(number) (\(d.kind.spoken)) — \(d.state.spoken), "
            + Language.text("submitted ", "направлен ") + d.submittedAt
        if !d.decidedAt.isEmpty { head += Language.text(", decided ", ", решение ") + d.decidedAt }
        var lines = [head]
        let inner = indent + "  "
        if d.returnReason != .unspecified {
            lines.append(
                inner + Language.text("Returned: ", "Возвращён: ") + d.returnReason.spoken
                    + (d.returnComment.isEmpty ? "" : " — " + d.returnComment))
        }
        lines += TextLayout.wrap(d.text, width: width, indent: inner)
        if !d.measures.isEmpty {
            lines.append(inner + Language.text("Measures taken:", "Принятые меры:"))
            lines += TextLayout.wrap(d.measures, width: width, indent: inner + "  ")
        }
        if d.textTrimmed {
            lines.append(
                inner
                    + Language.text(
                        "(shortened here; the whole text: `otklik draft show \(assignment)/\(number)`)",
                        "(здесь сокращён; целиком: `otklik draft show \(assignment)/\(number)`)"))
        }
        for file in d.attachments { lines.append(inner + draftFileLine(file)) }
        if d.evidenceMissing {
            lines.append(
                inner
                    + Language.text(
                        "evidence needed (p.19, topics \(d.evidenceRule)): no photo or video yet",
                        "нужны фото или видео (п. 19, темы \(d.evidenceRule)): пока нет"))
        }
        if !d.evidenceWaiver.isEmpty {
            lines.append(
                inner + Language.text("evidence rule waived: ", "требование фото/видео снято: ") + d.evidenceWaiver)
        }
        return lines
    }

    /// "reply: due 2026-12-03T18:00:00+03:00 — running, 1 h 20 min left" (working time).
    static func clockLine(_ v: ClockView) -> String {
        var line = v.kind.spoken + ": " + Language.text("due ", "срок ") + v.due + " — " + v.state.spoken
        switch v.state {
        case .open where v.leftMinutes > 0: line += ", " + WorkingTimeText.left(minutes: v.leftMinutes)
        case .breached: line += ", " + WorkingTimeText.late(minutes: v.lateMinutes)
        default: break
        }
        if !v.metAt.isEmpty { line += Language.text(", met ", ", выполнен ") + v.metAt }
        if v.state == .met && v.lateMinutes > 0 {
            line += Language.text(", late by ", ", с опозданием на ") + WorkingTimeText.duration(minutes: v.lateMinutes)
        }
        return v.state == .breached ? Terminal.red(line) : line
    }

    /// "review the draft: 2026-000012/1 (housing) — the curator's step, due ..., 1 h 20 min left".
    static func stepLine(_ step: NextStep) -> String {
        var line = step.kind.spoken
        if !step.assignmentID.isEmpty {
            line +=
                ": " + step.assignmentID + " ("
                + ([step.unit, step.responsible].filter { !$0.isEmpty }.joined(separator: ", ")) + ")"
        }
        line +=
            " — "
            + (step.role == .curator
                ? Language.text("the curator's step", "шаг куратора")
                : Language.text("the executor's step", "шаг исполнителя"))
        if !step.due.isEmpty {
            line += ", " + Language.text("due ", "срок ") + step.due
            line +=
                ", "
                + (step.isLate
                    ? Terminal.red(Language.text("overdue", "просрочено"))
                    : WorkingTimeText.left(minutes: step.leftMinutes))
        }
        return line
    }
}

extension NextStep {
    /// Past its due: a clock of it is breached, or no working time is left.
    var isLate: Bool { overdue || (!due.isEmpty && leftMinutes == 0) }
}
