"""`objector complaint`: the complaint to the supervisory authority, in ten languages, with its bundle."""

from __future__ import annotations

import hashlib
import json
import re
import stat
import zipfile

import pytest

from helpers import emailed_letter, flat, pdf_text, write_profile

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "pt", "ro", "sv")
LOCALES = {"en": "en_IE", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "it": "it_IT", "nl": "nl_NL", "pl": "pl_PL",
           "pt": "pt_PT", "ro": "ro_RO", "sv": "sv_SE"}
# The Czech authority (Jana Nováková lives in Prague), as authorities.md prints it; written out by hand.
UOOU = ("Úřad pro ochranu osobních údajů", "Pplk. Sochora 27", "170 00 Praha 7")
DPC = ("Data Protection Commission", "21 Fitzwilliam Square South", "Dublin 2", "D02 RD28")


def long_date(day: str, lang: str) -> str:
    from datetime import date

    from babel.dates import format_date

    return format_date(date.fromisoformat(day), format="long", locale=LOCALES[lang])


@pytest.fixture
def history(invoke, tmp_path, monkeypatch):
    """An access request written 27 Nov 2026, posted 30 Nov (receipt assumed 8 Dec: post abroad, due Fri 8 Jan 2027), its
    receipt confirmed with a screenshot on 9 Dec, a reminder posted on 12 Jan 2027 (taken to arrive on 20 Jan, like the
    request 8 days after posting: answer by 3 Feb); today 4 Feb 2027."""
    profile = write_profile(tmp_path)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    written = json.loads(invoke("letter", "access", "meta", "--profile", profile, "--date", "2026-11-27", "-f", "txt",
                                "-o", "access.txt", "--json").stdout)
    reference = written["reference"]
    assert invoke("log", "sent", reference, "--via", "post", "--on", "2026-11-30").exit_code == 0
    shot = tmp_path / "confirmation.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n confirmation screenshot")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-12-09")
    assert invoke("log", "confirmed", reference, "--on", "2026-12-09", "--evidence", shot).exit_code == 0
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-12")
    reminder = json.loads(invoke("followup", reference, "-f", "txt", "-o", "reminder.txt", "--json").stdout)
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-02-04")
    return {"reference": reference, "letter": written["sha256"], "reminder": reminder["sha256"],
            "evidence": hashlib.sha256(shot.read_bytes()).hexdigest(), "profile": profile}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_complaint_pdf_in_every_language(invoke, history, tmp_path, lang):
    result = invoke("complaint", history["reference"], "--lang", lang, "-o", "complaint.pdf", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["authority"] == "cz-uoou" and summary["lead_authority"] == "ie-dpc"
    text = flat(pdf_text(tmp_path / "complaint.pdf"))
    for expected in [*UOOU, summary["reference"], history["reference"], "Meta Platforms Ireland Limited",
                     history["letter"], history["reminder"], history["evidence"], "access.txt", "reminder.txt",
                     "confirmation.png"]:
        assert expected in text, expected
    for day in ("2026-11-27", "2026-11-30", "2026-12-08", "2026-12-09", "2027-01-08", "2027-01-12", "2027-02-03", "2027-02-04"):
        assert long_date(day, lang) in text, (day, long_date(day, lang))
    from test_i18n import english_fragments

    if lang != "en":
        leftovers = [f for f in english_fragments() if f in text]
        assert not leftovers, leftovers[:3]


def test_complaint_cites_the_articles_and_explains_the_count(invoke, history, tmp_path):
    assert invoke("complaint", history["reference"], "--lang", "en", "-o", "c.pdf").exit_code == 0
    text = flat(pdf_text(tmp_path / "c.pdf"))
    for expected in [
        "I hereby lodge a complaint under Article 77(1) GDPR against Meta Platforms Ireland Limited",
        "you are the supervisory authority of my habitual residence",
        "under Article 15 GDPR", "Article 12(3) GDPR", "Article 12(4) GDPR", "Article 15(1) GDPR",
        "Article 15(3) GDPR", "Article 57(1)(f) GDPR", "Article 58(2)(c) GDPR", "Article 77(2) GDPR",
        "receipt is taken to be 8 days after posting, on 8 December 2026",
        "Under Regulation (EEC, Euratom) No 1182/71", "The time limit therefore ended on 8 January 2027",
    ]:
        assert expected in text, expected


def test_time_limit_moved_off_a_weekend_is_explained(invoke, tmp_path, monkeypatch):
    """Sent by e-mail on Sat 31 Jan 2026: one month later is Sat 28 Feb, so the limit is Mon 2 Mar 2026; the complaint
    names each day the limit moved over."""
    profile = write_profile(tmp_path)
    ref = emailed_letter(invoke, monkeypatch, profile, written="2026-01-30", sent="2026-01-31")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-03-10")
    assert invoke("complaint", ref, "--lang", "en", "-f", "txt", "-o", "c.txt").exit_code == 0
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert ("28 February 2026 is a Saturday and 1 March 2026 is a Sunday, so the time limit ended with the next "
            "working day, 2 March 2026.") in text
    assert "objected under Article 21(1) GDPR" in text and "Article 21(1) GDPR requires" in text


def test_days_a_time_limit_moved_over_are_joined_as_the_language_joins_a_list(invoke, tmp_path, monkeypatch):
    """Welsh joins with "a" before a consonant, not CLDR's printed "a(c)"."""
    profile = write_profile(tmp_path)
    ref = emailed_letter(invoke, monkeypatch, profile, written="2026-01-30", sent="2026-01-31")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-03-10")
    assert invoke("complaint", ref, "--lang", "cy", "-f", "txt", "-o", "c.txt").exit_code == 0
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert ("Dydd Sadwrn yw 28 Chwefror 2026 a dydd Sul yw 1 Mawrth 2026, felly daeth y terfyn amser i ben ar y "
            "diwrnod gwaith nesaf, 2 Mawrth 2026.") in text


def test_lead_authority_is_one_option_away(invoke, history, tmp_path):
    default = invoke("complaint", history["reference"], "--lang", "en", "-f", "txt", "-o", "local.txt")
    assert default.exit_code == 0
    assert "--authority dpc writes to it instead" in default.stdout
    lead = invoke("complaint", history["reference"], "--lang", "en", "--authority", "dpc", "-o", "dpc.pdf")
    assert lead.exit_code == 0, lead.output
    text = flat(pdf_text(tmp_path / "dpc.pdf"))
    lead_sentence = "You are the lead supervisory authority for Meta Platforms Ireland Limited under Article 56(1) GDPR"
    for expected in [*DPC, "IRELAND", lead_sentence]:
        assert expected in text, expected
    assert "habitual residence" not in text
    assert "the authority where you live is The Office for Personal Data Protection: --authority uoou" in lead.stdout


def test_recorded_on_the_timeline_and_verify_passes(invoke, history, tmp_path):
    result = invoke("complaint", history["reference"], "--lang", "en", "-o", "c.pdf", "--json")
    summary = json.loads(result.stdout)
    shown = json.loads(invoke("show", history["reference"], "--json").stdout)
    notes = [e for e in shown["timeline"] if e["data"].get("complaint")]
    assert len(notes) == 1
    recorded = notes[0]["data"]
    assert recorded["complaint"]["reference"] == summary["reference"] and summary["reference"].startswith("CMP-2027-")
    assert recorded["complaint"]["authority"] == "cz-uoou"
    assert recorded["evidence"][0]["sha256"] == summary["sha256"] == hashlib.sha256((tmp_path / "c.pdf").read_bytes()).hexdigest()
    verified = invoke("verify")
    assert verified.exit_code == 0 and "Journal intact" in verified.stdout


def test_bundle_manifest_matches_its_files(invoke, history, tmp_path):
    result = invoke("complaint", history["reference"], "--lang", "en", "-o", "c.pdf", "--bundle", "complaint.zip")
    assert result.exit_code == 0, result.output
    assert "complaint.zip holds personal data" in result.stderr
    bundle = tmp_path / "complaint.zip"
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist()) - {"manifest.json"}
        assert names == {f["path"] for f in manifest["files"]}
        for entry in manifest["files"]:
            data = archive.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]
    by_role = {f["role"]: f for f in manifest["files"]}
    assert by_role["complaint"]["path"] == "complaint/c.pdf"
    assert by_role["letter"]["sha256"] == history["letter"] and by_role["letter"]["path"] == "letters/access.txt"
    assert by_role["reminder"]["sha256"] == history["reminder"]
    assert by_role["evidence"]["sha256"] == history["evidence"] and by_role["evidence"]["path"] == "evidence/confirmation.png"
    assert manifest["missing"] == [] and manifest["request"] == history["reference"]
    assert invoke("verify").exit_code == 0


def test_bundle_rebuilds_a_moved_letter_or_lists_it_missing(invoke, history, tmp_path):
    (tmp_path / "access.txt").rename(tmp_path / "moved.txt")  # the letter is rebuilt from the journal: same bytes
    (tmp_path / "reminder.txt").unlink()  # a reminder is not rebuilt
    result = invoke("complaint", history["reference"], "--lang", "en", "-o", "c.pdf", "--bundle", "b.zip")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert hashlib.sha256(archive.read("letters/access.txt")).hexdigest() == history["letter"]
    assert len(manifest["missing"]) == 1 and "reminder.txt" in manifest["missing"][0]
    assert "not in the bundle: reminder.txt" in result.stderr


def test_existing_bundle_is_refused_before_anything_is_written(invoke, history, tmp_path):
    (tmp_path / "b.zip").write_bytes(b"keep me")
    result = invoke("complaint", history["reference"], "--lang", "en", "-o", "c.pdf", "--bundle", "b.zip")
    assert result.exit_code == 6 and "exists" in result.stderr
    same = invoke("complaint", history["reference"], "--lang", "en", "-o", "c.pdf", "--bundle", "c.pdf")
    assert same.exit_code == 3 and "name of its own" in same.stderr
    assert not (tmp_path / "c.pdf").exists() and (tmp_path / "b.zip").read_bytes() == b"keep me"
    shown = json.loads(invoke("show", history["reference"], "--json").stdout)
    assert not any(e["data"].get("complaint") for e in shown["timeline"])


def test_refusal_allows_a_complaint_and_status_suggests_it(invoke, tmp_path, monkeypatch):
    profile = write_profile(tmp_path)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-12-01")
    ref = json.loads(invoke("letter", "objection", "meta", "--profile", profile, "-f", "txt", "--date", "2026-11-30",
                            "--json").stdout)["reference"]
    assert invoke("log", "sent", ref, "--via", "email", "--on", "2026-11-30").exit_code == 0
    early = invoke("complaint", ref)
    assert early.exit_code == 3 and "not overdue" in early.stderr
    assert invoke("log", "reply", ref, "--outcome", "refused", "--on", "2026-12-01", "--note", "legitimate interest").exit_code == 0
    status = invoke("status")
    assert f"`objector complaint {ref}` writes the complaint" in status.stdout
    result = invoke("complaint", ref, "--lang", "en", "-f", "txt", "-o", "c.txt")
    assert result.exit_code == 0, result.output
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert "On 1 December 2026 the controller rejected my objection." in text and "my request" not in text
    assert "Reply from the controller: refused: “legitimate interest”" in text
    assert f"`objector complaint {ref}`" not in invoke("status").stdout  # written: no longer suggested


def test_status_suggests_a_complaint_once_the_reminder_ran_out(invoke, history, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-02-03")  # the reminder posted 12 Jan arrives 20 Jan: until 3 Feb
    assert "objector complaint" not in invoke("status").stdout
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-02-04")
    assert f"`objector complaint {history['reference']}`" in invoke("status").stdout


def test_answered_in_time_or_unknown_reference_is_refused(invoke, tmp_path, monkeypatch):
    profile = write_profile(tmp_path)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-12-10")
    ref = json.loads(invoke("letter", "access", "meta", "--profile", profile, "-f", "txt", "--date", "2026-11-30",
                            "--json").stdout)["reference"]
    assert invoke("complaint", ref).exit_code == 3  # not sent
    assert invoke("log", "sent", ref, "--via", "email", "--on", "2026-11-30").exit_code == 0
    assert invoke("log", "reply", ref, "--outcome", "complied", "--on", "2026-12-09").exit_code == 0
    result = invoke("complaint", ref)
    assert result.exit_code == 3 and "answered in time (complied)" in result.stderr
    assert invoke("complaint", "ACC-2026-ZZZZZZ").exit_code == 4
    assert not list(tmp_path.glob("CMP-*"))


def test_german_land_from_the_profile_and_unverified_address_flagged(invoke, tmp_path, monkeypatch):
    profile = write_profile(tmp_path, language="de", address={"lines": ["Lindenstraße 5"], "postcode": "10115",
                                                              "city": "Berlin", "country": "DE", "region": "BE"})
    ref = emailed_letter(invoke, monkeypatch, profile, kind="access", sent="2026-11-30")
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-05")
    result = invoke("complaint", ref, "-o", "c.pdf")
    assert result.exit_code == 0, result.output
    assert "NOT verified" in result.stderr and "UNVERIFIED" in result.stdout  # said on the terminal ...
    text = flat(pdf_text(tmp_path / "c.pdf"))
    assert "Berliner Beauftragte für Datenschutz und Informationsfreiheit" in text and "Alt-Moabit 59-61" in text
    assert "Sekundärquellen" not in text and "Hinweis" not in text  # ... never in the letter to the authority
    # After "Sehr geehrte Damen und Herren," the letter goes on in lower case.
    assert "Herren, hiermit erhebe ich gemäß Art. 77 Abs. 1 DSGVO Beschwerde gegen Meta Platforms Ireland Limited" in text


def test_germany_without_a_land_asks_for_one(invoke, tmp_path, monkeypatch):
    profile = write_profile(tmp_path, address={"lines": ["Lindenstraße 5"], "postcode": "10115", "city": "Berlin",
                                               "country": "DE", "region": ""})
    ref = emailed_letter(invoke, monkeypatch, profile, kind="access", sent="2026-11-30")
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-05")
    result = invoke("complaint", ref)
    assert result.exit_code == 3 and "--authority" in result.stderr
    bavaria = invoke("complaint", ref, "--authority", "de-by", "-f", "txt", "-o", "by.txt")
    assert bavaria.exit_code == 0, bavaria.output
    text = flat((tmp_path / "by.txt").read_text("utf-8"))  # the request was in English; the Land works in German
    assert "Promenade 27" in text and "hiermit erhebe ich gemäß Art. 77 Abs. 1 DSGVO Beschwerde" in text
    assert "written in German" in bavaria.stdout and "--lang en writes it in English" in bavaria.stdout
    assert invoke("complaint", ref, "--authority", "nowhere").exit_code == 4


def test_uk_complaint_to_the_ico_after_the_controllers_own_process(invoke, tmp_path, monkeypatch):
    profile = write_profile(tmp_path, address={"lines": ["1 High Street"], "postcode": "M1 1AA", "city": "Manchester",
                                               "country": "GB", "region": ""})
    ref = emailed_letter(invoke, monkeypatch, profile, kind="access", controller="whatsapp", sent="2026-11-30")
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-05")
    first = invoke("complaint", ref, "--lang", "en", "-f", "txt", "-o", "early.txt")
    assert first.exit_code == 0 and "s.164A DPA 2018" in first.stderr and f"objector followup {ref}" in first.stderr
    assert invoke("followup", ref, "-f", "txt", "-o", "reminder.txt").exit_code == 0
    # The reminder (e-mailed as the request was, so received 5 Jan) is the complaint to the controller; s.164A(3)
    # gives it 30 days beginning with that day to acknowledge it, to 3 Feb. Before then the complaint warns why.
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-20")
    result = invoke("complaint", ref, "--lang", "en", "-f", "txt", "-o", "ico.txt")
    assert result.exit_code == 0, result.output
    assert "until 2027-02-03" in result.stderr and "s.164A(3)" in result.stderr
    assert "send the reminder first" not in result.stderr
    text = flat((tmp_path / "ico.txt").read_text("utf-8"))
    assert "Information Commissioner's Office" in text and "Wycliffe House" in text
    assert "section 165 of the Data Protection Act 2018" in text
    assert not re.search(r"[a-z]\.On \d", text)  # the s.164A sentence follows the one before it with a space
    assert ("On 5 January 2027 I also complained to the controller itself, as section 164A of the Data Protection Act "
            "2018 provides; the 30 days it has to acknowledge that complaint under section 164A(3) end on 3 February "
            "2027.") in text
    assert "has not resolved the matter" not in text
    assert "secondary sources" not in text and "NOT verified" in result.stderr  # the ICO record is UNVERIFIED
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-02-04")
    later = invoke("complaint", ref, "-f", "txt", "-o", "later.txt")
    assert later.exit_code == 0 and "s.164A" not in later.stderr
    assert "this has not resolved the matter" in flat((tmp_path / "later.txt").read_text("utf-8"))


def test_authorities_list_and_show(invoke):
    listed = invoke("authorities", "list", "--country", "DE")
    assert listed.exit_code == 0
    assert listed.stdout.count("\n") == 18  # BfDI, 16 Länder, the summary line
    assert "de-be" in listed.stdout and "UNVERIFIED address" in listed.stdout
    shown = invoke("authorities", "show", "cnil")
    assert shown.exit_code == 0
    assert "3 Place de Fontenoy" in shown.stdout and "UNVERIFIED: not seen on an official page" in shown.stdout
    assert "Vous devez rédiger votre plainte en français." in shown.stdout and "8 rue Vivienne" in shown.stdout
    data = json.loads(invoke("authorities", "show", "ie-dpc", "--json").stdout)
    assert data["verified"] is True and data["address"][-1] == "D02 RD28"


def test_ccpa_request_gets_the_cppa_form_text(invoke, tmp_path, monkeypatch):
    """The US complaint texts are tested in test_us_followup.py; here: a CCPA request goes to the CPPA's form."""
    address = {"lines": ["742 Valencia Street"], "postcode": "94110", "city": "San Francisco", "country": "US",
               "region": "CA"}
    profile = write_profile(tmp_path, address=address)
    ref = emailed_letter(invoke, monkeypatch, profile, kind="access", sent="2026-09-01")
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")  # 45 days have passed
    result = invoke("complaint", ref)
    assert result.exit_code == 0, result.output
    assert "California Privacy Protection Agency (CPPA): https://cppa.ca.gov/webapplications/complaint" in result.stdout
    assert len(next(tmp_path.glob("CMP-*-us-ca-cppa-form.txt")).read_text("utf-8")) <= 4000
