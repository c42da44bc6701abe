"""benchmarks/connector-calls: the connectors' daemon calls on a database of N cases (see the script)."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, "clients", "python"), os.path.join(ROOT, "clients", "connect", "tests")]

import offices  # noqa: E402
from otklik_client import Client, RPCError, cases_pb2, connectors_pb2, words  # noqa: E402

GROUP = 218375


def timed(call, times=200):
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        spent.append(time.perf_counter() - start)
    return (f"median {statistics.median(spent) * 1000:.2f} ms, p99 {sorted(spent)[int(0.99 * (len(spent) - 1))] * 1000:.2f} ms, "
            f"max {max(spent) * 1000:.2f} ms (the first {spent[0] * 1000:.2f} ms)")


def main():
    data, cases = sys.argv[1], int(sys.argv[2])
    place = tempfile.mkdtemp(prefix="otklik-calls-")
    socket_path = os.path.join(place, "s.sock")
    daemon = subprocess.Popen([os.environ["OTKLIKD"], "--socket", socket_path, "--data", data, "--test-clock",
                               "2026-12-01T10:00:00+03:00", "--allow-clock-before-log", "--log-level", "warning"])
    try:
        for _ in range(6000):   # a large file may take a while to open the first time (a migration)
            try:
                Client(socket_path).close()
                break
            except RPCError:
                if daemon.poll() is not None:
                    raise SystemExit("otklikd did not start")
                time.sleep(0.1)
        measure(socket_path, cases)
    finally:
        daemon.terminate()
        daemon.wait()
        shutil.rmtree(place, ignore_errors=True)


def measure(socket_path, cases):
    """The calls, timed, on the running daemon of `cases` cases."""
    offices.office(socket_path, connector="bench.vk", account=("vk", "bench", f"https://vk.com/club{GROUP}"),
                   curator="bench.cur", executor="bench.exec", units=("bench-centre", "bench-roads"))
    now = int(datetime.fromisoformat("2026-12-01T09:00:00+03:00").timestamp())
    with Client(socket_path, metadata={"otklik-as": "bench.vk"}) as connector, \
            Client(socket_path, metadata={"otklik-as": "bench.cur"}) as curator, \
            Client(socket_path, metadata={"otklik-as": "bench.exec"}) as executor:
        def report():
            connector.call("otklik.v1.Connectors", "ReportHealth", connectors_pb2.ConnectorReport(
                network="vk", community=f"club{GROUP}", external_prefix=f"vk:-{GROUP}_",
                state=words.value(words.ConnectorState, "ok"), last_poll_unix=now), connectors_pb2.ReportHealthResponse)
        report()
        # Five comments of the community, their replies approved and handed to the connector.
        for n in range(5):
            view = connector.call("otklik.v1.Cases", "RegisterMessage", cases_pb2.RegisterMessageRequest(
                network="vk", url=f"https://vk.com/wall-{GROUP}_1?reply={900000 + n}", author="Житель",
                text=f"Комментарий {n}", detected_at_unix=now, external_id=f"vk:-{GROUP}_1_{900000 + n}",
                allow_old=True), cases_pb2.CaseView)
            view = curator.call("otklik.v1.Cases", "Route", cases_pb2.RouteRequest(
                case_id=view.id, expected_version=view.version, executors=["bench-roads"],
                topics=[cases_pb2.TopicAssignment(unit="bench-roads", topic="прочее")]), cases_pb2.CaseView)
            view = executor.call("otklik.v1.Replies", "SubmitDraft", cases_pb2.SubmitDraftRequest(
                assignment_id=f"{view.id}/1", expected_version=view.version,
                kind=words.value(words.DraftKind, "final"), text="Ответ"), cases_pb2.CaseView)
            view = curator.call("otklik.v1.Replies", "ApproveDraft", cases_pb2.DraftDecisionRequest(
                assignment_id=f"{view.id}/1", expected_version=view.version), cases_pb2.CaseView)
            curator.call("otklik.v1.Replies", "RequestPublication", cases_pb2.RequestPublicationRequest(
                assignment_id=f"{view.id}/1", expected_version=view.version, network="vk"), cases_pb2.CaseView)
        pending = connectors_pb2.PendingPublicationsRequest(network="vk", external_prefix=f"vk:-{GROUP}_")
        waiting = connector.call("otklik.v1.Connectors", "PendingPublications", pending,
                                 connectors_pb2.PendingPublicationsResponse).publications
        assert len(waiting) == 5, len(waiting)
        edits = iter(range(10 ** 6))
        print(f"{cases:>9} cases: PendingPublications {timed(lambda: connector.call('otklik.v1.Connectors', 'PendingPublications', pending, connectors_pb2.PendingPublicationsResponse))}")
        print(f"{cases:>9} cases: RecordNetworkChange {timed(lambda: connector.call('otklik.v1.Connectors', 'RecordNetworkChange', connectors_pb2.NetworkChangeRequest(network='vk', external_id=f'vk:-{GROUP}_1_900000', kind=words.value(words.NetworkChangeKind, 'edited'), text=f'Правка {next(edits)}'), connectors_pb2.NetworkChangeResponse))}")
        print(f"{cases:>9} cases: ReportHealth        {timed(report)}")
        listed = curator.call("otklik.v1.Connectors", "ListConnectors", connectors_pb2.ListConnectorsRequest(),
                              connectors_pb2.ListConnectorsResponse).connectors
        assert listed[0].publications_waiting == 5, listed
        print(f"{cases:>9} cases: ListConnectors      {timed(lambda: curator.call('otklik.v1.Connectors', 'ListConnectors', connectors_pb2.ListConnectorsRequest(), connectors_pb2.ListConnectorsResponse))}")


if __name__ == "__main__":
    main()
