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
from otklik_client import Client  # noqa: E402
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
    dump = json.dumps(query(database, "SELECT details FROM otklik_events"), ensure_ascii=False)
    assert "Сидоров" not in dump and "Яма во дворе" not in dump and "Петрова" not in dump
    allowed = cluster.database("rollup_allowed")
    assert rollup(allowed, {"north": regions["north"]}, "--include", "author").returncode == 0
    assert "Пётр Сидоров" in json.dumps(query(allowed, "SELECT details FROM otklik_events"), ensure_ascii=False)


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
