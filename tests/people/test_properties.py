"""Property tests (Hypothesis): whatever a profile, a batch file or a name holds, objector either accepts it
and keeps it intact, or refuses it with an InputError; it never fails in another way."""

from __future__ import annotations

import csv
import io
import tomllib
import unicodedata
from datetime import date

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from helpers import BASE_PROFILE
from objector.errors import InputError
from objector.letters import batch
from objector.letters import letter as letters
from objector.people import profile as profiles
from objector.text import BIDI_CONTROLS

# Any Unicode text, surrogates excluded (they cannot be written to a UTF-8 file).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
TOML_VALUE = st.one_of(TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.lists(TEXT, max_size=3),
                       st.dates())
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def clean(value: str) -> bool:
    return not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" or c in BIDI_CONTROLS for c in value)


@FAST
@given(field=st.sampled_from(["name", "email", "language"]), value=TOML_VALUE)
def test_a_profile_field_of_any_type_or_text_loads_or_is_refused(tmp_path, field, value):
    data = {**BASE_PROFILE, field: value}
    path = tmp_path / "profile.toml"
    path.write_text(tomli_w.dumps(data), "utf-8")
    try:
        person = profiles.load(path)
    except InputError as exc:
        assert "\n" not in exc.message and exc.message.startswith(str(path))
        return
    assert isinstance(value, str) and clean(value)
    if field == "name":
        assert person.name == " ".join(value.split()) and person.name


@FAST
@given(address=st.fixed_dictionaries({}, optional={
    "lines": st.one_of(TEXT, st.lists(TEXT, max_size=4), st.integers()), "postcode": TOML_VALUE,
    "city": TOML_VALUE, "country": st.one_of(st.sampled_from(["CZ", "de", "XX", ""]), TOML_VALUE),
    "region": TOML_VALUE}))
def test_any_address_table_builds_a_clean_profile_or_is_refused(address):
    try:
        person = profiles.from_dict({**BASE_PROFILE, "address": address})
    except InputError as exc:
        assert "\n" not in exc.message
        return
    fields = [*person.address.lines, person.address.postcode, person.address.city, person.address.region]
    assert all(clean(f) and f == " ".join(f.split()) for f in fields)
    # what was accepted survives a save and a load unchanged
    assert profiles.from_dict(tomllib.loads(profiles.dumps(person))) == person


ROW_CELL = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@FAST
@given(rows=st.lists(st.lists(ROW_CELL, min_size=1, max_size=9), max_size=6))
def test_any_csv_rows_are_read_back_exactly_or_refused(tmp_path, rows):
    header = ["kind", "controller", "name", "email", "street", "city", "country", "date", "format"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "rows.csv"
    path.write_text(out.getvalue(), "utf-8", newline="")
    try:
        read, problems = batch.read_rows(path)
    except InputError as exc:
        assert "\n" not in exc.message
        return
    kept = {number: row for number, _, row in read}
    refused = {p.row for p in problems}
    assert kept.keys().isdisjoint(refused)
    for number, cells in enumerate(rows, start=1):
        if number in kept:
            assert [kept[number][name] for name in header][: len(cells)] == [c.strip() for c in cells]


@FAST
@given(raw=st.text(st.characters(exclude_categories=("Cs",)), max_size=400))
def test_any_file_given_as_a_batch_is_read_or_refused_never_a_crash(tmp_path, raw):
    path = tmp_path / "rows.csv"
    path.write_text("kind,controller,name,email,street,city,country\n" + raw, "utf-8", newline="")
    try:
        batch.read_rows(path)
    except InputError as exc:
        assert "\n" not in exc.message


# Control, format, private-use and unassigned characters are refused by the profile (other tests show
# it); leaving them out here keeps the examples to names a profile accepts, so each one renders.
PRINTABLE = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


@settings(max_examples=20, deadline=None)  # each example renders a PDF: 20 renders
@given(name=st.text(PRINTABLE, min_size=1, max_size=40), city=st.text(PRINTABLE, min_size=1, max_size=25))
def test_any_accepted_unicode_renders_to_a_pdf_as_text_never_markup(name, city):
    from objector.letters.render import render_here

    try:
        person = profiles.from_dict({**BASE_PROFILE, "name": name,
                                     "address": {**BASE_PROFILE["address"], "city": city}})
    except InputError:
        assume(False)
        return
    request = letters.prepare("objection", "meta", person, on=date(2026, 11, 27), reference="OBJ-2026-7K3F9Q")
    page = letters.render_html(request)
    assert str(escape(person.name)) in page and str(escape(person.address.city)) in page  # as Jinja escapes
    pdf = render_here(page)
    assert pdf.data.startswith(b"%PDF-") and pdf.pages >= 1
    assert person.name in letters.render_text(request, page)


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "{{ 7*7 }}", "&amp;", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629"])
def test_markup_like_names_stay_text(name):
    person = profiles.from_dict({**BASE_PROFILE, "name": name})
    request = letters.prepare("objection", "meta", person, on=date(2026, 11, 27), reference="OBJ-2026-7K3F9Q")
    page = letters.render_html(request)
    assert str(escape(name)) in page
    assert "<script>" not in page and ">49<" not in page  # never markup, never a template
