#!/usr/bin/env python3
"""Otklik desk: the day's work in the browser, served to its own user on the loopback interface (issue 30).

    otklik desk                       # starts the helper, prints its URL and opens the browser
    otklik desk --no-browser          # only prints the URL
    otklik desk --host ssh://petrova@otklik.example.ru    # the daemon on another machine, through OpenSSH
    otklik desk --stop                # stops the running helper

The helper talks to otklikd as the user who started it (the local socket, or `otklik dial-stdio` on the
server through the user's own ssh) and serves pages on 127.0.0.1 and ::1 on a port of its own. The URL it
prints carries a one-time launch token that becomes the browser's session cookie; another user of the
machine who finds the port gets nothing (the connection's owner is checked, and the cookie). Started
again while it runs, it opens the running one with a fresh token instead of starting a second. It stops
on SIGTERM or SIGHUP (the user logs out) and with `--stop`.
Under a Russian locale (LC_ALL, LC_MESSAGES or LANG starting with "ru") its pages speak Russian; under
the C or POSIX locale the browser's language decides.
Exit codes: 0 stopped or handed over, 64 a wrong command line, 69 what it needs is missing (Flask,
Pillow, protobuf, the Otklik client) or the daemon is not reachable at start.
"""
import argparse
import fcntl
import hashlib
import json
import os
import signal
import sys
import threading
import time
import webbrowser

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.normpath(os.path.join(HERE, "..", "python"))
LOCALE = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
RUSSIAN = LOCALE.startswith("ru")
MISSING = 69
USAGE = 64


def text(english, russian):
    return russian if RUSSIAN else english


def say(message):
    print(f"otklik desk: {message}", file=sys.stderr, flush=True)


def imports():
    """What the helper needs, or one sentence naming what to install and exit 69."""
    sys.path.insert(0, HERE)
    if os.path.isdir(os.path.join(CLIENT, "otklik_client")):
        sys.path.insert(0, CLIENT)
    try:
        import flask  # noqa: F401
        import PIL  # noqa: F401
        import google.protobuf  # noqa: F401
        import otklik_client  # noqa: F401
    except ImportError as error:
        name = (getattr(error, "name", "") or "").split(".")[0]
        package = {"flask": "python3-flask", "PIL": "python3-pil", "google": "python3-protobuf"}.get(name)
        if package:
            say(text(f"{sys.executable} lacks {name}; install it: apt-get install -y {package} (as root)",
                     f"у {sys.executable} нет модуля {name}; установите: apt-get install -y {package} (от имени root)"))
        else:
            say(text(f"the Otklik Python client is neither beside the helper ({CLIENT}) nor installed",
                     f"Python-клиент Отклика не найден ни рядом с помощником ({CLIENT}), ни среди установленных"))
        sys.exit(MISSING)


def state_path(address, acting):
    """Where the running helper for this daemon address says its port and launch URL (only its user reads it)."""
    base = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "otklik-desk")
    os.makedirs(directory, mode=0o700, exist_ok=True)
    os.chmod(directory, 0o700)
    key = hashlib.sha256(f"{address or ''}|{acting or ''}".encode()).hexdigest()[:16]
    return os.path.join(directory, f"{key}.json")


def read_state(path):
    try:
        with open(path) as file:
            state = json.load(file)
        return state if isinstance(state, dict) and isinstance(state.get("pid"), int) else None
    except (OSError, ValueError):
        return None


def hold(path):
    """The lock a running helper holds for its whole life (a descriptor), or None when another holds it.
    A state file whose lock is free is stale (the helper was killed, the machine restarted): its pid is
    never signalled."""
    descriptor = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    # The holder's pid in the lock file: a state file is believed only when it names the same one.
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, str(os.getpid()).encode(), 0)
    return descriptor


def running(path):
    """The running helper's state (it holds the lock), None when none runs."""
    descriptor = hold(path)
    if descriptor is not None:
        os.close(descriptor)
        return None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:       # a helper that has just started writes its state at once
        state = read_state(path)
        try:
            with open(path + ".lock") as file:
                holder = int(file.read().strip() or 0)
        except (OSError, ValueError):
            holder = 0
        if state is not None and state["pid"] == holder:
            return state
        time.sleep(0.05)
    return None


def write_state(path, state):
    partial = path + ".partial"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(state, file)
    os.replace(partial, path)


def open_browser(url, wanted):
    if not wanted:
        return
    try:
        # The user's own default browser (xdg-open where there is a desktop); a machine without one only prints.
        webbrowser.open(url, new=2)
    except Exception:
        pass


def hand_over(state, path, browser):
    """A helper already runs (it holds the lock): ask it for a fresh launch token and open that."""
    before = state.get("launch")
    os.kill(int(state["pid"]), signal.SIGUSR1)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        fresh = read_state(path)
        if fresh and fresh.get("launch") != before:
            print(fresh["launch"], flush=True)
            open_browser(fresh["launch"], browser)
            return 0
        time.sleep(0.05)
    say(text("the running desk did not answer; stop it with `otklik desk --stop`",
             "запущенное рабочее место не ответило; остановите его: `otklik desk --stop`"))
    return MISSING


def main(argv=None):
    parser = argparse.ArgumentParser(prog="otklik desk", description=text(
        "The desk in the browser: the day's work without a terminal.", "Рабочее место в браузере: работа дня без терминала."))
    parser.add_argument("--socket", help=text("the daemon's Unix socket", "Unix-сокет демона"))
    parser.add_argument("--host", help="ssh://[user@]host[:port][/path/to/otklik.sock]")
    parser.add_argument("--as", dest="acting", help=text("act as this login (admins only)", "действовать как этот логин (только администраторы)"))
    parser.add_argument("--port", type=int, default=0, help=text("the port (default: a free one)", "порт (по умолчанию — свободный)"))
    parser.add_argument("--no-browser", action="store_true", help=text("only print the URL", "только напечатать адрес"))
    parser.add_argument("--stop", action="store_true", help=text("stop the running desk", "остановить запущенное рабочее место"))
    parser.add_argument("--otklik", default=os.environ.get("OTKLIK_CLI", "otklik"), help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.socket and arguments.host:
        parser.error(text("--socket or --host, not both", "--socket или --host, но не оба"))
    if not 0 <= arguments.port <= 65535:
        parser.error(text("--port is 0 to 65535", "--port от 0 до 65535"))
    address = arguments.host or arguments.socket or os.environ.get("OTKLIK_HOST") or None
    path = state_path(address, arguments.acting)
    if arguments.stop:
        state = running(path)
        if state:
            os.kill(state["pid"], signal.SIGTERM)
        return 0
    lock = hold(path)
    if lock is None:
        state = running(path)
        if state is None:
            say(text("another desk is starting; try again in a moment", "другое рабочее место запускается; повторите через минуту"))
            return MISSING
        return hand_over(state, path, not arguments.no_browser)
    # The lock is ours: a state file left by a helper that was killed names a pid that is not ours to
    # signal; it goes before anything else can read it.
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass

    imports()
    from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler
    from otklik_client import RPCError, words
    from otklik_desk import guard as guarding
    from otklik_desk.app import create_app
    from otklik_desk.desk import Desk
    from otklik_desk.daemon import Daemon
    from otklik_desk.live import Live

    daemon = Daemon(address, acting=arguments.acting)
    try:
        daemon.call("health")
        # Whether its user, not whom it acts as, is an admin: only then may the page switch whom it acts as.
        real_admin = "admin" in {words.word(words.Role, role) for role in daemon.call("who_am_i", acting="").roles}
    except RPCError as error:
        say(error.sentence(russian=RUSSIAN))
        return MISSING

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    class Server(ThreadedWSGIServer):
        daemon_threads = True

        def verify_request(self, request, client_address):
            # Another OS user who found the port gets nothing, not even a refusal page.
            return guarding.same_user(client_address, self.socket.getsockname()[:2])

    guard = guarding.Guard()
    live = Live(daemon, RUSSIAN)
    address_arguments = ["--host", arguments.host] if arguments.host else (["--socket", arguments.socket] if arguments.socket else [])
    desk = Desk(daemon, guard, live, RUSSIAN, otklik=arguments.otklik, address_arguments=address_arguments)
    desk.real_admin = real_admin
    desk.neutral_locale = LOCALE.split(".")[0] in ("", "C", "POSIX")
    app = create_app(desk)
    try:
        first = Server("127.0.0.1", arguments.port, app, handler=Quiet)
    except OSError as error:
        say(text(f"cannot listen on 127.0.0.1:{arguments.port}: {error.strerror}",
                 f"не удаётся открыть порт 127.0.0.1:{arguments.port}: {error.strerror}"))
        return MISSING
    guard.port = first.server_port
    servers = [first]
    try:
        servers.append(Server("::1", guard.port, app, handler=Quiet))
    except OSError:
        pass  # no IPv6 loopback here: 127.0.0.1 serves alone
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5}, daemon=True).start()
    live.start()

    def launch_url():
        return f"http://127.0.0.1:{guard.port}/launch?token={guard.new_launch_token()}"

    stopping = threading.Event()

    def stop(*_):
        stopping.set()

    def relaunch(*_):
        write_state(path, {"pid": os.getpid(), "port": guard.port, "launch": launch_url()})

    # The handlers before the state file names this process: a hand-over's SIGUSR1 never meets the default.
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(number, stop)
    signal.signal(signal.SIGUSR1, relaunch)
    url = launch_url()
    write_state(path, {"pid": os.getpid(), "port": guard.port, "launch": url})
    print(url, flush=True)
    say(text(f"serving on 127.0.0.1:{guard.port}; open the URL above (it works once); stop with Ctrl-C or `otklik desk --stop`",
             f"работает на 127.0.0.1:{guard.port}; откройте адрес выше (он действует один раз); остановить — Ctrl-C или `otklik desk --stop`"))
    open_browser(url, not arguments.no_browser)
    while not stopping.wait(1):
        pass
    live.stop()
    for server in servers:
        server.shutdown()
    daemon.close()
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    os.close(lock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
