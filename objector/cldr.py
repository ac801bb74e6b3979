"""What a letter needs from CLDR for one locale, taken from Babel once and kept in the cache folder.

A letter uses five facts of its locale: the long date's pattern, the months' names, the countries' and the
languages' names and how a list is joined. Babel gives them by loading the locale's data files and those it inherits from (en_IE:
en_001, en and root, some 400 KB of pickles merged: ~20 ms of every letter, more than the letter's text
takes). The five facts, as JSON, load in a fraction of a millisecond. They are Babel's own: the key includes
Babel's installed package, so a newer Babel makes them again, and the tests compare every day of two years,
every country name and lists of each length with Babel's own formatting for every language objector writes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache

# A CLDR date pattern, piece by piece: a quoted literal ('de', '' for an apostrophe), a field (a letter
# repeated: d, MMMM, y) or literal text between them.
PATTERN_PIECE = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+")
# Part of the kept facts' key: change it with what _from_babel writes, so facts kept by an older objector are
# made again rather than read without a fact the code now asks for.
FACTS_FORMAT = "long_date months territories languages list"


@cache
def facts(locale: str) -> dict:
    from .kept import kept

    return json.loads(kept("cldr", locale, f"{locale}|{FACTS_FORMAT}|{_babel_key()}", lambda: _from_babel(locale)))


def _babel_key() -> str:
    from importlib.util import find_spec

    from .kept import source_key

    spec = find_spec("babel")  # finds Babel's files without importing it
    return source_key(spec.origin if spec and spec.origin else "babel")


def _from_babel(locale: str) -> bytes:
    from babel import Locale

    found = Locale.parse(locale)
    patterns = found.list_patterns["standard"]
    return json.dumps({
        "long_date": found.date_formats["long"].pattern,
        "months": {str(number): name for number, name in found.months["format"]["wide"].items()},
        "territories": dict(found.territories),
        "languages": dict(found.languages),
        "list": {part: patterns[part] for part in ("2", "start", "middle", "end") if part in patterns},
    }, ensure_ascii=False).encode("utf-8")


def long_date(day: date, locale: str) -> str:
    """The date in the locale's long format ("27 November 2026", "2026. november 27."), as Babel writes it."""
    found = facts(locale)
    out = []
    for piece in PATTERN_PIECE.finditer(found["long_date"]):
        text = piece.group(0)
        if text == "''":
            out.append("'")
        elif text.startswith("'"):
            out.append(text[1:-1].replace("''", "'"))
        elif not piece.group(1):
            out.append(text)
        elif text in ("d", "dd"):
            out.append(f"{day.day:0{len(text)}d}")
        elif text == "MMMM":
            out.append(found["months"][str(day.month)])
        elif text == "y":
            out.append(str(day.year))
        else:  # a field no long date of objector's languages has: Babel knows it
            from babel.dates import format_date

            return format_date(day, format="long", locale=locale)
    return "".join(out)


def territory_name(code: str, locale: str) -> str | None:
    return facts(locale)["territories"].get(code)


def language_name(code: str, locale: str) -> str | None:
    return facts(locale)["languages"].get(code)


def territory_codes(locale: str) -> frozenset[str]:
    return frozenset(facts(locale)["territories"])


def join(items: list[str], locale: str) -> str:
    """Items joined as the locale joins a list ("a, b and c"), by CLDR's standard list patterns as Babel does."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    patterns = facts(locale)["list"]
    if len(items) == 2 and "2" in patterns:
        return patterns["2"].format(*items)
    result = patterns["start"].format(items[0], items[1])
    for item in items[2:-1]:
        result = patterns["middle"].format(result, item)
    return patterns["end"].format(result, items[-1])
