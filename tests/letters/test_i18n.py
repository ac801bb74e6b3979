"""Letters in every language objector writes: catalogs complete and current, each letter localized through and through.

The first ten languages' expectations are written out below; every later language brings its own in
tests/data/languages/<ll>.toml, written by hand by its translator (never computed by the code under test)."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from helpers import flat, pdf_pages, pdf_text, write_profile

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "pt", "ro", "sv")

# What a reader of each language must find, written out by hand (not computed by the code under test).
EXPECTED = {
    "en": ("27 November 2026", "IRELAND", "GDPR", "Article 21(1) GDPR", "Article 15(1)(h) GDPR"),
    "de": ("27. November 2026", "IRLAND", "DSGVO", "Art. 21 Abs. 1 DSGVO", "Art. 15 Abs. 1 lit. h DSGVO"),
    "fr": ("27 novembre 2026", "IRLANDE", "RGPD", "article 21, paragraphe 1, du RGPD", "article 15, paragraphe 1, point h), du RGPD"),
    "es": ("27 de noviembre de 2026", "IRLANDA", "RGPD", "artículo 21.1 del RGPD", "artículo 15.1.h) del RGPD"),
    "it": ("27 novembre 2026", "IRLANDA", "GDPR", "art. 21, par. 1, del GDPR", "art. 15, par. 1, lett. h), del GDPR"),
    "nl": ("27 november 2026", "IERLAND", "AVG", "artikel 21 lid 1 AVG", "artikel 15 lid 1 onder h AVG"),
    "pl": ("27 listopada 2026", "IRLANDIA", "RODO", "art. 21 ust. 1 RODO", "art. 15 ust. 1 lit. h RODO"),
    "pt": ("27 de novembro de 2026", "IRLANDA", "RGPD", "artigo 21.º, n.º 1, do RGPD", "artigo 15.º, n.º 1, alínea h), do RGPD"),
    "ro": ("27 noiembrie 2026", "IRLANDA", "RGPD", "art. 21 alin. (1) din RGPD", "art. 15 alin. (1) lit. h) din RGPD"),
    "sv": ("27 november 2026", "IRLAND", "dataskyddsförordningen", "artikel 21.1 i dataskyddsförordningen", "artikel 15.1 h i dataskyddsförordningen"),
}

# The new kinds' citations, by hand: 17(1)(a) and 17(2) (erasure), 20(2) (portability), 16 (rectification),
# 18(3) (restriction), 7(3) (withdrawal of consent).
EXPECTED_RIGHTS = {
    "en": ("Article 17(1)(a) GDPR", "Article 17(2) GDPR", "Article 20(2) GDPR", "Article 16 GDPR", "Article 18(3) GDPR", "Article 7(3) GDPR"),
    "de": ("Art. 17 Abs. 1 lit. a DSGVO", "Art. 17 Abs. 2 DSGVO", "Art. 20 Abs. 2 DSGVO", "Art. 16 DSGVO", "Art. 18 Abs. 3 DSGVO", "Art. 7 Abs. 3 DSGVO"),
    "fr": ("article 17, paragraphe 1, point a), du RGPD", "article 17, paragraphe 2, du RGPD", "article 20, paragraphe 2, du RGPD", "article 16 du RGPD", "article 18, paragraphe 3, du RGPD", "article 7, paragraphe 3, du RGPD"),
    "es": ("artículo 17.1.a) del RGPD", "artículo 17.2 del RGPD", "artículo 20.2 del RGPD", "artículo 16 del RGPD", "artículo 18.3 del RGPD", "artículo 7.3 del RGPD"),
    "it": ("art. 17, par. 1, lett. a), del GDPR", "art. 17, par. 2, del GDPR", "art. 20, par. 2, del GDPR", "art. 16 del GDPR", "art. 18, par. 3, del GDPR", "art. 7, par. 3, del GDPR"),
    "nl": ("artikel 17 lid 1 onder a AVG", "artikel 17 lid 2 AVG", "artikel 20 lid 2 AVG", "artikel 16 AVG", "artikel 18 lid 3 AVG", "artikel 7 lid 3 AVG"),
    "pl": ("art. 17 ust. 1 lit. a RODO", "art. 17 ust. 2 RODO", "art. 20 ust. 2 RODO", "art. 16 RODO", "art. 18 ust. 3 RODO", "art. 7 ust. 3 RODO"),
    "pt": ("artigo 17.º, n.º 1, alínea a), do RGPD", "artigo 17.º, n.º 2, do RGPD", "artigo 20.º, n.º 2, do RGPD", "artigo 16.º do RGPD", "artigo 18.º, n.º 3, do RGPD", "artigo 7.º, n.º 3, do RGPD"),
    "ro": ("art. 17 alin. (1) lit. a) din RGPD", "art. 17 alin. (2) din RGPD", "art. 20 alin. (2) din RGPD", "art. 16 din RGPD", "art. 18 alin. (3) din RGPD", "art. 7 alin. (3) din RGPD"),
    "sv": ("artikel 17.1 a i dataskyddsförordningen", "artikel 17.2 i dataskyddsförordningen", "artikel 20.2 i dataskyddsförordningen", "artikel 16 i dataskyddsförordningen", "artikel 18.3 i dataskyddsförordningen", "artikel 7.3 i dataskyddsförordningen"),
}
# Every later language: tests/data/languages/<ll>.toml (date, ireland, short, name, cite: the eight citations above
# in order, objection_subject, complaint_phrase).
LANGUAGE_DATA = {path.stem: tomllib.loads(path.read_text("utf-8"))
                 for path in sorted((REPO / "tests" / "data" / "languages").glob("*.toml"))}
for _lang, _data in LANGUAGE_DATA.items():
    _cites = [c.replace("\u00a0", " ") for c in _data["cite"]]
    EXPECTED[_lang] = (_data["date"], _data["ireland"], _data["short"], _cites[0], _cites[1])
    EXPECTED_RIGHTS[_lang] = tuple(_cites[2:])
LANGUAGES = LANGUAGES + tuple(LANGUAGE_DATA)

# Each new kind with options that bring in every optional paragraph (the person's words are kept as given).
RIGHTS = {
    "erasure": {"grounds": ["a", "b", "c", "d", "e", "f"], "made_public": True},
    "portability": {"transmit_to": "Example Social B.V."},
    "rectification": {"corrections": ["Date of birth: 4 May 1990"], "completions": ["Former name: Dvořáková"]},
    "restriction": {"grounds": ["a", "b", "c", "d"]},
    "withdraw-consent": {"consents": ["personalised advertising"]},
}


def english_fragments() -> list[str]:
    """Stretches of English source text long enough that finding one means a sentence was left untranslated."""
    from babel.messages.pofile import read_po

    catalog = read_po((REPO / "locales" / "objector.pot").open("rb"))
    fragments = []
    for message in catalog:
        if message.id:
            for part in re.split(r"%\(\w+\)s|\{\w+\}", message.id):
                if len(part.strip()) >= 18:
                    fragments.append(part.strip())
    return fragments


def test_every_language_is_supported():
    from objector.i18n import supported_languages

    assert set(supported_languages()) == set(LANGUAGES)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each language's objection, access letter and reminder as PDF text, rendered when a test first asks for that
    language (tests run spread over processes: each renders only the languages it checks)."""
    import dataclasses

    from objector.letters import compose
    from objector.letters import letter as letters
    from objector.people import profile

    folder = tmp_path_factory.mktemp("i18n")
    person = profile.from_dict(tomllib.loads((REPO / "examples" / "profile.toml").read_text("utf-8")))
    facts = letters.FollowupFacts(kind="objection", purpose="ai-training", written=date(2026, 11, 27),
                                  sent=date(2026, 11, 30), received=date(2026, 12, 5), receipt_assumed=True,
                                  due=date(2027, 1, 5), extended=False)
    out: dict = {}

    class Rendered:
        def __getitem__(self, key):
            lang, _ = key
            if key not in out:
                for kind in ("objection", "access", "reminder"):
                    request = letters.prepare("objection" if kind == "reminder" else kind, "meta", person, lang=lang,
                                              on=date(2026, 11, 27), reference=f"{kind[:3].upper()}-2026-7K3F9Q")
                    if kind == "reminder":
                        request = dataclasses.replace(request, kind="reminder", on=date(2027, 1, 12), followup=facts,
                                                      purpose=None)
                    data, pages, _, warnings = compose.produce(request, "pdf")
                    path = folder / f"{lang}-{kind}.pdf"
                    path.write_bytes(data)
                    out[lang, kind] = (flat(pdf_text(path)), pdf_pages(path), warnings)
            return out[key]

    return Rendered()


@pytest.fixture(scope="module")
def rendered_rights(tmp_path_factory):
    """Each language's erasure, portability, rectification, restriction and withdrawal letter, rendered when first
    asked for. The erasure letter (the longest) goes through WeasyPrint, so that a missing glyph would show; the
    others are read as the plain text derived from the same HTML, which keeps the module fast."""
    from objector.letters import compose
    from objector.letters import letter as letters
    from objector.people import profile

    folder = tmp_path_factory.mktemp("i18n-rights")
    person = profile.from_dict(tomllib.loads((REPO / "examples" / "profile.toml").read_text("utf-8")))
    out: dict = {}

    class Rendered:
        def __getitem__(self, key):
            lang, _ = key
            if key not in out:
                for kind, options in RIGHTS.items():
                    request = letters.prepare(kind, "meta", person, lang=lang, on=date(2026, 11, 27), options=options,
                                              reference=f"{kind[:3].upper()}-2026-7K3F9Q")
                    fmt = "pdf" if kind == "erasure" else "txt"
                    data, _, _, warnings = compose.produce(request, fmt)
                    path = folder / f"{lang}-{kind}.{fmt}"
                    path.write_bytes(data)
                    out[lang, kind] = (flat(pdf_text(path) if fmt == "pdf" else data.decode("utf-8")), warnings)
            return out[key]

    return Rendered()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_right_is_localized_through_and_through(rendered_rights, lang):
    day, country, regulation, _, _ = EXPECTED[lang]
    erasure_a, erasure_2, portability_2, rectification, restriction_3, consent_3 = EXPECTED_RIGHTS[lang]
    expected = {
        "erasure": (erasure_a, erasure_2, "ERA-2026-7K3F9Q"),
        "portability": (portability_2, "Example Social B.V.", "POR-2026-7K3F9Q"),
        "rectification": (rectification, "4 May 1990", "Dvořáková", "REC-2026-7K3F9Q"),
        "restriction": (restriction_3, "RES-2026-7K3F9Q"),
        "withdraw-consent": (consent_3, "personalised advertising", "WIT-2026-7K3F9Q"),
    }
    fragments = english_fragments() if lang != "en" else []
    for kind, wanted in expected.items():
        text, warnings = rendered_rights[lang, kind]
        assert not warnings, (lang, kind)
        for item in (day, country, regulation, "Meta Platforms Ireland Limited", "D04 X2K5", *wanted):
            assert item in text, (lang, kind, item)
        leftovers = [f for f in fragments if f in text and f not in {"personalised advertising"}]
        assert not leftovers, (lang, kind, leftovers)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_letter_is_localized_through_and_through(rendered, lang):
    day, country, regulation, cite_21_1, cite_15_1_h = EXPECTED[lang]
    objection, pages, warnings = rendered[lang, "objection"]
    access, access_pages, access_warnings = rendered[lang, "access"]
    reminder, _, reminder_warnings = rendered[lang, "reminder"]
    assert not warnings and not access_warnings and not reminder_warnings  # no missing glyph, no failed resource
    for expected in (day, country, regulation, cite_21_1, "OBJ-2026-7K3F9Q", "Meta Platforms Ireland Limited", "D04 X2K5"):
        assert expected in objection, (lang, expected)
    for expected in (day, cite_15_1_h, "ACC-2026-7K3F9Q"):
        assert expected in access, (lang, expected)
    for expected in (day, country, "REM-2026-7K3F9Q", cite_21_1):  # the first letter's date and its article
        assert expected in reminder, (lang, expected)
    if lang != "en":
        leftovers = [f for f in english_fragments() if f in objection or f in access or f in reminder]
        assert not leftovers, (lang, leftovers)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_letter_takes_about_as_many_pages_as_the_english_one(rendered, lang):
    # Romance languages run about a tenth longer than English: a last paragraph and the closing may spill
    # onto one more page, but a missing or doubled text would show as more.
    for kind in ("objection", "access", "reminder"):
        assert 0 <= rendered[lang, kind][1] - rendered["en", kind][1] <= 1, (lang, kind)


def test_lang_option_and_unsupported_language(invoke, tmp_path):
    profile = write_profile(tmp_path)
    result = invoke("letter", "objection", "meta", "--profile", profile, "--lang", "de", "--date", "2026-11-27", "-f", "txt", "-o", "de.txt")
    assert result.exit_code == 0, result.output
    assert "Art. 21 Abs. 1 DSGVO" in flat((tmp_path / "de.txt").read_text("utf-8"))
    result = invoke("letter", "objection", "meta", "--profile", profile, "--lang", "ja")
    assert result.exit_code == 3
    assert result.stderr.strip() == f"objector: no letters in 'ja': objector writes in {', '.join(sorted(LANGUAGES, key=lambda c: (c != 'en', c)))}"
    assert not list(tmp_path.glob("*.pdf"))


def test_profile_language_is_the_default(invoke, tmp_path):
    profile = write_profile(tmp_path, language="pl")
    result = invoke("letter", "access", "meta", "--profile", profile, "--date", "2026-11-27", "-f", "txt", "-o", "pl.txt")
    assert result.exit_code == 0, result.output
    assert "27 listopada 2026" in flat((tmp_path / "pl.txt").read_text("utf-8"))


# ------------------------------------------------------------------------------------------------ catalogs


def extracted_ids() -> set[str]:
    """The messages the sources contain now, extracted the way `pybabel extract -F pyproject.toml` does."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import _parse_mappings_from_toml

    with (REPO / "pyproject.toml").open("rb") as handle:
        method_map, options_map = _parse_mappings_from_toml(handle, style="pyproject.toml")
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    ids = set()
    for _, _, message, _, _ in extract_from_dir(str(REPO), method_map, options_map, keywords=keywords):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def catalog(path: Path):
    from babel.messages.pofile import read_po

    return read_po(BytesIO(path.read_bytes()))


def test_template_is_current_with_the_sources():
    pot = {m.id for m in catalog(REPO / "locales" / "objector.pot") if m.id}
    assert extracted_ids() == pot, "run the pybabel extract command in README (Translating)"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_catalog_is_complete_and_keeps_placeholders(lang):
    pot = {m.id for m in catalog(REPO / "locales" / "objector.pot") if m.id}
    po = catalog(REPO / "locales" / lang / "LC_MESSAGES" / "objector.po")
    messages = {m.id: m for m in po if m.id}
    assert set(messages) >= pot, f"{lang}: missing {sorted(pot - set(messages))[:3]}"
    for msgid in pot:
        message = messages[msgid]
        assert message.string and not message.fuzzy, f"{lang}: untranslated or fuzzy: {msgid[:60]}"
        placeholders = lambda text: sorted(re.findall(r"%\(\w+\)s|\{\w+\}", text))  # noqa: E731
        assert placeholders(message.string) == placeholders(msgid), f"{lang}: placeholders differ in {msgid[:60]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_glossary_names_the_law_and_its_source(lang):
    from objector.i18n import glossary

    entry = glossary(lang)
    for law in ("gdpr", "uk-gdpr"):
        fields = entry.laws[law]
        assert {"name", "short", "article", "paragraph", "point", "source"} <= set(fields)
        assert "EUR-Lex" in entry.laws["gdpr"]["source"] or lang == "en" and "EUR-Lex" in fields["source"] or law == "uk-gdpr"


@pytest.fixture(scope="module")
def complaints(tmp_path_factory):
    """One refused objection, and the complaint about it written in each language asked for (txt)."""
    from typer.testing import CliRunner

    from helpers import refused_journal
    from objector.cli import app

    folder = tmp_path_factory.mktemp("i18n-complaints")
    out: dict = {}
    with refused_journal(folder, {"objection": []}) as (env, refs):
        reference = refs["objection"]

        def complaint(lang: str) -> str:
            if lang not in out:
                import os

                saved = {k: os.environ.get(k) for k in env}
                os.environ.update(env)
                try:
                    path = folder / f"complaint-{lang}.txt"
                    result = CliRunner().invoke(app, ["complaint", reference, "--lang", lang, "-f", "txt", "-o", str(path),
                                                      "--authority", "ie-dpc"])
                    assert result.exit_code == 0, (lang, result.output)
                    out[lang] = (flat(path.read_text("utf-8")), reference)
                finally:
                    for k, v in saved.items():
                        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
            return out[lang]

        yield complaint


@pytest.mark.parametrize("lang", sorted(LANGUAGE_DATA))
def test_later_languages_objection_and_complaint_say_what_a_reader_expects(rendered, complaints, lang):
    data = LANGUAGE_DATA[lang]
    objection = rendered[lang, "objection"][0]
    for expected in (data["name"], data["objection_subject"]):
        assert flat(expected) in objection, (lang, expected)
    text, reference = complaints(lang)
    for expected in (data["complaint_phrase"], reference, data["short"], "Meta Platforms Ireland Limited"):
        assert flat(expected) in text, (lang, expected)
    leftovers = [f for f in english_fragments() if f in text]
    assert not leftovers, (lang, leftovers)
