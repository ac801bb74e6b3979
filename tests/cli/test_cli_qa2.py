"""A second new user's pass before release: each test pins a message that did not match what objector does."""

from __future__ import annotations

import json

import pytest

from helpers import ok, write_profile


@pytest.fixture
def profile(tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-02")
    return write_profile(tmp_path)


def test_reason_help_says_it_is_added_to_the_general_grounds_as_the_letter_does(invoke, profile, tmp_path):
    help_text = " ".join(ok(invoke("letter", "--help")).stdout.split())
    assert "replaces the default paragraph" not in help_text
    assert "added to the general grounds" in help_text
    plain = tmp_path / "plain.txt"
    reasoned = tmp_path / "reasoned.txt"
    ok(invoke("letter", "objection", "meta", "--profile", profile, "-f", "txt", "-o", str(plain), "--no-record"))
    ok(invoke("letter", "objection", "meta", "--profile", profile, "-f", "txt", "-o", str(reasoned), "--no-record",
              "--reason", "I am a photographer."))
    general = [p for p in plain.read_text().split("\n\n") if "communicate" in p]
    assert general, plain.read_text()
    text = reasoned.read_text()
    assert "I am a photographer." in text and general[0] in text


def test_complaint_from_germany_without_a_land_says_to_choose_the_lands_authority(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-02")
    berlin = write_profile(tmp_path, address={"lines": ["Hauptstraße 5"], "postcode": "10115", "city": "Berlin",
                                              "country": "DE", "region": ""})
    result = ok(invoke("letter", "access", "meta", "--profile", berlin, "--json", "-f", "txt", "-o", "a.txt"))
    reference = json.loads(result.stdout)["reference"]
    ok(invoke("log", "sent", reference, "--via", "email", "--on", "2026-11-02"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-20")
    ok(invoke("log", "reply", reference, "--outcome", "refused"))
    refused = invoke("complaint", reference, "-o", str(tmp_path / "c.pdf"))
    assert refused.exit_code == 3
    assert refused.stderr.count("\n") == 1 and "German Land" in refused.stderr and "de-be" in refused.stderr
    assert not (tmp_path / "c.pdf").exists()
    ok(invoke("complaint", reference, "--authority", "de-be", "-f", "txt", "-o", str(tmp_path / "c.txt")))


def test_complaint_about_an_early_refusal_does_not_date_the_limits_end_in_the_future(invoke, profile, tmp_path,
                                                                                     monkeypatch):
    result = ok(invoke("letter", "access", "meta", "--profile", profile, "--json", "-f", "txt", "-o", "a.txt"))
    reference = json.loads(result.stdout)["reference"]
    ok(invoke("log", "sent", reference, "--via", "email", "--on", "2026-11-02"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-20")
    ok(invoke("log", "reply", reference, "--outcome", "refused"))
    out = tmp_path / "c.txt"
    ok(invoke("complaint", reference, "--authority", "ie-dpc", "-f", "txt", "-o", str(out)))
    text = out.read_text()
    assert "Time limit for the answer ended" not in text, text
    assert "refused" in text.lower()
    assert "The time limit therefore ends on 2 December 2026." in " ".join(text.split())  # not "ended", as yet
    german = tmp_path / "de.txt"
    ok(invoke("complaint", reference, "--authority", "ie-dpc", "--lang", "de", "-f", "txt", "-o", str(german)))
    assert "Die Frist endet somit am 2. Dezember 2026." in " ".join(german.read_text().split())
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-12-20")
    later = tmp_path / "later.txt"
    ok(invoke("complaint", reference, "--authority", "ie-dpc", "-f", "txt", "-o", str(later)))
    # An answer in time (issue 15): the timeline has no "time limit ended" row, before or after that day.
    assert "Time limit for the answer ended" not in later.read_text()
    assert "The time limit therefore ended on 2 December 2026." in " ".join(later.read_text().split())


def test_calendar_names_the_law_not_its_id(invoke, profile, tmp_path):
    result = ok(invoke("letter", "access", "meta", "--profile", profile, "--json", "-f", "txt", "-o", "a.txt"))
    reference = json.loads(result.stdout)["reference"]
    ok(invoke("log", "sent", reference, "--via", "email", "--on", "2026-11-02"))
    ics = tmp_path / "d.ics"
    ok(invoke("calendar", "-o", str(ics)))
    text = "".join(line[1:] if line.startswith(" ") else "\n" + line for line in ics.read_text().splitlines())
    assert f"{reference}: access request to Meta Platforms Ireland Limited under GDPR (Regulation (EU) 2016/679)." \
        in text.replace("\\,", ","), text
    assert "under gdpr" not in text


@pytest.mark.parametrize(("note", "quoted"), [("We cannot verify you.", "“We cannot verify you.”"),
                                              ("no reason given", "“no reason given”.")])
def test_us_appeal_and_complaint_quote_a_refusal_without_a_doubled_full_stop(invoke, tmp_path, monkeypatch, note,
                                                                             quoted):
    from test_us_followup import sent_request

    ref = sent_request(invoke, tmp_path, monkeypatch, "VA")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-20")
    ok(invoke("log", "reply", ref, "--outcome", "refused", "--note", note))
    ok(invoke("followup", ref, "-f", "txt", "-o", "appeal.txt"))
    ok(invoke("complaint", ref, "-f", "txt", "-o", "complaint.txt"))
    for name in ("appeal.txt", "complaint.txt"):
        text = " ".join((tmp_path / name).read_text("utf-8").split())
        assert f"stating: {quoted}" in text, (name, text)
        assert "”.." not in text and ".”." not in text


def test_batch_summary_and_early_complaint_count_in_words_that_agree(invoke, profile, tmp_path):
    sheet = tmp_path / "one.csv"
    sheet.write_text("kind,controller,name,email,street,city,country,format\n"
                     "access,meta,Jana Nováková,jana@example.org,Dlouhá 12,Praha,CZ,txt\n", "utf-8")
    summary = ok(invoke("batch", str(sheet), "-d", str(tmp_path / "out"), "--jobs", "1")).stdout
    assert "1 letter written" in summary and "1 worker)" in summary and "0 rows failed" in summary
    assert "(s)" not in summary
    result = ok(invoke("letter", "access", "meta", "--profile", profile, "--json", "-f", "txt", "-o", "a.txt"))
    reference = json.loads(result.stdout)["reference"]
    ok(invoke("log", "sent", reference, "--via", "email", "--on", "2026-11-02", "--received-on", "2026-11-02"))
    early = invoke("complaint", reference)
    assert early.exit_code == 3 and "day(s)" not in early.stderr and " days left" in early.stderr


def test_a_letter_dated_after_today_is_refused_unless_not_recorded(invoke, profile, tmp_path):
    future = invoke("letter", "access", "meta", "--profile", profile, "--date", "2027-01-04", "-f", "txt",
                    "-o", str(tmp_path / "a.txt"))
    assert future.exit_code == 3 and future.stderr.count("\n") == 1 and "in the future" in future.stderr
    assert not (tmp_path / "a.txt").exists()
    assert "ACC-2027" not in ok(invoke("status", "--all")).stdout
    ok(invoke("letter", "access", "meta", "--profile", profile, "--date", "2027-01-04", "-f", "txt",
              "-o", str(tmp_path / "b.txt"), "--no-record"))


def test_us_complaint_about_an_early_refusal_says_the_time_limit_ends(invoke, tmp_path, monkeypatch):
    from test_us_followup import sent_request

    ref = sent_request(invoke, tmp_path, monkeypatch, "CA")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-20")
    ok(invoke("log", "reply", ref, "--outcome", "refused"))
    ok(invoke("complaint", ref, "-f", "txt", "-o", "c.txt"))
    text = " ".join((tmp_path / "c.txt").read_text("utf-8").split())
    assert "so the time limit ends on October 16, 2026." in text and "time limit ended" not in text, text


def test_a_batch_row_dated_after_today_fails_alone_without_pointing_to_an_option_batch_lacks(invoke, profile,
                                                                                              tmp_path):
    sheet = tmp_path / "two.csv"
    sheet.write_text("kind,controller,name,email,street,city,country,format,date\n"
                     "access,meta,Jana Nováková,jana@example.org,Dlouhá 12,Praha,CZ,txt,2027-01-04\n"
                     "access,meta,Jana Nováková,jana@example.org,Dlouhá 12,Praha,CZ,txt,2026-11-02\n", "utf-8")
    result = invoke("batch", str(sheet), "-d", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 3
    assert "row 1 (line 2):" in result.stderr and "in the future" in result.stderr and "--no-record" not in result.stderr
    assert "1 letter written" in result.stdout and "1 row failed" in result.stdout


def test_show_with_a_complaint_reference_points_to_the_request_it_is_about(invoke, profile, tmp_path, monkeypatch):
    result = ok(invoke("letter", "access", "meta", "--profile", profile, "--json", "-f", "txt", "-o", "a.txt"))
    reference = json.loads(result.stdout)["reference"]
    ok(invoke("log", "sent", reference, "--via", "email", "--on", "2026-11-02"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-20")
    ok(invoke("log", "reply", reference, "--outcome", "refused"))
    written = ok(invoke("complaint", reference, "--authority", "ie-dpc", "-f", "txt", "-o", "c.txt", "--json"))
    complaint = json.loads(written.stdout)["reference"]
    assert complaint.startswith("CMP-")
    shown = invoke("show", complaint)
    assert shown.exit_code == 4 and shown.stderr.count("\n") == 1
    assert f"the complaint about {reference}" in shown.stderr and f"objector show {reference}" in shown.stderr
    unknown = invoke("show", "CMP-2026-AAAAAA")
    assert unknown.exit_code == 4 and "no request CMP-2026-AAAAAA" in unknown.stderr


def test_ccpa_opt_out_complaint_cites_the_opt_out_period_not_the_45_day_reply_section(invoke, tmp_path, monkeypatch):
    from test_us_followup import sent_request

    ref = sent_request(invoke, tmp_path, monkeypatch, "CA", kind="opt-out", on="2026-10-01")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-30")
    ok(invoke("complaint", ref, "-f", "txt", "-o", "c.txt"))
    text = " ".join((tmp_path / "c.txt").read_text("utf-8").split())
    assert ("has complied with Cal. Civ. Code §1798.120(a) and Cal. Code Regs. tit. 11, §7026, and" in text), text
    assert "1798.130(a)(2)(A)" not in text
    access = sent_request(invoke, tmp_path, monkeypatch, "CA", on="2026-09-01")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-30")
    ok(invoke("complaint", access, "-f", "txt", "-o", "d.txt"))
    assert "and Cal. Civ. Code §1798.130(a)(2)(A), and" in " ".join((tmp_path / "d.txt").read_text("utf-8").split())
