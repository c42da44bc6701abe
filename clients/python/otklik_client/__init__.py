"""Python client for the Otklik daemon: ttrpc framing over a Unix socket (or over SSH), protobuf messages.

    from datetime import datetime, timezone
    from otklik_client import Client, NotFound

    with Client() as client:                              # $OTKLIK_SOCKET, the demo socket or the system one
        print(client.health().state)
        case = client.register_message(network="vk", url="https://vk.com/wall-1_7", author="Иван",
                                       text="Яма", detected_at=datetime.now(timezone.utc), topics=["дороги"])
        for step in client.queue().items: ...

Every call of the daemon is a method (`_calls.Calls`, generated from proto/): instants are aware
datetimes, enums their generated values or words ("high"), results the response messages; times the
daemon writes as text (`detected_at`, `due`) read as datetimes with `instant()`. A refusal raises the
exception of its status (NotFound, VersionConflict, PermissionDenied, ...), each an RPCError with the
daemon's machine `reason` and `arguments`.

`Client()` without a path finds the socket as the otklik CLI does, and like it refuses the demo socket
found in the current directory (UntrustedSocket, before connecting) when it or its directory belongs
to another user than you or root, or the directory is writable by every user: anyone could have put a
fake daemon there. A path passed to `Client(path)` or set in $OTKLIK_SOCKET is used as given.

The daemon on another machine is reached through OpenSSH, as the otklik CLI's --host does:
`Client("ssh://petrova@otklik.example.ru")` (or `ssh://user@host:2222/path/to/otklik.sock`), or $OTKLIK_HOST,
which `Client()` takes before any local socket. An address that is not one raises BadAddress; a link that
fails raises RemoteUnavailable (an Unavailable) saying why in the reader's language (`remote`).
"""

from . import words
from ._convert import instant
from .client import Client, default_socket_path, socket_distrust
from .errors import (AlreadyExists, BadAddress, Cancelled, DataLoss, DeadlineExceeded, FailedPrecondition, Internal,
                     InvalidArgument, NotFound, OutOfRange, PermissionDenied, RemoteUnavailable, ResourceExhausted, RPCError,
                     StatusCode, Unauthenticated, Unavailable, Unimplemented, Unknown, UntrustedSocket, VersionConflict)
from .remote import HostAddress, parse_address
from ._gen.otklik.v1 import (admin_pb2, attachments_pb2, calendar_pb2, cases_pb2, connectors_pb2, diagnostics_pb2,
                             directory_pb2, errors_pb2, events_pb2, maintenance_pb2, reports_pb2, words_pb2)

__all__ = ["Client", "RPCError", "StatusCode", "default_socket_path", "socket_distrust", "instant", "words",
           "HostAddress", "parse_address", "BadAddress", "RemoteUnavailable",
           "AlreadyExists", "Cancelled", "DataLoss", "DeadlineExceeded", "FailedPrecondition", "Internal",
           "InvalidArgument", "NotFound", "OutOfRange", "PermissionDenied", "ResourceExhausted", "Unauthenticated",
           "Unavailable", "Unimplemented", "Unknown", "UntrustedSocket", "VersionConflict",
           "admin_pb2", "attachments_pb2", "calendar_pb2", "cases_pb2", "connectors_pb2", "diagnostics_pb2", "directory_pb2",
           "errors_pb2", "events_pb2", "maintenance_pb2", "reports_pb2", "words_pb2"]
