"""Page layout with the data real people have: c/o lines, four-line addresses, 60-character names, long
e-mail addresses and URLs, in every language. Read back from the PDF's text positions: nothing overlaps,
nothing leaves the text area, and the return line in the envelope's window ends with the country."""

from __future__ import annotations

import dataclasses
from datetime import date
from itertools import combinations

import pytest
from test_i18n import LANGUAGE_DATA, LANGUAGES

from helpers import text_boxes

PAGE_WIDTH, PAGE_HEIGHT = 210, 297
LEFT_EDGE, RIGHT_EDGE = 20, 190  # mm: the window's left edge, the text's right edge
WINDOW = (20, 45, 105, 90)  # DL/C5/6 window: left, top, right, bottom (mm)

LONG_URL = "https://www.facebook.com/profile.php?id=100089417265553&sk=about_contact_and_basic_info&" + "x" * 190
PROFILES = {
    "c/o, 60-character name": {
        "name": "Maximilian-Alexander Freiherr von Hohenstein-Lichtenberg-Ost",
        "email": "m.hohenstein@example.de",
        "address": {"lines": ["c/o Familie Schulze-Brandenburg", "Kaiser-Wilhelm-Straße 123a", "Hinterhaus, 3. Obergeschoss"],
                    "postcode": "10115", "city": "Berlin", "country": "DE"},
    },
    "four-line Polish address": {
        "name": "Małgorzata Brzęczyszczykiewicz-Wójcik",
        "email": "malgorzata.wojcik@example.pl",
        "address": {"lines": ["c/o Przedsiębiorstwo Usługowe „Żuraw”", "ul. Marszałkowska 140 m. 25",
                              "Osiedle Za Żelazną Bramą", "klatka B, piętro IV"],
                    "postcode": "00-061", "city": "Warszawa", "country": "PL"},
    },
    "long e-mail and URL": {
        "name": "Maria Fernanda Gonçalves de Albuquerque e Silva",
        "email": "maria.fernanda.goncalves.de.albuquerque.e.silva@correio-pessoal-exemplo.example.pt",
        "address": {"lines": ["Rua Doutor António José de Almeida 1234, 5.º Esquerdo"], "postcode": "1000-042",
                    "city": "Lisboa", "country": "PT"},
        "accounts": {"facebook": LONG_URL, "instagram": "maria.fernanda.goncalves.albuquerque.silva.oficial"},
    },
    "domestic, Irish": {
        "name": "Siobhán Ní Mhaolmhuaidh-O'Callaghan",
        "email": "siobhan@example.ie",
        "address": {"lines": ["Apartment 14, The Maltings", "Bóthar na Trá"], "postcode": "H91 E2K3",
                    "city": "Galway", "country": "IE"},
    },
}
REASON = ("I am a professional photographer. See https://www.facebook.com/permalink.php?story_fbid=pfbid0"
          + "2Xk7QmZrT9" * 14 + "&id=100089417265553 for the kind of work I publish.")


def overlaps(a, b) -> bool:
    return a[0] < b[2] - 0.2 and b[0] < a[2] - 0.2 and a[1] < b[3] - 0.2 and b[1] < a[3] - 0.2


def profiles_for(lang: str) -> list[str]:
    """Every profile for the first ten languages; for each later one the profile with the longest sender block,
    whose return line and header are where a language's longer words could break the layout (every later
    language's body text is read back in test_i18n; rendering all four here would double the suite's time)."""
    return list(PROFILES) if lang not in LANGUAGE_DATA else ["c/o, 60-character name"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each language × profile as a PDF's text boxes (objection with a long reason; an access request for
    the profile with the long URL), rendered when a test first asks for that language."""
    from objector.letters import compose
    from objector.letters import letter as letters
    from objector.people import profile

    folder = tmp_path_factory.mktemp("layout")
    out: dict = {}

    class Rendered:
        def __getitem__(self, key):
            lang, _ = key
            if key not in out:
                index = LANGUAGES.index(lang)
                for name in profiles_for(lang):
                    fields = PROFILES[name]
                    person = profile.from_dict({"language": lang, "accounts": {"instagram": "someone"}, **fields})
                    request = letters.prepare("objection", "meta", person, on=date(2026, 9, 30),
                                              reference="OBJ-2026-7K3F9Q", reason=REASON if index % 2 == 0 else None)
                    if name == "long e-mail and URL" and index % 2:
                        request = dataclasses.replace(request, kind="access", purpose=None, reason=None)
                    data = compose.produce(request, "pdf")[0]
                    path = folder / f"{lang}-{len(out)}.pdf"
                    path.write_bytes(data)
                    out[lang, name] = (text_boxes(path), person)
            return out[key]

    return Rendered()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nothing_overlaps_or_leaves_the_text_area(rendered, lang):
    for name in profiles_for(lang):
        pages, _ = rendered[lang, name]
        for number, boxes in enumerate(pages, 1):
            for box in boxes:
                slack = 0.3 + 0.015 * (box[2] - box[0])  # widths are summed without the fonts' kerning
                assert box[0] >= LEFT_EDGE - 0.1 and box[2] <= RIGHT_EDGE + slack, (lang, name, number, box)
                assert box[1] >= 8 and box[3] <= PAGE_HEIGHT - 10, (lang, name, number, box)
            for a, b in combinations(boxes, 2):
                assert not overlaps(a, b), (lang, name, number, a, b)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_return_line_sits_in_the_window_and_ends_with_the_country(rendered, lang):
    from objector.i18n import postal_country

    for name in profiles_for(lang):
        pages, person = rendered[lang, name]
        window = [box for box in pages[0] if WINDOW[0] - 0.1 <= box[0] and box[2] <= WINDOW[2] and WINDOW[1] <= box[1] and box[3] <= WINDOW[3]]
        return_line = [box for box in window if box[3] - box[1] < 2.6]  # set at 6.5 pt or smaller
        recipient = [box for box in window if box not in return_line]
        assert return_line and recipient, (lang, name, window)
        text = " ".join(box[4] for box in sorted(return_line, key=lambda box: (box[1], box[0]))).replace("\xa0", " ")
        assert text.startswith(person.name) and text.endswith(postal_country(person.address.country, lang)), (lang, name, text)
        assert max(box[3] for box in return_line) < min(box[1] for box in recipient), (lang, name)
        assert recipient[0][4] == "Meta Platforms Ireland Limited"
        sender_column = [box for box in pages[0] if box[0] > WINDOW[2] and box[1] < WINDOW[3]]
        assert person.name.split()[0] in " ".join(box[4] for box in sender_column), (lang, name)
