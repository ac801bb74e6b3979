"""Typography of every catalog message, as issue 8 set it for the letters and as every later message must
follow: typographic apostrophes and quotes (shell code in backticks keeps straight ones), French no-break
spaces before : ; ? ! and inside « », Polish no-break space before "r." after a date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_i18n import LANGUAGES

LOCALES = Path(__file__).resolve().parents[2] / "locales"


def messages(lang: str):
    from babel.messages.pofile import read_po

    with open(LOCALES / lang / "LC_MESSAGES" / "objector.po", "rb") as file:
        catalog = read_po(file, locale=lang)
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield ids, strings


def prose(text: str) -> str:
    """The text without `shell code`, where straight quotes are right."""
    return re.sub(r"`[^`]*`", "", text)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_catalog_uses_typographic_apostrophes_and_quotes(lang):
    for ids, strings in messages(lang):
        for text in (*ids, *strings):
            assert "'" not in prose(text) and '"' not in prose(text), (lang, text)


def test_french_sets_no_break_spaces():
    for _, strings in messages("fr"):
        for text in map(prose, strings):
            assert not re.search(r" [:;?!»]|« ", text), text
            assert not re.search(r"[^\s\u00a0(/\d][;?!]", text), text  # "RGPD);" → "RGPD)\u00a0;"


def test_polish_keeps_the_year_mark_with_its_date():
    for _, strings in messages("pl"):
        for text in strings:
            assert not re.search(r"(\)s|\}) r\.", text), text
