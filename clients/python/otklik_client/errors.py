"""The one exception of the client: an RPC status that is not OK."""

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


class RPCError(Exception):
    """A call ended with a status other than OK. `code` is a StatusCode; switch on it."""

    def __init__(self, code: StatusCode, message: str = "", details=()):
        self.code = StatusCode(code)
        self.message = message
        self.details = list(details)
        super().__init__(f"{self.code.name}: {message}" if message else self.code.name)
