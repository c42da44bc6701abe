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


class Held(Exception):
    """The daemon refuses comments for a reason that is not theirs (HELD_REASONS): the stream keeps its
    place and tries again, and the connector's health says it, so nothing is dropped while, say, a year's
    calendar is missing. `message`: the daemon's sentence."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# The daemon's refusals of a registration that say nothing about the comment itself: a clock far ahead
# (the connector's machine or the network), a year the production calendar does not cover yet, a network
# or host the profile does not list. Any other refusal is the comment's own: said, and passed over.
HELD_REASONS = frozenset({"time_in_future", "year_not_covered", "unknown_network", "post_url_host",
                          "clocks_not_computed"})


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


def cut(text, number):
    """`text` as a case keeps it: its control characters gone (`plain`), at most TEXT_BYTES, a longer one
    cut and ending in " […]" (the network's own limits are far below; its URL leads to the whole), said
    on stderr naming the comment `number`."""
    text = plain(text)
    if len(text.encode()) <= TEXT_BYTES:
        return text
    marker = " […]"
    say(f"the comment {number} is longer than a case's text may be: registered cut, its URL leads to the whole",
        f"комментарий {number} длиннее, чем вмещает текст дела: зарегистрирован обрезанным, ссылка ведёт к полному")
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
        acknowledgement. A message the daemon refuses for its own sake is said and refuses only itself;
        one refused for a reason of the daemon's (HELD_REASONS) raises Held once the rest are registered,
        so the position does not move past it. Returns how many were taken (new or registered before);
        `new` says how many of them are new."""
        taken = 0
        self.new = 0
        self.held = None
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
                    self.refused(message, outcome.refusal.reason, outcome.message)
                else:
                    taken += 1
                    self.new += outcome.kind == cases_pb2.ImportOutcome.KIND_NEW
        if self.held:
            raise Held(self.held)
        return taken

    def refused(self, message, reason, said):
        """A registration the daemon refused: held (HELD_REASONS), or said and passed over."""
        if reason in HELD_REASONS:
            self.held = self.held or f"{message.url}: {said}"
            return
        say(f"the daemon refused {message.url}: {said}", f"демон не принял {message.url}: {said}")

    def register_one(self, message):
        """One message registered on its own: 1, or 0 after saying why the daemon refused it."""
        try:
            view = self.call("otklik.v1.Cases", "RegisterMessage", message, cases_pb2.CaseView)
            self.new += not view.existing
            return 1
        except RPCError as error:
            if error.code != StatusCode.INVALID_ARGUMENT:
                raise
            self.refused(message, error.reason, error.message)
            return 0

    def change(self, network, external_id, kind, text="", change_id="", deleted_by=None):
        """Records what the author did with a registered message (`kind`: edited, deleted, restored;
        `change_id` the network's name for the change, so that a change read again after a restart is
        recorded once; `deleted_by`: author or community, where the network says); False when no case has
        the message (it was never registered), True otherwise (recorded now, or recorded before)."""
        try:
            self.call("otklik.v1.Connectors", "RecordNetworkChange", connectors_pb2.NetworkChangeRequest(
                network=network, external_id=external_id, kind=words.value(words.NetworkChangeKind, kind), text=text,
                change_id=bounded(change_id, 100),
                deleted_by=words.value(words.MessageDeleter, deleted_by) if deleted_by else 0),
                connectors_pb2.NetworkChangeResponse)
        except RPCError as error:
            if error.code == StatusCode.NOT_FOUND:
                return False
            if error.code == StatusCode.INVALID_ARGUMENT:
                say(f"the daemon refused the change of {external_id}: {error.message}",
                    f"демон не принял изменение {external_id}: {error.message}")
                return True
            raise
        return True

    def changed(self, registration, kind, change_id=""):
        """An edit or a restoration of the message `registration` describes (as it reads now), recorded on
        its case; one no case has (written before the connector ran, or lost in a gap) is registered as it
        reads. Returns how many messages were new (0 or 1)."""
        if self.change(registration.network, registration.external_id, kind, registration.text, change_id):
            return 0
        self.register([registration])
        return self.new

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


def wait_out(error, pause, network_reason=None, tick=None):
    """Says why the connector waits `pause` seconds and waits: `network_reason` (English, Russian) for
    the network's own transient answer, else the daemon's error or a lost connection. Anything else is
    not a transient error and is raised again. `tick` is called every 10 seconds of a long wait (the
    connector's health reported, so a network's long "wait" is not taken for a connector gone silent)."""
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
    end = time.monotonic() + pause
    while (left := end - time.monotonic()) > 0:
        time.sleep(min(left, 10))
        if tick is not None and end - time.monotonic() > 0:
            tick()


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
            except Held as held:
                # Said to the curator at once (`connector list`, the notifier); the stream keeps its place.
                self.health.trouble("daemon_refuses", held.message)
                status = self.waited(held, pause, (
                    f"the daemon refuses a comment for a reason not its own ({held.message}); the position stays "
                    "before it", f"демон не принимает комментарий по причине не в нём самом ({held.message}); место в "
                    "потоке остаётся перед ним"))
                if status is not None:
                    return status
                pause = min(pause * 2, 60)
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
            wait_out(error, pause, reason, tick=self.health.report)
        except Exception as unexpected:  # noqa: BLE001
            self.health.trouble("stopped", f"{type(unexpected).__name__}: {unexpected}")
            self.daemon.drop()
            return stopped(unexpected)
        return None
