"""`otklik admin backup` while clerks write: the copy restores into a new data directory with every
event acknowledged before it began, identical to the live log up to the copy's last sequence."""
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading

import fuzzlib
from otklik_client import Client
from otklik_client._gen.otklik.v1 import cases_pb2

CURATOR = {"otklik-as": "curator.petrova"}


def register_until(daemon, stop, acknowledged):
    number = 0
    with fuzzlib.RawConnection(daemon.socket_path) as connection:
        while not stop.is_set():
            number += 1
            request = cases_pb2.RegisterMessageRequest(network="vk", url=f"https://vk.com/wall-7_{number}", author="Мария",
                                                       text=f"Сообщение {number}", detected_at_unix=fuzzlib.DEMO_NOW_UNIX - 60)
            code, payload = connection.call("otklik.v1.Cases", "RegisterMessage", request, metadata=CURATOR)
            assert code == 0, connection.last_message
            acknowledged.append(cases_pb2.CaseView.FromString(payload).id)


def events(path, up_to):
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as database:
        return database.execute("SELECT id, time, actor, kind, subject, payload FROM events WHERE id <= ? ORDER BY id", (up_to,)).fetchall()


def test_a_backup_under_write_load_restores_every_acknowledged_event():
    otklikd = os.environ["OTKLIKD"]
    otklik = os.path.join(os.path.dirname(otklikd), "otklik")
    daemon = fuzzlib.Daemon(otklikd)
    restored = None
    scratch = tempfile.mkdtemp(prefix="otklik-backup-")
    try:
        stop, acknowledged = threading.Event(), []
        writer = threading.Thread(target=register_until, args=(daemon, stop, acknowledged))
        writer.start()
        # Two attachments (p.19): the backup carries their files beside the database.
        uploaded = {}
        for name, content in (("act.pdf", b"%PDF-1.4\n" + os.urandom(300_000)), ("road.jpg", b"\xff\xd8\xff\xe0" + os.urandom(5000))):
            path = os.path.join(scratch, name)
            with open(path, "wb") as file:
                file.write(content)
            with Client(daemon.socket_path, metadata=CURATOR) as client:
                uploaded[client.upload(path).attachment.sha256] = content
        while len(acknowledged) < 50:
            pass
        before_backup = list(acknowledged)
        target = os.path.join(scratch, "copy.sqlite3")
        result = subprocess.run([otklik, "admin", "backup", target, "--socket", daemon.socket_path, "-o", "json"],
                                capture_output=True, text=True, timeout=120)
        stop.set()
        writer.join()
        assert result.returncode == 0, result.stderr
        summary = json.loads(result.stdout)
        assert oct(os.stat(target).st_mode & 0o777) == "0o600"
        assert len(acknowledged) > len(before_backup)  # writes went on during the copy

        # Restore: the copy as the database of a new data directory.
        restored_data = os.path.join(scratch, "restored")
        os.makedirs(restored_data, mode=0o700)
        shutil.copy(target, os.path.join(restored_data, "otklik.sqlite3"))
        os.chmod(os.path.join(restored_data, "otklik.sqlite3"), 0o600)
        assert summary["attachments"] == 2
        shutil.copytree(summary["attachments_folder"], os.path.join(restored_data, "attachments"))
        restored = fuzzlib.Daemon(otklikd, data=restored_data)
        with fuzzlib.RawConnection(restored.socket_path) as connection:
            for case_id in before_backup:
                code, _ = connection.call("otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id=case_id), metadata=CURATOR)
                assert code == 0, f"{case_id}: {connection.last_message}"
        with Client(restored.socket_path, metadata=CURATOR) as client:
            for sha256, content in uploaded.items():
                out = os.path.join(scratch, sha256)
                client.download(sha256, out)
                with open(out, "rb") as file:
                    assert file.read() == content
        restored.stop()
        restored = None
        live = os.path.join(daemon.data, "otklik.sqlite3")
        copy_events = events(target, summary["last_sequence"])
        assert copy_events == events(live, summary["last_sequence"])
        assert len(copy_events) == summary["last_sequence"]
    finally:
        if restored is not None:
            restored.stop()
        daemon.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_backup_copy_a_killed_daemon_left_is_removed_at_start_and_a_running_one_is_never_left_in_the_data():
    from otklik_client._gen.otklik.v1 import maintenance_pb2
    daemon = fuzzlib.Daemon(os.environ["OTKLIKD"])
    try:
        leftover = os.path.join(daemon.data, "backup-4242-99.tmp")
        with open(leftover, "wb") as file:
            file.truncate(8 << 20)
        daemon.restart()
        assert not os.path.exists(leftover)
        # While a backup streams, its copy is already unlinked: a kill now leaves nothing.
        with Client(daemon.socket_path) as client:
            chunks = client.stream("otklik.v1.Maintenance", "Backup", maintenance_pb2.BackupRequest(),
                                   maintenance_pb2.BackupChunk, timeout=60)
            first = next(chunks)
            assert first.total_bytes > 0
            assert [name for name in os.listdir(daemon.data) if name.startswith("backup-")] == []
            received = len(first.data) + sum(len(chunk.data) for chunk in chunks if not chunk.attachment)
        assert received >= first.total_bytes
        assert [name for name in os.listdir(daemon.data) if name.startswith("backup-")] == []
    finally:
        daemon.stop()
