"""benchmarks/reply-quality: the reply-quality check (issue 31) as an executor meets it, on the labelled
replies of tests/fixtures/reply-quality.json. Each post is registered and routed in a scratch daemon
with the demo's data, its reply submitted as a draft, and the daemon's findings read back; a reply not
labelled formal is then approved and published (so a later draft with its text is a copy). Prints the
check's precision and recall (a reply is flagged when it has any finding), the confusion counts, each
reply it got wrong, and the submissions' time. Asserts nothing."""
import datetime
import json
import os
import statistics
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "desk", "tests"))

import conftest  # noqa: E402  (the desk tests' scratch daemon with the demo's data)
from otklik_client import words  # noqa: E402

CURATOR, EXECUTOR, UNIT = "curator.petrova", "roads.smirnov", "roads"


def main():
    with open(os.path.join(ROOT, "tests", "fixtures", "reply-quality.json"), encoding="utf-8") as file:
        samples = json.load(file)["samples"]
    daemon = conftest.Daemon(os.environ["OTKLIKD"])
    daemon.start()
    try:
        with daemon.client(CURATOR) as curator, daemon.client(EXECUTOR) as executor:
            now = curator.health().now_unix
            counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
            wrong, submit_ms = [], []
            for number, sample in enumerate(samples):
                view = curator.register_message(
                    network="vk", url=f"https://vk.com/wall-218375_{70000 + number}", author=f"Житель {number}",
                    text=sample["post"], topics=["обращения"],
                    detected_at=datetime.datetime.fromtimestamp(now - 60, datetime.timezone.utc))
                view = curator.route(case_id=view.id, expected_version=view.version, executors=[UNIT],
                                     topics=[{"unit": UNIT, "topic": "обращения"}])
                assignment = view.assignments[0].id
                started = time.perf_counter()
                view = executor.submit_draft(assignment_id=assignment, expected_version=view.version,
                                             kind=sample["kind"], text=sample["text"],
                                             measures=sample.get("measures", ""))
                submit_ms.append((time.perf_counter() - started) * 1000)
                findings = [words.word(words.QualityRule, f.rule) for f in view.assignments[0].drafts[-1].findings]
                flagged = bool(findings)
                key = ("t" if flagged == sample["formal"] else "f") + ("p" if flagged else "n")
                counts[key] += 1
                if flagged != sample["formal"]:
                    wrong.append(f"{sample['id']} ({'formal' if sample['formal'] else 'good'}): {findings or 'no finding'}")
                if not sample["formal"]:
                    view = curator.approve_draft(assignment_id=assignment, expected_version=view.version)
                    curator.publish(assignment_id=assignment, expected_version=view.version,
                                    url=f"https://vk.com/wall-218375_{70000 + number}?reply={number + 1}")
    finally:
        daemon.remove()
    formal = counts["tp"] + counts["fn"]
    precision = counts["tp"] / max(counts["tp"] + counts["fp"], 1)
    recall = counts["tp"] / max(formal, 1)
    print(f"replies: {len(samples)} ({formal} formal, {len(samples) - formal} good), through otklikd's draft submit")
    print(f"flagged formal {counts['tp']}, flagged good {counts['fp']}, passed good {counts['tn']}, passed formal {counts['fn']}")
    print(f"precision {precision:.3f}, recall {recall:.3f} (goal: both at least 0.9)")
    for line in wrong:
        print(f"  wrong: {line}")
    print(f"draft submit with the check: median {statistics.median(submit_ms):.1f} ms, max {max(submit_ms):.1f} ms")


if __name__ == "__main__":
    main()
