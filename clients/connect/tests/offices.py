"""The office every connector test (and benchmark) works in: the curator centre and a roads unit, the
curator `cur`, the roads executor `roads.exec`, a connector's login, and the administration's account in
the connector's network."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))

from otklik_client import Client, directory_pb2, words  # noqa: E402


def office(socket_path, connector="vk.connector", account=("vk", "Администрация Боровичей", "https://vk.com/club218375"),
           curator="cur", executor="roads.exec", units=("curator-centre", "roads")):
    """Puts the office in the directory of the daemon at `socket_path` (as its admin)."""
    centre, roads = units
    with Client(socket_path) as admin:
        for name, kind in ((centre, "curator_centre"), (roads, "administration")):
            admin.call("otklik.v1.Directory", "PutUnit", directory_pb2.UnitView(
                name=name, title=name, kind=words.value(words.UnitKind, kind)), directory_pb2.UnitView)
        for login, role, home in ((curator, "curator", centre), (connector, "connector", centre),
                                  (executor, "executor", roads)):
            admin.call("otklik.v1.Directory", "PutStaff", directory_pb2.StaffView(
                login=login, full_name=login, os_user=f"os-{login}", unit=home,
                roles=[words.value(words.Role, role)], active=True), directory_pb2.StaffView)
        if account:
            network, name, url = account
            admin.call("otklik.v1.Directory", "PutAccount", directory_pb2.AccountView(network=network, name=name, url=url),
                       directory_pb2.AccountView)


def approve(socket_path, view, text, curator="cur", executor="roads.exec", unit="roads", topic="дороги"):
    """The case `view` routed to the roads unit, its executor's final draft `text` submitted and the
    curator's approval: the case as it then stands."""
    from otklik_client import cases_pb2

    with Client(socket_path, metadata={"otklik-as": curator}) as by_curator:
        view = by_curator.call("otklik.v1.Cases", "Route", cases_pb2.RouteRequest(
            case_id=view.id, expected_version=view.version, executors=[unit],
            topics=[cases_pb2.TopicAssignment(unit=unit, topic=topic)]), cases_pb2.CaseView)
    with Client(socket_path, metadata={"otklik-as": executor}) as by_executor:
        view = by_executor.call("otklik.v1.Replies", "SubmitDraft", cases_pb2.SubmitDraftRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version, kind=words.value(words.DraftKind, "final"),
            text=text), cases_pb2.CaseView)
    with Client(socket_path, metadata={"otklik-as": curator}) as by_curator:
        return by_curator.call("otklik.v1.Replies", "ApproveDraft", cases_pb2.DraftDecisionRequest(
            assignment_id=f"{view.id}/1", expected_version=view.version), cases_pb2.CaseView)


def shown(socket_path, case_id, lang, curator="cur"):
    """`otklik case show` of `case_id` as the curator reads it under the locale `lang` (the CLI beside
    $OTKLIKD): its standard output."""
    import subprocess

    otklik = os.path.join(os.path.dirname(os.path.abspath(os.environ["OTKLIKD"])), "otklik")
    answer = subprocess.run([otklik, "case", "show", case_id, "--socket", socket_path, "--as", curator],
                            capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, LANG=lang, LC_ALL=lang, LC_MESSAGES=lang))
    assert answer.returncode == 0, answer.stderr
    return answer.stdout


def russian(monkeypatch):
    """This test process's reader is Russian from here on (LANG; LC_ALL and LC_MESSAGES would override it)."""
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)


def in_both(socket_path, case_id, english, russian):
    """The case's page says `english` to an English reader and `russian` to a Russian one, and each only
    its own."""
    said_en, said_ru = shown(socket_path, case_id, "C.UTF-8"), shown(socket_path, case_id, "ru_RU.UTF-8")
    assert english in said_en and russian not in said_en, said_en
    assert russian in said_ru and english not in said_ru, said_ru
    return said_en, said_ru
