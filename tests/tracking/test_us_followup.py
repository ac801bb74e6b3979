"""US follow-ups end to end: the reminder cites the statute's reply section and period, the appeal goes to the
business after a refusal (states that give one), and the complaint text for the CPPA's form or the Attorney
General; read back from the PDF or the text, never an unverified fact printed as one; dates as US letters write
them ("September 1, 2026")."""

from __future__ import annotations

import json

import pytest
from test_us_letters import APPEALS, LAWS, us_profile

from helpers import flat, pdf_text

# The section on the appeal itself, where the reference verifies one (written out by hand).
APPEAL_SECTIONS = {"VA": "Va. Code §59.1-577(C)", "TX": "Tex. Bus. & Com. Code §541.053", "OR": "ORS 646A.576"}


def sent_request(invoke, tmp_path, monkeypatch, region, kind="access", on="2026-09-01"):
    """A `kind` letter under the law of `region`, written and e-mailed on `on`."""
    monkeypatch.setenv("OBJECTOR_TODAY", on)
    extra = ["--correction", "Date of birth: May 3, 1990"] if kind == "rectification" else []
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
    for expected in ("Meta Platforms, Inc.", "1 Meta Way", ref, "September 1, 2026", "Reminder:",
                     "To this day I have not received a complete response", "November 3, 2026"):
        assert expected in text, expected
    assert f"You had to act on it within {'45 calendar days' if region == 'CA' else '45 days'} of receipt" in text
    assert reply in text and "October 16, 2026" in text and rights["access"] in text
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
    assert "no later than 15 business days from receipt (Cal. Code Regs. tit. 11, §7026), that is by March 10, 2025" in text


def test_us_reminder_refused_before_the_period_ends_and_in_another_language(invoke, tmp_path, monkeypatch):
    ref = sent_request(invoke, tmp_path, monkeypatch, "VA")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-01")
    early = invoke("followup", ref)
    assert early.exit_code == 3 and "is not overdue" in early.stderr and "due 2026-10-16" in early.stderr
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-20")
    german = invoke("followup", ref, "--lang", "de")
    assert german.exit_code == 3 and "written in en only" in german.stderr
    assert not list(tmp_path.glob("*REM*")) and not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize("region", ["VA", "TX", "OR", "CO", "CT", "NJ"])
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
                     "September 1, 2026", "On September 18, 2026 you declined to act on it",
                     "“we keep the data for security”", "I appeal that decision",
                     f"how I can contact the Attorney General of {state}"):
        assert expected in text, expected
    if region in APPEAL_SECTIONS:
        assert f"I appeal that decision under {APPEAL_SECTIONS[region]}" in text
    else:  # Colorado, Connecticut, New Jersey: the appeal exists, its own section is not verified
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
])
def test_no_appeal_where_the_law_gives_none(invoke, tmp_path, monkeypatch, region, message):
    ref = sent_request(invoke, tmp_path, monkeypatch, region)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-20")
    assert invoke("log", "reply", ref, "--outcome", "refused", "--on", "2026-09-18").exit_code == 0
    result = invoke("followup", ref, "-o", "x.pdf")
    assert result.exit_code == 5, result.output
    assert message in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_ccpa_complaint_is_the_cppa_form_text_within_4000_characters(invoke, tmp_path, monkeypatch):
    ref = sent_request(invoke, tmp_path, monkeypatch, "CA", kind="erasure")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-20")
    assert invoke("followup", ref, "-f", "txt", "-o", "reminder.txt").exit_code == 0
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-10")  # the reminder's 14 days ran out on 3 November
    result = invoke("complaint", ref, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["authority"] == "us-ca-cppa" and summary["path"].endswith("-form.txt")
    text = (tmp_path / summary["path"]).read_text("utf-8")
    assert len(text) <= 4000
    flat_text = flat(text)
    for expected in (ref, summary["reference"], "Meta Platforms, Inc.", "1 Meta Way", "resident of California",
                     "Request to delete my personal information (Cal. Civ. Code §1798.105)",
                     "September 1, 2026", "October 16, 2026", "October 20, 2026", "November 3, 2026",
                     "within 45 calendar days of receipt (Cal. Civ. Code §1798.130(a)(2)(A); Cal. Code Regs. tit. 11, §7021(b))",
                     "the time limit ended on October 16, 2026", "To this day I have not received a complete response",
                     "Reminder sent to the business", "reminder.txt", "erasure.txt",
                     "I ask the Agency to investigate whether Meta Platforms, Inc. has complied with Cal. Civ. Code §1798.105"):
        assert expected in flat_text, expected
    assert "GDPR" not in text and "controller" not in text and "Article" not in text
    plain = invoke("complaint", ref, "-o", "again.txt", "--force")
    assert plain.exit_code == 0, plain.output
    assert "paste the text into the description field" in plain.stdout and "https://cppa.ca.gov/webapplications/complaint" in plain.stdout
    assert "characters of the 4000 the form takes" in plain.stdout


def test_ccpa_form_text_is_shortened_to_fit(invoke, tmp_path, monkeypatch):
    """Over the form's limit the text drops the hashes, then the chain head, then shortens the notes; below what
    that can reach it is refused (exit 3). txt keeps everything."""
    import dataclasses

    from objector.errors import InputError
    from objector.tracking import complaint

    ref = sent_request(invoke, tmp_path, monkeypatch, "CA")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-20")
    note = " ".join(["We decline this request for the reasons our policy sets out."] * 12)
    assert invoke("log", "reply", ref, "--outcome", "refused", "--on", "2026-09-18", "--note", note).exit_code == 0
    c = complaint.prepare(ref)
    full = complaint.us_text(c, "txt")
    assert "SHA-256" in full and note in full and len(full) <= 4000  # fits the CPPA's form as it is
    assert complaint.us_text(c, "form") == full

    def fitted(limit):
        return complaint.us_text(dataclasses.replace(c, authority=dataclasses.replace(c.authority, form_limit=limit)), "form")

    no_hashes = fitted(len(full) - 1)
    assert len(no_hashes) < len(full) and f"(SHA-256 {c.documents[0].sha256})" not in no_hashes
    assert "latest entry was no." in no_hashes and note in no_hashes
    no_head = fitted(len(no_hashes) - 1)
    assert "latest entry was no." not in no_head and note in no_head
    short = fitted(len(no_head) - 1)
    assert note not in short and note[:150] in short and "…" in short
    for text in (no_hashes, no_head, short):
        assert ref in text and "Cal. Civ. Code §§1798.100, 1798.110 and 1798.115" in text and "September 18, 2026" in text
    with pytest.raises(InputError, match="even shortened"):
        fitted(500)


@pytest.mark.parametrize("region", ["VA", "TX", "NJ"])
def test_state_complaint_to_the_attorney_general_says_what_is_not_verified(invoke, tmp_path, monkeypatch, region):
    state, rights, reply = LAWS[region]
    ref = sent_request(invoke, tmp_path, monkeypatch, region)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-20")
    result = invoke("complaint", ref, "-o", "ag.txt")
    assert result.exit_code == 0, result.output
    assert f"verifies no address or complaint route for Attorney General of {state}" in result.stderr
    text = flat((tmp_path / "ag.txt").read_text("utf-8"))
    for expected in (ref, f"resident of {state}", f"I ask the Attorney General of {state} to look into",
                     "September 1, 2026", "To this day I have not received a complete response"):
        assert expected in text, expected
    assert reply in text and rights["access"] in text and "October 16, 2026" in text
    assert "gives no source for the sections or periods" not in result.stderr
    for refused in (["-f", "pdf"], ["--lang", "de"]):
        bad = invoke("complaint", ref, *refused, "-o", "bad.pdf")
        assert bad.exit_code == 3 and not (tmp_path / "bad.pdf").exists()


def test_state_complaint_after_the_appeal_lists_it(invoke, tmp_path, monkeypatch):
    ref = sent_request(invoke, tmp_path, monkeypatch, "VA", kind="erasure")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-20")
    assert invoke("log", "reply", ref, "--outcome", "refused", "--on", "2026-09-18").exit_code == 0
    early = invoke("complaint", ref, "-o", "early.txt")
    assert early.exit_code == 0 and "`objector followup" in early.stderr  # appeal first: a warning, not a refusal
    assert invoke("followup", ref, "-f", "txt", "-o", "appeal.txt").exit_code == 0
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    result = invoke("complaint", ref, "-o", "ag.txt")
    assert result.exit_code == 0, result.output
    assert "`objector followup" not in result.stderr
    text = flat((tmp_path / "ag.txt").read_text("utf-8"))
    for expected in ("On September 18, 2026 the controller denied my request",
                     "On September 20, 2026 I appealed the decision to the controller under Va. Code §59.1-577(C)",
                     "September 20, 2026: Appeal of the decision sent to the controller", "my appeal, appeal.txt"):
        assert expected in text, expected


def test_log_reply_refused_points_a_virginian_to_the_appeal(invoke, tmp_path, monkeypatch):
    ref = sent_request(invoke, tmp_path, monkeypatch, "VA")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-20")
    result = invoke("log", "reply", ref, "--outcome", "refused", "--on", "2026-09-18")
    assert result.exit_code == 0
    assert f"`objector followup {ref}` writes the appeal" in result.stdout
    assert "the Attorney General of Virginia" in result.stdout
