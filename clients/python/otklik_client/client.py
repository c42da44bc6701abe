"""A pure-Python client for the Otklik daemon (or any ttrpc server) over a Unix socket, or over SSH to
the daemon on another machine (`Client("ssh://user@host")`, `remote.py`).

One background thread reads frames and hands each to the call it belongs to, so calls from several
threads share one connection and may complete in any order. Every call has a deadline: it is sent to
the server as timeout_nano and enforced here too.
"""

import os
import queue
import socket
import stat
import threading
import time

from . import framing
from . import words
from ._gen.calls import Calls
from .errors import RemoteUnavailable, RPCError, StatusCode, UntrustedSocket
from . import remote
from ._gen.otklik.rpc.v1 import rpc_pb2
from ._gen.otklik.v1 import admin_pb2, attachments_pb2, events_pb2, reports_pb2

SYSTEM_SOCKET = "/run/otklik/otklik.sock"
DEMO_SOCKET = ".otklik/otklik.sock"

_END = object()


def default_socket_path() -> str:
    """$OTKLIK_SOCKET, else the demo socket in the current directory if present, else the system one.
    A demo socket found this way is used by `Client()` only if `socket_distrust()` finds nothing."""
    value = os.environ.get("OTKLIK_SOCKET")
    if value:
        return value
    return DEMO_SOCKET if os.path.exists(DEMO_SOCKET) else SYSTEM_SOCKET


def socket_distrust(path: str, uid: int = None):
    """Why the socket at `path` is not to be trusted, as an `UntrustedSocket` (not raised), or None: the
    socket or its directory belongs to someone other than `uid` (default: this process's user) or root,
    or the directory is writable by every user. The otklik CLI's rule (SocketLocation.distrust) for the
    demo socket it finds in the current directory; a file that is not there is not held against it
    (connecting then fails as usual). Not followed through a symbolic link: the link itself is judged."""
    uid = os.getuid() if uid is None else uid
    directory = os.path.dirname(path) or "."
    for file, is_directory in ((path, False), (directory, True)):
        try:
            info = os.lstat(file)
        except OSError:
            continue
        if info.st_uid not in (uid, 0):
            return UntrustedSocket(path, "foreign_owner", {"file": file, "uid": str(info.st_uid),
                                                           "directory": "true" if is_directory else "false"})
        if is_directory and info.st_mode & stat.S_IWOTH:
            return UntrustedSocket(path, "world_writable", {"directory": file})
    return None


def _may_begin_a_frame(buffer) -> bool:
    """Whether `buffer`, the first bytes the server sent, may begin a frame: a length within the limit
    (its first byte 0) and a response's or data's type. Text a shell printed before the daemon's stream
    (a greeting in ~/.bashrc) is not: the client says so rather than wait for a frame of its length."""
    if buffer[0] != 0:
        return False
    if len(buffer) < framing.HEADER_SIZE:
        return True
    length, _, frame_type, _ = framing.decode_header(bytes(buffer[:framing.HEADER_SIZE]))
    return length <= framing.MAX_PAYLOAD and frame_type in (framing.TYPE_RESPONSE, framing.TYPE_DATA)


class _Call:
    def __init__(self):
        self.inbox = queue.Queue()  # data payloads, then ("end", Response) or ("error", RPCError)


class Client(Calls):
    """A connection to the daemon. Use as a context manager or call close(). Every call of the daemon
    is a method (see `Calls`); `call`, `stream` and `client_stream` reach any method by name."""

    def __init__(self, socket_path: str = None, timeout: float = 30.0, metadata: dict = None):
        """socket_path: the daemon's socket, used as given, or the daemon on another machine as
        "ssh://[user@]host[:port][/path/to/otklik.sock]" (reached through the system's ssh, which runs
        `otklik dial-stdio` there; see `remote`); None: $OTKLIK_HOST when set, else the socket found
        by `default_socket_path()`, and then a demo socket found in the current directory is refused
        (`UntrustedSocket`, before connecting) when another user could have put it there, as the
        otklik CLI does. An address that is not one is refused before anything runs (`BadAddress`).
        timeout: default seconds per call, None for no deadline. metadata: sent with every call,
        e.g. {"otklik-as": "curator.petrova"} for an admin acting as someone."""
        host = socket_path if remote.is_address(socket_path) else None
        if not socket_path and os.environ.get("OTKLIK_HOST"):
            host = os.environ["OTKLIK_HOST"]
        # The daemon's address: set (with `socket_path` its text) when it is on another machine.
        self.address = remote.parse_address(host) if host is not None else None
        self._link = None
        self.timeout = timeout
        self.metadata = dict(metadata or {})
        if self.address is not None:
            self.socket_path = self.address.text
            self._link = remote.SSHLink(self.address)
            self._sock = self._link.socket
        else:
            self._sock = self._connect(socket_path)
        self._closing = False
        self._lost = None  # the error explaining a lost link, once known
        self._lost_lock = threading.Lock()
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._calls = {}
        self._next_stream = 1
        self._closed_error = None
        self._reader = threading.Thread(target=self._read_loop, name="otklik-client-reader", daemon=True)
        self._reader.start()
        if self._link is not None:
            self._check_set_up()

    def _check_set_up(self):
        """The set-up deadline, as the CLI's: a new SSH link must carry one answer of the daemon within
        remote.CONNECT_SECONDS, whatever stalls after the login (a forced command or a daemon that hangs);
        without it a watch, which has no deadline, would wait for ever. Health is every login's: its
        refusal is the daemon refusing this login, raised as it is."""
        try:
            self.call("otklik.v1.Admin", "Health", admin_pb2.HealthRequest(), admin_pb2.HealthResponse,
                      timeout=remote.CONNECT_SECONDS)
        except RPCError as error:
            self.close()
            if error.code == StatusCode.DEADLINE_EXCEEDED:
                raise RemoteUnavailable(self.address.host, "set_up_expired", {"seconds": remote.CONNECT_SECONDS}) from None
            raise
        except BaseException:
            self.close()
            raise

    def _connect(self, socket_path):
        """The daemon's own socket, connected."""
        self.socket_path = socket_path or default_socket_path()
        if not socket_path and not os.environ.get("OTKLIK_SOCKET") and self.socket_path == DEMO_SOCKET:
            untrusted = socket_distrust(self.socket_path)
            if untrusted is not None:
                raise untrusted
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.socket_path)
        except (FileNotFoundError, ConnectionRefusedError) as error:
            sock.close()
            raise RPCError(StatusCode.UNAVAILABLE, f"no daemon answers on {self.socket_path}") from error
        except OSError as error:
            sock.close()
            raise RPCError(StatusCode.UNAVAILABLE, f"cannot connect to {self.socket_path}: {error.strerror}") from error
        return sock

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Closes the connection; calls still running fail with UNAVAILABLE. Through ssh, ssh is ended
        with it (SIGTERM, SIGKILL after 2 s) and reaped."""
        self._closing = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._reader.join(timeout=5)
        self._sock.close()
        if self._link is not None:
            self._link.end()

    # Calls

    def call(self, service: str, method: str, request, response_type, timeout: float = None, metadata=None):
        """Calls a unary method: request is a protobuf message, the answer a response_type instance."""
        deadline = self._deadline(timeout)
        stream_id, call = self._start(service, method, request.SerializeToString(), deadline, metadata,
                                      framing.FLAG_REMOTE_CLOSED)
        item = self._next(stream_id, call, deadline)
        if item is _END:
            raise RPCError(StatusCode.INTERNAL, "the server ended a unary call without a response")
        kind, value = item
        if kind == "data":
            raise RPCError(StatusCode.INTERNAL, "the server streamed data on a unary call")
        return response_type.FromString(value)

    def stream(self, service: str, method: str, request, response_type, timeout: float = None, metadata=None):
        """Calls a server-streaming method; yields response_type messages until the server ends the stream.

        Closing the generator early cancels the call on the server."""
        deadline = self._deadline(timeout)
        stream_id, call = self._start(service, method, request.SerializeToString(), deadline, metadata,
                                      framing.FLAG_REMOTE_CLOSED)
        finished = False
        try:
            while True:
                item = self._next(stream_id, call, deadline)
                if item is _END:
                    finished = True
                    return
                kind, value = item
                if kind == "response":
                    finished = True
                    return
                yield response_type.FromString(value)
        finally:
            if not finished:
                self._cancel(stream_id)

    def client_stream(self, service: str, method: str, requests, response_type, timeout: float = None, metadata=None):
        """Calls a client-streaming method with every message of the iterable `requests`."""
        deadline = self._deadline(timeout)
        stream_id, call = self._start(service, method, b"", deadline, metadata, framing.FLAG_REMOTE_OPEN)
        for request in requests:
            if not call.inbox.empty():
                break  # the server already answered (an error): stop sending
            self._send(framing.encode(framing.TYPE_DATA, stream_id, request.SerializeToString()))
        self._send(framing.encode(framing.TYPE_DATA, stream_id, b"",
                                  framing.FLAG_REMOTE_CLOSED | framing.FLAG_NO_DATA))
        item = self._next(stream_id, call, deadline)
        kind, value = item
        return response_type.FromString(value)

    # Calls written by hand: the generated ones take and return messages; these add what a script wants.

    def whoami(self, timeout: float = None):
        """Who the daemon takes this client for (admin_pb2.WhoAmIResponse); the same as who_am_i."""
        return self.who_am_i(timeout=timeout)

    def watch(self, from_sequence: int = None, mine: bool = False, unit: str = "", case_id: str = "", kinds=()):
        """Events as they happen (events_pb2.WatchEvent), after from_sequence (default: from now on).
        `kinds`: words.EventKind values or the log's words ("case.routed"); none: every kind.
        An event's facts come typed in its `payload` oneof: `event.step` (StepDetails: a step's
        assignments, reason, comment, executor, ...), `event.clock` (ClockNoticeDetails: the clock, its
        due, a warning's point) or `event.attachment`; `event.details` holds them as the log's JSON.
        The last event of a stream may have fell_behind set: resume from its resume_from."""
        if from_sequence is None:
            from_sequence = self.health().last_sequence
        request = events_pb2.WatchRequest(from_sequence=from_sequence, mine=mine, unit=unit, case_id=case_id,
                                          kinds=[words.event_kind(k) for k in kinds])
        return self.stream("otklik.v1.Events", "Watch", request, events_pb2.WatchEvent, timeout=None)

    def list_all_cases(self, page: int = 1000, **filters):
        """Every case the filters of `list_cases` match, page by page (a generator: a year of a region
        never sits in memory)."""
        after = ""
        while True:
            answer = self.list_cases(limit=page, after=after, **filters)
            yield from answer.cases
            if not answer.next_after:
                return
            after = answer.next_after

    def monthly_summary(self, month: str = "", unit: str = "", date_from: str = "", date_to: str = "", timeout: float = None):
        """Clause 22's monthly summary as a dict (schema otklik.report.monthly/1, docs/REPORTS.md): a `month`
        ("2026-12"), or `date_from` (the first day, "2026-12-01") and `date_to` (the day AFTER the last,
        "2027-01-01"). A period that has not begun and an unknown `unit` are refused."""
        import json
        request = reports_pb2.MonthlySummaryRequest(month=month, unit=unit, to=date_to, **{"from": date_from})
        return json.loads(self.call("otklik.v1.Reports", "MonthlySummary", request, reports_pb2.MonthlySummaryResponse, timeout).json)

    def upload(self, path: str, name: str = None, timeout: float = 600.0):
        """Uploads the file at `path` (a JPEG, PNG, HEIC or WebP photo, an MP4 or MOV video, a PDF: the daemon
        tells the kind by the content) and returns attachments_pb2.UploadResponse: `.attachment` (sha256, kind,
        content_type, size, captured_at_unix, latitude/longitude when has_position) and `.existing` (the same
        content was already stored). `name` defaults to the file's own name."""
        import hashlib
        digest, size = hashlib.sha256(), 0
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
                size += len(block)

        def requests():
            header = attachments_pb2.UploadHeader(name=name or os.path.basename(path), size=size, sha256=digest.hexdigest())
            yield attachments_pb2.UploadRequest(header=header)
            with open(path, "rb") as file:
                for block in iter(lambda: file.read(1 << 20), b""):
                    yield attachments_pb2.UploadRequest(chunk=block)

        return self.client_stream("otklik.v1.Attachments", "Upload", requests(), attachments_pb2.UploadResponse, timeout)

    def download(self, sha256: str, out_path: str, timeout: float = 600.0):
        """Writes the attachment `sha256` to `out_path` (which must not exist; written beside it and renamed
        only once its SHA-256 matches) and returns its attachments_pb2.AttachmentInfo."""
        import hashlib
        partial = out_path + ".partial"
        info, digest, size = None, hashlib.sha256(), 0
        with open(out_path, "xb"):
            pass
        try:
            with open(partial, "wb") as file:
                chunks = self.stream("otklik.v1.Attachments", "Download", attachments_pb2.DownloadRequest(sha256=sha256),
                                     attachments_pb2.DownloadChunk, timeout)
                for chunk in chunks:
                    if chunk.HasField("attachment"):
                        info = chunk.attachment
                    file.write(chunk.data)
                    digest.update(chunk.data)
                    size += len(chunk.data)
                file.flush()
                os.fsync(file.fileno())
            if info is None or size != info.size or digest.hexdigest() != info.sha256:
                raise RPCError(StatusCode.DATA_LOSS, f"attachment {sha256} arrived damaged; nothing was kept")
            os.replace(partial, out_path)
        except BaseException:
            for leftover in (partial, out_path):
                try:
                    os.unlink(leftover)
                except FileNotFoundError:
                    pass
            raise
        return info

    # Internals

    def _deadline(self, timeout):
        seconds = self.timeout if timeout is None else timeout
        return None if seconds is None else time.monotonic() + seconds

    def _start(self, service, method, payload, deadline, metadata, flags):
        if self._link is not None:
            self._link.drain()  # what ssh says never fills its pipe, however long the client lives
        request = rpc_pb2.Request(service=service, method=method, payload=payload)
        if deadline is not None:
            request.timeout_nano = max(1, int((deadline - time.monotonic()) * 1e9))
        for key, value in {**self.metadata, **(metadata or {})}.items():
            request.metadata.add(key=key, value=value)
        body = request.SerializeToString()
        if len(body) > framing.MAX_PAYLOAD:
            raise RPCError(StatusCode.RESOURCE_EXHAUSTED, f"request of {len(body)} bytes is over the limit")
        call = _Call()
        with self._lock:
            if self._closed_error is not None:
                raise self._closed_error
            stream_id = self._next_stream
            self._next_stream += 2
            self._calls[stream_id] = call
            # Sent under the lock so stream ids reach the server in increasing order.
            self._send(framing.encode(framing.TYPE_REQUEST, stream_id, body, flags))
        return stream_id, call

    def _next(self, stream_id, call, deadline):
        """The call's next item: ("data", bytes), ("response", payload) or _END; raises its error."""
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            item = call.inbox.get(timeout=remaining)
        except queue.Empty:
            self._cancel(stream_id)
            raise RPCError(StatusCode.DEADLINE_EXCEEDED, "deadline exceeded") from None
        if isinstance(item, RPCError):
            raise item
        return item

    def _cancel(self, stream_id):
        with self._lock:
            if self._calls.pop(stream_id, None) is None:
                return
        try:
            self._send(framing.encode(framing.TYPE_CANCEL, stream_id))
        except RPCError:
            pass

    def _send(self, data: bytes):
        with self._send_lock:
            try:
                self._sock.sendall(data)
            except OSError as error:
                raise self._connection_lost(f"connection to the daemon lost: {error}") from error

    def _connection_lost(self, message, noise=None):
        """The error of calls that lost the connection: the client's own `message`, or through ssh why
        the link ended (how ssh ended and what it said, or the `noise` that came instead of a frame),
        the same for every call that meets it."""
        if self._link is None or self._closing:
            if noise is not None:
                message = f"text came instead of the protocol: {remote.quoted_bytes(noise)}"
            return RPCError(StatusCode.UNAVAILABLE, message)
        with self._lost_lock:
            if self._lost is None:
                self._lost = self._link.failure(message, noise)
            return self._lost

    def _read_loop(self):
        buffer = bytearray()
        message, noise = "connection to the daemon lost", None
        first = bytearray()  # the first bytes, shown when they are no frame (text a login shell printed)
        decoded = False
        try:
            while noise is None:
                chunk = self._sock.recv(65536)
                if not chunk:
                    break
                if not decoded and len(first) < 80:
                    first += chunk[:80 - len(first)]
                buffer += chunk
                while buffer:
                    if not decoded and not _may_begin_a_frame(buffer):
                        noise = bytes(first)
                        break
                    if len(buffer) < framing.HEADER_SIZE:
                        break
                    length, stream_id, frame_type, flags = framing.decode_header(bytes(buffer[:framing.HEADER_SIZE]))
                    if len(buffer) < framing.HEADER_SIZE + length:
                        break
                    payload = bytes(buffer[framing.HEADER_SIZE:framing.HEADER_SIZE + length])
                    del buffer[:framing.HEADER_SIZE + length]
                    decoded = True
                    self._dispatch(stream_id, frame_type, flags, payload)
        except OSError as failed:
            message += f": {failed.strerror or failed}"
        finally:
            try:
                error = self._connection_lost(message, noise)
            except Exception as failed:  # noqa: BLE001 - the calls waiting must end whatever went wrong here
                error = RPCError(StatusCode.UNAVAILABLE, f"{message} ({failed})")
            with self._lock:
                self._closed_error = error
                calls, self._calls = self._calls, {}
            for call in calls.values():
                call.inbox.put(error)

    def _dispatch(self, stream_id, frame_type, flags, payload):
        if frame_type == framing.TYPE_DATA:
            with self._lock:
                call = self._calls.get(stream_id)
            if call is not None and not flags & framing.FLAG_NO_DATA:
                call.inbox.put(("data", payload))
        elif frame_type == framing.TYPE_RESPONSE:
            with self._lock:
                call = self._calls.pop(stream_id, None)
            if call is None:
                return
            response = rpc_pb2.Response.FromString(payload)
            code = StatusCode.from_wire(response.status.code)
            if code != StatusCode.OK:
                call.inbox.put(RPCError(int(code), response.status.message, response.status.details))
            else:
                call.inbox.put(("response", response.payload))
