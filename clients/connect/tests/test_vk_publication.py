"""otklik-connect vk, the rest of issue 29 against a fake VK and a real otklikd: comments edited, deleted
and restored in VK are recorded on their cases; an approved reply the curator hands to the connector is
posted as the community under the citizen's comment and recorded with its URL; a lost answer or a crash
between posting and recording never posts twice; VK's refusals are recorded on the case with VK's code."""
import os
from datetime import datetime
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

from fake_vk import FakeVK  # noqa: E402
import offices  # noqa: E402
from otklik_client import Client, cases_pb2, connectors_pb2, directory_pb2, words  # noqa: E402
from otklik_connectors import vk as otklik_vk  # noqa: E402

GROUP = 218375
TOKEN = "vk1.a.secret-community-token-0123456789"


def office(socket_path):
    """The curator, the roads unit's executor, the connector, and the community's account."""
    offices.office(socket_path)


@pytest.fixture
def vk():
    fake = FakeVK(GROUP, TOKEN)
    yield fake
    fake.close()


def as_(socket_path, login):
    return Client(socket_path, metadata={"otklik-as": login})


def intake(socket_path, vk, state_dir):
    return otklik_vk.Intake(otklik_vk.VK(vk.url + "/method/", TOKEN), lambda: as_(socket_path, "vk.connector"), GROUP,
                            str(state_dir))


def publisher(socket_path, vk, state_dir, clock=None):
    made = otklik_vk.Publisher(otklik_vk.VK(vk.url + "/method/", TOKEN), lambda: as_(socket_path, "vk.connector"), GROUP,
                               str(state_dir), interval=0.01)
    if clock:
        made.clock = clock
    return made


def case(socket_path, external_id):
    with as_(socket_path, "cur") as curator:
        found = curator.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=100), cases_pb2.ListCasesResponse)
        summary = next(c for c in found.cases if c.external_id == external_id)
        return curator.call("otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id=summary.id), cases_pb2.CaseView)


def history(socket_path, case_id):
    with as_(socket_path, "cur") as curator:
        answer = curator.call("otklik.v1.Cases", "GetHistory", cases_pb2.CaseRef(id=case_id), cases_pb2.HistoryResponse)
    return [words.event_word(entry.kind) for entry in answer.entries]


def approved(socket_path, vk, tmp_path, comment=501, thread=None, text="Яму засыплют до пятницы."):
    """A citizen's comment taken by the connector, routed, its reply approved: the case."""
    vk.comment(comment, 151850844, text="Когда засыплют яму у школы №3?", thread=thread)
    assert intake(socket_path, vk, tmp_path).run(rounds=1) == 0
    return offices.approve(socket_path, case(socket_path, f"vk:-{GROUP}_100_{comment}"), text)


def hand_over(socket_path, view):
    with as_(socket_path, "cur") as curator:
        return curator.call("otklik.v1.Replies", "RequestPublication", cases_pb2.RequestPublicationRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version, network="vk"), cases_pb2.CaseView)


def test_edits_deletions_and_restorations_are_recorded_on_their_cases(daemon, vk, tmp_path):
    office(daemon)
    vk.comment(501, 151850844, text="Яма у школы")
    vk.comment(501, 151850844, text="Яма у школы №3, уже неделю", kind="wall_reply_edit")
    vk.comment(501, 151850844, text="Яма у школы №3, уже неделю", kind="wall_reply_edit")  # a repeat
    vk.delete(501)
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    view = case(daemon, f"vk:-{GROUP}_100_501")
    assert view.text == "Яма у школы №3, уже неделю" and view.edited_at and view.deleted_at
    assert history(daemon, view.id) == ["case.registered", "message.edited", "message.deleted"]
    vk.comment(501, 151850844, text="Яма у школы №3, уже неделю", kind="wall_reply_restore")
    # An edit of a comment never registered (written before the connector ran) registers it as it reads;
    # the community's own edits and a deletion of a comment no case has change nothing.
    vk.comment(777, 151850845, text="Исправленный текст", kind="wall_reply_edit")
    vk.comment(778, -GROUP, text="Ответ администрации", kind="wall_reply_edit")
    vk.delete(779)
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    view = case(daemon, f"vk:-{GROUP}_100_501")
    assert not view.deleted_at and view.version == 4
    assert case(daemon, f"vk:-{GROUP}_100_777").text == "Исправленный текст"
    with as_(daemon, "cur") as curator:
        listed = curator.call("otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=10), cases_pb2.ListCasesResponse)
    assert len(listed.cases) == 2


def test_a_deletion_says_whether_its_author_or_the_communitys_moderators_deleted_it(daemon, vk, tmp_path):
    """VK's `deleter_id`: the comment's author (known across a restart of the connector), a moderator (any
    other user, or the community itself), or not told (a comment whose author the connector never saw).
    `case show` says which, in both languages."""
    office(daemon)
    for comment, author in ((601, 151850844), (602, 151850845), (603, 151850846)):
        vk.comment(comment, author, text=f"Комментарий {comment}")
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    vk.delete(601, deleter_id=151850844)      # its author
    vk.delete(602, deleter_id=-GROUP)          # the community
    vk.delete(603, deleter_id=1000001)         # a moderator of the community
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0       # a new connector: the authors kept on disk
    said = {n: words.word(words.MessageDeleter, case(daemon, f"vk:-{GROUP}_100_{n}").deleted_by) for n in (601, 602, 603)}
    assert said == {601: "author", 602: "community", 603: "community"}
    (tmp_path / f"vk-{GROUP}-authors.json").unlink()
    vk.comment(604, 151850847, text="Старый комментарий", kind="wall_reply_edit")   # registered, author seen
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    (tmp_path / f"vk-{GROUP}-authors.json").unlink()                           # ... and forgotten
    vk.delete(604, deleter_id=151850847)
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    view = case(daemon, f"vk:-{GROUP}_100_604")
    assert view.deleted_at and words.word(words.MessageDeleter, view.deleted_by) == "unspecified"
    for number, lang, words_said in ((601, "C.UTF-8", "its author deleted the message"),
                                     (603, "ru_RU.UTF-8", "модераторы сообщества удалили сообщение"),
                                     (604, "C.UTF-8", "the message was deleted")):
        shown = offices.shown(daemon, case(daemon, f"vk:-{GROUP}_100_{number}").id, lang)
        assert words_said in shown, shown


def test_an_approved_reply_goes_out_under_the_citizens_comment_and_its_url_is_recorded(daemon, vk, tmp_path):
    office(daemon)
    view = hand_over(daemon, approved(daemon, vk, tmp_path, comment=504, thread=501))
    step = view.next_steps[0]
    assert step.publishing_via == "vk" and view.assignments[0].publication.network == "vk"
    assert publisher(daemon, vk, tmp_path).round() == 1
    (posted,) = vk.created
    assert (posted["owner_id"], posted["post_id"], posted["from_group"], posted["reply_to_comment"]) == (
        f"-{GROUP}", "100", str(GROUP), "504")
    assert posted["message"] == "Яму засыплют до пятницы." and posted["guid"] == f"{view.id}/1#1"
    view = case(daemon, f"vk:-{GROUP}_100_504")
    reply = view.assignments[0].replies[0]
    # The reply sits in the thread of the comment it answers.
    assert reply.url == f"https://vk.com/wall-{GROUP}_100?reply=9000&thread=501"
    assert reply.account == "Администрация Боровичей" and not view.assignments[0].HasField("publication")
    assert words.word(words.CaseState, view.state) == "done"
    assert history(daemon, view.id)[-2:] == ["reply.publication_requested", "reply.published"]
    # Nothing waits any more: the next round posts nothing.
    assert publisher(daemon, vk, tmp_path).round() == 0 and len(vk.created) == 1


def test_a_lost_answer_and_a_crash_before_recording_never_post_twice(daemon, vk, tmp_path):
    office(daemon)
    first = hand_over(daemon, approved(daemon, vk, tmp_path, comment=501))
    vk.lose_answer()
    now = [time.time()]
    lost = publisher(daemon, vk, tmp_path / "state", clock=lambda: now[0])
    assert lost.round() == 0            # VK posted it; its answer never came: tried again later
    assert len(vk.created) == 1 and lost.round() == 0   # (not before its pause)
    now[0] += 60
    assert lost.round() == 1            # the same guid: VK answers the comment made before
    assert len(vk.created) == 1
    assert case(daemon, f"vk:-{GROUP}_100_501").assignments[0].replies[0].url.endswith("?reply=9000&thread=501")

    second = hand_over(daemon, approved(daemon, vk, tmp_path, comment=502))
    crashing = publisher(daemon, vk, tmp_path / "state")
    crashing.record = lambda item, sent: (_ for _ in ()).throw(KeyboardInterrupt())  # dies before the daemon hears
    with pytest.raises(KeyboardInterrupt):
        crashing.round()
    assert len(vk.created) == 2
    vk.refuse_comment(213)              # had it posted again, VK would refuse: it must not ask
    assert publisher(daemon, vk, tmp_path / "state").round() == 1
    assert len(vk.created) == 2 and vk.comment_errors == [213]
    assert case(daemon, f"vk:-{GROUP}_100_502").assignments[0].replies[0].url.endswith("?reply=9001&thread=502")
    assert first.id != second.id


def test_a_reply_whose_answer_was_lost_long_ago_is_not_posted_again_but_looked_at(daemon, vk, tmp_path):
    """VK does not say how long it remembers a guid: 50 minutes after the answer was first lost the reply is
    no longer posted again (it might post twice) but recorded `uncertain`, for the curator to look."""
    office(daemon)
    view = hand_over(daemon, approved(daemon, vk, tmp_path, comment=501))
    vk.lose_answer(2)
    now = [time.time()]
    lost = publisher(daemon, vk, tmp_path / "state", clock=lambda: now[0])
    assert lost.round() == 0 and len(vk.created) == 1
    journal = otklik_vk.State(str(tmp_path / "state"), f"vk-{GROUP}-published")
    (key, entry), = journal.load().items()
    assert entry["lost"] and entry["lost_at"] <= time.time()
    journal.save(**{key: dict(entry, lost_at=int(time.time()) - 3100)})   # lost 52 minutes ago
    now[0] += 120
    assert publisher(daemon, vk, tmp_path / "state", clock=lambda: now[0]).round() == 0
    assert len(vk.created) == 1 and vk.count("wall.createComment") == 1
    publication = case(daemon, f"vk:-{GROUP}_100_501").assignments[0].publication
    assert words.word(words.PublicationFailureKind, publication.failure) == "uncertain"
    assert "longer than a repeated call is known to post once" in publication.network_message
    assert view.id


@pytest.mark.parametrize("code, kind, english, russian", [
    (213, "comments_closed", "comments are closed under the post", "комментарии к посту закрыты"),
    (212, "comments_closed", "comments are closed under the post", "комментарии к посту закрыты"),
    (223, "comments_closed", "comments are closed under the post", "комментарии к посту закрыты"),
    (5, "token_refused", "the network refused the connector's token", "соцсеть не приняла токен коннектора"),
    (27, "method_unavailable", "the network does not let the connector's token publish",
     "соцсеть не разрешает токену коннектора публиковать"),
    (100, "refused", "the network refused the reply", "соцсеть не приняла ответ"),
])
def test_a_final_refusal_is_recorded_on_the_case_with_vks_code_and_the_curator_can_hand_it_over_again(
        daemon, vk, tmp_path, code, kind, english, russian):
    office(daemon)
    hand_over(daemon, approved(daemon, vk, tmp_path))
    vk.refuse_comment(code)
    assert publisher(daemon, vk, tmp_path).round() == 0
    view = case(daemon, f"vk:-{GROUP}_100_501")
    publication = view.assignments[0].publication
    assert words.word(words.PublicationFailureKind, publication.failure) == kind
    assert publication.network_code == code and publication.network_message and publication.failed_at
    assert view.next_steps[0].publication_failed and not view.next_steps[0].publishing_via
    # The reason in the reader's language, with VK's own code and words, and what to do.
    said_en, said_ru = offices.in_both(daemon, view.id, english, russian)
    assert f"({code} {publication.network_message})" in said_en and f"({code} {publication.network_message})" in said_ru
    assert "The VK connector could not publish the reply" in said_en and "--via vk" in said_en
    assert "не смог опубликовать ответ" in said_ru and "ВКонтакте" in said_ru
    # Handed over again, it goes out.
    hand_over(daemon, view)
    assert publisher(daemon, vk, tmp_path).round() == 1
    assert case(daemon, f"vk:-{GROUP}_100_501").assignments[0].replies[0].url


def test_transient_errors_are_tried_again_until_the_publish_due_then_recorded_as_unreachable(daemon, vk, tmp_path):
    office(daemon)
    hand_over(daemon, approved(daemon, vk, tmp_path))
    now = [0.0]
    patient = publisher(daemon, vk, tmp_path, clock=lambda: now[0])
    pending = patient.daemon.call("otklik.v1.Connectors", "PendingPublications", connectors_pb2.PendingPublicationsRequest(
        network="vk", external_prefix=f"vk:-{GROUP}_"), connectors_pb2.PendingPublicationsResponse).publications[0]
    assert pending.due_unix > 0
    now[0] = pending.due_unix - 100
    vk.refuse_comment(6, 9)
    assert patient.round() == 0 and patient.round() == 0      # 6: retried after a pause, not before
    now[0] += 3
    assert patient.round() == 0                               # 9: again
    now[0] += 5
    assert patient.round() == 1                               # then it goes out
    assert len(vk.created) == 1

    hand_over(daemon, approved(daemon, vk, tmp_path, comment=502))
    vk.refuse_comment(10, 10)
    now[0] = 10 ** 10                                         # past the publish due: tried for ten minutes more
    assert patient.round() == 0
    assert not case(daemon, f"vk:-{GROUP}_100_502").assignments[0].publication.failed_at
    now[0] += 601
    assert patient.round() == 0
    publication = case(daemon, f"vk:-{GROUP}_100_502").assignments[0].publication
    assert words.word(words.PublicationFailureKind, publication.failure) == "unreachable"
    assert publication.network_code == 10
    offices.in_both(daemon, case(daemon, f"vk:-{GROUP}_100_502").id,
                    "the network could not be reached before the publication was due",
                    "соцсеть была недоступна до истечения срока публикации")


@pytest.mark.parametrize("code", [6, 9, 10])
def test_a_transient_error_is_said_in_the_readers_language_while_it_is_tried_again(daemon, vk, tmp_path, capsys,
                                                                                  monkeypatch, code):
    office(daemon)
    hand_over(daemon, approved(daemon, vk, tmp_path))
    vk.refuse_comment(code, code)
    patient = publisher(daemon, vk, tmp_path)
    assert patient.round() == 0
    assert f"VK did not take the reply of " in capsys.readouterr().err
    patient.retry.clear()
    offices.russian(monkeypatch)
    assert patient.round() == 0
    said = capsys.readouterr().err
    assert f"ВКонтакте не принял ответ по поручению" in said and f"({code}); повтор через" in said
    patient.retry.clear()
    assert patient.round() == 1 and len(vk.created) == 1


def test_files_the_community_token_cannot_attach_are_said_on_the_reply(daemon, vk, tmp_path):
    """A draft with a file (an act as PDF): the community token cannot attach it, so the reply goes out as
    text, and the case says its files were left out."""
    office(daemon)
    vk.comment(501, 151850844, text="Когда засыплют яму у школы №3?")
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    view = case(daemon, f"vk:-{GROUP}_100_501")
    act = tmp_path / "акт.pdf"
    act.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 64)
    with as_(daemon, "cur") as curator:
        view = curator.call("otklik.v1.Cases", "Route", cases_pb2.RouteRequest(
            case_id=view.id, expected_version=view.version, executors=["roads"],
            topics=[cases_pb2.TopicAssignment(unit="roads", topic="дороги")]), cases_pb2.CaseView)
    with as_(daemon, "roads.exec") as executor:
        sha = executor.upload(str(act)).attachment.sha256
        view = executor.call("otklik.v1.Replies", "SubmitDraft", cases_pb2.SubmitDraftRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version, kind=words.value(words.DraftKind, "final"),
            text="Яму засыплют до пятницы, акт прилагаем.", attachments=[sha]), cases_pb2.CaseView)
    with as_(daemon, "cur") as curator:
        view = curator.call("otklik.v1.Replies", "ApproveDraft", cases_pb2.DraftDecisionRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version), cases_pb2.CaseView)
    hand_over(daemon, view)
    waiting = publisher(daemon, vk, tmp_path)
    items = waiting.daemon.call("otklik.v1.Connectors", "PendingPublications", connectors_pb2.PendingPublicationsRequest(
        network="vk", external_prefix=f"vk:-{GROUP}_"), connectors_pb2.PendingPublicationsResponse).publications
    assert [item.files for item in items] == [1]
    assert waiting.round() == 1
    (posted,) = vk.created
    assert posted["message"] == "Яму засыплют до пятницы, акт прилагаем." and "attachments" not in posted
    reply = case(daemon, f"vk:-{GROUP}_100_501").assignments[0].replies[0]
    assert reply.files_left_out and reply.url


def test_a_curator_cannot_hand_over_a_message_the_connector_did_not_register(daemon, vk, tmp_path):
    office(daemon)
    with as_(daemon, "cur") as curator:
        view = curator.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
            network="vk", url=f"https://vk.com/wall-{GROUP}_100?reply=600", author="Житель", text="Яма",
            detected_at_unix=int(time.time()) - 60), cases_pb2.CaseView)
        assert view.id
    with as_(daemon, "vk.connector") as connector:
        with pytest.raises(Exception) as refused:
            connector.call("otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id=view.id), cases_pb2.CaseView)
        assert "PERMISSION_DENIED" in repr(refused.value) or "permission" in str(refused.value).lower()
    # Its reply approved, handing it to the connector is refused: no connector registered the message.
    view = offices.approve(daemon, view, "Яму засыплют до пятницы.")
    from otklik_client import RPCError
    with as_(daemon, "cur") as curator, pytest.raises(RPCError) as handed:
        curator.call("otklik.v1.Replies", "RequestPublication", cases_pb2.RequestPublicationRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version, network="vk"), cases_pb2.CaseView)
    assert handed.value.reason == "not_from_connector" and "publish the reply by hand" in handed.value.message


def test_a_reply_the_directory_has_no_account_for_is_not_posted_until_it_has(daemon, vk, tmp_path, capsys):
    office(daemon)
    hand_over(daemon, approved(daemon, vk, tmp_path))
    now = [time.time()]
    waiting = otklik_vk.Publisher(otklik_vk.VK(vk.url + "/method/", TOKEN), lambda: as_(daemon, "vk.connector"), GROUP,
                                  str(tmp_path), account="Другой аккаунт", clock=lambda: now[0])
    # Nothing is posted that could not be recorded.
    assert waiting.round() == 0 and waiting.round() == 0
    assert vk.created == [] and capsys.readouterr().err.count("is not posted") == 1
    with Client(daemon) as admin:
        admin.call("otklik.v1.Directory", "PutAccount", directory_pb2.AccountView(
            network="vk", name="Другой аккаунт", url=f"https://vk.com/club{GROUP}"), directory_pb2.AccountView)
    now[0] += 61
    assert waiting.round() == 1 and len(vk.created) == 1
    assert case(daemon, f"vk:-{GROUP}_100_501").assignments[0].replies[0].account == "Другой аккаунт"


def test_a_photo_alone_comes_in_with_its_marker_and_an_old_comment_with_its_own_date(daemon, vk, tmp_path):
    office(daemon)
    vk.comment(501, 151850844, text="")
    with vk.lock:
        vk.events[-1][1]["object"]["attachments"] = [{"type": "photo", "photo": {"id": 1, "owner_id": 151850844}},
                                                     {"type": "link", "link": {"url": "https://example.ru/yama"}}]
    vk.comment(502, 151850845, text="Давний комментарий, только что изменён", kind="wall_reply_edit",
               date=int(time.time()) - 90 * 86400)
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    assert case(daemon, f"vk:-{GROUP}_100_501").text == "[фото] [ссылка] https://example.ru/yama"
    # Its own date, as an instant (the daemon says it in the schedule's offset, which is not this machine's).
    posted = datetime.fromisoformat(case(daemon, f"vk:-{GROUP}_100_502").posted_at).timestamp()
    assert abs(posted - (time.time() - 90 * 86400)) < 60


def test_an_edit_read_again_after_a_restart_does_not_undo_a_later_one(daemon, vk, tmp_path):
    office(daemon)
    vk.comment(501, 151850844, text="А")
    vk.comment(501, 151850844, text="Б", kind="wall_reply_edit")
    vk.comment(501, 151850844, text="В", kind="wall_reply_edit")
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    # The connector dies before saving its position: the same events come again.
    otklik_vk.State(str(tmp_path), f"vk-{GROUP}").save(ts="0")
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0
    view = case(daemon, f"vk:-{GROUP}_100_501")
    assert view.text == "В"
    assert history(daemon, view.id) == ["case.registered", "message.edited", "message.edited"]


def test_a_reply_being_posted_is_not_published_by_hand_nor_by_a_second_program(daemon, vk, tmp_path):
    office(daemon)
    view = hand_over(daemon, approved(daemon, vk, tmp_path))
    first, second = publisher(daemon, vk, tmp_path / "a"), publisher(daemon, vk, tmp_path / "b")
    (item,) = first.daemon.call("otklik.v1.Connectors", "PendingPublications", connectors_pb2.PendingPublicationsRequest(
        network="vk", external_prefix=f"vk:-{GROUP}_"), connectors_pb2.PendingPublicationsResponse).publications
    assert first.claim(item) and not second.claim(item)
    with as_(daemon, "cur") as curator:
        with pytest.raises(Exception) as refused:
            curator.call("otklik.v1.Replies", "Publish", cases_pb2.PublishRequest(
                assignment_id=f"{view.id}/1", expected_version=view.version,
                url=f"https://vk.com/wall-{GROUP}_100?reply=1"), cases_pb2.CaseView)
        assert "posting the reply" in str(refused.value)
    assert second.round() == 0 and first.round() == 1 and len(vk.created) == 1


def test_a_reply_is_handed_only_to_a_connector_that_runs_and_a_closed_case_takes_it_back(daemon, vk, tmp_path):
    office(daemon)
    # Registered by the connector's login, but no connector has reported: nothing would publish it.
    with as_(daemon, "vk.connector") as connector:
        connector.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
            network="vk", url=f"https://vk.com/wall-{GROUP}_100?reply=900", author="Житель", text="Яма",
            detected_at_unix=int(time.time()) - 60, external_id=f"vk:-{GROUP}_100_900"), cases_pb2.CaseView)
    view = offices.approve(daemon, case(daemon, f"vk:-{GROUP}_100_900"), "Засыплем.")
    with pytest.raises(Exception) as refused:
        hand_over(daemon, view)
    assert "no vk connector" in str(refused.value) and "50 seconds" in str(refused.value)
    assert intake(daemon, vk, tmp_path).run(rounds=1) == 0          # a connector runs (it reports)
    view = hand_over(daemon, view)
    with as_(daemon, "cur") as curator:
        curator.call("otklik.v1.Cases", "Withdraw", cases_pb2.WithdrawRequest(
            case_id=view.id, expected_version=view.version, reason="зарегистрировано по ошибке"), cases_pb2.CaseView)
    # Withdrawn: nothing waits for the connector, nothing is posted.
    assert publisher(daemon, vk, tmp_path).round() == 0 and vk.created == []
    assert not case(daemon, f"vk:-{GROUP}_100_900").assignments[0].HasField("publication")


def test_a_connector_speaks_only_of_the_messages_connectors_register(daemon):
    office(daemon)
    with as_(daemon, "cur") as curator:
        curator.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
            network="vk", url=f"https://vk.com/wall-{GROUP}_100?reply=901", author="Житель", text="Яма",
            detected_at_unix=int(time.time()) - 60, external_id="import-901"), cases_pb2.CaseView)
    with as_(daemon, "vk.connector") as connector:
        with pytest.raises(Exception) as refused:
            connector.call("otklik.v1.Connectors", "RecordNetworkChange", connectors_pb2.NetworkChangeRequest(
                network="vk", external_id="import-901", kind=words.value(words.NetworkChangeKind, "edited"),
                text="Подменённый текст"), connectors_pb2.NetworkChangeResponse)
        assert "NOT_FOUND" in repr(refused.value) or "no case" in str(refused.value)
    assert case(daemon, "import-901").text == "Яма"


def otklik(socket_path, *arguments, russian=False):
    """The otklik CLI beside the otklikd under test, as the curator types it."""
    import subprocess
    program = os.path.join(os.path.dirname(os.path.abspath(os.environ["OTKLIKD"])), "otklik")
    environment = {key: value for key, value in os.environ.items() if key not in ("OTKLIK_HOST", "LC_ALL")}
    environment["LANG"] = "ru_RU.UTF-8" if russian else "C.UTF-8"
    return subprocess.run([program, *arguments, "--socket", socket_path, "--as", "cur"], capture_output=True,
                          text=True, env=environment, timeout=60)


def test_the_curator_hands_a_reply_over_naming_the_network_as_people_do(daemon, vk, tmp_path):
    office(daemon)
    view = approved(daemon, vk, tmp_path)
    said = otklik(daemon, "reply", "publish", f"{view.id}/1", "--via", "ВКонтакте", russian=True)
    assert said.returncode == 0, said.stderr
    assert history(daemon, view.id)[-1] == "reply.publication_requested"
    assert publisher(daemon, vk, tmp_path).round() == 1
    assert case(daemon, f"vk:-{GROUP}_100_501").assignments[0].replies[0].url.startswith(f"https://vk.com/wall-{GROUP}_100?reply=")
    # A network that is not the message's is refused, naming both.
    other = approved(daemon, vk, tmp_path, comment=502)
    refused = otklik(daemon, "reply", "publish", f"{other.id}/1", "--via", "telegram")
    assert refused.returncode != 0 and "tg" in refused.stderr and "vk" in refused.stderr, refused.stderr


def test_where_the_profile_says_so_a_reply_published_without_a_url_goes_to_the_connector(vk, tmp_path):
    """published_by_connector: the curator's plain `otklik reply publish CASE/N` hands it over."""
    import json
    from otklik_client import admin_pb2
    from otklik_client.testing import running_daemon
    with running_daemon(os.environ["OTKLIKD"]) as shipped:
        with Client(shipped) as admin:
            profile = json.loads(admin.call("otklik.v1.Admin", "GetProfile", admin_pb2.GetProfileRequest(),
                                            admin_pb2.GetProfileResponse).json)
    profile["published_by_connector"] = ["vk"]
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False))
    with running_daemon(os.environ["OTKLIKD"], "--profile", str(path)) as daemon:
        office(daemon)
        view = approved(daemon, vk, tmp_path)
        said = otklik(daemon, "reply", "publish", f"{view.id}/1")
        assert said.returncode == 0, said.stderr
        assert history(daemon, view.id)[-1] == "reply.publication_requested"
        assert publisher(daemon, vk, tmp_path).round() == 1
        (posted,) = vk.created
        assert posted["reply_to_comment"] == "501"
        assert case(daemon, f"vk:-{GROUP}_100_501").assignments[0].replies[0].url.endswith("?reply=9000&thread=501")
        # A URL given is a publication by hand, profile or not.
        other = approved(daemon, vk, tmp_path, comment=502)
        by_hand = otklik(daemon, "reply", "publish", f"{other.id}/1", "--url", f"https://vk.com/wall-{GROUP}_100?reply=77",
                         "--account", "Администрация Боровичей")
        assert by_hand.returncode == 0, by_hand.stderr
        assert history(daemon, other.id)[-1] == "reply.published" and len(vk.created) == 1
