"""benchmarks/incident: an incident's steps on a database of N cases (see the script). Prints each call's
median, min and max over the runs; asserts nothing but that the steps took every case."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, "clients", "python"), os.path.join(ROOT, "clients", "connect", "tests")]

import offices  # noqa: E402
from otklik_client import Client, RPCError  # noqa: E402

NOW = "2026-12-01T10:00:00+03:00"


def main():
    data, cases, runs, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    place = tempfile.mkdtemp(prefix="otklik-incident-")
    socket_path = os.path.join(place, "s.sock")
    daemon = subprocess.Popen([os.environ["OTKLIKD"], "--socket", socket_path, "--data", data, "--test-clock", NOW,
                               "--allow-clock-before-log", "--log-level", "warning"])
    try:
        started = time.perf_counter()
        for _ in range(6000):   # a large file may take a while to open the first time (a migration)
            try:
                Client(socket_path).close()
                break
            except (RPCError, OSError):
                if daemon.poll() is not None:
                    raise SystemExit("otklikd did not start")
                time.sleep(0.1)
        print(f"== {cases} cases: daemon start {time.perf_counter() - started:.1f} s; {runs} incidents of {size} messages")
        measure(socket_path, runs, size)
    finally:
        daemon.terminate()
        daemon.wait()
        shutil.rmtree(place, ignore_errors=True)


def measure(socket_path, runs, size):
    offices.office(socket_path, curator="bench.cur", executor="bench.exec", units=("bench-centre", "bench-housing"),
                   account=None)
    detected = datetime.fromisoformat(NOW).timestamp() - 600
    spent = {}

    def timed(name, call):
        start = time.perf_counter()
        answer = call()
        spent.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        return answer

    with Client(socket_path, metadata={"otklik-as": "bench.cur"}, timeout=600) as curator, \
            Client(socket_path, metadata={"otklik-as": "bench.exec"}, timeout=600) as executor:
        for run in range(runs):
            post = 990000 + run
            ids = []
            for n in range(size + 1):
                view = curator.register_message(
                    network="vk", url=f"https://vk.com/wall-218375_{post}?reply={n + 1}", author=f"Житель {n}",
                    text="В доме 3 по Садовой нет отопления третий день",
                    detected_at=datetime.fromtimestamp(detected, timezone.utc), allow_old=True)
                ids.append(view.id)
            late = ids.pop()
            suggested = timed("SuggestIncident", lambda: curator.suggest_incident(id=ids[0]))
            incident = timed("CreateIncident", lambda: curator.create_incident(
                title="Нет отопления на Садовой", topics=["ЖКХ"], case_ids=ids))
            timed("RouteIncident", lambda: curator.route_incident(
                incident_id=incident.id, executors=["bench-housing"]))
            view = curator.get_case(id=ids[0])
            submitted = timed("SubmitDraft (whole incident)", lambda: executor.submit_draft(
                assignment_id=view.assignments[0].id, expected_version=view.version, kind="final",
                text="{автор}, отопление в доме 3 включат 2 декабря до 12:00, аварийная бригада работает."))
            approved = timed("ApproveDraft (whole incident)", lambda: curator.approve_draft(
                assignment_id=submitted.assignments[0].id, expected_version=submitted.version))
            shown = timed("GetIncident", lambda: curator.get_incident(incident_id=incident.id))
            timed("ListIncidents", lambda: curator.list_incidents())
            timed("AddToIncident (routed, approved reply)", lambda: curator.add_to_incident(
                incident_id=incident.id, case_ids=[late]))
            timed("RemoveFromIncident", lambda: curator.remove_from_incident(incident_id=incident.id, case_ids=[late]))
            assert len(submitted.also_on) == size - 1 and len(approved.also_on) == size - 1, "a step missed a case"
            assert shown.cases == size and len(suggested.suggestions) >= min(size - 1, 20)
    for name, times in spent.items():
        print(f"  {name}: median {statistics.median(times):.1f} ms, min {min(times):.1f}, max {max(times):.1f}")


if __name__ == "__main__":
    main()
