"""A real daemon for tests: started on a private socket and data directory, stopped afterwards.

    with running_daemon("/path/to/otklikd", "--diagnostics") as socket_path:
        with Client(socket_path) as client: ...
"""
import contextlib
import os
import shutil
import subprocess
import tempfile
import time

from .client import Client
from .errors import RPCError


@contextlib.contextmanager
def running_daemon(otklikd, *arguments, start_timeout=10.0):
    directory = tempfile.mkdtemp(prefix="otklik-py-")
    os.chmod(directory, 0o700)
    socket_path = os.path.join(directory, "otklik.sock")
    # The daemon's log goes to a file, never to a pipe nobody reads (a full pipe would stall it).
    log_path = os.path.join(directory, "otklikd.log")
    log = open(log_path, "wb")
    process = subprocess.Popen([otklikd, "--socket", socket_path, "--data", os.path.join(directory, "data"), *arguments],
                               stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + start_timeout
    try:
        while True:
            try:
                Client(socket_path).close()
                break
            except RPCError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    with open(log_path, "rb") as file:
                        raise RuntimeError("otklikd did not start: " + file.read().decode(errors="replace"))
                time.sleep(0.01)
        yield socket_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(directory, ignore_errors=True)
