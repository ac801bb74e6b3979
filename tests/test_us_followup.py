"""US follow-ups end to end: the reminder cites the statute's reply section and period, the appeal goes to the
business after a refusal (states that give one), and the complaint text for the CPPA's form or the Attorney
General; read back from the PDF or the text, never an unverified fact printed as one."""

from __future__ import annotations

import json

import pytest

from helpers import flat, pdf_text
from test_us_letters import APPEALS, LAWS, us_profile


def sent_request(invoke, tmp_path, monkeypatch, region, kind="access", on="2026-09-01"):
    """A `kind` letter under the law of `region`, written and e-mailed on `on`."""
    monkeypatch.setenv("OBJECTOR_TODAY", on)
    extra = ["--correction", "Date of birth: 3 May 1990"] if kind == "rectification" else []
    result = invoke("letter", kind, "meta", *extra, "--profile", us_profile(tmp_path, region), "--date", on,
                    "-f", "txt", "-o", f"{kind}.txt", "--json")
    assert result.exit_code == 0, result.output
    ref = json.loads(result.stdout)["reference"]
    assert invoke("log", "sent", ref, "--via", "email", "--on", on).exit_code == 0
    return ref


@pytest.mark.parametrize("region", list(LAWS))
def test_us_reminder_cites_the_reply_section_and_period(invoke, tmp_path, monkeypatch, region):
    state, rights, reply = LAWS[region]
    ref = sent_request(invoke, tmp_path, monkeypatch, region)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-20")  # 45 days from 1 Sep 2026 ended on 16 Oct
    result = invoke("followup", ref, "-o", "reminder.pdf")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(tmp_path / "reminder.pdf"))
    for expected in ("Meta Platforms, Inc.", "1 Meta Way", ref, "1 September 2026", "Reminder:",
                     "To this day I have not received a complete response", "3 November 2026"):
        assert expected in text, expected
    if reply:
        assert f"You had to act on it within {'45 calendar days' if region == 'CA' else '45 days'} of receipt" in text
        assert reply in text and "16 October 2026" in text
    else:  # New Jersey: no verified section or period, none printed
        assert "You had to act" not in text and "45 days" not in text and "§" not in text
    if rights["access"]:
        assert rights["access"] in text
    if region in APPEALS:
        assert APPEALS[region] in text
    authority = "the California Privacy Protection Agency" if region == "CA" else f"the Attorney General of {state}"
    assert f"I will bring the matter to {authority}" in text
    assert "GDPR" not in text and "Article" not in text
    shown = invoke("show", ref).stdout
    assert "reminder written" in shown


def test_ccpa_opt_out_reminder_counts_15_business_days(invoke, tmp_path, monkeypatch):
    ref = sent_request(invoke, tmp_path, monkeypatch, "CA", kind="opt-out", on="2025-02-14")
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-03-12")
    assert invoke("followup", ref, "-f", "txt", "-o", "r.txt").exit_code == 0
    text = flat((tmp_path / "r.txt").read_text("utf-8"))
    assert "no later than 15 business days from receipt (Cal. Code Regs. tit. 11, §7026), that is by 10 March 2025" in text


def test_us_reminder_refused_before_the_period_ends_and_in_another_language(invoke, tmp_path, monkeypatch):
    ref = sent_request(invoke, tmp_path, monkeypatch, "VA")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-01")
    early = invoke("followup", ref)
    assert early.exit_code == 3 and "is not overdue" in early.stderr and "due 2026-10-16" in early.stderr
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-20")
    german = invoke("followup", ref, "--lang", "de")
    assert german.exit_code == 3 and "written in en only" in german.stderr
    assert not list(tmp_path.glob("*REM*")) and not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize("region", ["VA", "TX", "OR", "CO", "CT"])
def test_followup_after_a_refusal_writes_the_appeal(invoke, tmp_path, monkeypatch, region):
    state = LAWS[region][0]
    ref = sent_request(invoke, tmp_path, monkeypatch, region, kind="erasure")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-20")
    assert invoke("log", "reply", ref, "--outcome", "refused", "--on", "2026-09-18",
                  "--note", "we keep the data for security").exit_code == 0
    result = invoke("followup", ref, "-o", "appeal.pdf")
    assert result.exit_code == 0, result.output
    assert "appeal to Meta Platforms, Inc." in result.stdout
    text = flat(pdf_text(tmp_path / "appeal.pdf"))
    for expected in (f"I am a resident of {state}", "Appeal: Request to delete my personal data", ref,
                     "1 September 2026", "On 18 September 2026 you declined to act on it",
                     "“we keep the data for security”", "I appeal that decision",
                     f"how I can contact the Attorney General of {state}"):
        assert expected in text, expected
    if region in APPEALS:
        assert f"I appeal that decision under {APPEALS[region]}" in text
    else:  # Colorado, Connecticut: the appeal exists, its section is not verified
        assert "I appeal that decision. " in text
    if region == "OR":
        assert "within 45 days of receiving it" in text
    else:
        assert "within the period the law allows" in text and "60 days" not in text
    assert "appeal written" in invoke("show", ref).stdout
    again = invoke("followup", ref, "-o", "again.pdf")
    assert again.exit_code == 3 and "appeal was written already" in again.stderr


@pytest.mark.parametrize(("region", "message"), [
    ("CA", "the CCPA gives no appeal to the business; `objector complaint"),
    ("NJ", "verifies no appeal under New Jersey consumer data privacy law"),
])
def test_no_appeal_where_the_law_gives_none_or_none_is_verified(invoke, tmp_path, monkeypatch, region, message):
    ref = sent_request(invoke, tmp_path, monkeypatch, region)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-20")
    assert invoke("log", "reply", ref, "--outcome", "refused", "--on", "2026-09-18").exit_code == 0
    result = invoke("followup", ref, "-o", "x.pdf")
    assert result.exit_code == 5, result.output
    assert message in result.stderr
    assert not (tmp_path / "x.pdf").exists()
