"""`objector guide` for each region and language, and `--format form` (the text for Meta's form field)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import write_profile

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "pt", "ro", "sv")
AI_FORM = "https://www.facebook.com/help/contact/6359191084165019"
FB_OBJECTION = "https://www.facebook.com/help/contact/1994830130782319"
IG_OBJECTION = "https://help.instagram.com/contact/117037592428568"
THIRD_PARTY = "https://www.facebook.com/help/contact/1266025207620918"
REASON = ("I am a freelance illustrator and my portfolio on Instagram is how clients find me. My drawings are my "
          "livelihood: a model trained on them can imitate my style and compete with me for the same commissions, "
          "without my consent and without any payment. I also post photos of my children to family and friends, "
          "and I never expected them to become training material. I have seen AI tools produce images in "
          "a style close to mine, and I cannot check whether my work was used. My situation therefore differs from "
          "that of an ordinary user: the harm is economic and personal, and it cannot be repaired later on.")


def guide(invoke, *args: str) -> str:
    result = invoke("guide", *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def test_reason_for_the_form_tests_is_600_characters():
    assert len(REASON) == 600


def test_eu_guide_walks_the_in_app_route(invoke):
    text = guide(invoke, "--country", "DE")
    for expected in ("Where you live: Germany.", "Meta Platforms Ireland Limited is the controller of your data",
                     "Under Article 21(1) GDPR you may object", "Settings, then Privacy Centre",
                     "objector letter objection meta --format form", "Accounts Centre",
                     f"{AI_FORM} (partly verified", f"{FB_OBJECTION} (verified", f"{IG_OBJECTION} (verified",
                     "Save the e-mail as a file (.eml",
                     "objector record objection meta --via app --on DATE --evidence confirmation.eml",
                     "(Article 12(3) GDPR)", "By post instead", "may not insist on its own",
                     "“Goodbye Meta AI” is a hoax", "has no legal effect",
                     "Posts by other people", "models already trained on your data are not undone",
                     "Article 17(1)(c) GDPR"):
        assert expected in text, expected
    assert "California" not in text and "two-factor" not in text
    data = json.loads(guide(invoke, "--country", "DE", "--json"))
    assert data["region"] == "eu" and data["controller"] == "meta-ireland"
    forms = {f["url"]: (f["verified"], f["status"]) for f in data["forms"]}
    assert forms == {AI_FORM: (False, "partly"), FB_OBJECTION: (True, "verified"), IG_OBJECTION: (True, "verified")}


def test_uk_guide_says_what_is_not_verified(invoke):
    text = guide(invoke, "--country", "GB")
    assert "Where you live: United Kingdom." in text and "UK GDPR" in text
    assert "Meta Platforms, Inc. is the controller of your data" in text
    assert "is not verified against Meta’s current privacy policy" in text
    assert f"{AI_FORM} (not verified for the United Kingdom)" in text
    assert "(Articles 12(3) and 12A UK GDPR)" in text and "“Goodbye Meta AI” is a hoax" in text
    data = json.loads(guide(invoke, "--country", "GB", "--json"))
    assert data["region"] == "uk" and not any(f["verified"] for f in data["forms"])


def test_california_guide_names_the_ccpa_and_what_helps(invoke):
    text = guide(invoke, "--country", "US-CA")
    for expected in ("no objection form there", "As a California resident", "CCPA",
                     "Set your Instagram account to private", "Apps and websites", "who can tag you",
                     "two-factor authentication", f"{THIRD_PARTY} (verified)", "“Goodbye Meta AI” is a hoax",
                     "What settings cannot do", "may already have been used for training"):
        assert expected in text, expected
    assert "Privacy Centre" not in text and "objector record" not in text and AI_FORM not in text


def test_california_guide_names_the_state_and_the_letters_it_can_send(invoke):
    text = guide(invoke, "--country", "US-CA")
    assert "Where you live: California, United States." in text
    assert "Letters you can send under the CCPA" in text
    for kind in ("opt-out", "access", "erasure", "rectification", "limit-sensitive"):
        assert f"`objector letter {kind} meta`" in text, kind
    assert text.index("letter opt-out meta") < text.index("letter access meta")  # the answer to ad profiling first
    assert "letter portability" not in text  # the CCPA gives no separate portability letter
    german = guide(invoke, "--country", "US-CA", "--lang", "de")
    assert "Schreiben, die Sie nach dem CCPA senden können" in german and "`objector letter opt-out meta`" in german
    texas = guide(invoke, "--country", "US-TX")
    assert "Where you live: Texas, United States." in texas and "Letters you can send under the TDPSA" in texas
    assert "letter portability meta" in texas and "limit-sensitive" not in texas
    assert "Letters you can send" not in guide(invoke, "--country", "US-NY")  # no state law objector knows


def test_us_guide_elsewhere_has_no_ccpa(invoke, tmp_path):
    text = guide(invoke, "--country", "US-TX")
    assert "no objection form there" in text and "Set your Instagram account to private" in text
    assert "California" not in text and "CCPA" not in text
    # The profile's country and region are the default.
    profile = write_profile(tmp_path, address={"country": "US", "region": "NY", "postcode": "10001", "city": "New York"})
    assert json.loads(guide(invoke, "--profile", profile, "--json"))["region"] == "us"


def test_other_countries_get_what_helps(invoke):
    text = guide(invoke, "--country", "BR")
    assert "no objection route for people in your country" in text and "two-factor" in text


def test_guide_needs_a_country(invoke):
    result = invoke("guide")
    assert result.exit_code == 3 and "--country" in result.stderr
    result = invoke("guide", "--country", "Germany")
    assert result.exit_code == 3 and "ISO 3166-1" in result.stderr


def _english_fragments() -> list[str]:
    from objector.letters import guide as guides

    messages = [v for k, v in vars(guides).items() if k.isupper() and isinstance(v, str)]
    messages += [m for k, v in vars(guides).items() if k.isupper() and isinstance(v, tuple)
                 for m in v if isinstance(m, str)]
    fragments = []
    for message in messages:
        for part in re.split(r"\{\w+\}|`[^`]*`", message):
            if len(part.strip()) >= 18:
                fragments.append(part.strip())
    return fragments


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("country", ["IE", "GB", "US-CA"])
def test_guide_in_every_language(invoke, lang, country):
    text = guide(invoke, "--country", country, "--lang", lang)
    if lang != "en":
        prose = re.sub(r"`[^`]*`", "", text)
        leftovers = [f for f in _english_fragments() if f in prose]
        assert not leftovers, (lang, leftovers)
    if country == "IE":
        assert AI_FORM in text and "objector record objection meta --via app" in text
        cite = {"en": "Article 21(1) GDPR", "de": "Art. 21 Abs. 1 DSGVO", "fr": "article 21, paragraphe 1, du RGPD",
                "pl": "art. 21 ust. 1 RODO", "sv": "artikel 21.1 i dataskyddsförordningen"}.get(lang)
        if cite:
            assert cite in text, (lang, cite)
    if country == "US-CA":
        assert THIRD_PARTY in text and "CCPA" in text


# --------------------------------------------------------------------------- --format form


@pytest.mark.parametrize("lang", LANGUAGES)
def test_form_text_fits_the_field_with_a_600_character_reason(invoke, tmp_path, lang):
    profile = write_profile(tmp_path)
    result = invoke("letter", "objection", "meta", "--profile", profile, "--lang", lang, "--format", "form",
                    "--reason", REASON, "-o", f"{lang}.txt")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    text = (tmp_path / f"{lang}.txt").read_text("utf-8")
    assert len(text) <= 1500, (lang, len(text))
    paragraphs = text.split("\n\n")
    assert REASON in paragraphs[1]  # the person's reason first, after one line that introduces it
    cite = {"en": "Article 21(1) GDPR", "de": "Art. 21 Abs. 1 DSGVO", "fr": "article 21, paragraphe 1, du RGPD",
            "es": "artículo 21.1 del RGPD", "it": "art. 21, par. 1, del GDPR", "nl": "artikel 21 lid 1 AVG",
            "pl": "art. 21 ust. 1 RODO", "pt": "artigo 21.º, n.º 1, do RGPD", "ro": "art. 21 alin. (1) din RGPD",
            "sv": "artikel 21.1 i dataskyddsförordningen"}[lang]
    assert cite in text.replace("\xa0", " ") and "Meta Platforms Ireland Limited" in text
    for absent in ("Merrion Road", "D04 X2K5", "Dlouhá", "OBJ-", "jana.novakova@example.org"):
        assert absent not in text, (lang, absent)  # no addresses, no reference box
    assert all(p[:1] == p[:1].upper() for p in paragraphs if p and p != REASON), lang
    assert "warning" not in result.stderr


def test_form_text_keeps_what_fits_and_says_when_a_reason_is_too_long(invoke, tmp_path):
    profile = write_profile(tmp_path)
    ok = invoke("letter", "objection", "meta", "--profile", profile, "-f", "form", "-o", "short.txt", "--no-record")
    text = (tmp_path / "short.txt").read_text("utf-8").replace("\xa0", " ")  # citations keep no-break spaces
    assert ok.exit_code == 0 and "compelling legitimate grounds" in text and "Article 12(3) GDPR" in text
    assert "Not recorded" in ok.stdout
    long = invoke("letter", "objection", "meta", "--profile", profile, "-f", "form", "-o", "long.txt",
                  "--reason", REASON * 3, "--no-record")
    assert long.exit_code == 0 and "shorten your --reason" in long.stderr


def test_form_is_for_objections(invoke, tmp_path):
    profile = write_profile(tmp_path)
    result = invoke("letter", "access", "meta", "--profile", profile, "-f", "form")
    assert result.exit_code == 3 and "--format txt" in result.stderr
    assert not list(Path(tmp_path).glob("*.txt"))


def test_form_is_recorded_as_sent_in_the_app(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-05-20")
    profile = write_profile(tmp_path)
    result = invoke("letter", "objection", "meta", "--profile", profile, "-f", "form", "--json")
    reference = json.loads(result.stdout)["reference"]
    assert json.loads(result.stdout)["path"].endswith("-form.txt")
    assert invoke("log", "sent", reference).exit_code == 0
    row = json.loads(invoke("status", "--json").stdout)[0]
    assert (row["via"], row["received"], row["due"]) == ("app", "2026-05-20", "2026-06-22")


def test_direct_marketing_form_needs_no_reason_and_speaks_of_the_objection(invoke, tmp_path):
    profile = write_profile(tmp_path)
    result = invoke("letter", "objection", "meta", "--profile", profile, "-f", "form", "--purpose", "direct-marketing",
                    "--lang", "de", "-o", "dm.txt", "--no-record")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "dm.txt").read_text("utf-8").replace("\xa0", " ")  # citations keep no-break spaces
    assert text.startswith("Hiermit widerspreche ich gemäß Art. 21 Abs. 2 DSGVO")
    assert "ab Zugang dieses Widerspruchs" in text and "Schreiben" not in text and len(text) <= 1500


def test_guide_only_where_objector_knows_of_ai_training(invoke):
    result = invoke("guide", "whatsapp", "--country", "DE")
    assert result.exit_code == 4 and "no record of WhatsApp Ireland Limited training AI" in result.stderr


def test_limits_agree_with_the_letter_about_other_peoples_posts(invoke):
    """The letter asks the controller to stop using data about the person in others' content: the guide must
    not say the objection cannot reach them, only that the platform's own form does not, and name the brand
    the guide is about."""
    result = invoke("guide", "--country", "DE")
    assert result.exit_code == 0, result.stderr
    meta = result.stdout
    assert "Meta’s form for your own account does not cover them" in meta
    assert "objector’s letter also asks Meta to stop using the data about you in them" in meta
    assert "your objection does not cover them" not in meta
    linkedin = invoke("guide", "linkedin", "--country", "DE").stdout
    assert "LinkedIn’s form for your own account" in linkedin and "objector controllers show linkedin" in linkedin
    assert "Meta" not in linkedin.split("What an objection cannot do")[1]
