"""`objector complaint` for every GDPR kind: the complaint names the request's article, says what was asked (the
grounds, corrections, consents, recipient from the journal's options) and what is missing for that kind."""

from __future__ import annotations

import json

import pytest

from helpers import flat, pdf_text, write_profile

# kind → (letter options, what the complaint must say: written out by hand from the GDPR's articles)
KINDS = {
    "erasure": (
        ["--ground", "a", "--ground", "d"],
        ["I asked the controller under Article 17 GDPR to erase my personal data",
         "relying on the following grounds: Article 17(1)(a) GDPR, Article 17(1)(d) GDPR.",
         "The controller has not confirmed that my personal data have been erased",
         "on which exception under Article 17(3) GDPR it relies and why", "as Article 19 GDPR requires"],
    ),
    "portability": (
        ["--transmit-to", "Example Social Ltd"],
        ["I asked the controller under Article 20(1) GDPR to provide me with the personal data",
         "structured, commonly used and machine-readable format",
         "I also asked it to transmit these data directly to Example Social Ltd (Article 20(2) GDPR)",
         "Nor have they been transmitted directly to Example Social Ltd, as I asked under Article 20(2) GDPR"],
    ),
    "rectification": (
        ["--correction", "Date of birth: 3 May 1990", "--completion", "Former surname: Dvořáková"],
        ["I asked the controller under Article 16 GDPR to rectify inaccurate personal data", "Date of birth",
         "3 May 1990", "Former surname", "Dvořáková", "which Article 16 GDPR requires it to do without undue delay",
         "as Article 19 GDPR requires"],
    ),
    "restriction": (
        ["--ground", "a", "--ground", "d"],
        ["I asked the controller under Article 18 GDPR to restrict the processing of my personal data",
         "relying on the following grounds: Article 18(1)(a) GDPR, Article 18(1)(d) GDPR.",
         "has not confirmed that it has restricted the processing", "Article 18(2) GDPR allows it",
         "as Article 19 GDPR requires"],
    ),
    "withdraw-consent": (
        ["--consent", "personalised advertising based on my activity"],
        ["I withdrew under Article 7(3) GDPR my consent to the processing of my personal data for the following:",
         "personalised advertising based on my activity", "the consent I withdrew under Article 7(3) GDPR",
         "no other legal ground (Article 17(1)(b) GDPR)", "as Article 19 GDPR requires"],
    ),
}
# Sentences of the other kinds: none may appear in a complaint about a kind they do not describe.
FOREIGN = {"erasure": "to erase my personal data", "portability": "machine-readable format",
           "rectification": "to rectify inaccurate", "restriction": "to restrict the processing",
           "withdraw-consent": "I withdrew under"}


def overdue(invoke, tmp_path, monkeypatch, kind, options):
    """A `kind` letter written 30 Nov 2026, sent by e-mail the same day (due 30 Dec 2026); today 8 Jan 2027."""
    profile = write_profile(tmp_path)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    result = invoke("letter", kind, "meta", *options, "--profile", profile, "-f", "txt", "--date", "2026-11-30", "--json")
    assert result.exit_code == 0, result.output
    ref = json.loads(result.stdout)["reference"]
    assert invoke("log", "sent", ref, "--via", "email", "--on", "2026-11-30").exit_code == 0
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-08")
    return ref


@pytest.mark.parametrize("kind", list(KINDS))
def test_complaint_pdf_names_the_kinds_article_and_what_was_asked(invoke, tmp_path, monkeypatch, kind):
    options, expected = KINDS[kind]
    ref = overdue(invoke, tmp_path, monkeypatch, kind, options)
    result = invoke("complaint", ref, "-o", "c.pdf")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(tmp_path / "c.pdf"))
    for sentence in [*expected, ref, "30 November 2026", "30 December 2026", "Article 12(4) GDPR"]:
        assert sentence in text, sentence
    for other, sentence in FOREIGN.items():
        if other != kind:
            assert sentence not in text, (other, sentence)
    assert "I objected" not in text and "I asked the controller for access" not in text


def test_a_refusal_without_reasons_cites_article_12_4(invoke, tmp_path, monkeypatch):
    ref = overdue(invoke, tmp_path, monkeypatch, "erasure", ["--ground", "b"])
    assert invoke("log", "reply", ref, "--outcome", "refused", "--on", "2026-12-10").exit_code == 0
    result = invoke("complaint", ref, "-f", "txt", "-o", "c.txt")
    assert result.exit_code == 0, result.output
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert "On 10 December 2026 the controller refused my request." in text
    assert "Where a controller does not act on a request, Article 12(4) GDPR requires it to state its reasons" in text
    assert "relying on the following grounds: Article 17(1)(b) GDPR." in text


def test_uk_complaint_cites_the_uk_gdpr_for_the_kind(invoke, tmp_path, monkeypatch):
    profile = write_profile(tmp_path, address={"lines": ["1 High Street"], "postcode": "M1 1AA", "city": "Manchester",
                                               "country": "GB", "region": ""})
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    result = invoke("letter", "restriction", "meta", "--ground", "c", "--profile", profile, "-f", "txt",
                    "--date", "2026-11-30", "--json")
    assert result.exit_code == 0, result.output
    ref = json.loads(result.stdout)["reference"]
    assert invoke("log", "sent", ref, "--via", "email", "--on", "2026-11-30").exit_code == 0
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-08")
    result = invoke("complaint", ref, "-f", "txt", "-o", "c.txt")
    assert result.exit_code == 0, result.output
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert "Article 18(1)(c) UK GDPR" in text and "Article 19 UK GDPR" in text
    assert " GDPR," not in text.replace("UK GDPR", "")
