"""A full data disk: writes are refused as RESOURCE_EXHAUSTED with the free space in the sentence,
nothing half-written; the daemon keeps serving reads, and starts again on the full disk."""
import os
import shutil
import signal

import pytest

import fuzzlib
from otklik_client._gen.otklik.v1 import cases_pb2

RESOURCE_EXHAUSTED = 8
CURATOR = {"otklik-as": "curator.petrova"}


@pytest.mark.skipif(not fuzzlib.can_mount(), reason="needs root to mount a small tmpfs")
def test_a_full_disk_refuses_writes_clearly_and_still_serves_reads_across_a_restart():
    otklikd = os.environ["OTKLIKD"]
    daemon = None
    with fuzzlib.small_disk("4m") as disk:
        try:
            daemon = fuzzlib.Daemon(otklikd, data=os.path.join(disk, "data"))
            refusal, registered = None, 0
            with fuzzlib.RawConnection(daemon.socket_path) as connection:
                for number in range(20_000):
                    request = cases_pb2.RegisterMessageRequest(network="vk", url=f"https://vk.com/wall-3_{number}", author="Пётр",
                                                               text="Яма " * 3000, detected_at_unix=fuzzlib.DEMO_NOW_UNIX - 60)
                    code, _ = connection.call("otklik.v1.Cases", "RegisterMessage", request, metadata=CURATOR)
                    if code != 0:
                        refusal = (code, connection.last_message)
                        break
                    registered += 1
            assert refusal is not None, "the disk never filled"
            assert refusal[0] == RESOURCE_EXHAUSTED, refusal
            assert "no space left on the data disk" in refusal[1] and "MB free" in refusal[1], refusal
            assert daemon.alive()
            with fuzzlib.RawConnection(daemon.socket_path) as connection:
                code, payload = connection.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=1000), metadata=CURATOR)
                assert code == 0, connection.last_message
                assert len(cases_pb2.ListCasesResponse.FromString(payload).cases) == registered + 7
            # Stopped and started again on the full disk: it serves what it holds.
            daemon.restart()
            with fuzzlib.RawConnection(daemon.socket_path) as connection:
                code, payload = connection.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=1000), metadata=CURATOR)
                assert code == 0, connection.last_message
                assert len(cases_pb2.ListCasesResponse.FromString(payload).cases) == registered + 7
        finally:
            if daemon is not None:
                daemon.stop()


def test_the_wal_stays_bounded_under_a_stream_of_registrations():
    daemon = fuzzlib.Daemon(os.environ["OTKLIKD"])
    try:
        wal = os.path.join(daemon.data, "otklik.sqlite3-wal")
        peak = 0
        with fuzzlib.RawConnection(daemon.socket_path) as connection:
            for number in range(1500):
                request = cases_pb2.RegisterMessageRequest(network="vk", url=f"https://vk.com/wall-5_{number}", author="Иван",
                                                           text=f"Яма {number}", detected_at_unix=fuzzlib.DEMO_NOW_UNIX - 60)
                code, _ = connection.call("otklik.v1.Cases", "RegisterMessage", request, metadata=CURATOR)
                assert code == 0, connection.last_message
                peak = max(peak, os.path.getsize(wal))
        print(f"WAL peak {peak // 1024} KiB over 1500 registrations")
        assert peak <= 8 << 20
    finally:
        daemon.stop()


@pytest.mark.skipif(not fuzzlib.can_mount(), reason="needs root to mount a small tmpfs")
def test_a_daemon_stopped_cleanly_starts_and_serves_reads_on_a_disk_that_filled_up_meanwhile():
    # Issue 25, Low: with the disk 100 % full the WAL's shared memory could not be created: exit 70.
    otklikd = os.environ["OTKLIKD"]
    daemon = None
    with fuzzlib.small_disk("48m") as disk:
        try:
            data = os.path.join(disk, "data")
            daemon = fuzzlib.Daemon(otklikd, data=data)
            assert os.path.getsize(os.path.join(data, "otklik.ballast")) == 8 << 20
            daemon.process.send_signal(signal.SIGTERM)
            assert daemon.process.wait(timeout=20) == 0
            for name in ("otklik.sqlite3-shm", "otklik.sqlite3-wal"):
                if os.path.exists(os.path.join(data, name)):
                    os.unlink(os.path.join(data, name))
            # Something else fills the disk to the last byte.
            with open(os.path.join(disk, "filler"), "wb") as filler:
                try:
                    while True:
                        filler.write(b"\0" * (1 << 16))
                        filler.flush()
                except OSError:
                    pass
            assert shutil.disk_usage(disk).free < 1 << 20
            daemon._start()
            with fuzzlib.RawConnection(daemon.socket_path) as connection:
                code, payload = connection.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=100), metadata=CURATOR)
                assert code == 0, connection.last_message
                assert len(cases_pb2.ListCasesResponse.FromString(payload).cases) == 7
            # The start had freed the space it kept for this, and does not take it back on a full disk.
            assert not os.path.exists(os.path.join(data, "otklik.ballast"))
        finally:
            if daemon is not None:
                daemon.stop()
