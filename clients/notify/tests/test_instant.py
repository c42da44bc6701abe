"""No two pop-ups for one instant (issue 26, item 14): the events about one assignment (or one case, for
an event about the case as a whole) at one instant are one notification, the most urgent one's title and
urgency (a breach before a warning, a warning before news) with the others' lines added, one click action;
events of different assignments stay apart; an event shown already is not shown again when it is
delivered twice (a reconnect from an older point)."""
import datetime
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zoneinfo

import pytest

from test_notify import (HELPER, fake_notify_send, no_helper_outlives_its_test, office, route_a_case, run_helper, watch_event,  # noqa: F401
                         wait_for_lines, wait_until_started)

sys.path.insert(0, os.path.dirname(HELPER))

import otklik_notify  # noqa: E402
from otklik_client import Client, RPCError, events_pb2, instant, words  # noqa: E402
from otklik_client.testing import running_daemon  # noqa: E402

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
# A working Tuesday morning: the routing's terms run within the day (the draft's due 14:59, the reply's
# the next morning).
START = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=MOSCOW)


def otklikd():
    path = os.environ.get("OTKLIKD") or shutil.which("otklikd")
    if not path:
        pytest.fail("set OTKLIKD to the otklikd binary (scripts/test does)")
    return path


@pytest.fixture
def clocked():
    """A daemon on a simulated clock standing at START, with the office of test_notify: a notice is
    computed only when the test moves the clock, every notice of one move at the same instant."""
    with running_daemon(otklikd(), "--test-clock", START.isoformat()) as socket_path:
        office(socket_path)
        yield socket_path


def now(socket_path):
    with Client(socket_path) as admin:
        return datetime.datetime.fromtimestamp(admin.health(timeout=10).now_unix, MOSCOW)


def route(socket_path, n, detected_before=datetime.timedelta(minutes=1)):
    """A case detected `detected_before` now by the daemon's clock (a minute), routed to roads now."""
    detected = now(socket_path) - detected_before
    with Client(socket_path, metadata={"otklik-as": "cur"}) as curator:
        case = curator.register_message("vk", f"https://vk.com/wall-9_{n}", "Анна", f"Яма номер {n} у школы",
                                        detected_at=detected, topics=["дороги"])
        # The scheduler's look at the registration (and the one its own notices ask for) over before the
        # routing: a look at the case as registered, re-indexing it as routed, would put the routing's
        # notices off by a minute. Moving the clock by nothing waits for the looks queued.
        with Client(socket_path) as admin:
            admin.advance_clock(0, timeout=30)
            admin.advance_clock(0, timeout=30)
        return curator.route(case.id, expected_version=case.version, executors=["roads"])


def due(case, clock):
    for clock_view in case.assignments[0].clocks:
        if words.word(words.ClockKind, clock_view.kind) == clock:
            return instant(clock_view.due)
    raise AssertionError(f"no {clock} clock in {case}")


def set_clock(socket_path, moment):
    with Client(socket_path) as admin:
        admin.set_clock(moment, timeout=30)


def notices(socket_path, assignment_id):
    """The clock notices of an assignment in the log: (time, kind, clock, point)."""
    with Client(socket_path) as admin:
        events = admin.export(from_sequence=0, limit=1000, timeout=10).events
    return [(event.time, words.event_word(event.kind), words.word(words.ClockKind, event.clock.clock), event.clock.point)
            for event in events if event.assignment_id == assignment_id
            and words.event_word(event.kind) in ("clock.warning", "clock.breached")]


def clickable(tmp_path):
    """A notify-send offering actions (the click answered at once) and a terminal, for run_helper's extra
    and env: each notification waits for its one click."""
    notify_send, log = fake_notify_send(tmp_path, actions=True)
    terminal = tmp_path / "terminal"
    terminal.write_text(f"#!{sys.executable}\n")
    terminal.chmod(terminal.stat().st_mode | stat.S_IEXEC)
    bin_dir = os.path.dirname(otklikd())  # where `otklik`, which the click runs, is built beside it
    return notify_send, log, ["--terminal", str(terminal)], {"PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def test_a_warning_and_a_breach_of_one_assignment_at_one_instant_are_one_pop_up_naming_the_breach(clocked, tmp_path):
    notify_send, log, extra, env = clickable(tmp_path)
    state = tmp_path / "state.json"
    # The routing, the pop-up of the instant, then the next routing: nothing else in between.
    helper = run_helper(clocked, notify_send, state, 3, extra=extra, env=env)
    wait_until_started(state)
    first = route(clocked, 1)
    assert wait_for_lines(log, 1)[0][-2] == "New assignment"
    # A minute past the draft's due: its breach and the reply's 50% warning are computed at one instant.
    set_clock(clocked, due(first, "draft") + datetime.timedelta(minutes=1))
    said = notices(clocked, first.assignments[0].id)
    assert sorted((kind, clock, point or "") for _, kind, clock, point in said) == [("clock.breached", "draft", ""),
                                                                                    ("clock.warning", "reply", "50%")], said
    assert len({moment for moment, *_ in said}) == 1, said
    wait_for_lines(log, 2)
    second = route(clocked, 2)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    notes = wait_for_lines(log, 3)
    assert len(notes) == 3, notes
    merged, next_one = notes[1], notes[2]
    title, body = merged[-2:]
    assert title == "Term breached: draft", merged
    assert "--urgency=critical" in merged
    # The breach's post and what to do, then the warning's line after its own title.
    assert body.split("\n") == [f"{first.assignments[0].id} · VK · Анна: «Яма номер 1 у школы»",
                                "It was due 01.12 14:59: finish it first.",
                                "Due soon: reply — Due 02.12 09:59 (50% of the term used)."], body
    # One click action, which opens the case.
    assert merged.count("--wait") == 1 and len([a for a in merged if a.startswith("--action=")]) == 1, merged
    assert next_one[-2] == "New assignment" and next_one[-1].startswith(second.assignments[0].id), next_one


def test_warnings_computed_at_one_instant_while_away_are_one_pop_up(clocked, tmp_path):
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(clocked, notify_send, state, 1)
    wait_until_started(state)
    first = route(clocked, 1)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    # Away while the clock passes the draft's 50%, 80% and 15-minute points: all three at one instant.
    set_clock(clocked, due(first, "draft") - datetime.timedelta(minutes=5))
    said = notices(clocked, first.assignments[0].id)
    assert sorted(point for _, _, _, point in said) == ["15m", "50%", "80%"] and len({moment for moment, *_ in said}) == 1, said
    helper = run_helper(clocked, notify_send, state, 2)
    wait_for_lines(log, 2)
    second = route(clocked, 2)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    notes = wait_for_lines(log, 3)
    assert len(notes) == 3, notes
    title, body = notes[1][-2:]
    assert title == "Due soon: draft" and "--urgency=normal" in notes[1], notes[1]
    # The last call first, then the other points of the same clock, the post said once.
    assert body.split("\n") == [f"{first.assignments[0].id} · VK · Анна: «Яма номер 1 у школы»",
                                "Due 01.12 14:59 (15 min left).", "Due 01.12 14:59 (80% of the term used).",
                                "Due 01.12 14:59 (50% of the term used)."], body
    assert notes[2][-1].startswith(second.assignments[0].id), notes[2]


def test_events_of_different_assignments_at_one_instant_are_a_pop_up_each(clocked, tmp_path):
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(clocked, notify_send, state, 5)
    wait_until_started(state)
    # Two cases routed at one instant (the clock stands still): two assignments, two pop-ups.
    first, second = route(clocked, 1), route(clocked, 2)
    notes = wait_for_lines(log, 2)
    assert sorted(note[-1].split("\n")[0] for note in notes) == sorted(c.assignments[0].id for c in (first, second)), notes
    # Both drafts breached and both replies at 50% at one instant: one pop-up for each assignment.
    set_clock(clocked, max(due(first, "draft"), due(second, "draft")) + datetime.timedelta(minutes=1))
    times = {moment for case in (first, second) for moment, *_ in notices(clocked, case.assignments[0].id)}
    assert len(times) == 1, times
    wait_for_lines(log, 4)
    third = route(clocked, 3)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    notes = wait_for_lines(log, 5)
    assert len(notes) == 5, notes
    breaches = notes[2:4]
    assert [note[-2] for note in breaches] == ["Term breached: draft"] * 2, breaches
    assert sorted(note[-1].split(" · ")[0] for note in breaches) == sorted(c.assignments[0].id for c in (first, second)), breaches
    assert all("Due soon: reply — " in note[-1] for note in breaches), breaches
    assert notes[4][-1].startswith(third.assignments[0].id), notes[4]


def test_a_case_routed_late_is_one_pop_up_with_the_notices_its_routing_made_due(clocked, tmp_path):
    # Detected yesterday afternoon, routed now: the draft's due is past and half the reply's term used,
    # so the routing and the notices it makes due are of one instant.
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(clocked, notify_send, state, 2)
    wait_until_started(state)
    late = route(clocked, 1, detected_before=datetime.timedelta(hours=20))
    deadline = time.time() + 10
    while len(said := notices(clocked, late.assignments[0].id)) < 2 and time.time() < deadline:
        time.sleep(0.05)  # the scheduler looks at a changed case just after its commit
    assert sorted((kind, clock, point or "") for _, kind, clock, point in said) == [("clock.breached", "draft", ""),
                                                                                    ("clock.warning", "reply", "50%")], said
    assert {moment for moment, *_ in said} == {"2026-12-01T10:00:00+03:00"}, said
    wait_for_lines(log, 1)
    second = route(clocked, 2)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    notes = wait_for_lines(log, 2)
    assert len(notes) == 2, notes
    title, body = notes[0][-2:]
    assert title == "Term breached: draft" and "--urgency=critical" in notes[0], notes[0]
    assert body.split("\n") == [f"{late.assignments[0].id} · VK · Анна: «Яма номер 1 у школы»",
                                "It was due 01.12 09:00: finish it first.",
                                "Due soon: reply — Due 01.12 13:00 (50% of the term used).",
                                "New assignment — Prepare a draft reply by 01.12 09:00."], body
    assert notes[1][-2] == "New assignment" and notes[1][-1].startswith(second.assignments[0].id), notes[1]


class RestartableDaemon:
    """An otklikd on a socket and data directory of its own, which a test stops and starts again."""

    def __init__(self):
        # A short directory: a Unix socket's path is at most 107 bytes.
        self.directory = tempfile.mkdtemp(prefix="otklik-notify-")
        self.socket = os.path.join(self.directory, "otklik.sock")
        self.log = open(os.path.join(self.directory, "otklikd.log"), "ab")
        self.process = None

    def start(self, timeout=10):
        self.process = subprocess.Popen([otklikd(), "--socket", self.socket, "--data", os.path.join(self.directory, "data")],
                                        stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + timeout
        while True:
            try:
                Client(self.socket).close()
                return
            except RPCError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("otklikd did not start: " + open(self.log.name, errors="replace").read())
                time.sleep(0.01)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self):
        self.stop()
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def test_an_event_delivered_again_after_a_reconnect_is_not_shown_twice(tmp_path):
    daemon = RestartableDaemon()
    try:
        daemon.start()
        office(daemon.socket)
        notify_send, log = fake_notify_send(tmp_path)
        state = tmp_path / "state.json"
        helper = run_helper(daemon.socket, notify_send, state, 2)
        wait_until_started(state)
        before = json.loads(state.read_text())["last_sequence"]
        first = route_a_case(daemon.socket, 1)
        assert wait_for_lines(log, 1)[0][-1].startswith(first.assignments[0].id)
        deadline = time.time() + 10
        while json.loads(state.read_text())["last_sequence"] <= before and time.time() < deadline:
            time.sleep(0.05)
        daemon.stop()
        assert wait_for_lines(log, 2)[1][-1] == "The daemon is away; notifications resume when it is back."
        # Its record behind what it showed (a write lost, a file restored): the daemon, back, sends the
        # routing again from there.
        state.write_text(json.dumps({"last_sequence": before}))
        daemon.start()
        assert wait_for_lines(log, 3)[2][-1] == "The daemon is back."
        time.sleep(1.5)  # the routing delivered again has come and gone
        second = route_a_case(daemon.socket, 2)
        assert helper.wait(timeout=20) == 0, helper.stderr.read()
        notes = wait_for_lines(log, 4)
        assert len(notes) == 4, notes
        assert notes[3][-2] == "New assignment" and notes[3][-1].startswith(second.assignments[0].id), notes
        assert sum(note[-1].startswith(first.assignments[0].id) for note in notes) == 1, notes
    finally:
        daemon.close()


# What makes one pop-up, without a daemon.

def event(kind, details, sequence, time, case_id="2026-000001", assignment_id="2026-000001/1"):
    return watch_event(kind, details, sequence=sequence, time=time, case_id=case_id, assignment_id=assignment_id)


AT = "2026-12-01T15:00:00+03:00"
DUE = "2026-12-01T14:59:00+03:00"


@pytest.fixture
def english():
    saved = otklik_notify.RUSSIAN
    otklik_notify.RUSSIAN = False
    yield otklik_notify
    otklik_notify.RUSSIAN = saved


def sequences(groups):
    return [[e.sequence for e in group] for group in groups]


def test_one_pop_up_is_one_assignment_or_one_case_at_one_instant(english):
    together = english.together
    breach = event("clock.breached", {"clock": "draft", "due_at": DUE}, 1, AT)
    warning = event("clock.warning", {"clock": "reply", "point": "50%", "due_at": DUE}, 2, AT)
    other = event("clock.warning", {"clock": "reply", "point": "50%", "due_at": DUE}, 3, AT, assignment_id="2026-000001/2")
    elsewhere = event("clock.breached", {"clock": "draft", "due_at": DUE}, 4, AT, case_id="2026-000002", assignment_id="2026-000002/1")
    assert sequences(together([breach, warning, other, elsewhere])) == [[1, 2], [3], [4]]
    # A second apart (a computation across a second's boundary) is one instant; a minute apart is not.
    later = event("clock.warning", {"clock": "reply", "point": "50%", "due_at": DUE}, 5, "2026-12-01T15:00:01+03:00")
    much_later = event("clock.warning", {"clock": "reply", "point": "80%", "due_at": DUE}, 6, "2026-12-01T15:01:00+03:00")
    assert sequences(together([breach, later, much_later])) == [[1, 5], [6]]
    # The same instant in another offset is the same instant.
    utc = event("clock.warning", {"clock": "reply", "point": "50%", "due_at": DUE}, 7, "2026-12-01T12:00:00Z")
    assert sequences(together([breach, utc])) == [[1, 7]]
    # An event about the case as a whole (a routing) goes with its case's events of its instant.
    routed = event("case.routed", {"assignments": [{"index": 1, "executor": "roads"}, {"index": 2, "executor": "roads"}]}, 8, AT,
                   assignment_id="")
    assert sequences(together([routed, warning, other, elsewhere])) == [[2, 3, 8], [4]]
    # Without a time an event is its own.
    timeless = event("clock.warning", {"clock": "reply", "point": "50%", "due_at": DUE}, 9, "")
    assert sequences(together([breach, timeless])) == [[1], [9]]


def test_the_pop_up_is_the_most_urgent_ones_with_the_others_lines(english):
    breach = event("clock.breached", {"clock": "draft", "due_at": DUE, "due": 100}, 2, AT)
    warning = event("clock.warning", {"clock": "reply", "point": "50%", "due_at": "2026-12-02T09:59:00+03:00", "due": 200}, 1, AT)
    routed = event("case.routed", {"assignments": [{"index": 1, "executor": "roads"}]}, 3, AT, assignment_id="")
    notes = [(e, english.message(e)) for e in (routed, warning, breach)]
    title, body, urgency = english.merged(notes)
    assert (title, urgency) == ("Term breached: draft", "critical")
    assert body.split("\n") == ["2026-000001/1", "It was due 01.12 14:59: finish it first.",
                                "Due soon: reply — Due 02.12 09:59 (50% of the term used).",
                                "New assignment — Prepare a draft reply."], body
    # A warning beats news; of two clocks' warnings the one due sooner.
    draft = event("clock.warning", {"clock": "draft", "point": "80%", "due_at": DUE, "due": 100}, 4, AT)
    title, body, urgency = english.merged([(e, english.message(e)) for e in (routed, warning, draft)])
    assert (title, urgency) == ("Due soon: draft", "normal")
    assert body.split("\n")[1:] == ["Due 01.12 14:59 (80% of the term used).",
                                    "Due soon: reply — Due 02.12 09:59 (50% of the term used).",
                                    "New assignment — Prepare a draft reply."], body
    # One event alone is as it always was.
    assert english.merged([(breach, english.message(breach))]) == english.message(breach)


def test_an_assignment_at_risk_pops_up_critical_saying_why_and_when_someone_is_back(english):
    """Issue 31: the scheduler's `clock.at_risk` for the curators: why, when someone can act again, what to do;
    a breach of the same instant still comes first."""
    back = int(datetime.datetime(2026, 12, 9, 9, 0, tzinfo=MOSCOW).timestamp())
    risk = event("clock.at_risk", {"clock": "draft", "due_at": DUE, "due": 100, "risks": ["nobody_present"],
                                   "next_present": back}, 1, AT)
    title, body, urgency = english.message(risk)
    assert (title, urgency) == ("At risk: draft", "critical")
    assert body.split("\n")[1:] == ["Due 01.12 14:59: nobody at work before the due. Someone who can act is back on 09.12 09:00.",
                                     "Give it to someone present, or reroute it: `otklik board` says where it could go."], body
    breach = event("clock.breached", {"clock": "draft", "due_at": DUE, "due": 100}, 2, AT)
    title, _, _ = english.merged([(e, english.message(e)) for e in (risk, breach)])
    assert title == "Term breached: draft"
