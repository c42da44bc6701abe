"""scripts/gen-man.py: the manual pages of `otklik` in both sets. The Russian set's own words (section
headings, the synopsis's placeholder, the footer) are Russian, as Debian's Russian pages and the tool's
Russian --help say them; the English set stays English. The tool: $OTKLIK_BIN/otklik (scripts/test
passes the build's directory), else the debug build in the repository."""
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen-man.py"
ENGLISH = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "SUBCOMMANDS", "SEE ALSO"]
RUSSIAN = ["НАЗВАНИЕ", "СИНТАКСИС", "ОПИСАНИЕ", "ПАРАМЕТРЫ", "КОМАНДЫ", "СМОТРИТЕ ТАКЖЕ"]
CYRILLIC = re.compile("[А-Яа-яЁё]")


def tool():
    directory = os.environ.get("OTKLIK_BIN") or str(ROOT / ".build" / "debug")
    path = os.path.join(directory, "otklik")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no otklik at {path}: build it, or set OTKLIK_BIN to the directory it is in")
    return path


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """{locale: {file name: text}}, the script run once per locale as scripts/install runs it."""
    written = {}
    for locale in ("C.UTF-8", "ru_RU.UTF-8"):
        out = tmp_path_factory.mktemp(locale.split(".")[0])
        subprocess.run([sys.executable, str(SCRIPT), tool(), str(out), locale], check=True, timeout=60)
        written[locale] = {path.name: path.read_text(encoding="utf-8") for path in out.glob("*.1")}
        assert "otklik.1" in written[locale] and "otklik.case.list.1" in written[locale], sorted(written[locale])
    return written


def headings(text):
    return [line[len(".SH "):].strip('"') for line in text.splitlines() if line.startswith(".SH ")]


def title_line(text):
    return next(line for line in text.splitlines() if line.startswith(".TH "))


def test_the_russian_pages_headings_and_footer_are_russian(pages):
    russian = pages["ru_RU.UTF-8"]
    assert headings(russian["otklik.1"]) == RUSSIAN
    for name, text in russian.items():
        assert set(headings(text)) <= set(RUSSIAN), (name, headings(text))
        assert headings(text)[:2] == ["НАЗВАНИЕ", "СИНТАКСИС"], name
        assert '"Отклик" "Отклик"' in title_line(text), (name, title_line(text))
        assert "<subcommand>" not in text and "Otklik" not in title_line(text), name
    assert ".B otklik case [--version] [--help] <команда>" in russian["otklik.case.1"]
    # The help itself is the tool's Russian, as before.
    assert "Что ждёт вашего шага" in russian["otklik.queue.1"]


def test_the_english_pages_stay_english(pages):
    english = pages["C.UTF-8"]
    assert headings(english["otklik.1"]) == ENGLISH
    for name, text in english.items():
        assert set(headings(text)) <= set(ENGLISH), (name, headings(text))
        assert '"Otklik" "Otklik"' in title_line(text), (name, title_line(text))
        assert not CYRILLIC.search(" ".join(headings(text)) + title_line(text)), name
    assert ".B otklik case [--version] [--help] <subcommand>" in english["otklik.case.1"]
    assert "What waits for your step" in english["otklik.queue.1"]


def test_both_sets_have_the_same_pages_and_see_also_names_only_pages_written(pages):
    english, russian = pages["C.UTF-8"], pages["ru_RU.UTF-8"]
    assert sorted(english) == sorted(russian)
    for name, text in english.items():
        lines = text.splitlines()
        if ".SH SEE ALSO" in lines:
            for reference in lines[lines.index(".SH SEE ALSO") + 1].split(", "):
                assert reference.removesuffix("(1)") + ".1" in english, (name, reference)
