"""benchmarks/connectors: the network connectors' figures (see the shell script beside it)."""
import os
import statistics
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, "clients", "connect", "tests"), os.path.join(ROOT, "clients", "connect"),
                os.path.join(ROOT, "clients", "python")]

from fake_vk import FakeVK  # noqa: E402
from otklik_client import Client, cases_pb2  # noqa: E402
from otklik_client.testing import running_daemon  # noqa: E402
from otklik_connectors import vk as otklik_vk  # noqa: E402
import offices  # noqa: E402
from test_vk_publication import GROUP, TOKEN, office  # noqa: E402


class Timed(FakeVK):
    """The fake VK, noting when each long-poll answer carrying comments left it."""

    def __init__(self):
        super().__init__(GROUP, TOKEN)
        self.answered = {}      # comment id -> when the poll answer carrying it was sent
        fake = self
        handler = self.server.RequestHandlerClass
        answer = handler.answer

        def timed(self, body):
            now = time.perf_counter()
            for update in (body.get("updates") or []) if isinstance(body, dict) else []:
                fake.answered.setdefault(update["object"]["id"], now)
            return answer(self, body)

        handler.answer = timed


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def main():
    single, burst, publications = (int(n) for n in sys.argv[1:4])
    with tempfile.TemporaryDirectory(prefix="otklik-bench-connectors-") as state, \
            running_daemon(os.environ["OTKLIKD"], "--log-level", "warning") as socket_path:
        office(socket_path)
        vk = Timed()
        registered = {}
        intake = otklik_vk.Intake(otklik_vk.VK(vk.url + "/method/", TOKEN),
                                  lambda: Client(socket_path, metadata={"otklik-as": "vk.connector"}), GROUP, state)
        deliver = intake.deliver

        def noted(updates, received):
            taken = deliver(updates, received)
            now = time.perf_counter()
            for update in updates:
                registered.setdefault(update["object"]["id"], now)
            return taken

        intake.deliver = noted
        stop = threading.Event()
        threading.Thread(target=intake.run, kwargs={"stop": stop}, daemon=True).start()

        def wait_for(ids, timeout=120):
            deadline = time.monotonic() + timeout
            while not all(i in registered for i in ids):
                if time.monotonic() > deadline:
                    raise SystemExit(f"not registered within {timeout} s")
                time.sleep(0.001)

        # One comment at a time.
        latencies = []
        for n in range(single):
            cid = 10_000 + n
            vk.comment(cid, 151850844 + n % 50, post_id=100 + n % 5, text=f"Яма у дома {n}, когда засыплют?")
            wait_for([cid])
            latencies.append(registered[cid] - vk.answered[cid])
        print(f"single comment, VK's answer to its registered case ({single} comments): "
              f"p50 {ms(statistics.median(latencies))}, p99 {ms(percentile(latencies, 0.99))}, max {ms(max(latencies))}")

        # A burst in one poll.
        ids = list(range(100_000, 100_000 + burst))
        with vk.lock:
            for i in ids:
                obj = {"id": i, "from_id": 151900000 + i % 700, "post_id": 200 + i % 7, "owner_id": -GROUP,
                       "parents_stack": [], "date": int(time.time()) - 5, "text": f"Комментарий {i}: снег не убран",
                       "thread": {"count": 0}, "post_owner_id": -GROUP}
                vk.events.append((len(vk.events) + 1, {"type": "wall_reply_new", "object": obj, "group_id": GROUP,
                                                       "event_id": f"b{i}", "v": "5.199"}))
        wait_for(ids)
        first = min(vk.answered[i] for i in ids)
        took = max(registered[i] for i in ids) - first
        print(f"burst of {burst} comments, VK's answer to the last registered: {took:.2f} s, {burst / took:.0f} comments/s")

        # Publications: the curator's word to the URL on the case.
        publisher = otklik_vk.Publisher(otklik_vk.VK(vk.url + "/method/", TOKEN),
                                        lambda: Client(socket_path, metadata={"otklik-as": "vk.connector"}), GROUP, state)
        threading.Thread(target=publisher.run, kwargs={"stop": stop}, daemon=True).start()
        ways = []
        with Client(socket_path, metadata={"otklik-as": "cur"}) as curator:
            for n in range(publications):
                cid = 500_000 + n
                vk.comment(cid, 151850844, text="Когда засыплют яму у школы №3?")
                wait_for([cid])
                found = curator.call("otklik.v1.Cases", "SearchCases", cases_pb2.SearchCasesRequest(
                    text="засыплют школы", limit=1000), cases_pb2.SearchCasesResponse)
                view = next(hit.view for hit in found.hits if hit.view.external_id.endswith(f"_{cid}"))
                view = offices.approve(socket_path, view, "Яму засыплют до пятницы.")
                start = time.perf_counter()
                curator.call("otklik.v1.Replies", "RequestPublication", cases_pb2.RequestPublicationRequest(
                    assignment_id=f"{view.id}/1", expected_version=view.version, network="vk"), cases_pb2.CaseView)
                while not curator.call("otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id=view.id),
                                       cases_pb2.CaseView).assignments[0].replies:
                    time.sleep(0.005)
                ways.append(time.perf_counter() - start)
        print(f"publication, the curator's word to the URL on the case ({publications} replies, the publisher "
              f"looking every {publisher.interval:g} s): p50 {ms(statistics.median(ways))}, max {ms(max(ways))}")
        stop.set()
        vk.close()


if __name__ == "__main__":
    main()
