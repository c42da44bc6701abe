"""The hostile client: drives every method of every service with valid requests mutated (bit flips,
truncation, huge lengths, boundary integers, bad UTF-8, NUL bytes) and hostile frame sequences; in
every batch also hostile client streams of Attachments/Upload, downloads of real and mangled digests
and searches hostile to the full-text index (hostile_inputs.py); and checks after every batch that
the daemon is alive, its descriptors and memory flat, and an ordinary call still answers.

Used by tests/fuzz/test_fuzz.py (about 60 s with a fixed seed, from the test command) and by
tests/fuzz/run --minutes N --seed S for longer runs.
"""
import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))

from google.protobuf import descriptor as _descriptor  # noqa: E402
from google.protobuf import message_factory  # noqa: E402

from otklik_client import framing  # noqa: E402
from otklik_client._gen.otklik.rpc.v1 import rpc_pb2  # noqa: E402
from otklik_client._gen.otklik.v1 import (admin_pb2, attachments_pb2, calendar_pb2, cases_pb2,  # noqa: E402
                                          diagnostics_pb2, directory_pb2, events_pb2, reports_pb2)

import hostile_inputs  # noqa: E402

MODULES = [admin_pb2, attachments_pb2, calendar_pb2, cases_pb2, diagnostics_pb2, directory_pb2, events_pb2, reports_pb2]
_FACTORY = message_factory.MessageFactory()

INT_TYPES = {
    _descriptor.FieldDescriptor.TYPE_INT64: (-(1 << 63), (1 << 63) - 1),
    _descriptor.FieldDescriptor.TYPE_INT32: (-(1 << 31), (1 << 31) - 1),
    _descriptor.FieldDescriptor.TYPE_UINT32: (0, (1 << 32) - 1),
    _descriptor.FieldDescriptor.TYPE_UINT64: (0, (1 << 64) - 1),
    # Enums are open int32s on the wire: the extremes reach the handlers as values no build knows.
    _descriptor.FieldDescriptor.TYPE_ENUM: (-(1 << 31), (1 << 31) - 1),
}

DEMO_START = "2026-12-01T11:00:00+03:00"
DEMO_NOW_UNIX = 1796112000  # 2026-12-01T11:00:00+03:00


def methods():
    """Every (service full name, method descriptor) of the contract."""
    found = []
    for module in MODULES:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                found.append((service.full_name, method))
    return found


def message_class(descriptor):
    return _FACTORY.GetPrototype(descriptor)


# Plausible values by field name, so that mutated requests reach deep into the handlers.
SAMPLE_STRINGS = {
    "case_id": "2026-000002", "id": "2026-000002", "of": "2026-000001", "assignment_id": "2026-000002/1",
    "network": "vk", "url": "https://vk.com/wall-1_99", "author": "Иван Петров", "text": "Яма на дороге у школы",
    "external_id": "vk-99", "importance": "high", "reason": "formal", "comment": "Уточните сроки",
    "kind": "final", "measures": "Яму засыпали", "login": "roads.smirnov", "unit": "roads", "executor": "roads",
    "executors": "roads", "topic": "дороги", "topics": "дороги", "month": "2026-11", "from": "2026-11-01",
    "to": "2026-11-30", "schedule": "executor", "name": "executor", "state": "routed", "full_name": "Смирнов О. П.",
    "os_user": "nobody", "roles": "executor", "deputy": "housing.kuznetsova", "account": "Администрация района",
    "title": "Отдел", "time_zone": "Europe/Moscow", "date": "2026-12-31", "csv": "login;full_name;os_user;unit;roles;active\n",
    "kinds": "clock.breached", "message": "echo", "source": "ТК РФ", "holidays": "2026-01-01",
}


def sample(descriptor, rng, depth=0):
    """A plausible request of `descriptor`."""
    message = message_class(descriptor)()
    for field in descriptor.fields:
        repeated = field.label == field.LABEL_REPEATED
        if field.type == field.TYPE_MESSAGE:
            if depth < 3:
                if repeated:
                    getattr(message, field.name).add().CopyFrom(sample(field.message_type, rng, depth + 1))
                else:
                    getattr(message, field.name).CopyFrom(sample(field.message_type, rng, depth + 1))
            continue
        value = sample_scalar(field, rng)
        if value is None:
            continue
        if repeated:
            getattr(message, field.name).append(value)
        else:
            setattr(message, field.name, value)
    return message


def sample_scalar(field, rng):
    if field.type == field.TYPE_STRING:
        return SAMPLE_STRINGS.get(field.name, "x")
    if field.type == field.TYPE_BYTES:
        return b"payload"
    if field.type == field.TYPE_ENUM:
        # A known value (unspecified included), now and then one a newer peer could send.
        known = [value.number for value in field.enum_type.values]
        return rng.choice(known) if rng.random() < 0.8 else rng.randrange(len(known), 1000)
    if field.type == field.TYPE_BOOL:
        return rng.random() < 0.5
    if field.type in INT_TYPES:
        if field.name.endswith("_unix"):
            return DEMO_NOW_UNIX - rng.randrange(0, 86400)
        if field.name in ("expected_version",):
            return rng.randrange(0, 12)
        if field.name == "year":
            return 2026
        if field.name in ("month", "weekday"):
            return rng.randrange(1, 8)
        if field.name in ("delay_ms", "interval_ms"):
            return 0
        if field.name in ("count",):
            return 3
        if field.name in ("seconds",):
            return 60
        return rng.randrange(0, 100)
    return None


def integer_fields(descriptor, prefix=()):
    """Paths to every integer field, nested messages included."""
    paths = []
    for field in descriptor.fields:
        if field.type in INT_TYPES:
            paths.append((prefix + (field.name,), field))
        elif field.type == field.TYPE_MESSAGE and len(prefix) < 3:
            paths += integer_fields(field.message_type, prefix + (field.name,))
    return paths


def set_path(message, path, field, value):
    target = message
    for name in path[:-1]:
        container = getattr(target, name)
        if hasattr(container, "add"):
            target = container[0] if len(container) else container.add()
        else:
            target = container
    if field.label == field.LABEL_REPEATED:
        values = getattr(target, path[-1])
        del values[:]
        values.append(value)
    else:
        setattr(target, path[-1], value)


def boundary_values(field):
    low, high = INT_TYPES[field.type]
    values = [low, high, 0, -1 if low < 0 else high]
    return values


# Mutations of encoded requests.

def mutate(data, rng):
    data = bytearray(data)
    choice = rng.randrange(9)
    if choice == 0 and data:  # bit flips
        for _ in range(rng.randrange(1, 4)):
            index = rng.randrange(len(data))
            data[index] ^= 1 << rng.randrange(8)
    elif choice == 1 and data:  # truncation
        del data[rng.randrange(len(data)):]
    elif choice == 2:  # a field with a huge length
        field = rng.randrange(1, 20)
        data += hostile_inputs.varint(field << 3 | 2) + hostile_inputs.varint(rng.choice([1 << 31, (1 << 64) - 1, 1 << 22, 5_000_000]))
    elif choice == 3:  # a boundary integer in a random field
        field = rng.randrange(1, 20)
        data += hostile_inputs.varint(field << 3) + hostile_inputs.varint(rng.choice([-(1 << 63), (1 << 63) - 1, -1, 0, 1 << 32]))
    elif choice == 4:  # bad UTF-8 in a random string field
        field = rng.randrange(1, 20)
        junk = bytes([0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80])
        data += hostile_inputs.varint(field << 3 | 2) + hostile_inputs.varint(len(junk)) + junk
    elif choice == 5:  # NUL and control characters
        field = rng.randrange(1, 20)
        junk = b"abc\x00def\x1b[31m\x07"
        data += hostile_inputs.varint(field << 3 | 2) + hostile_inputs.varint(len(junk)) + junk
    elif choice == 6:  # a long string
        field = rng.randrange(1, 20)
        junk = ("ы" * rng.choice([300, 40_000, 200_000])).encode()
        data += hostile_inputs.varint(field << 3 | 2) + hostile_inputs.varint(len(junk)) + junk
    elif choice == 7:  # many repeated elements
        field = rng.randrange(1, 20)
        for _ in range(rng.choice([25, 2000])):
            data += hostile_inputs.varint(field << 3 | 2) + b"\x01t"
    else:  # random bytes
        data += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 32)))
    return bytes(data)


def can_mount():
    """Whether this run may mount a small tmpfs (root, with mount(8)): the tests of a full disk."""
    return os.getuid() == 0 and shutil.which("mount") is not None


@contextlib.contextmanager
def small_disk(size):
    """A tmpfs of `size` ("4m") mounted in a new private directory, unmounted and removed afterwards;
    the test is skipped where it cannot be mounted."""
    import pytest
    disk = tempfile.mkdtemp(prefix="otklik-disk-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", disk]).returncode != 0:
        os.rmdir(disk)
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", disk])
        shutil.rmtree(disk, ignore_errors=True)


class Daemon:
    """otklikd on a private socket and data directory, demo data, a test clock and diagnostics."""

    def __init__(self, otklikd, extra=(), group=None, data=None):
        """`group`: an OS group whose members may connect (the socket goes into a directory of
        that group, as in the systemd layout), for tests with peers of other uids. `data`: a data
        directory elsewhere (a restored backup, a small disk); by default a fresh one of its own."""
        self.otklikd = otklikd
        self.extra = tuple(extra) + (("--group", group) if group else ())
        self.directory = tempfile.mkdtemp(prefix="otklik-fuzz-")
        os.chmod(self.directory, 0o711 if group else 0o700)
        self.socket_path = os.path.join(self.directory, "run", "otklik.sock") if group else os.path.join(self.directory, "otklik.sock")
        self.log_path = os.path.join(self.directory, "otklikd.log")
        self.data = data or os.path.join(self.directory, "data")
        self.log = open(self.log_path, "wb")
        self._start()

    def _start(self):
        self.process = subprocess.Popen(
            [self.otklikd, "--socket", self.socket_path, "--data", self.data, "--demo",
             "--diagnostics", "--test-clock", DEMO_START, "--log-level", "error", *self.extra],
            stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 30
        while not self.health_ok():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("otklikd did not start: " + self.log_text())
            time.sleep(0.05)

    @property
    def pid(self):
        return self.process.pid

    def log_text(self):
        self.log.flush()
        with open(self.log_path, "rb") as file:
            return file.read()[-4000:].decode(errors="replace")

    def alive(self):
        return self.process.poll() is None

    def descriptors(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def upload_files(self):
        """The unfinished upload files the daemon holds open (one per running upload past its header)."""
        names = []
        for fd in os.listdir(f"/proc/{self.pid}/fd"):
            try:
                names.append(os.readlink(f"/proc/{self.pid}/fd/{fd}"))
            except OSError:
                pass
        return [name for name in names if "/upload-" in name]

    def threads(self):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
        return 0

    def upload_leftovers(self):
        """Temporary upload files in the data directory: a refused, cancelled or broken upload leaves none."""
        try:
            return len(os.listdir(os.path.join(self.data, "attachments", "tmp")))
        except FileNotFoundError:
            return 0

    def rss_kb(self):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def health_ok(self, timeout=5.0):
        try:
            with RawConnection(self.socket_path, timeout) as connection:
                code, _ = connection.call("otklik.v1.Admin", "Health", b"")
                return code == 0
        except OSError:
            return False

    def restart(self):
        """Stops the daemon gracefully and starts it again on the same data: what was stored must
        not keep it from serving."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)
        self._start()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


class RawConnection:
    """A bare ttrpc connection: one call at a time, any payload bytes."""

    def __init__(self, socket_path, timeout=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(socket_path)
        self.stream = 1
        self.early = {}  # responses that came before their `answer` was asked for, by stream id
        self.passed = {}  # digest -> size of the files passed as descriptors on this connection
        self.last_message = ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def call(self, service, method, payload, metadata=None, timeout_nanos=0, read_stream=False, data=None):
        """Returns (status code, response payload); raises OSError when the connection breaks.
        `payload` may be a message (serialized here) or bytes. A server stream is cancelled at its
        first message unless `read_stream`; `data`, a list, collects the stream's messages (and
        implies `read_stream`)."""
        stream = self.request(service, method, payload, metadata=metadata, timeout_nanos=timeout_nanos)
        return self.answer(stream, cancel_on_data=not read_stream and data is None, data=data)

    def request(self, service, method, payload=b"", metadata=None, timeout_nanos=0, flags=0):
        """Starts a call (the request frame only); returns its stream id. `flags`: REMOTE_OPEN for a
        client stream, whose messages follow with `send_data`."""
        if hasattr(payload, "SerializeToString"):
            payload = payload.SerializeToString()
        request = rpc_pb2.Request(service=service, method=method, payload=payload, timeout_nano=timeout_nanos)
        for key, value in (metadata or {}).items():
            request.metadata.add(key=key, value=value)
        stream = self.stream
        self.stream += 2
        self.sock.sendall(framing.encode(framing.TYPE_REQUEST, stream, request.SerializeToString(), flags))
        return stream

    def send_data(self, stream, payload, flags=0, fds=()):
        """One data frame of a client stream; `fds`: descriptors passed along with it (SCM_RIGHTS)."""
        frame = framing.encode(framing.TYPE_DATA, stream, payload, flags)
        if fds:
            sent = socket.send_fds(self.sock, [frame], list(fds))
            frame = frame[sent:]
        self.sock.sendall(frame)

    def close_send(self, stream):
        """The end of a client stream: an empty data frame flagged remote-closed, no data."""
        self.send_data(stream, b"", framing.FLAG_REMOTE_CLOSED | framing.FLAG_NO_DATA)

    def cancel(self, stream):
        self.sock.sendall(framing.encode(framing.TYPE_CANCEL, stream))

    def answer(self, stream, cancel_on_data=False, data=None):
        """Waits for the response of `stream`: (status code, payload). Responses of other streams of
        this connection that come first are kept for their own `answer`."""
        if stream in self.early:
            response = self.early.pop(stream)
            self.last_message = response.status.message
            return response.status.code, response.payload
        cancelled = False
        while True:
            header = self._exact(framing.HEADER_SIZE)
            length, stream_id, frame_type, _ = framing.decode_header(header)
            body = self._exact(length)
            if frame_type == framing.TYPE_RESPONSE and stream_id == stream:
                response = rpc_pb2.Response.FromString(body)
                self.last_message = response.status.message
                return response.status.code, response.payload
            if frame_type == framing.TYPE_RESPONSE and stream_id < self.stream:
                self.early[stream_id] = rpc_pb2.Response.FromString(body)
            if frame_type == framing.TYPE_DATA and stream_id == stream:
                if data is not None:
                    data.append(body)
                elif cancel_on_data and not cancelled:
                    # A server stream: enough seen; cancel it and wait for its end.
                    self.cancel(stream)
                    cancelled = True

    def _exact(self, count):
        data = bytearray()
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise ConnectionError("daemon closed the connection")
            data += chunk
        return bytes(data)


ACTORS = [None, {"otklik-as": "curator.petrova"}, {"otklik-as": "roads.smirnov"}, {"otklik-as": "head.sokolov"}]


UPLOAD = ("otklik.v1.Attachments", "Upload")
DOWNLOAD = ("otklik.v1.Attachments", "Download")
GET_ATTACHMENT = ("otklik.v1.Attachments", "GetAttachment")
SEARCH = ("otklik.v1.Cases", "SearchCases")
# The calls the targeted part of a batch makes, as the summary names them.
TARGETED = ["uploads", "downloads", "get_attachment", "searches", "registrations", "drafts"]
INTERNAL_CODES = (2, 13, 15)  # UNKNOWN, INTERNAL, DATA_LOSS
CANCELLED, INVALID_ARGUMENT, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED = 1, 3, 4, 8

# How an upload's stream ends (weights): closed as the client does, the close flag on the last
# message, a stream never opened for messages, cancelled, left open until its deadline, dropped with
# the connection part-way (perhaps mid-frame), left open while another call answers and then the
# connection closed.
UPLOAD_ENDINGS = [("close", 62), ("flag-on-last", 8), ("never-opened", 4), ("cancel", 5), ("deadline", 3),
                  ("drop", 9), ("open-then-close", 9)]
# What the stream carries (weights).
UPLOAD_SHAPES = [("proper", 40), ("no-header", 5), ("header-twice", 5), ("chunk-first", 5), ("header-last", 3),
                 ("empty", 3), ("header-only", 4), ("mutated", 12), ("random-frames", 5), ("descriptor", 12),
                 ("descriptor-missing", 2)]
# Descriptors passed with a `descriptor: true` header (weights).
PASSED = [("file", 6), ("memfd", 2), ("write-only", 1), ("o-path", 1), ("directory", 1), ("pipe", 1),
          ("dev-null", 1), ("socket", 1), ("several", 1)]


def weighted(rng, pairs):
    total = sum(weight for _, weight in pairs)
    roll = rng.randrange(total)
    for value, weight in pairs:
        roll -= weight
        if roll < 0:
            return value
    return pairs[-1][0]


def actor_name(actor):
    return (actor or {}).get("otklik-as", "admin")


class Harness:
    """Runs batches of mutated calls and checks the daemon after each. Each batch is the generic part
    (every unary and server-streaming method with mutated requests, `batch`) and the targeted part
    (`targeted`: hostile upload streams, downloads of real and mangled digests, searches hostile to
    the full-text index)."""

    def __init__(self, daemon, seed, report=print):
        self.daemon = daemon
        self.rng = random.Random(seed)
        self.report = report
        self.methods = [(service, method) for service, method in methods() if not method.client_streaming]
        self.calls = 0
        self.answers = {}
        self.internal = []
        # Answers that break a promise of the contract without being errors (a download whose bytes
        # are not its digest's, an upload stored under a digest it was not sent with).
        self.wrong = []
        # The frames of calls answered with an internal error or wrongly, to reproduce them.
        self.repros = []
        self.per_call = {name: {"calls": 0, "answers": {}} for name in TARGETED}
        self.per_call["uploads"].update(stored=0, dropped=0)
        self.per_call["downloads"].update(bytes_checked=0)
        self.stored = []  # digests of uploaded files, to download
        self.uploaded_by = {}  # digest -> logins that uploaded it
        self.scratch = os.path.join(daemon.directory, "fuzz-scratch")
        os.makedirs(self.scratch, exist_ok=True)
        self.files = 0
        self.staff = {}  # login -> StaffView bytes as the demo has them (see restore_staff)
        self.staff_restored = 0
        self.baseline_fds = None
        self.baseline_rss = None
        self.baseline_threads = None
        self.last_message = ""

    def check(self, where):
        if not self.daemon.alive():
            raise AssertionError(f"otklikd died {where}: exit {self.daemon.process.returncode}\n{self.daemon.log_text()}")
        if not self.daemon.health_ok():
            raise AssertionError(f"otklikd stopped answering {where}\n{self.daemon.log_text()}")

    def settle_descriptors(self, limit, wait=5.0):
        """Descriptors once closed connections have been reaped (closing is asynchronous)."""
        deadline = time.monotonic() + wait
        while True:
            count = self.daemon.descriptors()
            if count <= limit or time.monotonic() > deadline:
                return count
            time.sleep(0.05)

    def batch(self, size=200):
        with RawConnection(self.daemon.socket_path) as connection:
            for _ in range(size):
                service, method = self.rng.choice(self.methods)
                request = sample(method.input_type, self.rng).SerializeToString()
                payload = mutate(request, self.rng) if self.rng.random() < 0.8 else request
                try:
                    # A server stream with nothing to say ends at its deadline: keep that short.
                    timeout = 200_000_000 if method.server_streaming else 2_000_000_000
                    code, _ = connection.call(service, method.name, payload, metadata=self.rng.choice(ACTORS),
                                              timeout_nanos=timeout)
                except (OSError, ConnectionError):
                    # The daemon may close a connection it finds hostile; the next batch reconnects.
                    self.check(f"after {service}/{method.name}")
                    return
                self.calls += 1
                self.answers[code] = self.answers.get(code, 0) + 1
                if code in (2, 13, 15):  # UNKNOWN, INTERNAL, DATA_LOSS: a bug to look at, kept for the report
                    self.internal.append(f"{service}/{method.name}: {connection.last_message}")

    # The targeted part of a batch.

    def tally(self, name, code, where, connection, repro=None):
        """Counts an answer of the targeted part; an internal error is kept for the report."""
        self.last_message = connection.last_message
        self.calls += 1
        self.answers[code] = self.answers.get(code, 0) + 1
        entry = self.per_call[name]
        entry["calls"] += 1
        entry["answers"][code] = entry["answers"].get(code, 0) + 1
        if code in INTERNAL_CODES:
            self.internal.append(f"{where}: {self.last_message}")
            self.keep_repro(where, code, repro)

    def wrong_answer(self, where, detail, repro=None):
        """Keeps an answer that breaks a promise of the contract (see `self.wrong`)."""
        self.wrong.append(f"{where}: {detail}" + (f" ({self.last_message})" if self.last_message else ""))
        self.keep_repro(where, "wrong", repro)

    def keep_repro(self, where, code, repro):
        if len(self.repros) < 20:
            self.repros.append({"call": where, "code": code, "message": self.last_message, **(repro or {})})

    def targeted(self):
        """A few hostile uploads, downloads and searches, chosen by the seeded generator; returns
        False when the daemon closed the connection (it may, on a hostile stream)."""
        with RawConnection(self.daemon.socket_path) as connection:
            try:
                self.restore_staff(connection)
                plan = (["upload"] * self.rng.randrange(3, 7) + ["download"] * self.rng.randrange(2, 6)
                        + ["search"] * self.rng.randrange(4, 9))
                if self.rng.random() < 0.3:
                    plan.append("search-burst")
                if self.rng.random() < 0.2:
                    plan.append("register")
                if self.rng.random() < 0.1:
                    plan.append("draft")
                self.rng.shuffle(plan)
                for step in plan:
                    getattr(self, step.replace("-", "_"))(connection)
            except (OSError, ConnectionError):
                self.check("after the targeted calls")
                return False
        return True

    def restore_staff(self, connection):
        """Puts the curator and the roads executor back as the demo has them when the generic part
        changed them (deactivated, another unit, other roles), so the targeted calls keep acting as
        they do; counted as `staff_restored`."""
        for login in ("curator.petrova", "roads.smirnov"):
            code, payload = connection.call("otklik.v1.Directory", "GetStaff", directory_pb2.StaffRef(login=login),
                                            timeout_nanos=5_000_000_000)
            if code != 0:
                continue
            if login not in self.staff:
                self.staff[login] = payload  # as the demo has it: the first look is before any batch
            elif payload != self.staff[login]:
                code, _ = connection.call("otklik.v1.Directory", "PutStaff", self.staff[login],
                                          timeout_nanos=5_000_000_000)
                self.staff_restored += code == 0

    def upload(self, connection):
        """One hostile client stream of Attachments/Upload."""
        rng = self.rng
        # Curators and executors upload; the admin and the head are refused (a check of its own).
        actor = weighted(rng, [(1, 45), (2, 35), (0, 10), (3, 10)])
        actor = ACTORS[actor]
        shape = weighted(rng, UPLOAD_SHAPES)
        ending = weighted(rng, UPLOAD_ENDINGS)
        label, body = hostile_inputs.upload_body(rng)
        actual = hostile_inputs.digest(body)
        size = hostile_inputs.declared_size(rng, len(body))
        declared, digest_right = hostile_inputs.declared_digest(rng, actual)
        name = hostile_inputs.NAMES[0] if rng.random() < 0.6 else rng.choice(hostile_inputs.NAMES)
        header = hostile_inputs.upload_header(name, size, declared)
        chunks = [hostile_inputs.upload_chunk(chunk) for chunk in hostile_inputs.split_chunks(rng, body)]
        passed = []
        if shape == "proper":
            frames = [header] + chunks
        elif shape == "no-header":
            frames = chunks
        elif shape == "header-twice":
            frames = [header, header] + chunks
        elif shape == "chunk-first":
            frames = chunks[:1] + [header] + chunks[1:]
        elif shape == "header-last":
            frames = [header] + chunks + [header]
        elif shape == "empty":
            frames = []
        elif shape == "header-only":
            frames = [header]
        elif shape == "mutated":
            frames = [header] + chunks
            for _ in range(rng.randrange(1, 3)):
                index = rng.randrange(len(frames))
                frames[index] = mutate(frames[index], rng)
        elif shape == "random-frames":
            frames = [bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 48))) for _ in range(rng.randrange(1, 5))]
        else:  # descriptor, descriptor-missing
            if rng.random() < 0.5:
                declared, digest_right = b"", True
            frames = [hostile_inputs.upload_header(name, size, declared, descriptor=True)]
            if rng.random() < 0.1:
                frames += chunks
            if shape == "descriptor":
                label, passed = self.passed_descriptors(rng, body, label)
                connection.passed[actual] = len(body)
        describe = f"Attachments/Upload [{shape} {label} size={size} {ending}] as {actor_name(actor)}"
        repro = {"actor": actor_name(actor), "shape": shape, "ending": ending, "frames": [frame.hex() for frame in frames]}
        try:
            if ending in ("drop", "open-then-close"):
                self.upload_abandoned(frames, passed, actor, ending, describe)
                return
            flags = framing.FLAG_REMOTE_OPEN
            if ending == "never-opened":
                flags = rng.choice([0, framing.FLAG_REMOTE_OPEN | framing.FLAG_REMOTE_CLOSED])
            timeout = 100_000_000 if ending == "deadline" else 5_000_000_000
            stream = connection.request(*UPLOAD, b"", metadata=actor, timeout_nanos=timeout, flags=flags)
            for index, frame in enumerate(frames):
                last = index == len(frames) - 1
                flag = framing.FLAG_REMOTE_CLOSED if last and ending == "flag-on-last" else 0
                connection.send_data(stream, frame, flag, passed if index == 0 else ())
            if ending in ("close", "never-opened") or (ending == "flag-on-last" and not frames):
                connection.close_send(stream)
            elif ending == "cancel":
                connection.cancel(stream)
            code, payload = connection.answer(stream)
        finally:
            for fd in passed:
                os.close(fd)
        self.tally("uploads", code, describe, connection, repro)
        if ending == "deadline" and code not in (DEADLINE_EXCEEDED, INVALID_ARGUMENT, 7, RESOURCE_EXHAUSTED):
            self.wrong_answer(describe, f"a stream left open past its deadline was answered {code}", repro)
        if code != 0:
            return
        try:
            answer = attachments_pb2.UploadResponse.FromString(payload)
        except Exception as error:  # noqa: BLE001 - any decoding failure is the daemon's
            self.wrong_answer(describe, f"an undecodable UploadResponse ({error})", repro)
            return
        stored = answer.attachment.sha256
        if shape in ("header-twice", "chunk-first", "header-last", "empty", "header-only", "no-header", "descriptor-missing"):
            self.wrong_answer(describe, f"stored as {stored} from a stream without one header then chunks", repro)
        elif shape == "proper" and ending != "never-opened":
            if not digest_right or size != len(body):
                self.wrong_answer(describe, f"stored as {stored} though the header declared {declared!r}, {size} bytes"
                                  f" for {actual}, {len(body)} bytes", repro)
            elif stored != actual or answer.attachment.size != len(body):
                self.wrong_answer(describe, f"stored as {stored}, {answer.attachment.size} bytes; sent {actual}", repro)
        elif shape == "descriptor":
            # The daemon takes the oldest descriptor of the connection no call took yet: perhaps one an
            # earlier, refused upload passed. Whichever it was, it is stored as what it holds.
            normalized = hostile_inputs.normalized_digest(declared)
            if connection.passed.get(stored) != answer.attachment.size or answer.attachment.size != size \
                    or (declared and stored != normalized):
                self.wrong_answer(describe, f"stored as {stored}, {answer.attachment.size} bytes; declared {declared!r},"
                                  f" {size} bytes; passed on this connection: {connection.passed}", repro)
        self.per_call["uploads"]["stored"] += 1
        if stored not in self.uploaded_by:
            self.stored.append(stored)
            del self.stored[:-300]
        self.uploaded_by.setdefault(stored, set()).add(actor_name(actor))

    def passed_descriptors(self, rng, body, label):
        """Descriptors to pass with a `descriptor: true` header; the caller closes them."""
        kind = weighted(rng, PASSED)
        self.files += 1
        path = os.path.join(self.scratch, f"upload-{self.files}")
        with open(path, "wb") as file:
            file.write(body)
        try:
            if kind == "file":
                return f"{label} as a file", [os.open(path, os.O_RDONLY)]
            if kind == "memfd":
                fd = os.memfd_create("fuzz-upload")
                os.write(fd, body)
                return f"{label} as a memfd", [fd]
            if kind == "write-only":
                return f"{label} write-only", [os.open(path, os.O_WRONLY)]
            if kind == "o-path":
                return f"{label} O_PATH", [os.open(path, os.O_PATH)]
            if kind == "directory":
                return "a directory", [os.open(self.scratch, os.O_RDONLY | os.O_DIRECTORY)]
            if kind == "pipe":
                read, write = os.pipe()
                os.write(write, body[:4096])
                os.close(write)
                return f"{label} in a pipe", [read]
            if kind == "dev-null":
                return "/dev/null", [os.open(os.devnull, os.O_RDONLY)]
            if kind == "socket":
                one, other = socket.socketpair()
                other.close()
                return "a socket", [one.detach()]
            return f"{label} as several files", [os.open(path, os.O_RDONLY) for _ in range(rng.randrange(2, 7))]
        finally:
            os.unlink(path)

    def upload_abandoned(self, frames, passed, actor, ending, describe):
        """An upload on a connection of its own, abandoned: dropped part-way (perhaps mid-frame), or
        left open while another call on the connection answers, then the connection closed."""
        rng = self.rng
        with RawConnection(self.daemon.socket_path) as connection:
            stream = connection.request(*UPLOAD, b"", metadata=actor, timeout_nanos=5_000_000_000,
                                        flags=framing.FLAG_REMOTE_OPEN)
            if ending == "drop":
                wire = b"".join(framing.encode(framing.TYPE_DATA, stream, frame) for frame in frames)
                cut = rng.randrange(len(wire) + 1)
                if passed and cut:
                    sent = socket.send_fds(connection.sock, [wire[:cut]], list(passed))
                    connection.sock.sendall(wire[sent:cut])
                else:
                    connection.sock.sendall(wire[:cut])
            else:
                for index, frame in enumerate(frames):
                    connection.send_data(stream, frame, 0, passed if index == 0 else ())
                # The open upload must not hold up the connection's other calls.
                code, _ = connection.call("otklik.v1.Admin", "Health", b"", timeout_nanos=5_000_000_000)
                if code != 0:
                    self.wrong_answer(describe, f"Health beside an open upload answered {code}")
        self.per_call["uploads"]["dropped"] += 1

    def download(self, connection):
        """Attachments/Download or GetAttachment of a real digest (one an upload stored), of one upper-
        cased, or of a near miss, a stranger, no digest at all."""
        rng = self.rng
        actor = rng.choice(ACTORS)
        label, value, normalized = hostile_inputs.digest_variant(rng, self.stored)
        request = hostile_inputs.digest_request(value)
        repro = {"actor": actor_name(actor), "request": request.hex()}
        if rng.random() < 0.4:
            describe = f"Attachments/GetAttachment [{label}] as {actor_name(actor)}"
            code, payload = connection.call(*GET_ATTACHMENT, request, metadata=actor, timeout_nanos=5_000_000_000)
            self.tally("get_attachment", code, describe, connection, repro)
            if code == 0:
                try:
                    info = attachments_pb2.AttachmentInfo.FromString(payload)
                except Exception as error:  # noqa: BLE001
                    self.wrong_answer(describe, f"an undecodable AttachmentInfo ({error})", repro)
                    return
                if normalized is None or info.sha256 != normalized:
                    self.wrong_answer(describe, f"answered {info.sha256} for {value!r}", repro)
            return
        mode = weighted(rng, [("whole", 7), ("cancel-first", 2), ("deadline", 1)])
        describe = f"Attachments/Download [{label} {mode}] as {actor_name(actor)}"
        data = [] if mode == "whole" else None
        timeout = 1_000_000 if mode == "deadline" else 5_000_000_000
        code, _ = connection.call(*DOWNLOAD, request, metadata=actor, timeout_nanos=timeout, data=data)
        self.tally("downloads", code, describe, connection, repro)
        if code != 0 or data is None:
            return
        info, content = None, b""
        try:
            for message in data:
                chunk = attachments_pb2.DownloadChunk.FromString(message)
                if chunk.HasField("attachment"):
                    info = chunk.attachment
                content += chunk.data
        except Exception as error:  # noqa: BLE001
            self.wrong_answer(describe, f"an undecodable DownloadChunk ({error})", repro)
            return
        if normalized is None or info is None or info.sha256 != normalized or info.size != len(content) \
                or hostile_inputs.digest(content) != normalized:
            self.wrong_answer(describe, f"{len(content)} bytes of {hostile_inputs.digest(content)} for {value!r}"
                              f" (attachment {info.sha256 if info else None})", repro)
        self.per_call["downloads"]["bytes_checked"] += len(content)

    def search(self, connection):
        """Cases/SearchCases with a text hostile to FTS5 and word splitting, boundary author and period."""
        actor = self.rng.choice(ACTORS)
        label, request, expectation = hostile_inputs.search_request(self.rng)
        describe = f"Cases/SearchCases [{label}] as {actor_name(actor)}"
        code, payload = connection.call(*SEARCH, request, metadata=actor, timeout_nanos=10_000_000_000)
        self.judge_search(connection, actor, describe, code, payload, expectation, {"actor": actor_name(actor), "request": request.hex()})

    def judge_search(self, connection, actor, describe, code, payload, expectation, repro):
        self.tally("searches", code, describe, connection, repro)
        if expectation == "refused" and code != INVALID_ARGUMENT:
            self.wrong_answer(describe, f"answered {code}; it must be refused (INVALID_ARGUMENT)", repro)
        if expectation == "answered" and code not in (0, RESOURCE_EXHAUSTED) and self.acts(connection, actor):
            # (The generic part may have deactivated the login: then the refusal is about the caller.)
            self.wrong_answer(describe, f"answered {code}; one word asked many times is a search", repro)
        if code == 0:
            try:
                cases_pb2.SearchCasesResponse.FromString(payload)
            except Exception as error:  # noqa: BLE001
                self.wrong_answer(describe, f"an undecodable SearchCasesResponse ({error})", repro)

    @staticmethod
    def acts(connection, actor):
        """Whether the daemon takes calls as `actor` now (WhoAmI answers)."""
        message = connection.last_message
        code, _ = connection.call("otklik.v1.Admin", "WhoAmI", b"", metadata=actor, timeout_nanos=5_000_000_000)
        connection.last_message = message
        return code == 0

    def search_burst(self, connection):
        """Several searches of one login sent at once on one connection: they run side by side, and
        those over the login's share are answered RESOURCE_EXHAUSTED."""
        actor = self.rng.choice(ACTORS)
        sent = []
        for _ in range(self.rng.randrange(3, 7)):
            label, request, expectation = hostile_inputs.search_request(self.rng)
            stream = connection.request(*SEARCH, request, metadata=actor, timeout_nanos=10_000_000_000)
            sent.append((stream, f"Cases/SearchCases [{label}, at once] as {actor_name(actor)}", request, expectation))
        for stream, describe, request, expectation in sent:
            code, payload = connection.answer(stream)
            self.judge_search(connection, actor, describe, code, payload, expectation, {"actor": actor_name(actor), "request": request.hex()})

    def register(self, connection):
        """A message whose text and author are hostile, registered so that searches read odd text."""
        self.files += 1
        request = hostile_inputs.hostile_message(self.rng, f"{self.rng.getrandbits(32)}-{self.files}")
        code, _ = connection.call("otklik.v1.Cases", "RegisterMessage", request, metadata=ACTORS[1],
                                  timeout_nanos=5_000_000_000)
        self.tally("registrations", code, "Cases/RegisterMessage [hostile text]", connection, {"request": request.hex()})

    def draft(self, connection):
        """The roads executor's draft of case 2 carrying uploaded files (theirs, others', strangers), so
        that downloads meet files a case carries."""
        executor = ACTORS[2]
        code, payload = connection.call("otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id="2026-000002"),
                                        metadata=executor, timeout_nanos=5_000_000_000)
        self.tally("drafts", code, "Cases/GetCase 2026-000002", connection)
        if code != 0:
            return
        version = cases_pb2.CaseView.FromString(payload).version
        files = [hostile_inputs.digest_variant(self.rng, self.stored)[1].decode(errors="replace")
                 for _ in range(self.rng.randrange(1, 4))]
        request = cases_pb2.SubmitDraftRequest(assignment_id="2026-000002/1", expected_version=version, kind=3,
                                               text="Яму засыпали щебнем.", attachments=files)
        code, _ = connection.call("otklik.v1.Replies", "SubmitDraft", request, metadata=executor,
                                  timeout_nanos=5_000_000_000)
        self.tally("drafts", code, "Replies/SubmitDraft [with attachments]", connection,
                   {"request": request.SerializeToString().hex()})

    def boundary_integers(self):
        """Int64.min, Int64.max, 0 and -1 (as the field's type allows) in every integer field of every method."""
        sent = 0
        for service, method in self.methods:
            for path, field in integer_fields(method.input_type):
                for value in boundary_values(field):
                    request = sample(method.input_type, self.rng)
                    set_path(request, path, field, value)
                    for actor in ACTORS:
                        with RawConnection(self.daemon.socket_path) as connection:
                            try:
                                code, _ = connection.call(service, method.name, request.SerializeToString(), metadata=actor,
                                                          timeout_nanos=200_000_000 if method.server_streaming else 5_000_000_000)
                            except (OSError, ConnectionError) as error:
                                self.check(f"after {service}/{method.name} {'.'.join(path)}={value}")
                                raise AssertionError(f"{service}/{method.name} {'.'.join(path)}={value}: no answer ({error})")
                        sent += 1
            self.check(f"after the boundary integers of {service}/{method.name}")
        return sent

    def run(self, seconds, hostile=None, generic=True, targeted=True):
        """Batches for `seconds` (each the generic part, the targeted part, or both), a hostile-
        connection burst every few batches; returns a summary."""
        def one_batch():
            if generic:
                self.batch()
            if targeted:
                self.targeted()

        self.check("before the run")
        if targeted:
            with RawConnection(self.daemon.socket_path) as connection:
                self.restore_staff(connection)  # the first look: the staff as the demo has them
        self.baseline_fds = self.daemon.descriptors()
        # Memory is compared with its level after a warm-up: caches and the allocator's first
        # high-water mark are not growth.
        for _ in range(5):
            one_batch()
        self.check("after the warm-up")
        self.baseline_rss = self.daemon.rss_kb()
        self.baseline_threads = self.daemon.threads()
        start = time.monotonic()
        batches = 0
        hostile_connections = 0
        peak_rss = self.baseline_rss
        while time.monotonic() - start < seconds:
            one_batch()
            batches += 1
            if hostile and batches % 10 == 0:
                hostile_connections += hostile(self.rng.randrange(1 << 30))
            self.check(f"after batch {batches}")
            peak_rss = max(peak_rss, self.daemon.rss_kb())
        elapsed = time.monotonic() - start
        fds = self.settle_descriptors(self.baseline_fds)
        rss = self.daemon.rss_kb()
        threads = self.settle(self.daemon.threads, self.baseline_threads)
        summary = {
            "seconds": round(elapsed, 1), "calls": self.calls, "batches": batches,
            "hostile_connections": hostile_connections, "answers": dict(sorted(self.answers.items())),
        }
        if targeted:
            for name in TARGETED:
                entry = dict(self.per_call[name])
                entry["answers"] = dict(sorted(entry["answers"].items()))
                summary[name] = entry
            summary["staff_restored"] = self.staff_restored
        summary.update({
            "descriptors": (self.baseline_fds, fds), "rss_kb": (self.baseline_rss, peak_rss, rss),
            "threads": (self.baseline_threads, threads),
            "upload_leftovers": self.settle(self.daemon.upload_leftovers, 0),
            "internal_errors": sorted(set(self.internal))[:20],
            "wrong_answers": sorted(set(self.wrong))[:20],
        })
        return summary

    def settle(self, measure, limit, wait=5.0):
        """`measure()` once it is at most `limit`, or after `wait` seconds (what ends, ends asynchronously)."""
        deadline = time.monotonic() + wait
        while True:
            value = measure()
            if value <= limit or time.monotonic() > deadline:
                return value
            time.sleep(0.05)


def build_hostile():
    """Compiles tests/fuzz/hostile.c once; returns the binary's path."""
    source = os.path.join(ROOT, "tests", "fuzz", "hostile.c")
    tools = os.path.join(ROOT, ".build-tools")  # beside the other test tools, out of git and of /tmp
    os.makedirs(tools, exist_ok=True)
    out = os.path.join(tools, "hostile")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(source):
        subprocess.run(["cc", "-O2", "-pthread", "-o", out + ".tmp", source], check=True)
        os.replace(out + ".tmp", out)
    return out


def hostile_runner(binary, socket_path, connections=2000, threads=16):
    def run(seed):
        result = subprocess.run([binary, socket_path, str(connections), str(threads), str(seed)],
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise AssertionError(f"hostile connections (seed {seed}): {result.stdout}{result.stderr}")
        return connections
    return run
