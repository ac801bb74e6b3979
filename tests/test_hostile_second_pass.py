"""Hostile input and faults, second pass (issue 20): special files, invisible marks, bounded rendering,
`-o -`, imports that check meaning, damage every command sees, reproducible letters, the journal head on
letters. Each attack, the exit code and the one line it gives.
"""

from __future__ import annotations

import os

import pytest
from test_hostile import one_line_error

from helpers import ok, tiny_png, write_profile
from journal_helpers import REF, add


@pytest.fixture
def profile(tmp_path):
    return write_profile(tmp_path)


def letter(invoke, profile, *args):
    return invoke("letter", "objection", "meta", "--profile", profile, "--date", "2026-11-27", *args)


# --------------------------------------------------------------------------- special files


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_signature_that_is_not_a_regular_file_is_refused_at_once(invoke, profile, request, special):
    path = request.getfixturevalue("fifo") if special == "fifo" else special
    result = letter(invoke, profile, "-f", "txt", "--no-record", "--signature", path)
    one_line_error(result, 3, f"--signature: {path} is not a regular file")


def test_a_signature_larger_than_the_cap_is_not_read_beyond_it(invoke, profile, tmp_path):
    big = tmp_path / "big.png"
    big.write_bytes(tiny_png() + b"\0" * 2_000_001)
    one_line_error(letter(invoke, profile, "--no-record", "--signature", big), 3,
                   f"--signature: {big} is larger than 2 MB")


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_evidence_that_is_not_a_regular_file_is_refused_not_missing(invoke, request, special):
    add()
    path = request.getfixturevalue("fifo") if special == "fifo" else special
    one_line_error(invoke("log", "note", REF, "x", "--evidence", path), 3,
                   f"evidence file {path} is not a regular file", "nothing was recorded")
    one_line_error(invoke("log", "note", REF, "x", "--evidence", "nowhere.png"), 4, "evidence file nowhere.png not found")


@pytest.mark.parametrize("command", [("import",), ("batch",), ("profile", "show", "--profile")])
def test_other_files_a_person_names_must_be_regular_too(invoke, fifo, command):
    one_line_error(invoke(*command, fifo), 3, f"{fifo} is not a regular file")


# --------------------------------------------------------------------------- invisible and direction marks


@pytest.mark.parametrize(("reason", "fragment"), [
    ("my photos \u200fare mine", "--reason: contains a direction mark (U+200F RIGHT-TO-LEFT MARK)"),
    ("\ufeffmy photos", "--reason: contains an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE)"),
])
def test_marks_in_a_reason_are_refused(invoke, profile, reason, fragment):
    one_line_error(letter(invoke, profile, "-f", "txt", "--no-record", "--reason", reason), 3, fragment)


def test_marks_in_corrections_and_notes_are_refused(invoke, profile):
    result = invoke("letter", "rectification", "meta", "--profile", profile, "-f", "txt", "--no-record",
                    "--correction", "Name: Jana\u061c")
    one_line_error(result, 3, "--correction: contains a direction mark (U+061C ARABIC LETTER MARK)")
    add()
    one_line_error(invoke("log", "note", REF, "called\u200e"), 3, "note: contains a direction mark (U+200E")


def test_line_and_paragraph_separators_are_folded_like_line_breaks(invoke, profile, tmp_path):
    path = write_profile(tmp_path, name="Jana\u2028Nováková", address={"city": "Pra\u2029ha"})
    shown = ok(invoke("profile", "show", "--profile", path, "--json")).stdout
    assert "Jana Nováková" in shown and "Pra ha" in shown
    ok(letter(invoke, profile, "-f", "txt", "--no-record", "-o", "r.txt", "--reason", "one\u2028two"))
    text = (tmp_path / "r.txt").read_text("utf-8")
    assert "one\ntwo" in text and "\u2028" not in text


def test_a_reason_longer_than_a_letter_takes_is_refused(invoke, profile):
    one_line_error(letter(invoke, profile, "-f", "txt", "--no-record", "--reason", "x " * 5001), 3,
                   "--reason: 10,001 characters; at most 10,000 fit a letter")
