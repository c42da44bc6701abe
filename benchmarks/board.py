"""benchmarks/board: the breach forecast (`Cases/Board`, issue 31) against a release otklikd on the report
benchmark's databases: the call's time (median, min, max of RUNS) computed afresh (a unit is saved again
before each call: anything logged makes the daemon compute the forecast anew) and answered from the
forecast kept (nothing logged since, under 30 s old), how many open executor steps it forecast and how
many at risk. The open cases come from the clock index, so the figure follows the open cases, not the
history. Asserts nothing."""
import os
import statistics
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))

from otklik_client import Client  # noqa: E402


def main():
    socket_path, runs = sys.argv[1], int(sys.argv[2])
    with Client(socket_path, timeout=600) as client:
        unit = client.list_units().units[0]
        fresh, kept, answer = [], [], None
        for _ in range(runs):
            client.put_unit(name=unit.name, title=unit.title, kind=unit.kind, schedule=unit.schedule)
            started = time.perf_counter()
            answer = client.board()
            fresh.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            client.board()
            kept.append((time.perf_counter() - started) * 1000)
        risky = sum(1 for row in answer.assignments if row.at_risk)
        for name, times in (("computed", fresh), ("kept", kept)):
            print(f"Board {name}: median {statistics.median(times):.1f} ms, min {min(times):.1f}, max {max(times):.1f} ({runs} runs)")
        print(f"  {len(answer.assignments)} open executor steps, {risky} at risk, {len(answer.units)} units"
              f"{', capped at 10,000 open cases' if answer.capped else ''}")


if __name__ == "__main__":
    main()
