"""Archival and accessible PDFs (`--pdf-variant`) and reproducible bytes under SOURCE_DATE_EPOCH."""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from pypdf import PdfReader

from helpers import flat, pdf_text, write_profile

DATE = "2026-11-27"
EPOCH = "1764806400"  # 2025-12-04T00:00:00Z


@pytest.fixture
def profile(tmp_path):
    return write_profile(tmp_path)


def letter(invoke, profile, output: str, *args):
    result = invoke("letter", "objection", "meta", "--profile", profile, "--date", DATE, "-o", output, "--no-record",
                    *args)
    assert result.exit_code == 0, result.output
    return PdfReader(output)


def xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


@pytest.mark.parametrize(("variant", "part", "level"), [("pdf/a-3b", "3", "B"), ("pdf/a-2b", "2", "B"),
                                                         ("pdf/a-3u", "3", "U")])
def test_pdf_a_carries_its_claim_and_an_srgb_output_intent(invoke, profile, variant, part, level):
    reader = letter(invoke, profile, "a.pdf", "--pdf-variant", variant)
    metadata = xmp(reader)
    assert f'pdfaid:part="{part}"' in metadata or f"<pdfaid:part>{part}</pdfaid:part>" in metadata, metadata
    assert f'pdfaid:conformance="{level}"' in metadata or f"<pdfaid:conformance>{level}</pdfaid:conformance>" in metadata
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in str(intent.get("/OutputConditionIdentifier", ""))
    text = flat(pdf_text("a.pdf"))
    assert "Jana Nováková" in text and "Article 21(1) GDPR" in text


def test_pdf_ua_has_language_title_and_structure(invoke, profile):
    reader = letter(invoke, profile, "ua.pdf", "--pdf-variant", "pdf/ua-1", "--lang", "de")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert root["/MarkInfo"]["/Marked"].value is True and root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert "/StructTreeRoot" in root
    assert "Widerspruch" in reader.metadata.title and "DSGVO" in reader.metadata.title
    assert "pdfuaid:part" in xmp(reader)


def test_a_plain_pdf_is_the_default_and_claims_no_variant(invoke, profile):
    reader = letter(invoke, profile, "plain.pdf")
    assert "/OutputIntents" not in reader.trailer["/Root"] and "/Metadata" not in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_an_unknown_variant_is_refused_before_anything_is_written(invoke, profile, tmp_path):
    result = invoke("letter", "objection", "meta", "--profile", profile, "--pdf-variant", "pdf/x-4")
    assert result.exit_code == 3
    assert result.stderr.strip() == ("objector: --pdf-variant: 'pdf/x-4' is not one of pdf, pdf/a-2b, pdf/a-3b, "
                                     "pdf/a-3u, pdf/ua-1")
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize("variant", ["pdf", "pdf/a-3b", "pdf/ua-1"])
def test_two_renders_are_byte_identical_under_source_date_epoch(invoke, profile, tmp_path, monkeypatch, variant):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr("objector.letters.request.new_reference", lambda kind, year: "OBJ-2026-7K3F9Q")  # else drawn at random
    letter(invoke, profile, "one.pdf", "--pdf-variant", variant)
    reader = letter(invoke, profile, "two.pdf", "--pdf-variant", variant)
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    assert reader.metadata["/CreationDate"].startswith("D:20251204000000")


def test_without_source_date_epoch_the_creation_date_is_now(invoke, profile, monkeypatch):
    from datetime import datetime

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    reader = letter(invoke, profile, "now.pdf")
    assert reader.metadata["/CreationDate"].startswith("D:" + datetime.now(UTC).strftime("%Y%m%d"))


def test_a_bad_source_date_epoch_is_an_input_error(invoke, profile, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = invoke("letter", "objection", "meta", "--profile", profile, "--no-record")
    assert result.exit_code == 3
    assert result.stderr.strip() == "objector: SOURCE_DATE_EPOCH: 'yesterday' is not a number of seconds since 1970"


def test_batch_and_followup_take_the_variant(invoke, profile, tmp_path, monkeypatch):
    (tmp_path / "rows.csv").write_text("kind,controller,name,email,street,city,country,date\n"
                                       "access,meta,Jana Nováková,jana@example.org,Dlouhá 12,Praha,CZ,2026-11-27\n",
                                       "utf-8")
    result = invoke("batch", "rows.csv", "-j", "1", "--pdf-variant", "pdf/a-3b", "--json")
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)["written"][0]
    assert 'pdfaid:part="3"' in xmp(PdfReader(written["path"])) or "<pdfaid:part>3<" in xmp(PdfReader(written["path"]))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    assert invoke("log", "sent", written["reference"], "--via", "email", "--on", "2026-11-30").exit_code == 0
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-04")
    reminder = invoke("followup", written["reference"], "-o", "reminder.pdf", "--pdf-variant", "pdf/ua-1")
    assert reminder.exit_code == 0, reminder.output
    reader = PdfReader("reminder.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "en" and "pdfuaid:part" in xmp(reader)
    bad = invoke("batch", "rows.csv", "--pdf-variant", "pdf/a-9")
    assert bad.exit_code == 3 and "--pdf-variant: 'pdf/a-9' is not one of" in bad.stderr
