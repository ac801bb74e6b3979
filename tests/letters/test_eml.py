"""The .eml a person opens in a mail program: addressed where the controller publishes an address, marked as a
draft, dated with the real local time, and the command's next step saying what to do when there is no address."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from email import message_from_bytes
from email.utils import parsedate_to_datetime

import pytest

from helpers import ok, write_profile


@pytest.fixture
def berlin_time(monkeypatch):
    """The local time zone is Berlin's (UTC+1 in winter), whatever the machine's."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_an_eml_to_a_published_address_is_a_dated_draft(invoke, tmp_path, berlin_time):
    profile = write_profile(tmp_path)
    result = ok(invoke("letter", "access", "reddit", "--profile", profile, "-f", "eml", "-o", "r.eml", "--no-record"))
    message = message_from_bytes((tmp_path / "r.eml").read_bytes())
    assert message["To"] == '"Reddit Netherlands B.V." <redditdatarequests@reddit.com>'
    assert message["X-Unsent"] == "1"  # opened as a draft, ready to send
    sent = parsedate_to_datetime(message["Date"])
    now = datetime.now().astimezone()
    assert sent.utcoffset() == now.utcoffset() and now.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    assert abs(sent - now) < timedelta(minutes=5)  # the time it was written, not a made-up 09:00
    assert "Next: open r.eml in your mail program (it is addressed to redditdatarequests@reddit.com) and send it." \
        in result.stdout


def test_an_eml_without_an_address_says_where_it_goes_instead(invoke, tmp_path, berlin_time):
    profile = write_profile(tmp_path)
    result = ok(invoke("letter", "access", "meta", "--profile", profile, "-f", "eml", "-o", "m.eml", "--date",
                       "2026-11-30"))
    message = message_from_bytes((tmp_path / "m.eml").read_bytes())
    assert message["To"] is None and message["X-Unsent"] == "1"
    assert parsedate_to_datetime(message["Date"]).date().isoformat() == "2026-11-30"  # the letter's own day
    assert "\u00a0" not in message["Subject"] and "Article 15 GDPR" in message["Subject"]
    assert "add the recipient yourself" not in result.output
    assert ("Next: Meta Platforms Ireland Limited publishes no privacy e-mail address, so m.eml has no recipient: "
            "paste its text into Meta's web form (`objector controllers show meta` lists them), or print the PDF it "
            "carries, sign it and post it to Meta Platforms Ireland Limited, ATTN: Privacy Operations, Merrion Road, "
            "Dublin 4, D04 X2K5, IRELAND.") in result.stdout
    assert "--via webform` (or `--via post`)" in result.stdout
