"""ttrpc framing: a 10-byte header (length, stream id, type, flags; big-endian) and a payload."""

import struct

HEADER = struct.Struct(">IIBB")
HEADER_SIZE = HEADER.size  # 10
MAX_PAYLOAD = 4 << 20

TYPE_REQUEST = 0x01
TYPE_RESPONSE = 0x02
TYPE_DATA = 0x03
TYPE_CANCEL = 0x10

FLAG_REMOTE_CLOSED = 0x01
FLAG_REMOTE_OPEN = 0x02
FLAG_NO_DATA = 0x04


def encode(frame_type: int, stream_id: int, payload: bytes = b"", flags: int = 0) -> bytes:
    return HEADER.pack(len(payload), stream_id, frame_type, flags) + payload


def decode_header(data: bytes):
    """(length, stream_id, type, flags) of a 10-byte header."""
    return HEADER.unpack(data)
