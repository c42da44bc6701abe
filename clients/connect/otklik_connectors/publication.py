"""Publication through a connector (issue 29): the replies the curator handed to a network's connector,
claimed, posted under the citizen's comment, recorded with their URL; each network says how it posts."""
import os
import socket
import time

from otklik_client import RPCError, StatusCode, connectors_pb2, words

from .common import Daemon, State, bounded, say, stopped, wait_out


class Unfinished(Exception):
    """A reply in several parts whose first is out (a network that posts a reply's files after its text):
    the rest is tried again after `wait` seconds; `uncertain` (the network's words) when a part of its
    text may be missing and a person must look."""

    def __init__(self, wait, uncertain=None):
        super().__init__(uncertain or f"the rest in {wait} s")
        self.wait = wait
        self.uncertain = uncertain


class Publication:
    """Approved replies the curator handed to a network's connector, posted under the citizen's
    comment and recorded with the URL built from the network's answer, so nobody types it. Each
    network's subclass says how to post (`post`), which messages are its own (`address`), and what its
    errors mean (`failure`).

    A journal kept before and after each post makes a restart safe: a reply posted and not yet recorded
    is recorded without posting again; one being posted when the connector died is posted again only
    where the network drops a repeated call itself (`idempotent`: VK's `guid`), and otherwise recorded
    as `uncertain` for a person to look (Telegram has no such key: never twice). Transient errors are
    tried again with a growing pause until the publish clock's due, then recorded as `unreachable`;
    final ones at once, with the network's code and words."""

    network = ""
    idempotent = False
    # How long after an answer was first lost a repeated call still posts once (the network's key for it
    # holds): past it the reply is recorded `uncertain` rather than posted again. None: no such key.
    repeat_window = None

    def __init__(self, daemon, journal, external_prefix, account="", clock=time.time, interval=0.5):
        self.daemon = daemon if isinstance(daemon, Daemon) else Daemon(daemon)
        self.journal = journal
        self.external_prefix = external_prefix
        self.account = account
        self.clock = clock
        self.interval = interval
        self.retry = {}             # publication key -> (when to try again, the pause after that)
        self.unrecorded = set()     # keys posted whose record the daemon refused (said once)
        self.trying_since = {}      # publication key -> when its first transient failure came
        self.maybe_posted = set()   # keys whose answer was lost at least once (VK: may be out, under its guid)
        self.holder = self.holder_of(journal)

    @staticmethod
    def holder_of(journal):
        """This publisher's name for its claims, kept beside its journal: a second program (another state
        directory) never posts what this one holds, and this one restarted takes back what it held (a reply
        whose files were still going out is finished at once, not when the claim runs out)."""
        state = State(os.path.dirname(journal.path), os.path.basename(journal.path).removesuffix(".json") + "-holder")
        holder = state.load().get("holder")
        if not isinstance(holder, str) or not holder:
            holder = f"{socket.gethostname()}-{os.urandom(8).hex()}"
            state.save(holder=holder)
        return holder

    # What each network says.

    def address(self, external_id):
        """Where to answer the message `external_id`; None when it is not one of this connector's."""
        raise NotImplementedError

    def post(self, item):
        """Posts `item`'s text under its message: (the reply's URL, whether files were left out[, the
        sha256 of those that went out when some did]). A network that posts a reply in parts keeps its
        progress in the journal (`rest` set while parts remain) and raises Unfinished to be called again."""
        raise NotImplementedError

    def prepare(self, item):
        """What must be at hand before anything of `item` is posted (the files it carries)."""

    def failure(self, error):
        """(kind, code, message[, seconds to wait[, answer lost]]) of an error `post` raised: kind None for
        a transient one (with `answer lost` when the call may have been carried out: VK's repeat is
        harmless, and what is given up on is recorded as uncertain), "uncertain" when the reply may have
        gone out and a repeat would post it twice; raises again what is no network's answer."""
        raise NotImplementedError

    # The same for every network.

    def run(self, rounds=None, stop=None):
        """Publishes what waits, every `interval` seconds, until `stop` is set (or `rounds` rounds)."""
        done = 0
        while (rounds is None or done < rounds) and not (stop and stop.is_set()):
            done += 1
            try:
                self.round()
            except Exception as error:  # noqa: BLE001 (the daemon away or a lost connection: said, tried again)
                status = self.daemon.refusal(error)
                if status is not None:
                    return status
                try:
                    wait_out(error, self.interval)
                except Exception as unexpected:  # noqa: BLE001
                    # Not one this program knows: it stops, saying what it was, so its service restarts it
                    # (a publisher that died silently would leave replies waiting for ever).
                    return stopped(unexpected)
                continue
            if rounds is None or done < rounds:
                time.sleep(self.interval)
        self.daemon.drop()
        return 0

    def round(self):
        """One look at what waits, each publication made or recorded as failed; returns how many were
        published."""
        answer = self.daemon.call("otklik.v1.Connectors", "PendingPublications", connectors_pb2.PendingPublicationsRequest(
            network=self.network, external_prefix=self.external_prefix, limit=50),
            connectors_pb2.PendingPublicationsResponse)
        published = 0
        for item in answer.publications:
            if self.retry.get(item.key, (0, 0))[0] > self.clock():
                if (self.journal.load().get(item.key) or {}).get("rest"):
                    self.claim(item)   # its first part is out: the claim is held while the rest waits
                continue
            try:
                published += self.publish(item)
            except RPCError as error:
                if error.code in (StatusCode.UNAVAILABLE, StatusCode.PERMISSION_DENIED, StatusCode.UNAUTHENTICATED):
                    raise                            # the daemon away, or the login refused: the whole round
                # This publication's own trouble with the daemon: said, tried again in a minute; the others go on.
                say(f"the daemon refused a step of {item.assignment_id}: {error.message}; trying again in 60 s",
                    f"демон не принял шаг по поручению {item.assignment_id}: {error.message}; повтор через 60 с")
                self.retry[item.key] = (self.clock() + 60, 60)
        return published

    def note(self, key, entry):
        """The journal with `key` set to `entry` (None: removed), written whole; the latest 1,000 kept."""
        journal = self.journal.load()
        journal.pop(key, None)
        if entry is not None:
            journal[key] = entry
        self.journal.save(**dict(list(journal.items())[-1000:]))

    def publish(self, item):
        entry = self.journal.load().get(item.key)
        resuming = entry is not None and entry.get("rest")   # its first part is out: the rest goes on
        if entry is not None and entry.get("url") and not resuming:
            return self.record(item, entry)          # posted before a restart: recorded, not posted again
        if entry is not None and not resuming and not self.idempotent:
            return self.fail(item, "uncertain", 0, "")   # it may have gone out: a person looks
        lost_at = (entry or {}).get("lost_at")
        if entry is not None and entry.get("lost"):
            self.maybe_posted.add(item.key)
            lost_at = lost_at or entry.get("sending")
            if self.repeat_window and lost_at and time.time() - lost_at > self.repeat_window:
                return self.fail(item, "uncertain", 0, f"no answer since {time.strftime('%Y-%m-%d %H:%M', time.localtime(lost_at))}, "
                                 "longer than a repeated call is known to post once")
        if self.address(item.external_id) is None:
            return self.fail(item, "refused", 0, item.external_id)
        if not self.claim(item):
            return 0                                 # another program posts it now (or the case moved on)
        self.prepare(item)
        if not resuming:
            self.note(item.key, {"sending": int(time.time()), "lost": item.key in self.maybe_posted, "lost_at": lost_at})
        try:
            url, left_out, *sent_files = self.post(item)
        except Unfinished as later:
            if later.uncertain:
                return self.fail(item, "uncertain", 0, later.uncertain)
            self.retry[item.key] = (self.clock() + later.wait, later.wait)
            return 0
        except Exception as error:  # noqa: BLE001 (sorted by the network's subclass; the rest raised again)
            try:
                kind, code, message, *wait = self.failure(error)   # (..., seconds to wait, answer lost)
            except Exception:
                # Not the network's answer: it may have gone out all the same. Where a repeated call would
                # post twice the "sending" entry stays, and the next round records it as uncertain.
                if self.idempotent:
                    self.note(item.key, None)
                raise
            lost = len(wait) > 1 and wait[1]
            if lost:
                # It may be out: the journal says so across a restart (VK: posted again under its guid
                # within `repeat_window` of the first loss, and given up on as uncertain, never unreachable).
                self.note(item.key, {"sending": int(time.time()), "lost": True, "lost_at": lost_at or int(time.time())})
            elif kind != "uncertain":
                self.note(item.key, None)            # nothing went out
            return self.refused(item, kind, code, message, *wait)
        entry = {"url": url, "at": int(time.time()), "files_left_out": left_out,
                 "files_sent": sent_files[0] if sent_files else []}
        self.note(item.key, entry)                   # kept before it is recorded
        return self.record(item, entry)

    def claim(self, item):
        """Whether this program may post `item` now: the daemon holds the claim for this publisher alone
        (renewed at each attempt, until it is recorded or fails), refuses the curator's publishing by hand
        meanwhile (never two replies), and checks before anything is posted that the reply can be
        recorded (the account it goes out from is in the directory)."""
        try:
            self.daemon.call("otklik.v1.Connectors", "ClaimPublication", connectors_pb2.ClaimPublicationRequest(
                assignment_id=item.assignment_id, holder=self.holder, account=self.account),
                connectors_pb2.RecordPublicationResponse)
            return True
        except RPCError as error:
            if error.code == StatusCode.INVALID_ARGUMENT:
                # Nothing is posted that could not be recorded: said once, offered again every minute.
                if item.key not in self.unrecorded:
                    self.unrecorded.add(item.key)
                    say(f"the reply of {item.assignment_id} is not posted: {error.message}; offered again every minute",
                        f"ответ по поручению {item.assignment_id} не размещён: {error.message}; повтор каждую минуту")
                self.retry[item.key] = (self.clock() + 60, 60)
                return False
            if error.code != StatusCode.FAILED_PRECONDITION:
                raise
            return False

    def record(self, item, sent):
        # Recorded at once, the daemon's own clock says when (a connector's clock may run ahead of it);
        # recorded after a restart, the time it went out.
        at = sent["at"] if time.time() - sent["at"] > 60 else 0
        try:
            self.daemon.call("otklik.v1.Connectors", "RecordPublication", connectors_pb2.RecordPublicationRequest(
                assignment_id=item.assignment_id, url=sent["url"], account=self.account, at_unix=at,
                files_left_out=bool(sent["files_left_out"]), files_sent=sent.get("files_sent") or []),
                connectors_pb2.RecordPublicationResponse)
        except RPCError as error:
            if error.code == StatusCode.INVALID_ARGUMENT:
                # The daemon cannot take it as it is (no account of the community in the directory): kept in
                # the journal and offered again every minute, so it is recorded once the directory is put right.
                if item.key not in self.unrecorded:
                    self.unrecorded.add(item.key)
                    say(f"the reply of {item.assignment_id} is posted ({sent['url']}) but the daemon does not take "
                        f"the record: {error.message}; offered again every minute",
                        f"ответ по поручению {item.assignment_id} размещён ({sent['url']}), но демон не принимает "
                        f"запись: {error.message}; повтор каждую минуту")
                self.retry[item.key] = (self.clock() + 60, 60)
                return 0
            if error.code != StatusCode.FAILED_PRECONDITION:
                raise
            # The case moved on meanwhile (withdrawn, say): the reply is out there all the same; a person looks.
            say(f"the reply of {item.assignment_id} is posted ({sent['url']}) but the case no longer waited for it: "
                f"{error.message}; check the case",
                f"ответ по поручению {item.assignment_id} размещён ({sent['url']}), но дело его уже не ждало: "
                f"{error.message}; проверьте дело")
        self.note(item.key, None)                    # recorded: the journal keeps only what is not
        self.forget(item.key)
        return 1

    # A transient failure is tried again until the publish clock's due, and for at least this long after
    # the first one (a reply handed over late is not given up on one flood answer).
    RETRY_AT_LEAST = 600

    def refused(self, item, kind, code, message, wait=None, lost_answer=False):
        """A failed attempt: tried again later while transient (after `wait` seconds when the network
        names them), until the due and at least RETRY_AT_LEAST after the first failure; else recorded,
        as `uncertain` when an answer was lost on the way (the reply may be out)."""
        now = self.clock()
        if lost_answer:
            self.maybe_posted.add(item.key)
        first = self.trying_since.setdefault(item.key, now)
        if kind is None and ((item.due_unix and now < item.due_unix) or now - first < self.RETRY_AT_LEAST):
            pause = wait or min(max(self.retry.get(item.key, (0, 1))[1] * 2, 2), 60)
            self.retry[item.key] = (self.clock() + pause, pause)
            network = (words.network_name(self.network, russian=False), words.network_name(self.network, russian=True))
            say(f"{network[0]} did not take the reply of {item.assignment_id} ({code or message}); trying again in "
                f"{pause} s",
                f"{network[1]} не принял ответ по поручению {item.assignment_id} ({code or message}); повтор через "
                f"{pause} с")
            return 0
        if kind is None:
            kind = "uncertain" if item.key in self.maybe_posted else "unreachable"
        return self.fail(item, kind, code, message)

    def fail(self, item, kind, code, message):
        why = (words.spoken(words.PublicationFailureKind, words.value(words.PublicationFailureKind, kind), russian=False),
               words.spoken(words.PublicationFailureKind, words.value(words.PublicationFailureKind, kind), russian=True))
        say(f"the reply of {item.assignment_id} is not published: {why[0]} ({code or ''} {message}); the curator is told",
            f"ответ по поручению {item.assignment_id} не опубликован: {why[1]} ({code or ''} {message}); куратор увидит это")
        try:
            self.daemon.call("otklik.v1.Connectors", "RecordPublicationFailure", connectors_pb2.RecordPublicationFailureRequest(
                assignment_id=item.assignment_id, kind=words.value(words.PublicationFailureKind, kind),
                network_code=code, network_message=bounded(message)), connectors_pb2.RecordPublicationResponse)
        except RPCError as error:
            if error.code != StatusCode.FAILED_PRECONDITION:
                raise
        self.note(item.key, None)
        self.forget(item.key)
        return 0

    def forget(self, key):
        for table in (self.retry, self.trying_since):
            table.pop(key, None)
        self.unrecorded.discard(key)
        self.maybe_posted.discard(key)
