"""VK: a community's comments by the Bots Long Poll API, as a community token reads them (API 5.199)."""
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

from otklik_client import cases_pb2

from .common import EXIT_REFUSED, Daemon, State, Stream, cut, detection, plain, say
from .health import Health
from .publication import Publication

VK_VERSION = "5.199"
# The sweep after a gap in the stream: the community's last posts, every comment of each (up to this
# many), and those written since a little before the stream last answered.
SWEEP_POSTS, SWEEP_COMMENTS, SWEEP_MARGIN = 20, 2000, 300
# Calls a second the sweep makes with the service token (VK allows a small app's service token 5; kept below).
SERVICE_RATE = 3
DEFAULT_VK_API = "https://api.vk.ru/method/"
WAIT = 25
# VK's error codes (the API's errors.json): a token refused, or the method closed to a community token.
FATAL = {5: "the community token is refused", 27: "the method is not open to a community token"}
TRANSIENT = {6, 9, 10}


class VKUnreachable(Exception):
    """No answer from VK (a lost connection, a timeout, an answer that is not VK's)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class SweepFailed(Exception):
    """The sweep after a gap could not read VK (its errors tried again already): the position stays before
    the gap, so the next poll meets it again and sweeps again."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class VKError(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


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
        reply = self.fetch(request, self.timeout)
        if not isinstance(reply, dict):
            raise VKUnreachable("an answer that is not VK's")
        if "error" in reply:
            error = reply["error"]
            raise VKError(int(error.get("error_code", 0)), str(error.get("error_msg", "")))
        return reply["response"]

    def check(self, server, key, ts, wait=WAIT):
        """One long poll: the answer as VK gives it (`updates` and `ts`, or `failed`)."""
        query = urllib.parse.urlencode({"act": "a_check", "key": key, "ts": ts, "wait": wait})
        reply = self.fetch(f"{server}?{query}", wait + 10)
        if not isinstance(reply, dict):
            raise VKUnreachable("an answer that is not the long poll's")
        return reply

    @staticmethod
    def fetch(request, timeout):
        """The JSON VK answered; VKUnreachable when it did not (no connection, a timeout, not JSON)."""
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return json.load(answer)
        except urllib.error.URLError as error:
            raise VKUnreachable(str(error.reason)) from None
        except (OSError, ValueError, http.client.HTTPException) as error:
            raise VKUnreachable(str(error) or type(error).__name__) from None



# What a comment without a text holds, as a case's text says it (Russian: the case's content, read by the
# administration), by VK's attachment types; as the Telegram connector says its own (telegram.MEDIA).
ATTACHMENTS = {
    "photo": "[фото]", "video": "[видео]", "audio": "[аудио]", "doc": "[документ]", "sticker": "[стикер]",
    "graffiti": "[граффити]", "audio_message": "[голосовое сообщение]", "link": "[ссылка]", "poll": "[опрос]",
    "market": "[товар]", "wall": "[запись]", "wall_reply": "[комментарий]", "note": "[заметка]", "page": "[страница]",
}


def attachments_said(attachments):
    """The markers of a comment's attachments, each once in their order (a link with its address);
    `[комментарий без текста]` when there is none VK documents."""
    said = []
    for attachment in attachments:
        kind = attachment.get("type") if isinstance(attachment, dict) else None
        marker = ATTACHMENTS.get(kind)
        if kind == "link" and isinstance(attachment.get("link"), dict) and attachment["link"].get("url"):
            marker = f"[ссылка] {attachment['link']['url']}"
        if marker and marker not in said:
            said.append(marker)
    return " ".join(said) or "[комментарий без текста]"


def comment_url(owner, post, comment, thread=None):
    """A comment's address as VK's clients open it (`&thread=` for a reply inside a thread)."""
    return f"https://vk.com/wall{owner}_{post}?reply={comment}" + (f"&thread={thread}" if thread else "")



# The comments whose authors are kept (a deletion's author or moderator is told by them): the latest.
AUTHORS_KEPT = 20_000


class Intake(Stream):
    """Comments of one community, from VK to the daemon."""

    def __init__(self, vk, daemon, group, state, clock=time.time, service=None):
        self.vk = vk
        self.service = service      # VK called with a service token: the sweep's wall.get and wall.getComments
        self.service_next = 0.0     # when the next service call may go (SERVICE_RATE)
        self.daemon = daemon if isinstance(daemon, Daemon) else Daemon(daemon)
        self.group = int(group)
        self.state = state if isinstance(state, State) else State(state, f"vk-{group}")
        self.clock = clock
        self.names = {}
        # Who wrote the latest comments (post_comment -> from_id), kept beside the position: a deletion
        # names only its deleter (`deleter_id`), and the author is told from the community's moderators by it.
        self.authors_state = State(os.path.dirname(self.state.path), f"vk-{self.group}-authors")
        self.authors = None
        self.authors_changed = False
        self.health = Health(self.daemon, "vk", f"club{self.group}", f"vk:-{self.group}_",
                             os.path.dirname(self.state.path), f"vk-{self.group}", clock=clock)
        self.taken = 0

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
        """Whether a comment event has what a registration needs, each of the kind VK documents: its id,
        post, owner and author (`from_id`, never 0), a text (empty when it holds only attachments)."""
        try:
            int(comment["id"]), int(comment["post_id"]), int(comment.get("date", 0))
            int(comment.get("owner_id", comment.get("post_owner_id")))
            ok = int(comment["from_id"]) != 0 and isinstance(comment.get("text", ""), str) and all(
                isinstance(n, int) for n in (comment.get("parents_stack") or [])) and isinstance(
                comment.get("attachments") or [], list)
        except (KeyError, TypeError, ValueError, AttributeError):
            ok = False
        if not ok:
            say(f"VK sent a comment event this connector cannot read; passed over: {str(comment)[:200]}",
                f"ВКонтакте прислал событие комментария, которое коннектор не может прочитать; пропущено: {str(comment)[:200]}")
        return ok

    def remember_author(self, post, number, author):
        """`author` wrote comment `number` under `post`: kept for its deletion (the latest AUTHORS_KEPT)."""
        if self.authors is None:
            self.authors = self.authors_state.load()
        key = f"{post}_{number}"
        if self.authors.get(key) != author:
            self.authors.pop(key, None)
            self.authors[key] = author
            while len(self.authors) > AUTHORS_KEPT:
                self.authors.pop(next(iter(self.authors)))
            self.authors_changed = True

    def deleter(self, post, number, deleter_id):
        """Who deleted comment `number` under `post`: `author`, `community` (its moderators, or the
        community itself), or None when VK's `deleter_id` cannot be told (a comment older than those kept)."""
        if self.authors is None:
            self.authors = self.authors_state.load()
        try:
            deleter_id = int(deleter_id)
        except (TypeError, ValueError):
            return None
        if deleter_id == -self.group:
            return "community"
        author = self.authors.get(f"{post}_{number}")
        if author is None:
            return None
        return "author" if deleter_id == author else "community"

    def registration(self, comment, received):
        """The registration a citizen's comment makes; None for the community's own comment."""
        owner = comment.get("owner_id", comment.get("post_owner_id"))
        if owner is None or int(comment.get("from_id", 0)) == -self.group:
            return None
        post, number = int(comment["post_id"]), int(comment["id"])
        self.remember_author(post, number, int(comment["from_id"]))
        stack = comment.get("parents_stack") or []
        text = comment.get("text", "")
        if not text.strip():
            text = attachments_said(comment.get("attachments") or [])
        posted = int(comment.get("date", 0))
        # The network's times are facts, never a person's typo: an old comment (edited, or found by a
        # sweep) is taken as old (allow_old).
        return cases_pb2.RegisterMessageRequest(
            network="vk", url=comment_url(owner, post, number, stack[0] if stack else None),
            author=plain(self.author(int(comment["from_id"]))) or f"id{comment['from_id']}",
            text=cut(text, number), detected_at_unix=detection(received, posted),
            posted_at_unix=posted, external_id=self.external_id(comment), allow_old=True)

    def deliver(self, updates, received):
        """Registers the poll's new comments in requests that fit (`batches`), then records its edits,
        deletions and restorations on their cases, in the stream's order; the daemon's answers are the
        acknowledgement."""
        # An update that is not an object of VK's shape is said and passed over, as a comment is (`readable`).
        odd = [update for update in updates if not isinstance(update, dict)]
        if odd:
            say(f"VK sent an update this connector cannot read; passed over: {str(odd[0])[:200]}",
                f"ВКонтакте прислал обновление, которое коннектор не может прочитать; пропущено: {str(odd[0])[:200]}")
        updates = [update for update in updates if isinstance(update, dict)]
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
        self.daemon.register(messages)
        taken = self.daemon.new
        for update in updates:
            kind, comment = update.get("type"), update.get("object")
            if kind in ("wall_reply_edit", "wall_reply_restore") and self.readable(comment):
                taken += self.changed(comment, "edited" if kind == "wall_reply_edit" else "restored", received,
                                      str(update.get("event_id") or ""))
            elif kind == "wall_reply_delete":
                self.deleted(comment, str(update.get("event_id") or ""))
        self.taken += taken
        return taken

    @staticmethod
    def external_id(comment):
        return f"vk:{comment.get('owner_id', comment.get('post_owner_id'))}_{int(comment['post_id'])}_{int(comment['id'])}"

    def changed(self, comment, kind, received, change_id=""):
        """An edited or restored comment recorded on its case; one never registered (written before the
        connector ran, or lost in a gap of the stream) is registered as it reads now. Returns how many
        comments were registered (0 or 1)."""
        registration = self.registration(comment, received)
        if registration is None:
            return 0  # the community's own
        return self.daemon.changed(registration, kind, change_id)

    def deleted(self, event, change_id=""):
        """A deleted comment noted on its case (never deleted there); one never registered is no case's."""
        try:
            external = f"vk:{int(event.get('owner_id', event.get('post_owner_id')))}_{int(event['post_id'])}_{int(event['id'])}"
        except (KeyError, TypeError, ValueError, AttributeError):
            say(f"VK sent a deletion this connector cannot read; passed over: {str(event)[:200]}",
                f"ВКонтакте прислал удаление, которое коннектор не может прочитать; пропущено: {str(event)[:200]}")
            return
        by = self.deleter(int(event["post_id"]), int(event["id"]), event.get("deleter_id"))
        self.daemon.change("vk", external, "deleted", change_id=change_id, deleted_by=by)

    def server(self):
        answer = self.vk.call("groups.getLongPollServer", group_id=self.group)
        return answer["server"], answer["key"], str(answer["ts"])

    def start(self):
        """The long poll server and the position to poll from: where the last acknowledged batch ended,
        or on a first start the stream's present, kept at once (a crash before the first batch is
        acknowledged resumes there, not at a later present that would skip it)."""
        self.daemon.check_login()
        saved = self.state.load()
        server, key, ts = self.server()
        # When the stream last answered; a state file of an earlier version says it by when it was written.
        written = os.path.getmtime(self.state.path) if os.path.exists(self.state.path) else self.clock()
        self.polled_at = int(saved.get("polled_at") or written)
        if saved.get("ts"):
            ts = str(saved["ts"])
        else:
            self.save(ts)
        self.position = server, key, ts

    def save(self, ts):
        """The position and when the stream last answered (a gap's beginning, for the sweep); the authors
        learnt first (a crash between the two learns them again from the same events)."""
        if self.authors_changed:
            self.authors_state.save(**self.authors)
            self.authors_changed = False
        self.polled_at = int(self.clock())
        self.state.save(ts=ts, polled_at=self.polled_at)

    def poll(self):
        """One poll and what it brought registered, then the position kept; how many comments were new."""
        self.taken = 0
        self.position = self.advance(*self.position)
        self.save(self.position[2])
        return self.taken

    def advance(self, server, key, ts):
        """One poll and what it brought registered; the server, key and position to poll on with."""
        answer = self.vk.check(server, key, ts)
        failed = answer.get("failed")
        if failed == 1:
            self.gap()
            return server, key, str(answer["ts"])
        if failed == 2:
            server, key, _ = self.server()
            return server, key, ts
        if failed == 3:
            self.gap()
            return self.server()
        if failed is not None:
            raise VKError(0, f"long poll failed {failed}")
        self.deliver(answer.get("updates") or [], self.clock())
        return server, key, str(answer["ts"])

    def gap_said(self, since, english, russian_text):
        """Comments lost in a gap since `since`: why in the journal, and to the daemon (`otklik connector
        list` says it to the curator in their language)."""
        say(english, russian_text)
        self.health.missed(since)

    def gap(self):
        """VK's stream lost events (`failed` 1 or 3): the recent posts' comments swept with the service
        token, when one is configured; otherwise the gap is said, not hidden."""
        since = self.polled_at - SWEEP_MARGIN
        if self.service is None:
            self.gap_said(since, f"VK's stream lost events since {time.strftime('%Y-%m-%d %H:%M', time.localtime(since))}: "
                          "comments written meanwhile are not taken (give the connector a service token, "
                          "--service-token-file, to sweep the recent posts for them; look at the community's posts "
                          "meanwhile)",
                          f"поток ВКонтакте потерял события с {time.strftime('%Y-%m-%d %H:%M', time.localtime(since))}: "
                          "комментарии за это время не приняты (дайте коннектору сервисный ключ, --service-token-file, "
                          "чтобы он обошёл последние посты; пока просмотрите посты сообщества)")
            return
        try:
            found, taken = self.sweep(since)
        except VKError as error:
            if error.code in TRANSIENT:
                raise SweepFailed(f"VK {error.code}: {error.message}") from None
            # The service token itself is refused: sweeping again would meet the same refusal, and the
            # stream must go on. The gap is said, not hidden.
            self.gap_said(since, f"the sweep of the recent posts was refused (VK {error.code}: {error.message}): check the "
                          f"service token; comments written since {time.strftime('%Y-%m-%d %H:%M', time.localtime(since))} "
                          "are not taken",
                          f"обход последних постов не принят (ВКонтакте {error.code}: {error.message}): проверьте "
                          f"сервисный ключ; комментарии с {time.strftime('%Y-%m-%d %H:%M', time.localtime(since))} не "
                          "приняты")
            return
        except VKUnreachable as error:
            raise SweepFailed(error.reason) from None
        say(f"VK's stream lost events; the sweep of the last {SWEEP_POSTS} posts found {found} comments written "
            f"since then, {taken} of them taken now (the rest were registered before)",
            f"поток ВКонтакте потерял события; обход последних {SWEEP_POSTS} постов нашёл {found} комментариев "
            f"за это время, принято сейчас {taken} (остальные были зарегистрированы раньше)")

    def sweep(self, since):
        """Every comment written since `since` under the community's last SWEEP_POSTS posts, registered
        (those registered before are found by their external ids): (found, newly taken)."""
        posts = self.service_call("wall.get", owner_id=-self.group, count=SWEEP_POSTS).get("items") or []
        comments = []
        for post in posts:
            if int((post.get("comments") or {}).get("count") or 0) == 0:
                continue
            comments += self.comments_since(int(post["id"]), since)
        comments = [comment for comment in comments if self.readable(comment)]
        received = self.clock()
        messages = [m for m in (self.registration(comment, received) for comment in comments) if m is not None]
        self.daemon.register(messages)
        self.taken += self.daemon.new
        return len(messages), self.daemon.new

    def service_call(self, method, **params):
        """A call with the service token, at most SERVICE_RATE a second (VK's limit for a service token of a
        small app), a transient error (6, 9, 10, no answer) tried again three times with a growing pause."""
        attempt = 0
        while True:
            time.sleep(max(0.0, self.service_next - time.monotonic()))
            self.service_next = time.monotonic() + 1 / SERVICE_RATE
            try:
                return self.service.call(method, **params)
            except (VKError, VKUnreachable) as error:
                if attempt == 3 or (isinstance(error, VKError) and error.code not in TRANSIENT):
                    raise
                time.sleep(2 ** attempt)
                attempt += 1

    def comments_since(self, post, since, root=None):
        """The comments under `post` (in `root`'s thread) written at or after `since`, in pages of 100
        (`wall.getComments`, extended: the authors' names come with them)."""
        found, offset = [], 0
        while True:
            params = dict(owner_id=-self.group, post_id=post, count=100, offset=offset, sort="desc", extended=1,
                          thread_items_count=10 if root is None else 0, preview_length=0)
            if root is not None:
                params["comment_id"] = root
            page = self.service_call("wall.getComments", **params)
            for person in page.get("profiles") or []:
                name = " ".join(part for part in (person.get("first_name", ""), person.get("last_name", "")) if part)
                self.names[int(person.get("id", 0))] = name or self.names.get(int(person.get("id", 0)), "")
            items = page.get("items") or []
            for item in items:
                comment = {**item, "post_id": post, "owner_id": -self.group,
                           "parents_stack": [root] if root is not None else []}
                thread = item.get("thread") or {}
                if root is None and int(thread.get("count") or 0) > 0:
                    # The thread's replies: those VK sent along, or the whole thread when it holds more.
                    shown = thread.get("items") or []
                    replies = self.comments_since(post, since, int(item["id"])) if len(shown) < int(thread["count"]) \
                        else [{**reply, "post_id": post, "owner_id": -self.group, "parents_stack": [int(item["id"])]}
                              for reply in shown if int(reply.get("date") or 0) >= since]
                    found += replies
                if int(item.get("date") or 0) >= since:
                    found.append(comment)
            offset += len(items)
            # Every comment of the post is read (a comment older than the gap may have new replies in
            # its thread), up to SWEEP_COMMENTS of them.
            if len(items) < 100 or offset >= SWEEP_COMMENTS:
                return found

    def failure(self, error, pause):
        """What stops the connector (its exit status), or None after saying it waits `pause` seconds."""
        if isinstance(error, VKError) and error.code in FATAL:
            say(f"VK refused: {FATAL[error.code]} ({error.code}); give the connector a community token with "
                "the rights docs/CONNECTORS.md names",
                f"ВКонтакте отказал: {'токен сообщества не принят' if error.code == 5 else 'метод недоступен токену сообщества'} "
                f"({error.code}); дайте коннектору токен сообщества с правами из docs/CONNECTORS.md")
            self.health.trouble("token_refused", f"VK {error.code}: {error.message}")
            self.daemon.drop()
            return EXIT_REFUSED
        status = self.daemon.refusal(error)
        if status is not None:
            return status
        if isinstance(error, VKError):
            self.health.trouble("network_unreachable", f"VK {error.code}: {error.message}")
            return self.waited(error, pause, (f"VK answered {error.code}", f"ВКонтакте ответил {error.code}"))
        if isinstance(error, VKUnreachable):
            self.health.trouble("network_unreachable", error.reason)
            return self.waited(
                error, pause, (f"no answer from VK ({error.reason})", f"ВКонтакте не отвечает ({error.reason})"))
        if isinstance(error, SweepFailed):
            self.health.trouble("network_unreachable", error.reason)
            return self.waited(error, pause, (
                f"the sweep of the recent posts failed ({error.reason}); the position stays before the gap",
                f"обход последних постов не удался ({error.reason}); место в потоке остаётся до пропуска"))
        return self.waited(error, pause)


# VK's answers to wall.createComment sorted into what the curator can do (words.proto's
# PublicationFailureKind); any other code is the network refusing the reply itself.
FAILURE_KINDS = {5: "token_refused", 27: "method_unavailable", 15: "method_unavailable", 212: "comments_closed",
                 213: "comments_closed", 223: "comments_closed"}


class Publisher(Publication):
    """Approved replies posted as the community: `wall.createComment` with `from_group`,
    `reply_to_comment` the citizen's comment and `guid` the publication's key, so a repeated call after
    a lost answer answers the comment made before (VK's "unique identifier to avoid repeated
    comments"): a retry never posts twice. A community token cannot attach photos (`photos.*` is for
    user tokens): the reply goes as text and the case says its files were left out."""

    network, idempotent = "vk", True
    # VK does not say how long it remembers a guid: a reply whose answer was lost is posted again under
    # its guid for 50 minutes from the first loss, then recorded `uncertain` for a person to look.
    repeat_window = 3000

    def __init__(self, vk, daemon, group, state_dir, account="", clock=time.time, interval=0.5):
        super().__init__(daemon, State(state_dir, f"vk-{group}-published"), f"vk:-{int(group)}_", account, clock,
                         interval)
        self.vk = vk
        self.group = int(group)

    def address(self, external_id):
        """(owner, post, comment) of `vk:-G_P_C` of this community; None otherwise."""
        try:
            owner, post, comment = external_id.removeprefix("vk:").split("_")
            if int(owner) == -self.group:
                return int(owner), int(post), int(comment)
        except ValueError:
            pass
        return None

    def post(self, item):
        owner, post, comment = self.address(item.external_id)
        answer = self.vk.call("wall.createComment", owner_id=owner, post_id=post, from_group=self.group,
                              reply_to_comment=comment, message=item.text, guid=item.key)
        made = int(answer["comment_id"])
        stack = answer.get("parents_stack") or []
        # The reply sits in the thread of the comment it answers: VK names the root; failing that, the
        # citizen's comment's own thread, or the comment itself (a top-level one starts a thread).
        query = urllib.parse.parse_qs(urllib.parse.urlparse(item.url).query)
        thread = int(stack[0]) if stack else int((query.get("thread") or [comment])[0])
        return comment_url(owner, post, made, thread), item.files > 0

    def failure(self, error):
        if isinstance(error, VKError):
            if error.code in TRANSIENT:
                return None, error.code, error.message
            return FAILURE_KINDS.get(error.code, "refused"), error.code, error.message
        if isinstance(error, VKUnreachable):
            # Posted or not, a repeated call with the same guid answers the comment made before.
            return None, 0, error.reason, None, True
        if isinstance(error, (ValueError, KeyError)):
            return None, 0, f"an answer that is not VK's: {error}"
        raise error
