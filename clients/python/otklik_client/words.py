"""The contract's closed sets (words.proto) as the generated enums, and the words the CLI prints.

Every enum of words.proto is re-exported here (CaseState, AssignmentState, Importance, ClockKind,
ClockState, DraftKind, DraftState, ReturnReason, RejectionReason, EventKind, StepKind, Role, UnitKind,
DayKind, PublicationFailureKind, NetworkChangeKind, ConnectorState, MessageDeleter, QualityRule, RiskReason). A message field holds the enum's number; a value this client does not know (a newer daemon's)
stays a plain number, and `word` names it by that number instead of failing.

    from otklik_client import words
    case.state == words.CaseState.CASE_STATE_ROUTED
    words.word(words.CaseState, case.state)           # "routed", as `otklik -o json` prints it
    words.value(words.Importance, "high")             # IMPORTANCE_HIGH
    words.event_word(event.kind)                      # "case.routed", as the log spells it
    words.event_kind("draft.returned")                # EVENT_KIND_DRAFT_RETURNED

What people read is another thing: `spoken` gives a value as the otklik CLI says it to a person, in
English or Russian (the phrases of the CLI's catalogue, generated into `_spoken.py`: one source for
both), and `network_name` a social network by its short name. `russian=None` decides by the locale as
the CLI and the desktop notifier do: the first of LC_ALL, LC_MESSAGES, LANG that is set, Russian when
it starts with "ru".

    words.spoken(words.ClockKind, clock.kind)         # "проект окончательного ответа" under ru_RU
    words.spoken(words.ClockKind, "final_draft", russian=False)   # "final draft" (a word works too)
    words.spoken(words.EventKind, event.kind)         # "проект возвращён на доработку", as `otklik watch` says it
    words.spoken(words.CaseState, 99)                 # "99": a number the catalogue does not know, as `word`
    words.network_name("vk")                          # "ВКонтакте" under ru_RU, "VK" otherwise
    words.network_name("mastodon")                    # "mastodon": an unknown network as registered
"""

import functools
import os

from . import _spoken
from ._gen.otklik.v1 import words_pb2
from ._gen.otklik.v1.words_pb2 import (AssignmentState, CaseState, ClockKind, ClockState, ConnectorState,  # noqa: F401
                                       DayKind, DraftKind, DraftState, EventKind, Importance, MessageDeleter, NetworkChangeKind,
                                       PublicationFailureKind,
                                       QualityRule, RejectionReason, ReturnReason, RiskReason, Role, StepKind,
                                       UnitKind)

__all__ = ["AssignmentState", "CaseState", "ClockKind", "ClockState", "ConnectorState", "DayKind", "DraftKind", "DraftState", "EventKind",
           "Importance", "MessageDeleter", "NetworkChangeKind", "PublicationFailureKind", "QualityRule", "RejectionReason", "ReturnReason", "RiskReason", "Role", "StepKind",
           "UnitKind", "word", "value", "event_word",
           "event_kind", "spoken", "network_name"]


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


@functools.lru_cache(maxsize=512)     # a reader of the log spells the same few kinds a thousand times a page
def event_word(number: int) -> str:
    """The log's spelling of an event kind ("case.routed"): the subject, a dot, then the rest."""
    text = word(EventKind, number)
    return text.replace("_", ".", 1) if not text.isdigit() else text


def event_kind(text) -> int:
    """The EventKind number of a kind as the log spells it ("draft.sent_back"), or of a number."""
    return value(EventKind, text.replace(".", "_", 1) if isinstance(text, str) else text)



def _russian(russian):
    """`russian` as given, or for None the locale's choice: the first of LC_ALL, LC_MESSAGES, LANG set
    (non-empty) starts with "ru"."""
    if russian is not None:
        return bool(russian)
    locale = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
    return locale.startswith("ru")


def spoken(enum, number, russian=None) -> str:
    """The value as people read it (the CLI's phrase: "проект ответа", "final draft"), in Russian or
    English (`russian`: True, False, or None for the locale's choice). `number` is the enum's number or
    its word ("final_draft"; an event kind also as the log spells it, "draft.returned"). The unspecified value (0) reads "unknown"
    ("неизвестно") as in the CLI; a value the catalogue does not know reads as `word` gives it (a newer
    daemon's number as text, a word as it came)."""
    phrases = _spoken.SPOKEN.get(enum.DESCRIPTOR.name, {})
    given = number if isinstance(number, str) else None
    if isinstance(number, str):
        key = number
        if enum is EventKind and "." in number:
            key = number.replace(".", "_", 1)  # the log's spelling ("draft.returned")
        try:
            number = value(enum, key)
        except ValueError:
            number = None
    else:
        key = word(enum, number)
    phrase = phrases.get(key)
    if phrase is None and number == 0:
        phrase = ("unknown", "неизвестно")
    if phrase is None:
        return given if given is not None else key
    return phrase[1] if _russian(russian) else phrase[0]


def network_name(code: str, russian=None) -> str:
    """A social network's name for people by the short name the profile gives it ("vk": "ВКонтакте" or
    "VK"); a network the catalogue does not know is named as it was registered. `russian` as in `spoken`."""
    names = _spoken.NETWORKS.get(code)
    if names is None:
        return code
    return names[1] if _russian(russian) else names[0]


del words_pb2
