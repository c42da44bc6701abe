"""The examples/ scripts, run as an IT department would run them, against a daemon on a simulated clock."""
import datetime
import json
import os
import pathlib
import subprocess
import sys

from otklik_client import Client

from test_typed import office  # noqa: F401  (the fixture)

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def run(script, *arguments, env=None):
    environment = {**os.environ, "PYTHONPATH": str(EXAMPLES.parent), **(env or {})}
    return subprocess.run([sys.executable, str(EXAMPLES / script), *arguments], capture_output=True, text=True,
                          env=environment, timeout=120)


def test_the_nightly_import_the_digest_and_the_monthly_export(office, tmp_path):  # noqa: F811
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "2026-12-01.csv").write_text(
        "network;url;author;text;detected_at;external_id;topics\n"
        "vk;https://vk.com/wall-3_1;Анна;Яма у школы;01.12.2026 09:00;m-1;дороги\n"
        "ok;https://ok.ru/group/3/topic/2;Борис;Нет света;01.12.2026 09:05;m-2;ЖКХ\n", encoding="utf-8-sig")
    (inbox / "bad.csv").write_text("network;url;author;text;detected_at\nmyspace;https://x.org/1;А;Т;01.12.2026 09:00\n",
                                   encoding="utf-8")
    first = run("nightly_import.py", str(inbox), "--as", "cur", "--socket", office)
    assert first.returncode == 1, first.stderr  # one file had a refused line
    assert "2026-12-01.csv: new 2, already there 0, refused 0" in first.stdout
    assert (inbox / "done" / "2026-12-01.csv").exists() and (inbox / "failed" / "bad.csv").exists()
    assert "unknown_network" in first.stderr
    # The same file again: nothing new.
    (inbox / "done" / "2026-12-01.csv").rename(inbox / "again.csv")
    again = run("nightly_import.py", str(inbox), "--as", "cur", "--socket", office)
    assert again.returncode == 0 and "again.csv: new 0, already there 2" in again.stdout, again.stderr
    # Two working hours later both routing terms (30 minutes) have passed: the digest says so, printed
    # when there is no sendmail (PATH without it).
    with Client(office) as admin:
        admin.advance_clock(datetime.timedelta(hours=2))
    digest = run("overdue_digest.py", "--to", "head@example.org", "--as", "cur", "--socket", office,
                 env={"PATH": "/nonexistent"})
    assert digest.returncode == 0, digest.stderr
    assert digest.stdout.startswith("Отклик: просрочено 2 на 01.12.2026") and "Яма у школы" in digest.stdout
    exported = run("monthly_export.py", "--month", "2026-12", "--out", str(tmp_path / "out"), "--as", "cur",
                   "--socket", office)
    assert exported.returncode == 0, exported.stderr
    table = (tmp_path / "out" / "cases-2026-12.csv").read_text(encoding="utf-8-sig").splitlines()
    assert table[0].startswith("case;detected_at;network;url;state;assignment") and len(table) == 3
    summary = json.loads((tmp_path / "out" / "summary-2026-12.json").read_text(encoding="utf-8"))
    assert summary["schema"] == "otklik.report.monthly/1"
