"""The CLDR facts a letter uses, kept as JSON, give exactly what Babel gives; kept bytes are made once per source."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list

from objector import cldr, i18n
from objector.kept import kept, source_key

LOCALES = sorted({i18n.glossary(lang).locale for lang in i18n.supported_languages()} | {"en_US"})
DAYS = [date(2026, 1, 1) + timedelta(days=n) for n in range(2 * 365)]


@pytest.fixture(autouse=True)
def fresh_facts():
    cldr.facts.cache_clear()
    yield
    cldr.facts.cache_clear()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_day_of_two_years_every_country_and_every_list_as_babel_writes_them(locale):
    assert [cldr.long_date(day, locale) for day in DAYS] == [format_date(day, "long", locale=locale) for day in DAYS]
    babel_names = Locale.parse(locale).territories
    assert {code: cldr.territory_name(code, locale) for code in babel_names} == dict(babel_names)
    items = ["Facebook", "Instagram", "Threads", "Messenger"]
    for count in range(5):
        assert cldr.join(items[:count], locale) == format_list(items[:count], locale=locale)


def test_the_languages_are_named_as_babel_names_them():
    assert [i18n.language_name(lang) for lang in i18n.supported_languages()] == [
        Locale.parse(lang).get_display_name("en") for lang in i18n.supported_languages()]


def test_the_facts_are_read_from_the_cache_folder_once_made(objector_home, monkeypatch):
    assert cldr.long_date(date(2026, 11, 27), "de_DE") == "27. November 2026"
    (entry,) = (objector_home / "cache" / "cldr").glob("de_DE-*")
    cldr.facts.cache_clear()
    monkeypatch.setattr(cldr, "_from_babel", lambda locale: pytest.fail("Babel asked again"))
    assert cldr.long_date(date(2026, 11, 27), "de_DE") == "27. November 2026"
    assert oct(os.stat(entry.parent).st_mode & 0o777) == "0o700" and oct(os.stat(entry).st_mode & 0o777) == "0o600"


def test_a_pattern_field_the_facts_do_not_cover_is_left_to_babel(monkeypatch):
    monkeypatch.setitem(cldr.facts("en_IE"), "long_date", "EEEE d MMMM y")
    assert cldr.long_date(date(2026, 11, 27), "en_IE") == "27 November 2026"  # Babel's own long format


def test_kept_bytes_are_made_again_for_a_new_key_and_the_old_entry_goes(objector_home):
    made = []

    def make(text: str):
        return lambda: made.append(text) or text.encode()

    assert kept("things", "x", "one", make("first")) == b"first"
    assert kept("things", "x", "one", make("again")) == b"first" and made == ["first"]
    assert kept("things", "x", "two", make("second")) == b"second"
    assert len(list((objector_home / "cache" / "things").glob("x-*"))) == 1


def test_a_cache_that_cannot_be_written_is_no_cache_and_no_error(objector_home):
    objector_home.mkdir()
    (objector_home / "cache").write_text("a file where the folder would be")
    assert kept("things", "x", "key", lambda: b"made") == b"made"
    assert cldr.long_date(date(2026, 6, 1), "fr_FR") == format_date(date(2026, 6, 1), "long", locale="fr_FR")


def test_a_source_checkouts_catalog_is_compiled_once_per_edit(objector_home, tmp_path):
    po = i18n.locales_dir() / "de" / "LC_MESSAGES" / "objector.po"
    if (po.parent / "objector.mo").exists():
        pytest.skip("an installed wheel ships compiled catalogs")
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("de").gettext("Yours faithfully,") != "Yours faithfully,"
        (entry,) = (objector_home / "cache" / "catalogs").glob("de-*")
        assert entry.read_bytes()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # a .mo file's magic number
        assert source_key(po) != source_key(tmp_path / "missing.po")
    finally:
        i18n.translations.cache_clear()


@pytest.mark.parametrize("name", ["controllers.toml", "authorities.toml"])
def test_a_data_file_kept_as_json_reads_as_its_toml(name, objector_home):
    import tomllib

    from objector.kept import parsed_toml
    from objector.resources import data_file

    path = data_file(name)
    expected = tomllib.loads(path.read_text("utf-8"))
    assert parsed_toml(path) == expected  # made, with its dates (a processing's `since`) as dates
    assert parsed_toml(path) == expected  # read back from the cache folder
    assert list((objector_home / "cache" / "toml").glob(f"{path.stem}-*"))
