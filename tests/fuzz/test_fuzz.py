"""The hostile client as a test: boundary integers in every field of every method, half a minute of
mutated calls with a fixed seed (tests/fuzz/run goes on as long as asked: --minutes 30), hostile uploads,
downloads and searches, and tens of thousands of hostile connections. The daemon must answer every call,
keep serving, and keep its descriptors and memory flat."""
import os
import shutil

import pytest

import fuzzlib


def test_boundary_integers_in_every_field_of_every_method_are_answered_and_the_daemon_keeps_serving(daemon):
    harness = fuzzlib.Harness(daemon, seed=7)
    sent = harness.boundary_integers()
    assert sent > 400
    harness.check("after every boundary integer")


def test_half_a_minute_of_mutated_calls_leaves_the_daemon_serving_with_flat_descriptors_and_memory(daemon):
    seconds = float(os.environ.get("OTKLIK_FUZZ_SECONDS", "30"))
    harness = fuzzlib.Harness(daemon, seed=20261201)
    summary = harness.run(seconds)
    print("fuzz:", summary)
    assert summary["calls"] > 1000
    before, after = summary["descriptors"]
    assert after <= before + 2, summary
    rss_before, _, rss_after = summary["rss_kb"]
    assert rss_after - rss_before < 16 * 1024, summary
    assert summary["internal_errors"] == [], summary


def test_hostile_uploads_downloads_and_searches_are_answered_and_the_daemon_keeps_serving(daemon):
    # Only the targeted part of the harness: client streams of Attachments/Upload with wrong headers,
    # chunks out of order, bodies cut short, descriptors of every kind, streams cancelled, dropped or
    # left open; Download and GetAttachment of real and mangled digests; SearchCases with FTS5 syntax,
    # repeated and distinct words, Unicode oddities, texts at the wire bound, boundary periods.
    seconds = float(os.environ.get("OTKLIK_FUZZ_TARGETED_SECONDS", "18"))
    harness = fuzzlib.Harness(daemon, seed=202612)
    summary = harness.run(seconds, generic=False)
    print("fuzz:", summary)
    harness.check("after the hostile uploads, downloads and searches")
    assert summary["uploads"]["calls"] > 100 and summary["uploads"]["stored"] > 0, summary
    assert summary["uploads"]["dropped"] > 0, summary
    assert summary["downloads"]["bytes_checked"] > 0 and summary["get_attachment"]["answers"].get(0), summary
    assert summary["searches"]["answers"].get(0) and summary["searches"]["answers"].get(3), summary
    assert summary["internal_errors"] == [], summary
    assert summary["wrong_answers"] == [], summary
    before, after = summary["descriptors"]
    assert after <= before + 2, summary
    # A refused, cancelled or dropped upload leaves no temporary file behind.
    assert summary["upload_leftovers"] == 0, summary


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler for tests/fuzz/hostile.c")
def test_partial_frames_malformed_headers_and_disconnects_from_many_threads_do_not_crash_the_daemon(daemon):
    binary = fuzzlib.build_hostile()
    run = fuzzlib.hostile_runner(binary, daemon.socket_path, connections=32000, threads=16)
    for seed in (1, 2):
        run(seed)
        assert daemon.alive(), daemon.log_text()
    harness = fuzzlib.Harness(daemon, seed=1)
    harness.check("after 64,000 hostile connections")
    assert harness.settle_descriptors(30) <= 30
