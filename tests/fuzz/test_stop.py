"""A stop asked for with SIGTERM while everything a staff member can start is running: uploads that
stalled after a chunk, watchers, searches in a loop, registrations in a loop. The daemon ends by
itself, cleanly (exit 0), within its unit's stop timeout, so systemd never needs SIGKILL; the time it
took is printed (benchmarks/fairness measures it too)."""
import hashlib
import os
import signal
import threading
import time

import fuzzlib
from otklik_client import Client, RPCError
from otklik_client._gen.otklik.v1 import attachments_pb2, cases_pb2

CURATOR = {"otklik-as": "curator.petrova"}
# deploy/otklikd.service: TimeoutStopSec, after which systemd would kill the daemon.
UNIT_STOP_TIMEOUT = 10.0


def stalled_upload(socket_path, started, release):
    """A header and one chunk of a 1 MiB photo, then nothing until the daemon goes away."""
    body = b"\xff\xd8\xff\xe0" + os.urandom(4096)
    header = attachments_pb2.UploadHeader(name="stalled.jpg", size=1 << 20, sha256=hashlib.sha256(body).hexdigest())

    def requests():
        yield attachments_pb2.UploadRequest(header=header)
        yield attachments_pb2.UploadRequest(chunk=body)
        started.release()
        release.wait(30)

    try:
        with Client(socket_path, metadata=CURATOR, timeout=60) as client:
            client.client_stream("otklik.v1.Attachments", "Upload", requests(), attachments_pb2.UploadResponse)
    except (RPCError, OSError):
        pass


def loop(body, stop):
    while not stop.is_set():
        try:
            body()
        except (RPCError, OSError):
            time.sleep(0.01)


def test_sigterm_while_uploads_stall_watchers_wait_and_searches_and_registrations_run_ends_the_daemon_cleanly():
    daemon = fuzzlib.Daemon(os.environ["OTKLIKD"])
    stop, release, started = threading.Event(), threading.Event(), threading.Semaphore(0)
    threads = []
    try:
        for _ in range(3):
            threads.append(threading.Thread(target=stalled_upload, args=(daemon.socket_path, started, release), daemon=True))
        watcher = Client(daemon.socket_path, metadata=CURATOR, timeout=None)
        watches = [watcher.watch() for _ in range(5)]
        searcher = Client(daemon.socket_path, metadata=CURATOR)
        words = "яма дорога двор дом улица свет вода мусор"
        threads.append(threading.Thread(target=loop, args=(lambda: searcher.search_cases(text=words), stop), daemon=True))
        registrar = Client(daemon.socket_path, metadata=CURATOR)
        counter = iter(range(1, 1 << 30))

        def register():
            number = next(counter)
            registrar.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
                network="vk", url=f"https://vk.com/wall-9_{number}", author="Житель", text=f"Яма во дворе {number}",
                detected_at_unix=fuzzlib.DEMO_NOW_UNIX - 60), cases_pb2.CaseView)
        threads.append(threading.Thread(target=loop, args=(register, stop), daemon=True))
        for thread in threads:
            thread.start()
        for _ in range(3):
            assert started.acquire(timeout=10), "an upload did not start"
        time.sleep(0.5)
        began = time.monotonic()
        daemon.process.send_signal(signal.SIGTERM)
        code = daemon.process.wait(timeout=UNIT_STOP_TIMEOUT)
        took = time.monotonic() - began
        print(f"stop: {took:.2f} s after SIGTERM, exit {code}")
        assert code == 0, daemon.log_text()
        del watches
    finally:
        stop.set()
        release.set()
        daemon.stop()
