"""The package's README as a new user reads it: its first example runs as written, and an admin who
forgets to act as someone is told how to."""
import datetime
import os
import pathlib
import re
import subprocess
import sys

import pytest

from otklik_client import Client, PermissionDenied, RPCError
from otklik_client.testing import running_daemon

from conftest import otklikd_path
from test_cases import curator_office

PACKAGE = pathlib.Path(__file__).resolve().parent.parent
README = PACKAGE / "README.md"


def first_python_block(path):
    blocks = re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    assert blocks, f"{path} has no ```python block"
    return blocks[0]


@pytest.fixture
def demo():
    """otklikd --demo (its staff: curator.petrova, ...) on a private socket, as the tests start a daemon."""
    with running_daemon(otklikd_path(), "--demo") as socket_path:
        yield socket_path


def test_the_readmes_first_example_runs_as_written_by_an_admin_in_the_demo(demo, tmp_path):
    code = first_python_block(README)
    # The user's directory, where the demo's socket is found as `.otklik/otklik.sock` (Client() as written:
    # no path, no $OTKLIK_SOCKET). The tests run as root or as the daemon's own user: an admin, as in the demo.
    (tmp_path / ".otklik").mkdir(mode=0o700)
    (tmp_path / ".otklik" / "otklik.sock").symlink_to(demo)
    environment = {key: value for key, value in os.environ.items() if key != "OTKLIK_SOCKET"}
    environment["PYTHONPATH"] = str(PACKAGE)  # the package as pip installs it
    for attempt in (1, 2):  # a user runs it again: still fine
        run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=environment, capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 0, f"the README's first example failed (run {attempt}):\n{run.stderr}"
        lines = run.stdout.splitlines()
        assert lines[0].split()[1] == "curator.petrova", run.stdout
        case_id, due = lines[1].split(" ", 1)
        assert re.fullmatch(r"\d{4}-\d{6}", case_id), run.stdout
        assert datetime.datetime.fromisoformat(due).tzinfo is not None, run.stdout


def register(client):
    return client.register_message(network="vk", url="https://vk.com/wall-1_7", author="Иван Петров", text="Яма на дороге",
                                   detected_at=datetime.datetime.now(datetime.timezone.utc), topics=["дороги"])


def test_an_admin_refused_a_partys_step_is_told_to_act_as_someone_who_may(daemon):
    curator_office(daemon)
    with Client(daemon) as admin:
        with pytest.raises(PermissionDenied) as refused:
            register(admin)
    error = refused.value
    assert error.reason == "not_permitted" and "admin" in error.arguments["roles"]
    # The daemon's sentence stays as it was; what the exception says adds the way out.
    assert error.message.startswith(f"{error.arguments['login']} (roles: admin) may not call otklik.v1.Cases/RegisterMessage")
    said = str(error)
    assert said.startswith("PERMISSION_DENIED: " + error.message), said
    assert 'metadata={"otklik-as": "LOGIN"}' in said and "curator" in said.split(error.message, 1)[1], said
    # Acting as someone who may: it goes through.
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        assert register(curator).id


def test_a_staff_member_refused_a_step_is_not_told_to_act_as_someone(daemon):
    curator_office(daemon)
    with Client(daemon, metadata={"otklik-as": "roads.ex"}) as executor:
        with pytest.raises(RPCError) as refused:
            register(executor)
    error = refused.value
    assert error.reason == "not_permitted"
    assert str(error) == "PERMISSION_DENIED: " + error.message and "otklik-as" not in str(error)
