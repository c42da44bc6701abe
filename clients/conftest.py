"""What the helpers' tests share (the notifier's and the connectors'): a real otklikd to talk to."""
import os
import shutil
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))

from otklik_client.testing import running_daemon  # noqa: E402


@pytest.fixture
def daemon():
    """A real otklikd on a private socket and data directory; yields its socket path."""
    path = os.environ.get("OTKLIKD") or shutil.which("otklikd")
    if not path:
        pytest.fail("set OTKLIKD to the otklikd binary (scripts/test does)")
    with running_daemon(path) as socket_path:
        yield socket_path
