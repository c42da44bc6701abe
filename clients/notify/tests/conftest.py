import os
import shutil
import subprocess
import tempfile
import time

import pytest

import sys as _sys
import os as _os
_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "..", "..", "python"))
from otklik_client import Client, RPCError


def _otklikd() -> str:
    path = os.environ.get("OTKLIKD") or shutil.which("otklikd")
    if not path:
        pytest.fail("set OTKLIKD to the otklikd binary (scripts/test does)")
    return path


@pytest.fixture
def daemon():
    """A real otklikd with diagnostics on a private socket and data directory; yields its socket path."""
    directory = tempfile.mkdtemp(prefix="otklik-py-")
    os.chmod(directory, 0o700)
    socket_path = os.path.join(directory, "otklik.sock")
    process = subprocess.Popen(
        [_otklikd(), "--socket", socket_path, "--data", os.path.join(directory, "data"), "--diagnostics"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            Client(socket_path).close()
            break
        except RPCError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("otklikd did not start: " + process.stderr.read().decode())
            time.sleep(0.01)
    try:
        yield socket_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(directory, ignore_errors=True)
