"""The steps over plain HTTP where a browser adds nothing: what is sent is what counts, a step sent while
the daemon is away loses nothing, and a stale state file never makes the desk signal another process."""
import datetime
import json
import os
import subprocess
import sys
import urllib.parse

from conftest import CURATOR, DESK, Desk, get
from otklik_client import Client
from test_guard import session


def post(desk, jar, path, fields):
    return get(desk.base + path, {"Cookie": jar, "Origin": desk.base, "Content-Type": "application/x-www-form-urlencoded"},
               data=urllib.parse.urlencode(fields, doseq=True).encode(), method="POST")


def test_unticking_the_high_mark_on_routing_makes_the_case_normal(desks, daemon):
    desk = desks(CURATOR)
    jar, csrf = session(desk)
    with daemon.client(CURATOR) as client:
        now = client.health().now_unix
        view = client.register_message(network="vk", url="https://vk.com/wall-1_901", author="Иван", text="Нет света",
                                       detected_at=datetime.datetime.fromtimestamp(now - 60, datetime.timezone.utc),
                                       importance="high")
    assert view.importance == 2
    status, _, body = post(desk, jar, f"/case/{view.id}/route", {"csrf": csrf, "version": view.version, "executors": "roads",
                                                                   "topic-roads": "дороги"})
    assert status == 302, __import__("re").findall(r'class="banner error"[^>]*>([^<]*)', body.decode())
    with daemon.client(CURATOR) as client:
        assert client.get_case(id=view.id).importance == 1   # normal: the curator took the mark back


def test_an_absence_until_a_date_lasts_the_whole_of_that_day(desks, daemon):
    desk = desks(None)       # the administrator records absences (docs/RIGHTS.md)
    jar, csrf = session(desk)
    status, _, body = post(desk, jar, "/absences", {"csrf": csrf, "login": "roads.smirnov", "from": "14.12.2026",
                                                     "to": "18.12.2026", "deputy": "housing.kuznetsova", "reason": "отпуск"})
    assert status == 302, __import__("re").findall(r'role="alert"[^>]*>([^<]*)', body.decode())
    with daemon.client(CURATOR) as client:
        absence = [a for a in client.list_absences().absences if a.login == "roads.smirnov"][-1]
    assert absence.to.startswith("2026-12-19T00:00"), absence.to       # exclusive: through the 18th, as `--to` reads
    status, _, body = post(desk, jar, "/absences", {"csrf": csrf, "login": "roads.smirnov", "from": "14.12.2026",
                                                     "to": "завтра", "reason": "отпуск"})
    assert status == 400 and "07.12.2026 09:30" in body.decode()        # said beside "until", what was typed kept
    assert 'value="завтра"' in body.decode()


def test_a_step_sent_while_the_daemon_is_away_does_nothing_and_keeps_what_was_typed(desks, daemon):
    desk = desks(CURATOR)
    jar, csrf = session(desk)
    with daemon.client(CURATOR) as client:
        before = client.get_case(id="2026-000001").version
    daemon.stop()
    try:
        reason = "Зарегистрировано ошибочно: это реклама, а не обращение жителя"
        status, _, body = post(desk, jar, "/case/2026-000001/withdraw", {"csrf": csrf, "version": before, "reason": reason})
        page = body.decode()
        assert status == 503 and reason in page and 'action="/case/2026-000001/withdraw"' in page
        assert "ничего не сделано" in page
    finally:
        daemon.start()
    with daemon.client(CURATOR) as client:
        assert client.get_case(id="2026-000001").version == before


def test_a_stale_state_file_never_makes_the_desk_signal_another_process(daemon, tmp_path):
    bystander = subprocess.Popen(["sleep", "60"])
    runtime = tmp_path / "run"
    try:
        desk = Desk(daemon, CURATOR)              # a desk runs, then is killed without a chance to clean up
        runtime = desk.runtime
        desk.process.kill()
        desk.process.wait()
        state_dir = os.path.join(runtime, "otklik-desk")
        state = [name for name in os.listdir(state_dir) if name.endswith(".json")][0]
        with open(os.path.join(state_dir, state), "w") as file:
            json.dump({"pid": bystander.pid, "port": 1, "launch": "http://127.0.0.1:1/launch?token=x"}, file)
        environment = dict(os.environ, XDG_RUNTIME_DIR=runtime, LANG="ru_RU.UTF-8")
        # --stop finds no helper holding the lock: the bystander is not signalled.
        subprocess.run([sys.executable, DESK, "--socket", daemon.socket_path, "--as", CURATOR, "--stop"],
                       env=environment, check=True, timeout=30)
        assert bystander.poll() is None
        again = subprocess.Popen([sys.executable, DESK, "--socket", daemon.socket_path, "--as", CURATOR, "--no-browser"],
                                 env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            url = again.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:") and ":1/" not in url        # a new helper, not a hand-over
            assert bystander.poll() is None
        finally:
            again.terminate()
            again.wait(timeout=10)
        desk.log.close()
    finally:
        bystander.kill()
        bystander.wait()
        import shutil
        shutil.rmtree(runtime, ignore_errors=True)


def test_a_refusal_in_the_page_carries_no_command_line_hint():
    """The CLI's sentence without what only a terminal can do ("confirm with --allow-old", "(case show)")."""
    import types
    from google.protobuf import any_pb2
    from otklik_client import RPCError, errors_pb2
    from otklik_desk.desk import Desk

    def refusal(reason, **arguments):
        info = errors_pb2.ErrorInfo(reason=reason)
        for name, value in arguments.items():
            argument = info.arguments.add()
            argument.name, argument.value = name, value
        return RPCError(3, "refused", [any_pb2.Any(type_url="type.googleapis.com/otklik.v1.ErrorInfo",
                                                   value=info.SerializeToString())])

    desk = Desk(types.SimpleNamespace(acting=None), None, None, True)
    names = {"units": {}, "staff": {}}
    for error in (refusal("too_old", field="detected_at", days="40", max_days="30"),
                  refusal("version_conflict", case="2026-000001", current="4", expected="3"),
                  refusal("account_required", network="vk")):
        said = desk.refusal(error, names)
        assert said and "--" not in said and "`" not in said and "otklik " not in said, said


def test_the_monthly_report_is_the_clis_document_and_its_pdf_downloads(desks):
    desk = desks(CURATOR)
    jar, _ = session(desk)
    status, headers, body = get(desk.base + "/report/document", {"Cookie": jar})
    # The desk speaks Russian (its locale), and so does the CLI it runs for the document.
    assert status == 200 and headers["Content-Type"].startswith("text/html") and "<title>Сводка за " in body.decode()
    status, headers, body = get(desk.base + "/report.pdf", {"Cookie": jar})
    assert status == 200 and body.startswith(b"%PDF") and headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment;")


def test_the_curator_reads_the_quality_checks_findings_beside_the_draft(desks, daemon):
    """Issue 31: a draft that reads like a formal answer carries what the check found to the case page."""
    desk = desks(CURATOR)
    jar, _ = session(desk)
    with daemon.client(CURATOR) as curator, daemon.client("roads.smirnov") as executor:
        now = curator.health().now_unix
        view = curator.register_message(network="vk", url="https://vk.com/wall-1_902", author="Пётр",
                                        text="На улице Мира у дома 4 яма, машины бьют колёса",
                                        detected_at=datetime.datetime.fromtimestamp(now - 60, datetime.timezone.utc))
        view = curator.route(case_id=view.id, expected_version=view.version, executors=["roads"],
                             topics=[{"unit": "roads", "topic": "дороги"}])
        executor.submit_draft(assignment_id=view.assignments[0].id, expected_version=view.version, kind="final",
                              text="Информация о яме на улице Мира принята к сведению.")
    status, _, body = get(desk.base + f"/case/{view.id}", {"Cookie": jar})
    page = body.decode()
    assert status == 200
    assert "похож на формальный ответ" in page
    assert "шаблонные фразы без даты и мер: «принята к сведению»" in page
    assert "нет ни даты, ни срока, ни принятых мер" in page


def test_a_case_of_an_incident_says_its_draft_is_the_incidents(desks, daemon):
    """Issue 31: the case page of a case in an incident names it and says that its draft steps take every
    case of the incident waiting for the same unit; the draft written here arrives on the other case."""
    desk = desks(CURATOR)
    jar, _ = session(desk)
    with daemon.client(CURATOR) as curator, daemon.client("housing.kuznetsova") as executor:
        now = curator.health().now_unix
        ids = []
        for n, author in ((1, "Анна Белова"), (2, "Иван Орлов")):
            view = curator.register_message(network="vk", url=f"https://vk.com/wall-1_93{n}", author=author,
                                            text="В доме 3 по Садовой нет отопления",
                                            detected_at=datetime.datetime.fromtimestamp(now - 60, datetime.timezone.utc))
            ids.append(view.id)
        incident = curator.create_incident(title="Нет отопления на Садовой", topics=["ЖКХ"], case_ids=ids)
        curator.route_incident(incident_id=incident.id, executors=["housing"])
        view = curator.get_case(id=ids[0])
        submitted = executor.submit_draft(assignment_id=view.assignments[0].id, expected_version=view.version,
                                          kind="final", text="{автор}, отопление в доме 3 включат 4 декабря до 12:00.")
        assert list(submitted.also_on) == [ids[1]]
        other = curator.get_case(id=ids[1])
        assert other.assignments[0].drafts[-1].text == "Иван Орлов, отопление в доме 3 включат 4 декабря до 12:00."
    status, _, body = get(desk.base + f"/case/{ids[1]}", {"Cookie": jar})
    page = body.decode()
    assert status == 200
    assert f"В инциденте {incident.id} «Нет отопления на Садовой»" in page
    assert "заменяется автором каждого дела" in page


def test_the_board_and_the_case_say_which_assignment_nobody_can_act_on_before_its_due(desks, daemon):
    """Issue 31: the only executor of roads away until after the due, the deputy away too: the case page
    and the board say so in words, with the units that could meet the due."""
    desk = desks(CURATOR)
    jar, _ = session(desk)
    absences = []
    with Client(daemon.socket_path) as admin, daemon.client(CURATOR) as curator:
        now = curator.health().now_unix
        start = datetime.datetime.fromtimestamp(now - 86400, datetime.timezone.utc)
        until = datetime.datetime.fromtimestamp(now + 40 * 86400, datetime.timezone.utc)
        for login, deputy in (("roads.smirnov", "housing.kuznetsova"), ("housing.kuznetsova", "transport.volkov")):
            absences.append(admin.add_absence(login=login, from_=start, to=until, deputy=deputy, reason="отпуск").id)
        view = curator.register_message(network="vk", url="https://vk.com/wall-1_903", author="Анна",
                                        text="Не убран снег у школы на Мира",
                                        detected_at=datetime.datetime.fromtimestamp(now - 60, datetime.timezone.utc))
        view = curator.route(case_id=view.id, expected_version=view.version, executors=["roads"],
                             topics=[{"unit": "roads", "topic": "дороги"}])
    try:
        check_pages(desk, jar, view)
    finally:
        with Client(daemon.socket_path) as admin:
            for number in absences:
                admin.remove_absence(id=number, reason="конец теста")


def check_pages(desk, jar, view):
    status, _, body = get(desk.base + f"/case/{view.id}", {"Cookie": jar})
    page = body.decode()
    assert status == 200
    assert "Срок, скорее всего, будет нарушен" in page
    assert "в подразделении «Отдел дорожного хозяйства» до " in page and "никого нет; срок — " in page
    assert "Успели бы: " in page and "Отдел транспорта и связи" in page
    status, _, body = get(desk.base + "/board", {"Cookie": jar})
    page = body.decode()
    assert status == 200
    assert f'href="/case/{view.id}"' in page and "никого нет" in page
