"""What people see does not change unless meant to (issue 28, item 7): every read command's output,
table and JSON, English and Russian, on the demo at a fixed test clock, byte for byte against the
recorded run in tests/golden/expected/. A change meant to alter what people see rewrites the record
(OTKLIK_WRITE_GENERATED=1) and shows in the diff; a refactoring must leave it as it is.

OTKLIK_BIN names the directory with otklik and otklikd (the debug build in the test command)."""

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
BIN = Path(os.environ.get("OTKLIK_BIN", HERE.parents[1] / ".build" / "debug"))
CLOCK = "2026-12-03T11:30:00+03:00"
LANGUAGES = {"en": "C.UTF-8", "ru": "ru_RU.UTF-8"}

# Who reads what: each command as the party who would run it (root is an admin and an operator).
CURATOR = ["--as", "curator.petrova"]
EXECUTOR = ["--as", "roads.smirnov"]


@contextlib.contextmanager
def started_demo():
    """otklikd --demo on the test clock, on a socket of its own; yields (its directory, the socket)."""
    base = Path(tempfile.mkdtemp(prefix="otklik-golden-"))
    run_dir = base / "run"
    run_dir.mkdir(mode=0o750)
    sock = run_dir / "otklik.sock"
    daemon = subprocess.Popen(
        [str(BIN / "otklikd"), "--demo", "--test-clock", CLOCK, "--data", str(base / "data"), "--socket", str(sock)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            if sock.exists():
                try:
                    probe = socket.socket(socket.AF_UNIX)
                    probe.connect(str(sock))
                    probe.close()
                    break
                except OSError:
                    pass
            if daemon.poll() is not None:
                raise RuntimeError("otklikd did not start: " + daemon.stderr.read().decode())
            time.sleep(0.05)
        yield base, sock
    finally:
        daemon.terminate()
        daemon.wait(timeout=15)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def demo():
    with started_demo() as started:
        yield started


def otklik(demo, language, arguments):
    base, sock = demo
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "OTKLIK_"))}
    environment.update({"LANG": LANGUAGES[language], "OTKLIK_SOCKET": str(sock), "COLUMNS": "120", "TZ": "UTC"})
    done = subprocess.run([str(BIN / "otklik")] + arguments, capture_output=True, env=environment, timeout=60)
    text = "$ otklik %s\nexit %d\n" % (" ".join(arguments), done.returncode)
    text += "--- stdout\n" + done.stdout.decode() + "--- stderr\n" + done.stderr.decode()
    # The CLI's own process id (whoami) is the one thing that differs from run to run.
    text = re.sub(r'("pid":)\d+', r"\1PID", text)
    text = re.sub(r"(?m)^(pid +)\d+$", r"\1PID", text)
    return text.replace(str(base), "$DEMO")


def first_case(demo):
    listed = json.loads(otklik(demo, "en", ["case", "list", "-o", "json"] + CURATOR).split("--- stdout\n")[1].split("--- stderr\n")[0])
    return [item["id"] for item in listed["cases"]]


def commands(demo):
    cases = first_case(demo)
    some = cases[:3] + cases[-2:]
    groups = {
        "who": [["whoami"] + CURATOR, ["whoami"] + EXECUTOR, ["whoami"]],
        "queue": [["queue"] + CURATOR, ["queue"] + EXECUTOR, ["queue", "--as", "housing.kuznetsova"]],
        "case-list": [
            ["case", "list"] + CURATOR,
            ["case", "list", "--state", "new"] + CURATOR,
            ["case", "list", "--sort", "due"] + CURATOR,
            ["case", "list"] + EXECUTOR,
            ["case", "search", "яма"] + CURATOR,
        ],
        "case-show": [["case", "show", case] + CURATOR for case in some]
        + [["case", "history", case] + CURATOR for case in some]
        + [["case", "show", "2026-999999"] + CURATOR],
        "directory": [
            ["staff", "list"], ["staff", "show", "roads.smirnov"], ["staff", "absence", "list"],
            ["unit", "list"], ["account", "list"],
        ],
        "profile-calendar": [
            ["profile", "show"],
            ["calendar", "due", "--from", "2026-12-03 17:30", "--add", "8h"],
            ["calendar", "between", "--from", "2026-12-01 09:00", "--to", "2026-12-31 18:00"],
            ["calendar", "month", "2026-12"],
        ],
        "report": [["report", "monthly", "2026-11"] + CURATOR, ["report", "monthly", "2026-12"] + CURATOR],
        "export": [
            ["export", "cases", "--month", "2026-12", "-o", "csv"] + CURATOR,
            ["export", "events", "-o", "jsonl"],
        ],
    }
    return groups


def record(demo, name, arguments_list):
    parts = []
    for language in LANGUAGES:
        for arguments in arguments_list:
            formats = [[]] if "-o" in arguments else [[], ["-o", "json"]]
            for extra in formats:
                parts.append("[%s]\n" % language + otklik(demo, language, arguments + extra))
    return "\n".join(parts)


GROUPS = ["who", "queue", "case-list", "case-show", "directory", "profile-calendar", "report", "export"]


@pytest.mark.parametrize("name", GROUPS)
def test_what_people_see_is_as_recorded(demo, name):
    compare(name, record(demo, name, commands(demo)[name]))


def compare(name, text):
    path = EXPECTED / (name + ".txt")
    if os.environ.get("OTKLIK_WRITE_GENERATED") == "1":
        EXPECTED.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), "no record: run with OTKLIK_WRITE_GENERATED=1 once"
    expected = path.read_text()
    if text != expected:
        import difflib
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(path), "now"))[:80])
        pytest.fail("what people see changed (%s):\n%s" % (name, diff))


def walk(demo, language, form):
    """The regulation walked on a fresh demo: a post registered, routed, drafted, returned, drafted
    again, approved, published; another case rejected; the clock moved on; what each step answers and
    what the case then shows."""
    said = []

    def step(arguments):
        text = otklik(demo, language, arguments + form)
        said.append(text)
        return text

    registered = otklik(demo, language, [
        "message", "register", "--network", "vk", "--url", "https://vk.com/wall-100_900", "--author", "Пётр Иванов",
        "--text", "Во дворе дома 5 по улице Ленина глубокая яма", "--detected-at", "2026-12-03 11:00", "-o", "json"]
        + CURATOR)
    said.append(registered)
    case = json.loads(registered.split("--- stdout\n")[1].split("--- stderr\n")[0])["id"]
    assignment = case + "/1"
    step(["case", "route", case, "--executor", "roads", "--topic", "roads=дороги"] + CURATOR)
    step(["queue"] + EXECUTOR)
    step(["draft", "submit", assignment, "--kind", "intermediate", "--text", "Яму осмотрят до 5 декабря."] + EXECUTOR)
    step(["draft", "return", assignment, "--reason", "formal", "--comment", "Укажите, кто осмотрит"] + CURATOR)
    step(["draft", "submit", assignment, "--kind", "intermediate",
          "--text", "Яму осмотрит мастер участка 4 декабря."] + EXECUTOR)
    step(["draft", "approve", assignment] + CURATOR)
    step(["reply", "publish", assignment, "--url", "https://vk.com/wall-100_900?reply=1"] + CURATOR)
    step(["case", "reject", "2026-000001", "--reason", "threat", "--comment", "угроза в тексте"] + CURATOR)
    step(["admin", "clock", "advance", "5h"])
    step(["case", "show", case] + CURATOR)
    step(["case", "history", case] + CURATOR)
    step(["queue"] + CURATOR)
    step(["queue"] + EXECUTOR)
    return "\n".join(said)


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("form", ["table", "json"])
def test_the_walk_says_what_it_said(language, form):
    with started_demo() as fresh:
        text = walk(fresh, language, [] if form == "table" else ["-o", "json"])
    compare("walk-%s-%s" % (language, form), text)
