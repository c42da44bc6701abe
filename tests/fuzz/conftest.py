"""Shared by the hostile-client tests: the daemon under test, from $OTKLIKD (scripts/test sets it)."""
import os

import pytest

import fuzzlib


def otklikd_path():
    path = os.environ.get("OTKLIKD")
    if not path:
        pytest.fail("set OTKLIKD to the otklikd binary (scripts/test does)")
    return path


@pytest.fixture
def daemon():
    """A fresh otklikd with demo data on a test clock, stopped and removed afterwards."""
    running = fuzzlib.Daemon(otklikd_path())
    yield running
    running.stop()
