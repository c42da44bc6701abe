#!/usr/bin/env python3
"""otklik-rollup: every region's event log in one PostgreSQL database (issue 32, item 4;
docs/DEPLOYMENT.md, "The roll-up").

    otklik-rollup --database postgresql://rollup@bi.example.ru/otklik --region borovichi=ssh://rollup@borovichi.example.ru \
                  --region okulovka=/run/otklik/otklik.sock [--once] [--include author,text] [--interval 2]

Each region's daemon pages its log (`Events/Export`, as `otklik export events` does); each page goes into
`otklik_events` in one transaction with the region's position (`otklik_regions`), keyed by (region,
sequence) with ON CONFLICT DO NOTHING: a page delivered twice (a crash between the insert and the
position, a restart) is stored once, so at-least-once delivery is exact. It resumes from the position
stored. Without --once it follows the regions' logs, every --interval seconds, each region on its own
(one unreachable region holds no other back; its error is in `otklik_regions.last_error`).

What leaves a region is the events' facts minus personal data: posts carry citizens' names. Of each
event's details only the keys in KEPT go (network, topics, units, times, clocks and their dues, who of the
staff acted); authors' names, post texts, URLs (a citizen's comment), reasons and comments (free text
that may quote a citizen), staff's full names are not sent. --include adds keys a region's agreement
allows. The caller must read every case (a curator or an administrator of each region).

Python's standard library, the repository's Python client and Debian's python3-psycopg (psycopg 3)."""
import argparse
import contextlib
import json
import os
import queue
import sys
import threading
import time

HERE = os.path.dirname(os.path.realpath(__file__))
for candidate in (os.path.join(HERE, "..", "python"), os.path.join(HERE, "python")):
    if os.path.isdir(os.path.join(candidate, "otklik_client")):
        sys.path.insert(0, candidate)
        break

from otklik_client import Client, RPCError, events_pb2, words  # noqa: E402
from otklik_client.arguments import said  # noqa: E402

# The details' keys that leave a region (at any depth): the facts p.22's figures are made of.
KEPT = frozenset({
    "at", "kind", "network", "topics", "importance", "assignment", "assignments", "executor", "index", "met",
    "clock", "due", "repeat_of", "draft_kind", "incident", "files_left_out", "failure", "unit", "roles", "active",
    "login", "by", "name", "title", "schedule", "version", "years", "account", "state",
})
PAGE = 1000

SCHEMA = """
CREATE TABLE IF NOT EXISTS otklik_events (
    region text NOT NULL,
    sequence bigint NOT NULL,
    time timestamptz NOT NULL,
    kind text NOT NULL,
    case_id text,
    assignment_id text,
    actor text NOT NULL,
    on_behalf text,
    details jsonb NOT NULL,
    PRIMARY KEY (region, sequence)
);
CREATE INDEX IF NOT EXISTS otklik_events_case ON otklik_events (region, case_id, sequence);
CREATE INDEX IF NOT EXISTS otklik_events_kind ON otklik_events (kind, time);
CREATE TABLE IF NOT EXISTS otklik_regions (
    region text PRIMARY KEY,
    last_sequence bigint NOT NULL DEFAULT 0,        -- the newest event stored here
    source_sequence bigint NOT NULL DEFAULT 0,      -- the region's newest event when last asked
    lag_events bigint GENERATED ALWAYS AS (greatest(source_sequence - last_sequence, 0)) STORED,
    caught_up_at timestamptz,                       -- when everything the region had was stored
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_error text                                 -- the last failure to read the region, cleared on success
);
"""


def redacted(value, kept):
    """`value` with only the `kept` keys of every object in it."""
    if isinstance(value, dict):
        return {key: redacted(item, kept) for key, item in value.items() if key in kept}
    if isinstance(value, list):
        return [redacted(item, kept) for item in value]
    return value


def row(region, event, kept):
    """The row of `event` (as a raw export gives it: the assignment is read from its details, as the
    daemon reads it for a watcher's `assignment_id`)."""
    try:
        details = json.loads(event.details) if event.details else {}
    except ValueError:
        details = {}
    assignment = details.get("assignment") if isinstance(details, dict) else None
    assignment_id = event.assignment_id or (
        f"{event.case_id}/{assignment}" if event.case_id and isinstance(assignment, int) and assignment > 0 else None)
    return (region, event.sequence, event.time, words.event_word(event.kind), event.case_id or None,
            assignment_id, event.actor, event.on_behalf or None,
            json.dumps(redacted(details, kept), ensure_ascii=False))


class Region:
    def __init__(self, name, address, database, kept):
        self.name, self.address, self.database, self.kept = name, address, database, kept

    def position(self, db):
        with db.cursor() as cursor:
            cursor.execute("INSERT INTO otklik_regions (region) VALUES (%s) ON CONFLICT DO NOTHING", (self.name,))
            cursor.execute("SELECT last_sequence FROM otklik_regions WHERE region = %s", (self.name,))
            (stored,) = cursor.fetchone()
            # What a page stored before its position was (never, in one transaction; kept for a
            # table filled by hand).
            cursor.execute("SELECT coalesce(max(sequence), 0) FROM otklik_events WHERE region = %s", (self.name,))
            (newest,) = cursor.fetchone()
        db.commit()
        return max(stored, newest)

    def pages(self, client, position, stop):
        """The region's log after `position`, a page at a time, each as (rows, the log's newest sequence);
        read by a thread of its own one page ahead, so the daemon's work and PostgreSQL's overlap."""
        answers = queue.Queue(maxsize=2)

        def read():
            at = position
            try:
                while not stop.is_set():
                    page = client.call("otklik.v1.Events", "Export",
                                       events_pb2.ExportEventsRequest(from_sequence=at, limit=PAGE, raw=True),
                                       events_pb2.ExportEventsResponse, timeout=120)
                    rows = [row(self.name, event, self.kept) for event in page.events]
                    answers.put((rows, page.last_sequence))
                    if not rows or rows[-1][1] >= page.last_sequence:
                        break
                    at = rows[-1][1]
                answers.put(None)               # the log's end as it stood
            except BaseException as error:  # noqa: BLE001 (handed to the reader, who raises it)
                answers.put(error)

        reader = threading.Thread(target=read, daemon=True, name=f"rollup-{self.name}")
        reader.start()
        try:
            while (answer := answers.get()) is not None:
                if isinstance(answer, BaseException):
                    raise answer
                yield answer
        finally:
            stop.set()
            while reader.is_alive():        # let it finish its call; what it read is dropped
                try:
                    answers.get(timeout=0.1)
                except queue.Empty:
                    pass

    def store(self, db, rows):
        """`rows` into otklik_events: COPY straight in; a page part of which is stored already (another
        roll-up of the same region, a table filled by hand) goes through `incoming` and ON CONFLICT DO
        NOTHING instead. Returns how many were new."""
        import psycopg

        def copy(cursor, table):
            columns = "region, sequence, time, kind, case_id, assignment_id, actor, on_behalf, details"
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as into:
                for values in rows:
                    into.write_row(values)

        try:
            with db.cursor() as cursor:
                cursor.execute("SAVEPOINT page")
                copy(cursor, "otklik_events")
                cursor.execute("RELEASE SAVEPOINT page")
            return len(rows)
        except psycopg.errors.UniqueViolation:
            with db.cursor() as cursor:
                cursor.execute("ROLLBACK TO SAVEPOINT page")
                copy(cursor, "incoming")
                cursor.execute("INSERT INTO otklik_events SELECT * FROM incoming ON CONFLICT DO NOTHING")
                stored = cursor.rowcount
                cursor.execute("TRUNCATE incoming")
            return stored

    def catch_up(self, db, client, limit=None):
        """Pages until the region's newest event is stored (or, with `limit`, about that many more: a
        benchmark's bound); returns how many events were new here. Each page and the region's position are
        one transaction."""
        position = self.position(db)
        with contextlib.closing(self.pages(client, position, threading.Event())) as pages:
            return self.store_pages(db, pages, position, limit)

    def store_pages(self, db, pages, position, limit):
        """Each page of `pages` stored with the region's position, a transaction each."""
        stored = 0
        for rows, newest in pages:
            if rows:
                stored += self.store(db, rows)
                position = max(position, rows[-1][1])
            caught = not rows or position >= newest
            with db.cursor() as cursor:
                cursor.execute(
                    "UPDATE otklik_regions SET last_sequence = greatest(last_sequence, %s), source_sequence = %s, "
                    "caught_up_at = CASE WHEN %s THEN now() ELSE caught_up_at END, updated_at = now(), last_error = NULL "
                    "WHERE region = %s", (position, max(newest, position), caught, self.name))
            db.commit()
            if caught or (limit is not None and stored >= limit):
                return stored
        return stored

    def failed(self, db, error):
        try:
            db.rollback()
            with db.cursor() as cursor:
                # A region never reached yet gets its row too: the status table names every region.
                cursor.execute("INSERT INTO otklik_regions (region, last_error) VALUES (%s, %s) ON CONFLICT (region) "
                               "DO UPDATE SET last_error = excluded.last_error, updated_at = now()",
                               (self.name, str(error)[:1000]))
            db.commit()
        except Exception:  # noqa: BLE001 (the database itself failing: said by the caller)
            pass


def connect(database):
    import psycopg
    db = psycopg.connect(database)
    with db.cursor() as cursor:
        # One schema for every region; made once, by whichever starts first (the lock keeps two apart).
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (7_2026_32,))
        cursor.execute(SCHEMA)
    db.commit()
    with db.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE incoming (LIKE otklik_events) ON COMMIT DELETE ROWS")
    db.commit()
    return db


def run_region(region, once, interval, stop, outcome):
    """One region's loop: returns through `outcome[region.name]` True when its last pass succeeded."""
    db = client = None
    delay = interval
    while not stop.is_set():
        try:
            if db is None:
                db = connect(region.database)
            if client is None:
                client = Client(region.address, timeout=120)
            stored = region.catch_up(db, client)
            if stored:
                print(f"otklik-rollup: {region.name}: {stored} events stored", file=sys.stderr, flush=True)
            outcome[region.name] = True
            delay = interval
        except (RPCError, OSError) as error:
            print("otklik-rollup: " + said(f"{region.name}: {error}; trying again in {delay:.0f} s",
                                           f"{region.name}: {error}; новая попытка через {delay:.0f} с"),
                  file=sys.stderr, flush=True)
            outcome[region.name] = False
            if db is not None:
                region.failed(db, error)
            if client is not None:
                client.close()
                client = None
            delay = min(delay * 2, 60)
        except Exception as error:  # noqa: BLE001 (psycopg's errors: the database unreachable or refusing)
            print("otklik-rollup: " + said(f"{region.name}: the database: {error}", f"{region.name}: база: {error}"),
                  file=sys.stderr, flush=True)
            outcome[region.name] = False
            if db is not None:
                db.close()
                db = None
            delay = min(delay * 2, 60)
        if once:
            break
        stop.wait(delay)
    if client is not None:
        client.close()
    if db is not None:
        db.close()


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="otklik-rollup",
        description=said("every region's event log in one PostgreSQL database",
                         "журналы событий всех районов в одной базе PostgreSQL"))
    parser.add_argument("--database", required=True, help=said("PostgreSQL's address (postgresql://...)",
                                                               "адрес PostgreSQL (postgresql://...)"))
    parser.add_argument("--region", action="append", required=True, metavar="NAME=ADDRESS",
                        help=said("a region and its daemon: a socket path or ssh://... (repeatable)",
                                  "район и его демон: путь к сокету или ssh://... (можно несколько)"))
    parser.add_argument("--once", action="store_true", help=said("catch up once, then exit",
                                                                 "догнать один раз и выйти"))
    parser.add_argument("--interval", type=float, default=2.0,
                        help=said("seconds between looks at each region's log", "секунд между опросами журнала района"))
    parser.add_argument("--include", default="", help=said(
        "details' keys to send beyond the default (comma-separated; e.g. author,text where an agreement allows)",
        "ключи подробностей сверх обычных (через запятую; например author,text, где это разрешено соглашением)"))
    options = parser.parse_args(argv)
    kept = KEPT | {key.strip() for key in options.include.split(",") if key.strip()}
    regions = []
    for text in options.region:
        name, _, address = text.partition("=")
        if not name or not address or name in {region.name for region in regions}:
            parser.error(said(f"--region {text}: give NAME=ADDRESS, each name once",
                              f"--region {text}: укажите ИМЯ=АДРЕС, каждое имя один раз"))
        regions.append(Region(name, address, options.database, kept))
    stop, outcome = threading.Event(), {}
    threads = [threading.Thread(target=run_region, args=(region, options.once, options.interval, stop, outcome),
                                daemon=True) for region in regions]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
    except KeyboardInterrupt:
        stop.set()
        for thread in threads:
            thread.join(10)
    return 0 if all(outcome.get(region.name) for region in regions) else 75


if __name__ == "__main__":
    sys.exit(main())
