"""A standby tested as a failure, not as a copy (issue 32, item 3; docs/DEPLOYMENT.md, "A standby").

A primary otklikd with Litestream shipping its database to a file replica on this machine and the
shipped attachments' copier (deploy/standby/otklik-attachments-sync) beside it; writers registering
messages and uploading photos as fast as the daemon answers; then, as the shipped runbook has it:

1. Litestream alone is killed (-9) while the writers go on, and started again (its unit's
   Restart=always): what it missed meanwhile reaches the replica once it is back. The machine dies
   only after the daemon's Health saw it upload again (its time to do so is printed);
2. the primary machine dies: otklikd, Litestream and the copier killed (-9) at one instant;
3. the standby is promoted with deploy/standby/otklik-promote (the replica watched for a second: no
   writer; restored afresh, quick_check; the attachments copied beside it) and otklikd started there (it
   checks the restored file in full once it serves).

Then every write acknowledged more than the replication interval before the kill (`MARGIN`) must be on
the standby: each case with its clocks as the primary answered them, each photo byte for byte; and the
report of a closed month is byte-identical to the primary's. How many acknowledged writes were lost
(younger than the margin, as Litestream is asynchronous) is a figure, printed, not asserted.

Run by tests/failover/test_failover.py (scripts/test) and benchmarks/failover (more rounds, figures)."""
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))

from otklik_client import Client, RPCError, cases_pb2  # noqa: E402

STANDBY = os.path.join(ROOT, "deploy", "standby")
LITESTREAM = os.environ.get("OTKLIK_LITESTREAM") or os.path.join(ROOT, ".venv", "bin", "litestream")
# The simulated clock both daemons run on: the report of November is of a closed month, and the same
# on both whenever it is asked.
CLOCK = "2026-12-01T10:00:00+03:00"
CURATOR = {"otklik-as": "curator.petrova"}
# Litestream ships every 250 ms (monitor and sync); the attachments' copier runs every second. A write
# acknowledged longer ago than this before the kill must be on the standby.
MARGIN = 2.0


def photo(n):
    """A JPEG of its own for upload `n` (Pillow, as the desk uses), a few KiB."""
    from io import BytesIO
    from PIL import Image
    out = BytesIO()
    Image.new("RGB", (64, 48), ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256)).save(out, "JPEG", quality=90)
    return out.getvalue() + n.to_bytes(8, "big") * 256


class Primary:
    """otklikd --replicated, Litestream and the attachments' copier, in `base`."""

    def __init__(self, otklikd, base, replica, data_from=None):
        self.otklikd, self.base, self.replica = otklikd, base, replica
        self.data = os.path.join(base, "data")
        self.socket = os.path.join(base, "run", "otklik.sock")
        self.replicator_socket = os.path.join(base, "run", "litestream.sock")
        os.makedirs(os.path.join(base, "run"), mode=0o750)
        if data_from:
            # A large region's database (benchmarks/report's), copied: the primary starts with its history.
            subprocess.run(["cp", "-a", "--reflink=auto", data_from, self.data], check=True)
        self.daemon = start_daemon(otklikd, base, ["--demo", "--replicator-socket", self.replicator_socket])
        config = os.path.join(base, "litestream.yml")
        with open(config, "w") as file:
            file.write(f"""dbs:
  - path: {self.data}/otklik.sqlite3
    monitor-interval: 250ms
    replica:
      type: file
      path: {replica}/epoch-1
      sync-interval: 250ms
socket:
  enabled: true
  path: {self.replicator_socket}
  permissions: 0600
""")
        self.config = config
        self.litestream = None
        self.start_litestream()
        self.copier = subprocess.Popen(
            [os.path.join(STANDBY, "otklik-attachments-sync"), os.path.join(self.data, "attachments"),
             os.path.join(replica, "attachments")],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(base, "copier.log"), "wb"))

    def start_litestream(self):
        log_file = open(os.path.join(self.base, "litestream.log"), "ab")
        self.litestream = subprocess.Popen([LITESTREAM, "replicate", "-config", self.config], stdout=log_file,
                                           stderr=log_file)

    def until_health(self, holds, timeout, never):
        """Asks the daemon's Health every tenth of a second until `holds(health)`; returns when it saw
        so (time.monotonic()), or fails with `never` and Litestream's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with Client(self.socket) as client:
                if holds(client.health()):
                    return time.monotonic()
            time.sleep(0.1)
        raise AssertionError(never + ": " + log(self.base, "litestream.log"))

    def in_step(self, timeout=900):
        """Waits until the daemon says every write is in the replica."""
        self.until_health(lambda health: health.replica_state == 3, timeout,  # REPLICA_IN_STEP
                          "the replica never came in step")

    def shipping_again(self, since, timeout=120):
        """Waits until the daemon's Health says the replicator uploaded after `since` (a wall-clock time;
        Health's `replica_synced_at_unix` is in whole seconds) and returns when it saw so (monotonic).
        A restarted Litestream's first upload came within half a second on an idle machine, but beside
        a build on the two cores it was seen to take over 1.4 s: the primary must not die before it."""
        return self.until_health(lambda health: health.replica_synced_at_unix > int(since), timeout,
                                 "the restarted replicator never uploaded")

    def die(self):
        """The machine dies: every process of it killed at once."""
        for process in (self.daemon, self.litestream, self.copier):
            process.send_signal(signal.SIGKILL)
        for process in (self.daemon, self.litestream, self.copier):
            process.wait()


def log(base, name):
    try:
        with open(os.path.join(base, name), errors="replace") as file:
            return file.read()[-3000:]
    except OSError:
        return ""


def start_daemon(otklikd, base, arguments):
    """otklikd on `base`/run/otklik.sock and `base`/data at the shared simulated clock, ready."""
    socket_path = os.path.join(base, "run", "otklik.sock")
    os.makedirs(os.path.join(base, "run"), mode=0o750, exist_ok=True)
    process = subprocess.Popen(
        [otklikd, "--socket", socket_path, "--data", os.path.join(base, "data"), "--test-clock", CLOCK, *arguments],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(base, "otklikd.log"), "ab"))
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        try:
            Client(socket_path).close()
            return process
        except RPCError:
            if process.poll() is not None:
                break
            time.sleep(0.02)
    process.kill()
    raise AssertionError("otklikd did not start: " + log(base, "otklikd.log"))


def november(socket_path, count):
    """Cases detected in November (a closed month at the clock), half of them routed: its report."""
    with Client(socket_path, metadata=CURATOR) as curator:
        for n in range(count):
            view = curator.register_message(
                network="vk", url=f"https://vk.com/wall-11_{n}", author=f"Житель {n}", text=f"Обращение {n} о дороге",
                detected_at=datetime.datetime(2026, 11, 2 + n % 27, 9 + n % 8, tzinfo=datetime.timezone.utc),
                topics=["дороги"], allow_old=True)
            if n % 2 == 0:
                curator.route(view.id, expected_version=view.version, executors=["roads"])
        return curator.call("otklik.v1.Reports", "MonthlySummary", reports_request("2026-11"), reports_response()).json


def reports_request(month):
    from otklik_client import reports_pb2
    return reports_pb2.MonthlySummaryRequest(month=month)


def reports_response():
    from otklik_client import reports_pb2
    return reports_pb2.MonthlySummaryResponse


class Writers:
    """Two writers as fast as the daemon answers: one registers messages, one uploads photos. Each
    acknowledged write is kept with the moment its answer came."""

    def __init__(self, socket_path, base):
        self.socket_path, self.base = socket_path, base
        self.cases = []    # (acknowledged at, case id, its route clock's (due, state))
        self.photos = []   # (acknowledged at, sha256, bytes)
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.register, daemon=True),
                        threading.Thread(target=self.upload, daemon=True)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def register(self):
        n = 0
        try:
            with Client(self.socket_path, metadata=CURATOR, timeout=10) as curator:
                while not self.stop.is_set():
                    n += 1
                    view = curator.register_message(
                        network="vk", url=f"https://vk.com/wall-12_{n}", author=f"Автор {n}", text=f"Яма номер {n}",
                        detected_at=datetime.datetime(2026, 12, 1, 6, 30, tzinfo=datetime.timezone.utc))
                    self.cases.append((time.monotonic(), view.id, (view.route.due_unix, view.route.state)))
        except (RPCError, OSError) as error:
            if not self.stop.is_set() and not self.cases:
                print(f"the registering writer stopped before its first write: {error}", file=sys.stderr, flush=True)
            return  # the primary died

    def upload(self):
        n = 0
        path = os.path.join(self.base, "photo.jpg")
        try:
            with Client(self.socket_path, metadata=CURATOR, timeout=10) as curator:
                while not self.stop.is_set():
                    n += 1
                    content = photo(n)
                    with open(path, "wb") as file:
                        file.write(content)
                    answer = curator.upload(path, name=f"фото-{n}.jpg")
                    self.photos.append((time.monotonic(), answer.attachment.sha256, content))
        except (RPCError, OSError):
            return

    def end(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=15)


class Follower:
    """The standby's follower (deploy/standby/otklik-standby.service): `litestream restore -f` keeping a
    copy of the replica beside the standby's data directory, reaped when it ends so `kill -0` sees it go."""

    def __init__(self, replica, base):
        self.path = os.path.join(base, "follower", "otklik.sqlite3")
        os.makedirs(os.path.dirname(self.path), mode=0o700)
        self.process = subprocess.Popen(
            [LITESTREAM, "restore", "-f", "-follow-interval", "1s", "-o", self.path, f"file://{replica}/epoch-1"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(base, "follower.log"), "ab"))
        threading.Thread(target=self.process.wait, daemon=True).start()

    def caught_up(self, replica, timeout=900):
        """Waits until the follower holds the replica's newest transaction."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            newest = subprocess.run(
                [LITESTREAM, "ltx", "-json", "-level", "all", f"file://{replica}/epoch-1"], capture_output=True,
                text=True).stdout
            files = json.loads(newest or "[]") or []
            try:
                with open(self.path + "-txid") as file:
                    if files and file.read().strip() == max(f["max_txid"] for f in files):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("the follower never caught up: " + log(os.path.dirname(os.path.dirname(self.path)),
                                                                     "follower.log"))

    def stop_command(self):
        """A shell command that stops the follower and returns once it is gone ("true" once it ended:
        its pid may be another process's by then)."""
        if self.process.poll() is not None:
            return "true"
        pid = self.process.pid
        return f"kill -TERM {pid} 2>/dev/null; while kill -0 {pid} 2>/dev/null; do sleep 0.05; done"

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()


def failover(otklikd, base, seconds=2.0, replicator_restart=True, data_from=None, follower="live"):
    """One run: returns the figures and what the standby holds against what was acknowledged. With
    `replicator_restart`, Litestream alone is killed and started again halfway (step 1). `follower`:
    "live" (the standby's follower runs all along and the promotion takes its file), "stale" (it stopped
    before the writers began), "held" (the promotion's stop command leaves it running): in both the
    promotion must restore afresh; or None (no follower)."""
    replica = os.path.join(base, "replica")
    os.makedirs(os.path.join(replica, "attachments"))
    primary = Primary(otklikd, os.path.join(base, "primary"), replica, data_from)
    standby_base = os.path.join(base, "standby")
    # The data directory as the package makes it.
    os.makedirs(os.path.join(standby_base, "data"), mode=0o700)
    standby = None
    follow = None
    try:
        report = november(primary.socket, 40)
        primary.in_step()
        if follower:
            follow = Follower(replica, standby_base)
            follow.caught_up(replica)
            if follower == "stale":
                subprocess.run(["sh", "-c", follow.stop_command()], check=True)
        writers = Writers(primary.socket, primary.base)
        writers.start()
        time.sleep(seconds / 2)
        replicator_killed = replicator_back = None
        if replicator_restart:
            # 1. Litestream alone killed, then back (Restart=always) while the writers go on.
            primary.litestream.send_signal(signal.SIGKILL)
            primary.litestream.wait()
            replicator_killed = time.monotonic()
            time.sleep(0.5)
            primary.start_litestream()
            replicator_back = primary.shipping_again(time.time()) - replicator_killed - 0.5
        time.sleep(seconds / 2)
        # 2. The machine dies.
        killed = time.monotonic()
        primary.die()
        writers.end()
        # 3. The standby promoted (the old primary is fenced: dead) and started.
        promote = subprocess.run(
            [os.path.join(STANDBY, "otklik-promote"), "--replica", f"file://{replica}/epoch-1", "--attachments",
             os.path.join(replica, "attachments"), "--data", os.path.join(standby_base, "data"), "--watch", "1"]
            + (["--follower", follow.path, "--stop-follower", "true" if follower == "held" else follow.stop_command()]
               if follow else [])
            # A follower stopped before the writes never catches up: no need to give it the 10 s.
            + (["--follower-wait", "1"] if follower == "stale" else []),
            capture_output=True, text=True, env={**os.environ, "OTKLIK_LITESTREAM": LITESTREAM}, timeout=300)
        if promote.returncode != 0:
            raise AssertionError(f"otklik-promote failed ({promote.returncode}): {promote.stderr}")
        promoted = time.monotonic()
        standby = start_daemon(otklikd, standby_base, [])
        serving = time.monotonic()
        standby_socket = os.path.join(standby_base, "run", "otklik.sock")
        with Client(standby_socket, metadata=CURATOR) as curator:
            lost_cases, wrong_clocks, old_lost = [], [], []
            for acknowledged, case_id, clock in writers.cases:
                try:
                    view = curator.get_case(case_id)
                except RPCError:
                    lost_cases.append(case_id)
                    if killed - acknowledged > MARGIN:
                        old_lost.append(case_id)
                    continue
                if (view.route.due_unix, view.route.state) != clock:
                    wrong_clocks.append(case_id)
            lost_photos = []
            for acknowledged, sha, content in writers.photos:
                back = os.path.join(standby_base, f"back-{sha[:16]}.jpg")
                try:
                    curator.download(sha, back)
                    with open(back, "rb") as file:
                        whole = file.read() == content
                    os.unlink(back)
                except (RPCError, OSError):
                    whole = False
                if not whole:
                    lost_photos.append(sha)
                    if killed - acknowledged > MARGIN:
                        old_lost.append(sha)
            standby_report = curator.call("otklik.v1.Reports", "MonthlySummary", reports_request("2026-11"),
                                          reports_response()).json
            # The restored file has no record of a clean stop: the standby checks it in full beside the calls.
            check_deadline = time.monotonic() + 900
            while True:
                health = curator.health()
                if health.database_check != 1 or time.monotonic() > check_deadline:  # 1: RUNNING
                    break
                time.sleep(0.2)
            standby_check = (health.database_check, health.database_check_full, health.database_check_seconds)
        newest = max([a for a, _, _ in writers.cases] + [a for a, _, _ in writers.photos])
        lost_ages = [killed - a for a, case_id, _ in writers.cases if case_id in set(lost_cases)] + [
            killed - a for a, sha, _ in writers.photos if sha in set(lost_photos)]
        return {
            "cases": len(writers.cases), "photos": len(writers.photos),
            "lost_cases": len(lost_cases), "lost_photos": len(lost_photos),
            "lost_older_than_margin": old_lost, "wrong_clocks": wrong_clocks,
            "report_same": standby_report == report, "report_bytes": len(report.encode()),
            "kill_to_serving_s": serving - killed, "promotion_s": promoted - killed, "start_s": serving - promoted,
            "replicator_down_s": 0.5,
            # From the replicator's start again to its first upload seen in the daemon's Health (to
            # within Health's whole second and the daemon's 1 s look at the replicator).
            "replicator_back_s": replicator_back,
            "newest_ack_before_kill_ms": (killed - newest) * 1000,
            # The recovery point: how long before the kill the oldest lost acknowledged write was made.
            "lost_window_s": max(lost_ages, default=0.0),
            "since_replicator_killed_s": killed - replicator_killed if replicator_killed else None,
            "promote_said": promote.stderr.strip(),
            "follower_taken": "took the follower's file" in promote.stderr,
            # (state, full, seconds): (2, True, s) when the full check passed.
            "standby_check": standby_check,
        }
    finally:
        if follow:
            follow.kill()
        for process in (primary.daemon, primary.litestream, primary.copier, standby):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


def said(figures):
    return (f"acknowledged before the kill: {figures['cases']} cases, {figures['photos']} photos; lost: "
            f"{figures['lost_cases']} cases, {figures['lost_photos']} photos, the last {figures['lost_window_s']:.2f} s "
            f"of writes (none older than {MARGIN:.0f} s: {not figures['lost_older_than_margin']}); "
            + (f"the replicator killed alone uploaded again {figures['replicator_back_s']:.1f} s after its restart; "
               if figures["replicator_back_s"] is not None else "")
            + f"kill to the standby "
            f"serving: {figures['kill_to_serving_s']:.2f} s (the promotion {figures['promotion_s']:.2f} s, its 1 s watch "
            f"included, {'taking the follower' + chr(39) + 's file' if figures['follower_taken'] else 'restoring afresh'}, "
            f"and the start {figures['start_s']:.2f} s); "
            f"the November report ({figures['report_bytes']} bytes) byte-identical: {figures['report_same']}; "
            f"the standby's full check beside the calls passed in {figures['standby_check'][2]} s: "
            f"{figures['standby_check'][:2] == (2, True)}")


if __name__ == "__main__":
    import argparse
    import tempfile
    import shutil
    parser = argparse.ArgumentParser(description="benchmarks/failover: kill the primary, promote the standby")
    parser.add_argument("--otklikd", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--replicator-restart", action="store_true",
                        help="kill Litestream alone halfway and start it again before the machine dies")
    parser.add_argument("--follower", choices=["live", "stale", "none"], default="live",
                        help="the standby's follower: running all along (the runbook), stopped before the writes, or none")
    parser.add_argument("--data-from", help="a stopped daemon's data directory the primary starts from (a copy of it): "
                                            "a large region")
    options = parser.parse_args()
    if options.data_from:
        # A real region's log runs up to now: its clock too (November is closed either way).
        CLOCK = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    serving, lost, windows = [], [], []
    for round_ in range(options.rounds):
        base = tempfile.mkdtemp(prefix="otklik-failover-")
        os.chmod(base, 0o700)
        try:
            figures = failover(options.otklikd, base, options.seconds, options.replicator_restart, options.data_from,
                               None if options.follower == "none" else options.follower)
        finally:
            shutil.rmtree(base, ignore_errors=True)
        print(f"round {round_ + 1}: " + said(figures), flush=True)
        serving.append(figures["kill_to_serving_s"])
        lost.append(figures["lost_cases"] + figures["lost_photos"])
        windows.append(round(figures["lost_window_s"], 2))
    serving.sort()
    print(f"kill to the standby serving: median {serving[len(serving) // 2]:.2f} s, min {serving[0]:.2f}, "
          f"max {serving[-1]:.2f} ({options.rounds} rounds); acknowledged writes lost per round: {lost}, "
          f"the last {windows} s of writes")
    print(json.dumps({"serving_s": serving, "lost": lost, "lost_window_s": windows}))
