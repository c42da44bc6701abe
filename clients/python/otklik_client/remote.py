"""The daemon on another machine, through OpenSSH (issue 27): `Client("ssh://[user@]host[:port][/socket]")`.

The client runs the system's ssh client (so the user's own ~/.ssh/config, keys and agent apply) with its
standard input and output on one end of a socket pair; on the host, ssh runs `otklik dial-stdio`, which
copies bytes between them and the daemon's socket. The client speaks ttrpc over the other end exactly as
over the daemon's own socket. The same command line as the otklik CLI's (Sources/OtklikDesk/
RemoteCommand.swift), the same address rules (HostAddress.swift) and the same explanations of a link
that failed (Sources/otklik/Support/DaemonLink.swift):

    ssh -T -o BatchMode=yes -o ConnectTimeout=9 -o ServerAliveInterval=15 -o ServerAliveCountMax=3
        [-o ControlMaster=auto -o ControlPersist=10m -o ControlPath=DIR/NAME] [-l USER] [-p PORT]
        -- HOST "'otklik' dial-stdio [--socket 'PATH']"

$OTKLIK_SSH names another ssh program, $OTKLIK_REMOTE_OTKLIK the otklik program on the host. DIR, where
the shared connection's socket goes, is $XDG_RUNTIME_DIR/otklik-ssh, else ~/.ssh/otklik (mode 0700);
without one, every client connects anew.
"""

import errno
import hashlib
import json
import os
import re
import socket
import stat
import subprocess
import threading
import weakref

from .errors import BadAddress, RemoteUnavailable, RPCError, StatusCode

__all__ = ["HostAddress", "parse_address", "is_address", "ssh_command", "control_directory", "shell_quoted",
           "SSHLink", "CONNECT_SECONDS", "quoted_bytes"]

# The set-up deadline: seconds from starting ssh to the daemon's first answer through it (ssh itself
# may take a second less to connect, as the CLI's RemoteCommand).
def _connect_seconds():
    try:
        seconds = int(os.environ.get("OTKLIK_CONNECT_TIMEOUT", ""))
    except ValueError:
        return 10
    return seconds if 2 <= seconds <= 300 else 10


# $OTKLIK_CONNECT_TIMEOUT (2 to 300) for a slow link, as the CLI reads it.
CONNECT_SECONDS = _connect_seconds()
# What of ssh's standard error is kept to explain a failure.
KEPT_ERROR_BYTES = 4096

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class HostAddress:
    """`ssh://[user@]host[:port][/path/to/otklik.sock]`, parsed: `user` (None: ssh's choice), `host`,
    `port` (None: ssh's), `socket_path` (None: the daemon's standard socket on the host)."""

    __slots__ = ("user", "host", "port", "socket_path")

    def __init__(self, host, user=None, port=None, socket_path=None):
        self.host, self.user, self.port, self.socket_path = host, user, port, socket_path

    @property
    def text(self) -> str:
        """The address as written (for messages)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return ("ssh://" + (f"{self.user}@" if self.user else "") + host + (f":{self.port}" if self.port else "")
                + (self.socket_path or ""))

    def __eq__(self, other):
        return isinstance(other, HostAddress) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self):
        return f"HostAddress({self.text!r})"


def is_address(text) -> bool:
    """Whether `text` is meant as an address (it starts with a scheme: `ssh://`, or another that is then
    refused) rather than a socket path."""
    return isinstance(text, str) and _SCHEME.match(text) is not None


def _letters(text, extra):
    return all(c.isalnum() or c in extra for c in text)


def parse_address(text: str) -> HostAddress:
    """The address `text` names, as the otklik CLI reads `--host`: refused (`BadAddress`, an
    InvalidArgument and a ValueError) when it is not ssh://, holds a password, a query or a fragment,
    names no host, a host ssh could take for an option (it starts with "-" or holds anything but letters,
    digits and `.-_:`; an IPv6 address goes in brackets), a port outside 1-65535, a user that is not
    letters, digits and `._-`, or a socket path with a control character."""
    if not isinstance(text, str) or not text.startswith("ssh://"):
        raise BadAddress(text, "not_ssh")
    rest = text[len("ssh://"):]
    if "?" in rest:
        raise BadAddress(text, "query")
    if "#" in rest:
        raise BadAddress(text, "fragment")
    path = None
    slash = rest.find("/")
    if slash >= 0:
        rest, path = rest[:slash], rest[slash:]
    user = None
    at = rest.rfind("@")
    if at >= 0:
        user = rest[:at]
        if ":" in user:
            raise BadAddress(text, "password")
        if not user or user[0] == "-" or not _letters(user, "._-"):
            raise BadAddress(text, "bad_user")
        rest = rest[at + 1:]
    port = None
    colon = rest.rfind(":")
    if colon >= 0 and (not rest.startswith("[") or rest[:colon].endswith("]")):
        digits = rest[colon + 1:]
        if not re.fullmatch(r"[0-9]{1,5}", digits) or not 1 <= int(digits) <= 65535:
            raise BadAddress(text, "bad_port")
        port = int(digits)
        rest = rest[:colon]
    if rest.startswith("[") and rest.endswith("]"):
        rest = rest[1:-1]
    if not rest:
        raise BadAddress(text, "no_host")
    # A host is a name or an address: never something ssh would read as an option or a shell would.
    if rest[0] == "-" or not _letters(rest, ".-_:"):
        raise BadAddress(text, "bad_host")
    socket_path = None
    if path is not None and path != "/":
        if any(ord(c) < 0x20 or c in "\x7f\x85\u2028\u2029" for c in path):
            raise BadAddress(text, "bad_path")
        socket_path = path
    return HostAddress(rest, user, port, socket_path)


def shell_quoted(text: str) -> str:
    """`text` quoted for a POSIX shell: the host's shell reads the command ssh sends it."""
    return "'" + text.replace("'", "'\\''") + "'"


def ssh_command(address: HostAddress, program: str = "ssh", remote: str = "otklik", control_dir: str = None):
    """The argv of the ssh command reaching `address`'s daemon: `program` the ssh client, `remote` the
    otklik program on the host, `control_dir` where the shared connection's socket goes (None: no
    sharing). The remote command is one argument, each part quoted for the host's shell."""
    argv = [program, "-T",
            # No prompt can be answered on a binary stream: keys and the agent only.
            "-o", "BatchMode=yes",
            # Less than the set-up deadline: a host that never answers is said in ssh's words.
            "-o", f"ConnectTimeout={CONNECT_SECONDS - 1}",
            # The link's liveness: ttrpc has no pings of its own.
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3"]
    if control_dir:
        # `%` starts ssh's tokens: one in the directory is written `%%`.
        argv += ["-o", "ControlMaster=auto", "-o", "ControlPersist=10m",
                 "-o", f"ControlPath={control_dir.replace('%', '%%')}/{control_name(address)}"]
    if address.user:
        argv += ["-l", address.user]
    if address.port:
        argv += ["-p", str(address.port)]
    command = shell_quoted(remote) + " dial-stdio"
    if address.socket_path:
        command += " --socket " + shell_quoted(address.socket_path)
    return argv + ["--", address.host, command]


# A Unix socket's path holds at most 107 bytes: the directory, "/", the name (16) and the 17 characters ssh
# adds to it while it makes the socket.
LONGEST_CONTROL_DIRECTORY = 107 - 1 - 16 - 17


def control_name(address: HostAddress) -> str:
    """The name of the shared connection's socket: the first 16 hex digits of SHA-256 over `user@host:port`
    as given (empty where not given), as the CLI names it, so a script and the CLI share one connection
    (not ssh's own `%C`, 40 digits, which left no room under a long home directory)."""
    key = f"{address.user or ''}@{address.host}:{address.port or ''}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def control_directory(environ=None):
    """A directory for the shared connections' sockets only this user may enter: $XDG_RUNTIME_DIR/otklik-ssh,
    else ~/.ssh/otklik, made (mode 0700) when missing; None when it cannot be made, is not a directory of
    this user's with no group or other bits (a symbolic link is not followed), or is too long for a control
    socket's path (LONGEST_CONTROL_DIRECTORY)."""
    environ = os.environ if environ is None else environ
    runtime = environ.get("XDG_RUNTIME_DIR")
    base = os.path.join(runtime, "otklik-ssh") if runtime else os.path.join(os.path.expanduser("~"), ".ssh", "otklik")
    try:
        if not os.path.lexists(base):
            os.makedirs(base, mode=0o700)
            os.chmod(base, 0o700)
        if len(os.fsencode(base)) > LONGEST_CONTROL_DIRECTORY:
            return None
        info = os.lstat(base)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return base


def tried_path(text: str):
    """The program a shell on the server could not find, in its words (dash's "sh: 1: PATH: not found",
    bash's "...: PATH: No such file or directory" or "PATH: command not found"), as the CLI reads it."""
    for line in text.splitlines():
        for ending in (": not found", ": No such file or directory", ": command not found"):
            end = line.rfind(ending)
            if end < 0:
                continue
            path = line[:end].split(":")[-1].strip()
            if path and " " not in path:
                return path
    return None


def quoted_bytes(data: bytes) -> str:
    """Bytes that came instead of a frame as a message shows them: text in double quotes, escaped."""
    return json.dumps(data.decode("utf-8", errors="replace"), ensure_ascii=False)


def _end(process, grace):
    """Ends `process`: a moment to end by itself, then SIGTERM, SIGKILL after `grace` seconds; reaped."""
    for signal_it, wait in ((None, 0.2), (process.terminate, grace), (process.kill, 1.0)):
        if signal_it is not None:
            try:
                signal_it()
            except OSError:
                pass
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    if process.stderr is not None:
        try:
            process.stderr.close()
        except OSError:
            pass


class SSHLink:
    """The ssh command carrying one client's connection: `socket` is the client's end of it. ssh runs in
    a session of its own with every other descriptor closed (a shared SSH master it starts would hold
    them open for minutes); its standard error is kept (the last 4 KiB, read without waiting for its
    end: a master may hold it open) to say why the connection failed."""

    def __init__(self, address: HostAddress, environ=None):
        environ = os.environ if environ is None else environ
        self.address = address
        self.program = environ.get("OTKLIK_SSH") or "ssh"
        self.remote = environ.get("OTKLIK_REMOTE_OTKLIK") or "otklik"
        self.command = ssh_command(address, self.program, self.remote, control_directory(environ))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.process = subprocess.Popen(self.command, stdin=theirs.fileno(), stdout=theirs.fileno(),
                                            stderr=subprocess.PIPE, start_new_session=True, close_fds=True)
        except OSError as error:
            ours.close()
            if error.errno in (errno.ENOENT, errno.EACCES, errno.ENOTDIR, errno.ENOEXEC, errno.ELOOP):
                raise RemoteUnavailable(address.host, "ssh_missing",
                                        {"program": self.program, "said": error.strerror or str(error)}) from error
            raise RPCError(StatusCode.UNAVAILABLE, f"cannot start {self.program}: {error.strerror or error}") from error
        finally:
            theirs.close()
        os.set_blocking(self.process.stderr.fileno(), False)
        self.socket = ours
        self._lock = threading.Lock()
        self._error = bytearray()
        # Ended when the client is collected, or when the program exits without closing it.
        self._finalizer = weakref.finalize(self, _end, self.process, 0.5)

    def drain(self):
        """Reads what ssh wrote to its standard error so far, keeping the last 4 KiB; never waits."""
        with self._lock:
            stream = self.process.stderr
            if stream is None or stream.closed:
                return
            while True:
                try:
                    chunk = os.read(stream.fileno(), 4096)
                except (BlockingIOError, InterruptedError):
                    return
                except OSError:
                    return
                if not chunk:
                    return
                self._error += chunk
                del self._error[:-KEPT_ERROR_BYTES]

    @property
    def error_text(self) -> str:
        """What ssh wrote to its standard error (the last 4 KiB), trimmed."""
        self.drain()
        with self._lock:
            return self._error.decode("utf-8", errors="replace").strip()

    def exit_status(self, wait: float = 0.0):
        """ssh's exit status once it has ended (waiting at most `wait` seconds), a signal as 128 + its
        number; None while it runs."""
        try:
            code = self.process.wait(timeout=wait) if wait > 0 else self.process.poll()
        except subprocess.TimeoutExpired:
            return None
        if code is None:
            return None
        return code if code >= 0 else 128 - code

    def end(self, grace: float = 2.0):
        """Ends ssh (SIGTERM, then SIGKILL after `grace` seconds) and reaps it; its error text stays."""
        self.drain()
        if self._finalizer.detach() is not None:
            _end(self.process, grace)

    def failure(self, message: str, noise: bytes = None) -> RemoteUnavailable:
        """Why the connection was lost, from how ssh ended (waiting at most 2 s for it) and what it said,
        as DaemonLink.explain says it: `noise`, the first bytes when they were not a frame; `message`,
        the client's own sentence, said when nothing better is known."""
        host = self.address.host
        if noise is not None:
            return RemoteUnavailable(host, "noise", {"text": quoted_bytes(noise)})
        status = self.exit_status(wait=2.0)
        text = self.error_text
        # The last line ssh or the command wrote, without the server's program name (dial-stdio's words).
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        said = lines[-1] if lines else ""
        if said.startswith("otklik: "):
            said = said[len("otklik: "):]

        def unavailable(reason, **arguments):
            error = RemoteUnavailable(host, reason, arguments)
            error.status, error.stderr = status, text
            return error

        if status == 127 and text.startswith("exec "):
            return unavailable("ssh_missing", program=self.program, said=said)
        if status == 127:
            return unavailable("no_otklik", program=tried_path(text) or self.remote)
        if status == 255:
            if "Could not resolve hostname" in text or "Name or service not known" in text:
                return unavailable("unknown_host")
            if ("Host key verification failed" in text or "REMOTE HOST IDENTIFICATION HAS CHANGED" in text
                    or "No ED25519 host key is known" in text or "host key" in text):
                return unavailable("host_key")
            if "Permission denied" in text or "Too many authentication failures" in text:
                return unavailable("authentication")
            if any(words in text for words in ("Connection refused", "timed out", "No route to host",
                                               "Network is unreachable", "Connection closed by")):
                return unavailable("unreachable", said=said)
            if any(words in text for words in ("Broken pipe", "Connection reset", "Timeout, server")):
                return unavailable("lost", said=said)
            return unavailable("ssh_failed", said=said or "exit 255")
        if status in (69, 77, 64):
            # dial-stdio's own refusal on the server: the daemon down, the socket closed to this login.
            return unavailable("on_the_server", said=said)
        return unavailable("lost", said=said or message)
