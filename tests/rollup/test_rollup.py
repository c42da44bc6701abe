"""otklik-rollup into a real PostgreSQL (issue 32, item 4): two regional daemons, a cluster started by
the test; every event stored once whatever is delivered twice, resumable, personal data left in the
regions, a region's lag in its status row, a region down holding no other back."""
import datetime
import json
import os
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))

import postgres  # noqa: E402
from otklik_client import Client, calendar_pb2  # noqa: E402
from otklik_client.testing import running_daemon  # noqa: E402

ROLLUP = os.path.join(ROOT, "clients", "rollup", "otklik_rollup.py")
CURATOR = {"otklik-as": "curator.petrova"}


@pytest.fixture(scope="module")
def cluster():
    made = postgres.Cluster()
    yield made
    made.close()


@pytest.fixture
def regions():
    with running_daemon(os.environ["OTKLIKD"], "--demo") as north, running_daemon(os.environ["OTKLIKD"], "--demo") as south:
        yield {"north": north, "south": south}


def rollup(database, regions, *extra):
    arguments = [sys.executable, ROLLUP, "--database", database]
    for name, address in regions.items():
        arguments += ["--region", f"{name}={address}"]
    return subprocess.run(arguments + ["--once", *extra], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "LANG": "C.UTF-8"})


def query(database, sql, *values):
    import psycopg
    with psycopg.connect(database) as db:
        return db.execute(sql, values).fetchall()


def newest(socket_path):
    with Client(socket_path) as client:
        return client.health().last_sequence


def register(socket_path, n, author="Анна Кузнецова"):
    with Client(socket_path, metadata=CURATOR) as curator:
        return curator.register_message(network="vk", url=f"https://vk.com/wall-5_{n}", author=author,
                                        text=f"Яма во дворе дома {n}", topics=["дороги"],
                                        detected_at=datetime.datetime.now(datetime.timezone.utc))


def test_every_regions_events_are_stored_once_and_resumed_from_where_it_stopped(cluster, regions):
    database = cluster.database("rollup_once")
    first = rollup(database, regions)
    assert first.returncode == 0, first.stderr
    for name, socket_path in regions.items():
        count, low, high = query(database, "SELECT count(*), min(sequence), max(sequence) FROM otklik_events "
                                           "WHERE region = %s", name)[0]
        assert (count, low, high) == (newest(socket_path), 1, newest(socket_path))
        (status,) = query(database, "SELECT last_sequence, source_sequence, lag_events, caught_up_at IS NOT NULL, "
                                    "last_error FROM otklik_regions WHERE region = %s", name)
        assert status == (high, high, 0, True, None)
    # The raw export leaves the decoding to the tool: each event's case and assignment are the ones the
    # daemon's decoded export names.
    from otklik_client import events_pb2
    with Client(regions["north"]) as client:
        decoded = client.call("otklik.v1.Events", "Export", events_pb2.ExportEventsRequest(limit=1000),
                              events_pb2.ExportEventsResponse).events
    stored = dict(((sequence, (case, assignment)) for sequence, case, assignment in query(
        database, "SELECT sequence, case_id, assignment_id FROM otklik_events WHERE region = 'north'")))
    assert any(event.assignment_id for event in decoded)
    assert {event.sequence: (event.case_id or None, event.assignment_id or None) for event in decoded} == {
        sequence: stored[sequence] for sequence in (event.sequence for event in decoded)}
    # Again: nothing new, nothing twice.
    again = rollup(database, regions)
    assert again.returncode == 0 and query(database, "SELECT count(*) FROM otklik_events")[0][0] == sum(
        newest(s) for s in regions.values())
    # New events in one region: only they are added.
    case = register(regions["north"], 1)
    assert rollup(database, regions).returncode == 0
    stored = query(database, "SELECT kind, case_id, details FROM otklik_events WHERE region = 'north' "
                             "ORDER BY sequence DESC LIMIT 1")[0]
    assert stored[0] == "case.registered" and stored[1] == case.id
    # At least once is exactly once: the position lost (as after a crash between a page and its
    # position), the same pages delivered again store nothing twice.
    query_count = query(database, "SELECT count(*) FROM otklik_events")[0][0]
    import psycopg
    with psycopg.connect(database) as db:
        db.execute("UPDATE otklik_regions SET last_sequence = 0")
        db.execute("DELETE FROM otklik_events WHERE region = 'south' AND sequence > 10")
    assert rollup(database, regions).returncode == 0
    assert query(database, "SELECT count(*) FROM otklik_events")[0][0] == query_count
    assert query(database, "SELECT count(DISTINCT (region, sequence)) FROM otklik_events")[0][0] == query_count


def test_personal_data_stays_in_the_region_unless_its_agreement_allows(cluster, regions):
    database = cluster.database("rollup_private")
    register(regions["north"], 2, author="Пётр Сидоров")
    assert rollup(database, regions).returncode == 0
    (details,) = query(database, "SELECT details FROM otklik_events WHERE region = 'north' AND kind = 'case.registered' "
                                 "ORDER BY sequence DESC LIMIT 1")[0]
    assert details["network"] == "vk" and details["topics"] == ["дороги"] and "at" in details
    assert not {"author", "text", "url", "external_id"} & set(details)
    # Nowhere in the database: not the name, not the text, not the staff's full names.
    dump = json.dumps(query(database, "SELECT details, facts FROM otklik_events"), ensure_ascii=False)
    assert '"clocks"' in dump  # the report facts went, and with them no name or text either
    assert "Сидоров" not in dump and "Яма во дворе" not in dump and "Петрова" not in dump
    allowed = cluster.database("rollup_allowed")
    assert rollup(allowed, {"north": regions["north"]}, "--include", "author").returncode == 0
    assert "Пётр Сидоров" in json.dumps(query(allowed, "SELECT details FROM otklik_events"), ensure_ascii=False)


def test_what_the_tool_does_not_keep_never_leaves_the_daemon(regions):
    # What crosses the link to the centre: a page as the tool asks for it holds no author, text or URL,
    # at any depth, and still names each step's assignment; a key the tool keeps that an event nests
    # (the routed assignments' units) comes whole.
    sys.path.insert(0, os.path.dirname(ROLLUP))
    import otklik_rollup
    from otklik_client import events_pb2, words
    register(regions["north"], 3, author="Пётр Сидоров")
    with Client(regions["north"], metadata=CURATOR) as curator:
        request = events_pb2.ExportEventsRequest(raw=True, facts=True, keep=sorted(otklik_rollup.KEPT))
        page = curator.call("otklik.v1.Events", "Export", request, events_pb2.ExportEventsResponse)
        whole = curator.call("otklik.v1.Events", "Export", events_pb2.ExportEventsRequest(raw=True),
                             events_pb2.ExportEventsResponse)
        typed = curator.call("otklik.v1.Events", "Export", events_pb2.ExportEventsRequest(keep=sorted(otklik_rollup.KEPT)),
                             events_pb2.ExportEventsResponse)
    assert page.kept and not whole.kept and len(page.events) == len(whole.events) > 10
    sent = "".join(event.details for event in page.events)
    assert "Сидоров" not in sent and "Яма во дворе" not in sent and "vk.com" not in sent
    assert "Сидоров" in "".join(event.details for event in whole.events)
    for kept, event in zip(page.events, whole.events):
        details = json.loads(kept.details)
        assert set(details) <= otklik_rollup.KEPT and details.get("at") == json.loads(event.details).get("at")
        if isinstance(details.get("assignment"), int):
            assert kept.assignment_id == f"{kept.case_id}/{details['assignment']}"
    # Nor does it go typed: the payload is read from what is kept.
    assert "Сидоров" not in str(typed) and "Яма во дворе" not in str(typed) and "vk.com" not in str(typed)
    assert any(event.step.network == "vk" for event in typed.events)
    routed = [json.loads(event.details) for event in page.events if event.kind == words.event_kind("case.routed")]
    assert routed and all(set(unit) == {"executor", "index", "topics"} for step in routed for unit in step["assignments"])


def test_more_keys_than_a_daemon_takes_are_refused_before_any_region_is_asked():
    for keys in (",".join(f"key{n}" for n in range(100)), "author,te\x01xt"):
        done = rollup("postgresql://nobody@127.0.0.1:1/none", {"north": "/nonexistent.sock"}, "--include", keys)
        assert done.returncode == 2 and "--include: at most" in done.stderr, done.stderr


def test_following_the_logs_a_region_down_holds_no_other_back(cluster, regions, tmp_path):
    database = cluster.database("rollup_follow")
    gone = str(tmp_path / "nothing.sock")
    follower = subprocess.Popen(
        [sys.executable, ROLLUP, "--database", database, "--region", f"north={regions['north']}",
         "--region", f"gone={gone}", "--interval", "0.2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**os.environ, "LANG": "C.UTF-8"})
    try:
        case = register(regions["north"], 3)
        deadline = time.time() + 30
        import psycopg
        while time.time() < deadline:
            try:
                if query(database, "SELECT count(*) FROM otklik_events WHERE case_id = %s", case.id)[0][0]:
                    break
            except psycopg.errors.UndefinedTable:
                pass  # the follower has not made its tables yet
            time.sleep(0.2)
        assert query(database, "SELECT count(*) FROM otklik_events WHERE case_id = %s", case.id)[0][0] == 1
        (north,) = query(database, "SELECT lag_events, last_error FROM otklik_regions WHERE region = 'north'")
        assert north == (0, None)
        (down,) = query(database, "SELECT last_sequence, last_error FROM otklik_regions WHERE region = 'gone'")
        assert down[0] == 0 and "no daemon answers" in down[1]
    finally:
        follower.terminate()
        follower.wait(timeout=30)


@pytest.fixture(scope="module")
def varied_region(tmp_path_factory):
    """A region whose 2,000 cases, detected June to November 2026 (and 200 a year before), took every road
    the workflow has (report-bench's `varied`: reroutes, pauses, returns, waivers, rejections, withdrawals,
    reopenings, repeats, incidents), served by its own daemon."""
    bin_dir = os.path.dirname(os.environ["OTKLIKD"])
    base = tmp_path_factory.mktemp("varied")
    os.chmod(base, 0o700)
    data = base / "data"
    data.mkdir(mode=0o700)
    resources = os.path.join(ROOT, "Sources", "OtklikServer", "Resources")
    subprocess.run([os.path.join(bin_dir, "report-bench"), str(data), os.path.join(resources, "production-calendar-ru.json"),
                    os.path.join(resources, "profile-borovichi-34-rg.json"), "varied", "2000"],
                   check=True, capture_output=True, timeout=300,
                   preexec_fn=lambda: os.umask(0o077))  # the daemon refuses a database others can read
    run = base / "run"
    run.mkdir(mode=0o750)
    socket_path = str(run / "otklik.sock")
    daemon = subprocess.Popen([os.environ["OTKLIKD"], "--socket", socket_path, "--data", str(data),
                               "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not os.path.exists(socket_path):
            assert daemon.poll() is None and time.time() < deadline, "otklikd did not start on the varied region"
            time.sleep(0.05)
        newest(socket_path)
        yield socket_path
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)


def figures_in_sql(database, region, date_from, date_to):
    """The views' figures for `region` and [date_from, date_to) in the shape of the report's JSON."""
    bounds = (datetime.datetime.fromisoformat(date_from + "T00:00:00+03:00"),
              datetime.datetime.fromisoformat(date_to + "T00:00:00+03:00"))
    clocks = {(clock, party): [ran, on_time, late, overdue, still_open, None, None] for _, clock, party, ran, on_time, late,
              overdue, still_open in query(database, "SELECT * FROM otklik_timeliness(%s, %s)", *bounds) if _ == region}
    for _, clock, party, _late, median, worst in query(database, "SELECT * FROM otklik_lateness(%s, %s)", *bounds):
        if _ == region:
            clocks[(clock, party)][5:] = [median, worst]
    units = {unit: [on_time, counted, place] for _, unit, on_time, counted, _percent, place in
             query(database, "SELECT * FROM otklik_units_on_time(%s, %s)", *bounds) if _ == region}
    dynamics = {}
    for _, dimension, key, messages in query(database, "SELECT * FROM otklik_dynamics(%s, %s)", *bounds):
        if _ == region:
            dynamics.setdefault(dimension, {})[key] = messages
    quality = {}
    for _, figure, key, count, of in query(database, "SELECT * FROM otklik_quality(%s, %s)", *bounds):
        if _ != region:
            continue
        value = count if of is None else {"count": count, "of": of}
        if key is None:
            quality[figure] = value
        else:
            quality.setdefault(figure, {})[key] = value
    return clocks, units, dynamics, quality


def figures_in_report(report):
    """The same figures from the region's own monthly report (docs/REPORTS.md)."""
    timeliness = report["timeliness"]
    clocks = {(line["clock"], line["party"]): [line["ran"], line["on_time"], line["late"], line["open_overdue"], line["open"],
                                               line.get("median_late_minutes"), line.get("worst_late_minutes")]
              for line in timeliness["clocks"]}
    units = {line["unit"]: [line["on_time"]["count"], line["on_time"]["of"], line["rank"]] for line in timeliness["units"]}
    dynamics = compared_in_report(report, "this")
    quality = dict(report["quality"])
    quality["first_replies"] = timeliness["first_replies"]
    quality["average_minutes_to_first_reply"] = timeliness["average_minutes_to_first_reply"]
    return clocks, units, dynamics, quality


DIMENSIONS = (("network", "by_network"), ("importance", "by_importance"), ("topics", "by_topic"),
              ("executors", "by_executor"), ("rejection_reason", "rejected_by_reason"))


def dynamics_in_sql(database, region, date_from, date_to, as_of):
    """otklik_dynamics for `region` over [date_from, date_to) as the cases stood at `as_of` (a date):
    {dimension: {key: messages}}."""
    bounds = [datetime.datetime.fromisoformat(day + "T00:00:00+03:00") for day in (date_from, date_to, as_of)]
    counted = {}
    for _, dimension, key, messages in query(database, "SELECT * FROM otklik_dynamics(%s, %s, %s)", *bounds):
        if _ == region:
            counted.setdefault(dimension, {})[key] = messages
    return counted


def compared_in_report(report, column):
    """The report's comparison `column` (previous_month or year_before) in dynamics_in_sql's shape."""
    dynamics = report["dynamics"]
    counted = {"messages": {"messages": dynamics["messages"][column]},
               "withdrawn": {"withdrawn": dynamics["withdrawn"][column]}}
    for dimension, name in DIMENSIONS:
        counted[dimension] = {line["key"]: line[column] for line in dynamics[name] if line[column]}
    return {dimension: keys for dimension, keys in counted.items() if any(keys.values())}


def compared_periods(date_from, date_to, month):
    """The periods the report compares with (docs/REPORTS.md): the previous month (a range: as long, just
    before it), the same period a year before, and the twelve months ending with the period's last."""
    first, after = datetime.date.fromisoformat(date_from), datetime.date.fromisoformat(date_to)

    def months(day, n):
        index = day.year * 12 + day.month - 1 + n
        return day.replace(year=index // 12, month=index % 12 + 1)

    previous = (months(first, -1) if month else first - (after - first), first)
    year_before = (months(first, -12), months(after, -12))
    start = after.replace(day=1)
    series = [(months(start, k - 12), months(start, k - 11)) for k in range(12)]
    return previous, year_before, series


def test_the_views_count_what_the_regions_own_monthly_report_counts(cluster, varied_region, regions):
    database = cluster.database("rollup_views")
    both = {"varied": varied_region, **regions}
    result = rollup(database, both)
    assert result.returncode == 0, result.stderr
    # Every step on a case carries its facts; only what is no step does not (the clocks' notices; a file's
    # upload, whose subject is its digest).
    unfacted = query(database, "SELECT DISTINCT kind FROM otklik_events WHERE case_id IS NOT NULL AND facts IS NULL")
    assert {kind for (kind,) in unfacted} <= {"clock.warning", "clock.breached", "clock.at_risk", "attachment.uploaded",
                                              "attachment.removed"}, unfacted
    periods = [(f"2026-{month:02d}-01", f"2026-{month + 1:02d}-01" if month < 12 else "2027-01-01", f"2026-{month:02d}")
               for month in range(6, 12)] + [("2026-07-15", "2026-09-10", None)]
    checked = {"clock lines": 0, "late or overdue": 0, "lateness": 0, "previous": 0, "year before": 0, "as of": 0,
               "paused past due": 0, "stopped past due": 0}
    with Client(varied_region, timeout=120) as client:
        for date_from, date_to, month in periods:
            report = (client.monthly_summary(month=month) if month
                      else client.monthly_summary(date_from=date_from, date_to=date_to))
            clocks, units, dynamics, quality = figures_in_sql(database, "varied", date_from, date_to)
            expected_clocks, expected_units, expected_dynamics, expected_quality = figures_in_report(report)
            where = f"{date_from}..{date_to}"
            assert clocks == expected_clocks, where
            assert units == expected_units, where
            assert dynamics == expected_dynamics, where
            for figure, value in expected_quality.items():
                if value is None:
                    assert figure not in quality, (where, figure)
                    continue
                empty = 0 if isinstance(value, int) else {"count": 0, "of": 0} if set(value) == {"count", "of"} else {}
                assert quality.get(figure, empty) == value, (where, figure, quality.get(figure))
            # The comparison columns: the same function over the compared periods, as of this one's end.
            previous, year_before, series = compared_periods(date_from, date_to, month)
            for column, (start, end) in (("previous_month", previous), ("year_before", year_before)):
                compared = dynamics_in_sql(database, "varied", start.isoformat(), end.isoformat(), date_to)
                assert compared == compared_in_report(report, column), (where, column)
                # As of this period's end, not the compared one's: a later reroute or withdrawal counts.
                checked["as of"] += compared != dynamics_in_sql(database, "varied", start.isoformat(), end.isoformat(),
                                                                end.isoformat())
            monthly = [dynamics_in_sql(database, "varied", start.isoformat(), end.isoformat(), date_to)
                       for start, end in series]
            assert [{"month": start.isoformat()[:7], "messages": counted.get("messages", {}).get("messages", 0)}
                    for (start, _), counted in zip(series, monthly)] == report["dynamics"]["series"], where
            checked["clock lines"] += len(clocks)
            checked["late or overdue"] += sum(line[2] + line[3] for line in clocks.values())
            checked["lateness"] += sum(line[5] is not None for line in clocks.values())
            # Among the clocks these lines count: some paused past due, some stopped past due.
            bounds = [datetime.datetime.fromisoformat(day + "T00:00:00+03:00") for day in (date_from, date_to)]
            [(paused, stopped)] = query(
                database, "SELECT count(*) FILTER (WHERE k.paused AND k.due <= (c.facts->>'at')::bigint), "
                          "count(*) FILTER (WHERE k.stopped IS NOT NULL AND k.met IS NULL) "
                          "FROM otklik_cases_active(%s, %s) c, jsonb_to_recordset(c.facts->'clocks') "
                          "AS k(paused boolean, due bigint, stopped bigint, met bigint, started bigint) "
                          "WHERE c.region = 'varied' AND NOT (c.facts->>'withdrawn')::boolean "
                          "AND k.started >= extract(epoch FROM %s) AND k.started < extract(epoch FROM %s)",
                *bounds, *bounds)
            checked["paused past due"] += paused
            checked["stopped past due"] += stopped
            checked["previous"] += report["dynamics"]["messages"]["previous_month"]
            checked["year before"] += report["dynamics"]["messages"]["year_before"]
    # The region took the roads that make the figures hard: late and overdue clocks, clocks paused past due,
    # clocks stopped past due; the compared periods had messages, counted otherwise as of their own end.
    assert checked["clock lines"] > 50 and checked["late or overdue"] > 20 and checked["lateness"] > 20, checked
    assert checked["paused past due"] > 0 and checked["stopped past due"] > 0, checked
    assert checked["previous"] > 100 and checked["year before"] > 10 and checked["as of"] > 0, checked
    # Every schedule the region's clocks count in was read, with the working time the region counts.
    schedules = {name for (name,) in query(database, "SELECT schedule FROM otklik_schedules WHERE region = 'varied'")}
    used = {name for (name,) in query(database, "SELECT DISTINCT k.schedule FROM otklik_events e, "
                                                "jsonb_to_recordset(e.facts->'clocks') AS k(schedule text) "
                                                "WHERE e.region = 'varied'")}
    assert used and used <= schedules, (used, schedules)
    with Client(varied_region) as client:
        for name in sorted(used):
            for start, end in (("2026-11-02T09:30:00+03:00", "2026-11-09T17:10:00+03:00"),
                               ("2026-12-31T12:00:00+03:00", "2027-01-12T12:00:00+03:00")):
                start, end = (int(datetime.datetime.fromisoformat(x).timestamp()) for x in (start, end))
                between = client.call("otklik.v1.Calendar", "WorkingTimeBetween",
                                      calendar_pb2.WorkingTimeBetweenRequest(from_unix=start, to_unix=end, schedule=name),
                                      calendar_pb2.WorkingTimeBetweenResponse)
                [(worked,)] = query(database, "SELECT otklik_worked('varied', %s, %s) - otklik_worked('varied', %s, %s)",
                                    name, end, name, start)
                assert worked == between.working_seconds, (name, start, end)
            # At an interval's start, inside it, at its end; before the first; after the last.
            [(start, end, before, first, total)] = query(
                database, "SELECT w.start_at, w.end_at, w.worked_before, s.span_from, "
                          "(SELECT max(worked_before + end_at - start_at) FROM otklik_working_time "
                          " WHERE region = 'varied' AND schedule = %s) "
                          "FROM otklik_working_time w JOIN otklik_schedules s USING (region, schedule) "
                          "WHERE w.region = 'varied' AND w.schedule = %s AND w.start_at > 1780000000 "
                          "ORDER BY w.start_at LIMIT 1", name, name)
            points = {start: before, start + 1: before + 1, end: before + end - start, end + 1: before + end - start,
                      first: 0, first - 86400: 0, 2**40: total}
            for at, expected in points.items():
                assert query(database, "SELECT otklik_worked('varied', %s, %s)", name, at) == [(expected,)], (name, at)
    # Every region has its own rows; one region's figures are not another's.
    regions_seen = {row[0] for row in query(database, "SELECT * FROM otklik_dynamics('2026-06-01', '2027-01-01')")}
    assert regions_seen == {"varied", "north", "south"}


@pytest.mark.parametrize("older", ["no facts", "no keep"])
def test_a_region_whose_daemon_is_older_than_the_tool_is_refused_with_its_reason_and_nothing_hangs(older):
    # A daemon older than the tool answers Export without facts (storing its events would leave that
    # region's figures silently empty) or without applying `keep` (it would send personal data here).
    # The page is refused, the reason reaches the caller (and so the region's last_error), and the
    # tool's threads end.
    import contextlib
    import threading
    sys.path.insert(0, os.path.dirname(ROLLUP))
    import otklik_rollup
    from otklik_client import events_pb2, words

    class OlderDaemon:
        def __init__(self):
            self.calls = 0
            self.sent = 0

        def call(self, _service, _method, request, *_arguments, **_options):
            # An older daemon ignores `keep`, so a page after the newest event is empty and says nothing kept.
            self.calls += 1
            page = events_pb2.ExportEventsResponse(last_sequence=50, kept=older != "no keep")
            if request.from_sequence >= 50:
                return page
            page.events.add(sequence=self.calls, kind=words.event_kind("case.registered"), case_id=f"2026-{self.calls:06d}",
                            time="2026-12-01T10:00:00+03:00", actor="curator.petrova",
                            details='{"network":"vk","author":"Пётр Сидоров"}',
                            facts="" if older == "no facts" else '{"at":1}')
            self.sent += 1
            return page

    daemon = OlderDaemon()

    region = otklik_rollup.Region("older", None, None, otklik_rollup.KEPT)
    outcome = []

    def read_all():
        try:
            with contextlib.closing(region.pages(daemon, 0, threading.Event())) as pages:
                for _ in pages:
                    outcome.append("page")
        except otklik_rollup.RegionRefused as error:
            outcome.append(str(error))

    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()
    reader.join(30)
    assert not reader.is_alive(), "the roll-up's page reader hung"
    said = ("report facts", "сведения для сводки") if older == "no facts" else ("personal data", "персональные данные")
    assert len(outcome) == 1 and any(words in outcome[0] for words in said), outcome
    if older == "no keep":
        assert daemon.sent == 0, "a daemon that does not apply keep was asked for events"
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("rollup-older")]


def test_a_regions_working_schedules_are_read_again_when_they_change_there(cluster, regions):
    # The lateness is counted in the region's working intervals; an administrator there shortens Friday:
    # the next pass reads the schedule again (its version moved), and the working time here is the new one.
    database = cluster.database("rollup_schedules")
    friday = (datetime.datetime(2026, 11, 27, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=3))),
              datetime.datetime(2026, 11, 28, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=3))))

    def worked_here():
        [(worked,)] = query(database, "SELECT otklik_worked('north', 'executor', %s) - otklik_worked('north', 'executor', %s)",
                            int(friday[1].timestamp()), int(friday[0].timestamp()))
        return worked

    assert rollup(database, {"north": regions["north"]}).returncode == 0
    with Client(regions["north"]) as admin:
        before = worked_here()
        assert before == admin.working_time_between(*friday, schedule="executor").working_seconds > 0
        schedule = admin.get_schedule("executor")
        for day in schedule.week:
            if day.weekday == 5:
                del day.intervals[1:]
        changed = admin.put_schedule(schedule, expected_version=schedule.version)
        shortened = admin.working_time_between(*friday, schedule="executor").working_seconds
    assert rollup(database, {"north": regions["north"]}).returncode == 0
    assert query(database, "SELECT version, schedules_error FROM otklik_regions JOIN otklik_schedules USING (region) "
                           "WHERE region = 'north' AND schedule = 'executor'") == [(changed.version, None)]
    assert worked_here() == shortened < before


def test_a_region_whose_schedules_cannot_be_read_says_why_and_its_events_go_on(cluster):
    # A daemon older than Calendar/ListWorkingIntervals: the region's row says so, in the reader's language,
    # and nothing else stops (the events are read after it).
    sys.path.insert(0, os.path.dirname(ROLLUP))
    import otklik_rollup
    from otklik_client import RPCError

    from otklik_client import events_pb2

    class NoIntervals:
        listed = 0

        def call(self, _service, method, _request, *_arguments, **_options):
            if method == "ListSchedules":
                self.listed += 1
                return calendar_pb2.ListSchedulesResponse(
                    schedules=[calendar_pb2.ScheduleView(name="executor", version=3, time_zone="Europe/Moscow")])
            if method == "Export":
                return events_pb2.ExportEventsResponse(last_sequence=0, kept=True)
            raise RPCError(12, f"unknown method {method}")

    database = cluster.database("rollup_no_intervals")
    db = otklik_rollup.connect(database)
    daemon = NoIntervals()
    region = otklik_rollup.Region("older", None, database, otklik_rollup.KEPT)
    try:
        assert region.catch_up(db, daemon) == 0          # the events' pass ends as usual
        region.catch_up(db, daemon)                       # the schedules wait for their pause
    finally:
        db.close()
    [(error, caught_up, schedules)] = query(
        database, "SELECT schedules_error, caught_up_at IS NOT NULL, (SELECT count(*) FROM otklik_schedules) "
                  "FROM otklik_regions WHERE region = 'older'")
    assert ("update otklik" in error or "обновите там otklik" in error) and schedules == 0, error
    assert caught_up and daemon.listed == 1
