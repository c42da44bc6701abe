"""What every network's connector shares: speaking to the reader, the token file, the state file written
whole, and the daemon (the connector's own login, registrations in requests that fit)."""
import json
import os
import stat
import sys
import time
import urllib.error

from otklik_client import RPCError, StatusCode, cases_pb2, connectors_pb2, words
from otklik_client.arguments import said

EXIT_CONFIG, EXIT_UNAVAILABLE, EXIT_REFUSED, EXIT_SOFTWARE = 64, 69, 77, 70


def stopped(error):
    """Says an error no part of the connector expects, and returns the exit status that has its service
    restart it (70)."""
    print("otklik-connect: " + said(f"stopped on an unexpected error: {type(error).__name__}: {error}",
                                    f"остановлен из-за непредвиденной ошибки: {type(error).__name__}: {error}"),
          file=sys.stderr, flush=True)
    return EXIT_SOFTWARE

def say(english, russian_text):
    """One line on stderr, in the reader's language."""
    print("otklik-connect: " + said(english, russian_text), file=sys.stderr, flush=True)


class NotAConnector(Exception):
    """The daemon takes the connector for a login without the role connector (a person's)."""

    def __init__(self, login, roles):
        super().__init__(login)
        self.login = login
        self.roles = roles



def read_token(path):
    """The token in `path`, which only its owner may read; None after saying why it cannot be used."""
    try:
        info = os.stat(path)
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            say(f"{path} may be read by others (mode {stat.S_IMODE(info.st_mode):o}): a token file is its owner's "
                f"alone; chmod 600 {path}",
                f"{path} доступен другим (права {stat.S_IMODE(info.st_mode):o}): файл с токеном читает только "
                f"владелец; chmod 600 {path}")
            return None
        with open(path, encoding="utf-8") as file:
            token = file.read().strip()
    except OSError as error:
        say(f"cannot read the token file {path}: {error.strerror}",
            f"не удаётся прочитать файл с токеном {path}: {error.strerror}")
        return None
    if not token or any(character.isspace() for character in token):
        say(f"{path} does not hold one token", f"в {path} нет одного токена")
        return None
    return token



class State:
    """The stream's position, kept in a file written whole (a temporary file, fsync, rename)."""

    def __init__(self, directory, name):
        os.makedirs(directory, mode=0o700, exist_ok=True)
        self.path = os.path.join(directory, f"{name}.json")

    def load(self):
        try:
            with open(self.path, encoding="utf-8") as file:
                values = json.load(file)
        except FileNotFoundError:
            return {}
        except ValueError:
            values = None
        if not isinstance(values, dict):
            # Starting from the present would skip what came since the position was lost: a person decides.
            say(f"{self.path} does not hold a position; move it away to start from the stream's present "
                "(comments written since the last one are then not taken)",
                f"{self.path} не содержит места в потоке; уберите его, чтобы начать с текущего момента "
                "(комментарии, написанные после прошлого запуска, тогда не будут приняты)")
            raise SystemExit(EXIT_CONFIG)
        return values

    def save(self, **values):
        temporary = self.path + ".partial"
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(values, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)


# A request carries at most this many messages and bytes (a frame holds 4 MiB), as `otklik message import`;
# a case's text at most TEXT_BYTES (the daemon's bound, WireBounds.stringBytes["text"]).
BATCH_MESSAGES, BATCH_BYTES, TEXT_BYTES = 500, 2 << 20, 64 << 10



def batches(messages):
    """`messages` in requests that fit: each at most BATCH_MESSAGES and (but for one large message) BATCH_BYTES."""
    batch, size = [], 0
    for message in messages:
        bytes_ = message.ByteSize() + 16
        if batch and (len(batch) == BATCH_MESSAGES or size + bytes_ > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(message)
        size += bytes_
    if batch:
        yield batch



def plain(text):
    """`text` without the control characters a case's fields refuse (tab and newline kept; a carriage
    return before a newline dropped, any other control character a space): a citizen's words are never
    refused for an invisible character."""
    text = text.replace("\r\n", "\n")
    return "".join(c if c in "\t\n" or not (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f) else " " for c in text)


def bounded(text, limit=1000):
    """`text` cut to `limit` bytes of UTF-8 (never inside a character): what the daemon takes of a
    network's words."""
    return text.encode()[:limit].decode(errors="ignore")


def detection(received, posted):
    """When a comment was detected: when the connector received it, and never before it was posted (a
    connector's clock behind the network's would make the daemon refuse it)."""
    return max(int(received), int(posted or 0))


def cut(text, what):
    """`text` as a case keeps it: its control characters gone (`plain`), at most TEXT_BYTES, a longer one
    cut and ending in " […]" (the network's own limits are far below; its URL leads to the whole), said
    on stderr naming `what`."""
    text = plain(text)
    if len(text.encode()) <= TEXT_BYTES:
        return text
    marker = " […]"
    say(f"{what} is longer than a case's text may be: registered cut, its URL leads to the whole",
        f"{what}: длиннее, чем вмещает текст дела; зарегистрирован обрезанным, ссылка ведёт к полному")
    return text.encode()[:TEXT_BYTES - len(marker.encode())].decode(errors="ignore") + marker


class Daemon:
    """The connector's connection to otklikd: made when first needed and again after it was lost."""

    def __init__(self, client_factory):
        self.client_factory = client_factory
        self.client = None
        self.new = 0                # of the last `register`: how many messages were new

    def __call__(self):
        if self.client is None:
            self.client = self.client_factory()
        return self.client

    def drop(self):
        if self.client is not None:
            self.client.close()
            self.client = None

    def call(self, service, method, request, answer_type, timeout=60):
        """One call; a lost connection or a daemon going away drops the connection before raising."""
        try:
            return self().call(service, method, request, answer_type, timeout=timeout)
        except RPCError as error:
            if error.code not in (StatusCode.INVALID_ARGUMENT, StatusCode.NOT_FOUND,
                                  StatusCode.FAILED_PRECONDITION, StatusCode.ABORTED):
                self.drop()
            raise
        except OSError:
            self.drop()
            raise

    def check_login(self):
        """A connector runs as a connector's own login, never a person's (its registrations are its own)."""
        me = self().whoami(timeout=30)
        roles = [words.word(words.Role, role) for role in me.roles]
        if roles != ["connector"]:
            raise NotAConnector(me.login, roles)

    def register(self, messages):
        """Registers `messages` in requests that fit (`batches`); the daemon's answers are the
        acknowledgement. A message the daemon refuses is said and refuses only itself. Returns how many
        were taken (new or registered before); `new` says how many of them are new."""
        taken = 0
        self.new = 0
        for batch in batches(messages):
            try:
                answer = self.call("otklik.v1.Cases", "ImportMessages",
                                   cases_pb2.ImportMessagesRequest(messages=batch, apply=True),
                                   cases_pb2.ImportMessagesResponse)
            except RPCError as error:
                if error.code != StatusCode.INVALID_ARGUMENT:
                    raise
                # The daemon refused the request as a whole for one message in it (a field over its
                # bound): each message on its own, so that one refusal refuses only itself.
                taken += sum(self.register_one(message) for message in batch)
                continue
            for outcome, message in zip(answer.outcomes, batch):
                if outcome.kind == cases_pb2.ImportOutcome.KIND_REFUSED:
                    say(f"the daemon refused {message.url}: {outcome.message}",
                        f"демон не принял {message.url}: {outcome.message}")
                else:
                    taken += 1
                    self.new += outcome.kind == cases_pb2.ImportOutcome.KIND_NEW
        return taken

    def register_one(self, message):
        """One message registered on its own: 1, or 0 after saying why the daemon refused it."""
        try:
            view = self.call("otklik.v1.Cases", "RegisterMessage", message, cases_pb2.CaseView)
            self.new += not view.existing
            return 1
        except RPCError as error:
            if error.code != StatusCode.INVALID_ARGUMENT:
                raise
            say(f"the daemon refused {message.url}: {error.message}", f"демон не принял {message.url}: {error.message}")
            return 0

    def change(self, network, external_id, kind, text="", change_id=""):
        """Records what the author did with a registered message (`kind`: edited, deleted, restored;
        `change_id` the network's name for the change, so that a change read again after a restart is
        recorded once); False when no case has the message (it was never registered), True otherwise
        (recorded now, or recorded before)."""
        try:
            self.call("otklik.v1.Connectors", "RecordNetworkChange", connectors_pb2.NetworkChangeRequest(
                network=network, external_id=external_id, kind=words.value(words.NetworkChangeKind, kind), text=text,
                change_id=bounded(change_id, 100)), connectors_pb2.NetworkChangeResponse)
        except RPCError as error:
            if error.code == StatusCode.NOT_FOUND:
                return False
            if error.code == StatusCode.INVALID_ARGUMENT:
                say(f"the daemon refused the change of {external_id}: {error.message}",
                    f"демон не принял изменение {external_id}: {error.message}")
                return True
            raise
        return True

    def refusal(self, error):
        """The exit status for an error that stops the connector on the daemon's side, after saying why;
        None when it is not one."""
        if isinstance(error, NotAConnector):
            roles = ", ".join(error.roles) or "-"
            say(f"{error.login or 'this login'} (roles: {roles}) is not a connector's login: give the connector a login "
                "of its own with the role connector (otklik staff add ... --role connector)",
                f"{error.login or 'этот логин'} (роли: {roles}) — не логин коннектора: заведите коннектору собственный "
                "логин с ролью connector (otklik staff add ... --role connector)")
        elif isinstance(error, RPCError) and error.code in (StatusCode.PERMISSION_DENIED, StatusCode.UNAUTHENTICATED):
            say(f"the daemon refused the connector: {error.message}; its login needs the role connector "
                "(otklik staff add ... --role connector)",
                f"демон не принял коннектор: {error.message}; его логину нужна роль connector "
                "(otklik staff add ... --role connector)")
        else:
            return None
        self.drop()
        return EXIT_REFUSED


def wait_out(error, pause, network_reason=None):
    """Says why the connector waits `pause` seconds and waits: `network_reason` (English, Russian) for
    the network's own transient answer, else the daemon's error or a lost connection. Anything else is
    not a transient error and is raised again."""
    if network_reason is not None:
        reason = network_reason
    elif isinstance(error, RPCError):
        reason = f"the daemon: {error.message}", f"демон: {error.message}"
    elif isinstance(error, (OSError, urllib.error.URLError, ValueError, KeyError)):
        cause = getattr(error, "reason", None) or error
        reason = f"no answer ({cause})", f"нет ответа ({cause})"
    else:
        raise error
    say(f"{reason[0]}; trying again in {pause} s", f"{reason[1]}; повтор через {pause} с")
    time.sleep(pause)


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
        # This publisher's name for its claims: a second program with the same login never posts the same reply.
        self.holder = f"{os.getpid()}-{int(time.time() * 1000) % 10**9}-{id(self) % 10**6}"

    # What each network says.

    def address(self, external_id):
        """Where to answer the message `external_id`; None when it is not one of this connector's."""
        raise NotImplementedError

    def post(self, item):
        """Posts `item`'s text under its message: (the reply's URL, whether its files were left out)."""
        raise NotImplementedError

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
                continue
            published += self.publish(item)
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
        if entry is not None and entry.get("url"):
            return self.record(item, entry)          # posted before a restart: recorded, not posted again
        if entry is not None and not self.idempotent:
            return self.fail(item, "uncertain", 0, "")   # it may have gone out: a person looks
        if self.address(item.external_id) is None:
            return self.fail(item, "refused", 0, item.external_id)
        if not self.claim(item):
            return 0                                 # another program posts it now (or the case moved on)
        self.note(item.key, {"sending": int(time.time())})
        try:
            url, left_out = self.post(item)
        except Exception as error:  # noqa: BLE001 (sorted by the network's subclass; the rest raised again)
            try:
                kind, code, message, *wait = self.failure(error)   # (..., seconds to wait, answer lost)
            except Exception:
                # Not the network's answer: it may have gone out all the same. Where a repeated call would
                # post twice the "sending" entry stays, and the next round records it as uncertain.
                if self.idempotent:
                    self.note(item.key, None)
                raise
            if kind != "uncertain":
                self.note(item.key, None)            # nothing went out, or a repeat is harmless (VK's guid)
            return self.refused(item, kind, code, message, *wait)
        entry = {"url": url, "at": int(time.time()), "files_left_out": left_out}
        self.note(item.key, entry)                   # kept before it is recorded
        return self.record(item, entry)

    def claim(self, item):
        """Whether this program may post `item` now: the daemon holds the claim a minute for this
        publisher alone, and refuses the curator's publishing by hand meanwhile (never two replies)."""
        try:
            self.daemon.call("otklik.v1.Connectors", "ClaimPublication", connectors_pb2.ClaimPublicationRequest(
                assignment_id=item.assignment_id, holder=self.holder), connectors_pb2.RecordPublicationResponse)
            return True
        except RPCError as error:
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
                files_left_out=sent["files_left_out"]), connectors_pb2.RecordPublicationResponse)
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
            # Published by hand meanwhile: the reply is out there twice; a person looks.
            say(f"the reply of {item.assignment_id} is posted ({sent['url']}) but the case no longer waited for it: "
                f"{error.message}; check the case for a second reply",
                f"ответ по поручению {item.assignment_id} размещён ({sent['url']}), но дело его уже не ждало: "
                f"{error.message}; проверьте, нет ли в деле второго ответа")
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
        if kind is None and (item.due_unix == 0 or now < item.due_unix or now - first < self.RETRY_AT_LEAST):
            pause = wait or min(max(self.retry.get(item.key, (0, 1))[1] * 2, 2), 60)
            self.retry[item.key] = (self.clock() + pause, pause)
            say(f"{self.network} did not take the reply of {item.assignment_id} ({code or message}); trying again in "
                f"{pause} s",
                f"{self.network} не принял ответ по поручению {item.assignment_id} ({code or message}); повтор через "
                f"{pause} с")
            return 0
        if kind is None:
            kind = "uncertain" if item.key in self.maybe_posted else "unreachable"
        return self.fail(item, kind, code, message)

    def fail(self, item, kind, code, message):
        say(f"the reply of {item.assignment_id} is not published ({kind}): {code or ''} {message}; the curator is told",
            f"ответ по поручению {item.assignment_id} не опубликован ({kind}): {code or ''} {message}; куратор увидит это")
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


class Health:
    """The connector's word to the daemon on how it stands (`otklik connector list`, `otklik status`):
    after its polls, at least every `every` seconds, at once when its state changes. A report the daemon
    cannot take is dropped: reporting never holds the connector back.

    States are words.proto's ConnectorState: ok, network_unreachable, token_refused, stopped. The
    comments taken today are counted on the connector's local day and kept in `<name>-health.json`, so
    a restart does not lose the day's count."""

    def __init__(self, daemon, network, community, external_prefix, state_dir, name, clock=time.time, every=20):
        self.daemon = daemon
        self.network, self.community, self.external_prefix = network, community, external_prefix
        self.store = State(state_dir, f"{name}-health")
        self.clock = clock
        self.every = every
        self.state, self.error, self.error_at, self.last_poll = "ok", "", 0, 0
        self.failing_since = None   # the first failure of a run of them (network_unreachable after TROUBLE_AFTER)
        self.reported_state, self.reported_at = None, 0
        saved = self.store.load()
        self.day, self.taken = saved.get("day"), int(saved.get("taken") or 0)

    # A network that fails for this long (its failures in a row) is shown as unreachable: one lost poll
    # is not trouble worth a curator's pop-up.
    TROUBLE_AFTER = 30

    def polled(self, taken=0):
        """A poll the network answered, `taken` new comments of it registered."""
        self.last_poll = int(self.clock())
        self.failing_since = None
        if taken:
            today = time.strftime("%Y-%m-%d", time.localtime(self.clock()))
            if today != self.day:
                self.day, self.taken = today, 0
            self.taken += taken
            self.store.save(day=self.day, taken=self.taken)
        self.state = "ok"
        self.report()

    def trouble(self, state, error):
        """The connector cannot read its network (`network_unreachable`: said once it has failed for
        TROUBLE_AFTER seconds in a row), or stops (`token_refused`, `stopped`: said at once). `error` is
        the network's or the system's own words (the state is what people read, in their language)."""
        now = int(self.clock())
        self.error, self.error_at = bounded(str(error)), now
        if state == "network_unreachable":
            self.failing_since = self.failing_since or now
            if now - self.failing_since < self.TROUBLE_AFTER:
                return
        self.state = state
        self.report()

    def report(self):
        now = self.clock()
        if self.state == self.reported_state and now - self.reported_at < self.every:
            return
        today = time.strftime("%Y-%m-%d", time.localtime(now))
        try:
            self.daemon.call("otklik.v1.Connectors", "ReportHealth", connectors_pb2.ConnectorReport(
                network=self.network, community=self.community, external_prefix=self.external_prefix,
                state=words.value(words.ConnectorState, self.state), last_poll_unix=self.last_poll,
                taken_today=self.taken if self.day == today else 0, last_error=self.error, error_at_unix=self.error_at),
                connectors_pb2.ReportHealthResponse, timeout=10)
        except (RPCError, OSError):
            return
        self.reported_state, self.reported_at = self.state, now


class Stream:
    """An intake's loop, the same for every network: `start` (the login checked, the position read) tried
    again with a growing pause, then `poll` after `poll` (each registers what it brought before the
    position moves, and returns how many comments were new), the connector's health told after each;
    `failure` decides what stops it. A network's intake sets `daemon` and `health` and says `start`,
    `poll` and `failure`."""

    def run(self, rounds=None, stop=None):
        """Polls until `stop` is set (or `rounds` polls, for tests); returns the exit status."""
        pause = 1
        while True:
            try:
                self.start()
                break
            except Exception as error:  # noqa: BLE001 (each kind is said and decided in `failure`)
                status = self.failure(error, pause)
                if status is not None:
                    return status
                pause = min(pause * 2, 60)
        pause = 1
        done = 0
        while (rounds is None or done < rounds) and not (stop and stop.is_set()):
            done += 1
            try:
                self.health.polled(self.poll())
                pause = 1
            except Exception as error:  # noqa: BLE001
                status = self.failure(error, pause)
                if status is not None:
                    return status
                pause = min(pause * 2, 60)
        self.daemon.drop()
        return 0

    def waited(self, error, pause, reason=None):
        """Waits a transient error out (said, `wait_out`); on one no part of the connector expects it
        stops with 70, its service restarting it. Returns the exit status, or None after waiting."""
        try:
            wait_out(error, pause, reason)
        except Exception as unexpected:  # noqa: BLE001
            self.health.trouble("stopped", f"{type(unexpected).__name__}: {unexpected}")
            self.daemon.drop()
            return stopped(unexpected)
        return None
