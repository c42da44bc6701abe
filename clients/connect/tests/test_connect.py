"""otklik-connect vk against a fake VK on loopback and a real otklikd (issue 29, intake): citizens'
comments become cases with their URL, author and external id; the community's own comments do not; a
restart between receiving and acknowledging loses nothing and registers nothing twice; VK's `failed`
answers are followed as documented; a token others may read, a refused token and a login without the
connector role each stop it with a sentence that never shows the token."""
import os
import time
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CONNECTOR = os.path.join(HERE, "..", "otklik_connect.py")
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

from otklik_connectors import common, vk as otklik_vk  # noqa: E402
from fake_vk import FakeVK  # noqa: E402
import offices  # noqa: E402
from otklik_client import Client, cases_pb2, connectors_pb2  # noqa: E402

GROUP = 218375
TOKEN = "vk1.a.secret-community-token-0123456789"


def office(socket_path):
    offices.office(socket_path, account=None)


def cases(socket_path):
    with Client(socket_path, metadata={"otklik-as": "cur"}) as curator:
        answer = curator.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=100), cases_pb2.ListCasesResponse)
        return sorted(answer.cases, key=lambda case: case.url)


@pytest.fixture
def vk():
    fake = FakeVK(GROUP, TOKEN)
    yield fake
    fake.close()


def intake(socket_path, vk, state_dir, login="vk.connector"):
    return otklik_vk.Intake(
        otklik_vk.VK(vk.url + "/method/", TOKEN), lambda: Client(socket_path, metadata={"otklik-as": login}),
        GROUP, str(state_dir))


def test_citizens_comments_become_cases_and_the_communitys_own_do_not(daemon, vk, tmp_path):
    office(daemon)
    vk.comment(501, 151850844, text="Когда засыплют яму у школы №3?")
    vk.comment(504, 151850845, text="[id151850844|Анна], уже третий год", thread=501)
    vk.comment(505, -GROUP, text="Ответ администрации")
    vk.comment(506, 151850844, post_id=101, text="И во дворе тоже")
    assert intake(daemon, vk, tmp_path).run(rounds=2) == 0
    registered = cases(daemon)
    assert [case.url for case in registered] == [
        f"https://vk.com/wall-{GROUP}_100?reply=501", f"https://vk.com/wall-{GROUP}_100?reply=504&thread=501",
        f"https://vk.com/wall-{GROUP}_101?reply=506"]
    assert [case.external_id for case in registered] == [f"vk:-{GROUP}_100_501", f"vk:-{GROUP}_100_504", f"vk:-{GROUP}_101_506"]
    assert [case.author for case in registered] == ["Олег Житель151850844", "Анна Житель151850845", "Олег Житель151850844"]
    assert registered[0].text == "Когда засыплют яму у школы №3?" and registered[0].network == "vk"
    # Names are asked of VK once per person, a batch's in one call; the position is kept where the
    # acknowledged batch ended.
    assert vk.count("users.get") == 1
    assert common.State(str(tmp_path), f"vk-{GROUP}").load()["ts"] == "4"


def test_a_restart_between_receiving_and_acknowledging_loses_nothing_and_registers_nothing_twice(daemon, vk, tmp_path):
    office(daemon)
    vk.comment(501, 151850844)
    vk.comment(502, 151850845)
    crashing = intake(daemon, vk, tmp_path)
    delivered = crashing.deliver

    def crash(updates, received):
        delivered(updates, received)  # the daemon has the batch ...
        raise KeyboardInterrupt       # ... and the connector dies before it saves the position

    crashing.deliver = crash
    with pytest.raises(KeyboardInterrupt):
        crashing.run(rounds=1)
    # The position kept is where the stream was when the connector first started.
    assert common.State(str(tmp_path), f"vk-{GROUP}").load()["ts"] == "0"
    vk.comment(503, 151850846)
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    assert [case.external_id for case in cases(daemon)] == [f"vk:-{GROUP}_100_{n}" for n in (501, 502, 503)]
    assert common.State(str(tmp_path), f"vk-{GROUP}").load()["ts"] == "3"


def test_vks_failed_answers_are_followed_as_documented(daemon, vk, tmp_path, capsys):
    office(daemon)
    connector = intake(daemon, vk, tmp_path)
    vk.comment(501, 151850844)
    # failed 2: the key expired; a new key, the same position: nothing is lost.
    vk.fail({"failed": 2})
    assert connector.run(rounds=2) == 0
    assert vk.count("groups.getLongPollServer") == 2
    assert [case.external_id for case in cases(daemon)] == [f"vk:-{GROUP}_100_501"]
    # failed 1: history cut; the new position is taken and the gap is said, not hidden.
    vk.comment(502, 151850845)
    vk.fail({"failed": 1, "ts": 2})
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    assert "lost events" in capsys.readouterr().err
    assert common.State(str(tmp_path), f"vk-{GROUP}").load()["ts"] == "2"
    # failed 3: information lost; a new key and a new position.
    vk.comment(503, 151850846)
    vk.fail({"failed": 3})
    assert intake(daemon, vk, tmp_path).run(rounds=2) == 0
    assert "lost events since" in capsys.readouterr().err
    assert [case.external_id for case in cases(daemon)] == [f"vk:-{GROUP}_100_501"]


def run(args, env=None):
    return subprocess.run([sys.executable, CONNECTOR, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LANG": "C.UTF-8", **(env or {})})


def test_a_token_others_may_read_a_refused_token_and_a_login_without_the_role_each_stop_it(daemon, vk, tmp_path):
    office(daemon)
    token = tmp_path / "vk.token"
    token.write_text(TOKEN + "\n")
    token.chmod(0o644)
    common = ["vk", "--group", str(GROUP), "--token-file", str(token), "--api-url", vk.url + "/method/",
              "--state-dir", str(tmp_path / "state"), "--socket", daemon]
    opened = run(common + ["--as", "vk.connector"])
    assert opened.returncode == 64 and "chmod 600" in opened.stderr and TOKEN not in opened.stderr
    russian = run(common, env={"LANG": "ru_RU.UTF-8"})
    assert russian.returncode == 64 and "доступен другим" in russian.stderr
    token.chmod(0o600)
    vk.refuse_token = True
    refused = run(common + ["--as", "vk.connector"])
    assert refused.returncode == 77 and "(5)" in refused.stderr and TOKEN not in refused.stderr + refused.stdout
    vk.refuse_token = False
    # A person's login is refused, even one that may register (the curator): the connector's
    # registrations are its own.
    curator = run(common + ["--as", "cur"])
    assert curator.returncode == 77 and "cur (roles: curator) is not a connector's login" in curator.stderr, curator.stderr
    assert cases(daemon) == []


def test_a_position_file_that_holds_none_is_not_taken_for_the_present(daemon, vk, tmp_path):
    """Starting from the stream's present would silently skip what came since: a person decides."""
    office(daemon)
    token = tmp_path / "vk.token"
    token.write_text(TOKEN)
    token.chmod(0o600)
    state = tmp_path / "state"
    state.mkdir()
    (state / f"vk-{GROUP}.json").write_text("{\"ts\": ")
    broken = run(["vk", "--group", str(GROUP), "--token-file", str(token), "--api-url", vk.url + "/method/",
                  "--state-dir", str(state), "--socket", daemon, "--as", "vk.connector"])
    assert broken.returncode == 64 and "does not hold a position" in broken.stderr, broken.stderr


def test_a_burst_is_sent_in_requests_that_fit_a_frame(daemon, vk, tmp_path, capsys):
    """1,200 comments in one poll, some of them long (one longer than a case's text may be): every one
    registered, no request over the limits; a control character in a text is no reason to refuse it; one
    the daemon refuses all the same (made so here) refuses only itself, said."""
    office(daemon)
    long = "Ямы на дороге у школы. " * 1400  # ~59 KB of UTF-8
    for n in range(1200):
        vk.comment(10_000 + n, 151850844 + n % 7, post_id=200 + n % 3,
                   text=long * 2 if n == 7 else "Яма\x01\r\nу школы" if n == 11 else long if n % 100 == 0
                   else f"Комментарий {n}")
    sizes = [len(batch) for batch in common.batches(
        [cases_pb2.RegisterMessageRequest(text=long if n % 100 == 0 else "x") for n in range(1200)])]
    assert max(sizes) <= common.BATCH_MESSAGES and sum(sizes) == 1200
    connector = intake(daemon, vk, tmp_path)
    registration = connector.registration

    def one_refused(comment, received):
        made = registration(comment, received)
        if made is not None and comment["id"] == 10_012:
            made.author = " "   # the daemon refuses it (no author: the comment's own fault): only it
        return made

    connector.registration = one_refused
    assert connector.run(rounds=1) == 0
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        answer = curator.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=1), cases_pb2.ListCasesResponse)
    assert answer.total == 1199
    said = capsys.readouterr().err
    assert f"refused https://vk.com/wall-{GROUP}_200?reply=10012" in said and "registered cut" in said
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        found = curator.call("otklik.v1.Cases", "SearchCases", cases_pb2.SearchCasesRequest(text="школы Яма", limit=1000),
                             cases_pb2.SearchCasesResponse)
    assert [hit.view.text for hit in found.hits if hit.view.external_id.endswith("_10011")] == ["Яма \nу школы"]


def test_a_comment_event_it_cannot_read_is_said_and_does_not_hold_the_stream_back(daemon, vk, tmp_path, capsys):
    office(daemon)
    vk.comment(501, 151850844)
    with vk.lock:
        vk.events.append((2, {"type": "wall_reply_new", "object": {"id": "x", "from_id": 1, "text": "без поста"},
                              "group_id": GROUP, "event_id": "e2", "v": "5.199"}))
        vk.events.append((3, {"type": "wall_reply_new", "object": None, "group_id": GROUP, "event_id": "e3", "v": "5.199"}))
    vk.comment(504, 151850845)
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    assert [case.external_id for case in cases(daemon)] == [f"vk:-{GROUP}_100_501", f"vk:-{GROUP}_100_504"]
    assert capsys.readouterr().err.count("cannot read; passed over") == 2
    assert common.State(str(tmp_path), f"vk-{GROUP}").load()["ts"] == "4"


SERVICE = "service-token-of-the-app-0123456789"


def test_a_gap_in_the_stream_is_swept_from_the_recent_posts_with_a_service_token(daemon, tmp_path, capsys):
    office(daemon)
    fake = FakeVK(GROUP, TOKEN, service_token=SERVICE)
    try:
        def connector():
            return otklik_vk.Intake(otklik_vk.VK(fake.url + "/method/", TOKEN),
                                    lambda: Client(daemon, metadata={"otklik-as": "vk.connector"}), GROUP, str(tmp_path),
                                    service=otklik_vk.VK(fake.url + "/method/", SERVICE))
        fake.comment(501, 151850844, text="Яма у школы")
        assert connector().run(rounds=1) == 0
        # The stream loses what comes next: comments under two posts, a thread longer than VK shows with
        # its root, and one written long before the gap (not the gap's).
        fake.comment(502, 151850845, text="А у нас во дворе", streamed=False)
        for n in range(12):
            fake.comment(600 + n, 151850850 + n, text=f"Ответ {n}", thread=501, streamed=False)
        fake.comment(700, 151850846, post_id=101, text="И на Ленина", streamed=False)
        fake.comment(800, 151850847, post_id=101, text="Давнее", streamed=False, date=int(time.time()) - 30 * 86400)
        fake.fail({"failed": 1, "ts": len(fake.events)})
        assert connector().run(rounds=1) == 0
        said = capsys.readouterr().err
        # 501 (streamed before, still within the gap's margin) is found again and not registered twice.
        assert "the sweep of the last 20 posts found 15 comments" in said and "14 of them taken now" in said, said
        registered = {case.external_id: case for case in cases(daemon)}
        assert len(registered) == 15 and f"vk:-{GROUP}_100_611" in registered and f"vk:-{GROUP}_101_800" not in registered
        reply = registered[f"vk:-{GROUP}_100_605"]
        assert reply.url == f"https://vk.com/wall-{GROUP}_100?reply=605&thread=501"
        assert reply.author == "Пропущенный Житель151850855"   # the names that came with the comments
        assert fake.count("users.get") == 1                     # (only the streamed comment's)
        # A second gap finds the same comments registered before: nothing twice.
        fake.fail({"failed": 3})
        assert connector().run(rounds=1) == 0
        assert "0 of them taken now" in capsys.readouterr().err and len(cases(daemon)) == 15
    finally:
        fake.close()


def test_without_a_service_token_the_gap_is_said_not_hidden(daemon, vk, tmp_path, capsys):
    office(daemon)
    vk.comment(501, 151850844)
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    vk.fail({"failed": 1, "ts": 1})
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    said = capsys.readouterr().err
    assert "lost events since" in said and "--service-token-file" in said
    # Where the curator looks too: `otklik connector list`'s last error.
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        (one,) = curator.call("otklik.v1.Connectors", "ListConnectors", connectors_pb2.ListConnectorsRequest(),
                              connectors_pb2.ListConnectorsResponse).connectors
    assert one.report.missed_since_unix > 0 and one.missed_since
    otklik = os.path.join(os.path.dirname(os.path.abspath(os.environ["OTKLIKD"])), "otklik")
    listed = subprocess.run([otklik, "connector", "list", "--socket", daemon, "--as", "cur"], capture_output=True,
                            text=True, env={**os.environ, "LANG": "ru_RU.UTF-8", "LC_ALL": "ru_RU.UTF-8"}, timeout=30)
    assert "могли не поступить: просмотрите посты сообщества" in listed.stdout, listed.stdout + listed.stderr


def test_a_refused_service_token_says_the_gap_and_lets_the_stream_go_on(daemon, tmp_path, capsys):
    office(daemon)
    fake = FakeVK(GROUP, TOKEN, service_token="another-token")
    try:
        connector = otklik_vk.Intake(otklik_vk.VK(fake.url + "/method/", TOKEN),
                                     lambda: Client(daemon, metadata={"otklik-as": "vk.connector"}), GROUP, str(tmp_path),
                                     service=otklik_vk.VK(fake.url + "/method/", SERVICE))
        fake.comment(501, 151850844)
        assert connector.run(rounds=1) == 0
        fake.fail({"failed": 1, "ts": len(fake.events)})
        fake.comment(502, 151850845)
        assert connector.run(rounds=2) == 0      # not a stop (exit 77): the community token is fine
        said = capsys.readouterr().err
        assert "sweep of the recent posts was refused (VK 27" in said and "check the service token" in said
        assert [case.external_id for case in cases(daemon)] == [f"vk:-{GROUP}_100_501", f"vk:-{GROUP}_100_502"]
    finally:
        fake.close()


def test_a_connector_killed_at_any_moment_loses_nothing_and_registers_nothing_twice(daemon, vk, tmp_path):
    """Real kills: the connector's process SIGKILLed at moments that fall before, during and after the
    daemon's acknowledgement of a batch, while comments come in; started again each time. Every comment is
    registered, none twice."""
    import random
    office(daemon)
    token = tmp_path / "vk.token"
    token.write_text(TOKEN)
    token.chmod(0o600)
    command = [sys.executable, CONNECTOR, "vk", "--group", str(GROUP), "--token-file", str(token), "--api-url",
               vk.url + "/method/", "--state-dir", str(tmp_path / "state"), "--socket", daemon, "--as", "vk.connector"]
    environment = {**os.environ, "LANG": "C.UTF-8"}
    shuffle = random.Random(29)
    written = 0
    for kill in range(10):
        for _ in range(30):
            written += 1
            vk.comment(1000 + written, 151850000 + written, text=f"Комментарий номер {written}")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
        time.sleep(shuffle.uniform(0.05, 0.8))
        process.kill()
        process.wait()
    def registered():
        with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
            return [case.external_id for case in curator.call(
                "otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=1000), cases_pb2.ListCasesResponse).cases]

    # Started for good: it catches up.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment, text=True)
    try:
        deadline = time.time() + 60
        while len(registered()) < written and time.time() < deadline:
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=30)
    taken = registered()
    assert len(taken) == written and len(set(taken)) == written
    assert set(taken) == {f"vk:-{GROUP}_100_{1000 + n}" for n in range(1, written + 1)}


def test_a_refusal_that_is_not_the_comments_own_holds_the_stream_and_is_said(daemon, vk, tmp_path, capsys):
    """The connector's clock an hour ahead of the daemon's: its comments are refused as "in the future",
    which is no fault of theirs. The position stays before them, the connector is shown as refused by the
    daemon (`connector list`, in the curator's language), and once its clock is right they come in, none
    lost. A clock a few minutes ahead is another machine's clock, not a typo: taken as now."""
    office(daemon)
    vk.comment(801, 151850844, text="Яма на Кирова", date=int(time.time()))
    ahead = intake(daemon, vk, tmp_path)
    ahead.clock = lambda: time.time() + 3600
    assert ahead.run(rounds=1) == 0
    assert cases(daemon) == []
    assert "the daemon refuses a comment for a reason not its own" in capsys.readouterr().err
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        (listed,) = curator.call("otklik.v1.Connectors", "ListConnectors", connectors_pb2.ListConnectorsRequest(),
                                 connectors_pb2.ListConnectorsResponse).connectors
    assert common.words.word(common.words.ConnectorState, listed.report.state) == "daemon_refuses"
    assert "in the future" in listed.report.last_error
    otklik = os.path.join(os.path.dirname(os.path.abspath(os.environ["OTKLIKD"])), "otklik")
    shown = subprocess.run([otklik, "connector", "list", "--socket", daemon, "--as", "cur"], capture_output=True,
                           text=True, env=dict(os.environ, LANG="ru_RU.UTF-8", LC_ALL="ru_RU.UTF-8"))
    assert "демон не принимает комментарии коннектора" in shown.stdout, shown.stdout + shown.stderr
    # A few minutes ahead: taken, as now.
    slightly = intake(daemon, vk, tmp_path)
    slightly.clock = lambda: time.time() + 120
    assert slightly.run(rounds=1) == 0
    (taken,) = cases(daemon)
    from datetime import datetime
    assert taken.text == "Яма на Кирова" and datetime.fromisoformat(taken.detected_at).timestamp() <= time.time() + 1
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        (listed,) = curator.call("otklik.v1.Connectors", "ListConnectors", connectors_pb2.ListConnectorsRequest(),
                                 connectors_pb2.ListConnectorsResponse).connectors
    assert common.words.word(common.words.ConnectorState, listed.report.state) == "ok"
