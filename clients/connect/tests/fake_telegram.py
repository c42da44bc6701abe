"""A fake Telegram Bot API on loopback answering the documented shapes (Bot API 10.1: Update, Message,
User, Chat, MessageOriginChannel; the error object with ResponseParameters): `getMe`, `getUpdates` with
Telegram's offset (an update below the offset is confirmed and forgotten) and long poll (it waits up to
`timeout` seconds, and answers at once when updates wait), `sendMessage` with `reply_parameters`,
`sendPhoto`, `sendVideo`, `sendDocument` and `sendMediaGroup` taking files as multipart/form-data, and
`deleteWebhook`. The channel's posts, comments and the rest are added with the helpers below; `fail(...)`
makes a method's next call answer an error (401, 409, 429 with `retry_after`, ...), as the Bot API
server does: its HTTP status is the error code."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The users Telegram puts in `from` for a message sent on behalf of a chat (the Bot API server: the
# automatic forward's "Telegram", a channel's, a group's anonymous administrator's).
SERVICE_USER = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
GROUP_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
DESCRIPTIONS = {
    401: "Unauthorized",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    502: "Bad Gateway",
}


# "50 MB max size" for a file a bot uploads: a larger request is refused before it is read.
UPLOAD_LIMIT = 50 << 20


def multipart(body, content_type):
    """A multipart/form-data body: (its fields, each JSON where it parses as an object or a list, and its
    files as {field: (file name, content type, bytes)}); ValueError when it is not one."""
    boundary = next((part.split("=", 1)[1].strip('"') for part in content_type.split(";")[1:]
                     if part.strip().startswith("boundary=")), None)
    if not boundary:
        raise ValueError("no boundary")
    fields, files = {}, {}
    for part in body.split(b"--" + boundary.encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n") if ": " in line)
        disposition = dict(item.strip().split("=", 1) for item in headers.get("Content-Disposition", "").split(";")
                           if "=" in item)
        name = disposition.get("name", "").strip('"')
        data = data.removesuffix(b"\r\n")
        if "filename" in disposition:
            filename = disposition["filename"].strip('"').replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
            files[name] = (filename, headers.get("Content-Type", ""), data)
            continue
        text = data.decode()
        try:
            value = json.loads(text)
            fields[name] = value if isinstance(value, (dict, list)) else text
        except ValueError:
            fields[name] = text
    return fields, files


def person(user_id, first_name, last_name=None):
    """A User as a message's `from` carries it."""
    user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ru"}
    if last_name:
        user["last_name"] = last_name
    return user


class FakeTelegram:
    def __init__(self, token, channel="borovichi_adm", chat=-1001234567890, channel_id=-1009876543210,
                 group_username=None):
        self.token = token
        self.bot = {"id": 7000000001, "is_bot": True, "first_name": "Отклик", "username": "otklik_borovichi_bot",
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.channel = {"id": channel_id, "type": "channel", "title": "Администрация Боровичского района",
                        "username": channel}
        self.group = {"id": chat, "type": "supergroup", "title": "Администрация Боровичского района: обсуждение"}
        if group_username:
            self.group["username"] = group_username
        self.updates = []          # (update_id, update) not yet confirmed
        self.next_update = 861000001
        self.messages = {}         # (chat id, message id) -> Message, for replies
        self.next_message = {}     # chat id -> the next message id there
        self.failures = []         # (method, code, description, retry_after) to answer instead
        self.calls = []            # (method, params) of every call, in order
        self.refuse_token = False
        self.webhook = False
        self.lose_answers = 0      # sendMessage calls to carry out and answer with a dropped connection
        self.files = []            # (kind, file name, content type, bytes) of every file a bot sent
        self.lock = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body, retry_after=None):
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if retry_after:
                    self.send_header("Retry-After", str(retry_after))
                self.end_headers()
                self.wfile.write(data)

            def error(self, code, description=None, retry_after=None):
                body = {"ok": False, "error_code": code, "description": description or DESCRIPTIONS.get(code, "")}
                if retry_after is not None:
                    body["parameters"] = {"retry_after": retry_after}
                return self.answer(code, body, retry_after)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                if length > UPLOAD_LIMIT:
                    return self.error(413, "Request Entity Too Large")
                body = self.rfile.read(length)
                kind = self.headers.get("Content-Type", "")
                uploads = {}
                try:
                    if kind.startswith("multipart/form-data"):
                        params, uploads = multipart(body, kind)
                    else:
                        params = json.loads(body or b"{}")
                except ValueError:
                    return self.error(400, "Bad Request: can't parse JSON object")
                prefix, _, method = self.path.lstrip("/").partition("/")
                if not prefix.startswith("bot") or not method:
                    return self.error(404)
                with fake.lock:
                    fake.calls.append((method, params))
                if fake.refuse_token or prefix != f"bot{fake.token}":
                    return self.error(401)
                with fake.lock:
                    failure = next((f for f in fake.failures if f[0] == method), None)
                    if failure:
                        fake.failures.remove(failure)
                if failure:
                    return self.error(*failure[1:])
                if method == "getMe":
                    return self.answer(200, {"ok": True, "result": fake.bot})
                if method == "getUpdates":
                    if fake.webhook:
                        return self.error(409, "Conflict: can't use getUpdates method while webhook is active; "
                                               "use deleteWebhook to delete the webhook first")
                    return self.answer(200, {"ok": True, "result": fake.take(params)})
                if method == "deleteWebhook":
                    fake.webhook = False
                    return self.answer(200, {"ok": True, "result": True})
                if method in ("sendPhoto", "sendVideo", "sendDocument", "sendMediaGroup"):
                    sent, refusal = fake.send_files(method, params, uploads)
                    if refusal:
                        return self.error(400, refusal)
                    return self.answer(200, {"ok": True, "result": sent})
                if method == "sendMessage":
                    sent, refusal = fake.send(params)
                    if refusal:
                        return self.error(400, refusal)
                    with fake.lock:
                        lose = fake.lose_answers > 0
                        fake.lose_answers -= 1 if lose else 0
                    if lose:  # sent, and the connection drops before the answer
                        self.close_connection = True
                        self.connection.close()
                        return None
                    return self.answer(200, {"ok": True, "result": sent})
                return self.error(404, "Not Found: method not found")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    # The Bot API's side.

    def take(self, params):
        """getUpdates: confirms (forgets) the updates below `offset`, then waits up to `timeout` seconds
        for one to come; the pending ones of the allowed kinds, at most `limit`."""
        offset = params.get("offset")
        timeout = max(0, int(params.get("timeout") or 0))
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        allowed = params.get("allowed_updates") or None
        deadline = time.monotonic() + timeout
        with self.lock:
            if offset is not None:
                self.updates = [(number, update) for number, update in self.updates if number >= int(offset)]
            while True:
                pending = [update for _, update in self.updates
                           if allowed is None or any(kind in update for kind in allowed)]
                left = deadline - time.monotonic()
                if pending or left <= 0:
                    return pending[:limit]
                self.lock.wait(left)

    def send(self, params):
        """sendMessage: the sent Message (never an update: a bot does not receive its own messages), or
        the refusal's description."""
        chat = self.chat_of(params.get("chat_id"))
        if chat is None:
            return None, "Bad Request: chat not found"
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            return None, "Bad Request: message text is empty"
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return None, "Bad Request: message is too long"
        message, refusal = self.replying(chat, params)
        if refusal:
            return None, refusal
        with self.lock:
            sent = self.message(chat, from_=self.bot, text=text, **message)
        return sent, None

    def send_files(self, method, params, uploads):
        """sendPhoto, sendVideo, sendDocument (the file in the field named as the kind) and sendMediaGroup
        (InputMedia whose `media` is `attach://FIELD`): the sent Message, or the album's Messages (one
        `media_group_id`); files only as multipart/form-data uploads, as a bot sends new ones."""
        chat = self.chat_of(params.get("chat_id"))
        if chat is None:
            return None, "Bad Request: chat not found"
        if method == "sendMediaGroup":
            media = params.get("media")
            if not isinstance(media, list) or not 2 <= len(media) <= 10:
                return None, "Bad Request: wrong number of media in the group"
            kinds = {item.get("type") for item in media}
            if "document" in kinds and kinds != {"document"}:
                return None, "Bad Request: document can't be mixed with other media types"
            items = [(item.get("type"), str(item.get("media", "")).removeprefix("attach://"), item.get("caption"))
                     for item in media]
        else:
            kind = method.removeprefix("send").lower()
            items = [(kind, kind, params.get("caption"))]
        for kind, field, caption in items:
            if field not in uploads:
                return None, "Bad Request: wrong file identifier/HTTP URL specified"
            if kind not in ("photo", "video", "document"):
                return None, "Bad Request: unsupported media type"
            if caption is not None and len(str(caption).encode("utf-16-le")) // 2 > 1024:
                return None, "Bad Request: message caption is too long"
            if kind == "photo" and len(uploads[field][2]) > 10 << 20:
                return None, "Bad Request: PHOTO_INVALID_DIMENSIONS"
        message, refusal = self.replying(chat, params)
        if refusal:
            return None, refusal
        sent = []
        with self.lock:
            group = str(10**17 + len(self.messages)) if method == "sendMediaGroup" else None
            for kind, field, caption in items:
                name, content_type, data = uploads[field]
                self.files.append((kind, name, content_type, data))
                fields = dict(message, **self.media(kind, name, content_type, data))
                if caption:
                    fields["caption"] = caption
                if group:
                    fields["media_group_id"] = group
                sent.append(self.message(chat, from_=self.bot, **fields))
        return (sent if group else sent[0]), None

    def media(self, kind, name, content_type, data):
        """The Message's field of a file Telegram stored (PhotoSize sizes, Video, Document)."""
        number = len(self.files)
        ids = {"file_id": f"AgACAgIAAxkDAAI{number:06d}", "file_unique_id": f"AQAD{number:06d}"}
        if kind == "photo":
            return {"photo": [dict(ids, width=90, height=67, file_size=min(len(data), 1300)),
                              dict(ids, width=1280, height=960, file_size=len(data))]}
        if kind == "video":
            return {"video": dict(ids, width=1280, height=720, duration=12, file_name=name, mime_type=content_type,
                                  file_size=len(data))}
        return {"document": dict(ids, file_name=name, mime_type=content_type, file_size=len(data))}

    def replying(self, chat, params):
        """The fields a sent message has from its `reply_parameters`, or the refusal's description."""
        message = {}
        reply = params.get("reply_parameters")
        if reply is not None:
            replied_chat = self.chat_of(reply.get("chat_id", chat["id"]))
            replied = self.messages.get((replied_chat["id"] if replied_chat else None, reply.get("message_id")))
            if replied is None and not reply.get("allow_sending_without_reply"):
                return None, "Bad Request: message to be replied not found"
            if replied is not None:
                message["reply_to_message"] = self.bare(replied)
                root = replied.get("message_thread_id") or (replied["message_id"] if replied.get(
                    "is_automatic_forward") else None)
                if root:
                    message["message_thread_id"] = root
        return message, None

    def chat_of(self, chat_id):
        for chat in (self.group, self.channel):
            # A form's fields are text: "-1001234567890" names the chat as the number does.
            if str(chat_id) == str(chat["id"]) or chat_id == f"@{chat.get('username')}":
                return chat
        return None

    # What happens in the channel and its discussion group.

    def message(self, chat, from_=None, **fields):
        """A Message in `chat` (stored for replies; not an update by itself)."""
        number = self.next_message.get(chat["id"], 1)
        self.next_message[chat["id"]] = number + 1
        message = {"message_id": number}
        if from_ is not None:
            message["from"] = from_
        message.update({"chat": chat, "date": int(time.time()) - 30})
        message.update(fields)
        self.messages[(chat["id"], number)] = message
        return message

    @staticmethod
    def bare(message):
        """A message as `reply_to_message` carries it: without a further reply_to_message."""
        return {key: value for key, value in message.items() if key != "reply_to_message"}

    def add(self, kind, message):
        with self.lock:
            self.updates.append((self.next_update, {"update_id": self.next_update, kind: message}))
            self.next_update += 1
            self.lock.notify_all()
        return message["message_id"]

    def post(self, post_id, text="Ремонт дороги на ул. Сушанской начнётся в понедельник", legacy=False):
        """A channel post's automatic forward into the discussion group; its id there (the comments'
        thread). `legacy`: as Bot API versions before 7.0 wrote it (`forward_from_message_id`)."""
        date = int(time.time()) - 60
        if legacy:
            origin = {"forward_from_chat": self.channel, "forward_from_message_id": post_id, "forward_date": date}
        else:
            origin = {"forward_origin": {"type": "channel", "chat": self.channel, "message_id": post_id, "date": date}}
        with self.lock:
            forward = self.message(self.group, from_=SERVICE_USER, sender_chat=self.channel, is_automatic_forward=True,
                                   text=text, **origin)
        return self.add("message", forward)

    def comment(self, user, root, text=None, reply_to=None, sender_chat=None, **content):
        """A comment in the thread of the forward `root`: a reply to the post (or to `reply_to`, another
        message in the thread). `content`: a caption, photo, sticker, voice ... instead of a text."""
        replied = self.messages[(self.group["id"], reply_to or root)]
        fields = {"message_thread_id": root, "reply_to_message": self.bare(replied)}
        if sender_chat is not None:
            fields["sender_chat"] = sender_chat
        if text is not None:
            fields["text"] = text
        fields.update(content)
        with self.lock:
            message = self.message(self.group, from_=CHANNEL_BOT if sender_chat else user, **fields)
        return self.add("message", message)

    def as_channel(self, root, text):
        """A comment the channel itself writes (an administrator commenting as the channel)."""
        with self.lock:
            message = self.message(self.group, from_=CHANNEL_BOT, sender_chat=self.channel, message_thread_id=root,
                                   reply_to_message=self.bare(self.messages[(self.group["id"], root)]), text=text)
        return self.add("message", message)

    def as_group(self, root, text):
        """A comment of the group's anonymous administrator (sent as the group)."""
        with self.lock:
            message = self.message(self.group, from_=GROUP_BOT, sender_chat=self.group, message_thread_id=root,
                                   reply_to_message=self.bare(self.messages[(self.group["id"], root)]), text=text)
        return self.add("message", message)

    def bot_message(self, root, text):
        """The bot's own message in a thread, as if it came back as an update."""
        with self.lock:
            message = self.message(self.group, from_=self.bot, message_thread_id=root,
                                   reply_to_message=self.bare(self.messages[(self.group["id"], root)]), text=text)
        return self.add("message", message)

    def in_group(self, user, reply_to=None, **fields):
        """A message in the group outside the posts' threads: at the top, or a reply to such a one."""
        if reply_to is not None:
            replied = self.messages[(self.group["id"], reply_to)]
            fields.update(reply_to_message=self.bare(replied),
                          message_thread_id=replied.get("message_thread_id") or reply_to)
        with self.lock:
            message = self.message(self.group, from_=user, **fields)
        return self.add("message", message)

    def elsewhere(self, user, text):
        """A message to the bot in a private chat."""
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        with self.lock:
            message = self.message(chat, from_=user, text=text)
        return self.add("message", message)

    def edit(self, message_id, text):
        """An edit of a message in the group (`edited_message`, with `edit_date`)."""
        with self.lock:
            message = dict(self.messages[(self.group["id"], message_id)], text=text, edit_date=int(time.time()))
            self.messages[(self.group["id"], message_id)] = message
        return self.add("edited_message", message)

    # Test controls.

    def sent(self):
        """The bot's own messages in the discussion group, in order."""
        with self.lock:
            return [m for (chat, _), m in sorted(self.messages.items(), key=lambda item: item[0][1])
                    if chat == self.group["id"] and (m.get("from") or {}).get("id") == self.bot["id"]]

    def fail(self, code, description=None, retry_after=None, method="getUpdates"):
        """The next call of `method` answers this error."""
        with self.lock:
            self.failures.append((method, code, description, retry_after))

    def count(self, method):
        with self.lock:
            return sum(1 for name, _ in self.calls if name == method)

    def params(self, method):
        with self.lock:
            return [params for name, params in self.calls if name == method]

    def close(self):
        with self.lock:
            self.lock.notify_all()
        self.server.shutdown()
        self.server.server_close()
