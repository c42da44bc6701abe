"""A Watch is checked against its caller's rights at every delivery (issue 25, H1): a stream opened
before a deactivation, a move to another unit or the end of an absence stops delivering what the
caller may no longer read, through the wire as the shipped notifier holds it."""
import datetime
import threading

import fuzzlib
from otklik_client import Client, RPCError, StatusCode, words
from otklik_client._gen.otklik.v1 import cases_pb2

CURATOR = {"otklik-as": "curator.petrova"}


def routed(curator, number, unit):
    view = curator.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
        network="vk", url=f"https://vk.com/wall-4_{number}", author="Житель", text=f"Обращение {number}",
        detected_at_unix=fuzzlib.DEMO_NOW_UNIX - 60), cases_pb2.CaseView)
    curator.call("otklik.v1.Cases", "Route", cases_pb2.RouteRequest(
        case_id=view.id, expected_version=view.version, executors=[unit],
        topics=[cases_pb2.TopicAssignment(unit=unit, topic="дороги")]), cases_pb2.CaseView)
    return view.id


def read(stream, until, timeout=10):
    """Case events of the stream until `until(event)` holds: that event, or the stream's error, or
    None when nothing more came in `timeout` (read in a thread: a stream that delivers nothing more
    must not hang the test)."""
    box = []

    def reader():
        try:
            for event in stream:
                if event.case_id and until(event):
                    box.append(event)
                    return
        except RPCError as error:
            box.append(error)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(timeout)
    return box[0] if box else None


def routed_event(stream, case_id):
    """Reads on to `case_id`'s routing: the stream delivers while the rights allow."""
    event = read(stream, lambda event: event.case_id == case_id and event.kind == words.event_kind("case.routed"))
    assert event is not None and not isinstance(event, RPCError), f"{case_id} was not delivered: {event}"


def first_event_of(stream, *case_ids):
    """The first event about one of `case_ids` (the scheduler's notices of other cases pass by)."""
    return read(stream, lambda event: event.case_id in case_ids)


def test_a_deactivated_executors_watch_ends_with_permission_denied(daemon):
    with Client(daemon.socket_path, metadata=CURATOR) as curator, \
            Client(daemon.socket_path, metadata={"otklik-as": "roads.smirnov"}, timeout=None) as roads, \
            Client(daemon.socket_path) as root:
        stream = roads.watch()
        routed_event(stream, routed(curator, 1, "roads"))
        root.deactivate_staff(login="roads.smirnov")
        ended = read(stream, lambda event: True)
        assert isinstance(ended, RPCError) and ended.code == StatusCode.PERMISSION_DENIED, ended
        assert ended.reason == "rights_ended"


def test_an_executor_moved_to_another_unit_no_longer_receives_the_old_units_cases(daemon):
    with Client(daemon.socket_path, metadata=CURATOR) as curator, \
            Client(daemon.socket_path, metadata={"otklik-as": "roads.smirnov"}, timeout=None) as roads, \
            Client(daemon.socket_path) as root:
        stream = roads.watch()
        routed_event(stream, routed(curator, 2, "roads"))
        # A second roads executor first, so roads still answers once roads.smirnov moves.
        root.put_staff(login="roads.second", full_name="Второй", os_user="demo-second", unit="roads",
                       roles=["executor"], active=True)
        staff = root.get_staff(login="roads.smirnov")
        root.put_staff(login=staff.login, full_name=staff.full_name, os_user=staff.os_user, unit="housing",
                       roles=list(staff.roles), active=True)
        later = routed(curator, 3, "roads")
        theirs = routed(curator, 4, "housing")
        event = first_event_of(stream, later, theirs)
        assert event is not None and event.case_id == theirs, f"roads case {later} reached a former roads executor"


def test_a_deputys_watch_stops_delivering_the_absent_colleagues_unit_when_the_absence_ends(daemon):
    with Client(daemon.socket_path, metadata=CURATOR) as curator, \
            Client(daemon.socket_path, metadata={"otklik-as": "housing.kuznetsova"}, timeout=None) as deputy, \
            Client(daemon.socket_path) as root:
        now = datetime.datetime.fromtimestamp(fuzzlib.DEMO_NOW_UNIX, datetime.timezone.utc)
        root.add_absence(login="roads.smirnov", from_=now - datetime.timedelta(hours=1),
                         to=now + datetime.timedelta(hours=1), deputy="housing.kuznetsova", reason="отпуск")
        stream = deputy.watch()
        routed_event(stream, routed(curator, 5, "roads"))
        root.set_clock(now=now + datetime.timedelta(hours=1))
        later = routed(curator, 6, "roads")
        own = routed(curator, 7, "housing")
        event = first_event_of(stream, later, own)
        assert event is not None and event.case_id == own, f"roads case {later} reached the deputy after the absence"
