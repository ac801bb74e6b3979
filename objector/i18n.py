"""Languages: gettext catalogs, the legal glossary, and dates and country names per locale.

Each language has locales/<ll>/glossary.toml (the regulation's official name and abbreviation in that
language and how that language cites an article) and, except the source language English,
locales/<ll>/LC_MESSAGES/objector.po. Compiled .mo files are built by the wheel's build hook; in a
source checkout a missing or stale .mo is compiled in memory from the .po, so a translator's edit shows
up at once and nothing generated is committed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from io import BytesIO

from .errors import InputError
from .resources import locales_dir

SOURCE_LANGUAGE = "en"
DOMAIN = "objector"


@cache
def supported_languages() -> tuple[str, ...]:
    """Every language with a glossary and (except English) a catalog, English first."""
    root = locales_dir()
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        lang = folder.name
        has_catalog = lang == SOURCE_LANGUAGE or (folder / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
        if has_catalog and (folder / "glossary.toml").is_file():
            found.append(lang)
    found.sort(key=lambda code: (code != SOURCE_LANGUAGE, code))
    return tuple(found)


def check_language(lang: str) -> str:
    code = str(lang).strip().lower()
    if code not in supported_languages():
        raise InputError(
            f"no letters in {lang!r}: objector writes in {', '.join(supported_languages())}"
        )
    return code


@cache
def translations(lang: str):
    """The gettext translations for `lang` (NullTranslations for English)."""
    import gettext

    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    folder = locales_dir() / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    from .kept import kept, source_key

    # A source checkout: compiled once per edit of the .po and kept (~55 ms a run otherwise).
    compiled = kept("catalogs", lang, source_key(po), lambda: compile_catalog(po.read_bytes(), lang))
    return gettext.GNUTranslations(BytesIO(compiled))


def compile_catalog(po_bytes: bytes, lang: str) -> bytes:
    """.po → .mo bytes with Babel (shared by the runtime and the wheel's build hook)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(BytesIO(po_bytes), locale=lang, domain=DOMAIN)
    out = BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@dataclass(frozen=True)
class Glossary:
    """How one language names the laws and cites their articles (locales/<ll>/glossary.toml)."""

    lang: str
    locale: str  # Babel locale for dates and country names, e.g. en_IE, de_DE
    laws: dict  # law id → {"name", "short", "article", "paragraph", "point", "source"}
    # How the language letters an article's points, in order, where not a, b, c...: the Greek text of the
    # GDPR has α), β), γ), δ), ε), στ), ζ), η) and the Bulgarian а), б), в)...: "15(1)(h)" is "στοιχείο η)".
    point_letters: tuple[str, ...] = ()
    semicolon: str = ";"  # ends each item of a list but the last: French "\u00a0;", Greek "·" (";" asks a question)

    def law_name(self, law: str) -> str:
        return self._law(law)["name"]

    def law_short(self, law: str) -> str:
        return self._law(law)["short"]

    def cite(self, law: str, ref: str) -> str:
        """'21(1)' → 'Article 21(1) GDPR' / 'Art. 21 Abs. 1 DSGVO' / 'article 21, paragraphe 1, du RGPD'.

        The spaces are no-break spaces: a citation never splits across lines ("Art. 21 Abs." / "1 DSGVO"),
        in the PDF, in a subject line or in text pasted into a web form.

        Two articles cited together ("12(3)+12A") take the glossary's `combined` form where it has one
        ("Articles 12(3) and 12A UK GDPR"), else each citation in full, joined as the language joins a list."""
        if "+" in ref:
            entry = self._law(law)
            combined = entry.get("combined", {}).get(ref)
            if combined:
                return combined.format(law=entry["short"]).replace(" ", "\u00a0")
            from .cldr import join

            return join([self.cite(law, part) for part in ref.split("+")], self.locale)
        match = re.fullmatch(r"(?P<article>[0-9.]+[a-zA-Z]?)(?:\((?P<paragraph>\w+)\))?(?:\((?P<point>\w+)\))?", ref)
        if not match:
            raise ValueError(f"cannot cite {ref!r}")
        parts = {k: v for k, v in match.groupdict().items() if v}
        pattern = "point" if "point" in parts else "paragraph" if "paragraph" in parts else "article"
        if "point" in parts and self.point_letters and re.fullmatch("[a-z]", parts["point"]):
            parts["point"] = self.point_letters[ord(parts["point"]) - ord("a")]
        entry = self._law(law)
        return entry[pattern].format(law=entry["short"], **parts).replace(" ", "\u00a0")

    def _law(self, law: str) -> dict:
        try:
            return self.laws[law]
        except KeyError:
            raise InputError(f"the {self.lang} glossary has no entry for the law {law!r}") from None


@cache
def glossary(lang: str) -> Glossary:
    path = locales_dir() / lang / "glossary.toml"
    data = tomllib.loads(path.read_text("utf-8"))
    return Glossary(lang=lang, locale=data["locale"], laws=data["laws"], point_letters=tuple(data.get("point_letters", ())), semicolon=data.get("semicolon", ";"))


# The first of the month as an ordinal where the language writes it so ("1er septembre", "1º settembre").
FIRST_OF_MONTH = {"fr": "1er", "it": "1º"}


def format_date(value: date, lang: str) -> str:
    """The date as a letter in that language writes it (CLDR's long format, as Babel gives it)."""
    from .cldr import long_date

    text = long_date(value, glossary(lang).locale)
    if value.day == 1 and lang in FIRST_OF_MONTH:
        text = re.sub(r"^1(?=\s)", FIRST_OF_MONTH[lang], text)
    return text


def country_name(code: str, lang: str) -> str:
    from .cldr import territory_name

    return territory_name(code.upper(), glossary(lang).locale) or code.upper()


def join_list(items: list[str], lang: str) -> str:
    """'Facebook, Instagram and Threads' as the language joins a list (CLDR's patterns), where CLDR's own
    pattern cannot be printed as it stands: Welsh writes "ac" before a vowel and "a" before a consonant (CLDR gives
    "a(c)"), Maltese puts no comma before "u"."""
    from .cldr import join

    if len(items) > 1 and lang in {"cy", "mt"}:
        last = items[-1]
        word = ("ac" if last[:1].lower() in "aeiouwyâêîôûŵŷ" else "a") if lang == "cy" else "u"
        return f"{', '.join(items[:-1])} {word} {last}"
    return join(items, glossary(lang).locale)


def postal_country(code: str, lang: str) -> str:
    """The country as an address's last line writes it: in capitals, and Greek capitals without their accents
    ("ΙΡΛΑΝΔΙΑ", not "ΙΡΛΑΝΔΊΑ"), as Greek spells a word in capitals."""
    import unicodedata

    text = country_name(code, lang).upper()
    if any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in text):
        text = unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", text)
                                                    if ch not in ("\u0301", "\u0342")))  # tonos, perispomeni
    return text


@cache
def _country_codes() -> frozenset[str]:
    from .cldr import territory_codes

    return frozenset(code for code in territory_codes("en") if re.fullmatch(r"[A-Z]{2}", code)
                     and code not in {"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB"})


def is_country_code(code: str) -> bool:
    return code in _country_codes()


def language_name(lang: str) -> str:
    """'de' → 'German': how the command line names a letter's language."""
    from .cldr import language_name as name_in

    return name_in(lang, "en") or lang
