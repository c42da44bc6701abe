"""Hostile inputs for the targeted parts of the fuzz harness (fuzzlib.Harness.targeted): upload
streams, attachment digests and search requests. Each is a pure function of a random.Random, so a
seed gives the same inputs run after run.

Requests are encoded by hand (protobuf wire format) rather than through the generated classes, so
that they may carry what no well-behaved client sends: negative sizes, NUL bytes, text that is not
UTF-8, fields twice.
"""
import hashlib
import struct

# Protobuf wire encoding.


def varint(value):
    out = bytearray()
    value &= (1 << 64) - 1
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def length_field(number, data):
    if isinstance(data, str):
        data = data.encode()
    return varint(number << 3 | 2) + varint(len(data)) + data


def varint_field(number, value):
    return varint(number << 3) + varint(value)


def upload_header(name=b"photo.jpg", size=0, sha256=b"", descriptor=False):
    """An UploadRequest carrying an UploadHeader (fields of a zero value left out, as protobuf does)."""
    header = b""
    if name:
        header += length_field(1, name)
    if size:
        header += varint_field(2, size)
    if sha256:
        header += length_field(3, sha256)
    if descriptor:
        header += varint_field(4, 1)
    return length_field(1, header)


def upload_chunk(data):
    """An UploadRequest carrying a chunk (an empty chunk is still sent: the oneof case is set)."""
    return length_field(2, data)


def digest(data):
    return hashlib.sha256(data).hexdigest()


# Upload bodies: the first bytes of every kind the daemon sniffs, cut short or padded with noise.

def iso_head(rng):
    """An ISO media `ftyp` box with a hostile box size and brand list."""
    major = rng.choice([b"isom", b"mp42", b"qt  ", b"heic", b"mif1", b"avc1", b"M4V ", b"zzzz", b"\0\0\0\0", b"\xff\xff\xff\xff"])
    brands = b"".join(rng.choice([b"isom", b"iso2", b"qt  ", b"heic", b"msf1", b"dash", b"junk", b"\0\0\0\0"])
                      for _ in range(rng.randrange(0, 14)))
    real = 16 + len(brands)
    size = rng.choice([real, real, 0, 1, 8, 11, 12, 15, 16, 17, 64, 65, 4096, 0x7FFFFFFF, 0xFFFFFFFF])
    return struct.pack(">I", size) + b"ftyp" + major + b"\0\0\x02\0" + brands


HEADS = {
    "jpeg": lambda rng: b"\xff\xd8\xff" + rng.choice([b"\xe0\x00\x10JFIF\x00", b"\xe1", b"\xdb", b""]),
    "png": lambda rng: b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    "webp": lambda rng: b"RIFF" + struct.pack("<I", rng.choice([0, 4, 0x24, 0xFFFFFFFF])) + b"WEBPVP8 ",
    "pdf": lambda rng: b"%PDF-" + rng.choice([b"1.7\n", b"", b"2.0\n%\xe2\xe3\xcf\xd3\n"]),
    "iso": iso_head,
}


def filler(rng, count):
    return bytes(rng.getrandbits(8) for _ in range(count))


def exif_jpeg(rng):
    """A JPEG whose APP1 segment holds EXIF of hostile values (dates, offsets, GPS rationals with zero
    denominators, sub-IFD pointers out of range or to themselves), now and then with bytes flipped or
    cut short: what libexif reads when a photo is stored."""
    order = rng.choice(["<", ">"])
    date = rng.choice(["2026:11:30 14:05:09", "9999:99:99 99:99:99", "2026:02:29 00:00:00", "2000:01:01 00:00:00",
                       "2100:12:31 23:59:60", "1999:12:31 23:59:59", "", "::::::", "2026:11:30 14:05",
                       "-1:-1:-1 -1:-1:-1", "99999999999999999999:1:1 1:1:1", "2026:11:30 14:05:09" + "9" * 300])
    offset = rng.choice(["+03:00", "-14:00", "+14:59", "+15:00", "+99:99", "+3:00", "+-1:00", "", "+03:00:00", "03:00"])

    def ascii(text):
        data = text.encode() + b"\0"
        return (2, len(data), data)

    def rationals(values):
        return (5, len(values), b"".join(struct.pack(order + "II", n, d) for n, d in values))

    def coordinate():
        pool = [(55, 1), (45, 1), (30, 1), (0, 0), (0xFFFFFFFF, 1), (1, 0xFFFFFFFF), (7, 0)]
        return rationals([rng.choice(pool) for _ in range(rng.choice([3, 3, 3, 0, 1, 2, 5]))])

    def ifd(entries, start):
        data_at = start + 2 + 12 * len(entries) + 4
        head, tail = struct.pack(order + "H", len(entries)), b""
        for tag, kind, count, data in entries:
            head += struct.pack(order + "HHI", tag, kind, count)
            if len(data) <= 4:
                head += data.ljust(4, b"\0")
            else:
                head += struct.pack(order + "I", data_at + len(tail))
                tail += data + b"\0" * (len(data) % 2)
        return head + struct.pack(order + "I", 0) + tail

    def pointer(tag, value):
        return (tag, 4, 1, struct.pack(order + "I", value))

    exif_entries = [(0x9003,) + ascii(date), (0x9011,) + ascii(offset)]
    gps_entries = [(0x0001,) + ascii(rng.choice(["N", "S", "", "NS"])), (0x0002,) + coordinate(),
                   (0x0003,) + ascii(rng.choice(["E", "W", "w"])), (0x0004,) + coordinate()]
    ifd0 = lambda exif_at, gps_at: [(0x0132,) + ascii(date), pointer(0x8769, exif_at), pointer(0x8825, gps_at)]
    size0 = len(ifd(ifd0(0, 0), 8))
    exif_at = 8 + size0
    gps_at = exif_at + len(ifd(exif_entries, exif_at))
    hostile_pointer = rng.random() < 0.2
    if hostile_pointer:
        exif_at, gps_at = rng.choice([(8, 8), (exif_at, exif_at), (0xFFFFFFFF, gps_at), (exif_at, 0x7FFFFFF0), (0, 0)])
    tiff = (b"II*\0" if order == "<" else b"MM\0*") + struct.pack(order + "I", 8)
    tiff += ifd(ifd0(exif_at, gps_at), 8) + ifd(exif_entries, 8 + size0)
    tiff += ifd(gps_entries, 8 + size0 + len(ifd(exif_entries, 8 + size0)))
    tiff = bytearray(tiff)
    if rng.random() < 0.4:
        for _ in range(rng.randrange(1, 6)):
            tiff[rng.randrange(len(tiff))] = rng.getrandbits(8)
    if rng.random() < 0.15:
        del tiff[rng.randrange(len(tiff)):]
    payload = b"Exif\0\0" + bytes(tiff)
    length = len(payload) + 2
    if rng.random() < 0.1:
        length = rng.choice([0, 1, 2, 8, 0xFFFF, length + 100])
    body = b"\xff\xd8\xff\xe1" + struct.pack(">H", length & 0xFFFF) + payload
    return body + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + filler(rng, rng.randrange(0, 256)) + b"\xff\xd9"


def upload_body(rng):
    """(label, bytes) of an upload's content: mostly a short prefix (0-64 bytes) of a sniffed kind,
    some longer ones up to 4 KiB, photos with hostile EXIF, random bytes."""
    roll = rng.random()
    if roll < 0.15:
        return "exif-jpeg", exif_jpeg(rng)
    if roll < 0.25:
        return "random", filler(rng, rng.choice([0, 1, 3, 11, 12, 63, 64, 65, rng.randrange(0, 2048)]))
    kind = rng.choice(sorted(HEADS))
    head = HEADS[kind](rng)
    if roll < 0.75:
        length = rng.randrange(0, 65)
    else:
        length = rng.randrange(65, 4097)
    body = (head + filler(rng, max(0, length - len(head))))[:length]
    return f"{kind}[{length}]", body


def split_chunks(rng, body):
    """The body as chunks of random sizes, an empty chunk slipped in now and then."""
    chunks = []
    rest = body
    while rest:
        size = rng.choice([1, 3, 7, 64, 512, len(rest), len(rest)])
        chunks.append(rest[:size])
        rest = rest[size:]
        if rng.random() < 0.05:
            chunks.append(b"")
    if not chunks or rng.random() < 0.05:
        chunks.append(b"")
    return chunks


NAMES = [
    b"photo.jpg", b"\xd1\x84\xd0\xbe\xd1\x82\xd0\xbe.jpg", b"scan.pdf", b"", b"   ", b"\t\n", b"../../etc/passwd",
    b"/etc/shadow", b"a/b\\c", b"con", b"\xe2\x80\xaegpj.exe", b"x" * 255, b"x" * 256, "ы".encode() * 256,
    "ы".encode() * 257, b"nul\x00inside", b"\x1b[31mred", b"\xc3\x28bad-utf8", b"\xed\xa0\x80surrogate",
    b"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", b"a\xcc\x81" * 100,
]


def declared_size(rng, actual):
    """Mostly the body's size; otherwise off by one, zero, negative, over every limit."""
    if rng.random() < 0.7:
        return actual
    return rng.choice([actual + 1, actual - 1, 0, -1, -(1 << 63), (1 << 63) - 1, 1 << 40, (50 << 20) + 1,
                       (500 << 20) + 1, actual * 2 + 1, 1])


def declared_digest(rng, actual):
    """(bytes, whether the daemon reads it as the body's digest): mostly the digest, now and then
    upper-cased, otherwise another file's, a near miss, none, padded, not hex."""
    roll = rng.random()
    if roll < 0.7:
        return actual.encode(), True
    if roll < 0.75:
        return actual.upper().encode(), True
    return rng.choice([
        digest(actual.encode()).encode(), actual[:63].encode(), (actual + "0").encode(), (actual[:-1] + "g").encode(),
        b"", (" " + actual).encode(), actual.encode() + b"\x00", "\uff41".encode() * 64, b"0" * 64,
    ]), False


# Attachment digests for Download and GetAttachment.

def normalized_digest(value):
    """`value` (bytes) as the daemon reads a digest: 64 hex digits, lower-cased; None otherwise."""
    try:
        text = value.decode().lower()
    except UnicodeDecodeError:
        return None
    return text if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else None


def fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def digest_variant(rng, known):
    """(label, bytes, the normalized digest the daemon should read from it or None): a real digest
    now and then upper-cased, otherwise a near miss, a stranger or no digest at all."""
    real = rng.choice(known) if known and rng.random() < 0.85 else digest(filler(rng, 8))
    choice = rng.randrange(20)
    if choice < 8:
        return "real", real.encode(), real
    if choice == 8:
        return "upper", real.upper().encode(), real
    label, value = rng.choice([
        ("spaced", " " + real), ("newline", real + "\n"), ("short", real[:63]), ("long", real + "0"),
        ("not-hex", real[:-1] + "g"), ("empty", ""), ("twice", real * 2), ("path", "../" * 20 + "etc/passwd"),
        ("split", real[:2] + "/" + real[2:]), ("fullwidth", fullwidth(real)), ("over-bound", "a" * 513),
        ("cyrillic-a", real.replace("a", "\u0430")), ("zeros", "0" * 64),
    ])
    if rng.random() < 0.1:
        return "nul", real[:32].encode() + b"\x00" + real[33:].encode(), None
    if rng.random() < 0.05:
        return "bad-utf8", real[:60].encode() + b"\xc3\x28\xff\xfe", None
    if label == "short":
        # A short id (6 to 63 digits) names the one stored file it begins (issue 26): a real digest's
        # 63 digits find it; a stranger's find nothing.
        return label, value.encode(), real if real in known else None
    return label, value.encode(), normalized_digest(value.encode())


def digest_request(value):
    """DownloadRequest and GetAttachmentRequest alike: sha256 = 1."""
    return length_field(1, value) if value else b""


# Search requests, hostile to SQLite FTS5 and to word splitting.

FTS_SYNTAX = [
    '"', '""', '"""', "'", "*", "^", "NEAR(", "NEAR(яма дорога, 0)", "NEAR(яма, -1)", "NEAR/2", "AND", "OR", "NOT",
    ":", "text:", "author:", "{author text}:", "{author text} :", "-author:", "- {text}", "(", ")", "((((", "))))",
    ",", "+", "-", "\\", "%", "_", "rowid", "case_text", "case_text:", "{", "}", '^"яма"', "яма*", '"яма" *',
    "яма OR 1=1", "'; DROP TABLE cases; --", "NEAR", "near(", "MATCH", "bm25(case_text)", "snippet(", "x'00'",
    "author : ", '"author":яма', "яма:*", "*:*", "^^^^",
]

WORDS = [
    "яма", "Яма", "ЯМА", "перекрёстке", "перекрестке", "Ленина", "фонари", "отопление", "Автобус", "асфальт",
    "крыша", "Гагарина", "Сергей", "Иванов", "Соколова", "дороги", "школы", "road", "the", "and", "not", "near",
    "or", "ab", "a", "12", "123", "2026", "ёжик", "ЁЖИК", "Коммунарной", "колёса",
]

UNICODE = [
    "я\u0301ма", "a" + "\u0301" * 500, "e\u0301\u0302\u0303", "\u202eамя\u202c", "\u200fשלום", "مرحبا",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "👨\u200d👩\u200d👧\u200d👦", "🇷🇺🇷🇺🇷🇺", "💩💩💩",
    "яма\u200bяма", "\ufeffяма", "\u00a0", "\u3000", "ﬃﬃﬃ", "ßßß", "ẞẞẞ", "İstanbul", "\u212aelvin", "²³⁴",
    "٣٣٣", "ⅫⅫⅫ", "ǅǅǅ", "\U0001d400\U0001d401\U0001d402", "\ufffd\ufffd\ufffd", "\u0300abc", "яма\u2028яма",
    "\u2029", "漢字漢字", "ｙａｍａ", "я\u0308м\u0308а\u0308", "\U000e0041\U000e0042tag", "\uffff\uffff\uffff",
    "\U0010ffff\U0010ffff\U0010ffff",
]

SEPARATORS = [" ", " ", " ", "", "\n", "\t", ",", "-", "\u00a0", "\u3000", "  ", '" "', " OR ", " AND ", " NOT "]

TEXT_BOUND = 64 << 10  # WireBounds: "text"
AUTHOR_BOUND = 512     # WireBounds: "author"
ALPHABET = "абвгдежзиклмнопрстуфхцчшщэюя"


def synthetic_word(index):
    """A distinct word of letters only (at least three), never one another index gives."""
    letters = ""
    index += len(ALPHABET) ** 2
    while index:
        index, rest = divmod(index, len(ALPHABET))
        letters += ALPHABET[rest]
    return letters


def pieces(rng, pool, count):
    return "".join(rng.choice(pool) + rng.choice(SEPARATORS) for _ in range(count))


def fit(text, bound):
    """`text` cut to at most `bound` bytes of UTF-8, never in the middle of a character."""
    data = text.encode()
    if len(data) <= bound:
        return text
    return data[:bound].decode(errors="ignore")


def exactly(text, size):
    """`text` cut or padded (with ASCII letters) to exactly `size` bytes of UTF-8."""
    text = fit(text, size)
    return text + "z" * (size - len(text.encode()))


def search_text(rng):
    """(label, text bytes, expectation): expectation is "refused" when the daemon must answer
    INVALID_ARGUMENT (over the wire bound, more than eight distinct words), "answered" when it must
    search (OK, or RESOURCE_EXHAUSTED when busy or too slow), else None."""
    roll = rng.randrange(10)
    if roll < 2:
        return "fts-syntax", pieces(rng, FTS_SYNTAX + WORDS, rng.randrange(1, 14)).encode(), None
    if roll == 2:
        word = rng.choice(["яма", "Яма", "дороги", "road", "отопление"])
        count = rng.choice([100, 500, 1000, 2000, 5000, 9000])
        separator = rng.choice([" ", "\n", ", ", " яма "])
        text = fit(separator.join(word for _ in range(count)), TEXT_BOUND)
        return f"repeated-{count}", text.encode(), "answered"
    if roll == 3:
        # Cases differ, the word is the same: asked once.
        words = [rng.choice(["яма", "Яма", "ЯМА", "яМа"]) for _ in range(rng.choice([9, 100, 3000]))]
        return "repeated-cases", fit(" ".join(words), TEXT_BOUND).encode(), "answered"
    if roll == 4:
        count = rng.choice([1, 7, 8, 8, 9, 9, 20, 500, 5000])
        words = [synthetic_word(rng.randrange(1 << 20) * 8192 + index) for index in range(count)]
        text = fit(" ".join(words), TEXT_BOUND)
        distinct = len(set(text.split()[:-1] if len(text.encode()) == TEXT_BOUND else text.split()))
        return f"distinct-{count}", text.encode(), "refused" if distinct > 8 else None
    if roll == 5:
        return "unicode", pieces(rng, UNICODE + WORDS + FTS_SYNTAX[:8], rng.randrange(1, 12)).encode(), None
    if roll == 6:
        # One word, however long, is one term: to FTS5's trigram index a phrase of as many trigrams
        # as it has letters (up to some 32,000 at the wire bound).
        word = rng.choice(["яма", "ab", "z", "😀", "a\u0301"])
        text = fit(word * rng.choice([3, 1000, 30000]), TEXT_BOUND)
        return "one-long-word", text.encode(), None
    if roll == 7:
        size = rng.choice([TEXT_BOUND - 1, TEXT_BOUND, TEXT_BOUND + 1, TEXT_BOUND + 4096])
        text = exactly(pieces(rng, FTS_SYNTAX + WORDS + UNICODE, 20000), size)
        return f"bytes-{size}", text.encode(), "refused" if size > TEXT_BOUND else None
    if roll == 8:
        return "short-words", " ".join(rng.choice(["a", "ab", "я", "1", "*", '"', "ы\u0301"]) for _ in range(
            rng.choice([1, 10, 5000]))).encode(), None
    raw = rng.choice([b"\x00", b"\xc3\x28", b"\xc0\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x1b[2J", b"\x7f",
                      b"\xef\xbf\xbe", b"\r"])
    return "raw", "яма ".encode() + raw + " дороги".encode(), None


BOUNDARY_INSTANTS = [0, 0, 0, 0, 0, 0, 1, -1, 946_684_799, 946_684_800, 4_133_980_799, 4_133_980_800,
                     -(1 << 63), (1 << 63) - 1, 1_796_112_000, 1_796_112_001]


def search_request(rng):
    """(label, SearchCasesRequest bytes, expectation) with author, period and limit now and then at
    their boundaries; the expectation (see search_text) holds only for a plain author, period and limit."""
    label, text, expectation = search_text(rng)
    request = length_field(1, text) if text else b""
    plain = True
    if rng.random() < 0.3:
        plain = False
        kind = rng.randrange(6)
        if kind == 0:
            author = exactly(pieces(rng, WORDS, 200), rng.choice([AUTHOR_BOUND, AUTHOR_BOUND + 1]))
        elif kind == 1:
            author = " ".join(synthetic_word(index) for index in range(rng.choice([8, 9, 40])))
        elif kind == 2:
            author = pieces(rng, FTS_SYNTAX, rng.randrange(1, 6))
        elif kind == 3:
            author = pieces(rng, UNICODE, rng.randrange(1, 4))
        elif kind == 4:
            author = rng.choice(["Сергей Иванов", "иванов", "Анна", "a", ""])
        else:
            author = "Иванов\x00"
        request += length_field(2, author) if author else b""
        label += f"+author{kind}"
    if rng.random() < 0.3:
        plain = False
        from_unix, to_unix = rng.choice(BOUNDARY_INSTANTS), rng.choice(BOUNDARY_INSTANTS)
        request += (varint_field(3, from_unix) if from_unix else b"") + (varint_field(4, to_unix) if to_unix else b"")
        label += f"+period({from_unix},{to_unix})"
    if rng.random() < 0.2:
        plain = False
        limit = rng.choice([1, 1000, 1001, (1 << 32) - 1, 0])
        request += varint_field(5, limit) if limit else b""
        label += f"+limit({limit})"
    # A refusal by the wire bound or the word count holds whatever else is asked.
    if expectation == "answered" and not plain:
        expectation = None
    return label, request, expectation


def hostile_message(rng, number):
    """A RegisterMessageRequest whose text is hostile to the index and its snippets, so searches meet
    odd text in what they read too."""
    text = fit(pieces(rng, UNICODE + WORDS + FTS_SYNTAX, rng.randrange(3, 60)), 4096).strip() or "яма"
    return (length_field(1, "vk") + length_field(2, f"https://vk.com/wall-77_{number}")
            + length_field(3, fit(pieces(rng, WORDS + UNICODE, rng.randrange(1, 4)), 500).strip() or "Аноним")
            + length_field(4, text) + varint_field(5, 1_796_112_000 - rng.randrange(60, 86_400))
            + length_field(7, f"fuzz-{number}"))
