"""`objector followup`: the reminder once a controller's time has run out."""

from __future__ import annotations

import json

import pytest

from helpers import flat, pdf_text, write_profile


@pytest.fixture
def sent_request(invoke, tmp_path, monkeypatch):
    """An access request written on 27 Nov 2026 and e-mailed on 30 Nov 2026 (due Wed 30 Dec 2026)."""
    profile = write_profile(tmp_path)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    written = invoke("letter", "access", "meta", "--profile", profile, "--date", "2026-11-27", "--json", "-f", "txt")
    reference = json.loads(written.stdout)["reference"]
    assert invoke("log", "sent", reference, "--via", "email", "--on", "2026-11-30").exit_code == 0
    return reference


def test_reminder_for_an_overdue_request(invoke, sent_request, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-04")
    result = invoke("followup", sent_request, "-o", "reminder.pdf")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(tmp_path / "reminder.pdf"))
    for expected in [
        sent_request, "Jana Nováková", "Meta Platforms Ireland Limited", "D04 X2K5",
        "Reminder: my request under Article 15 GDPR of 27 November 2026",
        "On 30 November 2026", "You received it on 30 November 2026", "that is by 30 December 2026",
        "Article 12(3) GDPR", "Article 12(4) GDPR", "Article 79 GDPR", "Article 77 GDPR",
        "by 18 January 2027",  # 14 days after the reminder's date
        "4 January 2027",
    ]:
        assert expected in text, expected
    shown = json.loads(invoke("show", sent_request, "--json").stdout)
    assert any("reminder written: reminder.pdf" in e["data"].get("note", "") for e in shown["timeline"])


def test_reminder_in_german(invoke, sent_request, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-04")
    result = invoke("followup", sent_request, "--lang", "de", "-f", "txt", "-o", "de.txt")
    assert result.exit_code == 0, result.output
    text = flat((tmp_path / "de.txt").read_text("utf-8"))
    assert "Art. 12 Abs. 4 DSGVO" in text and "30. Dezember 2026" in text and "Art. 79 DSGVO" in text


def test_no_reminder_before_the_deadline(invoke, sent_request, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-12-30")  # the last day: not overdue yet
    result = invoke("followup", sent_request)
    assert result.exit_code == 3 and "not overdue" in result.stderr and "2026-12-30" in result.stderr
    assert not list(tmp_path.glob("*reminder*"))


def test_no_reminder_once_answered_or_for_an_unknown_reference(invoke, sent_request, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-04")
    assert invoke("log", "reply", sent_request, "--outcome", "complied", "--on", "2027-01-02").exit_code == 0
    result = invoke("followup", sent_request)
    assert result.exit_code == 3 and "answered: complied" in result.stderr
    assert invoke("followup", "OBJ-2026-ZZZZZZ").exit_code == 4


def test_status_points_to_the_reminder(invoke, sent_request, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-04")
    result = invoke("status")
    assert result.exit_code == 0
    assert f"1 request overdue: `objector followup {sent_request}` writes the reminder." in result.stdout
