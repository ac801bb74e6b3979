"""What the letters say, read back from the PDFs: each legal point of issue 8 and each language fix."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from helpers import flat, pdf_text, write_profile

DATE = "2026-11-27"


def letter_text(invoke, tmp_path, profile, *args, date_=DATE, name="letter.pdf"):
    result = invoke("letter", *args, "--profile", profile, "--date", date_, "-o", name)
    assert result.exit_code == 0, result.output
    return flat(pdf_text(tmp_path / name)), result


def test_ai_objection_makes_every_argument(invoke, tmp_path):
    text, result = letter_text(invoke, tmp_path, write_profile(tmp_path), "objection", "meta")
    for sentence in [
        # public posts: the default reasons no longer say "with the people who follow me"
        "Even where anyone can see what I share there, I did not share it as material for training AI models",
        # data about the person in other people's content
        "It also covers personal data about me in content that other people share",
        # earlier objections stand
        "In so far as I objected to this processing earlier, in 2024 or 2025, that objection stands",
        # Art. 9 and the Court's narrow reading in C-252/21
        "special categories of personal data", "(Article 9(1) GDPR)", "I have manifestly made such data public within the meaning of Article 9(2)(e) GDPR",
        "judgment of 4 July 2023, C-252/21, Meta Platforms and Others",
        # models already trained
        "where my data have already been used to train models, to stop using them for any further training",
        "erase them or make them unusable at the level of the data sets and of the models",
        # erasure unless overriding grounds, and the damages reservation
        "to erase, under Article 17(1)(c) GDPR, the personal data concerning me that you process for this purpose",
        "unless you demonstrate overriding legitimate grounds for the processing",
        "I reserve the right to claim compensation under Article 82 GDPR",
    ]:
        assert sentence in text, sentence
    assert "people who follow me" not in text
    assert "no --reason given" in result.stderr  # warned: a personal reason makes the objection stronger


def test_reason_adds_to_the_arguments(invoke, tmp_path):
    reason = "I am a portrait photographer; my photos are my livelihood."
    text, result = letter_text(invoke, tmp_path, write_profile(tmp_path), "objection", "meta", "--reason", reason)
    assert reason in text
    assert "Even where anyone can see what I share there" in text and "Article 9(2)(e) GDPR" in text
    assert text.index(reason) < text.index("Even where anyone can see")
    assert "no --reason given" not in result.stderr


def test_direct_marketing_withdraws_consent_and_claims_no_more_than_article_21_3(invoke, tmp_path):
    text, result = letter_text(invoke, tmp_path, write_profile(tmp_path), "objection", "meta", "--purpose", "direct-marketing")
    assert "In so far as you rely on my consent for any of this processing, I withdraw that consent under Article 7(3) GDPR" in text
    assert "This objection needs no reasons: under Article 21(3) GDPR, my personal data may no longer be processed" in text
    assert "from the moment you receive" not in text and "Article 82" not in text
    assert "no --reason given" not in result.stderr


def test_access_asks_for_the_legal_basis_separately(invoke, tmp_path):
    text, _ = letter_text(invoke, tmp_path, write_profile(tmp_path), "access", "meta")
    assert "the purposes of the processing (Article 15(1)(a) GDPR);" in text
    assert "legal basis relied on (Article 15(1)(a)" not in text
    # The legal basis is owed under Art. 13(1)(c) and 14(1)(c); the legitimate interests under 13(1)(d) and 14(2)(b).
    assert ("Separately from my right of access, I ask you to tell me, for each purpose, the legal basis on which you rely "
            "(Article 13(1)(c) GDPR and Article 14(1)(c) GDPR) and, where you rely on legitimate interests, what those "
            "interests are (Article 13(1)(d) GDPR and Article 14(2)(b) GDPR)") in text


UK = {"lines": ["10 Downing Street"], "postcode": "SW1A 2AA", "city": "London", "country": "GB", "region": ""}


def test_uk_letters_name_the_commissioner_and_the_2025_act(invoke, tmp_path):
    profile = write_profile(tmp_path, address=UK)
    access, _ = letter_text(invoke, tmp_path, profile, "access", "meta", name="access.pdf")
    assert "lodge a complaint with the Information Commissioner (Article 15(1)(f) UK GDPR)" in access
    # From 19 June 2026 the complaint to the Commissioner rests on s.165 DPA 2018 alone (DUAA 2025 s.103, Sch. 10).
    assert ("I will complain to you under section 164A of the Data Protection Act 2018 and then to the Information "
            "Commissioner under section 165 of that Act.") in access and "Article 77" not in access
    assert "please ask for it at once (Article 12A UK GDPR)" in access
    # The one-month period: Art. 12(3) with Art. 12A; the header defines the term by s.3(10) DPA 2018.
    assert "within one month of receipt of this request (Articles 12(3) and 12A UK GDPR)" in access
    assert ("UK GDPR: Regulation (EU) 2016/679 as it forms part of the law of England and Wales, Scotland and Northern "
            "Ireland (section 3(10) of the Data Protection Act 2018)") in access
    assert "UK General Data Protection Regulation" not in access
    # Recipients named individually, without presenting the CJEU's C-154/21 as UK law.
    assert "named individually and not only by category (Article 15(1)(c) UK GDPR)" in access and "C-154/21" not in access
    objection, _ = letter_text(invoke, tmp_path, profile, "objection", "meta", name="objection.pdf")
    assert "section 164A" in objection and "C-252/21" not in objection  # a CJEU judgment of 2023 does not bind UK courts


def test_uk_complaint_to_the_controller_only_from_19_june_2026(invoke, tmp_path):
    profile = write_profile(tmp_path, address=UK)
    before, _ = letter_text(invoke, tmp_path, profile, "access", "meta", date_="2026-06-18", name="before.pdf")
    assert "section 164A" not in before and "I will complain to the Information Commissioner under Article 77 UK GDPR" in before
    after, _ = letter_text(invoke, tmp_path, profile, "access", "meta", date_="2026-06-19", name="after.pdf")
    assert "section 164A" in after


def test_missing_glyphs_are_refused_in_one_line(invoke, tmp_path):
    profile = write_profile(tmp_path, name="王小明")
    result = invoke("letter", "objection", "meta", "--profile", profile, "--date", DATE, "-o", "x.pdf")
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "王 (U+738B" in result.stderr and "明 (U+660E" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
    text = invoke("letter", "objection", "meta", "--profile", profile, "--date", DATE, "-f", "txt", "-o", "x.txt")
    assert text.exit_code == 0  # plain text shows in whatever font the reader has


# ------------------------------------------------------------------------------------------- languages

LANGUAGE_FINDS = {
    "en": ("1 September 2026", "My reference", "Dear Sir or Madam,", "GDPR: Regulation (EU) 2016/679 (General Data Protection Regulation)"),
    "de": ("1. September 2026", "Mein Zeichen", "Sehr geehrte Damen und Herren,", "DSGVO: Verordnung (EU) 2016/679 (Datenschutz-Grundverordnung)"),
    "fr": ("1er septembre 2026", "Ma référence", "Madame, Monsieur,", "RGPD : règlement (UE) 2016/679"),
    "es": ("1 de septiembre de 2026", "Mi referencia", "Estimados señores:", "RGPD: Reglamento (UE) 2016/679 (Reglamento general de protección de datos)"),
    "it": ("1º settembre 2026", "Mio riferimento", "Egregi Signori,", "GDPR: regolamento (UE) 2016/679 (regolamento generale sulla protezione dei dati)"),
    "nl": ("1 september 2026", "Mijn kenmerk", "Geachte heer, mevrouw,", "AVG: Verordening (EU) 2016/679"),
    "pl": ("1 września 2026 r.", "Mój znak", "Szanowni Państwo,", "RODO: rozporządzenie Parlamentu Europejskiego i Rady (UE) 2016/679"),
    "pt": ("1 de setembro de 2026", "A minha referência", "Exmos. Senhores,", "RGPD: Regulamento (UE) 2016/679 (Regulamento Geral sobre a Proteção de Dados)"),
    "ro": ("1 septembrie 2026", "Referința mea", "Stimate doamne, stimați domni,", "RGPD: Regulamentul (UE) 2016/679"),
    "sv": ("1 september 2026", "Min referens", "Till den det vederbör", "dataskyddsförordningen: Europaparlamentets och rådets förordning (EU) 2016/679"),
}
OBJECTION_IN_REMINDERS = {"en": "my objection under", "de": "meinen Widerspruch gemäß", "fr": "mon opposition du", "es": "mi oposición de fecha",
                          "it": "la mia opposizione ai sensi", "nl": "mijn bezwaar van", "pl": "Mój sprzeciw z dnia", "pt": "a minha oposição de",
                          "ro": "opoziția mea din", "sv": "min invändning enligt"}


@pytest.fixture(scope="module")
def first_of_september(tmp_path_factory):
    """Each language's objection dated 1 September 2026 and a reminder of it, as PDF text."""
    from objector.letters import compose
    from objector.letters import letter as letters
    from objector.people import profile

    folder = tmp_path_factory.mktemp("languages")
    person = profile.from_dict({"name": "Jana Nováková", "email": "jana@example.org", "language": "en",
                                "address": {"lines": ["Dlouhá 12"], "postcode": "110 00", "city": "Praha", "country": "CZ"},
                                "accounts": {"instagram": "jana.novak"}})
    facts = letters.FollowupFacts(kind="objection", purpose="ai-training", written=date(2026, 9, 1), sent=date(2026, 9, 1),
                                  received=date(2026, 9, 9), receipt_assumed=True, due=date(2026, 10, 9), extended=False)
    out = {}
    for lang in LANGUAGE_FINDS:
        request = letters.prepare("objection", "meta", person, lang=lang, on=date(2026, 9, 1), reference="OBJ-2026-7K3F9Q")
        reminder = dataclasses.replace(request, kind="reminder", on=date(2026, 10, 20), followup=facts, purpose=None)
        for kind, req in (("objection", request), ("reminder", reminder)):
            path = folder / f"{lang}-{kind}.pdf"
            path.write_bytes(compose.produce(req, "pdf")[0])
            out[lang, kind] = pdf_text(path)
    return out


@pytest.mark.parametrize("lang", LANGUAGE_FINDS)
def test_language_conventions(first_of_september, lang):
    raw = first_of_september[lang, "objection"]
    text = flat(raw)
    for expected in LANGUAGE_FINDS[lang]:
        assert expected in text, (lang, expected)
    assert "Hej," not in text and "Our reference" not in text
    assert "'" not in raw  # typographic apostrophes only
    assert text.count("jana@example.org") == 1 and text.count(LANGUAGE_FINDS[lang][0]) == 1  # e-mail and date once each
    reminder = flat(first_of_september[lang, "reminder"])
    assert OBJECTION_IN_REMINDERS[lang] in reminder, lang


def test_dates_and_citations_keep_together():
    from objector import i18n
    from objector.letters import letter as letters

    assert letters.long_date(date(2026, 9, 30), "de") == "30.\u00a0September\u00a02026"
    assert i18n.glossary("de").cite("gdpr", "15") == "Art.\u00a015\u00a0DSGVO"
    assert i18n.glossary("de").cite("gdpr", "21(1)") == "Art.\u00a021\u00a0Abs.\u00a01\u00a0DSGVO"


def test_uk_reminder_is_the_complaint_to_the_controller(tmp_path):
    from objector.letters import compose
    from objector.letters import letter as letters
    from objector.people import profile

    person = profile.from_dict({"name": "Ann Smith", "email": "ann@example.org", "language": "en", "address": UK,
                                "accounts": {"facebook": "ann.smith"}})
    first = letters.prepare("objection", "meta", person, on=date(2026, 7, 1), reference="OBJ-2026-7K3F9Q")
    facts = letters.FollowupFacts(kind="objection", purpose=first.purpose, written=date(2026, 7, 1), sent=date(2026, 7, 1),
                                  received=date(2026, 7, 6), receipt_assumed=True, due=date(2026, 8, 6), extended=False)
    reminder = dataclasses.replace(first, kind="reminder", on=date(2026, 8, 20), followup=facts, purpose=None)
    path = tmp_path / "reminder.pdf"
    path.write_bytes(compose.produce(reminder, "pdf")[0])
    text = flat(pdf_text(path))
    assert "This letter is also my complaint to you under section 164A of the Data Protection Act 2018" in text
    assert "acknowledge it within 30 days" in text
    assert "Reminder: my objection under Article 21(1) UK GDPR" in text and "My objection remains in full force" in text


def test_more_address_lines_than_the_window_holds_are_refused(invoke, tmp_path):
    from objector.people.profile import MAX_ADDRESS_LINES

    lines = [f"Line {i}" for i in range(MAX_ADDRESS_LINES + 1)]
    profile = write_profile(tmp_path, address={"lines": lines})
    result = invoke("letter", "objection", "meta", "--profile", profile, "--date", DATE)
    assert result.exit_code == 3 and result.stderr.count("\n") == 1
    assert f"address.lines: {MAX_ADDRESS_LINES + 1} lines" in result.stderr and f"at most {MAX_ADDRESS_LINES}" in result.stderr
    assert not list(tmp_path.glob("*.pdf"))
    assert invoke("letter", "objection", "meta", "--profile", write_profile(tmp_path, address={"lines": lines[:-1]}),
                  "--date", DATE, "-f", "txt", "-o", "ok.txt").exit_code == 0
