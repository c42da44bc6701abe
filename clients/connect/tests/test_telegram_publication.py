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
from otklik_connectors import telegram_publication  # noqa: E402

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


def taken(socket_path, tg, tmp_path, post_id, text):
    """A citizen's comment under a new post, taken by the connector: its case and the comment's id."""
    post = tg.post(post_id)
    number = tg.comment(ANNA, post, text=text)
    assert otklik_telegram.Intake(otklik_telegram.Telegram(tg.url, TOKEN), lambda: as_(socket_path, "tg.connector"),
                                  CHANNEL, CHAT, str(tmp_path), wait=0).run(rounds=1) == 0
    with as_(socket_path, "cur") as curator:
        found = curator.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=100), cases_pb2.ListCasesResponse)
        return next(c for c in found.cases if c.external_id == f"tg:{CHAT}/{number}"), number


def approved(socket_path, tg, tmp_path, post_id=100):
    """A citizen's comment taken by the connector, routed, its reply approved, handed to the connector."""
    view, number = taken(socket_path, tg, tmp_path, post_id, "Когда починят дорогу?")
    view = offices.approve(socket_path, view, "Дорогу отремонтируют в мае.")
    with as_(socket_path, "cur") as curator:
        view = curator.call("otklik.v1.Replies", "RequestPublication", cases_pb2.RequestPublicationRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version, network="tg"), cases_pb2.CaseView)
    return view, number


def publisher(socket_path, tg, tmp_path, clock=None):
    made = telegram_publication.Publisher(otklik_telegram.Telegram(tg.url, TOKEN), lambda: as_(socket_path, "tg.connector"),
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


@pytest.mark.parametrize("code, description, kind, english, russian", [
    (400, "Bad Request: message to be replied not found", "message_gone", "the message answered is deleted",
     "сообщение, на которое отвечали, удалено"),
    (403, "Forbidden: bot is not a member of the supergroup chat", "comments_closed",
     "comments are closed under the post", "комментарии к посту закрыты"),
    (400, "Bad Request: message is too long", "refused", "the network refused the reply", "соцсеть не приняла ответ"),
    (401, "Unauthorized", "token_refused", "the network refused the connector's token", "соцсеть не приняла токен коннектора"),
])
def test_a_final_refusal_is_recorded_with_telegrams_words(daemon, tg, tmp_path, code, description, kind, english,
                                                          russian):
    office(daemon)
    view, _ = approved(daemon, tg, tmp_path)
    tg.fail(code, description, method="sendMessage")
    assert publisher(daemon, tg, tmp_path).round() == 0
    publication = get(daemon, view.id).assignments[0].publication
    assert words.word(words.PublicationFailureKind, publication.failure) == kind
    assert publication.network_code == code and publication.network_message == description
    assert TOKEN not in publication.network_message
    said_en, said_ru = offices.in_both(daemon, view.id, english, russian)
    assert f"({code} {description})" in said_en and f"({code} {description})" in said_ru
    assert "The Telegram connector could not publish the reply" in said_en and "--via tg" in said_en
    assert "Коннектор Телеграм не смог опубликовать ответ" in said_ru


def test_429_is_said_in_the_readers_language_while_the_reply_waits(daemon, tg, tmp_path, capsys, monkeypatch):
    office(daemon)
    approved(daemon, tg, tmp_path)
    patient = publisher(daemon, tg, tmp_path)
    tg.fail(429, "Too Many Requests: retry after 3", retry_after=3, method="sendMessage")
    assert patient.round() == 0
    assert "Telegram did not take the reply of" in capsys.readouterr().err
    offices.russian(monkeypatch)
    patient.retry.clear()
    tg.fail(429, "Too Many Requests: retry after 3", retry_after=3, method="sendMessage")
    assert patient.round() == 0
    said = capsys.readouterr().err
    assert "Телеграм не принял ответ по поручению" in said and "(429); повтор через 3 с" in said


def test_reply_urls_keep_the_comments_form():
    assert telegram_publication.reply_url("https://t.me/adm/100?comment=7", 9) == "https://t.me/adm/100?comment=9"
    assert telegram_publication.reply_url("https://t.me/c/1234567890/7?thread=3", 9) == "https://t.me/c/1234567890/9?thread=3"


def test_a_gateways_error_may_have_sent_it_and_is_never_sent_again(daemon, tg, tmp_path):
    office(daemon)
    view, _ = approved(daemon, tg, tmp_path)
    tg.fail(502, "Bad Gateway", method="sendMessage")
    assert publisher(daemon, tg, tmp_path).round() == 0
    publication = get(daemon, view.id).assignments[0].publication
    assert words.word(words.PublicationFailureKind, publication.failure) == "uncertain" and publication.network_code == 502


def with_files(socket_path, tg, tmp_path, text, files, post_id=100):
    """A comment taken, routed, a final draft carrying `files` ({name: bytes}) approved and handed to the
    connector; the case and the files' sha256 in order."""
    view, number = taken(socket_path, tg, tmp_path, post_id, "Когда засыплют яму у школы?")
    with as_(socket_path, "cur") as curator:
        view = curator.call("otklik.v1.Cases", "Route", cases_pb2.RouteRequest(
            case_id=view.id, expected_version=view.version, executors=["roads"],
            topics=[cases_pb2.TopicAssignment(unit="roads", topic="дороги")]), cases_pb2.CaseView)
    shas = []
    with as_(socket_path, "roads.exec") as executor:
        for name, data in files.items():
            path = tmp_path / name
            path.write_bytes(data)
            shas.append(executor.upload(str(path)).attachment.sha256)
        view = executor.call("otklik.v1.Replies", "SubmitDraft", cases_pb2.SubmitDraftRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version, kind=words.value(words.DraftKind, "final"),
            text=text, attachments=shas), cases_pb2.CaseView)
    with as_(socket_path, "cur") as curator:
        view = curator.call("otklik.v1.Replies", "ApproveDraft", cases_pb2.DraftDecisionRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version), cases_pb2.CaseView)
        view = curator.call("otklik.v1.Replies", "RequestPublication", cases_pb2.RequestPublicationRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version, network="tg"), cases_pb2.CaseView)
    return view, number, shas


def photo(seed):
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes([seed]) * 3000 + os.urandom(2000)


PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + os.urandom(4000)


def test_evidence_photos_go_with_the_reply_as_an_album_captioned_by_its_text(daemon, tg, tmp_path):
    """Two photos and a video: one album replying to the comment, the reply's text as its caption; the
    bytes Telegram received are the files the executor uploaded; the reply's URL is the album's first
    message, and the case does not say its files were left out."""
    office(daemon)
    files = {"яма-до.jpg": photo(1), "яма-после.jpg": photo(2), "каток.mp4": MP4}
    view, number, _ = with_files(daemon, tg, tmp_path, "Яму засыпали, фото и видео прилагаем.", files)
    assert publisher(daemon, tg, tmp_path).round() == 1
    (call,) = tg.params("sendMediaGroup")
    assert call["reply_parameters"] == {"message_id": number}
    assert [m["type"] for m in call["media"]] == ["photo", "photo", "video"]
    assert call["media"][0]["caption"] == "Яму засыпали, фото и видео прилагаем."
    assert all("caption" not in m for m in call["media"][1:])
    assert [(kind, name, data) for kind, name, _, data in tg.files] == [
        ("photo", "яма-до.jpg", files["яма-до.jpg"]), ("photo", "яма-после.jpg", files["яма-после.jpg"]),
        ("video", "каток.mp4", MP4)]
    album = tg.sent()
    assert len(album) == 3 and len({m["media_group_id"] for m in album}) == 1
    reply = get(daemon, view.id).assignments[0].replies[0]
    assert reply.url == f"https://t.me/{CHANNEL}/100?comment={album[0]['message_id']}"
    assert not reply.files_left_out
    assert not tg.params("sendMessage")
    assert not os.listdir(os.path.join(tmp_path, f"telegram-{CHAT}-files")) if os.path.isdir(
        os.path.join(tmp_path, f"telegram-{CHAT}-files")) else True


def test_a_long_text_goes_first_then_the_files_each_replying_to_it(daemon, tg, tmp_path):
    """A text over a caption's 1,024 characters: the text replies to the comment, then the photo and the
    PDF act (a document never shares an album with a photo) reply to the text; the URL is the text's."""
    office(daemon)
    text = ("Сообщаем о проведённых работах. " * 40).strip()
    assert len(text) > 1024
    view, number, _ = with_files(daemon, tg, tmp_path, text, {"яма.jpg": photo(3), "акт.pdf": PDF})
    assert publisher(daemon, tg, tmp_path).round() == 1
    first, picture, act = tg.sent()
    assert first["text"] == text and first["reply_to_message"]["message_id"] == number
    assert picture["photo"] and picture["reply_to_message"]["message_id"] == first["message_id"]
    assert act["document"]["file_name"] == "акт.pdf" and act["reply_to_message"]["message_id"] == first["message_id"]
    assert "caption" not in picture and "caption" not in act
    reply = get(daemon, view.id).assignments[0].replies[0]
    assert reply.url == f"https://t.me/{CHANNEL}/100?comment={first['message_id']}" and not reply.files_left_out


def test_a_429_on_the_files_waits_and_sends_only_the_rest(daemon, tg, tmp_path):
    """The text went out, the album met 429: after retry_after only the album goes (the text is never sent
    twice), and the reply is recorded once, with the text's URL."""
    office(daemon)
    text = "Подробный ответ. " * 80
    view, _, _ = with_files(daemon, tg, tmp_path, text.strip(), {"1.jpg": photo(4), "2.jpg": photo(5)})
    now = [time.time()]
    patient = publisher(daemon, tg, tmp_path, clock=lambda: now[0])
    tg.fail(429, "Too Many Requests: retry after 5", retry_after=5, method="sendMediaGroup")
    assert patient.round() == 0
    assert len(tg.sent()) == 1 and not get(daemon, view.id).assignments[0].replies
    now[0] += 6
    assert patient.round() == 1
    assert len(tg.params("sendMessage")) == 1 and len(tg.sent()) == 3
    reply = get(daemon, view.id).assignments[0].replies[0]
    assert reply.url.endswith(f"comment={tg.sent()[0]['message_id']}") and not reply.files_left_out


@pytest.mark.parametrize("text", ["Акт прилагаем.", ("Ответ. " * 200).strip()])
def test_a_file_telegram_refuses_leaves_the_reply_as_text_and_the_case_says_so(daemon, tg, tmp_path, text):
    """Telegram refuses the file (a size, a photo's proportions). Its caption the text would have gone with
    it: the text goes alone instead, the file is tried once more after it, and the reply is recorded as
    published with its files left out; nothing is sent twice."""
    office(daemon)
    view, number, _ = with_files(daemon, tg, tmp_path, text, {"акт.pdf": PDF})
    tg.fail(400, "Bad Request: file is too big", method="sendDocument")
    tg.fail(400, "Bad Request: file is too big", method="sendDocument")
    assert publisher(daemon, tg, tmp_path).round() == 1
    (sent,) = tg.sent()
    assert sent["text"] == text and sent["reply_to_message"]["message_id"] == number
    reply = get(daemon, view.id).assignments[0].replies[0]
    assert reply.files_left_out and reply.url.endswith(f"comment={sent['message_id']}")
    assert publisher(daemon, tg, tmp_path).round() == 0 and len(tg.sent()) == 1


def test_the_reply_names_the_files_that_went_out_when_one_is_refused(daemon, tg, tmp_path):
    """The photo goes with the caption, the act is refused: the reply carries the photo, and says that not
    all of the draft's files went out, in both languages."""
    office(daemon)
    view, _, (picture, act) = with_files(daemon, tg, tmp_path, "Фото и акт прилагаем.", {"яма.jpg": photo(10), "акт.pdf": PDF})
    tg.fail(400, "Bad Request: file is too big", method="sendDocument")
    assert publisher(daemon, tg, tmp_path).round() == 1
    (sent,) = tg.sent()
    assert sent["photo"] and sent["caption"] == "Фото и акт прилагаем."
    reply = get(daemon, view.id).assignments[0].replies[0]
    assert list(reply.attachments) == [picture] and reply.files_left_out
    offices.in_both(daemon, view.id, "not all of the draft's files went out", "не все файлы проекта опубликованы")


def test_a_connector_stopped_while_sending_the_files_never_sends_them_twice(daemon, tg, tmp_path):
    """The connector dies inside the album's call after the text went out: after the restart the reply is
    recorded with the text's URL and its files said left out (the album may be out: never twice)."""
    office(daemon)
    view, _, _ = with_files(daemon, tg, tmp_path, ("Ответ. " * 200).strip(), {"1.jpg": photo(6), "2.jpg": photo(7)})
    dying = publisher(daemon, tg, tmp_path)
    real = dying.telegram.upload

    def upload_and_die(*args, **kwargs):
        real(*args, **kwargs)
        raise KeyboardInterrupt()

    dying.telegram.upload = upload_and_die
    with pytest.raises(KeyboardInterrupt):
        dying.round()
    assert len(tg.sent()) == 3
    assert publisher(daemon, tg, tmp_path).round() == 1 and len(tg.sent()) == 3
    reply = get(daemon, view.id).assignments[0].replies[0]
    assert reply.files_left_out and reply.url.endswith(f"comment={tg.sent()[0]['message_id']}")
    assert not reply.attachments                      # the album may be out: none is said to be


def test_the_connector_fetches_only_the_files_of_a_reply_handed_to_it(daemon, tg, tmp_path):
    """Attachments/Download for a connector: the files of a reply waiting for it, and only while it waits;
    a file of a draft not handed over is answered as one that does not exist."""
    from otklik_client import RPCError, StatusCode

    office(daemon)
    view, _, (handed,) = with_files(daemon, tg, tmp_path, "Фото прилагаем.", {"яма.jpg": photo(8)})
    other = tmp_path / "другое.jpg"
    other.write_bytes(photo(9))
    with as_(daemon, "roads.exec") as executor:
        kept = executor.upload(str(other)).attachment.sha256
    with as_(daemon, "tg.connector") as connector:
        connector.download(handed, str(tmp_path / "got.jpg"))
        assert (tmp_path / "got.jpg").read_bytes() == (tmp_path / "яма.jpg").read_bytes()
        with pytest.raises(RPCError) as refused:
            connector.download(kept, str(tmp_path / "not.jpg"))
        assert refused.value.code == StatusCode.NOT_FOUND
    assert publisher(daemon, tg, tmp_path).round() == 1
    with as_(daemon, "tg.connector") as connector:
        with pytest.raises(RPCError) as published:
            connector.download(handed, str(tmp_path / "after.jpg"))
        assert published.value.code == StatusCode.NOT_FOUND


def test_a_reply_is_cut_where_telegram_needs_it():
    from otklik_client import connectors_pb2

    def file(kind, content_type, size):
        return connectors_pb2.PendingFile(sha256="0" * 64, name="f", kind=kind, content_type=content_type, size=size)

    first = ("Абзац первый. " * 150).strip()
    parts = telegram_publication.pieces(first + "\n\n" + "слово " * 600)
    assert len(parts) == 2 and parts[0] == first and parts[1].startswith("слово")      # at the paragraph
    parts = telegram_publication.pieces("Вступление.\n\n" + "слово " * 900)
    assert len(parts) == 2 and len(parts[0]) > 4000 and all(len(p) <= 4096 for p in parts)  # too early: a space
    assert telegram_publication.pieces("😀" * 3000) == ["😀" * 2048, "😀" * 952]
    steps, left_out = telegram_publication.plan("Коротко.", [
        file("photo", "image/jpeg", 1000), file("photo", "image/heic", 1000), file("document", "application/pdf", 10),
        file("video", "video/mp4", 60 << 20), file("photo", "image/png", 12 << 20)])
    assert left_out
    assert steps == [{"files": [0], "caption": "Коротко."}, {"files": [1, 2, 4], "caption": None}]
    steps, _ = telegram_publication.plan("x", [file("photo", "image/jpeg", 1)] * 12)
    assert [len(s["files"]) for s in steps] == [10, 2] and steps[0]["caption"] == "x"


def test_a_file_the_daemon_cannot_give_is_left_out_and_the_reply_goes(daemon, tg, tmp_path, monkeypatch):
    """A file missing from the daemon's data directory (DATA_LOSS) does not hold the reply back: it goes
    with the files at hand, and the case says not all went."""
    from otklik_client import RPCError, StatusCode

    office(daemon)
    view, _, (picture, act) = with_files(daemon, tg, tmp_path, "Фото и акт.", {"яма.jpg": photo(11), "акт.pdf": PDF})
    real = Client.download

    def damaged(self, sha256, path, timeout=600.0):
        if sha256 == act:
            raise RPCError(StatusCode.DATA_LOSS, f"attachment {sha256} is missing from the data directory")
        return real(self, sha256, path, timeout)

    monkeypatch.setattr(Client, "download", damaged)
    assert publisher(daemon, tg, tmp_path).round() == 1
    (sent,) = tg.sent()
    assert sent["photo"] and sent["caption"] == "Фото и акт."
    reply = get(daemon, view.id).assignments[0].replies[0]
    assert list(reply.attachments) == [picture] and reply.files_left_out


def test_an_album_telegram_refuses_after_the_text_leaves_the_rest_going(daemon, tg, tmp_path):
    """The text out, the photos' album refused (nothing of it out): the act still goes, replying to the
    text, and the reply names the act as the file that went."""
    office(daemon)
    text = ("Подробный ответ. " * 80).strip()
    view, _, (one, two, act) = with_files(daemon, tg, tmp_path, text, {"1.jpg": photo(12), "2.jpg": photo(13), "акт.pdf": PDF})
    tg.fail(400, "Bad Request: PHOTO_INVALID_DIMENSIONS", method="sendMediaGroup")
    assert publisher(daemon, tg, tmp_path).round() == 1
    first, document = tg.sent()
    assert first["text"] == text and document["document"]["file_name"] == "акт.pdf"
    assert document["reply_to_message"]["message_id"] == first["message_id"]
    reply = get(daemon, view.id).assignments[0].replies[0]
    assert list(reply.attachments) == [act] and reply.files_left_out
