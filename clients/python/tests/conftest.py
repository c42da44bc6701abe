import os
import shutil

import pytest

from otklik_client.testing import running_daemon


def otklikd_path() -> str:
    path = os.environ.get("OTKLIKD") or shutil.which("otklikd")
    if not path:
        pytest.fail("set OTKLIKD to the otklikd binary (scripts/test does)")
    return path


@pytest.fixture
def daemon():
    """A real otklikd with diagnostics on a private socket and data directory; yields its socket path."""
    with running_daemon(otklikd_path(), "--diagnostics") as socket_path:
        yield socket_path
