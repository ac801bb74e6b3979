"""`objector letter` end to end: the files it writes and what a person would check in them."""

from __future__ import annotations

import email
import hashlib
import json
import stat
from email import policy

import pytest

from helpers import flat, pdf_pages, pdf_text, tiny_png, write_profile

DATE = "2026-11-27"


@pytest.fixture
def profile(tmp_path):
    return write_profile(tmp_path)


def letter(invoke, profile, *args):
    return invoke("letter", *args, "--profile", profile, "--date", DATE)


def only_file(folder, suffix):
    files = sorted(folder.glob(f"*{suffix}"))
    assert len(files) == 1, files
    return files[0]


def test_objection_pdf_says_what_a_person_would_check(invoke, profile, tmp_path):
    result = letter(invoke, profile, "objection", "meta")
    assert result.exit_code == 0, result.output
    pdf = only_file(tmp_path, ".pdf")
    reference = pdf.name.split("-objection-")[0]
    assert reference.startswith("OBJ-2026-") and len(reference) == len("OBJ-2026-7K3F9Q")
    assert reference in result.output and pdf.name in result.output
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    text = flat(pdf_text(pdf))
    for expected in [
        "Jana Nováková", "Dlouhá 12", "110 00 Praha",
        "Meta Platforms Ireland Limited", "Merrion Road", "Dublin 4", "D04 X2K5", "IRELAND",
        "27 November 2026", "Praha, 27 November 2026", reference,
        "Article 21(1) GDPR", "Article 6(1)(f) GDPR", "Article 18(1)(d) GDPR", "Article 17(1)(c) GDPR",
        "Article 19 GDPR", "Article 12(3) GDPR", "Article 77 GDPR", "27 May 2025",
        "jana.novak", "jana.novakova@example.org", "Facebook, Instagram, Messenger and Threads",
        "Opinion 28/2024", "Yours faithfully",
    ]:
        assert expected in text, expected
    assert "Grand Canal" not in text  # the outdated address
    assert pdf_pages(pdf) == 2 and f"Reference {reference}, page 2 / 2" in text


def test_direct_marketing_objection_is_absolute_and_asks_no_reasons(invoke, profile, tmp_path):
    result = letter(invoke, profile, "objection", "meta", "--purpose", "direct-marketing")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(only_file(tmp_path, ".pdf")))
    assert "Article 21(2) GDPR" in text and "Article 21(3) GDPR" in text
    assert "particular situation" not in text and "Article 18(1)(d)" not in text
    assert "direct marketing" in text


def test_reason_comes_before_the_general_arguments(invoke, profile, tmp_path):
    reason = "I am a portrait photographer; my photos are my livelihood."
    result = letter(invoke, profile, "objection", "meta", "--reason", reason)
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(only_file(tmp_path, ".pdf")))
    assert reason in text
    assert "I use your services to communicate with other people" in text  # added to, not replaced


def test_access_pdf_lists_every_item_of_article_15(invoke, profile, tmp_path):
    result = letter(invoke, profile, "access", "meta")
    assert result.exit_code == 0, result.output
    pdf = only_file(tmp_path, ".pdf")
    assert pdf.name.startswith("ACC-2026-") and pdf.name.endswith("-access-meta.pdf")
    text = flat(pdf_text(pdf))
    for point in "abcdefgh":
        assert f"Article 15(1)({point}) GDPR" in text, point
    for expected in ["Article 15(2) GDPR", "Article 15(3) GDPR", "C-154/21", "Article 12(3) GDPR",
                     "Meta Platforms Ireland Limited", "D04 X2K5", "27 November 2026", "AI models",
                     "objection of mine"]:
        assert expected in text, expected


def test_json_output_gives_reference_path_and_hash(invoke, profile, tmp_path):
    result = letter(invoke, profile, "objection", "meta", "--json", "-o", "mine.pdf")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"reference", "path", "sha256"}
    assert data["path"] == "mine.pdf"
    assert hashlib.sha256((tmp_path / "mine.pdf").read_bytes()).hexdigest() == data["sha256"]
    assert data["reference"] in flat(pdf_text(tmp_path / "mine.pdf"))


def test_text_format_is_the_same_letter_for_a_web_form(invoke, profile, tmp_path):
    result = letter(invoke, profile, "objection", "meta", "-f", "txt", "-o", "form.txt")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "form.txt").read_text("utf-8")
    assert "Article\u00a021(1)\u00a0GDPR" in text  # a citation keeps its no-break spaces in a web form too
    assert "Meta Platforms Ireland Limited" in text
    assert "<" not in text and "{" not in text
    assert "characters" in result.stderr  # longer than the 1,500 a form field safely takes


def test_html_format_escapes_user_text(invoke, tmp_path):
    hostile = write_profile(tmp_path, name="<img src=x onerror=alert(1)> {{ 7*7 }}")
    result = letter(invoke, hostile, "objection", "meta", "-f", "html", "-o", "l.html", "--reason", "<b>bold</b> {% raw %}")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "l.html").read_text("utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt; {% raw %}" in html
    assert "{{ 7*7 }}" in html and ">49<" not in html


def test_user_text_prints_literally_in_the_pdf(invoke, tmp_path):
    hostile = write_profile(tmp_path, name="<img src=x> {{ 7*7 }}")
    result = letter(invoke, hostile, "objection", "meta")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(only_file(tmp_path, ".pdf")))
    assert "<img src=x> {{ 7*7 }}" in text


def test_eml_attaches_the_pdf_and_says_there_is_no_address(invoke, profile, tmp_path):
    result = letter(invoke, profile, "access", "meta", "-f", "eml", "-o", "mail.eml")
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes((tmp_path / "mail.eml").read_bytes(), policy=policy.default)
    assert message["To"] is None and "no privacy e-mail address" in result.stderr
    assert "Jana Nováková" in message["From"] and "jana.novakova@example.org" in message["From"]
    reference = message["X-Objector-Reference"]
    assert reference in message["Subject"] and "Article 15 GDPR" in flat(message["Subject"])
    body = flat(message.get_body(("plain",)).get_content())
    assert "Article 15(1)(h) GDPR" in body
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == f"{reference}-access-meta.pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_signature_image_is_embedded(invoke, profile, tmp_path):
    (tmp_path / "sig.png").write_bytes(tiny_png())
    result = letter(invoke, profile, "objection", "meta", "--signature", "sig.png", "-o", "signed.pdf")
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    images = {image.data for page in PdfReader(str(tmp_path / "signed.pdf")).pages for image in page.images}
    assert len(images) == 1
    assert letter(invoke, profile, "objection", "meta", "-o", "unsigned.pdf").exit_code == 0
    assert not [image for page in PdfReader(str(tmp_path / "unsigned.pdf")).pages for image in page.images]


def test_existing_file_is_kept_without_force(invoke, profile, tmp_path):
    (tmp_path / "l.pdf").write_bytes(b"mine")
    result = letter(invoke, profile, "objection", "meta", "-o", "l.pdf")
    assert result.exit_code == 6 and "--force" in result.stderr
    assert (tmp_path / "l.pdf").read_bytes() == b"mine"
    result = letter(invoke, profile, "objection", "meta", "-o", "l.pdf", "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "l.pdf").read_bytes().startswith(b"%PDF")


def test_uk_resident_gets_meta_inc_under_uk_gdpr_with_a_warning(invoke, tmp_path):
    uk = write_profile(tmp_path, address={"lines": ["1 High Street"], "postcode": "M1 1AA", "city": "Manchester", "country": "GB"})
    result = letter(invoke, uk, "objection", "meta")
    assert result.exit_code == 0, result.output
    assert "not verified" in result.stderr
    text = flat(pdf_text(only_file(tmp_path, ".pdf")))
    assert "Meta Platforms, Inc." in text and "1 Meta Way" in text and "UNITED STATES" in text
    assert "Article 21(1) UK GDPR" in text and "Manchester" in text and "M1 1AA" in text
    assert "Opinion 28/2024" not in text  # an EU body's opinion is not cited to a UK controller


def test_us_objection_is_refused_with_what_helps(invoke, tmp_path):
    us = write_profile(tmp_path, address={"lines": ["1 Main St"], "postcode": "10001", "city": "New York", "country": "US", "region": "NY"})
    result = letter(invoke, us, "objection", "meta")
    assert result.exit_code == 5
    assert "private" in result.stderr and "tag" in result.stderr
    assert not list(tmp_path.glob("*.pdf"))


def test_california_objection_explains_ccpa(invoke, tmp_path):
    ca = write_profile(tmp_path, address={"lines": ["1 Main St"], "postcode": "94103", "city": "San Francisco", "country": "US", "region": "CA"})
    result = letter(invoke, ca, "objection", "meta")
    assert result.exit_code == 5 and "CCPA" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["objection", "mta"], 4, "unknown controller 'mta'"),
        (["objections", "meta"], 4, "unknown letter kind"),
        (["objection", "meta", "--lang", "xx"], 3, "objector writes in en"),
        (["objection", "meta", "--purpose", "telepathy"], 3, "--purpose"),
        (["objection", "meta", "--purpose", "direct-marketing", "--reason", "x"], 3, "needs no reason"),
        (["access", "meta", "--reason", "x"], 3, "--reason: applies to objection, erasure and restriction letters"),
        (["objection", "meta", "--law", "klingon"], 3, "unknown law"),
        (["objection", "meta", "--format", "docx"], 3, "--format"),
        (["objection", "meta", "-o", "missing/dir/l.pdf"], 6, "does not exist"),
        (["objection", "meta", "--signature", "nope.png"], 4, "no file"),
    ],
)
def test_bad_input_gets_one_line_and_no_file(invoke, profile, tmp_path, args, code, message):
    result = letter(invoke, profile, *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not [p for p in tmp_path.rglob("*") if p.suffix in {".pdf", ".tmp"}]


def test_impossible_date_and_non_image_signature(invoke, profile, tmp_path):
    result = invoke("letter", "objection", "meta", "--profile", profile, "--date", "2026-02-30")
    assert result.exit_code == 3 and "2026-02-30" in result.stderr
    (tmp_path / "sig.png").write_text("not an image")
    result = letter(invoke, profile, "objection", "meta", "--signature", "sig.png")
    assert result.exit_code == 3 and "not a PNG or JPEG" in result.stderr
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"address": {"country": "XY"}}, "country"),
        ({"language": "tlh"}, "language"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_profile_is_named(invoke, tmp_path, changes, message):
    bad = write_profile(tmp_path, **changes)
    result = letter(invoke, bad, "objection", "meta")
    assert result.exit_code == 3 and message in result.stderr and str(bad) in result.stderr


def test_missing_and_unreadable_profiles(invoke, tmp_path):
    result = invoke("letter", "objection", "meta")
    assert result.exit_code == 4 and "objector init" in result.stderr
    (tmp_path / "broken.toml").write_text("name = [unclosed")
    result = invoke("letter", "objection", "meta", "--profile", "broken.toml")
    assert result.exit_code == 3 and "not a valid TOML profile" in result.stderr


def test_no_record_leaves_no_journal(invoke, profile, objector_home):
    result = letter(invoke, profile, "objection", "meta", "--no-record", "-f", "txt")
    assert result.exit_code == 0, result.output
    assert not (objector_home / "journal.sqlite3").exists()


def test_whole_process_letter_with_prefetched_renderer(tmp_path, objector_home):
    """The console script renders in a forked helper that imported WeasyPrint meanwhile: same letter."""
    import os
    import subprocess
    import sys

    profile = write_profile(tmp_path)
    env = os.environ | {"OBJECTOR_HOME": str(objector_home)}
    done = subprocess.run([sys.executable, "-m", "objector", "letter", "objection", "meta", "--profile", str(profile),
                           "--date", DATE, "-o", "p.pdf", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    text = flat(pdf_text(tmp_path / "p.pdf"))
    assert data["reference"] in text and "Article 21(1) GDPR" in text and "Jana Nováková" in text
    bad = subprocess.run([sys.executable, "-m", "objector", "letter", "objection", "meta", "--profile", str(profile),
                          "--lang", "xx"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    assert bad.returncode == 3 and "Traceback" not in bad.stderr  # the waiting helper ends with the command


@pytest.mark.parametrize("fmt", ["html", "txt"])
def test_letter_is_reproducible_from_its_journal_entry(invoke, profile, tmp_path, objector_home, fmt):
    from objector.journal import Journal
    from objector.letters import compose
    from objector.letters import letter as letters

    result = letter(invoke, profile, "objection", "meta", "-f", fmt, "--reason", "My own words.", "--json")
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    with Journal.open(objector_home / "journal.sqlite3", create=False) as journal:
        entry = journal.get_request(written["reference"])
    assert entry.sha256 == written["sha256"]
    again, *_ = compose.produce(letters.from_inputs(entry.inputs), fmt)
    assert hashlib.sha256(again).hexdigest() == entry.sha256


def test_force_never_replaces_a_device_or_a_link(invoke, profile, tmp_path):
    import os

    result = letter(invoke, profile, "objection", "meta", "-f", "txt", "-o", "/dev/null", "--force")
    assert result.exit_code == 6 and "not a regular file" in result.stderr
    assert not os.path.isfile("/dev/null")  # still the device
    (tmp_path / "target.txt").write_text("mine")
    (tmp_path / "link.txt").symlink_to(tmp_path / "target.txt")
    result = letter(invoke, profile, "objection", "meta", "-f", "txt", "-o", "link.txt", "--force")
    assert result.exit_code == 6 and (tmp_path / "target.txt").read_text() == "mine"


def test_a_letter_the_journal_cannot_record_is_not_left_behind(invoke, profile, tmp_path, objector_home):
    objector_home.mkdir(mode=0o700)
    damaged = b"\x00not a database" * 100
    (objector_home / "journal.sqlite3").write_bytes(damaged)
    result = letter(invoke, profile, "objection", "meta", "-o", "l.pdf")
    assert result.exit_code == 7 and "left untouched" in result.stderr
    assert not (tmp_path / "l.pdf").exists()
    assert (objector_home / "journal.sqlite3").read_bytes() == damaged
