"""otklik-connect telegram against a fake Bot API on loopback and a real otklikd (issue 29, intake):
citizens' comments in a channel's discussion group become cases with the post's comment URL, the
author and the external id; the bot's, the channel's and the group's own messages, service messages and
messages outside the posts' threads do not; a message without text is registered with its marker; a
restart between receiving and acknowledging loses nothing and registers nothing twice; the map from a
thread to its post survives a restart; Telegram's 429 is waited out; 401, 404 and 409 stop it with a
sentence that never shows the token."""
import os
import subprocess
import sys
import threading
import time
from datetime import datetime

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CONNECTOR = os.path.join(HERE, "..", "otklik_connect.py")
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

from otklik_connectors import common, telegram as otklik_telegram  # noqa: E402
from fake_telegram import FakeTelegram, person  # noqa: E402
import offices  # noqa: E402
from otklik_client import Client, cases_pb2, connectors_pb2, words  # noqa: E402

TOKEN = "7000000001:AAE-secret-bot-token_0123456789abcdef"
CHANNEL = "borovichi_adm"
CHAT = -1001234567890
ANNA = person(5012345678, "Анна", "Петрова")
OLEG = person(5098765432, "Олег")


def office(socket_path):
    offices.office(socket_path, connector="tg.connector", account=None)


def cases(socket_path):
    with Client(socket_path, metadata={"otklik-as": "cur"}) as curator:
        answer = curator.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=100), cases_pb2.ListCasesResponse)
        return sorted(answer.cases, key=lambda case: int(case.external_id.rsplit("/", 1)[-1]))


@pytest.fixture
def tg():
    fake = FakeTelegram(TOKEN, channel=CHANNEL, chat=CHAT)
    yield fake
    fake.close()


def intake(socket_path, tg, state_dir, wait=0, login="tg.connector"):
    return otklik_telegram.Intake(
        otklik_telegram.Telegram(tg.url, TOKEN), lambda: Client(socket_path, metadata={"otklik-as": login}),
        CHANNEL, CHAT, str(state_dir), wait=wait)


def state(tmp_path):
    return common.State(str(tmp_path), f"telegram-{CHAT}").load()


def test_citizens_comments_become_cases_and_the_administrations_own_messages_do_not(daemon, tg, tmp_path, capsys):
    office(daemon)
    started = int(time.time())
    post = tg.post(100)                                                    # the channel's post 100, forwarded
    first = tg.comment(ANNA, post, text="Когда засыплют яму у школы №3?")  # a reply to the post
    second = tg.comment(OLEG, post, text="Уже третий год", reply_to=first)  # a reply in its thread
    tg.as_channel(post, "Ответ администрации")
    tg.as_group(post, "Ответ анонимного администратора")
    tg.bot_message(post, "Ответ бота")
    tg.in_group(OLEG, new_chat_members=[OLEG])                             # a service message
    loose = tg.in_group(ANNA, text="Всем привет")                          # not under a post
    tg.in_group(OLEG, reply_to=loose, text="Привет")
    tg.elsewhere(ANNA, "Пишу боту напрямую")
    other_post = tg.post(101)
    third = tg.comment(person(5011111111, "Двор на Сушанской"), other_post, text="И во дворе тоже",
                       sender_chat={"id": -1005550001111, "type": "channel", "title": "Двор на Сушанской"})
    assert intake(daemon, tg, tmp_path).run(rounds=1) == 0
    registered = cases(daemon)
    assert [case.url for case in registered] == [
        f"https://t.me/{CHANNEL}/100?comment={first}", f"https://t.me/{CHANNEL}/100?comment={second}",
        f"https://t.me/{CHANNEL}/101?comment={third}"]
    assert [case.external_id for case in registered] == [f"tg:{CHAT}/{n}" for n in (first, second, third)]
    assert [case.author for case in registered] == ["Анна Петрова", "Олег", "Двор на Сушанской"]
    assert registered[0].text == "Когда засыплют яму у школы №3?" and registered[0].network == "tg"
    # Posted: the message's date; detected: when the connector received it.
    assert datetime.fromisoformat(registered[0].posted_at).timestamp() == tg.messages[(CHAT, first)]["date"]
    assert started <= datetime.fromisoformat(registered[0].detected_at).timestamp() <= time.time()
    said = capsys.readouterr().err
    assert said.count("is not a comment") == 1 and f"chat {ANNA['id']} is not taken" in said
    # The position is past the last update; Telegram has forgotten none of them yet (the next
    # getUpdates confirms them).
    saved = state(tmp_path)
    assert saved["offset"] == tg.next_update and saved["posts"] == {str(post): 100, str(other_post): 101}
    assert len(tg.updates) == 12


def test_the_bot_asks_for_messages_and_edits_by_long_poll_from_its_position(daemon, tg, tmp_path):
    """getUpdates with the documented parameters; a poll waiting for updates answers as soon as one comes."""
    office(daemon)
    post = tg.post(100)
    connector = intake(daemon, tg, tmp_path, wait=5)
    assert connector.run(rounds=1) == 0
    threading.Timer(0.3, lambda: tg.comment(ANNA, post, text="Спасибо")).start()
    began = time.monotonic()
    assert intake(daemon, tg, tmp_path, wait=5).run(rounds=1) == 0
    assert time.monotonic() - began < 4
    asked = tg.params("getUpdates")
    assert asked[0] == {"timeout": 5, "allowed_updates": ["message", "edited_message"]}
    assert asked[1] == {"timeout": 5, "allowed_updates": ["message", "edited_message"], "offset": tg.next_update - 1}
    assert [case.text for case in cases(daemon)] == ["Спасибо"]
    assert tg.count("getMe") == 2


def test_a_message_without_text_is_registered_with_its_marker(daemon, tg, tmp_path, capsys):
    """Nothing a citizen sent is lost: a photo, a voice message, a sticker alone come in with a marker
    (the URL leads to them); a caption is the text."""
    office(daemon)
    post = tg.post(100)
    photo = [{"file_id": "AgAD1", "file_unique_id": "AQAD1", "width": 90, "height": 67, "file_size": 1200}]
    tg.comment(ANNA, post, photo=photo)
    tg.comment(ANNA, post, photo=photo, caption="Вот эта яма")
    tg.comment(OLEG, post, voice={"file_id": "AwAD2", "file_unique_id": "AgAD2", "duration": 7, "mime_type": "audio/ogg"})
    tg.comment(OLEG, post, sticker={"file_id": "CAAD3", "file_unique_id": "AgAD3", "type": "regular", "width": 512,
                                    "height": 512, "is_animated": False, "is_video": False})
    tg.comment(ANNA, post, location={"latitude": 58.38713, "longitude": 33.91475})
    tg.comment(ANNA, post, poll={"id": "5", "question": "Где ещё ямы?", "options": [], "total_voter_count": 0,
                                 "is_closed": False, "is_anonymous": True, "type": "regular",
                                 "allows_multiple_answers": False})
    tg.comment(OLEG, post, something_new_in_bot_api_11={"id": 1})
    assert intake(daemon, tg, tmp_path).run(rounds=1) == 0
    assert [case.text for case in cases(daemon)] == [
        "[фото]", "Вот эта яма", "[голосовое сообщение]", "[стикер]", "[геопозиция] 58.38713, 33.91475",
        "[опрос] Где ещё ямы?", "[сообщение без текста]"]
    assert "a comment of a kind this connector does not know is registered as [сообщение без текста]" in \
        capsys.readouterr().err


def test_a_restart_between_receiving_and_acknowledging_loses_nothing_and_registers_nothing_twice(daemon, tg, tmp_path):
    office(daemon)
    post = tg.post(100)
    first = tg.comment(ANNA, post, text="Первый")
    second = tg.comment(OLEG, post, text="Второй")
    crashing = intake(daemon, tg, tmp_path)
    delivered = crashing.deliver

    def crash(updates, received):
        delivered(updates, received)  # the daemon has the batch ...
        raise KeyboardInterrupt       # ... and the connector dies before it saves the position

    crashing.deliver = crash
    with pytest.raises(KeyboardInterrupt):
        crashing.run(rounds=1)
    assert state(tmp_path) == {}
    third = tg.comment(ANNA, post, text="Третий", reply_to=second)
    assert intake(daemon, tg, tmp_path).run(rounds=2) == 0
    assert [case.external_id for case in cases(daemon)] == [f"tg:{CHAT}/{n}" for n in (first, second, third)]
    # The second poll confirmed the first's updates: Telegram forgot them.
    assert state(tmp_path)["offset"] == tg.next_update and tg.updates == []


def test_the_map_from_a_thread_to_its_post_survives_a_restart(daemon, tg, tmp_path, monkeypatch):
    office(daemon)
    old = tg.post(90, legacy=True)      # as Bot API versions before 7.0 wrote the forward
    post = tg.post(100)
    assert intake(daemon, tg, tmp_path).run(rounds=1) == 0
    # Days later, in another run: a reply to a comment carries no forward; the map names the post.
    first = tg.comment(ANNA, post, text="Первый")
    nested = tg.comment(OLEG, post, text="Ответ Анне", reply_to=first)
    under_old = tg.comment(OLEG, old, text="А тут?")
    assert intake(daemon, tg, tmp_path).run(rounds=1) == 0
    assert [case.url for case in cases(daemon)] == [
        f"https://t.me/{CHANNEL}/100?comment={first}", f"https://t.me/{CHANNEL}/100?comment={nested}",
        f"https://t.me/{CHANNEL}/90?comment={under_old}"]
    # The map keeps the most recent posts.
    monkeypatch.setattr(otklik_telegram, "THREADS_KEPT", 2)
    newest = tg.post(102)
    assert intake(daemon, tg, tmp_path).run(rounds=1) == 0
    assert state(tmp_path)["posts"] == {str(post): 100, str(newest): 102}


def test_a_comment_whose_post_came_before_the_connector_started(daemon, tg, tmp_path, capsys):
    """Its forward was confirmed before: a reply to the post carries it; a reply to a comment cannot
    name the post and is registered with the group's link, said."""
    office(daemon)
    post = tg.post(100)
    first = tg.comment(ANNA, post, text="Первый")
    tg.updates.clear()  # confirmed by a program that read the bot before
    direct = tg.comment(OLEG, post, text="Прямо под постом")
    nested = tg.comment(OLEG, post, text="Анне", reply_to=first)
    assert intake(daemon, tg, tmp_path).run(rounds=1) == 0
    internal = str(CHAT).removeprefix("-100")
    assert [case.url for case in cases(daemon)] == [
        f"https://t.me/{CHANNEL}/100?comment={direct}", f"https://t.me/{CHANNEL}/100?comment={nested}"]
    # The reply to the post taught the map: the nested reply got the post's URL too. Without it:
    tg.updates.clear()
    unknown_root = tg.post(200)
    tg.updates.clear()
    reply = tg.comment(ANNA, unknown_root, text="Ответ")
    tg.updates.clear()
    deeper = tg.comment(OLEG, unknown_root, text="Глубже", reply_to=reply)
    assert intake(daemon, tg, tmp_path).run(rounds=1) == 0
    assert cases(daemon)[-1].url == f"https://t.me/c/{internal}/{deeper}?thread={unknown_root}"
    assert f"the post of thread {unknown_root} in the discussion group is not known" in capsys.readouterr().err


def test_telegrams_429_is_waited_out_for_the_time_it_names(daemon, tg, tmp_path, capsys, monkeypatch):
    office(daemon)
    post = tg.post(100)
    tg.comment(ANNA, post, text="Яма")
    tg.fail(429, "Too Many Requests: retry after 1", retry_after=1)
    began = time.monotonic()
    assert intake(daemon, tg, tmp_path).run(rounds=2) == 0
    assert time.monotonic() - began >= 1
    assert "Telegram asks to wait (429); trying again in 1 s" in capsys.readouterr().err
    assert [case.text for case in cases(daemon)] == ["Яма"]
    offices.russian(monkeypatch)
    tg.fail(429, "Too Many Requests: retry after 1", retry_after=1)
    assert intake(daemon, tg, tmp_path).run(rounds=2) == 0
    assert "Telegram просит подождать (429); повтор через 1 с" in capsys.readouterr().err


def test_a_transient_error_is_waited_out_and_an_update_it_cannot_read_is_passed_over(daemon, tg, tmp_path, capsys):
    office(daemon)
    post = tg.post(100)
    tg.comment(ANNA, post, text="Яма")
    with tg.lock:
        tg.updates.append((tg.next_update, {"update_id": tg.next_update, "message": {"message_id": "x", "chat": None}}))
        tg.next_update += 1
    tg.fail(502)
    assert intake(daemon, tg, tmp_path).run(rounds=2) == 0
    said = capsys.readouterr().err
    assert "Telegram answered 502 (Bad Gateway); trying again in 1 s" in said and "cannot read; passed over" in said
    assert [case.text for case in cases(daemon)] == ["Яма"]
    assert state(tmp_path)["offset"] == tg.next_update


def test_an_edit_is_recorded_on_its_case_once_and_the_position_moves_on(daemon, tg, tmp_path):
    office(daemon)
    post = tg.post(100)
    first = tg.comment(ANNA, post, text="Яма")
    tg.edit(first, "Яма у школы")
    tg.edit(first, "Яма у школы №3")
    tg.edit(first, "Яма у школы №3")  # the same text again: recorded once
    assert intake(daemon, tg, tmp_path).run(rounds=1) == 0
    (case,) = cases(daemon)
    assert case.text == "Яма у школы №3" and case.edited_at
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        history = curator.call("otklik.v1.Cases", "GetHistory", cases_pb2.CaseRef(id=case.id), cases_pb2.HistoryResponse)
    assert [words.event_word(entry.kind) for entry in history.entries] == [
        "case.registered", "message.edited", "message.edited"]
    assert state(tmp_path)["offset"] == tg.next_update


def test_a_start_after_more_than_a_day_says_that_comments_may_be_lost(daemon, tg, tmp_path, capsys):
    office(daemon)
    common.State(str(tmp_path), f"telegram-{CHAT}").save(offset=tg.next_update, saved_at=int(time.time()) - 30 * 3600)
    assert intake(daemon, tg, tmp_path).run(rounds=1) == 0
    assert "30 hours ago: comments older than a day may be lost (Telegram keeps updates 24 hours" in capsys.readouterr().err
    # Said where the curator looks too: `otklik connector list`'s last error.
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        (one,) = curator.call("otklik.v1.Connectors", "ListConnectors", connectors_pb2.ListConnectorsRequest(),
                              connectors_pb2.ListConnectorsResponse).connectors
    assert abs(one.report.missed_since_unix - (int(time.time()) - 30 * 3600)) < 60 and one.missed_since
    # An idle poll still tells the state file until when the connector read.
    assert state(tmp_path)["saved_at"] >= int(time.time()) - 5


def run(args, env=None):
    return subprocess.run([sys.executable, CONNECTOR, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LANG": "C.UTF-8", **(env or {})})


def test_a_token_others_may_read_a_refused_token_and_another_reader_each_stop_it(daemon, tg, tmp_path):
    office(daemon)
    token = tmp_path / "telegram.token"
    token.write_text(TOKEN + "\n")
    token.chmod(0o644)
    arguments = ["telegram", "--token-file", str(token), "--channel", CHANNEL, "--discussion-chat", str(CHAT),
                 "--api-url", tg.url, "--state-dir", str(tmp_path / "state"), "--socket", daemon]
    outputs = []

    def stopped(extra, status, env=None):
        answer = run(arguments + extra, env)
        outputs.append(answer.stdout + answer.stderr)
        assert answer.returncode == status, answer.stderr
        return answer.stderr

    assert "chmod 600" in stopped(["--as", "tg.connector"], 64)
    assert "доступен другим" in stopped([], 64, {"LANG": "ru_RU.UTF-8"})
    token.chmod(0o600)
    tg.refuse_token = True
    assert "Telegram refused the bot token (401: Unauthorized)" in stopped(["--as", "tg.connector"], 77)
    assert "Telegram не принял токен бота (401" in stopped(["--as", "tg.connector"], 77, {"LANG": "ru_RU.UTF-8"})
    tg.refuse_token = False
    tg.fail(404, method="getMe")
    assert "does not know this bot token (404: Not Found)" in stopped(["--as", "tg.connector"], 77)
    tg.fail(409)
    assert "another program reads this bot's updates" in stopped(["--as", "tg.connector"], 77)
    tg.fail(409)
    assert "обновления этого бота читает другая программа (409" in stopped(["--as", "tg.connector"], 77, {"LANG": "ru_RU.UTF-8"})
    tg.webhook = True
    assert "a webhook is set for this bot" in stopped(["--as", "tg.connector"], 77)
    # The one getUpdates that reached the fake asked for long polls of 25 seconds.
    assert tg.params("getUpdates")[0] == {"timeout": 25, "allowed_updates": ["message", "edited_message"]}
    # A person's login is refused, even one that may register (the curator).
    assert "cur (roles: curator) is not a connector's login" in stopped(["--as", "cur"], 77)
    assert all(TOKEN not in output and TOKEN.split(":")[1] not in output for output in outputs)
    assert cases(daemon) == []


def test_telegrams_errors_never_show_the_token(tg):
    """Said in words of our own: neither the URL (the token is in its path) nor urllib's text."""
    refused = otklik_telegram.Telegram(tg.url, TOKEN)
    tg.refuse_token = True
    with pytest.raises(otklik_telegram.TelegramError) as error:
        refused.call("getMe")
    assert error.value.code == 401 and TOKEN not in repr(error.value) and error.value.__cause__ is None
    tg.close()
    with pytest.raises(otklik_telegram.TelegramUnreachable) as error:
        refused.call("getMe")
    assert TOKEN not in str(error.value) and error.value.__suppress_context__


def test_the_fake_bot_api_answers_a_reply_in_a_thread_as_telegram_does(tg):
    """What publication will call: sendMessage with reply_parameters answers the sent Message in the
    post's thread; a reply to a message that is not there is refused."""
    bot = otklik_telegram.Telegram(tg.url, TOKEN)
    post = tg.post(100)
    comment = tg.comment(ANNA, post, text="Когда засыплют яму?")
    sent = bot.call("sendMessage", chat_id=CHAT, text="Засыплем в понедельник", reply_parameters={"message_id": comment})
    assert sent["from"]["id"] == tg.bot["id"] and sent["chat"]["id"] == CHAT and sent["message_thread_id"] == post
    assert sent["reply_to_message"]["message_id"] == comment and "reply_to_message" not in sent["reply_to_message"]
    with pytest.raises(otklik_telegram.TelegramError) as refused:
        bot.call("sendMessage", chat_id=CHAT, text="Ответ", reply_parameters={"message_id": 999})
    assert refused.value.code == 400 and "replied not found" in refused.value.description
    # A bot does not receive its own messages: the updates are the forward and the comment.
    assert [update["message"]["message_id"] for _, update in tg.updates] == [post, comment]


def test_a_burst_of_a_thousand_comments_is_taken_whole_across_polls_and_a_crash(daemon, tg, tmp_path):
    """1,000 comments under three posts waiting at once: Telegram hands out at most 100 updates a poll, so
    they come in ten polls or more; the connector dies once between a batch the daemon acknowledged and
    its position saved. Every comment is one case, none twice."""
    office(daemon)
    roots = [tg.post(200 + n) for n in range(3)]
    people = [person(5100000000 + n, f"Житель{n}") for n in range(37)]
    numbers = [tg.comment(people[n % 37], roots[n % 3], text=f"Комментарий {n}: снег не убран у дома {n % 50}")
               for n in range(1000)]
    crashing = intake(daemon, tg, tmp_path)
    delivered = crashing.deliver
    polls = []

    def crash_on_the_fourth(updates, received):
        polls.append(len(updates))
        taken = delivered(updates, received)
        if len(polls) == 4:
            raise KeyboardInterrupt        # acknowledged, its position not saved
        return taken

    crashing.deliver = crash_on_the_fourth
    with pytest.raises(KeyboardInterrupt):
        crashing.run()
    assert polls == [100, 100, 100, 100]
    assert intake(daemon, tg, tmp_path).run(rounds=9) == 0
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        found = []
        after = ""
        while True:
            page = curator.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=500, after=after),
                                cases_pb2.ListCasesResponse)
            found += page.cases
            if not page.next_after:
                break
            after = page.next_after
    assert len(found) == 1000 == page.total
    assert sorted(int(case.external_id.rsplit("/", 1)[1]) for case in found) == sorted(numbers)
    assert state(tmp_path)["offset"] == tg.next_update and tg.updates == []
