"""Telegram publication (issue 29): an approved reply sent by the bot in the channel's discussion group as
a reply to the citizen's comment, with the draft's files (p.19) attached the way the Bot API carries
them, and recorded with the URL built from the message Telegram answers.

A reply is one message where it can be: the text alone (`sendMessage`), or the text as the caption of its
file or album (`sendPhoto`, `sendVideo`, `sendDocument`, `sendMediaGroup`). Where it cannot, it goes in
parts, each replying to the first: a text longer than a caption's 1,024 characters goes first (in pieces
of at most 4,096, a message's limit), then the files, photos and videos in albums of up to ten, documents
in albums of their own (the Bot API groups a document only with documents). The reply's URL is its first
message's. A file Telegram does not take from a bot (over 50 MB) is left out, and the case says so."""
import os
import shutil
import time

from otklik_client import RPCError, StatusCode, words

from .common import State, say
from .publication import Publication, Unfinished
from .telegram import TelegramError, TelegramUnreachable

# The Bot API's limits ("Sending files"; sendMessage; "caption: 0-1024 characters after entities
# parsing"; sendMediaGroup: "2-10 items"). Lengths are counted as Telegram counts them, in UTF-16 units.
TEXT_LIMIT, CAPTION_LIMIT, ALBUM_LIMIT = 4096, 1024, 10
PHOTO_LIMIT = 10 << 20    # "The photo must be at most 10 MB in size"
UPLOAD_LIMIT = 50 << 20   # "50 MB max size for other files" sent by a bot
# What Telegram shows as a photo or plays as a video; any other file goes as a document (a HEIC photo,
# a MOV, a PDF act), byte for byte.
PHOTO_TYPES = frozenset(("image/jpeg", "image/png"))
VIDEO_TYPES = frozenset(("video/mp4",))
SEND = {"photo": "sendPhoto", "video": "sendVideo", "document": "sendDocument"}


def length(text):
    """`text`'s length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def carried_as(file):
    """How the Bot API carries `file` (a PendingFile): photo, video or document; None when a bot cannot
    send it at all (or it is None: not at hand)."""
    if file is None or file.size > UPLOAD_LIMIT:
        return None
    if file.content_type in PHOTO_TYPES and file.size <= PHOTO_LIMIT:
        return "photo"
    return "video" if file.content_type in VIDEO_TYPES else "document"


def pieces(text, limit=TEXT_LIMIT):
    """`text` cut into messages of at most `limit` units: at a paragraph, else a line, else a space, else
    where the limit falls (never inside a character)."""
    parts = []
    while length(text) > limit:
        cut, units = 0, 0
        for character in text:
            units += 2 if ord(character) > 0xFFFF else 1
            if units > limit:
                break
            cut += 1
        head = text[:cut]
        for separator in ("\n\n", "\n", " "):
            at = head.rfind(separator)
            if at > limit // 4 and head[:at].strip():
                head = head[:at]
                break
        parts.append(head.rstrip())
        text = text[len(head):].lstrip()
    if text.strip() or not parts:
        parts.append(text)
    return parts


def plan(text, files, text_first=False):
    """The messages a reply goes as: a list of steps, each {"text": ...} or {"files": [indices into
    `files`], "caption": text or None}, and whether a file was left out. `text_first`: the text on its
    own even where a caption would hold it."""
    kinds = [carried_as(file) for file in files]
    media = [i for i, kind in enumerate(kinds) if kind in ("photo", "video")]
    documents = [i for i, kind in enumerate(kinds) if kind == "document"]
    albums = [group[i:i + ALBUM_LIMIT] for group in (media, documents) for i in range(0, len(group), ALBUM_LIMIT)]
    left_out = None in kinds
    if albums and length(text) <= CAPTION_LIMIT and not text_first:
        steps = [{"files": albums[0], "caption": text}] + [{"files": album, "caption": None} for album in albums[1:]]
    else:
        steps = [{"text": piece} for piece in pieces(text)] + [{"files": album, "caption": None} for album in albums]
    return steps, left_out


class Publisher(Publication):
    """Approved replies posted by the bot in the discussion group, as a reply to the citizen's comment
    (`reply_parameters`, never `message_thread_id` alone), recorded with the URL built from the message
    Telegram answers. The Bot API has no key that drops a repeated call: the journal is written before
    and after each message, and a message whose answer was lost is never sent again. Lost on the first
    message, the reply is recorded as `uncertain` for a person to look; on a file's, the reply is
    recorded as published with its files left out (the case says so, and the curator adds them)."""

    network, idempotent = "tg", False

    def __init__(self, telegram, daemon, chat, state_dir, account="", clock=time.time, interval=0.5):
        super().__init__(daemon, State(state_dir, f"telegram-{int(chat)}-published"), f"tg:{int(chat)}/", account,
                         clock, interval)
        self.telegram = telegram
        self.chat = int(chat)
        # The files of the replies being sent, fetched from the daemon; what a stop left here is stale.
        self.files = os.path.join(state_dir, f"telegram-{int(chat)}-files")
        shutil.rmtree(self.files, ignore_errors=True)
        self.unavailable = set()    # files the daemon could not give (missing from its data directory)

    def address(self, external_id):
        """The comment's id in the discussion group of `tg:CHAT/ID`; None for another chat's."""
        chat, _, number = external_id.removeprefix("tg:").partition("/")
        try:
            return int(number) if int(chat) == self.chat else None
        except ValueError:
            return None

    def path(self, file):
        return os.path.join(self.files, file.sha256)

    def prepare(self, item):
        """The reply's files Telegram will carry, fetched from the daemon (allowed while the reply waits for
        this connector) before anything is sent."""
        os.makedirs(self.files, mode=0o700, exist_ok=True)
        for file in item.attachments:
            if carried_as(file) is None or os.path.exists(self.path(file)):
                continue
            try:
                self.daemon().download(file.sha256, self.path(file))
            except OSError:
                self.daemon.drop()                   # the connection broken: a new one next round
                raise
            except RPCError as error:
                if error.code not in (StatusCode.NOT_FOUND, StatusCode.DATA_LOSS):
                    if error.code == StatusCode.UNAVAILABLE:
                        self.daemon.drop()
                    raise
                # The daemon has lost it (its data directory damaged): the reply goes without it, and the
                # case says so, rather than waiting for a file that will not come.
                say(f"the file {file.name} of {item.assignment_id} cannot be had from the daemon ({error.message}); "
                    "the reply goes without it",
                    f"файл {file.name} ответа по поручению {item.assignment_id} не получен от демона ({error.message}); "
                    "ответ уйдёт без него")
                self.unavailable.add(file.sha256)

    def forget(self, key):
        super().forget(key)
        if not self.journal.load():
            shutil.rmtree(self.files, ignore_errors=True)   # nothing is being sent: no file is needed

    def post(self, item):
        entry = self.journal.load().get(item.key) or {}
        text_first = bool(entry.get("text_first"))
        if entry.get("plan"):
            # Resumed: the parts as they were planned when the first went out (a file the daemon could not
            # give then, or gives now, does not shift what `done` counts).
            index = {file.sha256: i for i, file in enumerate(item.attachments)}
            steps = [step if "text" in step else {"files": [index[sha] for sha in step["files"] if sha in index],
                                                  "caption": step.get("caption")} for step in entry["plan"]]
            left_out = bool(entry.get("files_left_out"))
        else:
            steps, left_out = plan(item.text, [None if file.sha256 in self.unavailable else file
                                               for file in item.attachments], text_first)
        done, first, url = entry.get("done", 0), entry.get("first"), entry.get("url")
        sent_files = list(entry.get("files_sent") or [])
        if done and entry.get("inflight"):
            # The connector stopped while a part was being sent: it may be out, and is never sent twice.
            return self.given_up(item, entry, steps, "the connector stopped while sending it",
                                 "коннектор остановился во время отправки")
        for number in range(done, len(steps)):
            if number:
                # The claim renewed before each part: the curator's hand never posts beside a reply half out.
                if not self.claim(item):
                    return self.given_up(item, entry, steps, "its claim was lost", "разрешение на отправку утрачено")
                self.note(item.key, dict(entry, inflight=True))
            try:
                sent = self.send(steps[number], item, first or self.address(item.external_id))
            except (TelegramError, TelegramUnreachable) as error:
                if number and "files" in steps[number] and self.failure(error)[0] == "refused":
                    # Telegram refused these files (nothing of them is out): left out, the next part goes on.
                    say(f"Telegram did not take files of {item.assignment_id} ({error}); they are left out",
                        f"{self.name_ru} не принял файлы ответа по поручению {item.assignment_id} ({error}); они не "
                        "будут опубликованы")
                    entry = dict(entry, inflight=False, done=number + 1, files_left_out=True,
                                 rest=number + 1 < len(steps))
                    left_out = True
                    self.note(item.key, entry)
                    continue
                if number:
                    return self.rest_failed(item, error, entry, steps)
                if "files" in steps[0] and not text_first and self.failure(error)[0] == "refused":
                    # Telegram did not take a file the text was the caption of (a photo's proportions, a
                    # size): nothing is out, so the text goes alone first, then the files (an album refused
                    # again is left out, and the case says so).
                    say(f"Telegram did not take the files of {item.assignment_id} ({error}); the text goes first",
                        f"{self.name_ru} не принял файлы ответа по поручению {item.assignment_id} ({error}); "
                        "сначала уйдёт текст")
                    self.note(item.key, dict(entry, text_first=True))
                    return self.post(item)
                raise                                        # nothing is out: the reply's own failure
            if not number:
                first = int(sent["message_id"])
                url = reply_url(item.url, first)
            sent_files += [item.attachments[i].sha256 for i in steps[number].get("files", [])]
            entry = {"url": url, "at": entry.get("at") or int(time.time()), "files_left_out": left_out,
                     "files_sent": sent_files, "first": first, "done": number + 1, "rest": number + 1 < len(steps),
                     "text_first": text_first, "plan": [
                         step if "text" in step else {"files": [item.attachments[i].sha256 for i in step["files"]],
                                                      "caption": step["caption"]} for step in steps]}
            if entry["rest"]:
                self.note(item.key, entry)
        return url, left_out, sent_files

    @property
    def name_ru(self):
        return words.network_name(self.network, russian=True)

    def send(self, step, item, reply_to):
        """One message (or album) of a reply; the first message Telegram answers."""
        reply = {"message_id": reply_to}
        if "text" in step:
            return self.telegram.call("sendMessage", chat_id=self.chat, text=step["text"], reply_parameters=reply)
        files = [item.attachments[i] for i in step["files"]]
        caption = {"caption": step["caption"]} if step["caption"] else {}
        if len(files) == 1:
            kind = carried_as(files[0])
            return self.telegram.upload(SEND[kind], [(kind, files[0].name, self.path(files[0]), files[0].content_type)],
                                        chat_id=self.chat, reply_parameters=reply, **caption)
        media = [dict({"type": carried_as(file), "media": f"attach://file{i}"}, **(caption if not i else {}))
                 for i, file in enumerate(files)]
        sent = self.telegram.upload(
            "sendMediaGroup", [(f"file{i}", file.name, self.path(file), file.content_type) for i, file in enumerate(files)],
            chat_id=self.chat, media=media, reply_parameters=reply)
        return sent[0]

    def rest_failed(self, item, error, entry, steps):
        """A later part unanswered or asked to wait, the first out: tried again while the network asks to
        wait and time is left (nothing of it went out), else the reply is recorded as it went."""
        kind, code, message, *wait = self.failure(error)
        now = self.clock()
        first_failure = self.trying_since.setdefault(item.key, now)
        if kind is None and (
                (item.due_unix and now < item.due_unix) or now - first_failure < self.RETRY_AT_LEAST):
            self.note(item.key, dict(entry, inflight=False))
            pause = (wait and wait[0]) or min(max(self.retry.get(item.key, (0, 1))[1] * 2, 2), 60)
            say(f"Telegram did not take the rest of the reply of {item.assignment_id} ({code or message}); trying "
                f"again in {pause} s",
                f"{self.name_ru} не принял продолжение ответа по поручению {item.assignment_id} ({code or message}); "
                f"повтор через {pause} с")
            raise Unfinished(pause)
        return self.given_up(item, entry, steps, f"{code or ''} {message}".strip(), f"{code or ''} {message}".strip())

    def given_up(self, item, entry, steps, english, russian_text):
        """The reply recorded as it went: its first part is out. Where a later text part did not go, a person
        must look (recorded as `uncertain`, with how many parts went and the first's URL); where only files
        did not, the case says which went out."""
        url, done = entry["url"], entry["done"]
        if any("text" in step for step in steps[done:]):
            raise Unfinished(0, uncertain=f"{done}/{len(steps)}: {url} ({english})")
        say(f"the reply of {item.assignment_id} is out ({url}) but not all its files: {english}; the case says so",
            f"ответ по поручению {item.assignment_id} размещён ({url}), но не все файлы: {russian_text}; это видно в деле")
        return url, True, list(entry.get("files_sent") or [])

    def failure(self, error):
        if isinstance(error, TelegramError):
            if error.code == 429:
                return None, error.code, error.description, error.retry_after
            if error.code >= 500:
                # A gateway's error: Telegram may have sent it all the same, and a repeat would post twice.
                return "uncertain", error.code, error.description
            if error.code in (401, 404):
                return "token_refused", error.code, error.description
            if error.code == 403:
                return "comments_closed", error.code, error.description  # not a member, or may not write there
            gone = "message to be replied not found" in error.description.lower()
            return ("message_gone" if gone else "refused"), error.code, error.description
        if isinstance(error, TelegramUnreachable):
            return ("uncertain" if error.maybe_sent else None), 0, error.reason
        raise error


def reply_url(comment_url, number):
    """The reply's address beside the comment's: the same post (`?comment=` its number) or the same thread
    of the group (its number in the path)."""
    import urllib.parse

    parts = urllib.parse.urlsplit(comment_url)
    query = urllib.parse.parse_qs(parts.query)
    if "comment" in query:
        query["comment"] = [str(number)]
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, doseq=True)))
    path = parts.path.rsplit("/", 1)[0] + f"/{number}"
    return urllib.parse.urlunsplit(parts._replace(path=path))
