"""The standby tested as a failure (issue 32, item 3): see failover.py. Needs Litestream (.venv, from
scripts/setup) and rsync."""
import os
import shutil
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import failover  # noqa: E402


@pytest.fixture(autouse=True)
def litestream_and_rsync():
    """scripts/setup installs both: missing, the test fails rather than passing unseen."""
    if not os.access(failover.LITESTREAM, os.X_OK) or not shutil.which("rsync"):
        pytest.fail(f"needs Litestream ({failover.LITESTREAM}) and rsync: run scripts/setup")


def test_a_killed_primary_loses_no_write_older_than_the_replication_interval(tmp_path):
    figures = failover.failover(os.environ["OTKLIKD"], str(tmp_path), seconds=3.0)
    print("\nfailover: " + failover.said(figures))
    print("otklik-promote said: " + figures["promote_said"])
    # The standby's follower had the replica's last transaction: its file was taken, not restored again.
    assert figures["follower_taken"], figures["promote_said"]
    check_standby(figures)


@pytest.mark.parametrize("follower, said", [
    # Stopped (or stalled, Litestream #1515) before the last writes.
    ("stale", "not taking the follower's file: it is at transaction"),
    # A stop command that did not stop it: a file still being written into.
    ("held", "not taking the follower's file: process"),
])
def test_a_follower_behind_or_still_running_is_not_taken_and_the_standby_is_restored_afresh(tmp_path, follower,
                                                                                              said):
    figures = failover.failover(os.environ["OTKLIKD"], str(tmp_path), seconds=1.0, replicator_restart=False,
                                follower=follower)
    print("\nfailover: " + failover.said(figures))
    assert not figures["follower_taken"]
    assert said in figures["promote_said"], figures["promote_said"]
    if follower == "held":
        assert "still holds it (the follower was not stopped by: true)" in figures["promote_said"]
    check_standby(figures)


def check_standby(figures):
    assert figures["cases"] > 0 and figures["photos"] > 0
    # Every write acknowledged more than the interval before the kill is on the standby, whole.
    assert figures["lost_older_than_margin"] == []
    # Each case with its clocks as the primary answered them.
    assert figures["wrong_clocks"] == []
    # A closed month's report, byte for byte.
    assert figures["report_same"]
    # The standby's file (the follower's, or restored afresh) passed the full check it ran beside the calls.
    assert figures["standby_check"][:2] == (2, True), figures["standby_check"]


def test_a_promotion_is_refused_while_the_old_primary_still_writes_into_the_replica(tmp_path):
    """Fencing: otklik-promote watches the replica and refuses while it changes."""
    import subprocess
    replica = tmp_path / "replica"
    (replica / "attachments").mkdir(parents=True)
    primary = failover.Primary(os.environ["OTKLIKD"], str(tmp_path / "primary"), str(replica))
    try:
        primary.in_step()
        (tmp_path / "standby" / "data").mkdir(parents=True, mode=0o700)
        writers = failover.Writers(primary.socket, primary.base)
        writers.start()
        refused = subprocess.run(
            [os.path.join(failover.STANDBY, "otklik-promote"), "--replica", f"file://{replica}/epoch-1",
             "--data", str(tmp_path / "standby" / "data"), "--watch", "2"],
            capture_output=True, text=True, env={**os.environ, "OTKLIK_LITESTREAM": failover.LITESTREAM}, timeout=120)
        writers.end()
        assert refused.returncode == 75, refused.stderr
        assert "the old primary is still writing into it" in refused.stderr and "fence it first" in refused.stderr
        assert not (tmp_path / "standby" / "data" / "otklik.sqlite3").exists()
    finally:
        primary.die()
