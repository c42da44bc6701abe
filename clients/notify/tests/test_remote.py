"""The helper on another machine than the daemon's, through OpenSSH (issue 27): --host ssh://... and
$OTKLIK_HOST; a lost SSH connection waited out like a daemon restart, resumed from the last event.

No sshd here (the Swift suite has one): $OTKLIK_SSH is a stand-in that records its arguments, ignores
ssh's options and runs its last argument, the remote command, with `sh -c` on this machine, so
`'otklik' dial-stdio --socket '...'` reaches the test daemon as it would on the server."""
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

import pytest

# HELPERS and its autouse fixture are test_notify's: a helper started here is stopped with its test too.
from test_notify import (HELPER, HELPERS, fake_notify_send, no_helper_outlives_its_test, office,  # noqa: F401
                         route_a_case, wait_for_lines, wait_until_started)


def otklik_path():
    path = os.path.join(os.path.dirname(os.path.abspath(os.environ["OTKLIKD"])), "otklik")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no otklik beside otklikd ({path}): build both (scripts/test does)")
    return path


@pytest.fixture
def runtime():
    """A short private $XDG_RUNTIME_DIR: the shared SSH connection's directory goes there."""
    directory = tempfile.mkdtemp(prefix="okn-", dir="/tmp")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def standin(tmp_path):
    """An ssh that records its arguments (`argv`) and pid (`pids`); while the file `down` exists it fails
    as ssh does for a host that refuses connections, else it runs the remote command (its last argument)
    with `sh -c`, in its place."""
    script = tmp_path / "ssh"
    script.write_text("#!/bin/sh\n"
                      f"printf '%s\\n' \"$@\" > '{tmp_path}/argv'\n"
                      f"echo $$ >> '{tmp_path}/pids'\n"
                      f"if [ -e '{tmp_path}/down' ]; then\n"
                      "    echo 'ssh: connect to host localhost port 22: Connection refused' >&2\n"
                      "    exit 255\n"
                      "fi\n"
                      "for last; do :; done\n"
                      "exec sh -c \"$last\"\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def run_helper(tmp_path, runtime, notify_send, state, count, extra=(), env=None, language="C.UTF-8"):
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("OTKLIK_HOST", "OTKLIK_SOCKET", "LC_ALL", "LC_MESSAGES")}
    environment.update({"LANG": language, "OTKLIK_SSH": standin(tmp_path), "OTKLIK_REMOTE_OTKLIK": otklik_path(),
                        "XDG_RUNTIME_DIR": runtime, **(env or {})})
    helper = subprocess.Popen([sys.executable, HELPER, "--state", str(state), "--notify-send", notify_send, "--as", "roads.ex",
                               "--exit-after", str(count), "--retry-seconds", "0.2", *extra],
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    HELPERS.append(helper)
    return helper


def test_the_helper_reaches_the_daemon_through_host_and_pops_up(daemon, tmp_path, runtime):
    office(daemon)
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    helper = run_helper(tmp_path, runtime, notify_send, state, 1, extra=["--host", f"ssh://me@localhost{daemon}"],
                        language="ru_RU.UTF-8")
    wait_until_started(state)
    routed = route_a_case(daemon, 1)
    assert helper.wait(timeout=30) == 0, helper.stderr.read()
    notes = wait_for_lines(log, 1)
    assert notes[0][-2] == "Новое поручение"
    assert notes[0][-1].startswith(routed.assignments[0].id) and "ВКонтакте · Анна: «Яма номер 1 у школы»" in notes[0][-1]
    argv = (tmp_path / "argv").read_text().splitlines()
    assert argv[:2] == ["-T", "-o"] and ["-l", "me", "--", "localhost"] == argv[-5:-1]
    assert argv[-1] == f"'{otklik_path()}' dial-stdio --socket '{daemon}'"


def test_a_lost_ssh_link_is_waited_out_and_the_helper_resumes_from_the_last_event(daemon, tmp_path, runtime):
    office(daemon)
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "state.json"
    # The address from $OTKLIK_HOST, as a user's ~/.profile sets it.
    helper = run_helper(tmp_path, runtime, notify_send, state, 2, env={"OTKLIK_HOST": f"ssh://me@localhost{daemon}"})
    wait_until_started(state)
    first = route_a_case(daemon, 1)
    notes = wait_for_lines(log, 1)
    assert notes[0][-2] == "New assignment" and notes[0][-1].startswith(first.assignments[0].id)
    # The SSH connection dies (ssh killed), and the server refuses new ones for a while.
    (tmp_path / "down").touch()
    pid = int((tmp_path / "pids").read_text().split()[-1])
    os.killpg(pid, signal.SIGKILL)
    notes = wait_for_lines(log, 2)
    assert notes[1][-1] == "The daemon is away; notifications resume when it is back.", notes[1]
    # What comes while the link is down is shown once it is back, after the first.
    second = route_a_case(daemon, 2)
    deadline = time.time() + 10
    while len((tmp_path / "pids").read_text().split()) < 3 and time.time() < deadline:
        time.sleep(0.05)  # it has tried again, and been refused, at least once
    (tmp_path / "down").unlink()
    out, err = helper.communicate(timeout=30)
    assert helper.returncode == 0, err
    notes = wait_for_lines(log, 4)
    assert [note[-2] for note in notes] == ["New assignment", "Otklik", "Otklik", "New assignment"], notes
    assert notes[2][-1] == "The daemon is back."
    assert notes[3][-1].startswith(second.assignments[0].id), notes[3]
    assert sum(first.assignments[0].id in note[-1] for note in notes) == 1  # not shown again after the reconnect
    # Why it was away is said once, from how ssh ended.
    assert err.count("the daemon is away") == 1 and "the SSH connection to localhost was lost" in err, err
    assert "the daemon is back" in err and "Traceback" not in err
    assert json.loads(state.read_text())["last_sequence"] > 0


def test_without_an_ssh_client_it_says_what_to_install_and_stops(daemon, tmp_path, runtime):
    notify_send, _ = fake_notify_send(tmp_path)
    for language, words in (("C.UTF-8", "there is no ssh client on this machine (`/nonexistent`"),
                            ("ru_RU.UTF-8", "на этой машине нет клиента ssh (`/nonexistent`")):
        helper = run_helper(tmp_path, runtime, notify_send, tmp_path / "s.json", 1, language=language,
                            extra=["--host", f"ssh://me@localhost{daemon}"], env={"OTKLIK_SSH": "/nonexistent"})
        out, err = helper.communicate(timeout=30)
        assert helper.returncode == 69, err
        assert words in err and "apt-get install -y openssh-client" in err and "Traceback" not in err, err


def test_an_address_that_is_not_one_is_a_usage_error(tmp_path, runtime):
    notify_send, _ = fake_notify_send(tmp_path)
    helper = run_helper(tmp_path, runtime, notify_send, tmp_path / "s.json", 1, language="ru_RU.UTF-8",
                        extra=["--host", "ssh://me:secret@localhost"])
    out, err = helper.communicate(timeout=30)
    assert helper.returncode == 2
    assert "ssh://me:***@localhost — не адрес вида ssh://пользователь@хост" in err and "secret" not in err, err
    helper = run_helper(tmp_path, runtime, notify_send, tmp_path / "s.json", 1, env={"OTKLIK_HOST": "ssh://-oProxyCommand=x"})
    out, err = helper.communicate(timeout=30)
    assert helper.returncode == 2
    assert "OTKLIK_HOST: ssh://-oProxyCommand=x is not an address like ssh://user@host" in err, err
    assert not (tmp_path / "argv").exists()  # ssh never ran


def test_a_click_opens_the_case_on_the_same_host(tmp_path, monkeypatch):
    sys.path.insert(0, os.path.dirname(HELPER))
    import otklik_notify
    notify_send, _ = fake_notify_send(tmp_path, actions=True)
    terminal = tmp_path / "terminal"
    terminal.write_text("#!/bin/sh\n")
    terminal.chmod(terminal.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", os.path.dirname(otklik_path()) + os.pathsep + os.environ.get("PATH", ""))
    desktop = otklik_notify.Desktop(notify_send, str(terminal), "ssh://me@server")
    assert desktop.opener("2026-000001") == [str(terminal), "-e", otklik_path(), "--host", "ssh://me@server",
                                             "case", "show", "2026-000001"]
    assert otklik_notify.Desktop(notify_send, str(terminal)).opener("2026-000001")[2:] == [otklik_path(), "case", "show",
                                                                                           "2026-000001"]
