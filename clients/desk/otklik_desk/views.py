"""What the pages show, read from the daemon and put in the page's words: the queue's rows, a case with its
clocks, drafts, history and steps, who acted first in a conflict, a search hit's marked words. Every
figure is the daemon's (due, minutes left or late); nothing here computes a term."""
import json
import re

from otklik_client import RPCError, words

# Queue pages read at once, and the most rows a queue shows (the count under it says how many wait).
QUEUE_PAGE = 500
QUEUE_MOST = 2000
HISTORY_MOST = 1000


def standing(say, overdue, left_minutes, late_minutes, due):
    """How far a step or a clock is from its due, in working time as the daemon counted it."""
    if overdue or (late_minutes > 0 and not left_minutes):
        return say("late", time=say.duration(late_minutes))
    if left_minutes > 0:
        return say("left", time=say.duration(left_minutes))
    return say("due.now") if due else ""


def queue_rows(desk, names):
    """The queue as rows (the daemon's figures, spoken), the daemon's total and whether it capped it."""
    say = desk.say
    items, after, total, capped = [], "", 0, False
    while len(items) < QUEUE_MOST:
        answer = desk.call("queue", limit=QUEUE_PAGE, after=after)
        items.extend(answer.items)
        total, capped = answer.total, answer.total_capped
        if not answer.next_after:
            break
        after = answer.next_after
    rows = []
    for item in items:
        view, step = item.view, item.step
        rows.append({
            "case": view.id, "assignment": step.assignment_id,
            "step": say.spoken("StepKind", step.kind), "step_word": words.word(words.StepKind, step.kind),
            "due": say.time(step.due), "overdue": step.overdue,
            "left": standing(say, step.overdue, step.left_minutes, step.late_minutes, step.due),
            "network": say.network(view.network), "network_code": view.network, "author": view.author,
            "text": view.text[:160] + ("…" if len(view.text) > 160 else ""),
            "unit": desk.unit_title(step.unit, names) if step.unit else "", "unit_code": step.unit,
            "topics": list(view.topics), "high": view.importance == words.Importance.IMPORTANCE_HIGH,
        })
    return rows, total, capped


def filtered(rows, args):
    """The rows the page's filters (`args`) keep, and the filters."""
    wanted = {name: args.get(name, "") for name in ("unit", "network", "topic", "step")}
    out = [row for row in rows
           if (not wanted["unit"] or row["unit_code"] == wanted["unit"])
           and (not wanted["network"] or row["network_code"] == wanted["network"])
           and (not wanted["topic"] or wanted["topic"] in row["topics"])
           and (not wanted["step"] or row["step_word"] == wanted["step"])]
    return out, wanted


def history(desk, case_id, names):
    """The case's history in words: when, who (as whom), what, and what they said."""
    say = desk.say
    entries, after = [], 0
    while len(entries) < HISTORY_MOST:
        answer = desk.call("get_history", id=case_id, after=after)
        entries.extend(answer.entries)
        if not answer.next_after:
            break
        after = answer.next_after
    out = []
    if len(entries) >= HISTORY_MOST:
        out.append({"time": "", "who": "", "what": say("case.history.cut", count=len(entries)), "said": "", "version": 0})
    for entry in entries:
        details = {}
        try:
            details = json.loads(entry.details or "{}")
        except ValueError:
            pass
        said = [str(details[key]) for key in ("reason_text", "comment", "reason", "url", "to", "executor")
                if isinstance(details.get(key), (str, int)) and details.get(key) not in ("", 0)]
        who = desk.person(entry.on_behalf or entry.actor, names)
        if entry.on_behalf and entry.on_behalf != entry.actor:
            who = f"{desk.person(entry.actor, names)} → {who}"
        out.append({"time": say.time(entry.time), "who": who, "what": say.spoken("EventKind", entry.kind),
                    "said": "; ".join(said), "version": entry.case_version})
    return out


def clock_row(say, clock):
    """A clock as the page shows it: its kind, due, state and how far from due (the daemon's minutes)."""
    state = words.word(words.ClockState, clock.state)
    running = clock.state == words.ClockState.CLOCK_STATE_OPEN
    left = standing(say, False, clock.left_minutes if running else 0, clock.late_minutes, "")
    return {"kind": say.spoken("ClockKind", clock.kind), "due": say.time(clock.due), "state": say.spoken("ClockState", clock.state),
            "state_word": state, "met": say.time(clock.met_at), "left": left,
            "late": clock.late_minutes > 0}


def risk_lines(say, desk, row, names):
    """Why an assignment of the board is at risk, in sentences (as `otklik board` says them), and the
    units that could meet its due."""
    unit = desk.unit_title(row.unit, names)
    lines = []
    for risk in row.risks:
        if risk.reason == words.RiskReason.RISK_REASON_NOBODY_PRESENT:
            lines.append(say("risk.nobody", unit=unit, until=say.time(risk.next_present), due=say.time(row.due))
                         if risk.next_present else say("risk.nobody.long", unit=unit, due=say.time(row.due)))
        elif risk.reason == words.RiskReason.RISK_REASON_BEHIND:
            lines.append(say("risk.behind", unit=unit, waiting=risk.waiting, pace=say.duration(risk.pace_minutes),
                             present=risk.present, left=say.duration(risk.remaining_minutes), due=say.time(row.due)))
        else:
            lines.append(say.spoken("RiskReason", risk.reason))
    could = ", ".join(desk.unit_title(code, names) for code in row.could)
    return lines, could


def board_context(desk, names):
    """The board page: the units' counts and each assignment at risk with why."""
    say = desk.say
    answer = desk.call("board")
    units = [{"unit": desk.unit_title(row.unit, names), "code": row.unit, "open": row.open,
              "next_day": row.due_next_working_day, "at_risk": row.at_risk, "overdue": row.overdue,
              "present": ", ".join(desk.person(login, names) for login in row.present),
              "pace": say.duration(row.pace_minutes) if row.pace_minutes else ""} for row in answer.units]
    risky = []
    for row in answer.assignments:
        if not row.at_risk:
            continue
        lines, could = risk_lines(say, desk, row, names)
        risky.append({"assignment": row.assignment_id, "case": row.case_id, "unit": desk.unit_title(row.unit, names),
                      "step": say.spoken("StepKind", row.step), "due": say.time(row.due), "lines": lines, "could": could})
    return {"units": units, "risky": risky, "capped": answer.capped}


def case_context(desk, case_id, names):
    """Everything the case page shows, read from the daemon and spoken."""
    say = desk.say
    view = desk.call("get_case", id=case_id)
    assignments = []
    for assignment in view.assignments:
        drafts = []
        for draft in assignment.drafts:
            drafts.append({
                "kind": say.spoken("DraftKind", draft.kind), "state": say.spoken("DraftState", draft.state),
                "submitted": say.time(draft.submitted_at), "decided": say.time(draft.decided_at),
                "returned": draft.state == words.DraftState.DRAFT_STATE_RETURNED,
                "return_reason": say.spoken("ReturnReason", draft.return_reason) if draft.return_reason else "",
                "return_comment": draft.return_comment, "text": draft.text, "measures": draft.measures,
                "trimmed": draft.text_trimmed, "clocks": [clock_row(say, clock) for clock in draft.clocks],
                "files": [{"sha256": f.sha256, "name": f.name, "kind": f.kind, "size": f.size,
                           "captured": say.time(f.captured_at), "before": f.taken_before_message} for f in draft.attachments],
                "evidence_rule": draft.evidence_rule, "evidence_missing": draft.evidence_missing,
                "waiver": draft.evidence_waiver, "waived_at": say.time(draft.evidence_waived_at),
                "findings": [{"rule": say.spoken("QualityRule", f.rule), "words": list(f.words),
                              "is_copy": f.rule == words.QualityRule.QUALITY_RULE_COPY} for f in draft.findings],
            })
        publication = None
        if assignment.HasField("publication"):
            publication = assignment.publication
        assignments.append({
            "id": assignment.id, "unit": desk.unit_title(assignment.executor, names), "unit_code": assignment.executor,
            "state": say.spoken("AssignmentState", assignment.state),
            "state_word": words.word(words.AssignmentState, assignment.state),
            "responsible": desk.person(assignment.responsible, names) if assignment.responsible else "",
            "topics": list(assignment.topics), "clocks": [clock_row(say, clock) for clock in assignment.clocks],
            "drafts": drafts, "replies": [{"url": reply.url, "account": reply.account, "at": say.time(reply.published_at),
                                           "kind": say.spoken("DraftKind", reply.kind),
                                           "files_left_out": reply.files_left_out} for reply in assignment.replies],
            "previous": [desk.unit_title(code, names) for code in assignment.previous_executors],
            "publication": publication,
        })
    # Issue 31: the breach forecast of this case's executor steps (nothing when it cannot be read).
    waiting = [a.id for a in view.assignments if a.state in (words.AssignmentState.ASSIGNMENT_STATE_DRAFTING,
                                                             words.AssignmentState.ASSIGNMENT_STATE_AWAITING_FINAL)]
    if waiting:
        try:
            for row in desk.call("board", assignment_ids=waiting).assignments:
                if row.at_risk:
                    lines, could = risk_lines(say, desk, row, names)
                    for assignment in assignments:
                        if assignment["id"] == row.assignment_id:
                            assignment["risks"], assignment["could"] = lines, could
        except RPCError:
            pass
    steps = []
    for step in view.next_steps:
        whose = say.spoken("Role", step.role)
        if step.unit:
            whose = desk.unit_title(step.unit, names)
        if step.responsible:
            whose += f" ({desk.person(step.responsible, names)})"
        steps.append({"kind": words.word(words.StepKind, step.kind), "said": say.spoken("StepKind", step.kind),
                      "yours": step.yours,
                      "assignment": step.assignment_id, "whose": whose, "due": say.time(step.due),
                      "overdue": step.overdue,
                      "left": standing(say, step.overdue, step.left_minutes, step.late_minutes, step.due)})
    try:
        accounts = [account.name for account in desk.call("list_accounts").accounts if account.network == view.network]
    except RPCError:
        accounts = []
    # Issue 31: a case in an incident says so, and that its draft steps are the incident's.
    incident = {"id": view.incident, "title": view.incident_title} if view.incident else None
    connectors = set()
    try:
        for connector in desk.call("list_connectors").connectors:
            if not connector.silent:
                connectors.add(connector.report.network)
    except RPCError:
        pass
    return {
        "view": view, "state": say.spoken("CaseState", view.state),
        "importance": say.spoken("Importance", view.importance),
        "network": say.network(view.network), "detected": say.time(view.detected_at), "posted": say.time(view.posted_at),
        "edited": say.time(view.edited_at), "deleted": say.time(view.deleted_at),
        "deleted_by": say.spoken("MessageDeleter", view.deleted_by) if view.deleted_by else "",
        "route": clock_row(say, view.route) if view.HasField("route") and view.route.kind else None,
        "assignments": assignments, "steps": steps, "step_kinds": {step["kind"] for step in steps if step["yours"]},
        "hints": [say.spoken("RejectionReason", hint) for hint in view.hints],
        "rejection": say.spoken("RejectionReason", view.rejection_reason) if view.rejection_reason else "",
        "history": history(desk, view.id, names), "connector": view.network in connectors, "accounts": accounts,
        "incident": incident,
        "url_safe": view.url if re.match(r"^https?://", view.url or "") else "",
        "units": sorted((unit for unit in names["units"].values()
                         if unit.kind in (words.UnitKind.UNIT_KIND_DEPARTMENT, words.UnitKind.UNIT_KIND_INSTITUTION,
                                          words.UnitKind.UNIT_KIND_ADMINISTRATION)), key=lambda unit: unit.title),
        "rejection_reasons": [(words.word(words.RejectionReason, n), say.spoken("RejectionReason", n))
                              for n in words.RejectionReason.values() if n],
        "return_reasons": [(words.word(words.ReturnReason, n), say.spoken("ReturnReason", n))
                           for n in words.ReturnReason.values() if n],
        "draft_kinds": [(words.word(words.DraftKind, n), say.spoken("DraftKind", n)) for n in words.DraftKind.values() if n],
    }


def conflict_words(desk, case_id, expected, names):
    say = desk.say
    """Who acted first and what they did, from the history after the version the form was made on."""
    try:
        entries = history(desk, case_id, names)
    except RPCError:
        return ""
    later = [entry for entry in entries if entry["version"] > expected]
    if not later:
        return ""
    last = later[-1]
    return say("conflict", who=last["who"], what=last["what"], time=last["time"])

def marked(snippet, marks):
    """The snippet as (text, matched) pieces: the template marks the matched words, escaping each piece."""
    pieces, at = [], 0
    for mark in sorted(marks, key=lambda span: span.start):
        start, end = max(at, mark.start), min(len(snippet), mark.start + mark.length)
        if start >= end:
            continue
        pieces += [(snippet[at:start], False), (snippet[start:end], True)]
        at = end
    pieces.append((snippet[at:], False))
    return [piece for piece in pieces if piece[0]]

