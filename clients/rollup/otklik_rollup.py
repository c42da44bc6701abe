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

Each event of a case also carries the case's report facts right after it (`facts`: what clause 22's figures
need, computed by the region's daemon with the report's own rules), and the SQL functions in VIEWS
(otklik_timeliness, otklik_lateness, otklik_units_on_time, otklik_quality, otklik_dynamics) tally them for any
period exactly as the region's monthly report does (tests/rollup holds them to it). The lateness in working
minutes is counted in each region's working intervals, read from its daemon whenever its schedules change
(otklik_schedules, otklik_working_time, otklik_worked).

What leaves a region is the events' facts minus personal data: posts carry citizens' names. Of each
event's details only the keys in KEPT go (network, topics, units, times, clocks and their dues, who of the
staff acted); authors' names, post texts, URLs (a citizen's comment), reasons and comments (free text
that may quote a citizen), staff's full names are not sent. The region's daemon leaves the rest out
(`Events/Export`'s `keep`), so it never crosses the link; a daemon too old to do so is refused. --include
adds keys a region's agreement allows. The caller must read every case (a curator or an administrator of
each region).

Python's standard library, the repository's Python client and Debian's python3-psycopg (psycopg 3)."""
import argparse
import contextlib
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

from otklik_client import Client, RPCError, Unimplemented, calendar_pb2, events_pb2, words  # noqa: E402
from otklik_client.arguments import said  # noqa: E402

# The details' keys that leave a region (at any depth): the facts p.22's figures are made of.
KEPT = frozenset({
    "at", "kind", "network", "topics", "importance", "assignment", "assignments", "executor", "index", "met",
    "clock", "due", "repeat_of", "draft_kind", "incident", "files_left_out", "failure", "unit", "roles", "active",
    "login", "by", "name", "title", "schedule", "version", "years", "account", "state",
})
PAGE = 1000
KEEP_LIMIT, KEY_BYTES = 100, 512
NO_EVENT = 2**63 - 1    # a sequence no log reaches: a page after it is empty
SCHEDULES_PAUSE = 60    # seconds before a region's schedules that could not be read are tried again

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
-- What clause 22's figures need of the event's case right after it (the daemon's ReportFacts): made
-- in the region, so a regulation's rule is counted in one place.
ALTER TABLE otklik_events ADD COLUMN IF NOT EXISTS facts jsonb;
CREATE TABLE IF NOT EXISTS otklik_regions (
    region text PRIMARY KEY,
    last_sequence bigint NOT NULL DEFAULT 0,        -- the newest event stored here
    source_sequence bigint NOT NULL DEFAULT 0,      -- the region's newest event when last asked
    lag_events bigint GENERATED ALWAYS AS (greatest(source_sequence - last_sequence, 0)) STORED,
    caught_up_at timestamptz,                       -- when everything the region had was stored
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_error text                                 -- the last failure to read the region, cleared on success
);
-- Why the region's working schedules could not be read (its lateness in working minutes stays null until
-- they are; every other figure goes on), cleared when they are.
ALTER TABLE otklik_regions ADD COLUMN IF NOT EXISTS schedules_error text;
-- Each region's working schedules as its daemon counts them (Calendar/ListWorkingIntervals), read again
-- whenever a schedule or the production calendar changes there (its version): the lateness in working
-- minutes is counted in the clock's own schedule, as the region's report counts it.
CREATE TABLE IF NOT EXISTS otklik_schedules (
    region text NOT NULL,
    schedule text NOT NULL,
    version bigint NOT NULL,
    time_zone text NOT NULL,                        -- IANA: the region's months and days begin in it
    span_from bigint NOT NULL,                      -- the instants the region computes working time in
    span_to bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region, schedule)
);
CREATE TABLE IF NOT EXISTS otklik_working_time (
    region text NOT NULL,
    schedule text NOT NULL,
    start_at bigint NOT NULL,                       -- a working interval [start_at, end_at), Unix seconds
    end_at bigint NOT NULL,
    worked_before bigint NOT NULL,                  -- working seconds of the schedule's span before start_at
    PRIMARY KEY (region, schedule, start_at)
);
"""

# Clause 22's figures from the facts, for any period [from_at, to_at), as of its end (or now, for a period
# not over): each case as it stood then (its newest facts), tallied as the region's own monthly report
# tallies it (docs/REPORTS.md), by region. Functions rather than views, since a period is a parameter.
# Without JIT: the planner cannot size a jsonb array's rows and would compile each query for seconds.
VIEWS = """
-- The shapes a development build gave two functions for a while (a lateness column in otklik_timeliness,
-- a default as_of in otklik_dynamics): CREATE OR REPLACE cannot change those back, so only they are dropped.
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'otklik_timeliness'
               AND 'median_late_minutes' = ANY (coalesce(proargnames, '{}'))) THEN
        DROP FUNCTION otklik_timeliness(timestamptz, timestamptz);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'otklik_dynamics' AND pronargs = 3 AND pronargdefaults > 0) THEN
        DROP FUNCTION otklik_dynamics(timestamptz, timestamptz, timestamptz);
    END IF;
END $$;
-- Working seconds of `schedule`'s span in `region` before instant x (Unix seconds): the difference of two
-- is the working time between them. Null when the region's schedule has not been read.
CREATE OR REPLACE FUNCTION otklik_worked(r text, s text, x bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM otklik_working_time w WHERE w.region = r AND w.schedule = s) THEN
        coalesce((SELECT w.worked_before + least(x, w.end_at) - w.start_at FROM otklik_working_time w
                  WHERE w.region = r AND w.schedule = s AND w.start_at < x ORDER BY w.start_at DESC LIMIT 1), 0)
    END
$$;

-- Each case as the region's log held it at end_at: the facts of its newest event by then.
CREATE OR REPLACE FUNCTION otklik_cases_as_of(end_at timestamptz)
RETURNS TABLE (region text, case_id text, facts jsonb) LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (e.region, e.case_id) e.region, e.case_id, e.facts
    FROM otklik_events e WHERE e.facts IS NOT NULL AND e.time <= end_at
    ORDER BY e.region, e.case_id, e.sequence DESC
$$;

-- The cases a period's timeliness and quality are counted over, as the report selects them: detected
-- before its end and not closed before its start (as they stood at its end, or now).
CREATE OR REPLACE FUNCTION otklik_cases_active(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (region text, case_id text, facts jsonb) LANGUAGE sql STABLE AS $$
    SELECT c.* FROM otklik_cases_as_of(least(to_at, now())) c
    WHERE (c.facts->>'detected')::bigint < extract(epoch FROM to_at)
      AND coalesce((c.facts->>'closed')::bigint >= extract(epoch FROM from_at), true)
$$;

-- Whether instant x (Unix seconds) lies in [f, t) and by the end e the figures are as of.
CREATE OR REPLACE FUNCTION otklik_within(x bigint, f bigint, t bigint, e bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT x >= f AND x < t AND x <= e $$;

-- Every clock that started in the period as the report counts it, a row each, by clock and the party it
-- counts against: met on time, met late, open past due (counted as late) or open; with its due, its
-- schedule and where a late or past-due one stops being late. A paused clock's due moves with the pause
-- but its being past due does not: past due when it was at its facts' own instant, and late up to that
-- instant. Any other is late up to its meeting, its stop or the figures' end.
CREATE OR REPLACE FUNCTION otklik_clock_outcomes(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (region text, case_id text, clock text, party text, outcome text, schedule text, due bigint,
               late_until bigint)
LANGUAGE sql STABLE SET jit = off AS $$
    WITH b AS (SELECT extract(epoch FROM from_at)::bigint AS f, extract(epoch FROM to_at)::bigint AS t,
                      extract(epoch FROM least(to_at, now()))::bigint AS e),
    c AS (SELECT cases.region, cases.case_id, k.clock, k.party, k.due, k.schedule,
                 CASE WHEN k.met IS NOT NULL AND k.met <= b.e THEN CASE WHEN k.met <= k.due THEN 'on_time' ELSE 'late' END
                      WHEN CASE WHEN k.paused THEN k.due <= (cases.facts->>'at')::bigint ELSE k.due <= b.e END
                          THEN 'open_overdue'
                      ELSE 'open' END AS outcome,
                 -- Where a clock late or past due stops being late.
                 CASE WHEN k.met IS NOT NULL THEN least(k.met, b.e) WHEN k.paused THEN (cases.facts->>'at')::bigint
                      ELSE least(b.e, coalesce(k.stopped, b.e)) END AS late_until
          FROM b, otklik_cases_active(from_at, to_at) cases,
               jsonb_to_recordset(cases.facts->'clocks')
                   AS k(clock text, party text, started bigint, due bigint, met bigint, paused boolean, schedule text,
                        stopped bigint)
          WHERE NOT (cases.facts->>'withdrawn')::boolean AND otklik_within(k.started, b.f, b.t, b.e))
    SELECT region, case_id, clock, party, outcome, schedule, due, late_until FROM c
$$;

-- The same clocks with the lateness in working minutes of one met late or past due, counted in the
-- region's working intervals; null where it cannot be counted here (facts from a daemon older than clocks
-- naming their schedule, or the region's schedule not read yet), never a guess.
CREATE OR REPLACE FUNCTION otklik_clocks_counted(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (region text, case_id text, clock text, party text, outcome text, late_minutes bigint)
LANGUAGE sql STABLE SET jit = off AS $$
    SELECT region, case_id, clock, party, outcome,
           CASE WHEN outcome IN ('late', 'open_overdue') THEN
               greatest(0, otklik_worked(region, schedule, late_until) - otklik_worked(region, schedule, due)) / 60
           END
    FROM otklik_clock_outcomes(from_at, to_at)
$$;

-- Timeliness: every clock that started in the period, by clock and the party it counts against.
CREATE OR REPLACE FUNCTION otklik_timeliness(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (region text, clock text, party text, ran bigint, on_time bigint, late bigint, open_overdue bigint,
               open bigint) LANGUAGE sql STABLE SET jit = off AS $$
    SELECT region, clock, party, count(*), count(*) FILTER (WHERE outcome = 'on_time'),
           count(*) FILTER (WHERE outcome = 'late'), count(*) FILTER (WHERE outcome = 'open_overdue'),
           count(*) FILTER (WHERE outcome = 'open')
    FROM otklik_clock_outcomes(from_at, to_at) GROUP BY region, clock, party
$$;

-- The lateness of each clock line: of the clocks met late or open past due, how many, and the median and
-- worst lateness in working minutes (the median of an even count the two middle ones' mean, in whole
-- minutes: the report's rule); null where one of them cannot be counted here (otklik_clocks_counted).
CREATE OR REPLACE FUNCTION otklik_lateness(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (region text, clock text, party text, late_or_overdue bigint, median_late_minutes bigint,
               worst_late_minutes bigint) LANGUAGE sql STABLE SET jit = off AS $$
    SELECT region, clock, party, count(*),
           CASE WHEN count(*) = count(late_minutes) THEN
               (percentile_disc(0.5) WITHIN GROUP (ORDER BY late_minutes)
                + percentile_disc(0.5) WITHIN GROUP (ORDER BY late_minutes DESC)) / 2 END,
           CASE WHEN count(*) = count(late_minutes) THEN max(late_minutes) END
    FROM otklik_clocks_counted(from_at, to_at) WHERE outcome IN ('late', 'open_overdue')
    GROUP BY region, clock, party
$$;

-- Each party's share on time (late and overdue counted against it), in whole percent rounded half up,
-- and its place: parties shown with the same percent share a place; fewer than five clocks, no place.
CREATE OR REPLACE FUNCTION otklik_units_on_time(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (region text, unit text, on_time bigint, counted bigint, percent integer, place bigint)
LANGUAGE sql STABLE SET jit = off AS $$
    WITH u AS (SELECT t.region, t.party AS unit, sum(t.on_time)::bigint AS on_time,
                      sum(t.on_time + t.late + t.open_overdue)::bigint AS counted
               FROM otklik_timeliness(from_at, to_at) t GROUP BY t.region, t.party),
    p AS (SELECT u.*, CASE WHEN u.counted > 0 THEN ((u.on_time * 200 + u.counted) / (u.counted * 2))::integer END
                      AS percent FROM u)
    SELECT p.region, p.unit, p.on_time, p.counted, p.percent,
           CASE WHEN p.counted >= 5 THEN rank() OVER (PARTITION BY p.region, p.counted >= 5 ORDER BY p.percent DESC) END
    FROM p
$$;

-- Dynamics: messages detected in the period by each dimension (network, importance, topics, executors,
-- rejection_reason; `-` for none), withdrawn ones only under withdrawn; `messages` the total; as the cases
-- stood at `as_of` (null: the period's end; now, if earlier). The report's comparison columns (the previous period, the same
-- period a year before, the twelve months) are these over the compared periods as of the reported
-- period's end.
CREATE OR REPLACE FUNCTION otklik_dynamics(from_at timestamptz, to_at timestamptz, as_of timestamptz)
RETURNS TABLE (region text, dimension text, key text, messages bigint) LANGUAGE sql STABLE SET jit = off AS $$
    WITH cases AS (
        SELECT c.* FROM otklik_cases_as_of(least(coalesce(as_of, to_at), now())) c
        WHERE (c.facts->>'detected')::bigint >= extract(epoch FROM from_at)
          AND (c.facts->>'detected')::bigint < extract(epoch FROM to_at))
    SELECT cases.region, d.key, k.key, count(*)
    FROM cases, jsonb_each(cases.facts->'keys') d, jsonb_array_elements_text(d.value) k(key)
    WHERE d.key = 'withdrawn' OR NOT (cases.facts->>'withdrawn')::boolean
    GROUP BY cases.region, d.key, k.key
    UNION ALL
    SELECT cases.region, 'messages', 'messages', count(*) FROM cases
    WHERE NOT (cases.facts->>'withdrawn')::boolean GROUP BY cases.region
$$;

-- The same, as the cases stood at the period's end (or now, for a period not over).
CREATE OR REPLACE FUNCTION otklik_dynamics(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (region text, dimension text, key text, messages bigint) LANGUAGE sql STABLE AS $$
    SELECT * FROM otklik_dynamics(from_at, to_at, to_at)
$$;

-- Quality: each figure of the report's quality section (and the first replies' count and average
-- working minutes), a row per figure and key (a return's reason, a unit), `of` where it is a share.
CREATE OR REPLACE FUNCTION otklik_quality(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (region text, figure text, key text, count bigint, of bigint) LANGUAGE sql STABLE SET jit = off AS $$
    WITH b AS (SELECT extract(epoch FROM from_at)::bigint AS f, extract(epoch FROM to_at)::bigint AS t,
                      extract(epoch FROM least(to_at, now()))::bigint AS e),
    cases AS (SELECT * FROM otklik_cases_active(from_at, to_at) WHERE NOT (facts->>'withdrawn')::boolean),
    a AS (SELECT cases.region, x.* FROM cases,
              jsonb_to_recordset(cases.facts->'assignments') AS x(party text, closed_without_answer bigint,
                  drafts jsonb, replies jsonb, intermediate bigint, final bigint, final_due bigint, reply_met bigint,
                  reply_minutes bigint)),
    d AS (SELECT a.region, y.* FROM a, jsonb_to_recordset(a.drafts)
              AS y(submitted bigint, first boolean, decided bigint, returned bigint, reason text, flagged boolean,
                   waived bigint)),
    r AS (SELECT a.region, a.party, z.* FROM a, jsonb_to_recordset(a.replies)
              AS z(published bigint, evidence boolean, findings boolean)),
    repeats AS (
        SELECT cases.region, cases.case_id, earlier.facts->'answered' AS answered FROM b, cases
        -- The first message as it stood then (whom it was given to), one range of the case index.
        LEFT JOIN LATERAL (SELECT e.facts FROM otklik_events e
                           WHERE e.region = cases.region AND e.case_id = cases.facts->>'repeat_of'
                             AND e.facts IS NOT NULL AND e.time <= least(to_at, now())
                           ORDER BY e.sequence DESC LIMIT 1) earlier ON true
        WHERE cases.facts->>'repeat_of' IS NOT NULL AND otklik_within((cases.facts->>'detected')::bigint, b.f, b.t, b.e))
    SELECT region, 'drafts_submitted', NULL, count(*), NULL::bigint FROM d, b
        WHERE otklik_within(submitted, f, t, e) GROUP BY region
    UNION ALL SELECT region, 'drafts_flagged', NULL, count(*), NULL FROM d, b
        WHERE otklik_within(submitted, f, t, e) AND flagged GROUP BY region
    UNION ALL SELECT region, 'approved_at_first_submission', NULL, count(*) FILTER (WHERE returned IS NULL), count(*)
        FROM d, b WHERE otklik_within(submitted, f, t, e) AND first AND decided <= e GROUP BY region
    UNION ALL SELECT region, 'returns_by_reason', reason, count(*), NULL FROM d, b
        WHERE otklik_within(returned, f, t, e) GROUP BY region, reason
    UNION ALL SELECT region, 'evidence_waived', NULL, count(*), NULL FROM d, b
        WHERE otklik_within(waived, f, t, e) GROUP BY region
    UNION ALL SELECT region, 'replies_with_attachments', NULL, count(*) FILTER (WHERE evidence), count(*) FROM r, b
        WHERE otklik_within(published, f, t, e) GROUP BY region
    UNION ALL SELECT region, 'replies_with_attachments_by_unit', party, count(*) FILTER (WHERE evidence), count(*)
        FROM r, b WHERE otklik_within(published, f, t, e) GROUP BY region, party
    UNION ALL SELECT region, 'published_with_findings', NULL, count(*), NULL FROM r, b
        WHERE otklik_within(published, f, t, e) AND findings GROUP BY region
    UNION ALL SELECT region, 'closed_without_answer', NULL, count(*), NULL FROM a, b
        WHERE otklik_within(closed_without_answer, f, t, e) GROUP BY region
    UNION ALL SELECT region, 'intermediate_to_final_in_time', NULL,
            count(*) FILTER (WHERE final <= e AND final <= final_due), count(*)
        FROM a, b WHERE otklik_within(intermediate, f, t, e) AND final_due IS NOT NULL GROUP BY region
    UNION ALL SELECT region, 'first_replies', NULL, count(*), NULL FROM a, b
        WHERE otklik_within(reply_met, f, t, e) GROUP BY region
    UNION ALL SELECT region, 'average_minutes_to_first_reply', NULL, sum(reply_minutes)::bigint / count(*), NULL
        FROM a, b WHERE otklik_within(reply_met, f, t, e) GROUP BY region
    UNION ALL SELECT region, 'repeats', NULL, count(*), NULL FROM repeats GROUP BY region
    UNION ALL SELECT region, 'repeats_by_unit', unit, count(*), NULL FROM repeats,
            LATERAL (SELECT jsonb_array_elements_text(CASE WHEN jsonb_array_length(coalesce(answered, '[]')) = 0
                                                           THEN '["-"]' ELSE answered END) AS unit) u
        GROUP BY region, unit
    UNION ALL SELECT region, 'incidents', NULL, count(DISTINCT facts->>'incident'), NULL FROM cases, b
        WHERE facts->>'incident' IS NOT NULL AND otklik_within((facts->>'detected')::bigint, f, t, e) GROUP BY region
    UNION ALL SELECT region, 'incident_cases', NULL, count(*), NULL FROM cases, b
        WHERE facts->>'incident' IS NOT NULL AND otklik_within((facts->>'detected')::bigint, f, t, e) GROUP BY region
$$;
"""


# COPY's text format: a tab between fields, a newline after each row, \N for NULL, and these escaped.
COPY_ESCAPES = (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


def copy_field(value):
    if value is None:
        return "\\N"
    if value.__class__ is int:
        return str(value)
    text = str(value)
    if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        for plain, escaped in COPY_ESCAPES:
            text = text.replace(plain, escaped)
    return text


def copy_text(rows):
    """`rows` as one block of COPY's text format: written at once, not a row at a time through psycopg's
    per-field formatting (which took 39 µs a row, half the tool's time)."""
    return "".join("\t".join(map(copy_field, values)) + "\n" for values in rows)


def row(region, event):
    """The row of `event` as the daemon sends it with `keep`: its details hold only the kept keys, and
    its assignment is named even in a raw export."""
    return (region, event.sequence, event.time, words.event_word(event.kind), event.case_id or None,
            event.assignment_id or None, event.actor, event.on_behalf or None, event.details or "{}",
            event.facts or None)


class RegionRefused(Exception):
    """A region whose log this tool cannot store as it is (said in the reader's language)."""


def older_daemon():
    """The refusal of a region whose daemon does not apply `keep`: it would send personal data here."""
    return RegionRefused(said("its daemon does not leave personal data out of what it sends; update otklik there",
                              "демон района не умеет не передавать персональные данные; обновите там otklik"))


class Region:
    def __init__(self, name, address, database, kept):
        self.name, self.address, self.database, self.kept = name, address, database, kept
        # When the region's schedules may be read again after a failure, the pause after the next, and the
        # reason last written (None: read; "" at first, so the first pass writes what it finds).
        self.schedules_due, self.schedules_pause, self.schedules_said = 0.0, SCHEDULES_PAUSE, ""

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
        """The region's log after `position`, a page at a time, each as (rows, the log's newest sequence).
        One thread asks the daemon for the next page while another makes the last one's rows and the caller
        stores the one before: the daemon's work, the tool's and PostgreSQL's overlap."""
        fetched, answers = queue.Queue(maxsize=2), queue.Queue(maxsize=2)

        def fetch():
            at = position
            try:
                # First a page that holds nothing (after the newest possible event): a daemon too old to
                # apply `keep` answers it with `kept` false, and is refused before it sends any event.
                probe = client.call("otklik.v1.Events", "Export",
                                    events_pb2.ExportEventsRequest(from_sequence=NO_EVENT, limit=1, raw=True,
                                                                   keep=sorted(self.kept)),
                                    events_pb2.ExportEventsResponse, timeout=120)
                if not probe.kept:
                    raise older_daemon()
                while not stop.is_set():
                    page = client.call("otklik.v1.Events", "Export",
                                       events_pb2.ExportEventsRequest(from_sequence=at, limit=PAGE, raw=True,
                                                                      facts=True, keep=sorted(self.kept)),
                                       events_pb2.ExportEventsResponse, timeout=120)
                    fetched.put(page)
                    if not page.events or page.events[-1].sequence >= page.last_sequence:
                        break
                    at = page.events[-1].sequence
                fetched.put(None)               # the log's end as it stood
            except BaseException as error:  # noqa: BLE001 (handed on to the caller, who raises it)
                fetched.put(error)

        def convert():
            # Every page the fetcher puts is taken, so it never waits on a caller that stopped; a page that
            # cannot be made into rows ends the caller's loop with the error, as a failed call does (what
            # follows it is drained by the caller's `finally`).
            while True:
                page = fetched.get()
                if page is None or isinstance(page, BaseException):
                    answers.put(page)
                    return
                if stop.is_set():
                    continue
                try:
                    answers.put((self.rows(page), page.last_sequence))
                except BaseException as error:  # noqa: BLE001 (handed on to the caller, who raises it)
                    stop.set()
                    answers.put(error)

        threads = [threading.Thread(target=fetch, daemon=True, name=f"rollup-{self.name}-fetch"),
                   threading.Thread(target=convert, daemon=True, name=f"rollup-{self.name}-rows")]
        for thread in threads:
            thread.start()
        try:
            while (answer := answers.get()) is not None:
                if isinstance(answer, BaseException):
                    raise answer
                yield answer
        finally:
            stop.set()
            while any(thread.is_alive() for thread in threads):    # their calls end; what they read is dropped
                try:
                    answers.get(timeout=0.1)
                except queue.Empty:
                    pass

    def rows(self, page):
        """A page's rows. A region whose daemon is older than this tool is refused: one that does not leave
        out what is not kept (`kept` false) would send personal data here, and one that sends no report
        facts (a registration always has them) would leave its figures silently empty."""
        if not page.kept:
            raise older_daemon()
        rows = [row(self.name, event) for event in page.events]
        if any(facts is None and kind == "case.registered" for _, _, _, kind, *_, facts in rows):
            raise RegionRefused(said("its daemon sends no report facts; update otklik there",
                                     "демон района не передаёт сведения для сводки; обновите там otklik"))
        return rows

    def store(self, db, rows):
        """`rows` into otklik_events: COPY straight in; a page part of which is stored already (another
        roll-up of the same region, a table filled by hand) goes through `incoming` and ON CONFLICT DO
        NOTHING instead. Returns how many were new."""
        import psycopg

        text = copy_text(rows)

        def copy(cursor, table):
            columns = "region, sequence, time, kind, case_id, assignment_id, actor, on_behalf, details, facts"
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as into:
                into.write(text)

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

    def schedules(self, db, client):
        """The region's working schedules into otklik_schedules and otklik_working_time, each read again
        only when its version there changed (a schedule or the production calendar edited), all its
        intervals in one transaction: a query never sees half a schedule. A failure here is the region's
        `schedules_error` and stops nothing else: only the lateness in working minutes needs them; it is
        tried again after a pause that doubles up to an hour, and said again only when it changes."""
        if time.monotonic() < self.schedules_due:
            return
        try:
            self.read_schedules(db, client)
            error = None
        except Unimplemented:
            error = said("its daemon cannot list its working intervals (the lateness in working minutes needs them); "
                         "update otklik there",
                         "демон района не умеет передавать рабочие интервалы (по ним считается опоздание в рабочих "
                         "минутах); обновите там otklik")
        except (RPCError, RegionRefused) as failure:
            error = str(failure)
        db.rollback()
        if error != self.schedules_said:      # written when it changes, not at every pass
            with db.cursor() as cursor:
                cursor.execute("INSERT INTO otklik_regions (region, schedules_error) VALUES (%s, %s) ON CONFLICT (region) "
                               "DO UPDATE SET schedules_error = excluded.schedules_error", (self.name, error and error[:1000]))
            db.commit()
        if error is None:
            self.schedules_pause, self.schedules_due = SCHEDULES_PAUSE, 0.0
        else:
            self.schedules_due = time.monotonic() + self.schedules_pause
            self.schedules_pause = min(self.schedules_pause * 2, 3600)
        if error and error != self.schedules_said:
            print("otklik-rollup: " + said(f"{self.name}: working schedules: {error}",
                                           f"{self.name}: рабочие графики: {error}"), file=sys.stderr, flush=True)
        self.schedules_said = error

    def read_schedules(self, db, client):
        listed = client.call("otklik.v1.Calendar", "ListSchedules", calendar_pb2.ListSchedulesRequest(),
                             calendar_pb2.ListSchedulesResponse, timeout=120)
        with db.cursor() as cursor:
            cursor.execute("SELECT schedule, version FROM otklik_schedules WHERE region = %s", (self.name,))
            stored = dict(cursor.fetchall())
        db.commit()
        for schedule in listed.schedules:
            if stored.get(schedule.name) == schedule.version:
                continue
            version, span, rows = self.working_time(client, schedule.name)
            if version != schedule.version:
                continue        # changed since it was listed: read at the next pass, with its time zone
            with db.cursor() as cursor:
                # Two roll-ups of one region replace its schedules one at a time; the later one finds it done.
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('otklik_working_time/' || %s || '/' || %s))",
                               (self.name, schedule.name))
                cursor.execute("SELECT version FROM otklik_schedules WHERE region = %s AND schedule = %s",
                               (self.name, schedule.name))
                stored_now = cursor.fetchone()
                if stored_now and stored_now[0] >= version:     # versions only grow
                    db.commit()
                    continue
                cursor.execute("DELETE FROM otklik_working_time WHERE region = %s AND schedule = %s",
                               (self.name, schedule.name))
                with cursor.copy("COPY otklik_working_time (region, schedule, start_at, end_at, worked_before) "
                                 "FROM STDIN") as into:
                    into.write(copy_text(rows))
                cursor.execute(
                    "INSERT INTO otklik_schedules (region, schedule, version, time_zone, span_from, span_to) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (region, schedule) DO UPDATE SET "
                    "version = excluded.version, time_zone = excluded.time_zone, span_from = excluded.span_from, "
                    "span_to = excluded.span_to, updated_at = now()",
                    (self.name, schedule.name, version, schedule.time_zone, *span))
            db.commit()
        gone = sorted(set(stored) - {schedule.name for schedule in listed.schedules})
        if gone:
            with db.cursor() as cursor:
                cursor.execute("DELETE FROM otklik_working_time WHERE region = %s AND schedule = ANY(%s)",
                               (self.name, gone))
                cursor.execute("DELETE FROM otklik_schedules WHERE region = %s AND schedule = ANY(%s)", (self.name, gone))
            db.commit()

    def working_time(self, client, name):
        """Every working interval of the region's schedule `name` as rows of otklik_working_time, with the
        version and the span they are of: a page of another version than the first (the schedule changed
        while it was read) starts the reading again; pages that do not follow on are refused."""
        for _attempt in range(5):
            rows, at, version = [], 0, None
            while True:
                page = client.call("otklik.v1.Calendar", "ListWorkingIntervals",
                                   calendar_pb2.ListWorkingIntervalsRequest(schedule=name, from_unix=at, limit=1000),
                                   calendar_pb2.ListWorkingIntervalsResponse, timeout=120)
                if version is not None and page.schedule_version != version:
                    break
                worked = page.worked_before_seconds
                if rows and worked != rows[-1][4] + rows[-1][3] - rows[-1][2]:
                    raise RegionRefused(said(f"its schedule {name}'s working intervals do not add up",
                                             f"рабочие интервалы графика {name} не сходятся"))
                version = page.schedule_version
                for interval in page.intervals:
                    rows.append((self.name, name, interval.start_unix, interval.end_unix, worked))
                    worked += interval.end_unix - interval.start_unix
                if not page.next_from_unix:
                    return version, (page.span_from_unix, page.span_to_unix), rows
                if page.next_from_unix <= at or not page.intervals:
                    raise RegionRefused(said(f"its schedule {name}'s working intervals do not move on",
                                             f"рабочие интервалы графика {name} не идут дальше"))
                at = page.next_from_unix
        raise RegionRefused(said(f"its schedule {name} kept changing while it was read",
                                 f"график {name} менялся, пока его читали"))

    def catch_up(self, db, client, limit=None):
        """Pages until the region's newest event is stored (or, with `limit`, about that many more: a
        benchmark's bound); returns how many events were new here. Each page and the region's position are
        one transaction. The region's schedules first, when they changed there."""
        self.schedules(db, client)
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
        # A page's commit does not wait for its flush: a crash of PostgreSQL loses at most the last few
        # pages together with the position stored with them (one transaction; PostgreSQL never keeps a later
        # commit and loses an earlier one), and the next pass reads them again from the region, whose log
        # keeps them. Waiting for each page's fsync held the whole pipeline back (docs/BENCHMARKS.md).
        cursor.execute("SET synchronous_commit = off")
        # One schema for every region; made once, by whichever starts first (the lock keeps two apart).
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (7_2026_32,))
        cursor.execute(SCHEMA)
        cursor.execute(VIEWS)
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
                # What the database says of the region's schedules may be older than what this process
                # last wrote (a commit not flushed when PostgreSQL stopped): written again at the next look.
                region.schedules_said = ""
            if client is None:
                client = Client(region.address, timeout=120)
            stored = region.catch_up(db, client)
            if stored:
                print(f"otklik-rollup: {region.name}: {stored} events stored", file=sys.stderr, flush=True)
            outcome[region.name] = True
            delay = interval
        except (RPCError, OSError, RegionRefused) as error:
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
    # The daemon takes at most KEEP_LIMIT keys of KEY_BYTES each (docs/PROTOCOL.md, "Limits").
    if len(kept) > KEEP_LIMIT or any(len(key.encode()) > KEY_BYTES or not key.isprintable() for key in kept):
        parser.error(said(f"--include: at most {KEEP_LIMIT - len(KEPT)} keys beyond the default, each at most {KEY_BYTES} bytes "
                          "of printable text",
                          f"--include: не больше {KEEP_LIMIT - len(KEPT)} ключей сверх обычных, каждый не длиннее {KEY_BYTES} байт "
                          "печатного текста"))
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
