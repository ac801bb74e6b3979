"""The law and the wording a lawyer checked (issue 15), read back from the letters as a person would, in English
and German: the UK's complaint to the Commissioner under s.165 DPA 2018 alone, the one-month period of Articles
12(3) and 12A counted from the day of receipt, the reminder that is itself the s.164A complaint; the complaint's
sentences, rolled deadlines, partial answers, objections called objections, letters sent before their draft; the
access letter's Art. 13(1)(d)/14(2)(b); withdrawal as easy as consent; the reminder's last time limit from the day
it arrives; US Letter paper for US letters."""

from __future__ import annotations

import json
import re

import pytest

from helpers import flat, ok, pdf_pages, refused_journal, write_profile

UK = {"lines": ["1 High Street"], "postcode": "M1 1AA", "city": "Manchester", "country": "GB", "region": ""}
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "pt", "ro", "sv")


def write(invoke, tmp_path, profile, kind, *args, name, date="2026-11-27"):
    ok(invoke("letter", kind, "meta", "--profile", profile, "--date", date, "-f", "txt", "-o", name, *args))
    return flat((tmp_path / name).read_text("utf-8"))


def reference_of(result) -> str:
    return json.loads(result.stdout)["reference"]


# ------------------------------------------------------------------------------------------- UK letters


@pytest.mark.parametrize(("lang", "s165", "period", "header", "art77"), [
    ("en", "and then to the Information Commissioner under section 165 of that Act.",
     "(Articles 12(3) and 12A UK GDPR)",
     "UK GDPR: Regulation (EU) 2016/679 as it forms part of the law of England and Wales, Scotland and Northern "
     "Ireland (section 3(10) of the Data Protection Act 2018)", "Article 77"),
    ("de", "und sodann gemäß Section 165 dieses Gesetzes beim Information Commissioner (britische Datenschutzaufsicht) "
     "beschweren.", "(Art. 12 Abs. 3 und Art. 12A UK GDPR)",
     "UK GDPR: Verordnung (EU) 2016/679, soweit sie Teil des Rechts von England und Wales, Schottland und Nordirland "
     "ist (Section 3(10) Data Protection Act 2018)", "Art. 77"),
])
def test_uk_access_letter_cites_section_165_alone_and_articles_12_3_and_12a(invoke, tmp_path, lang, s165, period,
                                                                            header, art77):
    profile = write_profile(tmp_path, language=lang, address=UK)
    text = write(invoke, tmp_path, profile, "access", name="access.txt")
    assert s165 in text and art77 not in text  # DUAA 2025 s.103 and Sch. 10: no Art. 77 UK GDPR from 19 June 2026
    assert period in text and header in text
    assert "C-154/21" not in text  # a CJEU judgment of 2023 is not presented as UK law; the names are still asked for
    assert ("named individually and not only by category (Article 15(1)(c) UK GDPR)" if lang == "en"
            else "namentlich und nicht nur nach Kategorien (Art. 15 Abs. 1 lit. c UK GDPR)") in text


@pytest.mark.parametrize(("lang", "to_ico", "s164a"), [
    ("en", "I will complain to the Information Commissioner under section 165 of the Data Protection Act 2018.",
     "This letter is also my complaint to you under section 164A"),
    ("de", "werde ich mich gemäß Section 165 des Data Protection Act 2018 beim Information Commissioner "
     "(britische Datenschutzaufsicht) beschweren.", "Dieses Schreiben ist zugleich meine Beschwerde bei Ihnen gemäß "
     "Section 164A"),
])
def test_uk_reminder_is_the_s164a_complaint_and_announces_only_the_one_to_the_commissioner(
        invoke, tmp_path, monkeypatch, lang, to_ico, s164a):
    profile = write_profile(tmp_path, language=lang, address=UK)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-01")
    reference = reference_of(ok(invoke("letter", "access", "meta", "--profile", profile, "-f", "txt", "--json")))
    ok(invoke("log", "sent", reference, "--via", "email"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-20")
    ok(invoke("followup", reference, "-f", "txt", "-o", "reminder.txt"))
    text = flat((tmp_path / "reminder.txt").read_text("utf-8"))
    assert s164a in text and to_ico in text
    assert text.count("164A") == 1  # not also "I will complain to you under section 164A"
    assert ("Articles 12(3) and 12A UK GDPR" if lang == "en" else "Art. 12 Abs. 3 und Art. 12A UK GDPR") in text


@pytest.mark.parametrize(("lang", "counted"), [
    ("en", "Under Article 12A(1) UK GDPR and the Information Commissioner’s guidance, the period runs from the day on "
           "which it starts, 3 September 2026, to the corresponding date of the last month it covers"),
    ("de", "Nach Art. 12A Abs. 1 UK GDPR und den Leitlinien des Information Commissioner läuft die Frist von dem Tag "
           "an, an dem sie beginnt, dem 3. September 2026, bis zu dem Tag des letzten Monats, der dieselbe Zahl trägt"),
])
def test_uk_complaint_and_show_count_from_the_day_of_receipt(invoke, tmp_path, monkeypatch, lang, counted):
    """Art. 12A(1) UK GDPR and the ICO: the month begins with the day of receipt; nothing says it "is not counted"."""
    profile = write_profile(tmp_path, language=lang, address=UK)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-03")
    reference = reference_of(ok(invoke("letter", "access", "meta", "--profile", profile, "-f", "txt", "--json")))
    ok(invoke("log", "sent", reference, "--via", "email"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-10")
    ok(invoke("complaint", reference, "--lang", lang, "-f", "txt", "-o", "c.txt"))
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert counted in text
    assert "not counted" not in text and "nicht mitgerechnet" not in text
    shown = flat(ok(invoke("show", reference)).stdout)
    assert ("Received Thu 3 Sep 2026; the period runs from that day to the corresponding date (Art. 12A(1) UK GDPR "
            "and the ICO's guidance).") in shown and "day of receipt is not counted" not in shown
    assert "UK GDPR Arts. 12(3) and 12A: one month from receipt" in shown


# ------------------------------------------------------------------------------------------- the complaint


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    with refused_journal(tmp_path_factory.mktemp("refused"), {"objection": [], "access": []}) as journal:
        yield journal


# What a complaint about an objection must not call it, per language: the word for a request, as a whole word
# where the language also uses it in a fixed phrase ("on request", "sur demande", "a pedido").
REQUEST = {"en": r"\b(my|the) request\b", "de": r"Antrag", "fr": r"\bma demande\b|\bla demande\b",
           "es": r"solicitud", "it": r"\bla mia richiesta\b|\bla richiesta\b", "nl": r"\b(mijn|het) verzoek\b",
           "pl": r"żądani", "pt": r"\b(o meu|o) pedido\b", "ro": r"\bcererea mea\b|\bcererii mele\b|\bCererea\b",
           "sv": r"\bmin begäran\b|\bBegäran\b"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_complaint_sentences_are_spaced_and_an_objection_is_no_request(refused, monkeypatch, lang):
    from objector.letters.plaintext import html_to_text
    from objector.tracking import complaint

    env, refs = refused
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for kind, ref in refs.items():
        text = flat(html_to_text(complaint.produce(complaint.prepare(ref, lang=lang), "html")[0].decode("utf-8")))
        # "deal with it.Please quote", "ist.Bitte", "traitement.Je": two sentences glued together
        assert not re.search(r"[a-zà-ÿ][.;][A-ZÀ-Ý]", text), (lang, kind, re.search(r".{30}[a-zà-ÿ][.;][A-ZÀ-Ý].{10}", text))
        if kind == "objection":
            assert not re.search(REQUEST[lang], text), (lang, re.search(f".{{40}}({REQUEST[lang]}).{{20}}", text))
    if lang == "de":
        objection = flat(html_to_text(complaint.produce(complaint.prepare(refs["objection"], lang="de"), "html")[0]
                                      .decode("utf-8")))
        for phrase in ("Am 10. Dezember 2026 hat der Verantwortliche meinen Widerspruch zurückgewiesen.",
                       "meinem Widerspruch nicht wie verlangt stattzugeben",
                       "den Verantwortlichen anzuweisen, meinem Widerspruch stattzugeben",
                       "Herren, hiermit erhebe ich gemäß Art. 77 Abs. 1 DSGVO Beschwerde"):
            assert phrase in objection, phrase


@pytest.fixture
def june_bank_holiday(invoke, tmp_path, monkeypatch):
    """An objection e-mailed on Thu 30 Apr 2026: one month later is Sat 30 May; Sun 31 May; Mon 1 June is Ireland's
    June Bank Holiday; the time limit ends on Tue 2 June 2026. Answered in part on 5 June."""
    profile = write_profile(tmp_path)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-04-30")
    reference = reference_of(ok(invoke("letter", "objection", "meta", "--profile", profile, "-f", "txt", "--json")))
    ok(invoke("log", "sent", reference, "--via", "email"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-06-20")
    return reference


@pytest.mark.parametrize(("lang", "rolled", "partial", "missing"), [
    ("en", "30 May 2026 is a Saturday, 31 May 2026 is a Sunday and 1 June 2026 is a public holiday (June Bank Holiday), "
     "so the time limit ended with the next working day, 2 June 2026.",
     "On 5 June 2026 the controller gave effect to my objection only in part.",
     "Its answer is incomplete; what is still missing: “the date from which my objection applies”."),
    ("de", "Der 30. Mai 2026 ist ein Samstag, der 31. Mai 2026 ist ein Sonntag und der 1. Juni 2026 ist ein "
     "gesetzlicher Feiertag (June Bank Holiday); die Frist endete daher mit Ablauf des nächsten Arbeitstages, des "
     "2. Juni 2026.", "Am 5. Juni 2026 hat der Verantwortliche meinem Widerspruch nur teilweise stattgegeben.",
     "Seine Antwort ist unvollständig; es fehlt noch: „the date from which my objection applies“."),
])
def test_complaint_names_the_days_a_limit_moved_over_and_what_a_partial_answer_left_out(
        invoke, tmp_path, june_bank_holiday, lang, rolled, partial, missing):
    reference = june_bank_holiday
    ok(invoke("log", "reply", reference, "--outcome", "partial", "--on", "2026-06-05",
              "--missing", "the date from which my objection applies"))
    ok(invoke("complaint", reference, "--lang", lang, "-f", "txt", "-o", "c.txt"))
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert rolled in text and partial in text and missing in text
    # a partial answer is not "nothing came"
    for nothing in ("has not confirmed that it no longer processes", "hat nicht bestätigt, dass er meine"):
        assert nothing not in text


def test_partial_answer_without_missing_says_it_is_incomplete_and_missing_needs_a_partial_answer(
        invoke, tmp_path, june_bank_holiday):
    reference = june_bank_holiday
    refused = invoke("log", "reply", reference, "--outcome", "refused", "--missing", "everything")
    assert refused.exit_code == 3 and "--missing" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    ok(invoke("log", "reply", reference, "--outcome", "partial", "--on", "2026-06-05"))
    ok(invoke("complaint", reference, "--lang", "en", "-f", "txt", "-o", "c.txt"))
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert "Its answer is incomplete: it does not give me everything I asked for in my letter." in text


def test_complaint_after_sent_before_draft_uses_the_day_it_was_sent(invoke, tmp_path, monkeypatch):
    """Objected in the app on 10 Nov, the letter written on 30 Nov (`log sent --before-draft`), refused in time on
    25 Nov: the complaint dates the objection 10 Nov, and neither "written" after it nor "time limit ended"."""
    profile = write_profile(tmp_path)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    reference = reference_of(ok(invoke("letter", "objection", "meta", "--profile", profile, "-f", "txt", "--json")))
    ok(invoke("log", "sent", reference, "--via", "app", "--on", "2026-11-10", "--before-draft"))
    ok(invoke("log", "reply", reference, "--outcome", "refused", "--on", "2026-11-25"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-12-20")  # after the time limit (10 Dec)
    ok(invoke("complaint", reference, "--lang", "en", "-f", "txt", "-o", "c.txt"))
    text = flat((tmp_path / "c.txt").read_text("utf-8"))
    assert "concerning my objection under Article 21(1) GDPR of 10 November 2026" in text
    assert "By my letter of 10 November 2026" in text and "of 30 November 2026" not in text
    assert "My letter written and dated" not in text and "Time limit for the answer ended" not in text
    assert "10 November 2026: My letter sent in the controller’s app" in text


def test_address_notes_stay_on_the_terminal(invoke, tmp_path, monkeypatch):
    profile = write_profile(tmp_path, address=UK)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-01")
    reference = reference_of(ok(invoke("letter", "access", "meta", "--profile", profile, "-f", "txt", "--json")))
    ok(invoke("log", "sent", reference, "--via", "email"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-20")
    result = ok(invoke("complaint", reference, "--lang", "en", "-f", "txt", "-o", "c.txt"))
    assert "NOT verified" in result.stderr
    text = (tmp_path / "c.txt").read_text("utf-8")
    assert "Note:" not in text and "secondary sources" not in text and "could not be confirmed" not in text


# ------------------------------------------------------------------------------------------- other letters


def test_access_asks_for_the_legitimate_interests_under_13_1_d_and_14_2_b_in_german(invoke, tmp_path):
    text = write(invoke, tmp_path, write_profile(tmp_path, language="de"), "access", name="access.txt")
    assert ("welche Interessen dies sind (Art. 13 Abs. 1 lit. d DSGVO und Art. 14 Abs. 2 lit. b DSGVO)" in text
            and "(Art. 13 Abs. 1 lit. c DSGVO und Art. 14 Abs. 1 lit. c DSGVO)" in text)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "It must be as easy to withdraw consent as to give it (Article 7(3) GDPR); this letter suffices."),
    ("de", "Der Widerruf der Einwilligung muss so einfach wie ihre Erteilung sein (Art. 7 Abs. 3 DSGVO); dieses "
           "Schreiben genügt."),
])
def test_withdrawal_is_as_easy_as_consent_and_this_letter_suffices(invoke, tmp_path, lang, expected):
    text = write(invoke, tmp_path, write_profile(tmp_path, language=lang), "withdraw-consent", "--consent",
                 "personalised advertising", name="w.txt")
    assert expected in text and "particular form" not in text and "bestimmten Form" not in text


@pytest.mark.parametrize(("via", "answer_by", "lang", "sentence"), [
    # Posted in Praha on Mon 19 Oct 2026 to Dublin: taken to arrive 8 days later, Tue 27 Oct; 14 days: 10 Nov.
    ("post", "2026-11-10", "en", "Please answer it in full by 10 November 2026."),
    ("post", "2026-11-10", "de", "Bitte beantworten Sie ihn bis zum 10. November 2026 vollständig."),
    ("email", "2026-11-02", "en", "Please answer it in full by 2 November 2026."),  # e-mail: arrives that day
])
def test_reminder_gives_14_days_from_the_day_it_arrives(invoke, tmp_path, monkeypatch, via, answer_by, lang, sentence):
    profile = write_profile(tmp_path, language=lang)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-01")
    reference = reference_of(ok(invoke("letter", "objection", "meta", "--profile", profile, "-f", "txt", "--json")))
    ok(invoke("log", "sent", reference, "--via", via))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-19")
    result = ok(invoke("followup", reference, "-f", "txt", "-o", "reminder.txt"))
    assert sentence in flat((tmp_path / "reminder.txt").read_text("utf-8"))
    assert f"No answer by {answer_by}" in result.stdout
    row = next(r for r in json.loads(ok(invoke("status", "--json")).stdout) if r["reference"] == reference)
    assert row["last_limit"] == answer_by


def test_us_letters_are_on_us_letter_paper_and_eu_letters_on_a4(invoke, tmp_path):
    from pypdf import PdfReader

    california = {"lines": ["742 Valencia Street"], "postcode": "94110", "city": "San Francisco", "country": "US",
                  "region": "CA"}
    for name, changes, size in (("us.pdf", {"address": california}, (612, 792)), ("eu.pdf", {}, (595, 842))):
        profile = write_profile(tmp_path, **changes)
        ok(invoke("letter", "access", "meta", "--profile", profile, "--date", "2026-12-05", "-o", name))
        pages = PdfReader(str(tmp_path / name)).pages
        assert pdf_pages(tmp_path / name) >= 1
        for page in pages:  # 8.5 x 11 in (612 x 792 pt) for the US; A4 (595 x 842 pt) otherwise
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size, name
