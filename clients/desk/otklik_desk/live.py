"""The daemon's events for the open pages: one Watch (what concerns the login the desk acts as) on a
connection of its own, without a deadline, read by one thread and handed to every page's event stream
(Server-Sent Events). When the daemon or the SSH link is away the pages are told, and told again when it
is back; the watch resumes after the last event it saw, so nothing that happened meanwhile is missed.
Switching whom the desk acts as (`follow`) starts the watch anew for that login."""
import json
import queue
import threading

from otklik_client import Client, RPCError, words


class Live:
    def __init__(self, daemon, russian, retry_seconds=2.0):
        self.daemon = daemon
        self.russian = russian
        self.retry_seconds = retry_seconds
        self.up = None                  # unknown until the first answer
        self.away_reason = ""
        self.acting = daemon.acting
        self._listeners = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._client = None
        self._generation = 0            # bumped by `follow`: a watch of an older one is ended and ignored
        self._watch_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="otklik-desk-watch", daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stopping.set()
        self._end_watch()

    def follow(self, acting):
        """Watch for `acting` from now on (the admin's chosen login; "": the desk's user itself)."""
        with self._watch_lock:
            if acting == self.acting:
                return
            self.acting = acting
            self._generation += 1
            client = self._client
        if client is not None:
            client.close()

    def _end_watch(self):
        with self._watch_lock:
            self._generation += 1
            client = self._client
        if client is not None:
            client.close()

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
            with self._watch_lock:
                acting, generation = self.acting, self._generation
            client = None
            try:
                # Its own connection: a stream has no deadline, and closing it (follow, stop) ends only it.
                client = Client(self.daemon.address, timeout=None, metadata=self.daemon.metadata(acting))
                with self._watch_lock:
                    current = generation == self._generation
                    if current:
                        self._client = client
                if not current:
                    continue            # switched while connecting: start again for the new login
                # Up only once the daemon answered (through SSH the client exists before anything answers).
                health = client.health(timeout=20)
                if last is None:
                    last = health.last_sequence
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
                if generation == self._generation and not self._stopping.is_set():
                    self._state(False, error.sentence(russian=self.russian))
            except Exception as error:  # a link that broke in another way: said, and tried again
                if generation == self._generation and not self._stopping.is_set():
                    self._state(False, str(error))
            finally:
                with self._watch_lock:
                    if self._client is client:
                        self._client = None
                if client is not None:
                    client.close()
            if generation != self._generation:
                continue                # switched: watch for the new login at once, from the same point
            self._stopping.wait(self.retry_seconds)
