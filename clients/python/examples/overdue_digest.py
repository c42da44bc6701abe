#!/usr/bin/env python3
"""The morning digest of what is overdue, by unit, mailed with sendmail when the machine has it
(printed otherwise): the cases whose clocks have passed, who holds them, how late.

    overdue_digest.py --to head@borovichi.example --as curator.petrova     # cron: 30 8 * * 1-5
"""
import argparse
import collections
import email.message
import shutil
import subprocess
import sys

from otklik_client import Client, RPCError, instant, words


def digest(client):
    """The digest's subject and body, in Russian."""
    by_unit = collections.defaultdict(list)
    now = instant(client.health().now)
    for view in client.list_all_cases(overdue=True):
        late = [(c, a.executor) for a in view.assignments for c in a.clocks
                if c.state == words.ClockState.CLOCK_STATE_BREACHED]
        if view.route.state == words.ClockState.CLOCK_STATE_BREACHED:
            late.append((view.route, "куратор"))
        for clock, holder in late:
            by_unit[holder].append(
                f"  {view.id}: {words.word(words.ClockKind, clock.kind)}, срок {instant(clock.due):%d.%m %H:%M}, "
                f"{view.author}: {view.text[:60]}")
    total = sum(len(lines) for lines in by_unit.values())
    subject = f"Отклик: просрочено {total} на {now:%d.%m.%Y %H:%M}"
    body = [subject, ""]
    for unit in sorted(by_unit):
        body.append(f"{unit} ({len(by_unit[unit])}):")
        body += by_unit[unit]
        body.append("")
    if not by_unit:
        body.append("Просроченного нет.")
    return subject, "\n".join(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to", help="the address to mail (without it, or without sendmail: printed)")
    parser.add_argument("--as", dest="login")
    parser.add_argument("--socket")
    args = parser.parse_args()
    with Client(args.socket, metadata={"otklik-as": args.login} if args.login else {}) as client:
        subject, body = digest(client)
    sendmail = shutil.which("sendmail") or shutil.which("sendmail", path="/usr/sbin:/usr/lib")
    if args.to and sendmail:
        message = email.message.EmailMessage()
        message["To"], message["Subject"] = args.to, subject
        message.set_content(body)
        subprocess.run([sendmail, "-t", "-oi"], input=message.as_bytes(), check=True)
        print(f"overdue_digest: mailed to {args.to}: {subject}")
    else:
        print(body)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RPCError as error:
        print(f"overdue_digest: {error.code.name}: {error.message}", file=sys.stderr)
        sys.exit(2)
