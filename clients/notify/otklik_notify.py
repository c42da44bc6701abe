#!/usr/bin/env python3
"""Otklik desktop helper: shows a desktop notification (notify-send) for what concerns me.

Watches the daemon's events for the logged-in staff member (Events.Watch with mine=true) and pops up:
a new assignment of my unit or given to me, a returned draft, a warning, a breach. It remembers the last
sequence number it showed, so after a restart it neither repeats nor misses anything, and reconnects when
the daemon goes away. Run it at login with the systemd user unit beside this file.
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from otklik_client import Client, RPCError, StatusCode, admin_pb2, events_pb2, words  # noqa: E402

KINDS = [words.event_kind(kind) for kind in (
    "case.routed", "assignment.given", "draft.returned", "clock.warning", "clock.breached", "assignment.rerouted",
    "case.executor_added", "case.reopened", "draft.sent_back")]
RUSSIAN = (os.environ.get("LC_ALL") or os.environ.get("LANG") or "").startswith("ru")

CLOCKS_RU = {"route": "маршрутизация", "reply": "ответ", "draft": "проект", "review": "рассмотрение", "rework": "доработка",
             "publish": "публикация", "final_draft": "окончательный проект"}


def text(english, russian):
    return russian if RUSSIAN else english


def message(event):
    """(title, body, urgency) for an event, or None when it is not worth a notification."""
    details = json.loads(event.details) if event.details else {}
    where = event.assignment_id or event.case_id
    clock = details.get("clock", "")
    clock_name = CLOCKS_RU.get(clock, clock) if RUSSIAN else clock.replace("_", " ")
    kind = words.event_word(event.kind)
    if kind == "case.routed":
        ids = ", ".join(f"{event.case_id}/{a['index']}" for a in details.get("assignments", [])) or where
        return text("New assignment", "Новое поручение"), ids, "normal"
    if kind == "assignment.given":
        return text("Assignment given to you", "Вам передано поручение"), where, "normal"
    if kind == "draft.returned":
        return text("Draft returned", "Проект возвращён"), f"{where}: {details.get('comment', '')}", "normal"
    if kind == "draft.sent_back":
        return (text("Draft sent back: state the measures taken", "Проект возвращён: укажите принятые меры"),
                f"{where}: {details.get('comment', '')}", "normal")
    if kind == "assignment.rerouted":
        return text("Assignment rerouted", "Поручение передано"), f"{where} → {details.get('executor', '')}: {details.get('reason', '')}", "normal"
    if kind in ("case.executor_added", "case.reopened"):
        ids = ", ".join(f"{event.case_id}/{a['index']}" for a in details.get("assignments", [])) or where
        return text("New assignment", "Новое поручение"), ids, "normal"
    if kind == "clock.warning":
        return (text(f"Due soon: {clock_name}", f"Скоро срок: {clock_name}"),
                text(f"{where}: due {details.get('due_at', '')} ({details.get('point', '')})",
                     f"{where}: срок {details.get('due_at', '')} ({details.get('point', '')})"), "normal")
    if kind == "clock.breached":
        return (text(f"Term breached: {clock_name}", f"Срок нарушен: {clock_name}"),
                text(f"{where}: was due {details.get('due_at', '')}", f"{where}: срок был {details.get('due_at', '')}"), "critical")
    return None


class State:
    """The last sequence number shown, kept in a small JSON file written atomically."""

    def __init__(self, path):
        self.path = path

    def load(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                return int(json.load(f)["last_sequence"])
        except (OSError, ValueError, KeyError):
            return None

    def save(self, sequence):
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        temporary = self.path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump({"last_sequence": sequence}, f)
        os.replace(temporary, self.path)


def notify(command, title, body, urgency):
    subprocess.run([command, "--app-name=Otklik", f"--urgency={urgency}", title, body], check=False)


def watch_once(args, state, shown):
    """Follows the events until the stream ends; returns normally when the daemon goes away."""
    metadata = {"otklik-as": args.act_as} if args.act_as else {}
    with Client(args.socket, timeout=None, metadata=metadata) as client:
        last = state.load()
        if last is None:
            # First run: start from now rather than replaying the whole history.
            last = client.health(timeout=10).last_sequence
            state.save(last)
        request = events_pb2.WatchRequest(mine=True, kinds=KINDS, from_sequence=last)
        for event in client.stream("otklik.v1.Events", "Watch", request, events_pb2.WatchEvent, timeout=None):
            if event.fell_behind:
                state.save(event.resume_from)
                return
            note = message(event)
            if note:
                notify(args.notify_send, *note)
                shown.append(event.sequence)
            state.save(event.sequence)
            if args.exit_after and len(shown) >= args.exit_after:
                raise SystemExit(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", default=None, help="the daemon's socket (default: as the otklik CLI finds it)")
    parser.add_argument("--state", default=os.path.join(os.environ.get("XDG_STATE_HOME", os.path.expanduser("~/.local/state")),
                                                       "otklik", "notify.json"), help="where the last shown sequence is kept")
    parser.add_argument("--notify-send", default="notify-send", help="the notification command")
    parser.add_argument("--as", dest="act_as", default=None, help="watch as this login (admins only)")
    parser.add_argument("--exit-after", type=int, default=0, help="stop after this many notifications (tests)")
    parser.add_argument("--retry-seconds", type=float, default=5.0, help="wait before reconnecting")
    args = parser.parse_args(argv)
    state = State(args.state)
    shown = []
    while True:
        try:
            watch_once(args, state, shown)
        except RPCError as error:
            # Only a daemon that is away is worth waiting for; being refused is final.
            if error.code != StatusCode.UNAVAILABLE:
                print(f"otklik-notify: {error.message}", file=sys.stderr)
                return 2
        time.sleep(args.retry_seconds)


if __name__ == "__main__":
    sys.exit(main())
