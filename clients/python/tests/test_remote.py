"""The daemon on another machine through OpenSSH (issue 27): `Client("ssh://...")` and $OTKLIK_HOST.

No sshd here (the Swift suite has one): $OTKLIK_SSH is a stand-in that records its arguments, ignores
ssh's options and runs its last argument, the remote command, with `sh -c` on this machine, so
`'otklik' dial-stdio --socket '...'` reaches the test daemon exactly as it would on the server."""
import datetime
import os
import shutil
import signal
import stat
import tempfile
import time

import pytest

from otklik_client import (BadAddress, Client, InvalidArgument, RemoteUnavailable, RPCError, StatusCode, Unavailable,
                           diagnostics_pb2, parse_address, remote)

from conftest import otklikd_path
from test_cases import curator_office

DIAG = "otklik.v1.Diagnostics"


def otklik_path():
    path = os.path.join(os.path.dirname(os.path.abspath(otklikd_path())), "otklik")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no otklik beside otklikd ({path}): build both (scripts/test does)")
    return path


def write_standin(directory, before="", name="ssh"):
    """An ssh that records its arguments (one a line, in `argv`) and its pid (in `pids`), runs the shell
    lines `before`, then the remote command (its last argument) with `sh -c`, in its place."""
    script = directory / name
    script.write_text("#!/bin/sh\n"
                      f"printf '%s\\n' \"$@\" > '{directory}/argv'\n"
                      f"echo $$ >> '{directory}/pids'\n"
                      f"{before}\n"
                      "for last; do :; done\n"
                      "exec sh -c \"$last\"\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


class Standin:
    def __init__(self, directory, runtime):
        self.directory = directory
        self.runtime = runtime

    def argv(self):
        path = self.directory / "argv"
        return path.read_text().splitlines() if path.exists() else None

    def pids(self):
        path = self.directory / "pids"
        return [int(line) for line in path.read_text().split()] if path.exists() else []


@pytest.fixture
def ssh(tmp_path, monkeypatch):
    """The stand-in as $OTKLIK_SSH, this build's otklik as the server's, a private short $XDG_RUNTIME_DIR
    (the shared connection's directory goes there), English, and no $OTKLIK_HOST of the caller's."""
    runtime = tempfile.mkdtemp(prefix="okr-", dir="/tmp")
    monkeypatch.setenv("OTKLIK_SSH", write_standin(tmp_path))
    monkeypatch.setenv("OTKLIK_REMOTE_OTKLIK", otklik_path())
    monkeypatch.setenv("XDG_RUNTIME_DIR", runtime)
    for name in ("OTKLIK_HOST", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    try:
        yield Standin(tmp_path, runtime)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def address(socket_path):
    return f"ssh://me@localhost{socket_path}"


def failure(call):
    """The RemoteUnavailable `call` raises (within 30 s: nothing hangs)."""
    started = time.monotonic()
    with pytest.raises(RemoteUnavailable) as raised:
        call()
    assert time.monotonic() - started < 30
    error = raised.value
    assert isinstance(error, Unavailable) and error.code == StatusCode.UNAVAILABLE
    return error


def test_calls_go_through_ssh_with_the_clis_command_line_and_ssh_ends_with_the_client(daemon, ssh):
    with Client(address(daemon)) as client:
        health = client.health()
        me = client.whoami()
        process = client._link.process
        assert client.socket_path == address(daemon) and client.address == parse_address(address(daemon))
    assert health.state == health.SERVING
    # The daemon sees the login's uid through dial-stdio's connection, not this process.
    assert me.uid == os.getuid() and me.pid != os.getpid()
    assert ssh.argv() == ["-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=9", "-o", "ServerAliveInterval=15",
                          "-o", "ServerAliveCountMax=3", "-o", "ControlMaster=auto", "-o", "ControlPersist=10m",
                          "-o", f"ControlPath={ssh.runtime}/otklik-ssh/e1e1853a2cb1f01a", "-l", "me", "--", "localhost",
                          f"'{otklik_path()}' dial-stdio --socket '{daemon}'"]
    control = os.stat(os.path.join(ssh.runtime, "otklik-ssh"))
    assert stat.S_IMODE(control.st_mode) == 0o700
    # Closed, the client leaves no ssh behind: ended and reaped.
    assert process.returncode is not None
    assert not os.path.exists(f"/proc/{ssh.pids()[0]}")


def test_a_watch_stream_a_server_stream_and_an_upload_go_over_ssh(daemon, ssh, tmp_path):
    curator_office(daemon)
    document = tmp_path / "акт.pdf"
    document.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * (12 * 1024))  # 3 MiB: several chunks
    with Client(address(daemon), metadata={"otklik-as": "cur"}) as curator:
        events = curator.watch(kinds=["case.routed"])
        case = curator.register_message(network="vk", url="https://vk.com/wall-5_1", author="Автор", text="Яма",
                                        detected_at=datetime.datetime.now(datetime.timezone.utc), topics=["дороги"])
        curator.route(case.id, expected_version=case.version, executors=["roads"])
        event = next(events)
        assert event.case_id == case.id
        events.close()
        counted = [m.index for m in curator.stream(DIAG, "Count", diagnostics_pb2.CountRequest(count=200, body_size=100),
                                                   diagnostics_pb2.CountResponse)]
        assert counted == list(range(200))
        uploaded = curator.upload(str(document))
        assert uploaded.attachment.size == document.stat().st_size and not uploaded.existing
        back = tmp_path / "back.pdf"
        curator.download(uploaded.attachment.sha256, str(back))
        assert back.read_bytes() == document.read_bytes()
        assert curator.health().state == 1  # the link goes on after all that


def test_otklik_host_is_taken_before_the_local_socket(daemon, ssh, monkeypatch, tmp_path):
    monkeypatch.setenv("OTKLIK_HOST", address(daemon))
    monkeypatch.setenv("OTKLIK_SOCKET", str(tmp_path / "nothing-here.sock"))
    with Client() as client:
        assert client.socket_path == address(daemon)
        assert client.whoami().pid != os.getpid()
    assert ssh.argv()[-1].endswith(f"--socket '{daemon}'")
    # A path given is used as given: the local daemon, no ssh.
    os.unlink(ssh.directory / "argv")
    with Client(daemon) as client:
        assert client.whoami().pid == os.getpid()
    assert ssh.argv() is None


@pytest.mark.parametrize("text, reason", [
    ("ssh://me:secret@localhost", "password"),
    ("ssh://localhost/run/otklik.sock?x=1", "query"),
    ("ssh://localhost#top", "fragment"),
    ("ssh://", "no_host"),
    ("ssh://me@", "no_host"),
    ("ssh://me@:22", "no_host"),
    ("ssh://-oProxyCommand=touch", "bad_host"),
    ("ssh://local;host", "bad_host"),
    ("ssh://local$(id)host", "bad_host"),
    ("ssh://localhost:0", "bad_port"),
    ("ssh://localhost:65536", "bad_port"),
    ("ssh://localhost:ssh", "bad_port"),
    ("ssh://localhost:", "bad_port"),
    ("ssh://-l@localhost", "bad_user"),
    ("ssh://m e@localhost", "bad_user"),
    ("ssh://@localhost", "bad_user"),
    ("ssh://localhost/run/otklik\n.sock", "bad_path"),
    ("tcp://localhost:1234", "not_ssh"),
])
def test_an_address_that_is_not_one_is_refused_before_ssh_runs(ssh, monkeypatch, text, reason):
    with pytest.raises(BadAddress) as raised:
        Client(text)
    error = raised.value
    assert error.reason == reason
    assert isinstance(error, InvalidArgument) and isinstance(error, ValueError) and error.code == StatusCode.INVALID_ARGUMENT
    assert "is not an address like ssh://user@host" in error.message
    assert "secret" not in str(error)
    # $OTKLIK_HOST is held to the same rules.
    monkeypatch.setenv("OTKLIK_HOST", text)
    with pytest.raises(BadAddress) as raised:
        Client()
    assert raised.value.reason == reason
    assert ssh.argv() is None  # nothing ran


def test_addresses_parse_as_the_cli_reads_them():
    assert parse_address("ssh://petrova@otklik.example.ru") == remote.HostAddress("otklik.example.ru", "petrova")
    parsed = parse_address("ssh://u@[::1]:2222/run/otklik/otklik.sock")
    assert (parsed.user, parsed.host, parsed.port, parsed.socket_path) == ("u", "::1", 2222, "/run/otklik/otklik.sock")
    assert parsed.text == "ssh://u@[::1]:2222/run/otklik/otklik.sock"
    assert parse_address("ssh://host/").socket_path is None
    assert parse_address("ssh://сервер.пример").host == "сервер.пример"
    # Each part one argument of ssh's; the remote command quoted for the server's shell.
    argv = remote.ssh_command(parse_address("ssh://u@h:22/tmp/it's here.sock"), "ssh", "/opt/o tk/otklik", None)
    assert argv[-5:] == ["-p", "22", "--", "h", "'/opt/o tk/otklik' dial-stdio --socket '/tmp/it'\\''s here.sock'"]
    assert "ControlMaster=auto" not in argv


def test_the_shared_connections_directory_is_used_only_when_it_is_private_and_short(tmp_path):
    short = tempfile.mkdtemp(prefix="okr-", dir="/tmp")
    try:
        made = remote.control_directory({"XDG_RUNTIME_DIR": short})
        assert made == os.path.join(short, "otklik-ssh") and stat.S_IMODE(os.stat(made).st_mode) == 0o700
        os.chmod(made, 0o750)
        assert remote.control_directory({"XDG_RUNTIME_DIR": short}) is None
        os.rmdir(made)
        open(made, "w").close()
        assert remote.control_directory({"XDG_RUNTIME_DIR": short}) is None
    finally:
        shutil.rmtree(short, ignore_errors=True)
    # A control socket's path holds at most 107 bytes, 17 of them ssh's while it makes the socket: the
    # longest directory used leaves exactly that room, and a longer one is not used.
    base = tempfile.mkdtemp(prefix="okr-", dir="/tmp")
    try:
        def runtime(length):
            path = os.path.join(base, "r" * (length - len(base) - len("/otklik-ssh") - 1))
            os.makedirs(path, exist_ok=True)
            return path

        def control_path(address, directory):
            argv = remote.ssh_command(parse_address(address), "ssh", "otklik", directory)
            return next(a for a in argv if a.startswith("ControlPath="))[len("ControlPath="):]

        used = remote.control_directory({"XDG_RUNTIME_DIR": runtime(remote.LONGEST_CONTROL_DIRECTORY)})
        assert used and len(used) == remote.LONGEST_CONTROL_DIRECTORY
        # The CLI names the socket the same (Tests/OtklikDeskTests/HostAddressTests.swift holds this name).
        assert control_path("ssh://petrova@server:2222", used) == used + "/442b50cc6b352138"
        assert len(control_path("ssh://petrova@server:2222", used)) + 17 == 107
        assert remote.control_directory({"XDG_RUNTIME_DIR": runtime(remote.LONGEST_CONTROL_DIRECTORY + 1)}) is None
        assert control_path("ssh://h", "/home/a%b/.ssh/otklik").startswith("/home/a%%b/.ssh/otklik/")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_no_ssh_client_is_said_in_both_languages(ssh, monkeypatch):
    monkeypatch.setenv("OTKLIK_SSH", "/nonexistent")
    error = failure(lambda: Client("ssh://me@localhost"))
    assert error.reason == "ssh_missing"
    assert error.message.startswith("there is no ssh client on this machine (`/nonexistent`: ")
    assert "apt-get install -y openssh-client" in error.message
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    error = failure(lambda: Client("ssh://me@localhost"))
    assert error.message.startswith("на этой машине нет клиента ssh (`/nonexistent`: ")
    assert "установите его (apt-get install -y openssh-client)" in error.message


def test_no_otklik_on_the_server_names_the_program_tried(daemon, ssh, monkeypatch):
    monkeypatch.setenv("OTKLIK_REMOTE_OTKLIK", "/nonexistent/otklik")
    error = failure(lambda: Client(address(daemon)))  # Client() makes the first call: the set-up deadline's
    assert error.reason == "no_otklik" and error.status == 127
    assert error.message == ("localhost has no `/nonexistent/otklik` to run (tried: /nonexistent/otklik): install Otklik "
                             "there, or name its path in $OTKLIK_REMOTE_OTKLIK, or correct the command=\"...\" of your "
                             "key in authorized_keys there")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    error = failure(lambda: Client(address(daemon)))  # Client() makes the first call: the set-up deadline's
    assert error.message.startswith("на localhost нет программы `/nonexistent/otklik`")


def test_the_daemon_down_on_the_server_is_said_in_dial_stdios_own_words(ssh, monkeypatch, tmp_path):
    nowhere = tmp_path / "none.sock"
    error = failure(lambda: Client(address(nowhere)))  # Client() makes the first call: the set-up deadline's
    assert error.reason == "on_the_server" and error.status == 69
    assert error.message.startswith(f"on localhost: no daemon answers on {nowhere}."), error.message
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    error = failure(lambda: Client(address(nowhere)))  # Client() makes the first call: the set-up deadline's
    assert error.message.startswith(f"на localhost: по адресу {nowhere} демон не отвечает."), error.message


def test_text_before_the_stream_is_said_and_quoted(daemon, ssh, monkeypatch):
    monkeypatch.setenv("OTKLIK_SSH", write_standin(ssh.directory, before="echo 'Welcome to the server'", name="ssh-noisy"))
    error = failure(lambda: Client(address(daemon)))  # Client() makes the first call: the set-up deadline's
    assert error.reason == "noise"
    assert error.message.startswith('localhost printed text before the daemon\'s stream ("Welcome to the server\\n"): '
                                    "a login script (~/.bashrc) writes to the output"), error.message
    assert 'restrict,command="otklik dial-stdio"' in error.message
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    error = failure(lambda: Client(address(daemon)))  # Client() makes the first call: the set-up deadline's
    assert error.message.startswith('localhost вывел текст перед потоком демона ("Welcome to the server\\n")')


@pytest.mark.parametrize("said, reason, words", [
    ("ssh: Could not resolve hostname nowhere: Name or service not known", "unknown_host",
     "the host name localhost is not known"),
    ("Host key verification failed.", "host_key", "ssh-keygen -R localhost"),
    ("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @", "host_key", "the host key of localhost"),
    ("me@localhost: Permission denied (publickey).", "authentication", "localhost refused your SSH login"),
    ("ssh: connect to host localhost port 22: Connection refused", "unreachable",
     "localhost cannot be reached (ssh: connect to host localhost port 22: Connection refused)"),
    ("ssh: connect to host 10.0.0.1 port 22: Connection timed out", "unreachable", "cannot be reached"),
    ("ssh: connect to host 10.0.0.1 port 22: No route to host", "unreachable", "cannot be reached"),
    ("something else entirely", "ssh_failed", "ssh to localhost failed: something else entirely"),
])
def test_what_ssh_says_when_it_fails_is_explained(ssh, monkeypatch, said, reason, words):
    standin = write_standin(ssh.directory, before=f"echo '{said}' >&2; exit 255", name="ssh-failing")
    monkeypatch.setenv("OTKLIK_SSH", standin)
    error = failure(lambda: Client("ssh://me@localhost"))  # Client() makes the first call: the set-up deadline's
    assert error.reason == reason and error.status == 255 and said in error.stderr
    assert words in error.message, error.message


def test_a_link_lost_mid_stream_is_unavailable_saying_so_and_a_new_client_goes_on(daemon, ssh):
    with Client(address(daemon)) as client:
        stream = client.stream(DIAG, "Count", diagnostics_pb2.CountRequest(count=100000, interval_ms=5),
                               diagnostics_pb2.CountResponse)
        assert next(stream).index == 0
        pid = ssh.pids()[-1]
        os.killpg(pid, signal.SIGKILL)
        with pytest.raises(RemoteUnavailable) as raised:
            for _ in stream:
                pass
        error = raised.value
        assert error.reason == "lost" and error.status == 128 + signal.SIGKILL
        assert error.message.startswith("the SSH connection to localhost was lost")
        assert failure(client.health).reason == "lost"
    with Client(address(daemon)) as client:
        assert client.health().state == 1


def test_a_local_server_that_sends_text_is_refused_not_waited_for(tmp_path):
    import socket
    import threading
    path = str(tmp_path / "talker.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def talk():
        connection, _ = listener.accept()
        connection.sendall(b"hello\n")
        time.sleep(5)
        connection.close()

    threading.Thread(target=talk, daemon=True).start()
    try:
        with Client(path) as client:
            with pytest.raises(RPCError) as raised:
                client.health(timeout=3)
        assert raised.value.code == StatusCode.UNAVAILABLE
        assert raised.value.message == 'text came instead of the protocol: "hello\\n"'
    finally:
        listener.close()


def test_a_link_that_stalls_after_the_login_is_said_within_the_set_up_deadline(ssh, monkeypatch):
    # The host's shell or forced command never starts the stream (here: it sleeps instead).
    monkeypatch.setenv("OTKLIK_SSH", write_standin(ssh.directory, before="exec sleep 60", name="ssh-stalled"))
    monkeypatch.setattr(remote, "CONNECT_SECONDS", 1)
    error = failure(lambda: Client("ssh://me@localhost"))
    assert error.reason == "set_up_expired"
    assert error.message.startswith("the SSH connection to localhost was made, but the daemon's stream did not start "
                                    "within 1 s"), error.message
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    error = failure(lambda: Client("ssh://me@localhost"))
    assert error.message.startswith("соединение SSH с localhost установлено, но поток демона не начался за 1 с")
