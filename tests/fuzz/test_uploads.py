"""Uploads as a hostile or careless staff member sends them: every short file the content sniffer
might misread, at every length, answered one by one while the daemon keeps serving."""
import os
import tempfile

import fuzzlib
from otklik_client import Client, RPCError, StatusCode

CURATOR = {"otklik-as": "curator.petrova"}

# The first bytes of every kind the daemon recognises (ISO media with each brand family), padded to 64,
# and how many of them tell the kind (the magic; for ISO media the box's size, type and major brand).
HEADS = {
    "image/jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF", 3),
    "image/png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 8),
    "image/webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 ", 12),
    "application/pdf": (b"%PDF-1.7\n", 5),
    "video/mp4": (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", 12),
    "video/quicktime": (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", 12),
    "image/heic": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", 12),
}


def padded(head):
    return head + bytes((index * 37 + 11) & 0xFF for index in range(64 - len(head)))


def test_short_uploads_of_every_sniffed_kind_at_every_length_from_0_to_64_bytes_are_answered_and_the_daemon_lives(daemon):
    scratch = tempfile.mkdtemp(prefix="otklik-short-")
    answered = refused = 0
    try:
        with Client(daemon.socket_path, metadata=CURATOR) as client:
            for mime, (head, magic) in HEADS.items():
                whole = padded(head)
                for length in range(0, 65):
                    path = os.path.join(scratch, f"{len(HEADS)}-{length}")
                    with open(path, "wb") as file:
                        file.write(whole[:length])
                    try:
                        response = client.upload(path, name="short")
                        # Stored only when the whole magic (and the ISO brand) was there, as what it is.
                        assert length >= magic, (mime, length)
                        assert response.attachment.content_type == mime, (mime, length)
                        answered += 1
                    except RPCError as error:
                        assert length < magic, (mime, length, error)
                        assert error.code in (StatusCode.INVALID_ARGUMENT, StatusCode.FAILED_PRECONDITION), (mime, length, error)
                        refused += 1
                    assert daemon.alive(), f"{mime} at {length} bytes: " + daemon.log_text()
    finally:
        for name in os.listdir(scratch):
            os.unlink(os.path.join(scratch, name))
        os.rmdir(scratch)
    assert answered + refused == len(HEADS) * 65
    assert answered > 0 and refused > 0
    assert daemon.health_ok()


def test_an_eight_byte_ftyp_file_sent_as_an_upload_is_refused_not_a_crash(daemon):
    # Issue 25, C1: `printf '\0\0\0\x10ftyp' > a.mp4; otklik attachment upload a.mp4` brought the daemon down.
    with tempfile.NamedTemporaryFile(suffix=".mp4") as file:
        file.write(b"\x00\x00\x00\x10ftyp")
        file.flush()
        with Client(daemon.socket_path, metadata=CURATOR) as client:
            try:
                client.upload(file.name)
                raise AssertionError("an 8-byte ftyp file was stored")
            except RPCError as error:
                assert error.code == StatusCode.INVALID_ARGUMENT, error
    assert daemon.alive() and daemon.health_ok()
