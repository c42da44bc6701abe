import ctypes
import html
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
HELPER = os.path.join(HERE, "..", "otklik_notify.py")
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

from otklik_client import Client, cases_pb2, directory_pb2, events_pb2, words  # noqa: E402
from google.protobuf import json_format  # noqa: E402


def watch_event(kind, details, **fields):
    """A WatchEvent of `kind` carrying `details` typed as the daemon sends them (its `payload`): a
    clock's notice (`clock` by its word, `due_at`, `point`, `due` in Unix seconds) or a step's facts
    (StepDetails' own field names: comment, executor, reason, assignments)."""
    event = events_pb2.WatchEvent(kind=words.event_kind(kind), **fields)
    if kind.startswith("clock."):
        facts = dict(details)
        event.clock.CopyFrom(events_pb2.ClockNoticeDetails(
            clock=words.value(words.ClockKind, facts.pop("clock", "unspecified")), due=facts.pop("due_at", ""),
            point=facts.pop("point", ""), due_unix=facts.pop("due", 0),
            risks=[words.value(words.RiskReason, risk) for risk in facts.pop("risks", [])],
            next_present_unix=facts.pop("next_present", 0)))
        assert not facts, f"not a clock notice's: {facts}"
    else:
        json_format.ParseDict(details, event.step)
    return event


def fake_notify_send(tmp_path, actions=False, unclicked=False):
    """A notify-send that records its arguments, one JSON list per line; with `actions` it offers them
    (its --help says --action) and answers a --wait as if "open" was clicked, or with `unclicked` waits
    for a click that does not come (a minute), its pid and body a JSON list per line in `pids`."""
    log = tmp_path / "notifications.jsonl"
    script = tmp_path / "notify-send"
    waits = (f"    open({str(tmp_path / 'pids')!r}, 'a').write(json.dumps([os.getpid(), sys.argv[-1]]) + '\\n')\n    time.sleep(60)\n" if unclicked
             else "    print('open')\n")
    script.write_text(
        f"#!{sys.executable}\nimport json, os, sys, time\n"
        f"if sys.argv[1:] == ['--help']:\n    print({'  -A, --action=[NAME=]Text...' if actions else '  -u, --urgency=LEVEL'!r})\n    sys.exit(0)\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"if '--wait' in sys.argv:\n{waits}")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), log


def office(socket_path):
    with Client(socket_path) as admin:
        for name, kind in (("curator-centre", "curator_centre"), ("roads", "department")):
            admin.call("otklik.v1.Directory", "PutUnit", directory_pb2.UnitView(name=name, title=name, kind=words.value(words.UnitKind, kind)), directory_pb2.UnitView)
        admin.call("otklik.v1.Directory", "PutStaff", directory_pb2.StaffView(login="cur", full_name="К", os_user="os-cur",
                   unit="curator-centre", roles=[words.Role.ROLE_CURATOR], active=True), directory_pb2.StaffView)
        admin.call("otklik.v1.Directory", "PutStaff", directory_pb2.StaffView(login="roads.ex", full_name="Д", os_user="os-roads",
                   unit="roads", roles=[words.Role.ROLE_EXECUTOR], active=True), directory_pb2.StaffView)
        admin.put_staff(login="roads.ex2", full_name="Д2", os_user="os-roads2", unit="roads", roles=["executor"], active=True)


def route_a_case(socket_path, n, author="Анна", text=None):
    with Client(socket_path, metadata={"otklik-as": "cur"}) as curator:
        case = curator.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
            network="vk", url=f"https://vk.com/wall-9_{n}", author=author, text=text or f"Яма номер {n} у школы",
            detected_at_unix=int(time.time()) - 60, topics=["дороги"]),
            cases_pb2.CaseView)
        return curator.call("otklik.v1.Cases", "Route", cases_pb2.RouteRequest(case_id=case.id, expected_version=case.version,
                                                                             executors=["roads"]), cases_pb2.CaseView)


HELPERS = []


@pytest.fixture(autouse=True)
def no_helper_outlives_its_test():
    """A helper a failed test left waiting would retry for ever: stopped with its test."""
    yield
    while HELPERS:
        helper = HELPERS.pop()
        if helper.poll() is None:
            helper.kill()
            helper.wait()


def run_helper(socket_path, notify_send, state_file, count, env_lang="C.UTF-8", extra=(), env=None):
    helper = subprocess.Popen([sys.executable, HELPER, "--socket", socket_path, "--state", str(state_file), "--notify-send", notify_send,
                             "--as", "roads.ex", "--exit-after", str(count), "--retry-seconds", "0.2", *extra],
                            env={**os.environ, "LANG": env_lang, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    HELPERS.append(helper)
    return helper


def wait_until_started(state_file, timeout=20):
    """A first run writes its starting point before it watches: anything after that is news to it."""
    deadline = time.time() + timeout
    while not os.path.exists(state_file) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)


def wait_for_lines(log, count, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if log.exists() and len(log.read_text().splitlines()) >= count:
            return [json.loads(line) for line in log.read_text().splitlines()]
        time.sleep(0.05)
    raise AssertionError(f"expected {count} notifications, got {log.read_text() if log.exists() else 'none'}")


def test_a_new_assignment_pops_up_once_and_not_again_after_a_restart(daemon, tmp_path):
    office(daemon)
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(daemon, notify_send, state, 1)
    wait_until_started(state)  # it starts from now: the history is not replayed
    routed = route_a_case(daemon, 1)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    notes = wait_for_lines(log, 1)
    assert notes[0][-2] == "New assignment"
    body = notes[0][-1]
    assert body.startswith(routed.assignments[0].id) and "VK · Анна: «Яма номер 1 у школы»" in body
    assert "Prepare a draft reply by" in body, body
    assert "--urgency=normal" in notes[0] and "--app-name=Otklik" in notes[0]
    # Restarted, it remembers what it showed: only the next assignment pops up.
    helper = run_helper(daemon, notify_send, state, 1, env_lang="ru_RU.UTF-8")
    second = route_a_case(daemon, 2)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    notes = wait_for_lines(log, 2)
    assert len(notes) == 2
    assert notes[1][-2] == "Новое поручение"
    assert notes[1][-1].startswith(second.assignments[0].id) and "Подготовьте проект ответа до" in notes[1][-1]
    # Under a Russian locale the network and the helper itself are named in Russian too (issue 26, item 8).
    assert "ВКонтакте · Анна: «Яма номер 2 у школы»" in notes[1][-1] and "--app-name=Отклик" in notes[1], notes[1]
    assert json.loads(state.read_text())["last_sequence"] > 0


def ended_within(helper, seconds, what):
    """The helper's exit code once it ended within `seconds`; else it is killed and the test fails with `what`."""
    try:
        return helper.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        helper.kill()
        helper.wait()
        raise AssertionError(what)


def test_a_ctrl_c_the_kernel_hands_to_another_thread_still_stops_the_idle_helper(daemon, tmp_path):
    # A signal sent to a process goes to any of its threads that does not block it; Python only marks
    # it there, and the main thread acts on it when it next runs. Here it is sent to a thread other
    # than the main one (glibc's tgkill), while the helper idles waiting for the next event.
    office(daemon)
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(daemon, notify_send, state, 1000)
    wait_until_started(state)
    route_a_case(daemon, 1)
    wait_for_lines(log, 1)
    time.sleep(1)  # the pop-up's instant gathered and handled: the helper waits for the next event
    others = sorted(int(tid) for tid in os.listdir(f"/proc/{helper.pid}/task") if int(tid) != helper.pid)
    assert others, "the helper watches with threads beside the main one"
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.tgkill(helper.pid, others[0], signal.SIGINT) == 0, os.strerror(ctypes.get_errno())
    code = ended_within(helper, 10, "a Ctrl-C taken by a thread other than the main one did not stop the helper")
    assert code == 0, helper.stderr.read()


def test_a_ctrl_c_while_the_helper_waits_for_an_absent_daemon_stops_it_quietly(tmp_path):
    # Between two tries to reach the daemon the helper sleeps (--retry-seconds): a Ctrl-C then is a
    # stop like any other, not a Python traceback.
    notify_send, log = fake_notify_send(tmp_path)
    helper = run_helper(str(tmp_path / "no-daemon.sock"), notify_send, tmp_path / "state.json", 1,
                        extra=("--retry-seconds", "60"))
    wait_for_lines(log, 1)  # "the daemon is away": it told the desktop, and waits
    time.sleep(0.3)
    helper.send_signal(signal.SIGINT)
    code = ended_within(helper, 10, "a Ctrl-C while waiting for the daemon did not stop the helper")
    said = helper.stderr.read()
    assert code == 0 and "Traceback" not in said, said
    assert "the daemon is away" in said, said


def test_an_unknown_user_is_told_and_the_helper_stops(daemon, tmp_path):
    notify_send, _ = fake_notify_send(tmp_path)
    helper = subprocess.run([sys.executable, HELPER, "--socket", daemon, "--state", str(tmp_path / "s.json"), "--notify-send", notify_send,
                             "--as", "nobody-here"], capture_output=True, text=True, timeout=20)
    assert helper.returncode == 2


def test_corrections_that_give_an_executor_work_pop_up():
    sys.path.insert(0, os.path.dirname(HELPER))
    import otklik_notify
    from otklik_client import events_pb2, words

    otklik_notify.RUSSIAN = False

    def event(kind, details):
        return watch_event(kind, details, case_id="2026-000001", assignment_id="2026-000001/1")

    title, body, _ = otklik_notify.message(event("draft.sent_back", {"comment": "case 2026-000001 repeats 2026-000000"}))
    assert "measures" in title and "repeats" in body
    title, body, _ = otklik_notify.message(event("assignment.rerouted", {"executor": "housing", "reason": "не тот отдел"}))
    assert title == "Assignment rerouted" and "housing" in body
    title, body, _ = otklik_notify.message(event("case.executor_added", {"assignments": [{"index": 2, "executor": "housing"}]}))
    assert title == "New assignment" and body.startswith("2026-000001/2")
    assert otklik_notify.message(event("case.corrected", {})) is None


def test_a_publication_the_connector_could_not_make_pops_up_for_the_curator_alone():
    sys.path.insert(0, os.path.dirname(HELPER))
    import otklik_notify
    from otklik_client import cases_pb2

    otklik_notify.RUSSIAN = True
    failed = watch_event("reply.publication_failed", {
        "network": "vk", "failure": {"kind": "PUBLICATION_FAILURE_KIND_COMMENTS_CLOSED", "code": 213,
                                     "message": "Access to status replies denied"}},
        case_id="2026-000001", assignment_id="2026-000001/1")
    curators = cases_pb2.CaseView(id="2026-000001", network="vk", author="Анна", text="Яма", next_steps=[
        cases_pb2.NextStep(assignment_id="2026-000001/1", yours=True, publication_failed=True)])
    title, body, urgency = otklik_notify.message(failed, curators)
    assert title == "Коннектор ВКонтакте не опубликовал ответ" and urgency == "critical"
    assert "комментарии к посту закрыты" in body and "Опубликуйте вручную или передайте снова" in body
    executors = cases_pb2.CaseView(id="2026-000001", next_steps=[
        cases_pb2.NextStep(assignment_id="2026-000001/1", yours=False, publication_failed=True)])
    assert otklik_notify.message(failed, executors) is None
    trouble = events_pb2.WatchEvent(kind=words.event_kind("connector.trouble"))
    trouble.connector.CopyFrom(events_pb2.ConnectorDetails(
        login="vk.connector", network="vk", community="club218375",
        state=words.value(words.ConnectorState, "token_refused"), error="VK 5: User authorization failed"))
    title, body, urgency = otklik_notify.message(trouble)
    assert title == "Коннектор ВКонтакте: токен не принят: коннектор остановлен" and urgency == "critical"
    assert body.startswith("club218375: VK 5") and "комментарии сами не поступают" in body
    otklik_notify.RUSSIAN = False


def test_without_notify_send_it_says_once_how_to_get_it_and_prints(daemon, tmp_path):
    office(daemon)
    helper = run_helper(daemon, str(tmp_path / "no-such-notify-send"), tmp_path / "s.json", 2, env_lang="ru_RU.UTF-8")
    wait_until_started(tmp_path / "s.json")
    route_a_case(daemon, 1)
    route_a_case(daemon, 2)
    out, err = helper.communicate(timeout=20)
    assert helper.returncode == 0, err
    assert err.count("apt-get install libnotify-bin") == 1 and "Traceback" not in err
    assert out.count("Новое поручение") == 2 and "Яма номер 2 у школы" in out


def test_my_own_steps_do_not_pop_up_and_missed_events_come_as_one_summary(daemon, tmp_path):
    office(daemon)
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(daemon, notify_send, state, 1)
    wait_until_started(state)
    # roads.ex gives the assignment to a colleague: their own step, no pop-up; the next routing pops up.
    first = route_a_case(daemon, 1)
    notes = wait_for_lines(log, 1)
    assert notes[0][-1].startswith(first.assignments[0].id)
    assert helper.wait(timeout=20) == 0
    with Client(daemon, metadata={"otklik-as": "roads.ex"}) as executor:
        executor.give_assignment(first.assignments[0].id, expected_version=first.version, login="roads.ex")
    # Away while five cases come: one summary when it is back, not five pop-ups.
    for n in range(2, 7):
        route_a_case(daemon, n)
    helper = run_helper(daemon, notify_send, state, 1, env_lang="ru_RU.UTF-8")
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    notes = wait_for_lines(log, 2)
    assert len(notes) == 2, notes
    assert notes[1][-2] == "Отклик: 5 новых событий", notes[1]
    assert "otklik queue" in notes[1][-1]
    # The five cases as a list reads: "дела А, Б, В, Г и Д".
    assert re.fullmatch(r"дела \d{4}-\d{6}(, \d{4}-\d{6}){3} и \d{4}-\d{6}", notes[1][-1].split("\n")[0]), notes[1]


def test_a_click_opens_the_case_in_a_terminal(daemon, tmp_path):
    office(daemon)
    notify_send, log = fake_notify_send(tmp_path, actions=True)
    opened = tmp_path / "opened.json"
    terminal = tmp_path / "terminal"
    terminal.write_text(f"#!{sys.executable}\nimport json, sys\nopen({str(opened)!r}, 'w').write(json.dumps(sys.argv[1:]))\n")
    terminal.chmod(terminal.stat().st_mode | stat.S_IEXEC)
    bin_dir = os.path.dirname(os.environ["OTKLIKD"])
    helper = run_helper(daemon, notify_send, tmp_path / "s.json", 1, extra=["--terminal", str(terminal)],
                        env={"PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")})
    wait_until_started(tmp_path / "s.json")
    routed = route_a_case(daemon, 1)
    notes = wait_for_lines(log, 1)
    assert "--wait" in notes[0] and any(a.startswith("--action=open=") for a in notes[0])
    deadline = time.time() + 10
    while not opened.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert json.loads(opened.read_text())[1:] == [os.path.join(bin_dir, "otklik"), "case", "show", routed.id]
    helper.wait(timeout=20)



def test_citizens_markup_reaches_notify_send_escaped_and_shows_literally(daemon, tmp_path):
    office(daemon)
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(daemon, notify_send, state, 1)
    wait_until_started(state)
    author, post = "<b>Анна</b> & Co", '<a href="https://evil.example/">жми</a> & <b>яма</b>'
    route_a_case(daemon, 1, author=author, text=post)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    title, body = wait_for_lines(log, 1)[0][-2:]
    # The body is markup to notification daemons: what the citizen wrote is entities there, shown as typed.
    assert "&lt;b&gt;Анна&lt;/b&gt; &amp; Co: «&lt;a href=\"https://evil.example/\"&gt;жми&lt;/a&gt; &amp; &lt;b&gt;яма&lt;/b&gt;»" in body, body
    assert "<" not in body and ">" not in body
    assert f"{author}: «{post}»" in html.unescape(body)
    assert title == "New assignment"


def test_twenty_clickable_notifications_are_all_shown_with_at_most_five_notify_sends_waiting_and_no_thread_each(daemon, tmp_path):
    office(daemon)
    notify_send, log = fake_notify_send(tmp_path, actions=True, unclicked=True)
    terminal = tmp_path / "terminal"
    terminal.write_text(f"#!{sys.executable}\n")
    terminal.chmod(terminal.stat().st_mode | stat.S_IEXEC)
    bin_dir = os.path.dirname(os.environ["OTKLIKD"])
    state = tmp_path / "s.json"
    helper = run_helper(daemon, notify_send, state, 1000, extra=["--terminal", str(terminal)],
                        env={"PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")})

    def waits():
        path = tmp_path / "pids"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def pids():
        return [pid for pid, _ in waits()]

    def living():
        # A child that ended but was not reaped still counts: /proc keeps it until its parent waits.
        return [pid for pid in pids() if os.path.exists(f"/proc/{pid}")]

    def threads():
        return len(os.listdir(f"/proc/{helper.pid}/task"))

    try:
        wait_until_started(state)
        route_a_case(daemon, 1)
        notes = wait_for_lines(log, 1)
        assert "--wait" in notes[0]
        deadline = time.time() + 10
        while len(pids()) < 1 and time.time() < deadline:
            time.sleep(0.05)
        threads_at_first = threads()
        for n in range(2, 21):
            route_a_case(daemon, n)
        # Every one is shown (a notify-send is never ended before it could show its notification)...
        shown = wait_for_lines(log, 20)
        assert sorted(int(note[-1].split()[0].split("-")[1].split("/")[0]) for note in shown) == list(range(1, 21))
        # ...while at most five wait for a click, and the helper grew no thread per notification.
        time.sleep(0.5)
        assert 1 <= len(living()) <= 5, living()
        assert threads() <= threads_at_first, (threads_at_first, threads())
        # Once the oldest waits have been on screen a while, a new notification is clickable again,
        # ending the oldest wait: still at most five.
        time.sleep(2.5)
        route_a_case(daemon, 21)
        notes = wait_for_lines(log, 21)
        assert "--wait" in notes[-1], notes[-1]
        deadline = time.time() + 5
        while len(living()) > 5 and time.time() < deadline:
            time.sleep(0.05)
        assert len(living()) <= 5, living()
        assert "Яма номер 21" in waits()[-1][1]
        # Stopped (Ctrl-C, or systemd at logout), it ends the waits it has left.
        helper.send_signal(signal.SIGINT)
        assert helper.wait(timeout=20) == 0, helper.stderr.read()
        assert living() == []
    finally:
        for pid in living():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_a_new_assignments_pop_up_names_the_drafts_own_due_not_the_replys(daemon, tmp_path):
    # Issue 26, item 1: the pop-up said the reply's due (p.16) as the draft's (p.11-12: 4 working hours before).
    office(daemon)
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(daemon, notify_send, state, 1)
    wait_until_started(state)
    routed = route_a_case(daemon, 1)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    body = wait_for_lines(log, 1)[0][-1]
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        case = curator.get_case(id=routed.id)
    clocks = {words.word(words.ClockKind, clock.kind): otklik_notify_hhmm(clock.due) for clock in case.assignments[0].clocks}
    assert clocks["draft"] != clocks["reply"]
    assert f"Prepare a draft reply by {clocks['draft']}." in body, (body, clocks)


def test_an_assignment_given_while_its_draft_is_with_the_curator_asks_no_one_for_a_draft(daemon, tmp_path):
    # Issue 26, item 1: `assignment give` of an assignment whose draft waits for review asked for a draft.
    office(daemon)
    routed = route_a_case(daemon, 1)
    assignment = routed.assignments[0].id
    with Client(daemon, metadata={"otklik-as": "roads.ex2"}) as executor:
        case = executor.submit_draft(assignment_id=assignment, expected_version=routed.version, kind="final",
                                     text="Яму заделали, проверьте.", measures="Ремонт покрытия")
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(daemon, notify_send, state, 1)
    wait_until_started(state)
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        curator.give_assignment(assignment_id=assignment, expected_version=case.version, login="roads.ex")
    # The next routing is the first pop-up: the give asked roads.ex for nothing.
    second = route_a_case(daemon, 2)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    notes = wait_for_lines(log, 1)
    assert len(notes) == 1 and notes[0][-1].startswith(second.assignments[0].id), notes


def otklik_notify_hhmm(iso):
    sys.path.insert(0, os.path.dirname(HELPER))
    import otklik_notify
    return otklik_notify.hhmm(iso)


def test_a_split_cases_pop_up_names_only_the_recipients_assignment(daemon, tmp_path):
    # Issue 26, item 1: a case routed to two units named both assignments to each unit's executor.
    office(daemon)
    with Client(daemon) as admin:
        admin.call("otklik.v1.Directory", "PutUnit", directory_pb2.UnitView(name="housing", title="ЖКХ", kind=words.value(words.UnitKind, "department")), directory_pb2.UnitView)
        admin.put_staff(login="housing.ex", full_name="Ж", os_user="os-housing", unit="housing", roles=["executor"], active=True)
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(daemon, notify_send, state, 1)
    wait_until_started(state)
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        case = curator.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
            network="vk", url="https://vk.com/wall-9_77", author="Анна", text="Яма и мусор у школы",
            detected_at_unix=int(time.time()) - 60, topics=["дороги"]), cases_pb2.CaseView)
        routed = curator.call("otklik.v1.Cases", "Route", cases_pb2.RouteRequest(
            case_id=case.id, expected_version=case.version, executors=["roads", "housing"]), cases_pb2.CaseView)
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    body = wait_for_lines(log, 1)[0][-1]
    roads, housing = (a.id for a in sorted(routed.assignments, key=lambda a: a.executor != "roads"))
    assert body.startswith(roads) and housing not in body, body
