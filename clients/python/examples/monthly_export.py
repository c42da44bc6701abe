#!/usr/bin/env python3
"""The month's data for the regional centre: the clause 22 summary as JSON and every case of the
month, one row per assignment with its clocks, as CSV that Excel opens under a Russian locale.

    monthly_export.py --month 2026-11 --out /srv/otklik/exports      # cron: 0 6 1 * * (the month before)
"""
import argparse
import csv
import datetime
import json
import pathlib
import sys

from otklik_client import Client, RPCError, instant, words

CLOCKS = ["reply", "draft", "review", "rework", "publish", "final_draft"]


def month_bounds(month, zone):
    start = datetime.datetime.strptime(month, "%Y-%m").replace(tzinfo=zone)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", help="YYYY-MM (default: the month before this one)")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("."))
    parser.add_argument("--as", dest="login")
    parser.add_argument("--socket")
    args = parser.parse_args()
    with Client(args.socket, metadata={"otklik-as": args.login} if args.login else {}) as client:
        now = instant(client.health().now)
        month = args.month or (now.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
        start, end = month_bounds(month, now.tzinfo)
        args.out.mkdir(parents=True, exist_ok=True)
        summary = client.monthly_summary(month=month)
        (args.out / f"summary-{month}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        titles = {unit.name: unit.title for unit in client.list_units().units}
        path = args.out / f"cases-{month}.csv"
        rows = 0
        with open(path, "w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file, delimiter=";")
            writer.writerow(["case", "detected_at", "network", "url", "state", "assignment", "unit", "unit_title"]
                            + [f"{c}_{p}" for c in CLOCKS for p in ("due", "met_at", "late_minutes")])
            for view in client.list_all_cases(from_=start, to=end):
                for assignment in view.assignments or [None]:
                    cells = [view.id, view.detected_at, view.network, view.url, words.word(words.CaseState, view.state)]
                    if assignment is None:
                        cells += ["", "", ""] + [""] * 3 * len(CLOCKS)
                    else:
                        clocks = {words.word(words.ClockKind, c.kind): c for c in assignment.clocks}
                        cells += [assignment.id, assignment.executor, titles.get(assignment.executor, "")]
                        for kind in CLOCKS:
                            c = clocks.get(kind)
                            cells += [c.due, c.met_at, c.late_minutes] if c else ["", "", ""]
                    writer.writerow(cells)
                    rows += 1
    print(f"monthly_export: {month}: {rows} rows in {path}, the summary beside it")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RPCError as error:
        print(f"monthly_export: {error.code.name}: {error.message}", file=sys.stderr)
        sys.exit(2)
