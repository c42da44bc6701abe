#!/usr/bin/python3
"""Otklik network connector: comments under the administration's own VK community posts come in by
themselves (issue 29, intake).

    otklik-connect vk --group ID --token-file FILE [--api-url URL] [--state-dir DIR]
                      [--socket PATH | --host ssh://...] [--as LOGIN]

It logs in as a staff member with the role `connector` (a program's own login: it registers messages
and does nothing else) and takes the community's Bots Long Poll stream (`groups.getLongPollServer`,
then `a_check` with `wait=25`). Every citizen's new comment (`wall_reply_new`) becomes a registration
as `otklik message register` would make it: network `vk`, the comment's URL
(`https://vk.com/wall-G_P?reply=C`, `&thread=T` inside a thread), the author's name (`users.get`, once
per user), the text, the posting time, the detection time (when the connector received it) and the
external id `vk:-G_P_C`. The community's own comments (`from_id == -G`, its published replies) are
passed over. The stream's position (`ts`) is kept in the state directory and advanced only after the
daemon acknowledged the batch, so a crash or a restart loses nothing and registers nothing twice (the
daemon finds a comment registered before by its external id).

`failed` 1 and 3 (VK's history was cut) and `failed` 2 (the key expired) are handled as VK documents:
a new key, and for 1 and 3 the new position; the gap is reported on stderr, not hidden (sweeping the
posts' comments for what the gap held needs a service token: not built yet). Edited, deleted and
restored comments and publication are not handled yet (issue 29 goes on); they are said once on
stderr when they come.

The token is read from a file only the connector's OS user may read (refused otherwise); it is sent
only to VK, never logged, never sent to the daemon, never in a message. Transient errors (VK's 6, 9,
10, a lost connection, the daemon away) are waited out with a growing pause; a refused token (5, 27)
ends the connector with exit 77. Under a Russian locale it speaks Russian.
"""
import json
import os
import stat
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.realpath(__file__))  # (run through the otklik-connect link on PATH)
CLIENT = os.environ.get("OTKLIK_PYTHON_CLIENT") or next(
    (path for path in (os.path.join(HERE, "..", "python"), os.path.join(HERE, "..", "python-client"))
     if os.path.isdir(os.path.join(path, "otklik_client"))), os.path.join(HERE, "..", "python"))
sys.path.insert(0, CLIENT)

try:
    from otklik_client import Client, RPCError, StatusCode, cases_pb2, words
    from otklik_client.arguments import Parser, said
except ImportError as missing:
    if __name__ != "__main__":
        raise
    print(f"otklik-connect: {sys.executable} cannot load the Otklik client beside it ({missing}): it needs protobuf 3.20 "
          "or newer (apt-get install -y python3-protobuf)", file=sys.stderr)
    sys.exit(69)

VK_VERSION = "5.199"
DEFAULT_VK_API = "https://api.vk.ru/method/"
WAIT = 25
# VK's error codes (the API's errors.json): a token refused, or the method closed to a community token.
FATAL = {5: "the community token is refused", 27: "the method is not open to a community token"}
TRANSIENT = {6, 9, 10}
EXIT_CONFIG, EXIT_UNAVAILABLE, EXIT_REFUSED = 64, 69, 77


def say(english, russian_text):
    """One line on stderr, in the reader's language."""
    print("otklik-connect: " + said(english, russian_text), file=sys.stderr, flush=True)


class NotAConnector(Exception):
    """The daemon takes the connector for a login without the role connector (a person's)."""

    def __init__(self, login, roles):
        super().__init__(login)
        self.login = login
        self.roles = roles


class VKError(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


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


class VK:
    """The VK API as a community token calls it: POST form-encoded, the token in the Authorization header
    (never in a URL that could be logged), `v` pinned."""

    def __init__(self, api_url, token, timeout=WAIT + 10):
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self.token = token
        self.timeout = timeout

    def call(self, method, **params):
        body = urllib.parse.urlencode({**{k: str(v) for k, v in params.items()}, "v": VK_VERSION}).encode()
        request = urllib.request.Request(self.api_url + method, data=body, method="POST",
                                         headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            reply = json.load(answer)
        if "error" in reply:
            error = reply["error"]
            raise VKError(int(error.get("error_code", 0)), str(error.get("error_msg", "")))
        return reply["response"]

    def check(self, server, key, ts, wait=WAIT):
        """One long poll: the answer as VK gives it (`updates` and `ts`, or `failed`)."""
        query = urllib.parse.urlencode({"act": "a_check", "key": key, "ts": ts, "wait": wait})
        with urllib.request.urlopen(f"{server}?{query}", timeout=wait + 10) as answer:
            return json.load(answer)


class State:
    """The stream's position, kept in a file written whole (a temporary file, fsync, rename)."""

    def __init__(self, directory, group):
        os.makedirs(directory, mode=0o700, exist_ok=True)
        self.path = os.path.join(directory, f"vk-{group}.json")

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


def comment_url(owner, post, comment, thread=None):
    """A comment's address as VK's clients open it (`&thread=` for a reply inside a thread)."""
    return f"https://vk.com/wall{owner}_{post}?reply={comment}" + (f"&thread={thread}" if thread else "")


class Intake:
    """Comments of one community, from VK to the daemon."""

    def __init__(self, vk, client_factory, group, state, clock=time.time):
        self.vk = vk
        self.client_factory = client_factory
        self.group = int(group)
        self.state = state
        self.clock = clock
        self.names = {}
        self.said = set()
        self.client = None

    def daemon(self):
        """The connection to the daemon, made when first needed and again after it was lost."""
        if self.client is None:
            self.client = self.client_factory()
        return self.client

    def drop(self):
        if self.client is not None:
            self.client.close()
            self.client = None

    def learn_names(self, user_ids):
        """The names of the people not asked about yet, in one `users.get` (up to 1,000 ids a call)."""
        unknown = sorted({user for user in user_ids if user > 0 and user not in self.names})
        for start in range(0, len(unknown), 1000):
            chunk = unknown[start:start + 1000]
            for person in self.vk.call("users.get", user_ids=",".join(map(str, chunk))):
                name = " ".join(part for part in (person.get("first_name", ""), person.get("last_name", "")) if part)
                self.names[int(person.get("id", 0))] = name
            for user in chunk:
                self.names[user] = self.names.get(user) or f"id{user}"

    def author(self, user_id):
        """A commenter's name (asked of VK once per person, `learn_names`); a community by its id."""
        if user_id < 0:
            return f"club{-user_id}"
        if user_id not in self.names:
            self.learn_names([user_id])
        return self.names[user_id]

    @staticmethod
    def readable(comment):
        """Whether a comment event has what a registration needs, each of the kind VK documents."""
        try:
            int(comment["id"]), int(comment["post_id"]), int(comment.get("from_id", 0)), int(comment.get("date", 0))
            int(comment.get("owner_id", comment.get("post_owner_id")))
            ok = isinstance(comment.get("text", ""), str) and all(
                isinstance(n, int) for n in (comment.get("parents_stack") or []))
        except (KeyError, TypeError, ValueError, AttributeError):
            ok = False
        if not ok:
            say(f"VK sent a comment event this connector cannot read; passed over: {str(comment)[:200]}",
                f"ВКонтакте прислал событие комментария, которое коннектор не может прочитать; пропущено: {str(comment)[:200]}")
        return ok

    def registration(self, comment, received):
        """The registration a citizen's comment makes; None for the community's own comment."""
        owner = comment.get("owner_id", comment.get("post_owner_id"))
        if owner is None or int(comment.get("from_id", 0)) == -self.group:
            return None
        post, number = int(comment["post_id"]), int(comment["id"])
        stack = comment.get("parents_stack") or []
        text = comment.get("text", "")
        if len(text.encode()) > TEXT_BYTES:
            # Longer than the daemon keeps (VK's own limit is far below): the case holds what fits, the
            # URL leads to the whole.
            marker = " […]"
            text = text.encode()[:TEXT_BYTES - len(marker.encode())].decode(errors="ignore") + marker
            say(f"the comment {number} is longer than a case's text may be: registered cut, its URL leads to the whole",
                f"комментарий {number} длиннее, чем вмещает текст дела: зарегистрирован обрезанным, ссылка ведёт к полному")
        request = cases_pb2.RegisterMessageRequest(
            network="vk", url=comment_url(owner, post, number, stack[0] if stack else None),
            author=self.author(int(comment.get("from_id", 0))), text=text,
            detected_at_unix=int(received), posted_at_unix=int(comment.get("date", 0)),
            external_id=f"vk:{owner}_{post}_{number}")
        return request

    def note_once(self, kind):
        if kind in self.said:
            return
        self.said.add(kind)
        say(f"VK sent {kind}: not recorded yet (only new comments are taken)",
            f"ВКонтакте прислал {kind}: такое пока не записывается (принимаются только новые комментарии)")

    def deliver(self, updates, received):
        """Registers the poll's comments in requests that fit (`batches`); the daemon's answers are the
        acknowledgement."""
        comments = [update.get("object") for update in updates if update.get("type") == "wall_reply_new"]
        # What VK sent is checked here, once: a comment this connector cannot read is said and passed
        # over, so one odd event never holds the stream back.
        readable = [comment for comment in comments if self.readable(comment)]
        self.learn_names(int(comment.get("from_id", 0)) for comment in readable)
        messages = []
        for comment in readable:
            registration = self.registration(comment, received)
            if registration is not None:
                messages.append(registration)
        for kind in {update.get("type") for update in updates}:
            if kind in ("wall_reply_edit", "wall_reply_delete", "wall_reply_restore"):
                self.note_once(kind)
        taken = 0
        for batch in batches(messages):
            try:
                answer = self.daemon().call("otklik.v1.Cases", "ImportMessages",
                                            cases_pb2.ImportMessagesRequest(messages=batch, apply=True),
                                            cases_pb2.ImportMessagesResponse, timeout=60)
            except RPCError as error:
                if error.code != StatusCode.INVALID_ARGUMENT:
                    self.drop()
                    raise
                # The daemon refused the request as a whole for one message in it (a field over its
                # bound): each message on its own, so that one refusal refuses only itself.
                taken += sum(self.deliver_one(message) for message in batch)
                continue
            except OSError:
                self.drop()
                raise
            for outcome, message in zip(answer.outcomes, batch):
                if outcome.kind == cases_pb2.ImportOutcome.KIND_REFUSED:
                    say(f"the daemon refused {message.url}: {outcome.message}",
                        f"демон не принял {message.url}: {outcome.message}")
                else:
                    taken += 1
        return taken

    def deliver_one(self, message):
        """One message registered on its own: 1, or 0 after saying why the daemon refused it."""
        try:
            self.daemon().call("otklik.v1.Cases", "RegisterMessage", message, cases_pb2.CaseView, timeout=60)
            return 1
        except RPCError as error:
            if error.code != StatusCode.INVALID_ARGUMENT:
                self.drop()
                raise
            say(f"the daemon refused {message.url}: {error.message}", f"демон не принял {message.url}: {error.message}")
            return 0

    def server(self):
        answer = self.vk.call("groups.getLongPollServer", group_id=self.group)
        return answer["server"], answer["key"], str(answer["ts"])

    def run(self, rounds=None):
        """Polls until stopped (or `rounds` polls, for tests); returns the exit status."""
        pause = 1
        while True:
            try:
                server, key, ts = self.start()
                break
            except Exception as error:  # noqa: BLE001 (each kind is said and decided in `failure`)
                status = self.failure(error, pause)
                if status is not None:
                    return status
                pause = min(pause * 2, 60)
        pause = 1
        done = 0
        while rounds is None or done < rounds:
            done += 1
            try:
                server, key, ts = self.poll(server, key, ts)
                self.state.save(ts=ts)
                pause = 1
            except Exception as error:  # noqa: BLE001
                status = self.failure(error, pause)
                if status is not None:
                    return status
                pause = min(pause * 2, 60)
        self.drop()
        return 0

    def start(self):
        """The long poll server and the position to poll from: where the last acknowledged batch ended,
        or on a first start the stream's present, kept at once (a crash before the first batch is
        acknowledged resumes there, not at a later present that would skip it)."""
        # A connector runs as a connector's own login, never a person's (its registrations are its own).
        me = self.daemon().whoami(timeout=30)
        roles = [words.word(words.Role, role) for role in me.roles]
        if roles != ["connector"]:
            raise NotAConnector(me.login, roles)
        saved = self.state.load()
        server, key, ts = self.server()
        if saved.get("ts"):
            return server, key, str(saved["ts"])
        self.state.save(ts=ts)
        return server, key, ts

    def poll(self, server, key, ts):
        """One poll and what it brought registered; the server, key and position to poll on with."""
        answer = self.vk.check(server, key, ts)
        failed = answer.get("failed")
        if failed == 1:
            say("VK's stream lost events before this point: the comments it held are not taken "
                "(a sweep of the posts needs a service token, not built yet)",
                "поток ВКонтакте потерял события до этого места: их комментарии не приняты "
                "(обход постов требует сервисного токена, он пока не сделан)")
            return server, key, str(answer["ts"])
        if failed == 2:
            server, key, _ = self.server()
            return server, key, ts
        if failed == 3:
            say("VK's stream lost its history: comments written meanwhile are not taken",
                "поток ВКонтакте потерял историю: комментарии за это время не приняты")
            return self.server()
        if failed is not None:
            raise VKError(0, f"long poll failed {failed}")
        self.deliver(answer.get("updates") or [], self.clock())
        return server, key, str(answer["ts"])

    def failure(self, error, pause):
        """What stops the connector (its exit status), or None after saying it waits `pause` seconds."""
        if isinstance(error, VKError) and error.code in FATAL:
            say(f"VK refused: {FATAL[error.code]} ({error.code}); give the connector a community token with "
                "the rights docs/CONNECTORS.md names",
                f"ВКонтакте отказал: {'токен сообщества не принят' if error.code == 5 else 'метод недоступен токену сообщества'} "
                f"({error.code}); дайте коннектору токен сообщества с правами из docs/CONNECTORS.md")
            self.drop()
            return EXIT_REFUSED
        if isinstance(error, NotAConnector):
            roles = ", ".join(error.roles) or "-"
            say(f"{error.login or 'this login'} (roles: {roles}) is not a connector's login: give the connector a login "
                "of its own with the role connector (otklik staff add ... --role connector)",
                f"{error.login or 'этот логин'} (роли: {roles}) — не логин коннектора: заведите коннектору собственный "
                "логин с ролью connector (otklik staff add ... --role connector)")
            self.drop()
            return EXIT_REFUSED
        if isinstance(error, RPCError) and error.code in (StatusCode.PERMISSION_DENIED, StatusCode.UNAUTHENTICATED):
            say(f"the daemon refused the connector: {error.message}; its login needs the role connector "
                "(otklik staff add ... --role connector)",
                f"демон не принял коннектор: {error.message}; его логину нужна роль connector "
                "(otklik staff add ... --role connector)")
            self.drop()
            return EXIT_REFUSED
        if isinstance(error, VKError):
            reason = f"VK answered {error.code}", f"ВКонтакте ответил {error.code}"
        elif isinstance(error, RPCError):
            reason = f"the daemon: {error.message}", f"демон: {error.message}"
        elif isinstance(error, (OSError, urllib.error.URLError, ValueError, KeyError)):
            reason = f"no answer ({getattr(error, 'reason', None) or error})", f"нет ответа ({getattr(error, 'reason', None) or error})"
        else:
            raise error
        say(f"{reason[0]}; trying again in {pause} s", f"{reason[1]}; повтор через {pause} с")
        time.sleep(pause)
        return None


def main(argv=None):
    parser = Parser(prog="otklik-connect", description=said(
        "Otklik network connector: comments under the administration's own community posts become cases.",
        "Коннектор соцсетей «Отклика»: комментарии под постами сообщества администрации становятся делами."))
    parser.options()
    networks = parser.add_subparsers(dest="network", required=True, title=said("networks", "соцсети"))
    vk = networks.add_parser("vk", help=said("the VK community's comments (Bots Long Poll API)",
                                             "комментарии сообщества ВКонтакте (Bots Long Poll API)")).options()
    vk.add_argument("--group", required=True, type=int, help=said("the community's id (positive)",
                                                                  "номер сообщества (положительный)"))
    vk.add_argument("--token-file", required=True, help=said("a file holding the community token, mode 600",
                                                              "файл с токеном сообщества, права 600"))
    vk.add_argument("--api-url", default=DEFAULT_VK_API, help=said("the API's base (default: %(default)s)",
                                                                   "адрес API (по умолчанию %(default)s)"))
    vk.add_argument("--state-dir", default=os.path.join(
        os.environ.get("XDG_STATE_HOME", os.path.expanduser("~/.local/state")), "otklik-connect"),
        help=said("where the stream's position is kept (default: %(default)s)",
                  "где хранится место в потоке (по умолчанию %(default)s)"))
    vk.add_argument("--socket", help=said("the daemon's socket (default: the CLI's)",
                                          "сокет демона (по умолчанию тот же, что у otklik)"))
    vk.add_argument("--host", help=said("the daemon on another machine: ssh://[user@]host[:port][/path/to/otklik.sock] "
                                        "(also $OTKLIK_HOST)",
                                        "демон на другой машине: ssh://[user@]host[:port][/path/to/otklik.sock] "
                                        "(или $OTKLIK_HOST)"))
    vk.add_argument("--as", dest="login", help=said("act as this connector's login (admins only)",
                                                    "действовать от имени логина коннектора (только администратор)"))
    args = parser.parse_args(argv)
    if args.group <= 0:
        parser.error(said("--group is the community's positive id", "--group — положительный номер сообщества"))
    token = read_token(args.token_file)
    if token is None:
        return EXIT_CONFIG
    target = args.host or args.socket  # neither: $OTKLIK_HOST, else the CLI's socket (the client decides)
    metadata = {"otklik-as": args.login} if args.login else None

    def client():
        return Client(target, metadata=metadata)

    intake = Intake(VK(args.api_url, token), client, args.group, State(args.state_dir, args.group))
    try:
        return intake.run()
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
