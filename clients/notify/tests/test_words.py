"""What a person reads in the helper's notifications and messages: under a Russian locale nothing
English or coded (issue 26, item 8). Clocks and networks are named as the otklik CLI names them (the
client's `words.spoken` and `words.network_name`, one table), a warning's "15m" reads "15 мин", units
by their titles, counts agree with their nouns and lists read "А, Б и В"."""
import os
import subprocess
import sys

import pytest

from test_notify import (HELPER, fake_notify_send, watch_event, no_helper_outlives_its_test, office, route_a_case, run_helper,  # noqa: F401
                         wait_for_lines, wait_until_started)

sys.path.insert(0, os.path.dirname(HELPER))

import otklik_notify  # noqa: E402
from google.protobuf import any_pb2  # noqa: E402
from otklik_client import (Client, RPCError, StatusCode, cases_pb2, directory_pb2, errors_pb2, events_pb2,  # noqa: E402
                           words)

DUE = "2026-03-02T15:30:00+03:00"


@pytest.fixture
def say():
    """say(russian) -> the helper module speaking that language (its RUSSIAN, restored after the test)."""
    saved = otklik_notify.RUSSIAN

    def speak(russian):
        otklik_notify.RUSSIAN = russian
        return otklik_notify
    yield speak
    otklik_notify.RUSSIAN = saved


def event(kind, details, case_id="2026-000001", assignment_id="2026-000001/1"):
    return watch_event(kind, details, case_id=case_id, assignment_id=assignment_id)


def test_a_clock_is_named_as_the_cli_names_it_in_both_languages(say):
    assert not hasattr(otklik_notify, "CLOCKS_RU")  # one table: the client's, from the CLI's catalogue
    for number in words.ClockKind.values():
        if not number:
            continue
        clock = words.word(words.ClockKind, number)
        for russian, due_soon, breached in ((True, "Скоро срок: ", "Срок нарушен: "), (False, "Due soon: ", "Term breached: ")):
            helper = say(russian)
            spoken = words.spoken(words.ClockKind, number, russian=russian)
            title, _, _ = helper.message(event("clock.warning", {"clock": clock, "point": "50%", "due_at": DUE}))
            assert title == due_soon + spoken
            title, _, urgency = helper.message(event("clock.breached", {"clock": clock, "due_at": DUE}))
            assert title == breached + spoken and urgency == "critical"
    assert say(True).message(event("clock.warning", {"clock": "final_draft", "point": "80%", "due_at": DUE}))[0] == \
        "Скоро срок: проект окончательного ответа"
    assert say(True).message(event("clock.breached", {"clock": "route", "due_at": DUE}))[0] == "Срок нарушен: направление исполнителю"
    assert say(False).message(event("clock.warning", {"clock": "publish", "point": "50%", "due_at": DUE}))[0] == "Due soon: publication"
    assert say(False).message(event("clock.breached", {"clock": "final_draft", "due_at": DUE}))[0] == "Term breached: final draft"


def test_a_warning_point_in_minutes_reads_as_minutes_and_a_share_as_it_is(say):
    _, body, _ = say(True).message(event("clock.warning", {"clock": "draft", "point": "15m", "due_at": DUE}))
    assert body.endswith("Срок 02.03 15:30 (осталось 15 мин).") and "15m" not in body, body
    _, body, _ = say(False).message(event("clock.warning", {"clock": "draft", "point": "15m", "due_at": DUE}))
    assert body.endswith("Due 02.03 15:30 (15 min left).") and "15m" not in body, body
    _, body, _ = say(True).message(event("clock.warning", {"clock": "draft", "point": "50%", "due_at": DUE}))
    assert body.endswith("Срок 02.03 15:30 (прошло 50% срока)."), body
    _, body, _ = say(False).message(event("clock.warning", {"clock": "draft", "point": "80%", "due_at": DUE}))
    assert body.endswith("Due 02.03 15:30 (80% of the term used)."), body
    assert say(True).point_words("15m") == "15 мин" and say(False).point_words("120m") == "120 min"
    assert say(True).point_words("50%") == "50%"


def test_the_post_names_its_network_as_people_call_it(say):
    def view(network):
        return cases_pb2.CaseView(id="2026-000001", network=network, author="Анна", text="Яма у школы")
    _, body, _ = say(True).message(event("draft.returned", {"comment": "нет фото"}), view("vk"))
    assert body.startswith("2026-000001/1 · ВКонтакте · Анна: «Яма у школы»"), body
    _, body, _ = say(False).message(event("draft.returned", {"comment": "no photo"}), view("tg"))
    assert body.startswith("2026-000001/1 · Telegram · Анна: «Яма у школы»"), body
    _, body, _ = say(True).message(event("draft.returned", {"comment": "нет фото"}), view("mastodon"))
    assert body.startswith("2026-000001/1 · mastodon · Анна:"), body  # a network the catalogue does not know: as registered


def test_a_reroute_names_the_unit_by_its_title_when_known(say):
    rerouted = event("assignment.rerouted", {"executor": "housing", "reason": "не тот отдел"})
    _, body, _ = say(True).message(rerouted, None, {"housing": "ЖКХ", "roads": "Дороги"})
    assert body.endswith("→ ЖКХ: не тот отдел"), body
    _, body, _ = say(True).message(rerouted)
    assert body.endswith("→ housing: не тот отдел"), body  # titles not read: the name, as before


def test_several_assignments_are_one_list_and_the_title_agrees(say):
    added = event("case.executor_added", {"assignments": [{"index": 2, "executor": "housing"}, {"index": 3, "executor": "parks"}]})
    title, body, _ = say(True).message(added)
    assert title == "Новые поручения" and body.startswith("2026-000001/2 и 2026-000001/3\n"), (title, body)
    title, body, _ = say(False).message(added)
    assert title == "New assignments" and body.startswith("2026-000001/2 and 2026-000001/3\n"), (title, body)
    three = event("case.routed", {"assignments": [{"index": n, "executor": "u"} for n in (1, 2, 3)]})
    assert say(True).message(three)[1].startswith("2026-000001/1, 2026-000001/2 и 2026-000001/3\n")
    one = event("case.routed", {"assignments": [{"index": 1, "executor": "roads"}]})
    title, body, _ = say(True).message(one)
    assert title == "Новое поручение" and body.startswith("2026-000001/1\n"), (title, body)


def test_plural_agrees_with_the_count(say):
    forms = ("дело", "дела", "дел")
    said = {n: say(True).plural(n, *forms) for n in (1, 2, 4, 5, 11, 12, 14, 20, 21, 22, 25, 101, 111, 112, 0)}
    assert said == {1: "дело", 2: "дела", 4: "дела", 5: "дел", 11: "дел", 12: "дел", 14: "дел", 20: "дел", 21: "дело",
                    22: "дела", 25: "дел", 101: "дело", 111: "дел", 112: "дел", 0: "дел"}
    assert say(True).listed(["А", "Б", "В"]) == "А, Б и В" and say(False).listed(["A", "B"]) == "A and B"
    assert say(True).listed(["А"]) == "А" and say(True).listed([]) == ""


def test_the_summary_of_missed_events_counts_them_with_agreeing_nouns_and_lists_its_cases(say):
    def missed(count, cases, breaches=0):
        return [event("clock.breached" if n < breaches else "case.routed", {}, case_id=f"2026-{n % cases + 1:06d}")
                for n in range(count)]

    title, body, urgency = say(True).summary(missed(1, 1))
    assert title == "Отклик: 1 новое событие" and body.split("\n")[0] == "дело 2026-000001" and urgency == "normal", (title, body)
    title, body, _ = say(True).summary(missed(2, 2))
    assert title == "Отклик: 2 новых события" and body.split("\n")[0] == "дела 2026-000001 и 2026-000002", (title, body)
    title, body, urgency = say(True).summary(missed(21, 7, breaches=3))
    assert title == "Отклик: 21 новое событие", title
    assert body.split("\n")[0] == ("3 просрочки; дела 2026-000001, 2026-000002, 2026-000003, 2026-000004, 2026-000005 "
                                   "и ещё 2"), body
    assert urgency == "critical"
    assert say(True).summary(missed(5, 5, breaches=1))[1].startswith("1 просрочка; дела ")
    assert say(True).summary(missed(5, 5, breaches=5))[0] == "Отклик: 5 новых событий"
    title, body, _ = say(False).summary(missed(1, 1, breaches=1))
    assert title == "Otklik: 1 new event" and body.split("\n")[0] == "1 term breached; case 2026-000001", (title, body)
    title, body, _ = say(False).summary(missed(8, 6, breaches=2))
    assert title == "Otklik: 8 new events", title
    assert body.split("\n")[0] == ("2 terms breached; cases 2026-000001, 2026-000002, 2026-000003, 2026-000004, "
                                   "2026-000005 and 1 more"), body
    assert "otklik queue" in body


def refused(code, message, reason="", **arguments):
    details = []
    if reason:
        info = errors_pb2.ErrorInfo(reason=reason, arguments=[errors_pb2.ErrorArgument(name=name, value=value)
                                                              for name, value in sorted(arguments.items())])
        details = [any_pb2.Any(type_url="type.googleapis.com/otklik.v1.ErrorInfo", value=info.SerializeToString())]
    return RPCError(code, message, details)


def test_a_refusal_reads_in_russian_and_stays_the_daemons_sentence_in_english(say):
    not_staff = refused(StatusCode.UNAUTHENTICATED, "OS user ivan is not in the staff directory", "not_in_directory", os_user="ivan")
    assert say(True).refusal(not_staff) == ("пользователь ОС ivan не найден в справочнике сотрудников (или отключён); "
                                            "попросите администратора добавить вас: `otklik staff add ЛОГИН --os-user ivan ...`")
    assert say(False).refusal(not_staff) == "OS user ivan is not in the staff directory"
    only_admin = refused(StatusCode.PERMISSION_DENIED, "only an admin may act as another login", "only_admin_acts_as")
    assert say(True).refusal(only_admin) == "действовать от имени другого сотрудника может только администратор"
    # A refusal the helper has no sentence for: what its status means, the English kept quoted, as the CLI does.
    other = refused(StatusCode.PERMISSION_DENIED, "Events/Watch is not for you", "not_permitted", login="x")
    assert say(True).refusal(other) == "нет прав (`Events/Watch is not for you`)"
    assert say(True).refusal(refused(StatusCode.INTERNAL, "")) == "сбой демона; ничего не изменено, причина — в журнале демона"


def test_an_unknown_login_is_refused_in_russian(daemon, tmp_path):
    notify_send, _ = fake_notify_send(tmp_path)
    helper = subprocess.run([sys.executable, HELPER, "--socket", daemon, "--state", str(tmp_path / "s.json"), "--notify-send", notify_send,
                             "--as", "nobody-here"], capture_output=True, text=True, timeout=20,
                            env={**os.environ, "LANG": "ru_RU.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert helper.returncode == 2
    assert helper.stderr == "otklik-notify: нет действующего сотрудника «nobody-here», от имени которого можно действовать\n", helper.stderr


def test_an_absent_daemon_is_said_in_russian_and_the_notification_is_otkliks(tmp_path):
    notify_send, log = fake_notify_send(tmp_path)
    helper = run_helper(str(tmp_path / "no-daemon.sock"), notify_send, tmp_path / "s.json", 5, env_lang="ru_RU.UTF-8",
                        env={"LC_ALL": "", "LC_MESSAGES": ""})
    try:
        line = helper.stderr.readline()
        assert line.startswith("otklik-notify: демон недоступен (`no daemon answers on "), line
        assert line.endswith("`); жду его\n"), line
        note = wait_for_lines(log, 1)[0]
        assert "--app-name=Отклик" in note and note[-2] == "Отклик", note
        assert note[-1] == "Нет связи с демоном; уведомления возобновятся, когда он вернётся."
    finally:
        helper.kill()
        helper.wait()


def test_the_helpers_help_is_russian_under_a_russian_locale():
    def help_in(lang):
        return subprocess.run([sys.executable, HELPER, "--help"], capture_output=True, text=True, timeout=20,
                              env={**os.environ, "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}).stdout
    russian = help_in("ru_RU.UTF-8")
    assert russian.startswith("использование: ") and "\nпараметры:\n" in russian, russian
    assert "показать эту справку и выйти" in russian and "--as ЛОГИН" in russian, russian
    for english in ("usage:", "options:", "show this help", "the daemon's socket", "ACT_AS", "SOCKET", "default"):
        assert english not in russian, english
    english = help_in("C.UTF-8")
    assert english.startswith("usage: ") and "\noptions:\n" in english and "show this help message and exit" in english
    assert "--as ACT_AS" in english and "watch as this login (admins only)" in english


def test_a_reroute_pop_up_names_the_new_unit_by_its_title(daemon, tmp_path):
    office(daemon)
    with Client(daemon) as admin:
        admin.call("otklik.v1.Directory", "PutUnit", directory_pb2.UnitView(name="housing", title="ЖКХ",
                   kind=words.value(words.UnitKind, "department")), directory_pb2.UnitView)
        admin.put_staff(login="housing.ex", full_name="Ж", os_user="os-housing", unit="housing", roles=["executor"], active=True)
    routed = route_a_case(daemon, 1)
    notify_send, log = fake_notify_send(tmp_path)
    state = tmp_path / "s.json"
    helper = run_helper(daemon, notify_send, state, 1, env_lang="ru_RU.UTF-8", extra=["--as", "housing.ex"],
                        env={"LC_ALL": "", "LC_MESSAGES": ""})
    wait_until_started(state)
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        curator.reroute(assignment_id=routed.assignments[0].id, expected_version=routed.version, to="housing",
                        reason="не тот отдел")
    assert helper.wait(timeout=20) == 0, helper.stderr.read()
    title, body = wait_for_lines(log, 1)[0][-2:]
    assert title == "Поручение передано", (title, body)
    assert body.endswith("→ ЖКХ: не тот отдел") and "ВКонтакте · Анна: «Яма номер 1 у школы»" in body, body


def test_the_helper_reads_an_events_facts_typed_never_by_keys_of_its_json():
    """The facts of an event come as the contract's typed `payload` (StepDetails, ClockNoticeDetails),
    the same description the daemon fills from the log's own types (issue 28, item 3)."""
    source = open(HELPER, encoding="utf-8").read()
    assert ".details" not in source and "json.loads(event" not in source
    routed = watch_event("case.routed", {"assignments": [{"index": 2, "executor": "roads"}]}, case_id="2026-000007")
    assert routed.WhichOneof("payload") == "step" and not routed.details
    title, body, _ = otklik_notify.message(routed)
    assert body.startswith("2026-000007/2"), body
