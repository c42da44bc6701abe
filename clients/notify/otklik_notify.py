#!/usr/bin/env python3
"""Otklik desktop helper: shows a desktop notification (notify-send) for what concerns me.

Watches the daemon's events for the logged-in staff member (Events.Watch with mine=true) and pops up a
new assignment of my unit or given to me, a returned draft, a warning, a breach: each names the case's
post (its author and the start of its text) and what to do by when; clicking it (where the notification
daemon offers actions) opens `otklik case show` in a terminal. My own steps do not pop up. Events about
one assignment (or one case) at one instant come as one pop-up, the most urgent one's (a breach before a
warning, a warning before news) with the others' lines added (issue 26, item 14). After a time away (the
helper or the daemon down) what was missed comes as one summary, not a burst. It remembers the last event
it handled, so a restart neither repeats nor misses anything, and an event delivered again (a reconnect
from an older point) is not shown twice; it says when the daemon is away and when it is back. Without
notify-send it says once how to install it and prints to the terminal.
Under a Russian locale (LC_ALL, LC_MESSAGES or LANG starting with "ru") it speaks Russian, naming clocks
and networks as the otklik CLI does (the client's `words.spoken` and `words.network_name`) and units by
their titles.
A Python without protobuf or the Otklik client gets one sentence naming what to install, and exit 69.
Run it at login with the systemd user unit beside this file.

The daemon on another machine is reached through OpenSSH, as with the otklik CLI's --host (issue 27):
`--host ssh://[user@]host[:port][/path/to/otklik.sock]`, or $OTKLIK_HOST when neither --host nor
--socket is given. The helper runs the system's ssh (your ~/.ssh/config, keys and agent; never a
password prompt), which runs `otklik dial-stdio` on the server; a click then opens
`otklik --host ... case show` there too. A lost SSH connection is waited out like a daemon restart: it
reconnects every --retry-seconds and resumes from the last event it handled, showing what came
meanwhile. What went wrong (the host unknown or unreachable, its key, the login refused, no otklik or
no daemon on the server) is said once on stderr in the reader's language; without an ssh client it says
how to install one and exits 69.

    /usr/bin/python3 clients/notify/otklik_notify.py --host ssh://petrova@otklik.example.ru
"""
import argparse
import datetime
import html
import json
import os
import queue
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time

LOCALE = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
RUSSIAN = LOCALE.startswith("ru")
# The Python client beside this helper, as in the repository and as scripts/install lays them out.
CLIENT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
# sysexits EX_UNAVAILABLE: what the helper needs is not there; restarting will not bring it.
MISSING = 69


def text(english, russian):
    return russian if RUSSIAN else english


def missing(error):
    """The sentence for a helper that cannot import what it needs (`error`, an ImportError): what is
    missing for this Python and the command that installs it; None when it is not a missing module
    (a fault of the helper's own, left to its traceback)."""
    python = sys.executable or "python3"
    name = getattr(error, "name", None) or ""
    if name == "otklik_client" or name.startswith("otklik_client."):
        venv = "python3 -m venv ~/otklik-venv && ~/otklik-venv/bin/pip install ./clients/python"
        return text(f"the Otklik Python client (otklik_client) is neither beside this helper ({CLIENT}) nor installed for "
                    f"{python}; keep the helper in the repository's clients/notify, or in the repository run {venv} "
                    "and start the helper with ~/otklik-venv/bin/python.",
                    f"Python-клиент Отклика (otklik_client) не найден ни рядом с помощником ({CLIENT}), ни среди "
                    f"установленных для {python}; оставьте помощник в clients/notify репозитория или выполните в "
                    f"репозитории {venv} и запускайте помощник через ~/otklik-venv/bin/python.")
    if not (name == "google" or name.startswith("google.")):
        return None
    # The system Python of Debian takes Debian's package; any other (a venv, pyenv, a build of its own) pip.
    system = (os.path.exists("/etc/debian_version") and sys.prefix == sys.base_prefix
              and os.path.realpath(python).startswith("/usr/bin/"))
    command = (text("apt-get install -y python3-protobuf (as root)", "apt-get install -y python3-protobuf (от имени root)")
               if system else f"{shlex.quote(python)} -m pip install 'protobuf>=3.20,<6'")
    if isinstance(error, ModuleNotFoundError) and name in ("google", "google.protobuf"):
        return text(f"{python} has no protobuf module, which the helper needs; install it: {command}",
                    f"у {python} нет модуля protobuf, без которого помощник не работает; установите его: {command}")
    return text(f"{python} cannot load the protobuf module the helper needs ({error}): it needs protobuf 3.20 "
                f"or newer; install it: {command}",
                f"{python} не может загрузить нужный помощнику модуль protobuf ({error}): нужен protobuf 3.20 "
                f"или новее; установите его: {command}")


sys.path.insert(0, CLIENT)

try:
    from otklik_client import (BadAddress, Client, RemoteUnavailable, RPCError, StatusCode, UntrustedSocket, events_pb2,
                               instant, parse_address, words)
    from otklik_client.arguments import Parser
except ImportError as error:
    sentence = missing(error) if __name__ == "__main__" else None
    if sentence is None:
        raise
    print(f"otklik-notify: {sentence}", file=sys.stderr)
    sys.exit(MISSING)

KINDS = [words.event_kind(kind) for kind in (
    "case.routed", "assignment.given", "draft.returned", "clock.warning", "clock.breached", "clock.at_risk", "assignment.rerouted",
    "case.executor_added", "case.reopened", "draft.sent_back", "reply.publication_failed", "connector.trouble")]

# A summary instead of single notifications when more than this many were missed (events shown as one
# pop-up, those of one assignment at one instant, count once).
BURST = 3
# Events about one assignment (or one case, for an event about the case) whose times are at most this
# many seconds apart are of one instant, and one pop-up: the daemon stamps its events in whole seconds,
# and the notices it computes together (after it was away, or when their points fall on one working
# moment) share their `time`, or straddle a second's boundary.
SAME_INSTANT_SECONDS = 2
# A live event waits this long for others of its instant (they come within milliseconds: the notices a
# step makes due, each its own commit), and never longer than GATHER_LIMIT_SECONDS in all.
GATHER_SECONDS = 0.5
GATHER_LIMIT_SECONDS = 3.0
# At most this many notifications wait for a click (one notify-send each); a newer one ends the wait of
# the oldest, whose notification may stay on screen but no longer opens the case when clicked. A wait
# is ended only once it has run SHOWN_SECONDS (its notification is on screen by then): when every wait
# is younger, the newer notification is shown without a click, so a burst never loses one.
CLICKABLE = 5
SHOWN_SECONDS = 2.0
# A wait for a click ends after this long even when the notification is still on screen.
CLICK_SECONDS = 3600
# How long the helper's main thread waits for an event, idle, before it looks again. Never forever: a
# Ctrl-C the kernel hands to one of the other threads only marks it for the main thread, which acts on
# it when it next wakes; a wait without end would outlast it.
IDLE_WAKE_SECONDS = 1.0


def plural(count, one, few, many):
    """Russian plural: 1 событие, 2 события, 5 событий (21 событие, 11 событий)."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def counted(count, english, russian):
    """A count with its noun agreeing, in the reader's language: `english` (one, many), `russian`
    (one, few, many) as `plural` takes them: "1 new event", "5 новых событий"."""
    if RUSSIAN:
        return f"{count} {plural(count, *russian)}"
    return f"{count} {english[0] if count == 1 else english[1]}"


def listed(items):
    """Items as a list reads: "А, Б и В" ("A, B and C"), "А и Б", one alone."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + text(" and ", " и ") + items[-1]


def hhmm(iso):
    moment = instant(iso) if iso else None
    return moment.strftime("%d.%m %H:%M") if moment else "?"


def hhmm_unix(seconds, like_iso):
    """Unix seconds as `hhmm` writes an instant, in the UTC offset of `like_iso` (the notice's due)."""
    like = instant(like_iso) if like_iso else None
    zone = like.tzinfo if like is not None else datetime.timezone.utc
    return datetime.datetime.fromtimestamp(seconds, zone).strftime("%d.%m %H:%M")


def point_words(point):
    """A warning's point as people read it: "50%" as it is, "15m" (minutes before the due) "15 min"
    ("15 мин")."""
    minutes = re.fullmatch(r"(\d+)m", point or "")
    return text(f"{minutes[1]} min", f"{minutes[1]} мин") if minutes else point


def message(event, view=None, units=None):
    """(title, body, urgency) for an event, or None when it is not worth a notification. `view`: the
    case (cases_pb2.CaseView), when it could be read, for its post and its terms; `units`: the units'
    titles by name, when they could be read, for a unit the event names."""
    # The event's facts, typed (the contract's `payload`): a step's, or a clock's notice; the one the
    # event does not carry reads empty.
    step, notice = event.step, event.clock
    where = event.assignment_id or event.case_id
    clock_name = words.spoken(words.ClockKind, notice.clock, russian=RUSSIAN) if notice.clock else ""
    kind = words.event_word(event.kind)

    def post():
        if view is None or not view.text:
            return where
        snippet = " ".join(view.text.split())
        snippet = snippet if len(snippet) <= 80 else snippet[:79] + "…"
        network = f"{words.network_name(view.network, russian=RUSSIAN)} · " if view.network else ""
        return f"{where} · {network}{view.author}: «{snippet}»"

    def unit(name):
        return (units or {}).get(name) or name

    def due(assignment_id, kinds):
        for assignment in (view.assignments if view is not None else []):
            if assignment.id == assignment_id:
                for clock_view in assignment.clocks:
                    if words.word(words.ClockKind, clock_view.kind) in kinds and not clock_view.met_at:
                        return hhmm(clock_view.due)
        return None

    def executors_step(assignment_id):
        """The step of `assignment_id` that waits for its executor now (draft, rework, final draft), as
        the case says (`next_steps`: its due is that step's own term, the draft's before the reply's);
        None when the step is someone else's: the draft is with the curator, or the assignment is
        another unit's in a split case (`yours`: the daemon's own rule of whom a step waits for)."""
        for step in (view.next_steps if view is not None else []):
            if step.assignment_id == assignment_id and step.yours and words.word(words.Role, step.role) == "executor":
                return step
        return None

    def new_work(ids):
        """(body, how many assignments it names), or None when none asks anything of the executor."""
        if view is not None:
            # Only assignments whose step is the executor's now: a case given while its draft is with
            # the curator asks nothing of anyone in the unit (issue 26).
            ids = [assignment_id for assignment_id in ids if executors_step(assignment_id) is not None]
            if not ids:
                return None
        step = executors_step(ids[0]) if ids else None
        term = hhmm(step.due) if step is not None and step.due else None
        todo = text(f"Prepare a draft reply by {term}.", f"Подготовьте проект ответа до {term}.") if term else \
            text("Prepare a draft reply.", "Подготовьте проект ответа.")
        body = listed(ids) + ("\n" + post().split(" · ", 1)[-1] if view is not None and view.text else "") + "\n" + todo
        return body, len(ids)

    if kind in ("case.routed", "case.executor_added", "case.reopened"):
        ids = [f"{event.case_id}/{assignment.index}" for assignment in step.assignments] or [where]
        work = new_work(ids)
        if work is None:
            return None
        body, count = work
        return (text("New assignment", "Новое поручение") if count == 1 else text("New assignments", "Новые поручения"),
                body, "normal")
    if kind == "assignment.given":
        work = new_work([where])
        return (text("Assignment given to you", "Вам передано поручение"), work[0], "normal") if work else None
    if kind == "draft.returned":
        term = due(where, ("rework",))
        todo = text(f"Rework it by {term}: ", f"Доработайте до {term}: ") if term else text("Rework it: ", "Доработайте: ")
        return text("Draft returned", "Проект возвращён"), f"{post()}\n{todo}{step.comment}", "normal"
    if kind == "draft.sent_back":
        return (text("Draft sent back: state the measures taken", "Проект возвращён: укажите принятые меры"),
                f"{post()}\n{step.comment}", "normal")
    if kind == "assignment.rerouted":
        return (text("Assignment rerouted", "Поручение передано"),
                f"{post()}\n→ {unit(step.executor)}: {step.reason}", "normal")
    if kind == "connector.trouble":
        # The daemon sends it to curators and administrators alone, once per change into trouble.
        trouble = event.connector
        network = words.network_name(trouble.network, russian=RUSSIAN)
        state = words.spoken(words.ConnectorState, trouble.state, russian=RUSSIAN)
        return (text(f"The {network} connector: {state}", f"Коннектор {network}: {state}"),
                f"{trouble.community}: {trouble.error}\n" + text(
                    "Comments do not come in by themselves meanwhile; replies handed to it wait.",
                    "Пока комментарии сами не поступают, переданные ему ответы ждут."), "critical")
    if kind == "reply.publication_failed":
        # The curator's step again (the daemon's rule, `yours`): an executor of the unit is not asked.
        if view is not None and not any(s.assignment_id == where and s.yours and s.publication_failed
                                        for s in view.next_steps):
            return None
        why = words.spoken(words.PublicationFailureKind, step.failure.kind, russian=RUSSIAN)
        network = words.network_name(step.network, russian=RUSSIAN) if step.network else ""
        term = due(where, ("publish",))
        todo = text(f"Publish it by hand or hand it over again{f' by {term}' if term else ''}.",
                    f"Опубликуйте вручную или передайте снова{f' до {term}' if term else ''}.")
        return (text(f"Not published by the {network} connector", f"Коннектор {network} не опубликовал ответ"),
                f"{post()}\n{why}\n{todo}", "critical")
    if kind == "clock.warning":
        due_at, point = hhmm(notice.due), notice.point
        if not point:
            said = text(f"Due {due_at}.", f"Срок {due_at}.")
        elif point_words(point) != point:  # minutes before the due
            said = text(f"Due {due_at} ({point_words(point)} left).", f"Срок {due_at} (осталось {point_words(point)}).")
        else:
            said = text(f"Due {due_at} ({point} of the term used).", f"Срок {due_at} (прошло {point} срока).")
        return text(f"Due soon: {clock_name}", f"Скоро срок: {clock_name}"), f"{post()}\n{said}", "normal"
    if kind == "clock.at_risk":
        why = "; ".join(words.spoken(words.RiskReason, reason, russian=RUSSIAN) for reason in notice.risks)
        back = ""
        if notice.next_present_unix:
            back = " " + text(f"Someone who can act is back on {hhmm_unix(notice.next_present_unix, notice.due)}.",
                              f"Кто-то, кто может действовать, будет на месте {hhmm_unix(notice.next_present_unix, notice.due)}.")
        return (text(f"At risk: {clock_name}", f"Под угрозой: {clock_name}"),
                f"{post()}\n" + text(f"Due {hhmm(notice.due)}: {why}.", f"Срок {hhmm(notice.due)}: {why}.") + back
                + "\n" + text("Give it to someone present, or reroute it: `otklik board` says where it could go.",
                              "Передайте тому, кто на месте, или перенаправьте: куда — подскажет `otklik board`."),
                "critical")
    if kind == "clock.breached":
        return (text(f"Term breached: {clock_name}", f"Срок нарушен: {clock_name}"),
                f"{post()}\n" + text(f"It was due {hhmm(notice.due)}: finish it first.",
                                     f"Срок был {hhmm(notice.due)}: сделайте это в первую очередь."),
                "critical")
    return None


def summary(missed):
    """One notification for what was missed while away: how many, how many breaches, which cases (the
    first five by number, then how many more)."""
    total = len(missed)
    breaches = sum(1 for event in missed if words.event_word(event.kind) == "clock.breached")
    title = text("Otklik: ", "Отклик: ") + counted(total, ("new event", "new events"),
                                                   ("новое событие", "новых события", "новых событий"))
    parts = [counted(breaches, ("term breached", "terms breached"), ("просрочка", "просрочки", "просрочек"))] if breaches else []
    cases = sorted({event.case_id for event in missed if event.case_id})
    if cases:
        more = [text(f"{len(cases) - 5} more", f"ещё {len(cases) - 5}")] if len(cases) > 5 else []
        parts.append((text("case ", "дело ") if len(cases) == 1 else text("cases ", "дела ")) + listed(cases[:5] + more))
    hint = text("See them with `otklik queue`.", "Что ждёт вашего шага: `otklik queue`.")
    return title, "; ".join(parts) + "\n" + hint if parts else hint, "critical" if breaches else "normal"


def moment(event):
    """When the event happened (its `time`), in seconds since the epoch; None when it does not say."""
    try:
        when = instant(event.time)
    except ValueError:
        return None
    return when.timestamp() if when is not None else None


def together(events):
    """`events` (in the log's order) as the pop-ups they make, each a list of events in the log's order,
    the lists in the order of their first events: those about one assignment at one instant (times at
    most SAME_INSTANT_SECONDS apart, counted from the first of them) are one; an event about a case as a
    whole (no assignment: a routing, an executor added, a reopening) is one with every event of its case
    at its instant. Events of different assignments, of different instants, or without a case or a time
    stay apart."""
    groups, cases = [], {}
    for event in events:
        when = moment(event)
        if event.case_id and when is not None:
            cases.setdefault(event.case_id, []).append((when, event))
        else:
            groups.append([event])
    for timed in cases.values():
        timed.sort(key=lambda pair: (pair[0], pair[1].sequence))
        instants = []
        for when, event in timed:
            if instants and when - instants[-1][0] <= SAME_INSTANT_SECONDS:
                instants[-1][1].append(event)
            else:
                instants.append((when, [event]))
        for _, at_once in instants:
            if any(not event.assignment_id for event in at_once):
                groups.append(at_once)
                continue
            by_assignment = {}
            for event in at_once:
                by_assignment.setdefault(event.assignment_id, []).append(event)
            groups.extend(by_assignment.values())
    groups = [sorted(group, key=lambda event: event.sequence) for group in groups]
    return sorted(groups, key=lambda group: group[0].sequence)


def urgency_order(event):
    """Sorts the events of one pop-up the most urgent first: a breach, then a warning, then news; among
    notices the clock due soonest first, and of one clock's warnings one counted in minutes before the
    due (the last call) before the larger share of the term; then the log's order."""
    kind = words.event_word(event.kind)
    due = float(event.clock.due_unix)
    if kind == "clock.breached":
        return 0, due, (0, 0.0), event.sequence
    if kind == "clock.at_risk":
        return 1, due, (-1, 0.0), event.sequence
    if kind == "clock.warning":
        point = event.clock.point
        minutes, share = re.fullmatch(r"(\d+)m", point), re.fullmatch(r"(\d+(?:\.\d+)?)%", point)
        order = (0, float(minutes[1])) if minutes else (1, -float(share[1])) if share else (2, 0.0)
        return 1, due, order, event.sequence
    return 2, 0.0, (0, 0.0), event.sequence


URGENCIES = ("low", "normal", "critical")


def merged(notes):
    """One notification for `notes`, the (event, (title, body, urgency)) of one pop-up: the most urgent
    event's title and body, each other event's lines not said yet added (the first of them after its
    own title, when that differs), the highest urgency."""
    notes = sorted(notes, key=lambda note: urgency_order(note[0]))
    title, body, urgency = notes[0][1]
    lines = body.split("\n")
    for _, (other_title, other_body, other_urgency) in notes[1:]:
        new = [line for line in other_body.split("\n") if line and not any(line in said for said in lines)]
        if new and other_title != title:
            new[0] = f"{other_title} — {new[0]}"
        lines.extend(new)
        if URGENCIES.index(other_urgency) > URGENCIES.index(urgency):
            urgency = other_urgency
    return title, "\n".join(lines), urgency


class Shown:
    """What the helper did, across its reconnects: `through`, the newest event it handled (shown, summed
    up, or not worth a pop-up), so an event delivered again (a reconnect from an older point) is never
    shown twice; `count`, the notifications it showed (--exit-after)."""

    def __init__(self):
        self.through = 0
        self.count = 0


class State:
    """The last sequence number handled, kept in a small JSON file written atomically."""

    def __init__(self, path):
        self.path = path

    def load(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                return int(json.load(f)["last_sequence"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, sequence):
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        temporary = self.path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump({"last_sequence": sequence}, f)
        os.replace(temporary, self.path)


def markup_free(body):
    """The body as notification daemons show it literally: they read it as markup (the freedesktop
    notification spec: <b>, <i>, <u>, <a href>, <img> and entities), and it carries citizens' names and
    texts and staff's comments, so & < > are written as entities."""
    return html.escape(body, quote=False)


def plain_title(title):
    """The summary, which the spec keeps plain text (daemons show it as it is, so it is not escaped):
    it carries only our own words, and any < > & that came with the event's details are dropped, so it
    reads the same where a daemon takes it for markup anyway."""
    return title.translate({ord("<"): None, ord(">"): None, ord("&"): None})


class _Wait:
    """A notify-send waiting for a click on its notification (--wait --action)."""

    def __init__(self, process, opener):
        self.process = process
        self.opener = opener
        self.started = time.monotonic()
        self.ended = False  # told to stop waiting (a newer notification, its time is up, the helper ends)

    def end(self):
        if not self.ended:
            self.ended = True
            try:
                self.process.terminate()
            except OSError:
                pass


class Desktop:
    """Shows notifications with notify-send, or prints them when there is none (said once, how to get it).
    A clickable notification's notify-send waits for the click beside the helper: at most CLICKABLE of
    them at once, watched and reaped by one thread (not one per notification)."""

    def __init__(self, command, terminal=None, host=None):
        self.command = command if os.sep in command and os.access(command, os.X_OK) else shutil.which(command)
        self.hinted = False
        self.terminal = terminal
        self.host = host  # --host: the daemon a click's `otklik case show` reaches too
        self.waiting = []  # _Wait, the newest last
        self.opened = []  # terminals a click opened, reaped when they end
        self.lock = threading.Condition()
        self.reaper = None
        self.actions = False
        if self.command:
            try:
                help_text = subprocess.run([self.command, "--help"], capture_output=True, text=True, timeout=5).stdout
                self.actions = "--action" in help_text
            except (OSError, subprocess.SubprocessError):
                pass

    def show(self, title, body, urgency, case_id=None):
        if self.command:
            arguments = [self.command, f"--app-name={text('Otklik', 'Отклик')}", f"--urgency={urgency}"]
            shown = [plain_title(title), markup_free(body)]
            opener = self.opener(case_id)
            try:
                if opener and self._room_to_wait():
                    arguments += ["--wait", f"--action=open={text('Open the case', 'Открыть дело')}"]
                    self._wait_for_click(arguments + shown, opener)
                else:
                    subprocess.run(arguments + shown, check=False, timeout=30)
                return
            except (OSError, subprocess.SubprocessError):
                self.command = None
        if not self.hinted:
            self.hinted = True
            print(text("otklik-notify: notify-send is missing, so notifications are printed here; install it with "
                       "`sudo apt-get install libnotify-bin`",
                       "otklik-notify: нет notify-send, поэтому уведомления печатаются здесь; установите его: "
                       "`sudo apt-get install libnotify-bin`"), file=sys.stderr, flush=True)
        print(f"{datetime.datetime.now():%H:%M} {title}: {body}".replace("\n", " — "), flush=True)

    def _room_to_wait(self):
        """Whether one more notify-send may wait for a click: fewer than CLICKABLE wait, or the oldest
        has been on screen long enough to end its wait (never a notify-send that may not have shown its
        notification yet: ended, it would take the notification with it)."""
        with self.lock:
            self._collect()  # those that ended are not counted against the bound
            live = [wait for wait in self.waiting if not wait.ended]
            if len(live) < CLICKABLE:
                return True
            if time.monotonic() - live[0].started >= SHOWN_SECONDS:
                live[0].end()
                return True
            return False

    def _wait_for_click(self, arguments, opener):
        # notify-send prints the action clicked, then ends; its output is a word, read once it has ended.
        process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        os.set_blocking(process.stdout.fileno(), False)
        with self.lock:
            self.waiting.append(_Wait(process, opener))
            if self.reaper is None:
                self.reaper = threading.Thread(target=self._reap, name="otklik-notify-clicks", daemon=True)
                self.reaper.start()
            self.lock.notify()

    def _reap(self):
        """The one thread that sees clicks: every moment while a notification waits, asleep otherwise."""
        while True:
            with self.lock:
                while not (self.waiting or self.opened):
                    self.lock.wait()
                self._collect()
                self.lock.wait(0.2)

    def _collect(self):
        """Opens the case of each click made, forgets (reaps) the notify-sends that ended and ends the
        waits whose time is up. Called with the lock held."""
        for wait in list(self.waiting):
            if wait.process.poll() is None:
                if time.monotonic() - wait.started > CLICK_SECONDS:
                    wait.end()
                continue
            self.waiting.remove(wait)
            try:
                chosen = os.read(wait.process.stdout.fileno(), 4096).decode(errors="replace").strip()
            except OSError:
                chosen = ""
            wait.process.stdout.close()
            if chosen == "open" and not wait.ended:
                try:
                    self.opened.append(subprocess.Popen(wait.opener, start_new_session=True, stdin=subprocess.DEVNULL))
                except OSError:
                    pass
        self.opened = [process for process in self.opened if process.poll() is None]

    def settle(self, seconds):
        """Gives clicks already made a moment to open their terminal, then ends the waits left: the
        helper leaves no notify-send behind."""
        deadline = time.monotonic() + seconds
        with self.lock:
            self._collect()
            while self.waiting and time.monotonic() < deadline:
                self.lock.wait(0.05)
                self._collect()
            for wait in self.waiting:
                wait.end()
            for wait in self.waiting:
                try:
                    wait.process.wait(timeout=1)
                except subprocess.TimeoutExpired:
                    wait.process.kill()
                    wait.process.wait()
                wait.process.stdout.close()
            self.waiting = []

    def opener(self, case_id):
        """The command that opens the case in a terminal, when a click can run it."""
        otklik = shutil.which("otklik")
        terminal = self.terminal or shutil.which("x-terminal-emulator")
        if not (self.actions and case_id and otklik and terminal):
            return None
        return [terminal, "-e", otklik, *(["--host", self.host] if self.host else []), "case", "show", case_id]


class Link:
    """Says when the daemon goes away and when it is back, once each."""

    def __init__(self, desktop):
        self.desktop = desktop
        self.away = False

    def lost(self, why):
        """`why`: in the reader's language (`quoted` for the client's own English sentence)."""
        if not self.away:
            self.away = True
            print(f"otklik-notify: {text('the daemon is away', 'демон недоступен')} ({why}); "
                  f"{text('waiting for it', 'жду его')}", file=sys.stderr, flush=True)
            self.desktop.show(text("Otklik", "Отклик"), text("The daemon is away; notifications resume when it is back.",
                                                             "Нет связи с демоном; уведомления возобновятся, когда он вернётся."), "low")

    def back(self):
        if self.away:
            self.away = False
            print(f"otklik-notify: {text('the daemon is back', 'демон снова на связи')}", file=sys.stderr, flush=True)
            self.desktop.show(text("Otklik", "Отклик"), text("The daemon is back.", "Связь с демоном восстановлена."), "low")


def watch_once(args, state, desktop, link, shown):
    """Follows the events until the stream ends: "ended" (the daemon closed it), "behind" (this helper
    read too slowly: go on at once from where it is)."""
    metadata = {"otklik-as": args.act_as} if args.act_as else {}
    with Client(args.host or args.socket, timeout=None, metadata=metadata) as client:
        me = client.whoami(timeout=10).login
        newest = client.health(timeout=10).last_sequence
        link.back()
        last = state.load()
        if last is None:
            # First run: start from now rather than replaying the whole history.
            last = newest
            state.save(last)
        request = events_pb2.WatchRequest(mine=True, kinds=KINDS, from_sequence=last)
        inbox = queue.Queue()

        def read():
            try:
                for event in client.stream("otklik.v1.Events", "Watch", request, events_pb2.WatchEvent, timeout=None):
                    inbox.put(event)
                inbox.put(None)
            except RPCError as error:
                inbox.put(error)

        threading.Thread(target=read, daemon=True).start()
        # What came while away (shown once caught up), and live events waiting a moment for others of their
        # instant; `upto`: the newest event read, handled once those before it are shown.
        missed, catching_up = [], last < newest
        gathered, gathering_since = [], None
        upto = last
        views = {}
        units = {}

        def view_of(event):
            if event.case_id and event.case_id not in views:
                try:
                    views[event.case_id] = client.get_case(event.case_id, timeout=10)
                except RPCError:
                    views[event.case_id] = None
            return views.get(event.case_id)

        def units_for(event):
            """The units' titles, read again when the event names a unit not read yet (one added since)."""
            named = event.step.executor
            if named and named not in units:
                try:
                    units.update({unit.name: unit.title for unit in client.list_units(timeout=10).units if unit.title})
                except RPCError:
                    pass
            return units

        def deliver(group):
            """One pop-up for the events of one assignment (or case) at one instant, one click action."""
            notes = []
            for event in group:
                note = message(event, view_of(event), units_for(event))
                if note:
                    notes.append((event, note))
            if notes:
                desktop.show(*merged(notes), case_id=group[0].case_id or None)
                shown.count += 1

        def handled(sequence):
            """Everything up to `sequence` is handled: remembered, here and in the state file."""
            if sequence > shown.through:
                shown.through = sequence
            state.save(sequence)
            if args.exit_after and shown.count >= args.exit_after:
                raise SystemExit(0)

        while True:
            if gathered and time.monotonic() - gathering_since >= GATHER_LIMIT_SECONDS:
                item = "quiet"  # a steady stream: what waited long enough is shown now
            else:
                if catching_up:
                    timeout = 0.5
                elif gathered:
                    timeout = max(0.0, min(GATHER_SECONDS, gathering_since + GATHER_LIMIT_SECONDS - time.monotonic()))
                else:
                    timeout = IDLE_WAKE_SECONDS
                try:
                    item = inbox.get(timeout=timeout)
                except queue.Empty:
                    item = "quiet"
            event = item if isinstance(item, events_pb2.WatchEvent) and not item.fell_behind else None
            if catching_up and (event is None or event.sequence > newest):
                # What came while away: one pop-up for each assignment's instant when a few, else one summary.
                catching_up = False
                groups = together(missed)
                if len(groups) > BURST:
                    desktop.show(*summary(missed))
                    shown.count += 1
                else:
                    for group in groups:
                        deliver(group)
                missed = []
                handled(upto)
                if item == "quiet":
                    continue
            if gathered and event is None:
                # A quiet moment after live events (or the stream's end): those of one instant have come.
                for group in together(gathered):
                    deliver(group)
                gathered, gathering_since = [], None
                handled(upto)
                if item == "quiet":
                    continue
            if item == "quiet":
                continue
            if item is None:
                return "ended"
            if isinstance(item, RPCError):
                raise item
            if event is None:  # fell behind
                shown.through = max(shown.through, item.resume_from)
                state.save(item.resume_from)
                return "behind"
            upto = max(upto, event.sequence)
            if event.sequence > shown.through and me not in (event.actor, event.on_behalf) and message(event) is not None:
                if catching_up:
                    missed.append(event)
                    continue
                gathered.append(event)
                if gathering_since is None:
                    gathering_since = time.monotonic()
                continue
            # Mine, not worth a pop-up, or shown already (delivered again after a reconnect): handled.
            if not (catching_up or gathered):
                handled(upto)


def address(value):
    """--host's value, checked as the client reads it: a refusal is a usage error in the reader's language."""
    try:
        parse_address(value)
    except BadAddress as error:
        raise argparse.ArgumentTypeError(refusal(error)) from None
    return value


def arguments():
    """The helper's command line, its help in the reader's language."""
    parser = Parser(description=text(__doc__.splitlines()[0], "Помощник Отклика: уведомления на рабочем столе "
                                     "(notify-send) о том, что касается меня."))
    said = parser.options()
    where = said.add_mutually_exclusive_group()
    where.add_argument("--socket", default=None, metavar=text("SOCKET", "СОКЕТ"),
                       help=text("the daemon's socket (default: as the otklik CLI finds it)",
                                 "сокет демона (по умолчанию тот, что находит otklik)"))
    where.add_argument("--host", default=None, type=address, metavar=text("HOST", "ХОСТ"),
                       help=text("the daemon on another machine: ssh://[user@]host[:port][/path/to/otklik.sock] "
                                 "(default: $OTKLIK_HOST when --socket is not given), through your SSH keys",
                                 "демон на другой машине: ssh://[пользователь@]хост[:порт][/путь/к/otklik.sock] "
                                 "(по умолчанию $OTKLIK_HOST, если не указан --socket), по вашим ключам SSH"))
    said.add_argument("--state", default=os.path.join(os.environ.get("XDG_STATE_HOME", os.path.expanduser("~/.local/state")),
                                                      "otklik", "notify.json"), metavar=text("STATE", "ФАЙЛ"),
                      help=text("where the last handled sequence is kept",
                                "где хранится номер последнего обработанного события"))
    said.add_argument("--notify-send", default="notify-send", metavar=text("NOTIFY_SEND", "КОМАНДА"),
                      help=text("the notification command", "команда, показывающая уведомления"))
    said.add_argument("--terminal", default=None, metavar=text("TERMINAL", "ТЕРМИНАЛ"),
                      help=text("the terminal a click opens the case in (default: x-terminal-emulator)",
                                "терминал, в котором щелчок открывает дело (по умолчанию x-terminal-emulator)"))
    said.add_argument("--as", dest="act_as", default=None, metavar=text("ACT_AS", "ЛОГИН"),
                      help=text("watch as this login (admins only)",
                                "следить от имени этого логина (только администратор)"))
    said.add_argument("--exit-after", type=int, default=0, metavar=text("EXIT_AFTER", "N"),
                      help=text("stop after this many notifications (tests)",
                                "завершиться после стольких уведомлений (для тестов)"))
    said.add_argument("--retry-seconds", type=float, default=5.0, metavar=text("RETRY_SECONDS", "СЕКУНДЫ"),
                      help=text("wait before reconnecting", "пауза перед повторным подключением"))
    return parser


def main(argv=None):
    args = arguments().parse_args(argv)
    state = State(args.state)
    if not args.socket and not args.host and os.environ.get("OTKLIK_HOST"):
        try:
            address(os.environ["OTKLIK_HOST"])
        except argparse.ArgumentTypeError as error:
            print(f"otklik-notify: OTKLIK_HOST: {error}", file=sys.stderr)
            return 2
    desktop = Desktop(args.notify_send, args.terminal, args.host)
    link = Link(desktop)
    shown = Shown()
    try:
        return follow(args, state, desktop, link, shown)
    finally:
        desktop.settle(2.0)


# The refusals this helper meets when it starts (the caller is not staff, or --as is refused), in
# Russian as the daemon's catalogue says them (Sources/OtklikCore/Refusals/CallerRefusals.swift).
REFUSALS_RU = {
    "not_in_directory": "пользователь ОС {os_user} не найден в справочнике сотрудников (или отключён); попросите "
                        "администратора добавить вас: `otklik staff add ЛОГИН --os-user {os_user} ...`",
    "only_admin_acts_as": "действовать от имени другого сотрудника может только администратор",
    "no_staff_to_act_as": "нет действующего сотрудника «{login}», от имени которого можно действовать",
}
# Any other refusal in Russian: what its status means, as the otklik CLI says it (RefusalText.byCode),
# the daemon's English sentence kept after it, quoted.
STATUSES_RU = {
    StatusCode.CANCELLED: "вызов отменён", StatusCode.INVALID_ARGUMENT: "демон не принял указанные значения",
    StatusCode.OUT_OF_RANGE: "демон не принял указанные значения",
    StatusCode.DEADLINE_EXCEEDED: "демон не ответил вовремя", StatusCode.NOT_FOUND: "не найдено",
    StatusCode.ALREADY_EXISTS: "это уже есть", StatusCode.PERMISSION_DENIED: "нет прав",
    StatusCode.UNAUTHENTICATED: "демон не знает, кто вы", StatusCode.RESOURCE_EXHAUSTED: "превышен предел",
    StatusCode.FAILED_PRECONDITION: "сейчас это невозможно", StatusCode.ABORTED: "данные тем временем изменились; повторите",
    StatusCode.UNIMPLEMENTED: "демон не знает этот вызов (старая версия?)", StatusCode.UNAVAILABLE: "демон недоступен",
}


def quoted(sentence):
    """An English sentence of the client's or the daemon's as the reader gets it: as it is in English,
    in Russian kept as quoted technical text (`...`), as the otklik CLI keeps one."""
    return text(sentence, f"`{sentence}`") if sentence else sentence


def refusal(error):
    """What a refusal says to the reader: the daemon's sentence in English; in Russian the catalogue's
    sentence for the refusals met when starting, else what the status means with the English sentence
    quoted. The socket found in the current directory that another user could have put there (the
    client refuses it, as the otklik CLI does) is explained in the reader's language, with this
    helper's way to name a socket."""
    if isinstance(error, (BadAddress, RemoteUnavailable)):
        return error.message  # the client's own sentence, in the reader's language already
    if not isinstance(error, UntrustedSocket):
        if not RUSSIAN:
            return error.message
        known = REFUSALS_RU.get(error.reason)
        if known is not None:
            return re.sub(r"\{(\w+)\}", lambda name: error.arguments.get(name[1], name[0]), known)
        general = STATUSES_RU.get(error.code, "сбой демона; ничего не изменено, причина — в журнале демона")
        return f"{general} ({quoted(error.message)})" if error.message else general
    arguments = error.arguments
    if error.reason == "foreign_owner":
        directory = arguments["directory"] == "true"
        why = text(f"{'its directory ' if directory else ''}{arguments['file']} belongs to uid {arguments['uid']}, "
                   "not to you or root, so it may not be the daemon",
                   f"{'каталог ' if directory else ''}{arguments['file']} принадлежит uid {arguments['uid']}, "
                   "а не вам или root, и может оказаться не демоном")
    else:
        why = text(f"{arguments['directory']} is writable by every user, so anyone could have put the socket there",
                   f"в каталог {arguments['directory']} может писать любой пользователь, и сокет мог подложить кто угодно")
    return text(f"not using {error.path}: {why}. Pass --socket or set OTKLIK_SOCKET to use it anyway.",
                f"{error.path} не используется: {why}. Чтобы всё же подключиться, укажите --socket или OTKLIK_SOCKET.")


def follow(args, state, desktop, link, shown):
    """Watches, and waits out the daemon's absences, until refused (2) or interrupted (0)."""
    while True:
        try:
            if watch_once(args, state, desktop, link, shown) == "behind":
                continue
            link.lost(text("the stream ended", "поток событий закончился"))
        except RPCError as error:
            # Only a daemon that is away is worth waiting for (on this machine, or through an SSH connection
            # that was lost or cannot be made now); being refused is final, and so is a missing ssh client.
            if isinstance(error, RemoteUnavailable) and error.reason == "ssh_missing":
                print(f"otklik-notify: {refusal(error)}", file=sys.stderr)
                return MISSING
            if error.code != StatusCode.UNAVAILABLE:
                print(f"otklik-notify: {refusal(error)}", file=sys.stderr)
                return 2
            link.lost(refusal(error) if isinstance(error, RemoteUnavailable) else quoted(error.message))
        except KeyboardInterrupt:
            return 0
        try:
            time.sleep(args.retry_seconds)
        except KeyboardInterrupt:  # Ctrl-C while waiting for the daemon: the same quiet stop
            return 0


if __name__ == "__main__":
    sys.exit(main())
