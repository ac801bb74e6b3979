"""The envelope's window, read back from the PDF's text positions: the address field where DIN 5008 form B puts
it (the return line in the top 17.7 mm, the recipient from 62.7 mm, both inset 5 mm from the field's edge at
20 mm), a return line that wraps only between its parts, and a long e-mail address that never breaks at a hyphen
of its own."""

from __future__ import annotations

from datetime import date

import pytest

from helpers import text_boxes

FIELD_LEFT, TEXT_LEFT, FIELD_TOP, ADDRESS_ZONE_TOP, FIELD_BOTTOM = 20, 25, 45, 62.7, 90  # mm from the sheet's edges
STREET = "ul. Księcia Józefa Poniatowskiego-Wielkiego 140 m. 25"
EMAIL = "malgorzata.brzeczyszczykiewicz-wojcik@poczta-prywatna-przyklad-dluga.example.pl"
# Names of three lengths, so that the return line's breaks fall at different places in the parts after them.
NAMES = ("Jan Kowalski", "Małgorzata Brzęczyszczykiewicz-Wójcik", "Aleksandra Konstancja Dąbrowska-Szczepańska")


def profile(name: str):
    from objector.people import profile as profiles

    return profiles.from_dict({
        "name": name, "email": EMAIL, "language": "pl", "accounts": {"instagram": "someone"},
        "address": {"lines": ["c/o Przedsiębiorstwo Usługowe Żuraw", STREET], "postcode": "00-061",
                    "city": "Warszawa", "country": "PL"}})


@pytest.fixture(scope="module")
def windows(tmp_path_factory):
    """name → the first page's text boxes of an objection (PDF) from that person."""
    from objector.letters import compose
    from objector.letters import letter as letters

    folder = tmp_path_factory.mktemp("window")
    out = {}
    for name in NAMES:
        request = letters.prepare("objection", "meta", profile(name), on=date(2026, 9, 30), reference="OBJ-2026-7K3F9Q")
        path = folder / f"{len(out)}.pdf"
        path.write_bytes(compose.produce(request, "pdf")[0])
        out[name] = text_boxes(path)[0]
    return out


def return_line(boxes) -> list:
    return sorted((b for b in boxes if b[0] < 106 and b[1] < FIELD_BOTTOM and b[3] - b[1] < 2.6), key=lambda b: b[1])


def test_the_address_field_sits_where_din_5008_form_b_puts_it(windows):
    for name, boxes in windows.items():
        rows = return_line(boxes)
        recipient = [b for b in boxes if b[0] < 106 and ADDRESS_ZONE_TOP - 1 < b[1] < FIELD_BOTTOM and b not in rows]
        assert rows and all(FIELD_TOP <= b[1] and b[3] <= ADDRESS_ZONE_TOP for b in rows), (name, rows)
        assert recipient[0][4] == "Meta Platforms Ireland Limited"
        assert ADDRESS_ZONE_TOP <= recipient[0][1] < ADDRESS_ZONE_TOP + 2  # the recipient starts the address zone
        assert all(b[3] <= FIELD_BOTTOM for b in recipient), recipient  # six lines, within the field
        for b in rows + recipient:  # inset 5 mm from the field's left edge, within its 85 mm
            assert abs(b[0] - TEXT_LEFT) < 0.2 and b[2] <= FIELD_LEFT + 85, (name, b)


def test_the_return_line_wraps_between_its_parts_only(windows):
    for name, boxes in windows.items():
        rows = [b[4].replace("\xa0", " ") for b in return_line(boxes)]
        assert len(rows) > 1, rows  # long enough to wrap
        assert all(row.endswith("·") for row in rows[:-1]) and rows[-1].endswith("POLSKA"), (name, rows)
        joined = " ".join(rows)
        assert STREET in joined and "c/o Przedsiębiorstwo" in joined and name in joined, (name, rows)


def test_a_long_email_breaks_at_a_dot_never_at_its_own_hyphen(windows):
    for name, boxes in windows.items():
        start = next(i for i, b in enumerate(boxes) if "malgorzata." in b[4])
        rows = [boxes[start][4].split()[-1]] + [b[4] for b in boxes[start + 1:start + 3]]  # after "Adres e-mail"
        n = next(n for n in range(1, 4) if "".join(rows[:n]).endswith(".example.pl"))
        assert n > 1 and "".join(rows[:n]) == EMAIL, (name, rows)  # it wrapped, and reads back whole
        assert all(row.endswith("@") or rows[i + 1].startswith(".") for i, row in enumerate(rows[:n - 1])), (name, rows)


def test_the_text_forms_carry_no_invisible_marks():
    from objector.letters import letter as letters

    request = letters.prepare("access", "meta", profile(NAMES[1]), on=date(2026, 9, 30), reference="ACC-2026-7K3F9Q")
    text = letters.render_text(request)
    assert EMAIL in text and "\u2060" not in text and "\u200b" not in text
    assert "\u2060" in letters.render_html(request)  # the PDF's HTML has them
