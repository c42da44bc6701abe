"""Starting the helper: with a Python that lacks what it needs it says what to install (exit 69), and the
command lines the top-level README gives to start it by hand run as written."""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
HELPER = HERE.parent / "otklik_notify.py"
REPOSITORY = HERE.parent.parent.parent
sys.path.insert(0, str(REPOSITORY / "clients" / "python"))

from otklik_client.testing import running_daemon  # noqa: E402

# A sitecustomize that makes google.protobuf unimportable, as on a Python without it: a finder placed
# first refuses `google` and everything under it, even when a .pth file imported `google` at startup.
NO_PROTOBUF = '''import sys


class NoProtobuf:
    def find_spec(self, name, path=None, target=None):
        if name == "google" or name.startswith("google."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NoProtobuf())
'''


def environment(language, **extra):
    """os.environ with the locale set to `language` alone and no PYTHONPATH but `extra`'s."""
    names = ("LANG", "LC_ALL", "LC_MESSAGES", "PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH")
    return {**{key: value for key, value in os.environ.items() if key not in names}, "LANG": language, **extra}


def without_protobuf(tmp_path):
    directory = tmp_path / "no-protobuf"
    directory.mkdir(exist_ok=True)
    (directory / "sitecustomize.py").write_text(NO_PROTOBUF)
    return str(directory)


def debian_system_python(python):
    """Whether `python` is Debian's own interpreter (the helper then names apt-get, else pip)."""
    probe = subprocess.run([python, "-c", "import os, sys; print(sys.prefix == sys.base_prefix, os.path.realpath(sys.executable))"],
                           capture_output=True, text=True, check=True)
    system, path = probe.stdout.split()
    return os.path.exists("/etc/debian_version") and system == "True" and path.startswith("/usr/bin/")


def pythons():
    """This test's Python (often a venv's), and /usr/bin/python3 (Debian's own, which the README names)."""
    return [sys.executable] + (["/usr/bin/python3"] if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3" else [])


@pytest.mark.parametrize("python", pythons())
def test_without_protobuf_it_says_which_command_installs_it_and_exits_69(python, tmp_path):
    hidden = without_protobuf(tmp_path)
    probe = subprocess.run([python, "-c", "import google.protobuf"], env=environment("C.UTF-8", PYTHONPATH=hidden),
                           capture_output=True, text=True)
    assert probe.returncode != 0, "protobuf was not hidden from the helper's Python"
    if debian_system_python(python):
        command, russian_command = ("apt-get install -y python3-protobuf (as root)",
                                    "apt-get install -y python3-protobuf (от имени root)")
    else:
        command = russian_command = f"{shlex.quote(python)} -m pip install 'protobuf>=3.20,<6'"
    for language, expected in (("C.UTF-8", f"otklik-notify: {python} has no protobuf module, which the helper needs; "
                                           f"install it: {command}"),
                               ("ru_RU.UTF-8", f"otklik-notify: у {python} нет модуля protobuf, без которого помощник не "
                                               f"работает; установите его: {russian_command}")):
        run = subprocess.run([python, str(HELPER), "--as", "cur"], env=environment(language, PYTHONPATH=hidden),
                             capture_output=True, text=True, timeout=30)
        assert run.returncode == 69, run.stderr
        assert run.stderr == expected + "\n", run.stderr
        assert run.stdout == ""
    # LC_ALL and LC_MESSAGES come before LANG, as everywhere else in the helper.
    run = subprocess.run([python, str(HELPER)], env=environment("C.UTF-8", LC_MESSAGES="ru_RU.UTF-8", PYTHONPATH=hidden),
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 69 and "нет модуля protobuf" in run.stderr, run.stderr


def test_without_the_client_beside_it_it_says_how_to_install_the_client_and_exits_69(tmp_path):
    # Copied away from the repository's clients/python, run by a Python that has no otklik_client (-I -S:
    # neither PYTHONPATH nor site-packages).
    alone = tmp_path / "somewhere" / "otklik_notify.py"
    alone.parent.mkdir()
    shutil.copy(HELPER, alone)
    run = subprocess.run([sys.executable, "-I", "-S", str(alone)], env=environment("C.UTF-8"), capture_output=True,
                         text=True, timeout=30)
    assert run.returncode == 69, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert lines[0].startswith("otklik-notify: the Otklik Python client (otklik_client) is neither beside this helper "
                               f"({tmp_path / 'python'}) nor installed for {sys.executable}"), run.stderr
    assert "python3 -m venv ~/otklik-venv && ~/otklik-venv/bin/pip install ./clients/python" in lines[0]
    russian = subprocess.run([sys.executable, "-I", "-S", str(alone)], env=environment("ru_RU.UTF-8"), capture_output=True,
                             text=True, timeout=30)
    assert russian.returncode == 69 and russian.stderr.startswith("otklik-notify: Python-клиент Отклика (otklik_client) не найден")


def readme_start_commands():
    """The command lines of the top-level README's notifier section (from the paragraph naming the helper
    to the next heading) that start the helper."""
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    start = readme.index("`clients/notify/otklik_notify.py` pops these up")
    section = readme[start:readme.index("\n## ", start)]
    lines = []
    for block in re.findall(r"^```sh\n(.*?)^```", section, re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if "otklik_notify.py" in command:
                lines.append(command)
    return lines


@pytest.fixture
def demo():
    path = os.environ.get("OTKLIKD") or shutil.which("otklikd")
    if not path:
        pytest.fail("set OTKLIKD to the otklikd binary (scripts/test does)")
    with running_daemon(path, "--demo") as socket_path:
        yield socket_path


def test_the_readme_says_how_to_start_the_helper_by_hand_and_its_commands_run(demo, tmp_path):
    commands = readme_start_commands()
    assert commands, "the README's notifier section gives no command line that starts the helper"
    assert any(" --as " in command for command in commands), "no command line for an admin (--as LOGIN)"
    for command in commands:
        python, path = shlex.split(command)[:2]
        assert os.path.isabs(python) and os.path.basename(python).startswith("python3"), command
        assert path.endswith("clients/notify/otklik_notify.py"), command
    for number, command in enumerate(commands):
        # As written, in the repository (the demo's directory); the socket is the test's demo daemon (the
        # tests run as root or as the daemon's user: an admin, as in the demo).
        state = tmp_path / f"state-{number}"
        helper = subprocess.Popen(["bash", "-c", "exec " + command], cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=environment("C.UTF-8", OTKLIK_SOCKET=demo, XDG_STATE_HOME=str(state)))
        try:
            # A first run writes where it starts from once it knows who it watches for and the daemon's news.
            deadline = time.monotonic() + 20
            while not (state / "otklik" / "notify.json").exists() and helper.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)
            assert helper.poll() is None, f"{command}: exited {helper.returncode}: {helper.stderr.read()}"
            assert (state / "otklik" / "notify.json").exists(), f"{command}: never started watching"
        finally:
            helper.terminate()
            _, errors = helper.communicate(timeout=20)
        assert "Traceback" not in errors, f"{command}:\n{errors}"
