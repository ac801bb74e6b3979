"""The layout checks of test_layout.py for every other letter: the five GDPR kinds, the reminder, the complaint
to the authority and the US letters. To keep the cost modest each kind gets one demanding profile and two
languages, so the ten languages rotate through the five kinds once; the reminder and the complaint, which need
a journal, are written through the CLI in two languages each; two US letters (English only) close the set."""

from __future__ import annotations

import json
from datetime import date
from itertools import combinations

import pytest
from test_layout import LEFT_EDGE, PAGE_HEIGHT, PROFILES, REASON, RIGHT_EDGE, WINDOW, overlaps

from helpers import text_boxes, write_profile

LONG = "The date of birth shown in my account and in the data you keep about my use of your services"
# kind → (profile of test_layout.PROFILES, languages, options as rights.check takes them, with a --reason?)
KINDS = {
    "erasure": ("c/o, 60-character name", ("de", "es"), {"grounds": ("a", "c", "d"), "made_public": True}, True),
    "portability": ("long e-mail and URL", ("fr", "it"),
                    {"transmit_to": "Stowarzyszenie Archiwistów Fotografii Cyfrowej i Dokumentacji Społecznej"}, False),
    "rectification": ("four-line Polish address", ("pl", "nl"),
                      {"corrections": (f"{LONG}: 14 February 1987, not 4 December 1987", "Surname: Brzęczyszczykiewicz-Wójcik"),
                       "completions": ("Postal address: the c/o line and the staircase are missing",)}, False),
    "restriction": ("domestic, Irish", ("sv", "pt"), {"grounds": ("a", "d")}, True),
    "withdraw-consent": ("long e-mail and URL", ("ro", "en"),
                         {"consents": ("personalised advertising based on my activity on other companies’ websites and apps",
                                       "the use of my face in photos for face recognition")}, False),
}
META_IE, META_INC = "Meta Platforms Ireland Limited", "Meta Platforms, Inc."
US_PROFILE = {
    "name": "Alexandria Montgomery-Castellanos de la Fuente Whitfield",
    "email": "alexandria.montgomery.castellanos.whitfield@personal-mail-example.example.com",
    "address": {"lines": ["c/o Pacific Heights Residences", "2847 Broadway Street, Apartment 1204"], "postcode": "94115",
                "city": "San Francisco", "country": "US", "region": "CA"},
    "accounts": {"facebook": PROFILES["long e-mail and URL"]["accounts"]["facebook"]},
}


def rendered_pdf(kind, fields, lang, *, law=None, options=None, reason=None, agent=None):
    from objector.letters import compose
    from objector.letters import letter as letters
    from objector.people import profile

    person = profile.from_dict({"language": lang, "accounts": {"instagram": "someone"}, **fields})
    request = letters.prepare(kind, "meta", person, on=date(2026, 9, 30), reference="ERA-2026-7K3F9Q", law=law,
                              options=options, reason=reason, agent_name=agent)
    return compose.produce(request, "pdf")[0], person


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(kind, lang) → (text boxes per page, profile, the recipient's first line), one PDF each."""
    folder = tmp_path_factory.mktemp("kinds")
    out = {}
    for kind, (name, langs, options, with_reason) in KINDS.items():
        for lang in langs:
            data, person = rendered_pdf(kind, PROFILES[name], lang, options=options, reason=REASON if with_reason else None)
            (folder / f"{kind}-{lang}.pdf").write_bytes(data)
            out[kind, lang] = (text_boxes(folder / f"{kind}-{lang}.pdf"), person, META_IE)
    for kind, agent in (("access", "Golden Gate Privacy Advocates Cooperative"), ("opt-out", None)):
        data, person = rendered_pdf(kind, US_PROFILE, "en", agent=agent)
        (folder / f"us-{kind}.pdf").write_bytes(data)
        out[f"us-{kind}", "en"] = (text_boxes(folder / f"us-{kind}.pdf"), person, META_INC)
    return out


# US letters (letter.css): US Letter paper, 215.9 x 279.4 mm, 1 in side margins; the #10 envelope's window (7/8 in
# from the left, 1 1/8 in high) seen from 2.04 in below the top edge of a letter resting in the envelope, the
# address 1/8 in inside it (USPS Publication 25, 3-9). Figures written out by hand from the sources letter.css cites.
US_PAGE_HEIGHT = 279.4
US_LEFT_EDGE, US_RIGHT_EDGE = 22.2, 215.9 - 25.4
US_WINDOW = (22.2, 51.8, 22.2 + 114.3, 51.8 + 28.6)


def assert_laid_out(pages, person, recipient_first, label, written=None):
    """test_layout's assertions: nothing overlaps or leaves the text area; the return line sits in the window
    above the recipient, starts with the name and ends with the country (a domestic US letter: with the ZIP code,
    no country). Issue 8's rules too: the e-mail address once (in the letterhead or in the accounts table), the
    letter's date once."""
    from objector.i18n import format_date, postal_country
    from objector.letters.letter import us_date

    us = label[0].startswith("us-")
    left_edge, right_edge = (US_LEFT_EDGE, US_RIGHT_EDGE) if us else (LEFT_EDGE, RIGHT_EDGE)
    page_height, window_box = (US_PAGE_HEIGHT, US_WINDOW) if us else (PAGE_HEIGHT, WINDOW)
    squeezed = "".join(box[4] for boxes in pages for box in boxes).replace(" ", "").replace("\xa0", "")
    assert squeezed.count(person.email) == 1, (label, squeezed.count(person.email))
    if written is not None:
        shown = us_date(written) if us else format_date(written, label[1])
        assert squeezed.count(shown.replace(" ", "").replace("\xa0", "")) == 1, label

    for number, boxes in enumerate(pages, 1):
        for box in boxes:
            slack = 0.3 + 0.015 * (box[2] - box[0])  # widths are summed without the fonts' kerning
            assert box[0] >= left_edge - 0.1 and box[2] <= right_edge + slack, (label, number, box)
            assert box[1] >= 8 and box[3] <= page_height - 10, (label, number, box)
        for a, b in combinations(boxes, 2):
            assert not overlaps(a, b), (label, number, a, b)
    window = [box for box in pages[0] if window_box[0] - 0.1 <= box[0] and box[2] <= window_box[2]
              and window_box[1] <= box[1] and box[3] <= window_box[3]]
    return_line = [box for box in window if box[3] - box[1] < 2.6]  # set at 6.5 pt or smaller
    recipient = [box for box in window if box not in return_line]
    assert return_line and recipient, (label, window)
    text = " ".join(box[4] for box in sorted(return_line, key=lambda box: (box[1], box[0]))).replace("\xa0", " ")
    lang = label[1]
    last = person.address.postcode if us else postal_country(person.address.country, lang)
    assert text.startswith(person.name) and text.endswith(last), (label, text)
    if us:  # the delivery address keeps 1/8 in (3.2 mm) clear of the window's bottom and left edges
        assert max(box[3] for box in recipient) <= window_box[3] - 3.2 + 0.3, (label, recipient)
        assert min(box[0] for box in window) >= window_box[0] + 3.2 - 0.1, (label, window)
    assert max(box[3] for box in return_line) < min(box[1] for box in recipient), label
    address = " ".join(box[4] for box in sorted(recipient, key=lambda box: (box[1], box[0])))
    assert address.startswith(recipient_first), (label, address)  # a long authority's name wraps in the window


@pytest.mark.parametrize("label", [(kind, lang) for kind, (_, langs, _, _) in KINDS.items() for lang in langs]
                         + [("us-access", "en"), ("us-opt-out", "en")])
def test_every_letter_kind_keeps_its_layout(rendered, label):
    assert_laid_out(*rendered[label], label, written=date(2026, 9, 30))


@pytest.mark.parametrize(("profile_name", "region", "lang", "authority", "authority_lang"), [
    ("four-line Polish address", "", "pl", "Urząd Ochrony Danych Osobowych", "pl"),
    ("c/o, 60-character name", "BE", "fr", "Berliner Beauftragte für Datenschutz und Informationsfreiheit", "de"),
])
def test_reminder_and_complaint_keep_their_layout(invoke, tmp_path, monkeypatch, profile_name, region, lang, authority,
                                                  authority_lang):
    """An objection posted and left unanswered: its reminder in the person's language, then the complaint in
    the authority's (the Berlin authority takes German)."""
    from objector.people import profile

    fields = {**PROFILES[profile_name], "language": lang}
    fields["address"] = {**fields["address"], "region": region}
    path = write_profile(tmp_path, **fields)
    person = profile.from_dict(fields)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-09-01")
    written = invoke("letter", "objection", "meta", "--profile", path, "--date", "2026-09-01", "--reason", REASON,
                     "-f", "txt", "-o", "objection.txt", "--json")
    assert written.exit_code == 0, written.output
    reference = json.loads(written.stdout)["reference"]
    assert invoke("log", "sent", reference, "--via", "post", "--on", "2026-09-01").exit_code == 0
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-20")
    reminder = invoke("followup", reference, "-o", tmp_path / "reminder.pdf")
    assert reminder.exit_code == 0, reminder.output
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-10")
    complaint = invoke("complaint", reference, "-o", tmp_path / "complaint.pdf")
    assert complaint.exit_code == 0, complaint.output
    assert_laid_out(text_boxes(tmp_path / "reminder.pdf"), person, META_IE, ("reminder", lang), written=date(2026, 10, 20))
    pages = text_boxes(tmp_path / "complaint.pdf")
    assert_laid_out(pages, person, authority, ("complaint", authority_lang), written=date(2026, 11, 10))
