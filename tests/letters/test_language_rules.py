"""What a language writes its own way, beyond its catalog: how it joins a list, letters an article's points, ends a
list item, writes a country in capitals, and names a destination abroad that a sorting office must read."""

from __future__ import annotations

import pytest

from objector.i18n import glossary, join_list, postal_country

PRODUCTS = ["Facebook", "Instagram", "Messenger", "Threads"]


@pytest.mark.parametrize(("lang", "items", "expected"), [
    ("en", PRODUCTS, "Facebook, Instagram, Messenger and Threads"),  # en_IE: no serial comma
    ("de", PRODUCTS, "Facebook, Instagram, Messenger und Threads"),
    ("cy", PRODUCTS, "Facebook, Instagram, Messenger a Threads"),  # "a" before a consonant
    ("cy", ["Facebook", "Instagram"], "Facebook ac Instagram"),  # "ac" before a vowel
    ("mt", PRODUCTS, "Facebook, Instagram, Messenger u Threads"),  # no comma before "u"
    ("cy", ["Threads"], "Threads"),
])
def test_a_list_is_joined_as_the_language_joins_it(lang, items, expected):
    assert join_list(items, lang) == expected


@pytest.mark.parametrize(("lang", "ref", "expected"), [
    ("el", "15(1)(h)", "άρθρο 15 παράγραφος 1 στοιχείο η) του ΓΚΠΔ"),
    ("el", "6(1)(f)", "άρθρο 6 παράγραφος 1 στοιχείο στ) του ΓΚΠΔ"),
    ("bg", "15(1)(h)", "член 15, параграф 1, буква з) от ОРЗД"),
    ("bg", "17(1)(a)", "член 17, параграф 1, буква а) от ОРЗД"),
    ("de", "15(1)(h)", "Art. 15 Abs. 1 lit. h DSGVO"),
])
def test_points_are_lettered_as_the_official_text_letters_them(lang, ref, expected):
    assert glossary(lang).cite("gdpr", ref).replace("\u00a0", " ") == expected


def test_greek_capitals_drop_their_accents_and_others_keep_theirs():
    assert postal_country("IE", "el") == "ΙΡΛΑΝΔΙΑ"
    assert postal_country("CZ", "el") == "ΤΣΕΧΙΑ"
    assert postal_country("CZ", "de") == "TSCHECHIEN"
    assert postal_country("AT", "fr") == "AUTRICHE"
    assert postal_country("IE", "ga") == "ÉIRE"


def test_list_items_end_with_the_languages_semicolon():
    assert glossary("el").semicolon == "·" and glossary("fr").semicolon == "\u00a0;" and glossary("de").semicolon == ";"


@pytest.mark.parametrize(("lang", "line"), [("bg", "ИРЛАНДИЯ / IRELAND"), ("el", "ΙΡΛΑΝΔΙΑ / IRELAND"),
                                            ("cs", "IRSKO"), ("de", "IRLAND")])
def test_a_destination_in_another_script_is_named_in_english_too(lang, line):
    from dataclasses import replace

    from objector.letters.letter import recipient_lines
    from objector.people import registry

    meta = registry.get("meta-ireland")
    assert recipient_lines(meta, lang, "CZ")[-1] == line
    assert recipient_lines(replace(meta), lang, "IE")[-1] != line  # no country line for post within Ireland
