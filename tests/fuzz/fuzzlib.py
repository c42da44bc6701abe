"""The hostile client: drives every method of every service with valid requests mutated (bit flips,
truncation, huge lengths, boundary integers, bad UTF-8, NUL bytes) and hostile frame sequences, and
checks after every batch that the daemon is alive, its descriptors and memory flat, and an ordinary
call still answers.

Used by tests/fuzz/test_fuzz.py (about 60 s with a fixed seed, from the test command) and by
tests/fuzz/run --minutes N --seed S for longer runs.
"""
import os
import random
import shutil
import signal
import socket
import struct
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
from otklik_client._gen.otklik.v1 import (admin_pb2, calendar_pb2, cases_pb2, diagnostics_pb2,  # noqa: E402
                                          directory_pb2, events_pb2, reports_pb2)

MODULES = [admin_pb2, calendar_pb2, cases_pb2, diagnostics_pb2, directory_pb2, events_pb2, reports_pb2]
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

def _varint(value):
    out = bytearray()
    value &= (1 << 64) - 1
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


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
        data += _varint(field << 3 | 2) + _varint(rng.choice([1 << 31, (1 << 64) - 1, 1 << 22, 5_000_000]))
    elif choice == 3:  # a boundary integer in a random field
        field = rng.randrange(1, 20)
        data += _varint(field << 3) + _varint(rng.choice([-(1 << 63), (1 << 63) - 1, -1, 0, 1 << 32]))
    elif choice == 4:  # bad UTF-8 in a random string field
        field = rng.randrange(1, 20)
        junk = bytes([0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80])
        data += _varint(field << 3 | 2) + _varint(len(junk)) + junk
    elif choice == 5:  # NUL and control characters
        field = rng.randrange(1, 20)
        junk = b"abc\x00def\x1b[31m\x07"
        data += _varint(field << 3 | 2) + _varint(len(junk)) + junk
    elif choice == 6:  # a long string
        field = rng.randrange(1, 20)
        junk = ("ы" * rng.choice([300, 40_000, 200_000])).encode()
        data += _varint(field << 3 | 2) + _varint(len(junk)) + junk
    elif choice == 7:  # many repeated elements
        field = rng.randrange(1, 20)
        for _ in range(rng.choice([25, 2000])):
            data += _varint(field << 3 | 2) + b"\x01t"
    else:  # random bytes
        data += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 32)))
    return bytes(data)


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

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def call(self, service, method, payload, metadata=None, timeout_nanos=0, read_stream=False):
        """`payload` may be a message (serialized here) or bytes."""
        if hasattr(payload, "SerializeToString"):
            payload = payload.SerializeToString()
        """Returns (status code, response payload); raises OSError when the connection breaks."""
        request = rpc_pb2.Request(service=service, method=method, payload=payload, timeout_nano=timeout_nanos)
        for key, value in (metadata or {}).items():
            request.metadata.add(key=key, value=value)
        stream = self.stream
        self.stream += 2
        self.sock.sendall(framing.encode(framing.TYPE_REQUEST, stream, request.SerializeToString()))
        while True:
            header = self._exact(framing.HEADER_SIZE)
            length, stream_id, frame_type, _ = framing.decode_header(header)
            body = self._exact(length)
            if frame_type == framing.TYPE_RESPONSE and stream_id == stream:
                response = rpc_pb2.Response.FromString(body)
                self.last_message = response.status.message
                return response.status.code, response.payload
            if frame_type == framing.TYPE_DATA and stream_id == stream and not read_stream:
                # A server stream: enough seen; cancel it and wait for its end.
                self.sock.sendall(framing.encode(framing.TYPE_CANCEL, stream))
                read_stream = True

    def _exact(self, count):
        data = bytearray()
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise ConnectionError("daemon closed the connection")
            data += chunk
        return bytes(data)


ACTORS = [None, {"otklik-as": "curator.petrova"}, {"otklik-as": "roads.smirnov"}, {"otklik-as": "head.sokolov"}]


class Harness:
    """Runs batches of mutated calls and checks the daemon after each."""

    def __init__(self, daemon, seed, report=print):
        self.daemon = daemon
        self.rng = random.Random(seed)
        self.report = report
        self.methods = [(service, method) for service, method in methods() if not method.client_streaming]
        self.calls = 0
        self.answers = {}
        self.internal = []
        self.baseline_fds = None
        self.baseline_rss = None

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

    def run(self, seconds, hostile=None):
        """Mutated calls for `seconds`, a hostile-connection burst every few batches; returns a summary."""
        self.check("before the run")
        self.baseline_fds = self.daemon.descriptors()
        # Memory is compared with its level after a warm-up: caches and the allocator's first
        # high-water mark are not growth.
        for _ in range(5):
            self.batch()
        self.check("after the warm-up")
        self.baseline_rss = self.daemon.rss_kb()
        start = time.monotonic()
        batches = 0
        hostile_connections = 0
        peak_rss = self.baseline_rss
        while time.monotonic() - start < seconds:
            self.batch()
            batches += 1
            if hostile and batches % 10 == 0:
                hostile_connections += hostile(self.rng.randrange(1 << 30))
            self.check(f"after batch {batches}")
            peak_rss = max(peak_rss, self.daemon.rss_kb())
        fds = self.settle_descriptors(self.baseline_fds)
        rss = self.daemon.rss_kb()
        return {
            "seconds": round(time.monotonic() - start, 1), "calls": self.calls, "batches": batches,
            "hostile_connections": hostile_connections, "answers": dict(sorted(self.answers.items())),
            "descriptors": (self.baseline_fds, fds), "rss_kb": (self.baseline_rss, peak_rss, rss),
            "internal_errors": sorted(set(self.internal))[:20],
        }


def build_hostile():
    """Compiles tests/fuzz/hostile.c once; returns the binary's path."""
    source = os.path.join(ROOT, "tests", "fuzz", "hostile.c")
    out = os.path.join(tempfile.gettempdir(), f"otklik-hostile-{os.getuid()}")
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
