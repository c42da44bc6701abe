import datetime
import time
import zoneinfo

from otklik_client import Client, RPCError, StatusCode, cases_pb2, directory_pb2, words


def curator_office(socket_path):
    with Client(socket_path) as admin:
        admin.call("otklik.v1.Directory", "PutUnit", directory_pb2.UnitView(name="curator-centre", title="ОАЦ", kind=words.UnitKind.UNIT_KIND_CURATOR_CENTRE),
                   directory_pb2.UnitView)
        admin.call("otklik.v1.Directory", "PutUnit", directory_pb2.UnitView(name="roads", title="Дороги", kind=words.UnitKind.UNIT_KIND_DEPARTMENT),
                   directory_pb2.UnitView)
        admin.call("otklik.v1.Directory", "PutStaff", directory_pb2.StaffView(login="cur", full_name="К", os_user="os-cur",
                   unit="curator-centre", roles=[words.Role.ROLE_CURATOR], active=True), directory_pb2.StaffView)
        admin.call("otklik.v1.Directory", "PutStaff", directory_pb2.StaffView(login="roads.ex", full_name="Д", os_user="os-roads",
                   unit="roads", roles=[words.Role.ROLE_EXECUTOR], active=True), directory_pb2.StaffView)


def test_a_script_registers_routes_reads_watches_and_reports(daemon):
    curator_office(daemon)
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        events = curator.watch(kinds=["case.routed"])
        detected = int(time.time()) - 60
        case = curator.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
            network="vk", url="https://vk.com/wall-5_1", author="Автор", text="Яма", detected_at_unix=detected, topics=["дороги"]),
            cases_pb2.CaseView)
        curator.call("otklik.v1.Cases", "Route", cases_pb2.RouteRequest(case_id=case.id, expected_version=case.version, executors=["roads"]),
                     cases_pb2.CaseView)
        shown = curator.get_case(case.id)
        assert shown.state == words.CaseState.CASE_STATE_ROUTED
        assert words.word(words.CaseState, shown.state) == "routed"
        assert shown.assignments[0].executor == "roads"
        assert {words.word(words.ClockKind, clock.kind) for clock in shown.assignments[0].clocks} == {"reply", "draft"}
        assert [c.id for c in curator.list_cases(state="routed").cases] == [case.id]
        assert [c.id for c in curator.list_all_cases(state="routed", page=1)] == [case.id]
        # Any form of the word: "ямы" finds "Яма", marked by place (code points, Python's indices).
        hits = curator.search_cases("ямы").hits
        assert [hit.view.id for hit in hits] == [case.id] and hits[0].snippet == "Яма"
        assert [hits[0].snippet[m.start:m.start + m.length] for m in hits[0].marks] == ["Яма"]
        event = next(events)
        assert event.kind == words.EventKind.EVENT_KIND_CASE_ROUTED and event.case_id == case.id
        assert words.event_word(event.kind) == "case.routed"
        events.close()
        # The month of detection as the district counts it (Moscow time).
        month = datetime.datetime.fromtimestamp(detected, zoneinfo.ZoneInfo("Europe/Moscow")).strftime("%Y-%m")
        report = curator.monthly_summary(month=month)
        assert report["schema"] == "otklik.report.monthly/1"
        assert report["dynamics"]["messages"]["this"] >= 1
        try:
            curator.get_case("2000-000001")
        except RPCError as error:
            assert error.code == StatusCode.NOT_FOUND
        else:
            raise AssertionError("a missing case was found")


def test_a_script_uploads_and_downloads_an_attachment(daemon, tmp_path):
    curator_office(daemon)
    # A PDF (told by its content, whatever the name), then the same bytes again: stored once.
    document = tmp_path / "акт выполненных работ.pdf"
    document.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4096)
    with Client(daemon, metadata={"otklik-as": "cur"}) as curator:
        answer = curator.upload(str(document))
        assert not answer.existing
        info = answer.attachment
        assert info.kind == "document" and info.content_type == "application/pdf"
        assert info.size == document.stat().st_size and info.name == "акт выполненных работ.pdf"
        assert curator.upload(str(document), name="copy.pdf").existing
        out = tmp_path / "back.pdf"
        assert curator.download(info.sha256, str(out)).sha256 == info.sha256
        assert out.read_bytes() == document.read_bytes()
        # Refused: an unknown kind; an existing output file is never overwritten.
        text = tmp_path / "note.jpg"
        text.write_text("не фото")
        try:
            curator.upload(str(text))
            assert False, "a text file was accepted as a photo"
        except RPCError as error:
            assert error.code == StatusCode.INVALID_ARGUMENT and "JPEG, PNG" in error.message
        try:
            curator.download(info.sha256, str(out))
            assert False, "an existing file was overwritten"
        except FileExistsError:
            pass
        assert out.read_bytes() == document.read_bytes()
