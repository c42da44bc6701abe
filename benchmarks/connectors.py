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

from fake_telegram import FakeTelegram, person  # noqa: E402
from fake_vk import FakeVK  # noqa: E402
from otklik_client import Client, cases_pb2  # noqa: E402
from otklik_client.testing import running_daemon  # noqa: E402
from otklik_connectors import telegram as otklik_telegram, telegram_publication, vk as otklik_vk  # noqa: E402
import offices  # noqa: E402
from test_vk_publication import GROUP, TOKEN, office  # noqa: E402

TG_TOKEN = "7000000001:AAF-bench-bot-token_0123456789abcdef"
CHAT, CHANNEL = -1001234567890, "borovichi_adm"


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


class TimedTelegram(FakeTelegram):
    """The fake Bot API, noting when each getUpdates answer carrying comments left it."""

    def __init__(self):
        super().__init__(TG_TOKEN, channel=CHANNEL, chat=CHAT)
        self.answered = {}      # message id -> when the getUpdates answer carrying it was sent
        fake = self
        handler = self.server.RequestHandlerClass
        answer = handler.answer

        def timed(self, status, body, retry_after=None):
            now = time.perf_counter()
            result = body.get("result") if isinstance(body, dict) else None
            for update in result if isinstance(result, list) else []:
                if isinstance(update, dict) and "message" in update:
                    fake.answered.setdefault(update["message"]["message_id"], now)
            return answer(self, status, body, retry_after)

        handler.answer = timed


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


class Network:
    """What one network's run needs: its fake, its intake and publisher, how a comment is written there
    and how its id is read from an update."""

    def __init__(self, name, socket_path, state):
        self.name = name
        login = f"{name}.connector" if name == "tg" else "vk.connector"
        client = lambda: Client(socket_path, metadata={"otklik-as": login})  # noqa: E731
        if name == "vk":
            self.fake = Timed()
            self.intake = otklik_vk.Intake(otklik_vk.VK(self.fake.url + "/method/", TOKEN), client, GROUP, state)
            self.publisher = otklik_vk.Publisher(otklik_vk.VK(self.fake.url + "/method/", TOKEN), client, GROUP, state)
        else:
            self.fake = TimedTelegram()
            self.root = self.fake.post(100)
            self.intake = otklik_telegram.Intake(otklik_telegram.Telegram(self.fake.url, TG_TOKEN), client, CHANNEL,
                                                 CHAT, state, wait=25)
            self.publisher = telegram_publication.Publisher(otklik_telegram.Telegram(self.fake.url, TG_TOKEN), client,
                                                            CHAT, state)

    def ids(self, updates):
        if self.name == "vk":
            return [update["object"]["id"] for update in updates]
        return [update["message"]["message_id"] for update in updates if "message" in update]

    def comment(self, n, text):
        """A citizen's comment written now; its id."""
        if self.name == "vk":
            cid = 10_000_000 + n
            self.fake.comment(cid, 151850844 + n % 50, post_id=100 + n % 5, text=text)
            return cid
        return self.fake.comment(person(5100000000 + n % 50, f"Житель{n % 50}"), self.root, text=text)

    def burst(self, count):
        """`count` comments written at once, waiting in the network together; their ids."""
        if self.name == "tg":
            fake = self.fake
            people = [person(5200000000 + n, f"Житель{n}") for n in range(700)]
            with fake.lock:
                ids = []
                for i in range(count):
                    replied = fake.messages[(fake.group["id"], self.root)]
                    message = fake.message(fake.group, from_=people[i % 700], message_thread_id=self.root,
                                           reply_to_message=fake.bare(replied), text=f"Комментарий {i}: снег не убран")
                    fake.updates.append((fake.next_update, {"update_id": fake.next_update, "message": message}))
                    fake.next_update += 1
                    ids.append(message["message_id"])
                fake.lock.notify_all()
            return ids
        ids = list(range(100_000, 100_000 + count))
        with self.fake.lock:
            for i in ids:
                obj = {"id": i, "from_id": 151900000 + i % 700, "post_id": 200 + i % 7, "owner_id": -GROUP,
                       "parents_stack": [], "date": int(time.time()) - 5, "text": f"Комментарий {i}: снег не убран",
                       "thread": {"count": 0}, "post_owner_id": -GROUP}
                self.fake.events.append((len(self.fake.events) + 1, {
                    "type": "wall_reply_new", "object": obj, "group_id": GROUP, "event_id": f"b{i}", "v": "5.199"}))
        return ids


def measure(network, socket_path, single, burst, publications):
    """The three figures of one network, printed."""
    label = {"vk": "VK", "tg": "Telegram"}[network.name]
    registered = {}
    deliver = network.intake.deliver

    def noted(updates, received):
        taken = deliver(updates, received)
        now = time.perf_counter()
        for cid in network.ids(updates):
            registered.setdefault(cid, now)
        return taken

    network.intake.deliver = noted
    stop = threading.Event()
    threading.Thread(target=network.intake.run, kwargs={"stop": stop}, daemon=True).start()

    def wait_for(ids, timeout=120):
        deadline = time.monotonic() + timeout
        while not all(i in registered for i in ids):
            if time.monotonic() > deadline:
                raise SystemExit(f"{label}: not registered within {timeout} s")
            time.sleep(0.001)

    # One comment at a time.
    latencies = []
    for n in range(single):
        cid = network.comment(n, f"Яма у дома {n}, когда засыплют?")
        wait_for([cid])
        latencies.append(registered[cid] - network.fake.answered[cid])
    print(f"{label}: single comment, the network's answer to its registered case ({single} comments): "
          f"p50 {ms(statistics.median(latencies))}, p99 {ms(percentile(latencies, 0.99))}, max {ms(max(latencies))}")

    # A burst waiting at once (VK: one poll; Telegram: 100 updates a poll, its limit).
    ids = network.burst(burst)
    wait_for(ids)
    first = min(network.fake.answered[i] for i in ids)
    took = max(registered[i] for i in ids) - first
    print(f"{label}: burst of {burst} comments, the network's first answer to the last registered: {took:.2f} s, "
          f"{burst / took:.0f} comments/s")

    # Publications: the curator's word to the URL on the case.
    publisher = network.publisher
    threading.Thread(target=publisher.run, kwargs={"stop": stop}, daemon=True).start()
    ways = []
    with Client(socket_path, metadata={"otklik-as": "cur"}) as curator:
        for n in range(publications):
            cid = network.comment(500_000 + n, f"Когда засыплют яму у школы №{n}?")
            wait_for([cid])
            suffix = f"/{cid}" if network.name == "tg" else f"_{cid}"
            view = None
            while view is None:
                found = curator.call("otklik.v1.Cases", "SearchCases", cases_pb2.SearchCasesRequest(
                    text="засыплют школы", limit=1000), cases_pb2.SearchCasesResponse)
                view = next((hit.view for hit in found.hits if hit.view.external_id.endswith(suffix)), None)
            view = offices.approve(socket_path, view, "Яму засыплют до пятницы.")
            start = time.perf_counter()
            curator.call("otklik.v1.Replies", "RequestPublication", cases_pb2.RequestPublicationRequest(
                assignment_id=f"{view.id}/1", expected_version=view.version, network=network.name), cases_pb2.CaseView)
            while not curator.call("otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id=view.id),
                                   cases_pb2.CaseView).assignments[0].replies:
                time.sleep(0.005)
            ways.append(time.perf_counter() - start)
    print(f"{label}: publication, the curator's word to the URL on the case ({publications} replies, the publisher "
          f"looking every {publisher.interval:g} s): p50 {ms(statistics.median(ways))}, max {ms(max(ways))}")
    stop.set()
    network.fake.close()


def main():
    single, burst, publications = (int(n) for n in sys.argv[1:4])
    networks = sys.argv[4].split(",") if len(sys.argv) > 4 else ["vk", "tg"]
    with running_daemon(os.environ["OTKLIKD"], "--log-level", "warning") as socket_path:
        office(socket_path)
        offices.office(socket_path, connector="tg.connector", curator="cur", executor="roads.exec",
                       account=("tg", "@otklik_borovichi_bot", "https://t.me/otklik_borovichi_bot"))
        for name in networks:
            with tempfile.TemporaryDirectory(prefix=f"otklik-bench-connectors-{name}-") as state:
                measure(Network(name, socket_path, state), socket_path, single, burst, publications)


if __name__ == "__main__":
    main()
