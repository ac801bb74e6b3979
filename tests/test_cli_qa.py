"""A new user's walk through the journey and the controllers: each test pins a message that read wrong."""

from __future__ import annotations

import json

import pytest

from helpers import write_profile


@pytest.fixture
def profile(tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-06-30")
    return write_profile(tmp_path)


def ok(result):
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def letter(invoke, profile, *args: str) -> str:
    result = ok(invoke("letter", "objection", "meta", "--profile", profile, "--json", "-f", "txt", *args))
    return json.loads(result.stdout)["reference"]


def test_days_are_counted_in_words_that_agree(invoke, profile):
    reference = letter(invoke, profile, "-o", "a.txt", "--date", "2026-06-29")
    ok(invoke("log", "sent", reference, "--via", "email", "--on", "2026-06-29"))
    early = invoke("followup", reference)
    assert early.exit_code == 3
    assert "day(s)" not in early.stderr and " days left" in early.stderr
    ok(invoke("log", "reply", reference, "--outcome", "refused", "--on", "2026-06-30"))
    shown = ok(invoke("show", reference)).stdout
    assert "after 1 day." in shown and "after 1 days" not in shown


def test_show_and_calendar_name_a_controller_from_a_file_after_the_file_is_gone(invoke, profile, tmp_path):
    from test_registry import FOTOCLUB

    path = tmp_path / "fotoclub.toml"
    path.write_text(FOTOCLUB, "utf-8")
    written = ok(invoke("letter", "access", "fotoclub", "--profile", profile, "--controller-file", path,
                        "-f", "txt", "--json"))
    reference = json.loads(written.stdout)["reference"]
    path.unlink()
    ok(invoke("log", "sent", reference, "--via", "email"))
    shown = ok(invoke("show", reference)).stdout
    assert "to Fotoclub Beispiel GmbH (fotoclub-gmbh)" in shown
    calendar = ok(invoke("calendar", "-o", "-")).stdout
    assert "Fotoclub Beispiel GmbH must answer" in calendar.replace("\r\n ", "")
