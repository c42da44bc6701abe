"""Telegram: the comments under a channel's posts, read by a bot that administers the channel's linked
discussion group (Bot API `getUpdates`; the shapes of Bot API 10.1).

Comments do not belong to the channel: they are messages in its discussion group. Telegram forwards
each channel post into the group (`is_automatic_forward`, `forward_origin` of type `channel` naming the
post); a comment is a message in that forward's thread (`message_thread_id` is the forward's id in the
group). The connector keeps the map from a thread's root to its post, so that a comment written days
later still gets the post's URL."""
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

from otklik_client import cases_pb2

from .common import EXIT_CONFIG, EXIT_REFUSED, Daemon, State, Stream, cut, detection, plain, say
from .health import Health

DEFAULT_TELEGRAM_API = "https://api.telegram.org"
WAIT = 25
ALLOWED_UPDATES = ["message", "edited_message"]
# The thread roots kept in the state file: the most recent posts (and as many group messages that
# start no post's thread). A comment under an older post is still registered, with the group's link.
THREADS_KEPT = 20_000
# Telegram keeps an update it has not delivered for 24 hours ("Getting updates", Bot API).
KEPT_BY_TELEGRAM = 24 * 3600
# When nothing comes, the position file is still rewritten this often: its time says until when the
# connector was reading (a start long after it warns that updates may have been dropped).
IDLE_SAVE = 600

# What a message without a text or a caption is, as a case's text says it (Russian: it is the case's
# content, read by the administration). The first field present names it; a field that is also set
# for backward compatibility (`document` beside `animation`, `photo` beside `live_photo`, `location`
# beside `venue`) comes after the one that names the kind.
MEDIA = (
    ("animation", "[GIF-анимация]"), ("live_photo", "[живое фото]"), ("photo", "[фото]"), ("video", "[видео]"),
    ("video_note", "[видеосообщение]"), ("voice", "[голосовое сообщение]"), ("audio", "[аудио]"),
    ("document", "[документ]"), ("sticker", "[стикер]"), ("paid_media", "[платное медиа]"), ("story", "[история]"),
    ("contact", "[контакт]"), ("dice", "[кубик]"), ("game", "[игра]"), ("rich_message", "[оформленное сообщение]"),
    ("poll", "[опрос]"), ("checklist", "[список задач]"), ("venue", "[место]"), ("location", "[геопозиция]"),
)
UNKNOWN_KIND = "[сообщение без текста]"
# The fields of a service message (someone joined, a message was pinned, ...): nothing a citizen wrote.
SERVICE = frozenset((
    "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo", "delete_chat_photo",
    "group_chat_created", "supergroup_chat_created", "channel_chat_created", "message_auto_delete_timer_changed",
    "migrate_to_chat_id", "migrate_from_chat_id", "pinned_message", "successful_payment", "refunded_payment",
    "users_shared", "chat_shared", "gift", "unique_gift", "gift_upgrade_sent", "connected_website",
    "write_access_allowed", "passport_data", "proximity_alert_triggered", "boost_added", "chat_background_set",
    "chat_owner_left", "chat_owner_changed", "checklist_tasks_done", "checklist_tasks_added",
    "direct_message_price_changed", "forum_topic_created", "forum_topic_edited", "forum_topic_closed",
    "forum_topic_reopened", "general_forum_topic_hidden", "general_forum_topic_unhidden", "giveaway_created",
    "giveaway_completed", "managed_bot_created", "paid_message_price_changed", "poll_option_added",
    "poll_option_deleted", "suggested_post_approved", "suggested_post_approval_failed", "suggested_post_declined",
    "suggested_post_paid", "suggested_post_refunded", "video_chat_scheduled", "video_chat_started",
    "video_chat_ended", "video_chat_participants_invited", "web_app_data",
))


class TelegramError(Exception):
    """Telegram's answer `{"ok": false, "error_code": N, "description": ..., "parameters": {...}}`."""

    def __init__(self, code, description, retry_after=None):
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after


class TelegramUnreachable(Exception):
    """No answer from Telegram (a lost connection, a timeout, an answer that is not the Bot API's).
    `maybe_sent`: the request may have reached Telegram (False when it was never sent whole: no
    connection, a failed TLS handshake, a connection lost while sending)."""

    def __init__(self, reason, maybe_sent=True):
        super().__init__(reason)
        self.reason = reason
        self.maybe_sent = maybe_sent


class Telegram:
    """The Bot API as a bot calls it: POST JSON to `{api}/bot{token}/{method}`. The token is in the URL's
    path, so no error raised from here carries the URL, the token or urllib's exception (its text or
    traceback could show them): each is said in words of our own."""

    def __init__(self, api_url, token, timeout=15):
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.timeout = timeout  # seconds beyond a long poll's own `timeout`

    def hidden(self, text):
        return str(text).replace(self.token, "<token>")

    def call(self, method, **params):
        """The method's `result`; TelegramError for the Bot API's refusal, TelegramUnreachable for no answer."""
        request = self.request(method, json.dumps(params).encode(), {"Content-Type": "application/json"})
        return self.send(request, self.timeout + int(params.get("timeout") or 0))

    def request(self, method, data, headers):
        """The POST of `method`; an address urllib cannot use is said without the token in it."""
        try:
            return urllib.request.Request(f"{self.api_url}/bot{self.token}/{method}", data=data, method="POST",
                                          headers=headers)
        except ValueError as error:
            raise TelegramUnreachable(self.hidden(error), maybe_sent=False) from None

    def upload(self, method, files, **params):
        """`method` with `files` ([(field, file name, path, content type)]) sent as multipart/form-data, the
        way the Bot API takes new files; a parameter that is not a string or a number goes as JSON. The
        files are read as they are sent, never whole into memory."""
        boundary = f"otklik-{os.urandom(12).hex()}"
        head = []
        for name, value in params.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            head.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{text}\r\n'.encode())
        parts = []
        for field, name, path, content_type in files:
            # The name as browsers send it (HTML's form encoding): UTF-8, quotes and line breaks escaped.
            quoted = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
            intro = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{quoted}"\r\n'
                     f"Content-Type: {content_type or 'application/octet-stream'}\r\n\r\n")
            parts.append((intro.encode(), path))
        tail = f"--{boundary}--\r\n".encode()
        length = sum(map(len, head)) + sum(len(intro) + os.path.getsize(path) + 2 for intro, path in parts) + len(tail)

        def body():
            yield from head
            for intro, path in parts:
                yield intro
                with open(path, "rb") as file:
                    yield from iter(lambda: file.read(1 << 16), b"")
                yield b"\r\n"
            yield tail

        request = self.request(method, body(), {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                                "Content-Length": str(length)})
        # A file of tens of megabytes on a slow link: a minute more than a short call.
        return self.send(request, self.timeout + 60)

    def send(self, request, timeout):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                reply = json.load(answer)
        except urllib.error.HTTPError as error:
            # The Bot API answers an error with its HTTP status and the error object as the body.
            try:
                reply = json.loads(error.read())
            except (OSError, ValueError, http.client.HTTPException):
                reply = None
            finally:
                error.close()
            if not isinstance(reply, dict) or "error_code" not in reply:
                raise TelegramError(error.code, f"HTTP {error.code}") from None
        except urllib.error.URLError as error:
            # urllib raises URLError only while it connects and sends the request (TLS included); a
            # failure reading the answer comes as itself (below). A request not sent whole is one the Bot
            # API never acted on: tried again, never recorded as perhaps sent.
            raise TelegramUnreachable(self.hidden(error.reason), maybe_sent=False) from None
        except (OSError, ValueError, http.client.HTTPException) as error:
            raise TelegramUnreachable(self.hidden(str(error) or type(error).__name__)) from None
        if not isinstance(reply, dict):
            raise TelegramUnreachable("an answer that is not the Bot API's")
        if not reply.get("ok"):
            code, parameters = reply.get("error_code"), reply.get("parameters")
            retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
            raise TelegramError(code if isinstance(code, int) else 0, self.hidden(reply.get("description") or ""),
                                retry_after if isinstance(retry_after, int) else None)
        return reply.get("result")


def post_url(channel, post, comment):
    """A comment's address as Telegram links it: the channel's post, the comment's id in the group."""
    return f"https://t.me/{channel}/{post}?comment={comment}"


def group_url(chat, number, root):
    """A message's address in the discussion group's thread `root`: by the group's username when it is
    public, else the private link (the supergroup's own id: its Bot API id without -100), which opens
    for the group's members."""
    if chat.get("username"):
        return f"https://t.me/{chat['username']}/{number}?thread={root}"
    return f"https://t.me/c/{-1_000_000_000_000 - int(chat['id'])}/{number}?thread={root}"


def author(message):
    """Who wrote `message`: the chat it was sent on behalf of (its title), else the user's name."""
    chat = message.get("sender_chat")
    if chat:
        return str(chat.get("title") or (f"@{chat['username']}" if chat.get("username") else chat["id"]))
    user = message.get("from") or {}
    name = " ".join(str(user.get(part) or "").strip() for part in ("first_name", "last_name")).strip()
    return name or (f"@{user['username']}" if user.get("username") else f"id{user.get('id', '?')}")


def kind(message):
    """What a message without text or caption holds, as its case says it; None for a service message."""
    for field, marker in MEDIA:
        value = message.get(field)
        if not value:
            continue
        if field == "poll":
            return f"{marker} {value.get('question', '')}".rstrip()
        if field == "checklist":
            return f"{marker} {value.get('title', '')}".rstrip()
        if field == "venue":
            return f"{marker} {value.get('title', '')}, {value.get('address', '')}".strip(" ,")
        if field == "location":
            return f"{marker} {value.get('latitude')}, {value.get('longitude')}"
        return marker
    if SERVICE.intersection(message):
        return None
    return UNKNOWN_KIND


def forwarded_post(message):
    """The channel post an automatic forward carries (`forward_origin`; older Bot API versions:
    `forward_from_message_id`); None when it names none."""
    origin = message.get("forward_origin") or {}
    if origin.get("type") == "channel" and origin.get("message_id"):
        return int(origin["message_id"])
    if message.get("forward_from_message_id"):
        return int(message["forward_from_message_id"])
    return None


class Intake(Stream):
    """Comments under one channel's posts, from its discussion group to the daemon."""

    def __init__(self, telegram, daemon, channel, chat, state, clock=time.time, wait=WAIT):
        self.telegram = telegram
        self.daemon = daemon if isinstance(daemon, Daemon) else Daemon(daemon)
        self.channel = channel.lstrip("@")
        self.chat = int(chat)
        self.state = state if isinstance(state, State) else State(state, f"telegram-{chat}")
        self.clock = clock
        self.wait = wait
        self.bot = None
        self.offset = None
        self.channel_id = None
        self.posts = {}    # a thread's root in the group -> the channel post's id, oldest first
        self.loose = {}    # group messages that start no post's thread (an ordered set)
        self.saved_at = 0
        self.said = set()
        self.health = Health(self.daemon, "tg", f"@{self.channel}", f"tg:{self.chat}/", os.path.dirname(self.state.path),
                             f"telegram-{self.chat}", clock=clock)

    def say_once(self, key, english, russian_text):
        if key not in self.said:
            self.said.add(key)
            say(english, russian_text)

    def learn_post(self, root, post, origin_chat=None):
        """Remembers that the thread `root` in the group is the comments of channel post `post` (among
        the most recent posts: a reply does not make an old post recent)."""
        known = root in self.posts
        self.posts[root] = post
        while not known and len(self.posts) > THREADS_KEPT:
            del self.posts[next(iter(self.posts))]
        if origin_chat:
            self.channel_id = int(origin_chat.get("id", 0)) or self.channel_id
            username = origin_chat.get("username")
            if username and username.lower() != self.channel.lower():
                self.say_once(("channel", username), f"the discussion group's posts come from @{username}, not "
                              f"@{self.channel}: the comments' URLs name @{self.channel}; correct --channel",
                              f"посты в группе обсуждения приходят из @{username}, а не из @{self.channel}: "
                              f"ссылки комментариев называют @{self.channel}; исправьте --channel")

    def learn_loose(self, root):
        """Remembers that `root`, a message in the group, starts no post's thread."""
        known = root in self.loose
        self.loose[root] = True
        while not known and len(self.loose) > THREADS_KEPT:
            del self.loose[next(iter(self.loose))]

    def administrations(self, message):
        """Whether `message` is the administration's own: the bot's, or sent as the channel or as the
        group (an anonymous administrator)."""
        if (message.get("from") or {}).get("id") == self.bot:
            return True
        chat = message.get("sender_chat")
        if not chat:
            return False
        return (chat.get("id") in (self.chat, self.channel_id)
                or str(chat.get("username") or "").lower() == self.channel.lower())

    def not_a_comment(self):
        self.say_once("loose", "a message in the discussion group outside a post's comments is not a comment: "
                      "not registered", "сообщение в группе обсуждения вне комментариев к посту — не комментарий: "
                      "не зарегистрировано")

    def url(self, message):
        """The URL of a citizen's message in the group: under its post, or the group's link when the
        post of its thread is not known; None when the message is in no post's thread."""
        number = int(message["message_id"])
        reply = message.get("reply_to_message")
        root = message.get("message_thread_id")
        if reply and reply.get("is_automatic_forward"):
            # A reply to the post itself carries the forward: the post is known even when the forward
            # came before the connector started.
            post = forwarded_post(reply)
            if post is not None:
                self.learn_post(int(reply["message_id"]), post, (reply.get("forward_origin") or {}).get("chat"))
            root = root or reply["message_id"]
        if not root and reply:
            root = reply.get("message_thread_id") or reply["message_id"]
        root = int(root) if root else None
        if root is None or root == number:
            self.learn_loose(number)
            self.not_a_comment()
            return None
        if root in self.posts:
            return post_url(self.channel, self.posts[root], number)
        if root in self.loose or (reply and int(reply["message_id"]) == root):
            self.learn_loose(root)
            self.not_a_comment()
            return None
        url = group_url(message["chat"], number, root)
        self.say_once(("root", root), f"the post of thread {root} in the discussion group is not known (its forward "
                      f"came before the connector started, or before the {THREADS_KEPT} posts it keeps): its "
                      f"comments are registered with the group's link, such as {url}",
                      f"пост ветки {root} в группе обсуждения не известен (его пересылка пришла до запуска "
                      f"коннектора или раньше {THREADS_KEPT} постов, которые он помнит): комментарии в ней "
                      f"регистрируются со ссылкой группы, например {url}")
        return url

    def registration(self, message, received):
        """The registration a message makes; None when it is not a citizen's comment (the forward of a
        post, the administration's own, a service message, a message outside the posts' threads or in
        another chat)."""
        chat = int(message["chat"]["id"])
        if chat != self.chat:
            self.say_once(("chat", chat), f"a message in chat {chat} is not taken: the connector reads the "
                          f"discussion group {self.chat} alone",
                          f"сообщение в чате {chat} не принято: коннектор читает только группу обсуждения {self.chat}")
            return None
        number = int(message["message_id"])
        if message.get("is_automatic_forward"):
            post = forwarded_post(message)
            if post is not None:
                self.learn_post(number, post, (message.get("forward_origin") or {}).get("chat")
                                or message.get("forward_from_chat") or message.get("sender_chat"))
            return None
        if self.administrations(message):
            if not message.get("message_thread_id") and not message.get("reply_to_message"):
                self.learn_loose(number)
            return None
        text = message.get("text") or message.get("caption")
        if not isinstance(text, str) or not text.strip():
            text = kind(message)
            if text is None:
                return None
        url = self.url(message)
        if url is None:
            return None
        if text == UNKNOWN_KIND:
            self.say_once("kind", f"a comment of a kind this connector does not know is registered as {UNKNOWN_KIND}; "
                          f"its URL leads to it: {url}",
                          f"комментарий неизвестного коннектору вида зарегистрирован как {UNKNOWN_KIND}; ссылка "
                          f"ведёт к нему: {url}")
        return cases_pb2.RegisterMessageRequest(
            network="tg", url=url, author=plain(author(message)) or f"id{(message.get('from') or {}).get('id', '')}",
            text=cut(text, number),
            detected_at_unix=detection(received, message.get("date", 0)), posted_at_unix=int(message.get("date", 0)),
            allow_old=True,
            external_id=f"tg:{self.chat}/{number}")

    def deliver(self, updates, received):
        """Registers what the updates brought in requests that fit; the daemon's answers are the
        acknowledgement. An update this connector cannot read is said and passed over, so one odd
        update never holds the stream back."""
        messages, edits = [], []
        for update in updates:
            try:
                if update.get("message") is not None:
                    registration = self.registration(update["message"], received)
                    if registration is not None:
                        messages.append(registration)
                elif update.get("edited_message") is not None:
                    # A citizen's edited comment, read as a new one would be (the administration's own
                    # and the rest are passed over the same way).
                    edited = update["edited_message"]
                    registration = self.registration(edited, received)
                    if registration is not None:
                        # The edit's own name, the update's: read again after a restart, the same change.
                        edits.append((registration, f"u{update.get('update_id')}"))
            except (KeyError, TypeError, ValueError, AttributeError):
                say(f"Telegram sent an update this connector cannot read; passed over: {str(update)[:200]}",
                    f"Telegram прислал обновление, которое коннектор не может прочитать; пропущено: {str(update)[:200]}")
        self.daemon.register(messages)
        taken = self.daemon.new
        # Edits after the registrations they may follow: recorded on the case, or (a comment written before
        # the connector ran) registered as it reads now. Telegram tells a bot of no deletion.
        for edit, change_id in edits:
            taken += self.daemon.changed(edit, "edited", change_id)
        return taken

    def start(self):
        """The connector's login checked, the bot's own id, and where the last acknowledged batch ended
        (none on a first start: Telegram then gives what it kept, up to a day of it)."""
        self.daemon.check_login()
        self.bot = int(self.telegram.call("getMe")["id"])
        saved = self.state.load()
        try:
            self.offset = int(saved["offset"]) if saved.get("offset") is not None else None
            self.channel_id = int(saved["channel_id"]) if saved.get("channel_id") else None
            self.posts = {int(root): int(post) for root, post in (saved.get("posts") or {}).items()}
            self.loose = {int(root): True for root in saved.get("loose") or []}
            self.saved_at = int(saved.get("saved_at") or 0)
        except (TypeError, ValueError, AttributeError):
            say(f"{self.state.path} does not hold a position; move it away to start from what Telegram keeps "
                "(comments older than a day are then not taken)",
                f"{self.state.path} не содержит места в потоке; уберите его, чтобы начать с того, что хранит Telegram "
                "(комментарии старше суток тогда не будут приняты)")
            raise SystemExit(EXIT_CONFIG) from None
        if self.saved_at and self.clock() - self.saved_at > KEPT_BY_TELEGRAM:
            hours = int((self.clock() - self.saved_at) // 3600)
            english = (f"the connector last read Telegram {hours} hours ago: comments older than a day may be lost "
                       "(Telegram keeps updates 24 hours; look at the channel's recent posts)")
            russian_text = (f"коннектор последний раз читал Telegram {hours} ч назад: комментарии старше суток могли "
                            "потеряться (Telegram хранит обновления 24 часа; просмотрите последние посты канала)")
            say(english, russian_text)
            self.health.missed(self.saved_at)

    def poll(self):
        """One long poll and what it brought registered, then the position saved: the next getUpdates
        (from that position) confirms the updates to Telegram. Returns how many comments it registered."""
        parameters = {"timeout": self.wait, "allowed_updates": ALLOWED_UPDATES}
        if self.offset is not None:
            parameters["offset"] = self.offset
        updates = self.telegram.call("getUpdates", **parameters)
        if not isinstance(updates, list):
            raise TelegramUnreachable("getUpdates answered something else than a list of updates")
        received = self.clock()
        taken = self.deliver(updates, received)
        numbers = [update.get("update_id") for update in updates if isinstance(update, dict)]
        numbers = [number for number in numbers if isinstance(number, int)]
        if numbers:
            self.offset = max(numbers) + 1
        if updates or received - self.saved_at >= IDLE_SAVE:
            self.save(received)
        return taken

    def save(self, now):
        self.saved_at = int(now)
        values = {"offset": self.offset, "saved_at": self.saved_at, "channel_id": self.channel_id,
                  "posts": {str(root): post for root, post in self.posts.items()}, "loose": list(self.loose)}
        self.state.save(**{name: value for name, value in values.items() if value is not None})

    def failure(self, error, pause):
        """What stops the connector (its exit status), or None after saying it waits."""
        if isinstance(error, TelegramError):
            if error.code == 401:
                say(f"Telegram refused the bot token ({error.code}: {error.description}); give the connector the "
                    "token @BotFather issued (docs/CONNECTORS.md)",
                    f"Telegram не принял токен бота ({error.code}: {error.description}); дайте коннектору токен, "
                    "выданный @BotFather (docs/CONNECTORS.md)")
                self.health.trouble("token_refused", f"Telegram {error.code}: {error.description}")
                self.daemon.drop()
                return EXIT_REFUSED
            if error.code == 404:
                # The Bot API answers 404 to a token that is not one (or --api-url is not the Bot API).
                say(f"Telegram does not know this bot token ({error.code}: {error.description}); give the connector "
                    "the token @BotFather issued, and --api-url the Bot API's address (docs/CONNECTORS.md)",
                    f"Telegram не знает такого токена бота ({error.code}: {error.description}); дайте коннектору "
                    "токен, выданный @BotFather, а в --api-url адрес Bot API (docs/CONNECTORS.md)")
                self.health.trouble("token_refused", f"Telegram {error.code}: {error.description}")
                self.daemon.drop()
                return EXIT_REFUSED
            if error.code == 409:
                if "webhook" in error.description.lower():
                    say(f"Telegram refused getUpdates: a webhook is set for this bot (409: {error.description}); "
                        "delete it (deleteWebhook) or give the connector a bot of its own",
                        f"Telegram отказал в getUpdates: у бота настроен вебхук (409: {error.description}); удалите "
                        "его (deleteWebhook) или дайте коннектору отдельного бота")
                else:
                    say(f"Telegram refused getUpdates: another program reads this bot's updates (409: "
                        f"{error.description}); stop the other instance, one bot is read by one connector",
                        f"Telegram отказал в getUpdates: обновления этого бота читает другая программа (409: "
                        f"{error.description}); остановите другой экземпляр, одного бота читает один коннектор")
                self.health.trouble("stopped", f"Telegram {error.code}: {error.description}")
                self.daemon.drop()
                return EXIT_REFUSED
            if error.code == 429 and error.retry_after:
                # Waited as long as Telegram names, the connector's health told meanwhile (a long wait is no
                # silence).
                return self.waited(error, error.retry_after,
                                   ("Telegram asks to wait (429)", "Telegram просит подождать (429)"))
        status = self.daemon.refusal(error)
        if status is not None:
            return status
        if isinstance(error, TelegramError):
            reason = (f"Telegram answered {error.code} ({error.description})",
                      f"Telegram ответил {error.code} ({error.description})")
            self.health.trouble("network_unreachable", f"Telegram {error.code}: {error.description}")
        elif isinstance(error, TelegramUnreachable):
            reason = f"no answer from Telegram ({error.reason})", f"Telegram не отвечает ({error.reason})"
            self.health.trouble("network_unreachable", error.reason)
        else:
            reason = None
        return self.waited(error, pause, reason)
