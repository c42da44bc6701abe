#!/usr/bin/env python3
"""Nightly import: every CSV or JSONL file a monitoring system dropped into a folder is registered
(the daemon finds what it has already, so a file imported twice adds nothing), then moved to done/
(all taken) or failed/ (some lines refused: a person should look), with a line of figures per file.

    nightly_import.py /srv/otklik/inbox --as curator.petrova      # cron: 0 2 * * *

CSV columns as `otklik message import` takes them (docs/IMPORT.md): network, url, author, text,
detected_at, posted_at, external_id, topics, importance; `;` or `,`; times ISO 8601 or
"01.12.2026 09:40" in the daemon's zone.
"""
import argparse
import csv
import datetime
import io
import json
import pathlib
import sys

from otklik_client import Client, RPCError, instant, words

COLUMNS = {"network", "url", "author", "text", "detected_at", "posted_at", "external_id", "topics", "importance"}


def moment(text, zone):
    """An ISO 8601 instant, or a local "01.12.2026 09:40" / "2026-12-01 09:40" in the daemon's zone."""
    text = text.strip()
    if not text:
        return None
    for form in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, form).replace(tzinfo=zone)
        except ValueError:
            pass
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=zone)


def rows(path):
    """(line, fields) of a CSV or JSONL file."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield number, json.loads(line)
        return
    header = text.splitlines()[0] if text else ""
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if header.count(";") >= header.count(",") else ",")
    unknown = set(reader.fieldnames or []) - COLUMNS
    if unknown:
        raise ValueError(f"unknown columns {sorted(unknown)}; the columns are {sorted(COLUMNS)}")
    for row in reader:
        yield reader.line_num, row


def request(fields, zone, now):
    topics = fields.get("topics") or []
    if isinstance(topics, str):
        topics = [t.strip() for t in topics.replace("|", ",").split(",") if t.strip()]
    detected = moment(fields.get("detected_at") or "", zone) or now
    posted = moment(fields.get("posted_at") or "", zone)
    return {
        "network": (fields.get("network") or "").lower(), "url": fields.get("url") or "",
        "author": fields.get("author") or "", "text": fields.get("text") or "",
        "detected_at_unix": int(detected.timestamp()), "posted_at_unix": int(posted.timestamp()) if posted else 0,
        "external_id": fields.get("external_id") or "", "topics": topics,
        "importance": words.value(words.Importance, (fields.get("importance") or "normal").lower()
                                  .replace("обычная", "normal").replace("высокая", "high")),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--as", dest="login", help="the curator to register as (for an admin's script)")
    parser.add_argument("--socket", help="the daemon's socket (default: as the CLI finds it)")
    args = parser.parse_args()
    metadata = {"otklik-as": args.login} if args.login else {}
    failed_any = False
    with Client(args.socket, metadata=metadata) as client:
        health = client.health()
        now = instant(health.now)
        zone = now.tzinfo
        for path in sorted(p for p in args.folder.iterdir() if p.suffix.lower() in (".csv", ".jsonl")):
            refused = []
            try:
                read = list(rows(path))
            except (ValueError, UnicodeDecodeError, json.JSONDecodeError) as error:
                print(f"{path.name}: not imported: {error}", file=sys.stderr)
                failed_any = True
                continue
            taken, counts = [], {"new": 0, "existing": 0, "refused": 0}
            for number, fields in read:
                try:
                    taken.append((number, request(fields, zone, now)))
                except ValueError as error:
                    refused.append((number, str(error)))
            for start in range(0, len(taken), 500):
                batch = taken[start:start + 500]
                answer = client.import_messages(messages=[r for _, r in batch], apply=True)
                for (number, _), outcome in zip(batch, answer.outcomes):
                    word = words.word(type(outcome).Kind, outcome.kind)
                    counts[word] = counts.get(word, 0) + 1
                    if word == "refused":
                        refused.append((number, f"{outcome.refusal.reason}: {outcome.message}"))
            counts["refused"] = len(refused)
            print(f"{path.name}: new {counts['new']}, already there {counts['existing']}, refused {len(refused)}")
            for number, why in refused:
                print(f"  line {number}: {why}", file=sys.stderr)
            target = args.folder / ("failed" if refused else "done")
            target.mkdir(exist_ok=True)
            path.rename(target / path.name)
            failed_any = failed_any or bool(refused)
    return 1 if failed_any else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RPCError as error:
        print(f"nightly_import: {error.code.name}: {error.message}", file=sys.stderr)
        sys.exit(2)
