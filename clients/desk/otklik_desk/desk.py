"""What the desk's pages share: the daemon as the chosen login, the guard, the live events, the words, and
the small readings every page needs (who am I, the directory's names, the daemon's now, typed times,
thumbnails)."""
import datetime
import io
import os
import re
import tempfile
import threading

from otklik_client import RPCError, words

from .speech import Speech

# The CLI's command words, as a refusal's hint names a command without its `otklik` ("(case show)").
COMMAND_WORDS = "case|staff|draft|reply|message|queue|assignment|unit|account|connector|attachment|report|admin|calendar|export"
THUMBNAIL_SIDE = 320
THUMBNAIL_LARGEST = 40 << 20


class Desk:
    """What the pages share: the daemon, the guard, the live events, the words, the admin's chosen login."""

    def __init__(self, daemon, guard, live, russian, otklik="otklik", address_arguments=()):
        self.daemon = daemon
        self.guard = guard
        self.live = live
        self.say = Speech(russian)
        self.otklik = otklik
        self.address_arguments = list(address_arguments)
        self.acting = daemon.acting
        self.real_admin = False         # the desk's user is an admin (set at start): may act as others
        self.neutral_locale = False     # the helper's locale is C or POSIX: the browser's language decides
        self._thumbs = {}
        self._thumbs_lock = threading.Lock()

    # The daemon, as the chosen login.

    def call(self, name, *arguments, **keywords):
        return self.daemon.call(name, *arguments, acting=self.acting, **keywords)

    def me(self):
        answer = self.call("who_am_i")
        roles = {words.word(words.Role, role) for role in answer.roles}
        return {"login": answer.login, "roles": roles, "os_user": answer.os_user}

    def names(self):
        try:
            return self.daemon.names(acting=self.acting)
        except RPCError:
            return {"units": {}, "staff": {}}

    def now(self):
        health = self.call("health")
        moment = datetime.datetime.fromisoformat(health.now)
        return moment

    # Words for what the daemon gave.

    def unit_title(self, code, names):
        unit = names["units"].get(code)
        return unit.title if unit is not None and unit.title else code

    def person(self, login, names):
        person = names["staff"].get(login)
        return person.full_name if person is not None and person.full_name else login

    def refusal(self, error, names=None):
        """The refusal's sentence for the page: the CLI's, without the command-line hints that mean
        nothing in a browser (" (--at)", ": --account", "(`otklik case show …`)")."""
        titles = {code: unit.title for code, unit in (names or self.names())["units"].items()}
        sentence = error.sentence(russian=self.say.russian, unit_titles=titles)
        sentence = re.sub(r"\s*\((?:[^()]*`[^()]*`|[^()]*--[a-z][^()]*|(?:%s) [^()]*)\)" % COMMAND_WORDS, "", sentence)
        sentence = re.sub(r";[^;]*--[a-z][^;]*", "", sentence)          # "; укажите --measures"
        return re.sub(r"[:,]?\s*(?:confirm with|подтвердите флагом) --[a-z-]+|:\s*--[a-z].*$", "", sentence).strip()

    # Times typed by people, in the daemon's offset.

    def typed_time(self, form, field, zone, end=False):
        """The time a person typed in the form's `field`, in the daemon's offset (None when left empty); a
        date alone is its day's start, or with `end` (an absence's "until", as the CLI reads `--to`) the
        whole day: the next day's start. Refused as ValueError(field, sentence), beside that field."""
        text = (form.get(field) or "").strip()
        if not text:
            return None
        for pattern in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
            try:
                return datetime.datetime.strptime(text, pattern).replace(tzinfo=zone)
            except ValueError:
                continue
        for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                day = datetime.datetime.strptime(text, pattern).replace(tzinfo=zone)
                return day + datetime.timedelta(days=1) if end else day
            except ValueError:
                continue
        try:
            moment = datetime.datetime.fromisoformat(text)
            return moment if moment.tzinfo else moment.replace(tzinfo=zone)
        except ValueError:
            raise ValueError(field, self.say("error.time")) from None

    # Attachments: their bytes fetched (checked against their digest by the client), and thumbnails:
    # the photo re-encoded by Pillow, never the uploaded bytes.

    def fetched(self, sha256):
        """The attachment's bytes, read through a scratch file that goes with them."""
        with tempfile.TemporaryDirectory(prefix="otklik-desk-") as scratch:
            path = os.path.join(scratch, "file")
            self.daemon.client(self.acting).download(sha256, path)
            with open(path, "rb") as file:
                return file.read()

    def thumbnail(self, sha256):
        with self._thumbs_lock:
            if sha256 in self._thumbs:
                return self._thumbs[sha256]
        from PIL import Image, ImageOps
        info = self.call("get_attachment", sha256=sha256)
        if info.kind != "photo" or info.size > THUMBNAIL_LARGEST:
            return None
        photo = self.fetched(sha256)
        try:
            with Image.open(io.BytesIO(photo)) as image:
                image.draft("RGB", (THUMBNAIL_SIDE * 2, THUMBNAIL_SIDE * 2))
                image = ImageOps.exif_transpose(image)
                image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
                out = io.BytesIO()
                image.convert("RGB").save(out, "JPEG", quality=80)
        except Exception:           # a photo Pillow cannot read (HEIC): no thumbnail, the file still downloads
            return None
        data = out.getvalue()
        with self._thumbs_lock:
            if len(self._thumbs) > 500:
                self._thumbs.clear()
            self._thumbs[sha256] = data
        return data
