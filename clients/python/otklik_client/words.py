"""The contract's closed sets (words.proto) as the generated enums, and the words the CLI prints.

Every enum of words.proto is re-exported here (CaseState, AssignmentState, Importance, ClockKind,
ClockState, DraftKind, DraftState, ReturnReason, RejectionReason, EventKind, Role, UnitKind, DayKind).
A message field holds the enum's number; a value this client does not know (a newer daemon's) stays a
plain number, and `word` names it by that number instead of failing.

    from otklik_client import words
    case.state == words.CaseState.CASE_STATE_ROUTED
    words.word(words.CaseState, case.state)           # "routed", as `otklik -o json` prints it
    words.value(words.Importance, "high")             # IMPORTANCE_HIGH
    words.event_word(event.kind)                      # "case.routed", as the log spells it
    words.event_kind("draft.returned")                # EVENT_KIND_DRAFT_RETURNED
"""

from ._gen.otklik.v1 import words_pb2
from ._gen.otklik.v1.words_pb2 import (AssignmentState, CaseState, ClockKind, ClockState, DayKind, DraftKind,  # noqa: F401
                                       DraftState, EventKind, Importance, RejectionReason, ReturnReason, Role, UnitKind)

__all__ = ["AssignmentState", "CaseState", "ClockKind", "ClockState", "DayKind", "DraftKind", "DraftState", "EventKind",
           "Importance", "RejectionReason", "ReturnReason", "Role", "UnitKind", "word", "value", "event_word", "event_kind"]


def _prefix(enum):
    return enum.DESCRIPTOR.values_by_number[0].name[: -len("UNSPECIFIED")]


def word(enum, number: int) -> str:
    """The value's proto name without the enum's prefix, in lower case; an unknown number as text."""
    try:
        return enum.Name(number)[len(_prefix(enum)):].lower()
    except ValueError:
        return str(number)


def value(enum, text) -> int:
    """The number of `text` (a word as `word` gives it, or already a number); ValueError naming the words."""
    if isinstance(text, int):
        return text
    try:
        return enum.Value(_prefix(enum) + text.upper())
    except ValueError:
        words = ", ".join(word(enum, n) for n in enum.values() if n != 0)
        raise ValueError(f"{text!r} is not one of {words}") from None


def event_word(number: int) -> str:
    """The log's spelling of an event kind ("case.routed"): the subject, a dot, then the rest."""
    text = word(EventKind, number)
    return text.replace("_", ".", 1) if not text.isdigit() else text


def event_kind(text) -> int:
    """The EventKind number of a kind as the log spells it ("draft.sent_back"), or of a number."""
    return value(EventKind, text.replace(".", "_", 1) if isinstance(text, str) else text)


del words_pb2
