"""`objector complaint` for every GDPR kind: the complaint names the request's article, says what was asked (the
grounds, corrections, consents, recipient from the journal's options) and what is missing for that kind."""

from __future__ import annotations

import json

import pytest

from helpers import flat, pdf_text, refused_journal, write_profile

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
    result = invoke("complaint", ref, "--lang", "en", "-o", "c.pdf")
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
    result = invoke("complaint", ref, "--lang", "en", "-f", "txt", "-o", "c.txt")
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
    result = invoke("complaint", ref, "--lang", "en", "-f", "txt", "-o", "c.txt")
    assert result.exit_code == 0, result.output
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert "Article 18(1)(c) UK GDPR" in text and "Article 19 UK GDPR" in text
    assert " GDPR," not in text.replace("UK GDPR", "")


# Each language's citation of the grounds and the articles the kinds add, written out by hand from the glossaries'
# official forms: (Art. 17(1)(d), Art. 17(3), Art. 19, Art. 12(4)).
CITATIONS = {
    "en": ("Article 17(1)(d) GDPR", "Article 17(3) GDPR", "Article 19 GDPR", "Article 12(4) GDPR"),
    "de": ("Art. 17 Abs. 1 lit. d DSGVO", "Art. 17 Abs. 3 DSGVO", "Art. 19 DSGVO", "Art. 12 Abs. 4 DSGVO"),
    "fr": ("article 17, paragraphe 1, point d), du RGPD", "article 17, paragraphe 3, du RGPD", "article 19 du RGPD",
           "article 12, paragraphe 4, du RGPD"),
    "es": ("artículo 17.1.d) del RGPD", "artículo 17.3 del RGPD", "artículo 19 del RGPD", "artículo 12.4 del RGPD"),
    "it": ("art. 17, par. 1, lett. d), del GDPR", "art. 17, par. 3, del GDPR", "art. 19 del GDPR",
           "art. 12, par. 4, del GDPR"),
    "nl": ("artikel 17 lid 1 onder d AVG", "artikel 17 lid 3 AVG", "artikel 19 AVG", "artikel 12 lid 4 AVG"),
    "pl": ("art. 17 ust. 1 lit. d RODO", "art. 17 ust. 3 RODO", "art. 19 RODO", "art. 12 ust. 4 RODO"),
    "pt": ("artigo 17.º, n.º 1, alínea d), do RGPD", "artigo 17.º, n.º 3, do RGPD", "artigo 19.º do RGPD",
           "artigo 12.º, n.º 4, do RGPD"),
    "ro": ("art. 17 alin. (1) lit. d) din RGPD", "art. 17 alin. (3) din RGPD", "art. 19 din RGPD",
           "art. 12 alin. (4) din RGPD"),
    "sv": ("artikel 17.1 d i dataskyddsförordningen", "artikel 17.3 i dataskyddsförordningen",
           "artikel 19 i dataskyddsförordningen", "artikel 12.4 i dataskyddsförordningen"),
}


@pytest.fixture(scope="module")
def refused_requests(tmp_path_factory):
    """One refused request of each new kind, in one journal, for the per-language texts."""
    with refused_journal(tmp_path_factory.mktemp("kinds"), {kind: options for kind, (options, _) in KINDS.items()},
                         via="email") as journal:
        yield journal


@pytest.mark.parametrize("lang", list(CITATIONS))
def test_every_kinds_complaint_is_translated(refused_requests, monkeypatch, lang):
    """Every new sentence in every language: the grounds, 17(3), 19 and 12(4) cited the language's way, no English."""
    from test_i18n import english_fragments

    from objector.tracking import complaint

    env, refs = refused_requests
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    ground, exceptions, notice, reasons = CITATIONS[lang]
    fragments = english_fragments() if lang != "en" else []
    for kind, ref in refs.items():
        c = complaint.prepare(ref, lang=lang)
        text = flat(complaint.produce(c, "txt")[0].decode("utf-8"))
        assert reasons in text, (kind, reasons)
        if kind in complaint.NOTIFY_KINDS:
            assert notice in text, (kind, notice)
        if kind == "erasure":
            assert ground in text and exceptions in text
        leftovers = [f for f in fragments if f in text]
        assert not leftovers, (kind, leftovers[:3])
