"""Uploads as a hostile or careless staff member sends them: every short file the content sniffer
might misread, at every length, answered one by one while the daemon keeps serving."""
import hashlib
import os
import tempfile
import threading
import time

import pytest

import fuzzlib
from otklik_client import Client, RPCError, StatusCode
from otklik_client._gen.otklik.v1 import attachments_pb2, cases_pb2

CURATOR = {"otklik-as": "curator.petrova"}

# The first bytes of every kind the daemon recognises (ISO media with each brand family), padded to 64,
# and how many of them tell the kind (the magic; for ISO media the box's size, type and major brand).
HEADS = {
    "image/jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF", 3),
    "image/png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 8),
    "image/webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 ", 12),
    "application/pdf": (b"%PDF-1.7\n", 5),
    "video/mp4": (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", 12),
    "video/quicktime": (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", 12),
    "image/heic": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", 12),
}


def padded(head):
    return head + bytes((index * 37 + 11) & 0xFF for index in range(64 - len(head)))


def test_short_uploads_of_every_sniffed_kind_at_every_length_from_0_to_64_bytes_are_answered_and_the_daemon_lives(daemon):
    scratch = tempfile.mkdtemp(prefix="otklik-short-")
    answered = refused = 0
    try:
        with Client(daemon.socket_path, metadata=CURATOR) as client:
            for mime, (head, magic) in HEADS.items():
                whole = padded(head)
                for length in range(0, 65):
                    path = os.path.join(scratch, f"{len(HEADS)}-{length}")
                    with open(path, "wb") as file:
                        file.write(whole[:length])
                    try:
                        response = client.upload(path, name="short")
                        # Stored only when the whole magic (and the ISO brand) was there, as what it is.
                        assert length >= magic, (mime, length)
                        assert response.attachment.content_type == mime, (mime, length)
                        answered += 1
                    except RPCError as error:
                        assert length < magic, (mime, length, error)
                        assert error.code in (StatusCode.INVALID_ARGUMENT, StatusCode.FAILED_PRECONDITION), (mime, length, error)
                        refused += 1
                    assert daemon.alive(), f"{mime} at {length} bytes: " + daemon.log_text()
    finally:
        for name in os.listdir(scratch):
            os.unlink(os.path.join(scratch, name))
        os.rmdir(scratch)
    assert answered + refused == len(HEADS) * 65
    assert answered > 0 and refused > 0
    assert daemon.health_ok()


def test_an_eight_byte_ftyp_file_sent_as_an_upload_is_refused_not_a_crash(daemon):
    # Issue 25, C1: `printf '\0\0\0\x10ftyp' > a.mp4; otklik attachment upload a.mp4` brought the daemon down.
    with tempfile.NamedTemporaryFile(suffix=".mp4") as file:
        file.write(b"\x00\x00\x00\x10ftyp")
        file.flush()
        with Client(daemon.socket_path, metadata=CURATOR) as client:
            try:
                client.upload(file.name)
                raise AssertionError("an 8-byte ftyp file was stored")
            except RPCError as error:
                assert error.code == StatusCode.INVALID_ARGUMENT, error
    assert daemon.alive() and daemon.health_ok()


# Issue 25, H3 and H4: stalled uploads, many uploads, and uploads that would fill the disk.
EXECUTOR = {"otklik-as": "roads.smirnov"}


def stalled(socket_path, metadata, outcome, release, started=None, size=1 << 20):
    """An upload that sends its header and one chunk, then nothing until `release` (or its end)."""
    body = b"\xff\xd8\xff\xe0" + os.urandom(2048)
    header = attachments_pb2.UploadHeader(name="stalled.jpg", size=size, sha256=hashlib.sha256(body).hexdigest())

    def requests():
        yield attachments_pb2.UploadRequest(header=header)
        yield attachments_pb2.UploadRequest(chunk=body)
        if started is not None:
            started.release()
        # Held until the test releases it (a slow machine must not end it while the test still counts on it).
        release.wait(60)

    try:
        with Client(socket_path, metadata=metadata, timeout=90) as client:
            client.client_stream("otklik.v1.Attachments", "Upload", requests(), attachments_pb2.UploadResponse)
            outcome.append(("ok", ""))
    except RPCError as error:
        outcome.append((error.code, str(error)))
    except OSError as error:
        outcome.append(("os", str(error)))


def running_uploads(daemon, count, within=30):
    """Whether `daemon` holds `count` uploads open (waited for up to `within` s).

    Counted from the daemon's open upload files, not by probing with an upload of our own: a probe would
    take a free place for a moment, and a stalled upload arriving in that moment would be refused."""
    deadline = time.monotonic() + within
    while len(daemon.upload_files()) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return len(daemon.upload_files()) == count


def pdf(path, size):
    with open(path, "wb") as file:
        file.write(b"%PDF-1.4\n" + os.urandom(size - 9))
    return path


def test_an_upload_that_sends_nothing_after_a_chunk_is_ended_and_frees_its_thread_and_file():
    daemon = fuzzlib.Daemon(os.environ["OTKLIKD"], extra=("--upload-idle-timeout", "2"))
    try:
        outcome, release, started = [], threading.Event(), threading.Semaphore(0)
        # The client waits after its chunk until released (it cannot read the answer while it does): the
        # daemon has ended the upload 2 s after the chunk, freed its file, and answered why.
        worker = threading.Thread(target=stalled, args=(daemon.socket_path, CURATOR, outcome, release, started))
        worker.start()
        assert started.acquire(timeout=10)

        # The upload's file is open once the header has reached the daemon...
        assert running_uploads(daemon, 1, within=5), "the upload never began"
        # ...and closed two seconds after the chunk, while the client still sleeps.
        time.sleep(4)
        assert daemon.upload_files() == [], "the stalled upload still holds its file"
        assert not outcome
        release.set()
        worker.join(timeout=30)
        code, message = outcome[0]
        assert code == StatusCode.DEADLINE_EXCEEDED, outcome
        assert "sent nothing for 2 s" in message, message
        # Nothing of it was kept: the upload directory holds no unfinished file.
        leftovers = [name for _, _, names in os.walk(os.path.join(daemon.data, "attachments")) for name in names
                     if not all(c in "0123456789abcdef" for c in name)]
        assert leftovers == [], leftovers
    finally:
        daemon.stop()


def test_a_thousand_stalled_uploads_of_one_person_take_four_places_and_no_one_is_locked_out():
    # The attack that exhausted the descriptors: 1,024 uploads that send a header and one chunk and stop.
    daemon = fuzzlib.Daemon(os.environ["OTKLIKD"])
    release, started = threading.Event(), threading.Semaphore(0)
    outcome, workers = [], []
    try:
        baseline = daemon.descriptors()
        for _ in range(4):
            workers.append(threading.Thread(target=stalled, args=(daemon.socket_path, EXECUTOR, outcome, release, started)))
            workers[-1].start()
        for _ in range(4):
            assert started.acquire(timeout=10)
        # The client having written its chunk is not the daemon having read it: on a loaded machine the
        # four handlers may start later. Wait until the daemon holds the four uploads open.
        assert running_uploads(daemon, 4), (daemon.upload_files(), outcome)
        refused = []
        with Client(daemon.socket_path, metadata=EXECUTOR) as client:
            for number in range(1020):
                body = b"%PDF-1.4\n" + number.to_bytes(4, "big")
                header = attachments_pb2.UploadHeader(name="more.pdf", size=1 << 20, sha256=hashlib.sha256(body).hexdigest())
                try:
                    client.client_stream("otklik.v1.Attachments", "Upload",
                                         iter([attachments_pb2.UploadRequest(header=header)]),
                                         attachments_pb2.UploadResponse)
                except RPCError as error:
                    refused.append(error)
        assert len(refused) == 1020
        assert all(error.code == StatusCode.RESOURCE_EXHAUSTED and "uploads of yours are running" in str(error)
                   for error in refused), ({str(error) for error in refused}, outcome)
        # Another person uploads, registers, and root is answered; the descriptors stayed bounded.
        with tempfile.TemporaryDirectory() as scratch, Client(daemon.socket_path, metadata=CURATOR) as curator:
            assert curator.upload(pdf(os.path.join(scratch, "act.pdf"), 4096)).attachment.size == 4096
            curator.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
                network="vk", url="https://vk.com/wall-8_1", author="Житель", text="Яма",
                detected_at_unix=fuzzlib.DEMO_NOW_UNIX - 60), cases_pb2.CaseView)
        assert daemon.health_ok()
        assert daemon.descriptors() < baseline + 40
    finally:
        release.set()
        for worker in workers:
            worker.join(timeout=10)
        daemon.stop()


def test_one_persons_unattached_uploads_stop_at_their_quota_and_others_still_upload():
    daemon = fuzzlib.Daemon(os.environ["OTKLIKD"], extra=("--upload-quota", "1MiB"))
    try:
        with tempfile.TemporaryDirectory() as scratch:
            with Client(daemon.socket_path, metadata=EXECUTOR) as executor:
                executor.upload(pdf(os.path.join(scratch, "a.pdf"), 400 << 10))
                executor.upload(pdf(os.path.join(scratch, "b.pdf"), 400 << 10))
                with pytest.raises(RPCError) as refusal:
                    executor.upload(pdf(os.path.join(scratch, "c.pdf"), 400 << 10))
                assert refusal.value.code == StatusCode.RESOURCE_EXHAUSTED
                assert refusal.value.reason == "upload_quota", refusal.value
                assert "800 KiB" in str(refusal.value) and "1 MiB" in str(refusal.value)
                # The same file again takes no more room and is answered as already stored.
                assert executor.upload(os.path.join(scratch, "a.pdf")).existing
            with Client(daemon.socket_path, metadata=CURATOR) as curator:
                assert curator.upload(pdf(os.path.join(scratch, "d.pdf"), 400 << 10)).attachment.size == 400 << 10
        assert daemon.health_ok()
    finally:
        daemon.stop()


@pytest.mark.skipif(not fuzzlib.can_mount(), reason="needs root to mount a small tmpfs")
def test_uploads_are_refused_before_the_disk_reserve_and_registrations_go_on():
    daemon = None
    with fuzzlib.small_disk("48m") as disk:
        try:
            daemon = fuzzlib.Daemon(os.environ["OTKLIKD"], data=os.path.join(disk, "data"),
                                    extra=("--upload-disk-reserve", "24MiB"))
            stored, refusal = 0, None
            with tempfile.TemporaryDirectory() as scratch, Client(daemon.socket_path, metadata=CURATOR) as curator:
                for number in range(10):
                    try:
                        curator.upload(pdf(os.path.join(scratch, f"{number}.pdf"), 6 << 20))
                        stored += 1
                    except RPCError as error:
                        refusal = error
                        break
                assert refusal is not None, "the reserve never held"
                assert refusal.code == StatusCode.RESOURCE_EXHAUSTED and refusal.reason == "upload_disk_reserve", refusal
                assert 1 <= stored <= 3, stored
                for number in range(200):
                    curator.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
                        network="vk", url=f"https://vk.com/wall-6_{number}", author="Житель", text="Яма " * 50,
                        detected_at_unix=fuzzlib.DEMO_NOW_UNIX - 60), cases_pb2.CaseView)
            assert daemon.health_ok()
        finally:
            if daemon is not None:
                daemon.stop()
