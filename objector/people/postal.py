"""A postal address written as free text (the open dataset's "Street 1\\n10115 Berlin\\nDeutschland") read into the
lines a letter's window shows and the country (ISO code) the post needs.

The dataset's rule is that the last line names the country, in the country's own language or in English. That
line is matched against the country names Babel knows in the languages of Europe and a few spellings Babel does
not use ("The Netherlands", "United States of America"); an address whose last line is no country is refused
with the reason, never guessed from a postcode or from the countries a record is relevant for.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Languages whose country names are matched: those of the EEA, Switzerland and the UK, and English.
NAME_LANGUAGES = ("en", "de", "fr", "it", "es", "nl", "pl", "pt", "sv", "da", "fi", "cs", "sk", "hu", "el", "bg",
                  "ro", "hr", "sl", "et", "lv", "lt", "nb", "is", "ga", "mt", "lb", "rm")
# Names in use that Babel spells otherwise; each found in the dataset's addresses.
OTHER_NAMES = {
    "united states of america": "US", "usa": "US", "u s a": "US", "netherlands the": "NL",
    "republic of singapore": "SG", "czech republic": "CZ", "hong kong": "HK", "great britain": "GB", "uk": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "republic of ireland": "IE",
    "korea": "KR", "south korea": "KR", "turkey": "TR",
}
MAX_LINE = 80  # characters: a longer line is a paragraph, not an address line


class AddressProblem(ValueError):
    """Why a free-text address cannot be written on an envelope."""


def normalise(text: str) -> str:
    """Lower case, accents off, punctuation as spaces: "Österreich" and "OSTERREICH" are the same name."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


@cache
def country_names() -> dict[str, str]:
    """Every country name Babel knows in NAME_LANGUAGES (normalised) → its ISO 3166-1 alpha-2 code."""
    from babel import Locale

    names: dict[str, str] = {}
    for lang in NAME_LANGUAGES:
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB", "XK"}:
                names.setdefault(normalise(name), code)
    return names | OTHER_NAMES


def country_code(line: str) -> str:
    """The ISO code a line names ("Deutschland" → "DE", "The Netherlands" → "NL"), "" if it names none."""
    name = normalise(line)
    names = country_names()
    if name in names:
        return names[name]
    if name.startswith("the "):
        return names.get(name[4:], "")
    return ""


def parse_address(text: str) -> tuple[tuple[str, ...], str]:
    """(lines above the country, ISO code of the country); AddressProblem says why an address cannot be read."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    if len(lines) == 1 and "," in lines[0]:  # written on one line: "Street 1, 10115 Berlin, Germany"
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    if not lines:
        raise AddressProblem("the address is empty")
    code = country_code(lines[-1])
    if not code:
        raise AddressProblem(f"its last line {lines[-1]!r} names no country")
    if len(lines) < 2:
        raise AddressProblem("it names a country and nothing else")
    too_long = next((line for line in lines if len(line) > MAX_LINE), None)
    if too_long:
        raise AddressProblem(f"the line {too_long[:40]!r}... is longer than {MAX_LINE} characters")
    return tuple(lines[:-1]), code
