"""The typed methods as an IT department's script uses them: datetimes in, exceptions with the
daemon's reasons out, a thousand cases through a simulated clock."""
import datetime
import time
import zoneinfo

import pytest

from otklik_client import (Client, InvalidArgument, NotFound, PermissionDenied, RPCError, StatusCode, VersionConflict,
                           instant, words)
from otklik_client.testing import running_daemon

from conftest import otklikd_path

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
MORNING = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=MOSCOW)


@pytest.fixture
def office():
    """A daemon on a simulated clock (2026-12-01 10:00 in Moscow) with a curator and two units."""
    with running_daemon(otklikd_path(), "--test-clock", "2026-12-01T10:00:00+03:00") as socket_path:
        with Client(socket_path) as admin:
            admin.put_unit(name="curator-centre", title="ОАЦ", kind="curator_centre")
            for unit in ("roads", "housing"):
                admin.put_unit(name=unit, title=unit, kind="department")
                admin.put_staff(login=f"{unit}.ex", full_name="Исполнитель", os_user=f"os-{unit}", unit=unit,
                                roles=["executor"], active=True)
            admin.put_staff(login="cur", full_name="Куратор", os_user="os-cur", unit="curator-centre",
                            roles=["curator"], active=True)
        yield socket_path


def test_calls_take_datetimes_and_words_and_raise_by_status(office):
    with Client(office, metadata={"otklik-as": "cur"}) as curator:
        case = curator.register_message("vk", "https://vk.com/wall-1_1", "Анна", "Яма у школы",
                                        detected_at=MORNING.astimezone(datetime.timezone.utc), topics=["дороги"],
                                        importance="high")
        assert case.importance == words.Importance.IMPORTANCE_HIGH
        assert instant(case.detected_at) == MORNING
        assert instant(case.route.due) == datetime.datetime(2026, 12, 1, 9, 30, tzinfo=MOSCOW)
        routed = curator.route(case.id, expected_version=case.version, executors=["roads"],
                               topics=[{"unit": "roads", "topic": "дороги"}])
        assert [a.executor for a in routed.assignments] == ["roads"]
        # A stale version: the exception of its status, with the daemon's reason and arguments.
        with pytest.raises(VersionConflict) as conflict:
            curator.reject(case.id, expected_version=case.version, reason="obscene")
        assert conflict.value.code == StatusCode.ABORTED and conflict.value.reason == "version_conflict"
        assert conflict.value.arguments["current"] == str(routed.version)
        with pytest.raises(NotFound) as missing:
            curator.get_case("2026-999999")
        assert missing.value.reason == "case_not_found" and isinstance(missing.value, RPCError)
        # A naive datetime names no instant: refused before anything is sent.
        with pytest.raises(ValueError, match="naive"):
            curator.register_message("vk", "https://vk.com/wall-1_2", "Б", "Т", detected_at=datetime.datetime(2026, 12, 1, 9))
        with pytest.raises(InvalidArgument) as future:
            curator.register_message("vk", "https://vk.com/wall-1_3", "Б", "Т",
                                     detected_at=MORNING + datetime.timedelta(days=2))
        assert future.value.reason != ""
        with pytest.raises(ValueError, match="not one of"):
            curator.register_message("vk", "https://vk.com/wall-1_4", "Б", "Т", detected_at=MORNING, importance="urgent")
    with Client(office, metadata={"otklik-as": "roads.ex"}) as executor:
        with pytest.raises(PermissionDenied) as denied:
            executor.register_message("vk", "https://vk.com/wall-1_5", "Б", "Т", detected_at=MORNING)
        assert denied.value.reason != "" and "curator" in denied.value.arguments.get("allowed_roles", "")
        due = executor.compute_due(from_=MORNING, minutes=240, schedule="executor")
        assert instant(due.due) == datetime.datetime(2026, 12, 1, 13, 0, tzinfo=MOSCOW)


def test_a_thousand_cases_are_registered_and_the_clock_runs_through_them(office):
    """A thousand messages, then a working day and a half of the simulated clock: every routing term
    has passed, the daemon says so, and nothing stalls (the daemon's log goes to a file)."""
    with Client(office, metadata={"otklik-as": "cur"}) as curator:
        started = time.monotonic()
        answer = curator.import_messages(
            messages=[{"network": "vk", "url": f"https://vk.com/wall-9_{n}", "author": f"Житель {n}",
                       "text": f"Обращение {n}", "detected_at_unix": int(MORNING.timestamp()) + n % 600,
                       "topics": ["ЖКХ"]} for n in range(1000)],
            apply=True)
        assert [words.word(type(o).Kind, o.kind) for o in answer.outcomes].count("new") == 1000
        registered = time.monotonic() - started
        with Client(office) as admin:
            clock = admin.advance_clock(datetime.timedelta(hours=30))
        assert instant(clock.now) == datetime.datetime(2026, 12, 2, 16, 0, tzinfo=MOSCOW)
        overdue = list(curator.list_all_cases(overdue=True))
        assert len(overdue) == 1000
        assert all(view.route.state == words.ClockState.CLOCK_STATE_BREACHED for view in overdue)
        print(f"1000 cases registered in {registered:.2f} s; the clock advanced 30 h and all 1000 read back "
              f"in {time.monotonic() - started - registered:.2f} s")
