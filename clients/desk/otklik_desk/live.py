"""The daemon's events for the open pages: one Watch (what concerns the desk's user) read by one thread
and handed to every page's event stream (Server-Sent Events). When the daemon or the SSH link is away the
pages are told, and told again when it is back; the watch resumes after the last event it saw, so
nothing that happened meanwhile is missed."""
import json
import queue
import threading
import time

from otklik_client import RPCError, words


class Live:
    def __init__(self, daemon, russian, retry_seconds=2.0):
        self.daemon = daemon
        self.russian = russian
        self.retry_seconds = retry_seconds
        self.up = None                  # unknown until the first answer
        self.away_reason = ""
        self._listeners = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="otklik-desk-watch", daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stopping.set()

    def listen(self):
        """A queue of (event name, JSON text) for one page; `forget` it when the page goes."""
        listener = queue.Queue(maxsize=256)
        with self._lock:
            self._listeners.add(listener)
        listener.put(("daemon", json.dumps({"up": bool(self.up), "reason": self.away_reason})))
        return listener

    def forget(self, listener):
        with self._lock:
            self._listeners.discard(listener)

    def _send(self, name, payload):
        text = json.dumps(payload, ensure_ascii=False)
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener.put_nowait((name, text))
            except queue.Full:          # a page that stopped reading: it reloads when it comes back
                pass

    def _state(self, up, reason=""):
        if up != self.up or reason != self.away_reason:
            self.up, self.away_reason = up, reason
            self._send("daemon", {"up": up, "reason": reason})

    def _run(self):
        last = None
        while not self._stopping.is_set():
            try:
                client = self.daemon.client()
                if last is None:
                    last = client.health().last_sequence
                self._state(True)
                for event in client.watch(from_sequence=last, mine=True):
                    if event.fell_behind:
                        last = event.resume_from
                        break
                    last = event.sequence
                    self._send("case", {
                        "sequence": event.sequence, "kind": words.event_word(event.kind),
                        "said": words.spoken(words.EventKind, event.kind, russian=self.russian),
                        "case": event.case_id, "assignment": event.assignment_id,
                        "actor": event.on_behalf or event.actor,
                    })
            except RPCError as error:
                self.daemon.drop()
                self._state(False, error.sentence(russian=self.russian))
            except Exception as error:  # a link that broke in another way: said, and tried again
                self.daemon.drop()
                self._state(False, str(error))
            self._stopping.wait(self.retry_seconds)
