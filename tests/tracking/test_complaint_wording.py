"""What the complaint and the restriction letter call things, in all ten languages: an objection is an objection
and a withdrawal of consent a withdrawal (never a "request") in the complaint's subject and timeline; the reference
never breaks at its hyphens; Polish dates carry "r." in the complaint's tables too; a German Land's authority is
named as the Land's; Art. 18(2) names whose important public interest counts, as the GDPR and the UK GDPR word it."""

from __future__ import annotations

import re

import pytest

from helpers import emailed_letter, flat, pdf_text, refused_journal, write_profile

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "pt", "ro", "sv")
# How each language's complaint subject names the letter complained of, written out by hand.
SUBJECT_NOUNS = {
    "objection": {
        "en": "concerning my objection under", "de": "wegen meines Widerspruchs gemäß",
        "fr": "concernant mon opposition du", "es": "relativa a mi oposición al amparo del",
        "it": "relativo alla mia opposizione ai sensi", "nl": "over mijn bezwaar op grond van",
        "pl": "dotycząca mojego sprzeciwu wniesionego na podstawie", "pt": "relativa à minha oposição ao abrigo do",
        "ro": "privind opoziția mea formulată în temeiul", "sv": "avseende min invändning enligt",
    },
    "withdraw-consent": {
        "en": "concerning my withdrawal of consent under", "de": "wegen des Widerrufs meiner Einwilligung gemäß",
        "fr": "concernant le retrait de mon consentement du", "es": "relativa a la retirada de mi consentimiento",
        "it": "relativo alla revoca del mio consenso", "nl": "over de intrekking van mijn toestemming",
        "pl": "dotycząca wycofania mojej zgody na podstawie", "pt": "relativa à retirada do meu consentimento",
        "ro": "privind retragerea consimțământului meu", "sv": "avseende återkallelsen av mitt samtycke",
    },
    "access": {
        "en": "concerning my request under", "de": "wegen meines Antrags gemäß", "fr": "concernant ma demande du",
        "es": "relativa a mi solicitud", "it": "relativo alla mia richiesta", "nl": "over mijn verzoek",
        "pl": "dotycząca mojego żądania", "pt": "relativa ao meu pedido", "ro": "privind cererea mea",
        "sv": "avseende min begäran",
    },
}
# The word each language uses for a request: neither an objection's nor a withdrawal's subject or timeline may use it.
REQUEST_WORDS = {"en": "request", "de": "antrag", "fr": "demande", "es": "solicitud", "it": "richiesta",
                 "nl": "verzoek", "pl": "żądani", "pt": "pedido", "ro": "cerer", "sv": "begäran"}
# The timeline's first row: the letter, whatever its kind.
WRITTEN = {"en": "My letter written and dated", "de": "Mein Schreiben verfasst und datiert",
           "fr": "Mon courrier rédigé et daté", "es": "Mi escrito redactado y fechado",
           "it": "La mia lettera redatta e datata", "nl": "Mijn brief opgesteld en gedagtekend",
           "pl": "Sporządzenie i datowanie mojego pisma", "pt": "A minha carta redigida e datada",
           "ro": "Scrisoarea mea redactată și datată", "sv": "Mitt brev upprättat och daterat"}
# Section 1's heading for the two kinds that are not requests.
HEADINGS = {
    "objection": {"en": "The objection", "de": "Der Widerspruch", "fr": "L’opposition", "es": "La oposición",
                  "it": "L’opposizione", "nl": "Het bezwaar", "pl": "Sprzeciw", "pt": "A oposição", "ro": "Opoziția",
                  "sv": "Invändningen"},
    "withdraw-consent": {"en": "The withdrawal of consent", "de": "Der Widerruf der Einwilligung",
                         "fr": "Le retrait du consentement", "es": "La retirada del consentimiento",
                         "it": "La revoca del consenso", "nl": "De intrekking van de toestemming",
                         "pl": "Wycofanie zgody", "pt": "A retirada do consentimento",
                         "ro": "Retragerea consimțământului", "sv": "Återkallelsen av samtycket"},
}
OPTIONS = {"objection": [], "withdraw-consent": ["--consent", "personalised advertising"], "access": []}


def plain(html: str) -> str:
    return flat(re.sub(r"<[^>]+>", "", html))


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    """An objection, a withdrawal of consent and an access request, each refused, in one journal."""
    with refused_journal(tmp_path_factory.mktemp("wording"), OPTIONS) as journal:
        yield journal


@pytest.mark.parametrize("lang", LANGUAGES)
def test_complaint_names_the_kind_and_keeps_references_whole(refused, monkeypatch, lang):
    from objector.tracking import complaint

    env, refs = refused
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for kind, ref in refs.items():
        c = complaint.prepare(ref, lang=lang)
        html = complaint.produce(c, "html")[0].decode("utf-8")
        subject = re.search(r'<h1 class="subject">(.*?)</h1>', html, re.S).group(1)
        timeline = re.search(r'<table class="facts timeline">(.*?)</table>', html, re.S).group(1)
        documents = re.search(r'<table class="facts documents">(.*?)</table>', html, re.S).group(1)
        assert SUBJECT_NOUNS[kind][lang] in plain(subject), (kind, plain(subject))
        assert WRITTEN[lang] in plain(timeline), (kind, plain(timeline))
        if kind != "access":
            assert f'<h2 class="section">1. {HEADINGS[kind][lang]}</h2>' in html
            for text in (subject, timeline, documents):
                assert REQUEST_WORDS[lang] not in plain(text).lower(), (kind, plain(text))
        # Both references stay on one line: the request's in the subject, the complaint's in the closing line.
        assert f'<span class="cite">{ref}</span>' in subject
        assert f'<span class="cite">{c.reference}</span>' in html.split("</h1>", 1)[1]
        assert "<title>" + plain(subject) in flat(html)  # the PDF's title stays plain text
        days = re.findall(r'<td class="when">(.*?)</td>', timeline + documents)
        assert days and all(day.endswith("\u00a0r.") == (lang == "pl") for day in days), days


def test_polish_complaint_pdf_prints_r_after_every_table_date(invoke, tmp_path, monkeypatch):
    profile = write_profile(tmp_path)
    ref = emailed_letter(invoke, monkeypatch, profile, sent="2026-11-30")
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-08")
    result = invoke("complaint", ref, "--lang", "pl", "-o", "skarga.pdf")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(tmp_path / "skarga.pdf"))
    assert f"dotycząca mojego sprzeciwu wniesionego na podstawie art. 21 ust. 1 RODO z dnia 30 listopada 2026 r., znak {ref}" in text
    assert "30 listopada 2026 r. Sporządzenie i datowanie mojego pisma" in text
    assert "30 listopada 2026 r. Wysłanie mojego pisma pocztą elektroniczną" in text
    assert "30 grudnia 2026 r. Upływ terminu na odpowiedź" in text
    assert f"30 listopada 2026 r. Moje pismo: {ref}-objection-meta.txt" in text


@pytest.mark.parametrize(("lang", "expected"), [
    ("de", "Mein gewöhnlicher Aufenthalt liegt in Ihrem Zuständigkeitsbereich (Berlin, Deutschland)"),
    ("en", "I live in Berlin, Germany; you are the supervisory authority of my habitual residence."),
])
def test_a_land_authority_is_named_for_its_land(invoke, tmp_path, monkeypatch, lang, expected):
    profile = write_profile(tmp_path, language="de", address={"lines": ["Lindenstraße 5"], "postcode": "10115",
                                                              "city": "Berlin", "country": "DE", "region": "BE"})
    ref = emailed_letter(invoke, monkeypatch, profile, kind="access", sent="2026-11-30")
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-05")
    result = invoke("complaint", ref, "--lang", lang, "-o", "c.pdf")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(tmp_path / "c.pdf"))
    assert expected in text
    assert "Zuständigkeitsbereich (Deutschland)" not in text


# Art. 18(2) in each language's official text of the GDPR: whose important public interest counts.
PUBLIC_INTEREST = {
    "en": "for reasons of important public interest of the Union or of a Member State",
    "de": "aus Gründen eines wichtigen öffentlichen Interesses der Union oder eines Mitgliedstaats",
    "fr": "pour des motifs importants d’intérêt public de l’Union ou d’un État membre",
    "es": "por razones de interés público importante de la Unión o de un determinado Estado miembro",
    "it": "per motivi di interesse pubblico rilevante dell’Unione o di uno Stato membro",
    "nl": "om gewichtige redenen van algemeen belang voor de Unie of voor een lidstaat",
    "pl": "z uwagi na ważne względy interesu publicznego Unii lub państwa członkowskiego",
    "pt": "por motivos ponderosos de interesse público da União ou de um Estado-Membro",
    "ro": "din motive de interes public important al Uniunii sau al unui stat membru",
    "sv": "av skäl som rör ett viktigt allmänintresse för unionen eller för en medlemsstat",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_restriction_letter_names_whose_public_interest(invoke, tmp_path, lang):
    profile = write_profile(tmp_path, language=lang)
    result = invoke("letter", "restriction", "meta", "--ground", "a", "--profile", profile, "--date", "2026-11-30",
                    "-o", "r.pdf")
    assert result.exit_code == 0, result.output
    text = re.sub(r"(\w)- (\w)", r"\1-\2", flat(pdf_text(tmp_path / "r.pdf")))  # "Estado-Membro" may wrap
    assert PUBLIC_INTEREST[lang] in text


def test_uk_restriction_letter_names_the_united_kingdoms_public_interest(invoke, tmp_path):
    profile = write_profile(tmp_path, address={"lines": ["10 Downing Street"], "postcode": "SW1A 2AA",
                                               "city": "London", "country": "GB", "region": ""})
    result = invoke("letter", "restriction", "meta", "--ground", "a", "--profile", profile, "--date", "2026-11-30",
                    "-o", "r.pdf")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(tmp_path / "r.pdf"))
    assert "for reasons of important public interest of the United Kingdom (Article 18(2) UK GDPR)" in text
    assert "Member State" not in text
