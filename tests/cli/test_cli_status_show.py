"""`status` fits the terminal (columns left out, the least needed first; --wide for all) and `show` reads as a list:
a request's events numbered 1..n, wrapped lines indented under their text."""

from __future__ import annotations

import json
import re

import pytest

from helpers import ok, write_profile


@pytest.fixture
def requests(invoke, tmp_path, monkeypatch):
    """Two people's requests sent by post on 1 Oct 2026, one of them refused; today 10 Dec 2026."""
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-01")
    refs = []
    for name in ("Jana Nováková", "Maximiliane Beispielfrau-Langenamen"):
        folder = tmp_path / name.split()[0]
        folder.mkdir()
        profile = write_profile(folder, name=name)
        ref = json.loads(ok(invoke("letter", "access", "meta", "--profile", profile, "-f", "txt", "-o",
                                   folder / "a.txt", "--json")).stdout)["reference"]
        ok(invoke("log", "sent", ref, "--via", "post"))
        refs.append(ref)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-12-10")
    ok(invoke("log", "reply", refs[0], "--outcome", "refused", "--on", "2026-10-20"))
    return refs


def table_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("Reference", "───", "ACC-"))]


def test_status_fits_the_terminal_width_and_wide_shows_every_column(invoke, requests, monkeypatch):
    wide = ok(invoke("status", "--all")).stdout  # not a terminal, no COLUMNS: every column
    assert max(len(line) for line in table_lines(wide)) > 100 and "Left out" not in wide
    monkeypatch.setenv("COLUMNS", "80")
    narrow = ok(invoke("status", "--all")).stdout
    assert table_lines(narrow) and all(len(line) <= 80 for line in table_lines(narrow))
    header = table_lines(narrow)[0].split()
    assert header[:2] == ["Reference", "Controller"] and "State" in header and "Due" in header
    assert "Left out to fit 80 columns: Sent, Answered in, Person (`objector status --wide` shows them)." \
        in narrow
    assert requests[0] in narrow and "refused" in narrow
    every = ok(invoke("status", "--all", "--wide")).stdout
    assert table_lines(every)[0].split() == ["Reference", "Person", "Controller", "Kind", "State", "Sent", "Due",
                                             "Days", "left", "Answered", "in"]
    monkeypatch.setenv("COLUMNS", "50")  # what always stays: the reference, the state, when it is due
    assert table_lines(ok(invoke("status", "--all")).stdout)[0].split() == ["Reference", "State", "Due", "Days", "left"]


def test_status_leaves_out_columns_that_tell_nothing_first(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-01")
    profile = write_profile(tmp_path)
    ref = json.loads(ok(invoke("letter", "access", "meta", "--profile", profile, "-f", "txt", "--json")).stdout)
    ok(invoke("log", "sent", ref["reference"], "--via", "email"))
    monkeypatch.setenv("COLUMNS", "90")
    out = ok(invoke("status")).stdout
    assert "Left out to fit 90 columns: Answered in, Person (`objector status --wide` shows them)." in out
    assert "Sent" in table_lines(out)[0]


def test_show_numbers_a_requests_events_from_one(invoke, requests):
    shown = ok(invoke("show", requests[1])).stdout  # the second request: journal events 3 to 5 overall
    numbers = [int(m.group(1)) for m in re.finditer(r"^\s+(\d+)\s+\w{3} \d+ \w{3} \d{4}", shown, flags=re.M)]
    assert numbers == [1, 2]
    assert [e["seq"] for e in json.loads(ok(invoke("show", requests[1], "--json")).stdout)["timeline"]] == [3, 4]


def test_show_indents_wrapped_lines_under_their_text(invoke, requests):
    shown = ok(invoke("show", requests[1])).stdout
    lines = shown.splitlines()
    step = next(i for i, line in enumerate(lines) if line.startswith("  2. Receipt is assumed"))
    assert lines[step + 1].startswith("     ") and lines[step + 1].strip()  # under the step's words, not its number
    assert all(len(line) <= 120 for line in lines if not line.startswith(" ") or "." in line[:6])
    first = lines[0]
    assert first.startswith(requests[1]) and lines[1].startswith("  ")  # the heading's second line, indented
