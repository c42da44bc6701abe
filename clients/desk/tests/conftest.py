"""What the desk's tests share: a real otklikd with the demo's office (restartable on the same socket and
data), desks started as `otklik desk` starts them, and Debian's Chromium driven headless."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DESK = os.path.normpath(os.path.join(HERE, "..", "otklik_desk.py"))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
sys.path.insert(0, os.path.join(ROOT, "clients", "desk"))

from otklik_client import Client, RPCError  # noqa: E402

CURATOR = "curator.petrova"
EXECUTOR = "roads.smirnov"
# Screenshots a person can look at after the run (under .build, which git ignores).
SHOTS = os.path.join(ROOT, ".build", "desk-screenshots")


class Daemon:
    """otklikd with the demo's data on a private socket; stop() and start() keep the socket and the data."""

    def __init__(self, binary):
        self.binary = binary
        self.directory = tempfile.mkdtemp(prefix="otklik-desk-")
        os.chmod(self.directory, 0o700)
        self.socket_path = os.path.join(self.directory, "otklik.sock")
        self.process = None
        self.first = True

    def start(self):
        arguments = [self.binary, "--socket", self.socket_path, "--data", os.path.join(self.directory, "data")]
        if self.first:
            arguments.append("--demo")
            self.first = False
        log = open(os.path.join(self.directory, "otklikd.log"), "ab")
        self.process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=log)
        log.close()
        deadline = time.monotonic() + 15
        while True:
            try:
                Client(self.socket_path).close()
                return
            except RPCError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("otklikd did not start")
                time.sleep(0.02)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None

    def client(self, login):
        return Client(self.socket_path, metadata={"otklik-as": login})

    def remove(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class Desk:
    """`otklik desk --no-browser` as a person starts it (here: root acting as a staff member)."""

    def __init__(self, daemon, login, russian=True):
        self.runtime = tempfile.mkdtemp(prefix="otklik-desk-run-")
        os.chmod(self.runtime, 0o700)
        environment = dict(os.environ, XDG_RUNTIME_DIR=self.runtime, LANG="ru_RU.UTF-8" if russian else "C.UTF-8",
                           OTKLIK_CLI=os.path.join(os.path.dirname(os.environ["OTKLIKD"]), "otklik"))
        environment.pop("LC_ALL", None)
        self.log = open(os.path.join(self.runtime, "desk.log"), "wb")
        where = "--host" if daemon.socket_path.startswith("ssh://") else "--socket"
        acting = ["--as", login] if login else []          # none: root itself, the daemon's admin
        self.process = subprocess.Popen([sys.executable, DESK, where, daemon.socket_path, *acting, "--no-browser"],
                                        stdout=subprocess.PIPE, stderr=self.log, env=environment, text=True)
        self.launch = self.process.stdout.readline().strip()
        if not self.launch.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError("the desk did not start: " + open(os.path.join(self.runtime, "desk.log")).read())
        self.port = int(re.search(r":(\d+)/", self.launch).group(1))
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.runtime, ignore_errors=True)


@pytest.fixture
def daemon():
    path = os.environ.get("OTKLIKD")
    if not path:
        pytest.fail("set OTKLIKD to the otklikd binary (scripts/test does)")
    started = Daemon(path)
    started.start()
    yield started
    started.remove()


@pytest.fixture
def desks(daemon):
    """desks(login) starts a desk acting as `login`; every one started is stopped after the test."""
    started = []

    def start(login, russian=True):
        desk = Desk(daemon, login, russian)
        started.append(desk)
        return desk

    yield start
    for desk in started:
        desk.stop()


def chromium():
    """Debian's Chromium, headless, with a profile and temporary files of its own (removed by `close`)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    scratch = tempfile.mkdtemp(prefix="otklik-desk-chromium-")
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                     "--lang=ru-RU", "--disable-gpu", f"--user-data-dir={scratch}/profile"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver", env=dict(os.environ, TMPDIR=scratch))
    driver = webdriver.Chrome(service=service, options=options)
    driver.scratch = scratch
    return driver


def close(driver):
    driver.quit()
    shutil.rmtree(driver.scratch, ignore_errors=True)


@pytest.fixture
def browsers():
    """browsers() opens a new Chromium session (its own profile and cookies); all are closed afterwards."""
    opened = []

    def open_one():
        driver = chromium()
        opened.append(driver)
        return driver

    yield open_one
    for driver in opened:
        close(driver)


def get(url, headers=None, data=None, method=None):
    """(status, headers, body) of one HTTP request, without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *arguments):
            return None
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
