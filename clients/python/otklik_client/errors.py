"""The client's exceptions: one class per status code, each carrying the daemon's machine reason.

    try:
        client.route("2026-000123", expected_version=3, executors=["roads"])
    except VersionConflict as error:          # ABORTED
        print(error.reason, error.arguments)  # "version_conflict" {"case": ..., "current": "4", ...}
    except RPCError as error:                 # any other refusal
        print(error.code.name, error.message)

`reason` and `arguments` come from the refusal's ErrorInfo (docs/PROTOCOL.md lists every reason and
its arguments); they are "" and {} for a status without one (the transport's own).
"""

import enum


class StatusCode(enum.IntEnum):
    """gRPC status codes, as carried in the ttrpc envelope."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def from_wire(cls, value: int) -> "StatusCode":
        try:
            return cls(value)
        except ValueError:
            return cls.UNKNOWN


ERROR_INFO_TYPE = "type.googleapis.com/otklik.v1.ErrorInfo"


class RPCError(Exception):
    """A call ended with a status other than OK: `code` (a StatusCode), `message` (the daemon's English
    sentence), `reason` and `arguments` (the machine reason and its values), `details` (the raw Any list),
    `hint` (what to do instead, "" when nothing: an admin refused a party's step is told to act as someone
    who may take it). str() is the code, the message and the hint.
    Raised as the subclass of its code (NotFound, VersionConflict, ...); catch RPCError for any."""

    code = StatusCode.UNKNOWN

    def __new__(cls, code=None, message: str = "", details=()):
        if cls is RPCError and code is not None:
            cls = _BY_CODE.get(StatusCode.from_wire(int(code)), RPCError)
        return super().__new__(cls)

    def __init__(self, code=None, message: str = "", details=()):
        self.code = StatusCode.from_wire(int(code)) if code is not None else type(self).code
        self.message = message
        self.details = list(details)
        self.reason, self.arguments = _reason(self.details)
        self.hint = _hint(self.code, self.reason, self.arguments)
        said = f"{self.code.name}: {message}" if message else self.code.name
        super().__init__(f"{said}. {self.hint}" if self.hint else said)

    def __reduce__(self):
        return (RPCError, (int(self.code), self.message, self.details))


def _reason(details):
    for detail in details:
        if getattr(detail, "type_url", "") == ERROR_INFO_TYPE:
            from ._gen.otklik.v1 import errors_pb2
            try:
                info = errors_pb2.ErrorInfo.FromString(detail.value)
            except Exception:  # a damaged detail: the code and message still stand
                continue
            return info.reason, {argument.name: argument.value for argument in info.arguments}
    return "", {}


def _hint(code, reason, arguments):
    """An admin (root, or the daemon's own user) refused a party's step: the way to take it as someone who
    may, as the otklik CLI tells its admin to add `--as LOGIN`. "" for any other refusal."""
    if code != StatusCode.PERMISSION_DENIED or reason != "not_permitted":
        return ""
    roles = {role.strip() for role in arguments.get("roles", "").split(",")}
    allowed = ", ".join(role.strip() for role in arguments.get("allowed_roles", "").split(",") if role.strip())
    if "admin" not in roles or not allowed:
        return ""
    return (f"An administrator takes this step as a staff member who may ({allowed}): pass "
            'metadata={"otklik-as": "LOGIN"} to Client() (every call) or to call() (one call), '
            "as `otklik --as LOGIN` does; `otklik staff list` shows who may")


def _status_class(name, code, doc):
    return type(name, (RPCError,), {"code": code, "__doc__": doc})


Cancelled = _status_class("Cancelled", StatusCode.CANCELLED, "The call was cancelled.")
Unknown = _status_class("Unknown", StatusCode.UNKNOWN, "A status this client does not know.")
InvalidArgument = _status_class("InvalidArgument", StatusCode.INVALID_ARGUMENT,
                                "The daemon did not accept the values given (`reason` says which rule).")
DeadlineExceeded = _status_class("DeadlineExceeded", StatusCode.DEADLINE_EXCEEDED, "No answer in time.")
NotFound = _status_class("NotFound", StatusCode.NOT_FOUND, "No such case, person, unit or attachment.")
AlreadyExists = _status_class("AlreadyExists", StatusCode.ALREADY_EXISTS, "It exists already.")
PermissionDenied = _status_class("PermissionDenied", StatusCode.PERMISSION_DENIED,
                                 "Not this caller's step (`arguments['allowed_roles']` names whose it is).")
ResourceExhausted = _status_class("ResourceExhausted", StatusCode.RESOURCE_EXHAUSTED, "Over a limit.")
FailedPrecondition = _status_class("FailedPrecondition", StatusCode.FAILED_PRECONDITION,
                                   "Not possible in the case's present state.")
VersionConflict = _status_class("VersionConflict", StatusCode.ABORTED,
                                "The case changed since the version named: read it again and decide anew.")
OutOfRange = _status_class("OutOfRange", StatusCode.OUT_OF_RANGE, "A value out of range.")
Unimplemented = _status_class("Unimplemented", StatusCode.UNIMPLEMENTED, "The daemon does not know this call.")
Internal = _status_class("Internal", StatusCode.INTERNAL, "The daemon failed; its log says why.")
Unavailable = _status_class("Unavailable", StatusCode.UNAVAILABLE, "The daemon is not reachable or is stopping.")
DataLoss = _status_class("DataLoss", StatusCode.DATA_LOSS, "Data arrived damaged.")
Unauthenticated = _status_class("Unauthenticated", StatusCode.UNAUTHENTICATED, "The daemon does not know who you are.")


class UntrustedSocket(PermissionDenied):
    """The socket found in the current directory (`.otklik/otklik.sock`, the demo's) is not used: it or its
    directory belongs to someone other than you or root, or the directory is writable by every user, so
    another user could have put a fake daemon there to collect what is sent. Raised by `Client()` before
    it connects, only for a socket it found itself (a path passed to it or set in $OTKLIK_SOCKET is used
    as given), as the otklik CLI refuses it (exit 77). `path` is the socket, `reason` "foreign_owner"
    (`arguments`: file, uid, directory "true"/"false") or "world_writable" (`arguments`: directory)."""

    def __init__(self, path: str, reason: str, arguments: dict):
        if reason == "foreign_owner":
            whose = ("its directory " if arguments["directory"] == "true" else "") + arguments["file"]
            why = f"{whose} belongs to uid {arguments['uid']}, not to you or root, so it may not be the daemon"
        else:
            why = f"{arguments['directory']} is writable by every user, so anyone could have put the socket there"
        super().__init__(StatusCode.PERMISSION_DENIED,
                         f"not using {path}: {why}. Pass its path to Client() or set OTKLIK_SOCKET to use it anyway.")
        self.path = path
        self.reason, self.arguments = reason, dict(arguments)

    def __reduce__(self):
        return (UntrustedSocket, (self.path, self.reason, self.arguments))


_BY_CODE = {cls.code: cls for cls in (Cancelled, Unknown, InvalidArgument, DeadlineExceeded, NotFound, AlreadyExists,
                                      PermissionDenied, ResourceExhausted, FailedPrecondition, VersionConflict,
                                      OutOfRange, Unimplemented, Internal, Unavailable, DataLoss, Unauthenticated)}
