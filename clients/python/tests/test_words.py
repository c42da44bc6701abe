"""The words people read (`words.spoken`, `words.network_name`): the otklik CLI's phrases, in the
language asked for or the locale's, one table for the CLI, this client and the desktop notifier."""
import re

import pytest

from otklik_client import words
from otklik_client import _spoken as table


@pytest.fixture
def locale(monkeypatch):
    """Sets the locale variables for one test: locale(LANG="ru_RU.UTF-8", LC_ALL="")."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)

    def set_locale(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
    return set_locale


def test_a_clock_reads_as_the_cli_says_it_in_both_languages():
    kind = words.ClockKind.CLOCK_KIND_FINAL_DRAFT
    assert words.spoken(words.ClockKind, kind, russian=True) == "проект окончательного ответа"
    assert words.spoken(words.ClockKind, kind, russian=False) == "final draft"
    said = {words.word(words.ClockKind, n): (words.spoken(words.ClockKind, n, russian=False),
                                             words.spoken(words.ClockKind, n, russian=True))
            for n in words.ClockKind.values() if n}
    assert said == {"route": ("routing", "направление исполнителю"), "reply": ("reply", "ответ автору"),
                    "draft": ("draft", "проект ответа"), "review": ("review", "проверка куратором"),
                    "rework": ("rework", "доработка"), "publish": ("publication", "публикация"),
                    "final_draft": ("final draft", "проект окончательного ответа")}


def test_a_word_as_event_details_carry_it_reads_the_same_as_its_number():
    assert words.spoken(words.ClockKind, "final_draft", russian=True) == "проект окончательного ответа"
    assert words.spoken(words.StepKind, "author_answer", russian=False) == "record the author's answer when it comes"
    assert words.spoken(words.CaseState, words.CaseState.CASE_STATE_ROUTED, russian=True) == "направлено исполнителям"
    assert words.spoken(words.ClockState, words.ClockState.CLOCK_STATE_BREACHED, russian=False) == "BREACHED"


def test_without_russian_the_locale_decides_as_the_cli_does(locale):
    kind = words.ClockKind.CLOCK_KIND_ROUTE
    assert words.spoken(words.ClockKind, kind) == "routing"
    locale(LANG="ru_RU.UTF-8")
    assert words.spoken(words.ClockKind, kind) == "направление исполнителю"
    assert words.network_name("vk") == "ВКонтакте"
    locale(LC_MESSAGES="C.UTF-8")  # LC_MESSAGES before LANG
    assert words.spoken(words.ClockKind, kind) == "routing"
    locale(LC_ALL="ru_RU.UTF-8")  # LC_ALL before both
    assert words.spoken(words.ClockKind, kind) == "направление исполнителю"
    locale(LC_ALL="")  # set but empty: the next one counts
    assert words.spoken(words.ClockKind, kind) == "routing"
    assert words.spoken(words.ClockKind, kind, russian=True) == "направление исполнителю"  # asked for, whatever the locale


def test_a_value_the_catalogue_does_not_know_reads_as_word_gives_it():
    assert words.spoken(words.CaseState, 99, russian=True) == "99" == words.word(words.CaseState, 99)
    assert words.spoken(words.ClockKind, 42, russian=False) == "42"
    assert words.spoken(words.ClockKind, "overtime", russian=True) == "overtime"
    # The unspecified value is "unknown", as the CLI says it, not the wire's "unspecified".
    assert words.spoken(words.ClockKind, 0, russian=True) == "неизвестно"
    assert words.spoken(words.ClockKind, 0, russian=False) == "unknown"
    # An event kind as `case history` and `watch` name it, by its number or as the log spells it.
    assert words.spoken(words.EventKind, words.EventKind.EVENT_KIND_CASE_ROUTED, russian=True) == "направлено исполнителям"
    assert words.spoken(words.EventKind, "draft.returned", russian=False) == "draft returned for rework"
    assert words.spoken(words.EventKind, "case.escalated", russian=True) == "case.escalated"


def test_a_network_is_named_by_its_short_name_in_both_languages_and_an_unknown_one_as_registered():
    assert words.network_name("vk", russian=True) == "ВКонтакте"
    assert words.network_name("vk", russian=False) == "VK"
    assert words.network_name("tg", russian=True) == "Телеграм"
    assert words.network_name("ok", russian=False) == "OK"
    assert words.network_name("mastodon", russian=True) == "mastodon"


def test_the_table_speaks_every_value_of_its_enums_and_russian_carries_no_wire_word():
    assert {"ClockKind", "ClockState", "StepKind", "CaseState"} <= set(table.SPOKEN)
    for name, phrases in table.SPOKEN.items():
        enum = getattr(words, name)
        assert {words.word(enum, n) for n in enum.values() if n} <= set(phrases), name
        for key, (english, russian) in phrases.items():
            assert english and russian, (name, key)
            assert not re.search("[A-Za-z_]", russian), (name, key, russian)
    for code, (english, russian) in table.NETWORKS.items():
        assert not re.search("[A-Za-z]", russian), (code, russian)


def test_a_refusal_reads_as_the_cli_says_it_in_both_languages(daemon):
    """`RPCError.sentence`: the catalogue's sentence (generated `_refusals.py`), its arguments spoken; a real
    refusal of a real daemon."""
    from otklik_client import Client, PermissionDenied
    with Client(daemon, metadata={"otklik-as": "nobody.here"}) as client:
        with pytest.raises(Exception) as refused:
            client.list_units()
    error = refused.value
    assert error.reason and error.sentence(russian=False) == error.message
    russian = error.sentence(russian=True)
    assert re.search("[а-я]", russian) and "{" not in russian, russian
    assert PermissionDenied is not None


def test_a_refusal_without_a_known_reason_reads_by_its_status():
    from otklik_client import RPCError
    assert RPCError(14, "no daemon answers on /x").sentence(russian=True) == "демон недоступен (no daemon answers on /x)"
    assert RPCError(14, "").sentence(russian=False) == "the daemon is unavailable"


def test_a_refusal_naming_a_call_names_the_command_that_makes_it():
    from google.protobuf import any_pb2
    from otklik_client import RPCError, errors_pb2
    info = errors_pb2.ErrorInfo(reason="not_permitted")
    for name, value in (("login", "ivanov"), ("roles", "executor"), ("method", "otklik.v1.Directory/AddAbsence"),
                        ("allowed_roles", "admin")):
        argument = info.arguments.add()
        argument.name, argument.value = name, value
    detail = any_pb2.Any(type_url="type.googleapis.com/otklik.v1.ErrorInfo", value=info.SerializeToString())
    russian = RPCError(7, "refused", [detail]).sentence(russian=True)
    assert "`otklik staff absence add`" in russian and "исполнитель" in russian and "администратор" in russian, russian
