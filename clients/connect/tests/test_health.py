"""The connectors' health (issue 29): `otklik connector list` and `otklik status` say how each
connector stands, a connector whose token is refused is shown as such at once and logged once
(`connector.trouble`, which the curators' watch and notifier say), and one that stops reporting is
shown silent after 50 seconds (announced once)."""
import os
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

from fake_vk import FakeVK  # noqa: E402
from otklik_client import Client, admin_pb2, connectors_pb2, events_pb2, words  # noqa: E402
from otklik_client.testing import running_daemon  # noqa: E402
from otklik_connectors import vk as otklik_vk  # noqa: E402
from test_vk_publication import GROUP, TOKEN, hand_over, approved, office  # noqa: E402

OTKLIK = os.path.join(os.path.dirname(os.environ.get("OTKLIKD", "")), "otklik")


@pytest.fixture
def vk():
    fake = FakeVK(GROUP, TOKEN)
    yield fake
    fake.close()


@pytest.fixture
def simulated(tmp_path):
    """A real otklikd on a simulated clock (an admin moves it), started ten minutes ahead (it stands
    still: what the connector detects now is not in its future)."""
    now = datetime.fromtimestamp(time.time() + 600, timezone.utc).replace(microsecond=0).isoformat()
    with running_daemon(os.environ["OTKLIKD"], "--test-clock", now) as socket_path:
        yield socket_path


def listed(socket_path):
    with Client(socket_path, metadata={"otklik-as": "cur"}) as curator:
        return curator.call("otklik.v1.Connectors", "ListConnectors", connectors_pb2.ListConnectorsRequest(),
                            connectors_pb2.ListConnectorsResponse).connectors


def cli(socket_path, *args, lang="C.UTF-8"):
    return subprocess.run([OTKLIK, *args, "--socket", socket_path, "--as", "cur"], capture_output=True, text=True,
                          timeout=30, env={**os.environ, "LANG": lang, "LC_ALL": lang})


def test_connector_list_says_how_each_stands_and_trouble_is_logged_once(simulated, vk, tmp_path):
    office(simulated)
    view = approved(simulated, vk, tmp_path)          # one comment taken, its reply approved
    hand_over(simulated, view)
    connector = otklik_vk.Intake(otklik_vk.VK(vk.url + "/method/", TOKEN),
                                 lambda: Client(simulated, metadata={"otklik-as": "vk.connector"}), GROUP, str(tmp_path))
    assert connector.run(rounds=1) == 0
    (one,) = listed(simulated)
    assert (one.login, one.report.network, one.report.community) == ("vk.connector", "vk", f"club{GROUP}")
    assert words.word(words.ConnectorState, one.report.state) == "ok" and not one.silent
    assert one.report.taken_today == 1 and one.publications_waiting == 1 and one.publications_failed == 0
    assert one.last_poll and one.lag_seconds < 700    # (the daemon's clock stands ten minutes ahead)
    shown = cli(simulated, "connector", "list")
    assert shown.returncode == 0 and f"club{GROUP}" in shown.stdout and "reads its network" in shown.stdout
    russian = cli(simulated, "status", lang="ru_RU.UTF-8")
    assert f"ВКонтакте club{GROUP}: читает соцсеть" in russian.stdout, russian.stdout

    # The token refused: shown at once, logged once (two refusals, one event).
    vk.refuse_token = True
    assert connector.run(rounds=1) == 77
    assert otklik_vk.Intake(otklik_vk.VK(vk.url + "/method/", TOKEN),
                            lambda: Client(simulated, metadata={"otklik-as": "vk.connector"}), GROUP,
                            str(tmp_path)).run(rounds=1) == 77
    (one,) = listed(simulated)
    assert words.word(words.ConnectorState, one.report.state) == "token_refused" and "VK 5" in one.report.last_error
    with Client(simulated, metadata={"otklik-as": "cur"}) as curator:
        events = curator.call("otklik.v1.Events", "Export", events_pb2.ExportEventsRequest(limit=1000),
                              events_pb2.ExportEventsResponse).events
    trouble = [e for e in events if words.event_word(e.kind) == "connector.trouble"]
    assert len(trouble) == 1 and trouble[0].connector.community == f"club{GROUP}"
    assert words.word(words.ConnectorState, trouble[0].connector.state) == "token_refused"
    assert TOKEN not in trouble[0].details

    # No report for more than 50 seconds: silent.
    with Client(simulated) as admin:
        admin.call("otklik.v1.Admin", "AdvanceClock", admin_pb2.AdvanceClockRequest(seconds=120), admin_pb2.ClockResponse)
    (one,) = listed(simulated)
    assert one.silent
    assert "silent since" in cli(simulated, "connector", "list").stdout

    # Back: recovered, logged once.
    vk.refuse_token = False
    assert connector.run(rounds=1) == 0
    with Client(simulated, metadata={"otklik-as": "cur"}) as curator:
        events = curator.call("otklik.v1.Events", "Export", events_pb2.ExportEventsRequest(limit=1000),
                              events_pb2.ExportEventsResponse).events
    assert [words.event_word(e.kind) for e in events if e.connector.login] == ["connector.trouble", "connector.recovered"]
    assert not listed(simulated)[0].silent


def test_a_connectors_report_refuses_an_unknown_network_and_a_person_cannot_report(daemon):
    office(daemon)
    with Client(daemon, metadata={"otklik-as": "vk.connector"}) as connector:
        with pytest.raises(Exception) as refused:
            connector.call("otklik.v1.Connectors", "ReportHealth", connectors_pb2.ConnectorReport(network="ok"),
                           connectors_pb2.ReportHealthResponse)
        assert "INVALID_ARGUMENT" in repr(refused.value) or "no connector" in str(refused.value)
        with pytest.raises(Exception) as refused:   # every VK community at once
            connector.call("otklik.v1.Connectors", "ReportHealth", connectors_pb2.ConnectorReport(
                network="vk", external_prefix="vk:"), connectors_pb2.ReportHealthResponse)
        assert "external_prefix" in str(refused.value)
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        with pytest.raises(Exception):
            curator.call("otklik.v1.Connectors", "ReportHealth", connectors_pb2.ConnectorReport(network="vk"),
                         connectors_pb2.ReportHealthResponse)
    assert len(listed(daemon)) == 0


def test_one_lost_poll_is_no_trouble_and_a_run_of_them_is(daemon, tmp_path):
    office(daemon)
    from otklik_connectors import common, health as health_module
    now = [time.time()]
    health = health_module.Health(common.Daemon(lambda: Client(daemon, metadata={"otklik-as": "vk.connector"})), "vk",
                           f"club{GROUP}", f"vk:-{GROUP}_", str(tmp_path), "vk-h",
                           clock=lambda: now[0])
    health.polled()
    health.trouble("network_unreachable", "timed out")
    assert words.word(words.ConnectorState, listed(daemon)[0].report.state) == "ok"
    now[0] += 31
    health.trouble("network_unreachable", "timed out")
    (one,) = listed(daemon)
    assert words.word(words.ConnectorState, one.report.state) == "network_unreachable"
    assert one.report.last_error == "timed out"


def test_a_network_that_hangs_is_said_at_the_first_timeout_counted_from_the_last_answer(daemon, tmp_path):
    office(daemon)
    from otklik_connectors import common, health as health_module
    now = [time.time()]
    health = health_module.Health(common.Daemon(lambda: Client(daemon, metadata={"otklik-as": "vk.connector"})), "vk",
                                  f"club{GROUP}", f"vk:-{GROUP}_", str(tmp_path), "vk-hang", clock=lambda: now[0])
    health.polled()
    now[0] += 35        # the next long poll hung until its 35 s timeout
    health.trouble("network_unreachable", "timed out")
    assert words.word(words.ConnectorState, listed(daemon)[0].report.state) == "network_unreachable"


def test_a_connector_that_stops_reporting_is_announced_once_and_its_return_too(simulated, vk, tmp_path):
    office(simulated)
    connector = otklik_vk.Intake(otklik_vk.VK(vk.url + "/method/", TOKEN),
                                 lambda: Client(simulated, metadata={"otklik-as": "vk.connector"}), GROUP, str(tmp_path))
    assert connector.run(rounds=1) == 0

    def connector_events():
        with Client(simulated, metadata={"otklik-as": "cur"}) as curator:
            events = curator.call("otklik.v1.Events", "Export", events_pb2.ExportEventsRequest(limit=1000),
                                  events_pb2.ExportEventsResponse).events
        return [(words.event_word(e.kind), words.word(words.ConnectorState, e.connector.state))
                for e in events if e.connector.login]

    # Its process dies: a minute without a report.
    with Client(simulated) as admin:
        admin.call("otklik.v1.Admin", "AdvanceClock", admin_pb2.AdvanceClockRequest(seconds=60), admin_pb2.ClockResponse)
    deadline = time.time() + 20
    while not connector_events() and time.time() < deadline:
        time.sleep(0.2)
    assert connector_events() == [("connector.trouble", "silent")]
    (one,) = listed(simulated)
    assert one.silent and words.word(words.ConnectorState, one.report.state) == "silent"
    assert "молчит" in cli(simulated, "connector", "list", lang="ru_RU.UTF-8").stdout
    time.sleep(6)       # the daemon looks every 5 s: announced once
    assert connector_events() == [("connector.trouble", "silent")]
    # Started again (a new process): its first report says it is back.
    restarted = otklik_vk.Intake(otklik_vk.VK(vk.url + "/method/", TOKEN),
                                 lambda: Client(simulated, metadata={"otklik-as": "vk.connector"}), GROUP, str(tmp_path))
    assert restarted.run(rounds=1) == 0
    assert connector_events() == [("connector.trouble", "silent"), ("connector.recovered", "ok")]
    # Silence is the daemon's word, not a connector's.
    with Client(simulated, metadata={"otklik-as": "vk.connector"}) as by_connector:
        with pytest.raises(Exception) as refused:
            by_connector.call("otklik.v1.Connectors", "ReportHealth", connectors_pb2.ConnectorReport(
                network="vk", external_prefix=f"vk:-{GROUP}_", state=words.value(words.ConnectorState, "silent")),
                connectors_pb2.ReportHealthResponse)
        assert "daemon's own finding" in str(refused.value)
