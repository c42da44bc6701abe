"""Conversions of the typed methods' parameters into request fields (used by the generated _calls.py)."""

import datetime

from . import words


def unix(value, name):
    """An aware datetime (any zone) as Unix seconds; None as 0 (not given). A naive datetime is refused:
    the daemon's instants are absolute, and a wall-clock time without a zone names none."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name}: a naive datetime names no instant; give it a zone "
                             f"(datetime.now(timezone.utc), ZoneInfo('Europe/Moscow'), ...)")
        return int(value.timestamp())
    if isinstance(value, datetime.date):
        raise ValueError(f"{name}: a date is not an instant; give a datetime with a zone")
    raise TypeError(f"{name}: expected an aware datetime, got {type(value).__name__}")


def seconds(value):
    """A timedelta or a number of seconds, as whole seconds."""
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds())
    return int(value)


def enum(enum_type, value):
    """The number of a generated enum's value, or of its word ("high", "case.routed")."""
    if enum_type is words.EventKind and isinstance(value, str):
        return words.event_kind(value)
    return words.value(enum_type, value) if value not in (None, "") else 0


def message(request_type, field, value):
    """A message field from a message of its type or a dict of its fields."""
    field_type = request_type.DESCRIPTOR.fields_by_name[field].message_type._concrete_class
    if isinstance(value, dict):
        return field_type(**value)
    return value


def assign(request, field, value):
    """Sets a singular field: a message field from a message or a dict, any other as it is."""
    descriptor = request.DESCRIPTOR.fields_by_name[field]
    if descriptor.message_type is not None:
        getattr(request, field).CopyFrom(message(type(request), field, value))
    else:
        setattr(request, field, value)


def messages(request_type, field, values):
    """A repeated message field from messages of its type or dicts of their fields."""
    return [message(request_type, field, value) for value in values]


def instant(text):
    """The daemon's ISO 8601 text (`detected_at`, `due`, `time`, ...) as an aware datetime; None when
    empty (not yet, or never)."""
    if not text:
        return None
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
