"""Python client for the Otklik daemon: ttrpc framing over a Unix socket, protobuf messages.

    from otklik_client import Client
    with Client() as client:
        print(client.health().state)
"""

from . import words
from .client import Client, default_socket_path
from .errors import RPCError, StatusCode
from ._gen.otklik.v1 import (admin_pb2, attachments_pb2, calendar_pb2, cases_pb2, diagnostics_pb2, directory_pb2,
                             events_pb2, reports_pb2, words_pb2)

__all__ = ["Client", "RPCError", "StatusCode", "default_socket_path", "words", "admin_pb2", "attachments_pb2",
           "calendar_pb2", "cases_pb2",
           "diagnostics_pb2", "directory_pb2", "events_pb2", "reports_pb2", "words_pb2"]
