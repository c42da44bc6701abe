"""otklik-connect telegram, publication (issue 29) against a fake Bot API and a real otklikd: an
approved reply the curator hands to the connector is sent by the bot as a reply to the citizen's comment
(`reply_parameters`), recorded with its URL; 429 waits `retry_after`; a reply whose answer was lost is
never sent twice (the Bot API has no key for that) but recorded as uncertain for the curator."""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

import pytest  # noqa: E402

from fake_telegram import FakeTelegram, person  # noqa: E402
import offices  # noqa: E402
from otklik_client import Client, cases_pb2, words  # noqa: E402
from otklik_connectors import telegram as otklik_telegram  # noqa: E402

CHANNEL = "borovichi_adm"
CHAT = -1001234567890
TOKEN = "7000000001:AAF-secret-bot-token_0123456789abcdef"
ANNA = person(151850844, "Анна", "Соколова")


def office(socket_path):
    offices.office(socket_path, connector="tg.connector",
                   account=("tg", "@otklik_borovichi_bot", "https://t.me/otklik_borovichi_bot"))


@pytest.fixture
def tg():
    fake = FakeTelegram(TOKEN, channel=CHANNEL, chat=CHAT)
    yield fake
    fake.close()


def as_(socket_path, login):
    return Client(socket_path, metadata={"otklik-as": login})


def approved(socket_path, tg, tmp_path, post_id=100):
    """A citizen's comment taken by the connector, routed, its reply approved, handed to the connector."""
    post = tg.post(post_id)
    number = tg.comment(ANNA, post, text="Когда починят дорогу?")
    assert otklik_telegram.Intake(otklik_telegram.Telegram(tg.url, TOKEN), lambda: as_(socket_path, "tg.connector"),
                                  CHANNEL, CHAT, str(tmp_path), wait=0).run(rounds=1) == 0
    with as_(socket_path, "cur") as curator:
        found = curator.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=100), cases_pb2.ListCasesResponse)
        view = next(c for c in found.cases if c.external_id == f"tg:{CHAT}/{number}")
    view = offices.approve(socket_path, view, "Дорогу отремонтируют в мае.")
    with as_(socket_path, "cur") as curator:
        view = curator.call("otklik.v1.Replies", "RequestPublication", cases_pb2.RequestPublicationRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version, network="tg"), cases_pb2.CaseView)
    return view, number


def publisher(socket_path, tg, tmp_path, clock=None):
    made = otklik_telegram.Publisher(otklik_telegram.Telegram(tg.url, TOKEN), lambda: as_(socket_path, "tg.connector"),
                                     CHAT, str(tmp_path), interval=0.01)
    if clock:
        made.clock = clock
    return made


def get(socket_path, case_id):
    with as_(socket_path, "cur") as curator:
        return curator.call("otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id=case_id), cases_pb2.CaseView)


def test_the_bot_replies_to_the_citizens_comment_and_the_url_is_recorded(daemon, tg, tmp_path):
    office(daemon)
    view, number = approved(daemon, tg, tmp_path)
    assert publisher(daemon, tg, tmp_path).round() == 1
    (sent,) = tg.sent()
    assert sent["reply_to_message"]["message_id"] == number and sent["text"] == "Дорогу отремонтируют в мае."
    (method, params), = [call for call in tg.calls if call[0] == "sendMessage"]
    assert params["reply_parameters"] == {"message_id": number} and "message_thread_id" not in params
    reply = get(daemon, view.id).assignments[0].replies[0]
    assert reply.url == f"https://t.me/{CHANNEL}/100?comment={sent['message_id']}"
    assert reply.account == "@otklik_borovichi_bot"
    assert publisher(daemon, tg, tmp_path).round() == 0 and len(tg.sent()) == 1


def test_429_waits_retry_after_and_a_lost_answer_is_never_sent_twice(daemon, tg, tmp_path):
    office(daemon)
    view, _ = approved(daemon, tg, tmp_path)
    now = [time.time()]
    patient = publisher(daemon, tg, tmp_path, clock=lambda: now[0])
    tg.fail(429, "Too Many Requests: retry after 7", retry_after=7, method="sendMessage")
    assert patient.round() == 0
    now[0] += 6
    assert patient.round() == 0 and not tg.sent()     # not before retry_after
    now[0] += 2
    assert patient.round() == 1 and len(tg.sent()) == 1

    second, _ = approved(daemon, tg, tmp_path, post_id=101)
    tg.lose_answers = 1
    assert patient.round() == 0
    assert len(tg.sent()) == 2                          # it went out; the connector cannot know
    publication = get(daemon, second.id).assignments[0].publication
    assert words.word(words.PublicationFailureKind, publication.failure) == "uncertain"
    assert patient.round() == 0 and len(tg.sent()) == 2  # and it is not sent again


def test_a_crash_while_sending_is_recorded_as_uncertain_after_the_restart(daemon, tg, tmp_path):
    office(daemon)
    view, _ = approved(daemon, tg, tmp_path)
    dying = publisher(daemon, tg, tmp_path)
    dying.post = lambda item: (_ for _ in ()).throw(KeyboardInterrupt())   # dies inside the call
    with pytest.raises(KeyboardInterrupt):
        dying.round()
    assert publisher(daemon, tg, tmp_path).round() == 0 and not tg.sent()
    publication = get(daemon, view.id).assignments[0].publication
    assert words.word(words.PublicationFailureKind, publication.failure) == "uncertain"


@pytest.mark.parametrize("code, description, kind", [
    (400, "Bad Request: message to be replied not found", "message_gone"),
    (403, "Forbidden: bot is not a member of the supergroup chat", "comments_closed"),
    (400, "Bad Request: message is too long", "refused"),
])
def test_a_final_refusal_is_recorded_with_telegrams_words(daemon, tg, tmp_path, code, description, kind):
    office(daemon)
    view, _ = approved(daemon, tg, tmp_path)
    tg.fail(code, description, method="sendMessage")
    assert publisher(daemon, tg, tmp_path).round() == 0
    publication = get(daemon, view.id).assignments[0].publication
    assert words.word(words.PublicationFailureKind, publication.failure) == kind
    assert publication.network_code == code and publication.network_message == description
    assert TOKEN not in publication.network_message


def test_reply_urls_keep_the_comments_form():
    assert otklik_telegram.reply_url("https://t.me/adm/100?comment=7", 9) == "https://t.me/adm/100?comment=9"
    assert otklik_telegram.reply_url("https://t.me/c/1234567890/7?thread=3", 9) == "https://t.me/c/1234567890/9?thread=3"


def test_a_gateways_error_may_have_sent_it_and_is_never_sent_again(daemon, tg, tmp_path):
    office(daemon)
    view, _ = approved(daemon, tg, tmp_path)
    tg.fail(502, "Bad Gateway", method="sendMessage")
    assert publisher(daemon, tg, tmp_path).round() == 0
    publication = get(daemon, view.id).assignments[0].publication
    assert words.word(words.PublicationFailureKind, publication.failure) == "uncertain" and publication.network_code == 502
