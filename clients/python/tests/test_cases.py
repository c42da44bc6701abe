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
        assert [c.id for c in curator.list_cases(state="routed")] == [case.id]
        hits = curator.search_cases("яма")
        assert [hit.view.id for hit in hits] == [case.id] and "«Яма»" in hits[0].snippet
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
